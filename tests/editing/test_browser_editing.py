"""Keeping a process's record in a real Chromium against a real server, on both databases: a
secretariat of the Bali Process adds a meeting and a member, edits a document's title and links
its Spanish version, and sees each change in the history; a secretariat of another process is
offered none of it and is refused at the forms' addresses. Every page passes axe-core (serious
and critical rules) and no request leaves 127.0.0.1."""

from __future__ import annotations

import re
from datetime import date

import pytest

from tests.browser_support import assert_axe_clean, guarded_page, open_page, running_server, sign_in
from tests.editing.support import make_hub

pytestmark = pytest.mark.browser

MEETING_TITLE = "Bali Process Ad Hoc Group Senior Officials' Meeting"
NEW_TITLE = "Co-Chairs' statement of the Bali Process workshop"
START = f"{date.today().year + 1}-04-14"


@pytest.fixture(scope="module")
def hub(database_factory):  # type: ignore[no-untyped-def]
    hub = make_hub(database_factory)
    hub.client.__exit__(None, None, None)
    with running_server(hub.app) as url:
        hub.url = url  # type: ignore[attr-defined]
        yield hub


def test_a_secretariat_keeps_its_process_record(browser, hub):  # type: ignore[no-untyped-def]
    with guarded_page(browser) as page:
        sign_in(page, hub.url, "sec")
        open_page(page, f"{hub.url}/processes/bali-process?lang=en")

        # a meeting
        page.get_by_role("link", name="Add a meeting").click()
        page.wait_for_url(re.compile(r"/meetings/new"))
        assert_axe_clean(page)
        page.get_by_role("textbox", name="English").fill(MEETING_TITLE)
        page.get_by_label("First day").fill(START)
        page.get_by_label("Country").select_option("IDN")
        page.get_by_label("City").fill("Denpasar")
        with page.expect_navigation():
            page.get_by_role("button", name="Save").click()
        assert page.locator("h1").inner_text() == MEETING_TITLE
        assert "Denpasar" in page.locator("main").inner_text()
        assert_axe_clean(page)

        # a member
        open_page(page, f"{hub.url}/processes/bali-process?lang=en")
        assert MEETING_TITLE in page.get_by_role("region", name="Meetings").inner_text()
        page.get_by_role("link", name="Members and observers").click()
        page.wait_for_url(re.compile(r"/members$"))
        assert_axe_clean(page)
        page.get_by_label("State or organisation").first.fill("state:MAR")
        page.get_by_label("Role", exact=True).first.select_option("observer")
        page.get_by_label("Source (address)").fill("https://www.baliprocess.net/membership/")
        page.get_by_label("As of").fill("2026-12-01")
        with page.expect_navigation():
            page.get_by_role("button", name="Add", exact=True).click()
        row = page.get_by_role("row").filter(has_text="Morocco")
        assert "Observer" in row.inner_text()

        # a document's title, then its Spanish version
        en, es = hub.docs["en"], hub.docs["es"]
        open_page(page, f"{hub.url}/documents/{en}?lang=en")
        page.get_by_role("link", name="Edit the document's details").click()
        page.wait_for_url(re.compile(r"/edit$"))
        assert_axe_clean(page)
        page.get_by_label("Title").fill(NEW_TITLE)
        with page.expect_navigation():
            page.get_by_role("button", name="Save").click()
        assert page.locator("h1").inner_text() == NEW_TITLE
        open_page(page, f"{hub.url}/documents/{en}/edit?lang=en")
        page.get_by_label("ID of another language version").fill(es)
        with page.expect_navigation():
            page.get_by_role("button", name="Link", exact=True).click()
        open_page(page, f"{hub.url}/documents/{en}?lang=en")
        versions = page.get_by_role("navigation", name="Language versions").inner_text()
        assert "Spanish" in versions

        # the history shows each change, with who made it
        page.get_by_role("link", name="History of changes").click()
        page.wait_for_url(re.compile(r"/history$"))
        history = page.locator("main").inner_text()
        assert NEW_TITLE in history
        assert "versions" in history
        assert "sec" in history
        assert_axe_clean(page)
        open_page(page, f"{hub.url}/processes/bali-process/history?lang=en")
        assert "state:MAR" in page.locator("main").inner_text()
        open_page(page, f"{hub.url}/upcoming?lang=en")
        assert MEETING_TITLE in page.locator("main").inner_text()
        assert_axe_clean(page)


def test_another_secretariat_is_offered_nothing_and_refused(browser, hub):  # type: ignore[no-untyped-def]
    with guarded_page(browser) as page:
        sign_in(page, hub.url, "other-sec")
        open_page(page, f"{hub.url}/processes/bali-process?lang=en")
        assert page.get_by_role("link", name="Add a meeting").count() == 0
        assert page.get_by_role("link", name="Members and observers").count() == 0
        open_page(page, f"{hub.url}/processes/bali-process/meetings/new?lang=en", status=403)
        open_page(page, f"{hub.url}/documents/{hub.docs['en']}/edit?lang=en", status=403)
        open_page(page, f"{hub.url}/documents/{hub.docs['en']}?lang=en")
        assert page.get_by_role("link", name="Edit the document's details").count() == 0
