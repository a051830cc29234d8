"""A person confirms and rejects theme tags on the document page, in a real browser: a visitor
sees the tags and a link to sign in, an admin (the document is filed under no process) the
buttons."""

from __future__ import annotations

import pytest

from rcphub.documents import IngestOptions, Ingestor
from tests.accounts_support import make_user
from tests.browser_support import guarded_page, run_axe, running_server, sign_in_here
from tests.themes.conftest import ROOT

pytestmark = pytest.mark.browser
LIMA_EN = ROOT / "tests/linking/gold/lima-2013.en.txt"
SCREENSHOTS = ROOT / "var" / "screenshots"


@pytest.fixture(scope="module")
def served(database_factory):
    from rcphub.app import create_app

    database = database_factory.new()
    ingestor = Ingestor(database)
    outcome = ingestor.ingest_bytes(LIMA_EN.read_bytes(), LIMA_EN.name, IngestOptions())
    make_user(database, "hub-admin", "admin")
    app = create_app(database.settings, database=database)
    app.state.ingestor = ingestor
    with running_server(app) as url:
        yield url, outcome.document_id


def test_confirm_and_reject_a_tag(browser, served, backend):
    url, doc = served
    with guarded_page(browser, viewport={"width": 1200, "height": 900}) as page:
        page.goto(f"{url}/documents/{doc}?lang=en#p-8.c")
        passage = page.locator('[id="p-8.c"]')
        tag = passage.locator('li[data-tag="hld2013-rt3"]')
        # a visitor sees a line of chips, the full list one click away
        chip = passage.locator(".tag-chip", has_text="hld2013-rt3")
        assert "suggested by the tagger" in chip.get_attribute("title")
        assert not tag.is_visible()
        passage.locator("summary.tags__summary").click()
        assert "suggested by the tagger" in tag.inner_text()
        assert tag.get_by_role("button").count() == 0  # a visitor reads, and may sign in
        page.get_by_role("link", name="Sign in to confirm or reject themes.").click()
        sign_in_here(page, "hub-admin")
        page.wait_for_url(f"**/documents/{doc}")
        tag = page.locator('[id="p-8.c"] li[data-tag="hld2013-rt3"]')
        assert run_axe(page) == []
        tag.get_by_role("button", name="Confirm").click()
        page.wait_for_url(f"**/documents/{doc}#p-8.c")
        tag = page.locator('[id="p-8.c"] li[data-tag="hld2013-rt3"]')
        assert "confirmed" in tag.inner_text()
        assert tag.get_by_role("button", name="Confirm").count() == 0
        other = page.locator('[id="p-8.c"] li.tag--suggested').first
        name = other.get_attribute("data-tag")
        if name:
            other.get_by_role("button", name="Reject").click()
            page.wait_for_url(f"**/documents/{doc}#p-8.c")
            chip = page.locator('[id="p-8.c"] .tag-chip--rejected', has_text=name)
            assert "(rejected)" in chip.get_attribute("title")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        passage = page.locator('[id="p-8.c"]')
        passage.scroll_into_view_if_needed()
        page.screenshot(path=str(SCREENSHOTS / f"document-tags-{backend}.png"))
