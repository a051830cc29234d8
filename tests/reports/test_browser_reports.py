"""The report page in a real browser: choose a framework, see the preview, download a PDF."""

from __future__ import annotations

import pytest
from pypdf import PdfReader

from tests.browser_support import guarded_page, run_axe, running_server
from tests.reports.conftest import ReportLima

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server_url(lima: ReportLima):  # type: ignore[no-untyped-def]
    from rcphub.app import create_app

    with running_server(create_app(lima.database.settings, database=lima.database)) as url:
        yield url


def test_choose_a_framework_preview_and_download_a_pdf(browser, server_url, lima, tmp_path):
    with guarded_page(browser) as page:
        page.goto(f"{server_url}/")
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Reports").click()
        page.get_by_label("Framework").select_option("hld2013")
        page.get_by_label("From (year)").fill("2013")
        page.get_by_label("To (year)").fill("2013")
        page.get_by_role("button", name="Show the report").click()
        preview = page.get_by_role("region", name="Preview")
        rt3 = preview.locator("#theme-rt3")
        rt3.get_by_role("heading", name="Round table 3", exact=False).wait_for()
        citation = rt3.get_by_role(
            "link", name="Chair's summary, Global RCP meeting 2013, paragraph 10(c)"
        )
        assert citation.count() >= 1
        assert preview.locator('blockquote[lang="ar"][dir="rtl"]').count() > 0
        assert "Years" in preview.inner_text()
        page.screenshot(path=str(tmp_path / "report-page.png"), full_page=False)
        violations = run_axe(page)
        assert violations == [], violations
        with page.expect_download() as download_info:
            preview.get_by_role("link", name="Download PDF").click()
        download = download_info.value
        assert download.suggested_filename == "synthesis-hld2013-2013-en.pdf"
        path = tmp_path / download.suggested_filename
        download.save_as(path)
        text = "\n".join(p.extract_text() for p in PdfReader(path).pages)
        assert "Round table 3" in text
        # the citation links back to the paragraph on the hub
        citation.first.click()
        page.wait_for_url("**/documents/*#p-10.c")
