"""The analytics pages in a real Chromium against a real server, on both databases: from a
process page to its analytics, where the map and the charts are drawn and a download works;
no request leaves the machine; axe-core finds no serious or critical problem in English and
Arabic."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.browser_support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    assert_axe_clean,
    guarded_page,
    running_server,
)

pytestmark = pytest.mark.browser

PUEBLA = "/analytics/processes/rcm-puebla-process"


@pytest.fixture(scope="module")
def server_url(app):
    with running_server(app) as url:
        yield url


class BrowserThread:
    """Chromium driven from a thread of its own. Playwright's sync API allows one instance per
    thread, and tests/test_browser.py keeps its browser open for the whole session, so this
    module's browser lives and is driven in a worker thread (every call below goes through
    :meth:`run`)."""

    def __init__(self) -> None:
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="analytics-browser")
        self.playwright = None
        self.browser = self.run(self._launch)

    def _launch(self):  # type: ignore[no-untyped-def]
        from playwright.sync_api import sync_playwright

        self.playwright = sync_playwright().start()
        return self.playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)

    def run(self, function, *args):  # type: ignore[no-untyped-def]
        return self.executor.submit(function, *args).result(timeout=300)

    def close(self) -> None:
        def stop() -> None:
            self.browser.close()
            self.playwright.stop()

        self.run(stop)
        self.executor.shutdown()


@pytest.fixture(scope="module")
def browser_thread():
    if not CHROMIUM.exists():
        pytest.fail("Chromium is missing: `make test` installs it (apt package chromium)")
    thread = BrowserThread()
    yield thread
    thread.close()


@pytest.fixture
def in_page(browser_thread):
    """``in_page(journey)`` runs ``journey(page)`` in a guarded page (see
    :func:`tests.browser_support.guarded_page`): no request may leave 127.0.0.1 and the
    Content-Security-Policy may block nothing."""

    def run(journey) -> None:  # type: ignore[no-untyped-def]
        def task() -> None:
            with guarded_page(
                browser_thread.browser, timeout_ms=15_000, accept_downloads=True
            ) as page:
                journey(page)

        browser_thread.run(task)

    return run


def test_from_a_process_page_to_its_analytics(in_page, server_url):
    in_page(lambda page: _process_journey(page, server_url))


def _process_journey(page, server_url) -> None:  # type: ignore[no-untyped-def]
    page.goto(server_url + "/processes/rcm-puebla-process?lang=en")
    page.locator("main").get_by_role("link", name="Analytics", exact=False).first.click()
    page.wait_for_url(f"**{PUEBLA}*")
    assert "Regional Conference on Migration" in page.locator("h1").inner_text()

    # the map: the members drawn as coloured shapes
    members = page.locator("#section-members svg.rcp-map__svg a[data-iso3] path.cat-member")
    assert members.count() >= 10
    box = page.locator("#section-members svg.rcp-map__svg").bounding_box()
    assert box["width"] > 600
    assert box["height"] > 250

    # the corridors chart: Mexico to the United States, the longest bar
    chart = page.locator("svg.rcp-chart__svg--bars").first
    chart.scroll_into_view_if_needed()
    assert chart.is_visible()
    bar = page.locator('g.bar[data-category="MEX-USA"] rect')
    assert bar.bounding_box()["width"] > 200
    assert page.locator('g.bar[data-category="MEX-USA"]').get_attribute("data-value") == "10853105"
    # colours come from the stylesheet (no style attributes)
    fill = bar.evaluate("el => getComputedStyle(el).fill")
    assert fill == "rgb(0, 114, 178)"

    # a download link works
    link = page.locator("#section-corridors a[data-format=csv]")
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename == "rcphub-rcm-puebla-process-corridors-2020.csv"
    text = Path(download.path()).read_text(encoding="utf-8")
    assert "MEX,Mexico,USA,United States of America,2020,10853105" in text

    # the numbers as a table, behind a disclosure that the keyboard opens
    summary = page.locator("#section-corridors details summary")
    summary.focus()
    page.keyboard.press("Enter")
    assert page.locator("#section-corridors table").is_visible()
    assert_axe_clean(page)

    # another year, through the form
    page.select_option("#year", "2000")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**year=2000*")
    assert "2000" in page.locator("#migration").inner_text()

    # every request the page made went to the hub itself
    assert all(url.startswith((server_url, "data:")) for url in page.guard.seen)


@pytest.mark.parametrize("path", ["/analytics", PUEBLA, "/analytics/countries/MEX"])
@pytest.mark.parametrize("lang", ["en", "ar"])
def test_analytics_pages_are_accessible(in_page, server_url, path, lang):
    in_page(lambda page: _accessible(page, f"{server_url}{path}?lang={lang}", lang))


def _accessible(page, url: str, lang: str) -> None:  # type: ignore[no-untyped-def]
    response = page.goto(url)
    assert response.status == 200
    assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    charts = page.locator("svg.rcp-chart__svg")
    assert charts.count() >= 2
    for index in range(charts.count()):
        assert charts.nth(index).bounding_box()["width"] > 300
    assert_axe_clean(page)


def test_overview_options_and_country_form(in_page, server_url):
    in_page(lambda page: _options_journey(page, server_url))


def _options_journey(page, server_url) -> None:  # type: ignore[no-untyped-def]
    page.goto(server_url + "/analytics?lang=en")
    heatmap = page.locator("svg.rcp-chart__svg--heatmap g.hm-cell")
    assert heatmap.count() == 22 * 22
    page.select_option("#observers", "1")
    page.get_by_role("button", name="Show").first.click()
    page.wait_for_url("**observers=1*")
    assert page.locator("#observers").input_value() == "1"
    page.select_option("#country", "MEX")
    page.locator("section[aria-labelledby=countries]").get_by_role("button", name="Show").click()
    page.wait_for_url("**/analytics/countries/MEX*")
    assert "Mexico" in page.locator("h1").inner_text()
