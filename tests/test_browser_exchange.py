"""The exchange in a real Chromium against a real server, on both databases.

1. A secretariat of the Bali Process signs in and publishes an update for its members and
   secretariat only; a member of the process reads it; a secretariat of another process and an
   anonymous visitor find no trace of it — not on the process page, not at its address (a 404
   like any missing update, never a 403 that would say it exists), not in the process's feed.
2. A signed-in user finds GCM objective 23 and its feed on the GCM taxonomy page and follows
   it (from the account page: the taxonomy page has no follow button); a public document about
   cooperation between regional consultative processes and global dialogues is added and
   tagged; the user finds it in the objective's Atom feed, opened from the taxonomy page, and on
   "What's new".

Every kind of page a person sees passes axe-core (serious and critical rules; a page seen twice
the same way is checked once), and no request leaves 127.0.0.1.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import feedparser
import pytest

from rcphub.accounts import SYSTEM
from rcphub.db import Database
from rcphub.documents import IngestOptions, Ingestor
from rcphub.exchange.updates import publish_update
from tests.accounts_support import make_user
from tests.browser_support import (
    assert_axe_clean,
    guarded_page,
    open_page,
    running_server,
    sign_in,
    sign_in_here,
)

pytestmark = pytest.mark.browser

PROCESS = "bali-process"
PUBLIC_TITLE = "Bali Process Ministerial Conference announced for February"
RESTRICTED_TITLE = "Ad Hoc Group senior officials: draft outcome text for comment"
RESTRICTED_BODY = "Members are invited to send comments on the attached draft by Friday."
RESTRICTED_LABEL = "Members and secretariat only"
MISSING_UPDATE = 2**31 - 1

THEME_SCHEME, THEME_CODE = "gcm", "23"
DOCUMENT_TITLE = "Regional consultative processes and the global dialogues on migration"
# Paragraphs 8 (c) and (d) of the Lima 2013 Chair's summary (tests/linking/gold/lima-2013.en.txt),
# hand-labelled gcm-23 in tests/themes/gold/lima-2013.yaml.
DOCUMENT = f"""# {DOCUMENT_TITLE}

## Note by the secretariat

1. There are significant potential benefits in expanding and sustaining interregional engagement and in expanding cooperation with global dialogues such as the Global Forum on Migration and Development, the High-level Dialogue on International Migration and Development and the International Dialogue on Migration of IOM.

2. Regional consultative processes and interregional forums can play an important role in preparing for discussions in the Global Forum on Migration and Development and the High-level Dialogue and in disseminating their outcomes at the regional level.
"""  # noqa: E501


@dataclass
class Hub:
    url: str
    database: Database
    ingestor: Ingestor


@pytest.fixture(scope="module")
def hub(database_factory):  # type: ignore[no-untyped-def]
    """A server over a database of this module's own, with the people of the journeys and one
    public update of the process (what outsiders do see, so that not seeing the other means
    something)."""
    from rcphub.app import create_app

    database = database_factory.new()
    make_user(database, "bali-secretariat", f"secretariat@{PROCESS}")
    make_user(database, "bali-member", f"reader@{PROCESS}")
    make_user(database, "sacm-secretariat", "secretariat@sacm-csm")  # no grant on the Bali Process
    make_user(database, "theme-follower", "reader")
    with database.session() as session:
        publish_update(session, SYSTEM, PROCESS, {"en": PUBLIC_TITLE}, visibility="public")
    ingestor = Ingestor(database)
    # the linker and the tagger's model are built here, not in the journey
    assert ingestor.linker is not None
    assert ingestor.tagger is not None
    with running_server(create_app(database.settings, database=database)) as url:
        yield Hub(url, database, ingestor)


def _feed_from_link(page, link):  # type: ignore[no-untyped-def]
    """Follow a feed link of the page as the browser does and parse what comes back."""
    assert link.get_attribute("type") == "application/atom+xml"
    with page.expect_response(re.compile(r"/feeds/.*\.atom")) as answer:
        link.click()
    response = answer.value
    assert response.status == 200, response.url
    assert response.url in page.guard.seen  # the request guard saw it go to 127.0.0.1
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.body())
    assert not feed.bozo, feed.bozo_exception
    return feed


def _updates_on_process_page(page, hub: Hub, *, axe: bool) -> str:  # type: ignore[no-untyped-def]
    open_page(page, f"{hub.url}/processes/{PROCESS}?lang=en")
    assert "Bali Process" in page.locator("h1").inner_text()
    if axe:
        assert_axe_clean(page)
    return page.get_by_role("region", name="Updates").inner_text()


def _finds_no_trace(page, hub: Hub, update_path: str, *, axe: bool) -> None:  # type: ignore[no-untyped-def]
    """What someone who is not a member of the process sees of the restricted update (``axe``:
    check the pages, which differ from those already checked)."""
    updates = _updates_on_process_page(page, hub, axe=axe)
    assert PUBLIC_TITLE in updates
    assert RESTRICTED_TITLE not in updates
    assert RESTRICTED_LABEL not in updates
    assert page.get_by_role("link", name="Publish an update").count() == 0

    feed = _feed_from_link(page, page.locator("a.feed-link[href^='/feeds/process/']"))
    titles = [entry.title for entry in feed.entries]  # "<process>: <update>"
    assert any(title.endswith(f": {PUBLIC_TITLE}") for title in titles), titles
    assert not any(RESTRICTED_TITLE in title for title in titles)
    assert not any(RESTRICTED_BODY in entry.get("summary", "") for entry in feed.entries)

    # the update's address answers as an update that never existed would
    open_page(page, f"{hub.url}{update_path}?lang=en", status=404)
    seen = page.locator("main").inner_text()
    assert page.locator("h1").inner_text() == "Not found"
    assert RESTRICTED_TITLE not in seen
    assert RESTRICTED_BODY not in seen
    if axe:
        assert_axe_clean(page)
    open_page(page, f"{hub.url}/updates/{MISSING_UPDATE}?lang=en", status=404)
    missing = page.locator("main").inner_text()
    update_id = update_path.rsplit("/", 1)[1]
    assert seen.replace(update_id, "ID") == missing.replace(str(MISSING_UPDATE), "ID")


def test_a_restricted_update_is_read_by_members_and_invisible_to_others(browser, hub):
    # the secretariat: the form sends it to sign in, then back to the form
    with guarded_page(browser) as page:
        open_page(page, f"{hub.url}/processes/{PROCESS}/updates/new?lang=en")
        page.wait_for_url(re.compile(r"/sign-in\?next="))
        assert_axe_clean(page)
        sign_in_here(page, "bali-secretariat")
        page.wait_for_url(re.compile(rf"/processes/{PROCESS}/updates/new"))
        assert page.locator("h1").inner_text() == "Publish an update"
        assert_axe_clean(page)
        english = page.get_by_role("group", name="English")
        english.get_by_label("Title").fill(RESTRICTED_TITLE)
        english.get_by_label("Text").fill(RESTRICTED_BODY)
        # by what the secretariat reads, not by the option's value (being renamed)
        page.get_by_label("Who may read it").select_option(label=RESTRICTED_LABEL)
        with page.expect_navigation():
            page.get_by_role("button", name="Publish").click()
        assert re.search(r"/updates/\d+$", page.url), page.url
        update_path = "/updates/" + page.url.rsplit("/", 1)[1]
        assert page.locator("h1").inner_text() == RESTRICTED_TITLE
        assert RESTRICTED_LABEL in page.locator("article.update header").inner_text()
        assert_axe_clean(page)

    # a member of the process, in a browser context of their own
    with guarded_page(browser) as page:
        sign_in(page, hub.url, "bali-member")
        updates = _updates_on_process_page(page, hub, axe=True)
        assert RESTRICTED_TITLE in updates
        assert PUBLIC_TITLE in updates
        page.get_by_role("region", name="Updates").get_by_role(
            "link", name=RESTRICTED_TITLE
        ).click()
        page.wait_for_url(f"**{update_path}")
        assert page.locator("h1").inner_text() == RESTRICTED_TITLE
        assert RESTRICTED_BODY in page.locator("article.update").inner_text()
        assert RESTRICTED_LABEL in page.locator("article.update header").inner_text()
        assert page.get_by_role("button", name="Withdraw this update").count() == 0
        assert_axe_clean(page)

    # a secretariat of another process: signed in, but no grant on this one
    with guarded_page(browser) as page:
        sign_in(page, hub.url, "sacm-secretariat")
        _finds_no_trace(page, hub, update_path, axe=False)

    # an anonymous visitor (axe here: the outsider's pages differ from these in the header
    # only, and a signed-in header was checked on the member's pages)
    with guarded_page(browser) as page:
        _finds_no_trace(page, hub, update_path, axe=True)


def test_follow_a_theme_and_find_a_new_document_in_its_feed_and_whats_new(browser, hub):
    with guarded_page(browser) as page:
        sign_in(page, hub.url, "theme-follower")

        # the theme on the GCM page, with its feed: nothing tagged to it yet
        open_page(page, f"{hub.url}/taxonomies/{THEME_SCHEME}?lang=en")
        objective = page.locator(f'[id="c-{THEME_CODE}"]')
        assert "international cooperation" in objective.inner_text().lower()
        assert_axe_clean(page)
        feed = _feed_from_link(page, objective.get_by_role("link", name="Feed"))
        assert feed.entries == []

        # back on the page (the feed link opened the feed), follow it with its own button
        open_page(page, f"{hub.url}/taxonomies/{THEME_SCHEME}?lang=en")
        objective = page.locator(f'[id="c-{THEME_CODE}"]')
        with page.expect_navigation():
            objective.get_by_role("button", name="Follow", exact=True).click()
        assert page.url.endswith(f"/taxonomies/{THEME_SCHEME}#c-{THEME_CODE}")
        objective = page.locator(f'[id="c-{THEME_CODE}"]')
        assert objective.get_by_role("button", name="Stop following").count() == 1
        open_page(page, f"{hub.url}/account?lang=en")
        # the theme followed, by its title in the page's language (not its ID), linked to it
        followed = page.locator(".follow-list")
        assert "Strengthen international cooperation" in followed.inner_text()
        assert f"{THEME_SCHEME}/{THEME_CODE}" not in followed.inner_text()
        assert followed.locator(f'a[href*="/taxonomies/{THEME_SCHEME}"]').count() >= 1
        assert_axe_clean(page)
        page.get_by_role("link", name="What's new").first.click()
        page.wait_for_url("**/whats-new")
        assert "Nothing new." in page.locator("main").inner_text()

        # a public document about the theme comes in, tagged as it is stored
        outcome = hub.ingestor.ingest_bytes(
            DOCUMENT.encode(), "rcps-and-global-dialogues.md", IngestOptions()
        )
        assert outcome.error is None, outcome.error
        assert outcome.created

        # (a) in the theme's feed, opened from the taxonomy page
        open_page(page, f"{hub.url}/taxonomies/{THEME_SCHEME}?lang=en")
        objective = page.locator(f'[id="c-{THEME_CODE}"]')
        feed = _feed_from_link(page, objective.get_by_role("link", name="Feed"))
        assert [entry.title for entry in feed.entries] == [DOCUMENT_TITLE]
        assert feed.entries[0].link.endswith(f"/documents/{outcome.document_id}")
        assert "interregional engagement" in feed.entries[0].summary

        # (b) on "What's new", as a document, linking to the document's page
        open_page(page, f"{hub.url}/whats-new?lang=en")
        item = page.locator(".whats-new__item", has_text=DOCUMENT_TITLE)
        assert item.count() == 1
        assert "Document" in item.locator(".chip").inner_text()
        assert_axe_clean(page)
        item.get_by_role("link", name=DOCUMENT_TITLE).click()
        page.wait_for_url(f"**/documents/{outcome.document_id}")
        assert DOCUMENT_TITLE in page.locator("h1").inner_text()
