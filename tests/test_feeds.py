"""Atom feeds and iCalendar files on both databases: every feed parsed back (feedparser, and
lxml against RFC 4287's required elements) on real data — the Lima summary, a document filed
under a process, a follow-up update made here, the registry's meetings; conditional GET;
calendars parsed back (icalendar) and checked against the registry's dates; the error cases;
and the links from the pages."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime

import feedparser
import icalendar
import pytest
from lxml import etree
from sqlalchemy import select, update

from rcphub import registry
from rcphub.accounts.policy import SYSTEM
from rcphub.bootstrap import ingest_bundled_documents
from rcphub.db import Database
from rcphub.db.models import Document, Passage, PassageTag
from rcphub.documents import IngestOptions, Ingestor, list_documents
from rcphub.feeds import atom, ical
from rcphub.followup import add_update, create_item
from rcphub.themes import decide_tag
from tests.test_web_pages import TestClient

A = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
BALI_TEXT = """Bali Process Ministerial Conference 2026: Co-Chairs' Statement

1. Ministers welcomed the regional roadmap on labour migration and the protection of migrant
workers, and asked the Regional Support Office to report on its implementation.

2. Ministers agreed to strengthen cooperation against trafficking in persons and migrant
smuggling across the Asia-Pacific region.
"""
NOTE = "Le secrétariat a lancé une étude régionale sur la mise en œuvre de cette recommandation."


@dataclass
class Hub:
    database: Database
    client: TestClient
    lima: str
    bali: str
    item: int
    update: int


@pytest.fixture(scope="module")
def hub(database_factory):  # type: ignore[no-untyped-def]
    from rcphub.app import create_app

    database = database_factory.new()
    ingest_bundled_documents(database)
    with database.session() as session:
        _, found = list_documents(session, link="meeting:grcp-2013")
    lima = found[0].id
    outcome = Ingestor(database).ingest_bytes(
        BALI_TEXT.encode(), "bali-2026.en.txt", IngestOptions(processes=["bali-process"])
    )
    assert outcome.error is None, outcome.error
    with database.session() as session:
        item = create_item(
            session,
            lima,
            "10.a",
            addressees=["process:gfmd", "state:PER"],
            confirm=True,
            actor=SYSTEM,
        )
        detail = add_update(
            session, item.id, status="in_progress", progress=40, note=NOTE, actor=SYSTEM
        )
    # feeds order by time to the second: the update must be newer than the Lima summary even
    # when the fixture runs within one second
    with database.session() as session:
        session.execute(
            update(Document)
            .where(Document.id == lima)
            .values(ingested_at=(datetime.now(UTC) - timedelta(minutes=1)).isoformat())
        )
    app = create_app(database.settings, database=database)
    app.state.indexer.catch_up()  # what the background indexer of `rcphub serve` does
    with TestClient(app, raise_server_exceptions=False) as client:
        yield Hub(database, client, lima, outcome.document_id, item.id, detail.updates[-1].id)


def check_atom(body: bytes) -> etree._Element:
    """RFC 4287's required elements, by hand: what a strict reader relies on."""
    root = etree.fromstring(body)
    assert root.tag == f"{A}feed"
    assert root.get(XML_LANG) in {"en", "fr", "es", "ru", "ar", "zh"}
    for name in ("id", "title", "updated"):
        assert len(root.findall(f"{A}{name}")) == 1, name
    assert root.findtext(f"{A}id").startswith("tag:")
    parse_time(root.findtext(f"{A}updated"))
    assert root.find(f"{A}link[@rel='self']").get("href").startswith("http")
    feed_author = root.find(f"{A}author/{A}name") is not None
    ids = []
    for entry in root.findall(f"{A}entry"):
        for name in ("id", "title", "updated"):
            assert len(entry.findall(f"{A}{name}")) == 1, name
        ids.append(entry.findtext(f"{A}id"))
        assert ids[-1].startswith("tag:")
        parse_time(entry.findtext(f"{A}updated"))
        link = entry.find(f"{A}link[@rel='alternate']")
        assert link is not None
        assert link.get("href").startswith("http")
        assert feed_author or entry.find(f"{A}author/{A}name") is not None
        assert entry.findtext(f"{A}title").strip()
    assert len(ids) == len(set(ids)), "entry IDs repeat"
    return root


def parse_time(text: str) -> datetime:
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", text), text
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


def parse_feed(hub: Hub, url: str) -> tuple[feedparser.FeedParserDict, etree._Element]:
    response = hub.client.get(url)
    assert response.status_code == 200, response.text[-500:]
    assert response.headers["content-type"] == "application/atom+xml; charset=utf-8"
    root = check_atom(response.content)
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    return parsed, root


def entry_ids(parsed: feedparser.FeedParserDict) -> list[str]:
    return [e.id.rpartition(":rcphub/")[2] for e in parsed.entries]


def newest_first(parsed: feedparser.FeedParserDict) -> None:
    times = [e.updated_parsed for e in parsed.entries]
    assert times == sorted(times, reverse=True)


# ---------------------------------------------------------------------------- Atom


def test_process_feed(hub: Hub) -> None:
    parsed, _ = parse_feed(hub, "/feeds/process/gfmd.atom")
    assert parsed.feed.title.startswith("Global Forum on Migration and Development")
    assert parsed.feed.language == "en"
    keys = entry_ids(parsed)
    # the Lima summary mentions the GFMD; the item of paragraph 10(a) is addressed to it
    assert f"document/{hub.lima}" in keys
    assert f"followup-update/{hub.update}" in keys
    with hub.database.session() as session:
        meetings = registry.get_process(session, "gfmd").meetings
    assert {f"meeting/{m.id}" for m in meetings} <= set(keys)
    assert f"document/{hub.bali}" not in keys
    newest_first(parsed)

    by_key = dict(zip(keys, parsed.entries, strict=True))
    lima = by_key[f"document/{hub.lima}"]
    assert lima.summary_detail.language == "ru"
    assert "ГФМР" in lima.summary or "Глобальн" in lima.summary
    assert lima.link.endswith(f"/documents/{hub.lima}")
    update = by_key[f"followup-update/{hub.update}"]
    assert "paragraph 10(a)" in update.title
    assert "In progress" in update.title
    assert "40%" in update.title
    assert update.summary == NOTE
    assert update.summary_detail.language == "fr"
    assert update.link.endswith(f"/followup/items/{hub.item}")
    meeting = by_key["meeting/gfmd-2012"]
    assert "Mauritius" in meeting.summary
    assert meeting.content[0].language == "en"


def test_process_feed_has_documents_filed_under_it(hub: Hub) -> None:
    parsed, _ = parse_feed(hub, "/feeds/process/bali-process.atom")
    keys = entry_ids(parsed)
    assert keys[0] == f"document/{hub.bali}"
    bali = parsed.entries[0]
    assert bali.summary_detail.language == "en"
    assert bali.summary.startswith("[")  # quotes the first passages, with their refs
    # the Lima summary names the Bali Process: its entry quotes the paragraphs that do
    assert f"document/{hub.lima}" in keys
    lima = dict(zip(keys, parsed.entries, strict=True))[f"document/{hub.lima}"]
    assert "Бали" in lima.summary


def test_state_feed_in_french(hub: Hub) -> None:
    parsed, root = parse_feed(hub, "/feeds/state/PER.atom?lang=fr")
    assert parsed.feed.title == "Pérou : documents et suivi"
    assert root.get(XML_LANG) == "fr"
    keys = entry_ids(parsed)
    assert keys[:2] == [f"followup-update/{hub.update}", f"document/{hub.lima}"]
    lima = parsed.entries[1]
    assert lima.title.startswith("Résumé de la présidence")  # the interface language
    assert lima.summary_detail.language == "ru"  # the content's
    assert "Перу" in lima.summary


@pytest.mark.parametrize("lang", ["en", "fr", "es", "ru", "ar", "zh"])
def test_feed_titles_in_every_language(hub: Hub, lang: str) -> None:
    parsed, root = parse_feed(hub, f"/feeds/process/gfmd.atom?lang={lang}")
    assert root.get(XML_LANG) == lang
    english = "documents, follow-up and meetings"
    assert (english in parsed.feed.title) == (lang == "en")
    assert (parsed.feed.subtitle.startswith("New documents")) == (lang == "en")


def test_feed_language_ignores_cookie_and_header(hub: Hub) -> None:
    response = hub.client.get(
        "/feeds/state/PER.atom", headers={"Accept-Language": "ru", "Cookie": "lang=zh"}
    )
    assert etree.fromstring(response.content).get(XML_LANG) == "en"


def test_theme_feed_leaves_out_rejected_tags(hub: Hub) -> None:
    parsed, _ = parse_feed(hub, "/feeds/theme/hld2013/RT3.atom")
    assert entry_ids(parsed) == [f"document/{hub.lima}"]
    assert parsed.entries[0].summary_detail.language == "ru"
    assert parsed.feed.title.startswith("hld2013-rt3 ")

    parsed, _ = parse_feed(hub, "/feeds/theme/hld2013/RT1.atom")
    assert entry_ids(parsed) == [f"document/{hub.lima}"]
    with hub.database.session() as session:
        refs = session.scalars(
            select(Passage.ref)
            .join(PassageTag, PassageTag.passage_id == Passage.id)
            .where(PassageTag.scheme_id == "hld2013", PassageTag.code == "RT1")
        ).all()
    assert refs
    with hub.database.session() as session:
        for ref in refs:
            decide_tag(session, hub.lima, ref, "hld2013-rt1", "reject", actor=SYSTEM)
    parsed, _ = parse_feed(hub, "/feeds/theme/hld2013/RT1.atom")
    assert parsed.entries == []
    parsed, _ = parse_feed(hub, "/feeds/theme/hld2013/RT3.atom")
    assert len(parsed.entries) == 1


def test_theme_feed_of_a_goal_takes_in_its_targets(hub: Hub) -> None:
    for code in ("10", "10.7"):
        parsed, _ = parse_feed(hub, f"/feeds/theme/sdg/{code}.atom")
        assert f"document/{hub.lima}" not in entry_ids(parsed)
    with hub.database.session() as session:  # a person tags paragraph 10(f) with SDG 10.7
        decide_tag(session, hub.lima, "10.f", "sdg-10.7", "confirm", actor=SYSTEM)
    for code in ("10", "10.7"):
        parsed, _ = parse_feed(hub, f"/feeds/theme/sdg/{code}.atom")
        assert entry_ids(parsed) == [f"document/{hub.lima}"]
        assert parsed.entries[0].summary.startswith("[10.f] ")
    parsed, _ = parse_feed(hub, "/feeds/theme/sdg/11.atom")
    assert parsed.entries == []


def test_search_feed(hub: Hub) -> None:
    parsed, _ = parse_feed(hub, "/feeds/search.atom?q=trafficking&mode=keyword")
    keys = entry_ids(parsed)
    assert keys == [f"passage/{hub.bali}/2"]
    entry = parsed.entries[0]
    assert entry.summary_detail.language == "en"
    assert entry.link.endswith(f"/documents/{hub.bali}#p-2")
    assert parsed.feed.title == "Search: trafficking"

    parsed, _ = parse_feed(hub, "/feeds/search.atom?q=lang:ru&lang=es")
    assert parsed.entries
    assert all(k.startswith(f"passage/{hub.lima}/") for k in entry_ids(parsed))
    assert all(e.summary_detail.language == "ru" for e in parsed.entries)
    assert len(parsed.entries) <= 50

    # filters as parameters, the newest document first
    parsed, _ = parse_feed(hub, "/feeds/search.atom?q=migration&language=en&language=ru")
    documents = [k.split("/")[1] for k in entry_ids(parsed)]
    assert documents[0] == hub.bali
    newest_first(parsed)


def test_search_feed_carries_matches_only(hub: Hub) -> None:
    """A query about a topic no document discusses: the search offers related passages
    (marked as such, outside ``total``), the feed of that search stays empty."""
    query = {"q": "biometric passports at airports"}
    found = hub.client.get("/api/v1/search", params=query).json()
    assert found["total"] == 0
    assert found["hits"] == []
    assert found["related"]
    assert all(h["matched"] == ["related"] for h in found["related"])
    parsed, _ = parse_feed(hub, "/feeds/search.atom?q=biometric+passports+at+airports")
    assert parsed.entries == []
    # the same feed with a query that matches carries its matches
    parsed, _ = parse_feed(hub, "/feeds/search.atom?q=trafficking+in+persons")
    assert f"passage/{hub.bali}/2" in entry_ids(parsed)


@pytest.mark.parametrize(
    "query",
    [
        "",
        "q=",
        "q=lang:xx",
        "q=year:abc",
        "q=state:12345",
        "q=migration&mode=telepathy",
        "q=" + "a" * 2001,
        "q=migration&" + "&".join(["state=PER"] * 51),
        "q=migration&state=" + "x" * 300,
        "q=process:" + "%27%22%3Cscript%3E",
    ],
)
def test_search_feed_refuses_bad_queries(hub: Hub, query: str) -> None:
    response = hub.client.get(f"/feeds/search.atom?{query}")
    assert response.status_code == 400, response.text[-300:]
    assert "text/html" in response.headers["content-type"]
    assert "<script>" not in response.text


@pytest.mark.parametrize(
    ("query", "entries"),
    [
        ('"labour migration', True),  # an unclosed quotation mark runs to the end
        ("OR OR", True),  # no words: every passage, newest first, as for a filter alone
        ("-migration", True),  # every passage without the word
        ("((()))", True),  # parentheses are spaces: no words
        ("мигра*", False),  # "*" is not a wildcard; no passage has the word "мигра"
        ("移民 OR", True),  # a dangling OR is dropped
        ("10:30", False),  # not a filter: the words 10 and 30, in no passage
    ],
)
def test_search_feed_survives_odd_queries(hub: Hub, query: str, entries: bool) -> None:
    response = hub.client.get("/feeds/search.atom", params={"q": query})
    assert response.status_code == 200, (query, response.status_code, response.text[-300:])
    check_atom(response.content)
    parsed = feedparser.parse(response.content)
    assert bool(parsed.entries) is entries, (query, len(parsed.entries))


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/feeds/process/bali.atom", "no process with ID 'bali'; did you mean bali-process?"),
        ("/feeds/state/XYZ.atom", "no state with ID 'XYZ'"),
        ("/feeds/theme/gcm/99.atom", "no concept with ID 'gcm/99'"),
        ("/feeds/theme/nope/1.atom", "no taxonomy with ID 'nope'"),
        ("/calendar/process/nope.ics", "no process with ID 'nope'"),
        ("/meetings/nope.ics", "no meeting with ID 'nope'"),
        ("/meetings/grcp-2005.ics", "the dates of meeting 'grcp-2005' are not known"),
    ],
)
def test_unknown_ids_are_404_with_a_message(hub: Hub, url: str, message: str) -> None:
    response = hub.client.get(url)
    assert response.status_code == 404
    assert "text/html" in response.headers["content-type"]
    assert message.replace("'", "&#39;") in response.text


def test_canonical_addresses(hub: Hub) -> None:
    for url, target in [
        ("/feeds/state/per.atom?lang=fr", "/feeds/state/PER.atom?lang=fr"),
        ("/feeds/process/GFMD.atom", "/feeds/process/gfmd.atom"),
        ("/feeds/theme/hld2013/rt3.atom", "/feeds/theme/hld2013/RT3.atom"),
        ("/meetings/GRCP-2013.ics", "/meetings/grcp-2013.ics"),
    ]:
        response = hub.client.get(url, follow_redirects=False)
        assert response.status_code == 301, url
        assert response.headers["location"] == target


def test_public_url_names_the_ids_and_links(hub: Hub) -> None:
    app = hub.client.app
    settings = app.state.settings
    app.state.settings = settings.model_copy(update={"public_url": "https://hub.example.org"})
    try:
        parsed, _ = parse_feed(hub, "/feeds/process/gfmd.atom")
        calendar = hub.client.get("/meetings/grcp-2013.ics").text
    finally:
        app.state.settings = settings
    assert parsed.feed.id == "tag:hub.example.org,2025:rcphub/feeds/process/gfmd"
    assert all(e.id.startswith("tag:hub.example.org,2025:rcphub/") for e in parsed.entries)
    assert all(e.link.startswith("https://hub.example.org/") for e in parsed.entries)
    assert "UID:meeting-grcp-2013@hub.example.org" in calendar


# ---------------------------------------------------------------------------- HTTP caching


def test_conditional_get(hub: Hub) -> None:
    url = "/feeds/state/PER.atom"
    first = hub.client.get(url)
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    assert etag.startswith('W/"')
    assert hub.client.get(url).headers["etag"] == etag  # stable

    again = hub.client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == etag
    assert hub.client.get(url, headers={"If-None-Match": f'"x", {etag}'}).status_code == 304
    assert hub.client.get(url, headers={"If-None-Match": '"other"'}).status_code == 200
    # If-None-Match wins over If-Modified-Since
    both = {"If-None-Match": '"other"', "If-Modified-Since": modified}
    assert hub.client.get(url, headers=both).status_code == 200

    assert hub.client.get(url, headers={"If-Modified-Since": modified}).status_code == 304
    earlier = format_datetime(parsedate_to_datetime(modified) - timedelta(seconds=1), usegmt=True)
    assert hub.client.get(url, headers={"If-Modified-Since": earlier}).status_code == 200
    for garbage in ("yesterday", "", "Mon, 99 Foo 2013 99:99:99 GMT"):
        assert hub.client.get(url, headers={"If-Modified-Since": garbage}).status_code == 200

    # another language is another body and another tag
    assert hub.client.get(url + "?lang=ar").headers["etag"] != etag

    # a new update changes the feed: the old tag no longer matches
    with hub.database.session() as session:
        add_update(session, hub.item, status="completed", note="Done.", actor=SYSTEM)
    changed = hub.client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["etag"] != etag
    parsed = feedparser.parse(changed.content)
    assert parsed.entries[0].title.endswith("Completed, 100%")


def test_calendar_conditional_get(hub: Hub) -> None:
    first = hub.client.get("/calendar/meetings.ics")
    again = hub.client.get(
        "/calendar/meetings.ics", headers={"If-None-Match": first.headers["etag"]}
    )
    assert again.status_code == 304


# ---------------------------------------------------------------------------- iCalendar


def check_lines(body: bytes) -> None:
    assert body.endswith(b"\r\n")
    lines = body.split(b"\r\n")[:-1]
    assert all(b"\n" not in line and b"\r" not in line for line in lines)
    assert all(len(line) <= 75 for line in lines), max(lines, key=len)
    for line in lines:
        line.decode("utf-8")  # folding never splits a character


def events_of(hub: Hub, url: str) -> list[icalendar.Event]:
    response = hub.client.get(url)
    assert response.status_code == 200, response.text[-300:]
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    check_lines(response.content)
    calendar = icalendar.Calendar.from_ical(response.content)
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"]
    return list(calendar.walk("VEVENT"))


def test_all_meetings_calendar_matches_the_registry(hub: Hub) -> None:
    events = events_of(hub, "/calendar/meetings.ics")
    with hub.database.session() as session:
        meetings = {m.id: m for m in registry.list_meetings(session) if m.start_date}
    assert len(events) == len(meetings) > 15
    uids = [str(e["UID"]) for e in events]
    assert len(set(uids)) == len(uids)
    for event in events:
        meeting = meetings[str(event["UID"]).removeprefix("meeting-").partition("@")[0]]
        assert event.decoded("DTSTART") == meeting.start_date
        assert event.decoded("DTEND") == (meeting.end_date or meeting.start_date) + timedelta(1)
        assert event["DTSTAMP"].dt.tzinfo is not None
        assert str(event["URL"]).endswith(f"/meetings/{meeting.id}")
        assert str(event["SUMMARY"]).strip()
        if meeting.city:
            assert str(event["LOCATION"]).startswith(meeting.city)
    lima = next(e for e in events if str(e["UID"]).startswith("meeting-grcp-2013@"))
    assert str(lima["LOCATION"]) == "Lima, Peru"  # the comma survives escaping
    assert "Changing International Migration Landscape" in str(lima["DESCRIPTION"])


@pytest.mark.parametrize("lang", ["ar", "zh", "ru"])
def test_calendar_in_other_scripts_folds_cleanly(hub: Hub, lang: str) -> None:
    events = events_of(hub, f"/calendar/meetings.ics?lang={lang}")
    lima = next(e for e in events if str(e["UID"]).startswith("meeting-grcp-2013@"))
    assert not str(lima["LOCATION"]).endswith("Peru")  # the country in the calendar's language
    assert lima["SUMMARY"].params.get("LANGUAGE") in {lang, "en"}


def test_process_and_meeting_calendars(hub: Hub) -> None:
    events = events_of(hub, "/calendar/process/gfmd.ics")
    with hub.database.session() as session:
        gfmd = [m for m in registry.get_process(session, "gfmd").meetings if m.start_date]
    assert sorted(str(e["UID"]).partition("@")[0] for e in events) == sorted(
        f"meeting-{m.id}" for m in gfmd
    )
    (event,) = events_of(hub, "/meetings/grcp-2013.ics")
    assert event.decoded("DTSTART").isoformat() == "2013-05-22"
    assert event.decoded("DTEND").isoformat() == "2013-05-24"


def test_ical_escaping_and_folding() -> None:
    assert ical.escape_text("a,b;c\\d\ne\r\nf\x07") == "a\\,b\\;c\\\\d\\ne\\nf"
    line = "SUMMARY:" + "ش" * 100
    folded = ical.fold(line).encode()
    parts = folded.split(b"\r\n")[:-1]
    assert all(len(p) <= 75 for p in parts)
    assert len(parts) > 2
    assert b"".join(p.removeprefix(b" ") if i else p for i, p in enumerate(parts)) == (
        line.encode()
    )
    event = ical.Event(
        uid="x@h",
        stamp=datetime(2026, 1, 1, tzinfo=UTC),
        start=datetime(2026, 5, 1).date(),
        end=None,
        summary="Meeting, with; odd \\ text",
    )
    body = ical.render(ical.Calendar("-//t//t//EN", "n", "en", [event]))
    parsed = icalendar.Calendar.from_ical(body)
    (only,) = parsed.walk("VEVENT")
    assert str(only["SUMMARY"]) == "Meeting, with; odd \\ text"
    assert only.decoded("DTEND").isoformat() == "2026-05-02"


def test_atom_drops_characters_xml_cannot_carry() -> None:
    feed = atom.Feed(
        id="tag:h,2025:x",
        title=atom.Text("bad \x00\x0b title \ufffe", "en"),
        updated=datetime(2026, 1, 1, tzinfo=UTC),
        self_link="http://h/x",
        alternate_link="http://h/",
        lang="en",
        entries=[
            atom.Entry(
                id="tag:h,2025:e",
                title=atom.Text("<b>&amp;</b>", "ar"),
                updated=datetime(2026, 1, 1, tzinfo=UTC),
                link="http://h/e",
                summary=atom.Text("?", ""),
            )
        ],
    )
    root = etree.fromstring(atom.render(feed))
    assert root.findtext(f"{A}title") == "bad  title "
    entry = root.find(f"{A}entry")
    assert entry.findtext(f"{A}title") == "<b>&amp;</b>"
    assert entry.find(f"{A}title").get(XML_LANG) == "ar"
    assert entry.find(f"{A}summary").get(XML_LANG) == ""


# ---------------------------------------------------------------------------- pages


def alternates(html: str) -> list[str]:
    return re.findall(
        r'<link rel="alternate" type="application/atom\+xml" [^>]*href="([^"]+)"', html
    )


def test_pages_link_their_feeds(hub: Hub) -> None:
    pages = {
        "/processes/gfmd?lang=fr": [
            "/feeds/process/gfmd.atom?lang=fr",
            "/calendar/process/gfmd.ics?lang=fr",
        ],
        "/countries/PER?lang=en": ["/feeds/state/PER.atom?lang=en"],
        "/taxonomies/gcm?lang=en": ["/feeds/theme/gcm/23.atom?lang=en"],
        "/taxonomies/sdg?lang=en": ["/feeds/theme/sdg/10.7.atom?lang=en"],
        "/meetings/grcp-2013?lang=en": ["/meetings/grcp-2013.ics?lang=en"],
        "/meetings?lang=en": ["/calendar/meetings.ics?lang=en"],
    }
    for page, links in pages.items():
        html = hub.client.get(page).text
        for link in links:
            assert f'href="{link}"' in html, (page, link)
            assert hub.client.get(link).status_code == 200, link
    assert alternates(hub.client.get("/processes/gfmd?lang=en").text) == [
        "/feeds/process/gfmd.atom?lang=en"
    ]
    assert alternates(hub.client.get("/countries/PER?lang=ar").text) == [
        "/feeds/state/PER.atom?lang=ar"
    ]
    assert "/feeds/theme/sdg/10.atom?lang=en" in alternates(
        hub.client.get("/taxonomies/sdg?lang=en").text
    )
    assert ".ics" not in hub.client.get("/meetings/grcp-2005?lang=en").text  # no dates, no calendar


def test_search_page_links_the_feed_of_its_query(hub: Hub) -> None:
    assert alternates(hub.client.get("/search?lang=en").text) == []
    html = hub.client.get("/search?q=trafficking&mode=keyword&language=en&lang=en").text
    (feed,) = alternates(html)
    feed = feed.replace("&amp;", "&")
    assert feed == "/feeds/search.atom?q=trafficking&mode=keyword&language=en&lang=en"
    assert (
        f'class="feed-link" type="application/atom+xml" href="{feed.replace("&", "&amp;")}"' in html
    )
    parsed, _ = parse_feed(hub, feed)
    assert entry_ids(parsed) == [f"passage/{hub.bali}/2"]


def test_head_requests(hub: Hub) -> None:
    for url in ("/feeds/process/gfmd.atom", "/calendar/meetings.ics", "/meetings/grcp-2013.ics"):
        response = hub.client.head(url)
        assert response.status_code == 200, url
        assert response.headers["etag"] == hub.client.get(url).headers["etag"]
