"""Honest data on the public pages of a fresh hub: no compilers' working note on any page a
visitor can reach, weak sources labelled, notes kept for editors; names and titles in the six
languages loaded from the bundled data, their counts as the README states them; state names as
UN M49 and UNTERM write them."""

from __future__ import annotations

import csv
import re
import warnings
from collections import deque
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import yaml
from selectolax.lexbor import LexborHTMLParser
from sqlalchemy import select

from rcphub.config import LANGUAGES
from rcphub.db.models import Body, Concept, Meeting, State
from rcphub.refdata.coverage import coverage_table, language_coverage
from rcphub.refdata.editorial import source_kind, split
from tests.accounts_support import make_user, signed_in_client

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message=".*install `httpx2`")
    from fastapi.testclient import TestClient

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "src" / "rcphub" / "refdata" / "data"
# phrases of the compilers' working notes in the reference file
NOTE_PHRASES = re.compile(
    r"\bGK\b|general knowledge|not verified|unverified|shared/documents|symbol not found",
    re.IGNORECASE,
)
DOWNLOADS = (".csv", ".json", ".png", ".svg", ".xlsx", ".ics", ".atom", ".ttl", ".pdf", ".docx")
MAX_PAGES = 700


@pytest.fixture(scope="module")
def hub(database_factory):  # type: ignore[no-untyped-def]
    from rcphub.app import create_app

    database = database_factory.new()  # freshly loaded: nothing but the bundled data
    return database, create_app(database.settings, database=database)


@pytest.fixture(scope="module")
def visitor(hub) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    with TestClient(hub[1]) as client:
        yield client


def _crawl(client: TestClient, start: str = "/") -> dict[str, str]:
    """Every page reachable from ``start`` by links (query strings dropped), path → HTML."""
    seen: dict[str, str] = {}
    queue = deque([start])
    while queue and len(seen) < MAX_PAGES:
        path = queue.popleft()
        if path in seen:
            continue
        response = client.get(path + "?lang=en")
        if response.status_code != 200 or "text/html" not in response.headers["content-type"]:
            seen[path] = ""
            continue
        seen[path] = response.text
        for link in LexborHTMLParser(response.text).css("a[href]"):
            url = urlsplit(urljoin("http://testserver" + path, link.attributes["href"] or ""))
            if url.netloc != "testserver" or url.path.endswith(DOWNLOADS):
                continue
            if url.path.startswith(("/api/", "/feeds/", "/calendar/", "/sign-out")):
                continue
            if url.path not in seen:
                queue.append(url.path)
    return seen


def test_no_compilers_note_on_any_public_page(visitor):
    pages = _crawl(visitor)
    assert len(pages) > 100  # processes, countries, meetings, taxonomies were reached
    assert "/processes/rcm-puebla-process" in pages
    assert "/meetings/gfmd-2010" in pages
    shown = {}
    for path, html in pages.items():
        text = LexborHTMLParser(html).body.text(separator=" ") if html else ""
        found = NOTE_PHRASES.findall(text)
        if found:
            shown[path] = sorted(set(found))
    assert shown == {}
    assert "Notes on this record" not in pages["/processes/rcm-puebla-process"]


def test_no_compilers_note_in_the_public_data_downloads_and_api(visitor):
    """What a visitor downloads holds no working note either: the registry's tables (CSV and
    JSON; memberships carry their notes), and the JSON API's records of every process and
    meeting."""
    checked = 0
    shown = {}
    for table in ("processes", "memberships", "meetings", "states"):
        for fmt in ("csv", "json"):
            response = visitor.get(f"/api/v1/registry/{table}.{fmt}")
            assert response.status_code == 200
            checked += len(response.content)
            found = NOTE_PHRASES.findall(response.content.decode("utf-8-sig"))
            if found:
                shown[f"{table}.{fmt}"] = sorted(set(found))
    for process in visitor.get("/api/v1/processes").json()["processes"]:
        path = f"/api/v1/processes/{process['id']}"
        found = NOTE_PHRASES.findall(visitor.get(path).text)
        if found:
            shown[path] = sorted(set(found))
    found = NOTE_PHRASES.findall(visitor.get("/api/v1/meetings").text)
    if found:
        shown["/api/v1/meetings"] = sorted(set(found))
    assert checked > 500_000  # the downloads are there, memberships included
    assert shown == {}


def test_weak_sources_are_labelled_as_what_they_are(visitor):
    page = LexborHTMLParser(visitor.get("/processes/bali-process?lang=en").text)
    labels = {}
    for item in page.css("ol.sources li"):
        link = item.css_first("a")
        badge = item.css_first(".badge--source-kind")
        if link is not None:
            labels[link.attributes["href"]] = badge.text().strip() if badge else None
    assert labels["https://baliprocess.dev.juicebox.com.au/about/about-the-bali-process"] == (
        "development site"
    )
    assert labels["https://wiki-gateway.eudic.net/wikipedia_en/Bali_Process.html"] == (
        "wiki or Wikipedia mirror"
    )
    assert labels["https://www.baliprocess.net/"] is None  # the body's own site: no label
    prague = visitor.get("/processes/prague-process?lang=fr").text
    assert "dépôt de code" in prague  # the "code: chinapedia/..." source, in French


def test_editors_see_the_notes_on_this_record(hub):
    database, app = hub
    make_user(database, "names-admin", "admin")
    make_user(database, "names-sec", "secretariat@rcm-puebla-process")
    make_user(database, "names-reader", "reader@rcm-puebla-process")
    admin = signed_in_client(app, "names-admin")
    page = admin.get("/processes/rcm-puebla-process?lang=en").text
    assert "Notes on this record" in page
    assert "location not verified; GK: San José, Costa Rica" in page
    meeting = admin.get("/meetings/gfmd-2010?lang=ru").text
    assert "Примечания к этой записи" in meeting
    assert "Partnerships for migration and human development" in meeting
    secretariat = signed_in_client(app, "names-sec")
    assert "San José" in secretariat.get("/processes/rcm-puebla-process").text
    assert "Notes on this record" not in secretariat.get("/processes/bali-process?lang=en").text
    reader = signed_in_client(app, "names-reader")
    assert "San José" not in reader.get("/processes/rcm-puebla-process").text


def test_a_note_is_split_from_the_fact_it_qualifies():
    assert split("GFMD Support Unit (Geneva) - GK") == (
        "GFMD Support Unit (Geneva)",
        "GFMD Support Unit (Geneva) - GK",
    )
    public, note = split(
        "Cuba suspended; Nicaragua withdrawal (2023) = GK, unverified. Venezuela left (2017)."
    )
    assert public == "Cuba suspended; Venezuela left (2017)."
    assert note.startswith("Cuba suspended")
    assert split("Held in Lima (Peru).") == ("Held in Lima (Peru).", None)
    assert split("GK: December 2018 (unverified)") == (None, "GK: December 2018 (unverified)")
    assert source_kind("https://github.com/x/y") == "code-repository"
    assert source_kind("http://preview.gfmd.org/process/annual-themes") == "development-site"
    assert source_kind("https://en.wikipedia.org/wiki/X") == "wiki"
    assert source_kind("https://www.iom.int/bali-process") is None


def test_no_public_field_of_the_loaded_data_holds_a_note(hub):
    database, _app = hub
    with database.session() as session:
        texts = []
        for body in session.scalars(select(Body)):
            texts += [body.scope, body.secretariat, body.chair_rotation]
            texts += [(lst.as_of, lst.note, lst.description) for lst in body.membership_lists]
        for meeting in session.scalars(select(Meeting)):
            texts += [meeting.theme, meeting.dates_text, meeting.notes, str(meeting.details)]
        notes = [n for b in session.scalars(select(Body)) for n in b.editor_notes]
    flat = [t for item in texts for t in (item if isinstance(item, tuple) else (item,)) if t]
    assert [t for t in flat if NOTE_PHRASES.search(t)] == []
    assert len(notes) >= 8  # they are kept, for editors


# ---------------------------------------------------------------------------- names


def _researched(path: Path) -> set[tuple[str, str]]:
    """(entry, language) pairs the research file gives a usable name for."""
    found = set()
    for body_id, by_lang in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).items():
        for lang, spec in by_lang.items():
            items = [spec, *(spec.get("alt") or [])]
            if lang == "zh":
                items = [i for i in items if "traditional" not in str(i.get("note", "")).lower()]
            if items:
                found.add((body_id, lang))
    return found


def test_every_researched_name_is_loaded_and_marked_with_its_source(hub):
    database, _app = hub
    wanted = _researched(DATA / "i18n" / "names.yaml") | _researched(
        DATA / "i18n" / "un-names.yaml"
    )
    with database.session() as session:
        bodies = {b.id: b for b in session.scalars(select(Body))}
    missing = sorted((b, lang) for b, lang in wanted if not bodies[b].names.get(lang))
    assert missing == []
    assert bodies["bali-process"].names["zh"] == "巴厘进程"
    assert bodies["apc"].names.get("zh") is None  # seen only in traditional characters
    assert bodies["un-hld-imrf"].names["zh"] == "国际移民与发展问题高级别对话"  # choices.yaml
    assert bodies["bali-process"].name_sources["zh"]["quality"] == "press"
    # the registry's own names are never replaced by researched ones
    assert bodies["khartoum-process"].names["ar"] == "عملية الخرطوم"
    assert "ar" not in bodies["khartoum-process"].name_sources


def test_round_table_and_objective_titles_come_from_the_research(hub):
    database, _app = hub
    text = (DATA / "i18n" / "hld2013_round_tables.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(text.splitlines()))
    with database.session() as session:
        concepts = {(c.scheme_id, c.code): c for c in session.scalars(select(Concept))}
    for row in rows:
        if row["title"] and row["lang"] != "en":
            assert concepts[("hld2013", f"RT{row['number']}")].labels[row["lang"]] == row["title"]
    # the one Russian GCM title is a draft's wording (labelled UNCERTAIN): not shown
    assert "ru" not in concepts[("gcm", "1")].labels
    assert concepts[("gcm-principles", "a")].labels["zh"] == "以人为中心"


def test_the_readme_and_docs_state_the_counts_the_load_gives(hub):
    database, _app = hub
    with database.session() as session:
        coverage = language_coverage(session)
    table = "\n".join(coverage_table(coverage))
    for doc in ("README.md", "docs/data.md"):
        assert table in (ROOT / doc).read_text(encoding="utf-8"), f"{doc}: update the counts"
    # the research raised the counts well above what the registry had alone
    assert coverage["entries"]["ru"] >= 29
    assert coverage["entries"]["zh"] >= 13
    assert all(coverage["listed-only"][lang] >= 11 for lang in LANGUAGES)


# ---------------------------------------------------------------------------- states


def test_state_names_follow_m49_and_unterm(hub):
    database, _app = hub
    text = (DATA / "m49" / "country-codes.csv").read_text(encoding="utf-8-sig")
    unterm = {
        row["ISO3166-1-Alpha-3"]: row["UNTERM English Short"]
        for row in csv.DictReader(text.splitlines())
    }
    with database.session() as session:
        states = {s.iso3: s for s in session.scalars(select(State))}
    assert states["CIV"].names["en"] == "Côte d’Ivoire"
    assert "Ivory Coast" in states["CIV"].aliases["en"]  # still found in documents
    checked = 0
    for iso3, short in unterm.items():
        if not short.strip() or iso3 not in states:
            continue
        expected = re.sub(r"\s*\((?:the)\)\s*", "", short).rstrip(" *").strip()
        assert states[iso3].names["en"] == expected, iso3
        checked += 1
    assert checked >= 190
    # names that the UN no longer uses, or never did
    outdated = {"Ivory Coast", "Swaziland", "Turkey", "Czech Republic", "Cape Verde", "Burma"}
    assert outdated.isdisjoint(s.names["en"] for s in states.values())


def test_the_country_page_says_cote_d_ivoire(visitor):
    page = visitor.get("/countries/CIV?lang=en").text
    assert "<h1>Côte d’Ivoire" in page
    assert "Ivory Coast" not in LexborHTMLParser(page).css_first("h1").text()


# ---------------------------------------------------------------------------- process themes


def test_every_free_tag_falls_under_a_theme_or_is_named_as_not_one():
    from rcphub.refdata.files import read_yaml
    from rcphub.refdata.process_themes import unmapped, vocabulary
    from rcphub.web.labels import PROCESS_THEMES

    tags = [t for e in read_yaml("iscm-reference.yaml")["processes"] for t in e.get("themes") or []]
    assert unmapped(tags) == []
    assert unmapped([*tags, "space migration"]) == ["space migration"]  # new data is caught
    assert {code: spec["label"] for code, spec in vocabulary().items()} == PROCESS_THEMES
    gcm = {str(n) for n in range(1, 24)}
    assert all(set(spec["gcm"]) <= gcm for spec in vocabulary().values())


def test_the_theme_filter_offers_a_dozen_themes_in_the_page_language(visitor):
    page = LexborHTMLParser(visitor.get("/processes?lang=ru").text)
    options = [o for o in page.css("#f-theme option") if o.attributes.get("value")]
    assert 10 <= len(options) <= 15
    labels = {o.attributes["value"]: o.text() for o in options}
    assert labels["trafficking-smuggling"].startswith("Торговля людьми и незаконный ввоз мигрантов")
    assert all(not o.attributes.get("lang") for o in options)


def test_a_theme_gathers_the_processes_whose_tags_fall_under_it(visitor):
    def listed(query: str) -> set[str]:
        page = LexborHTMLParser(visitor.get(f"/processes?{query}&lang=en").text)
        return {
            a.attributes["href"].removeprefix("/processes/")
            for a in page.css("main a[href^='/processes/']")
        }

    trafficking = listed("theme=trafficking-smuggling")
    # "people smuggling", "smuggling and trafficking", "trafficking" are words of three sources
    assert {"bali-process", "khartoum-process"} <= trafficking
    health = listed("theme=health")
    assert health
    assert health < listed("theme=")  # a filter, not everything
    # a free tag, as the record pages link it, still filters by the words themselves
    assert "remittances" not in vocabulary_codes()
    assert listed("theme=remittances") <= listed("theme=development")


def vocabulary_codes() -> set[str]:
    from rcphub.refdata.process_themes import vocabulary

    return set(vocabulary())


def test_the_names_list_says_where_a_researched_name_comes_from(visitor):
    page = LexborHTMLParser(visitor.get("/processes/bali-process?lang=fr").text)
    sources = {
        dd.css_first("span").text(): dd.css_first(".name-source")
        for dd in page.css(".names-list dd")
    }
    chinese = sources["巴厘进程"]
    assert chinese.text().startswith("(tel que l'écrit la presse: ")
    assert chinese.css_first("a").attributes["href"].startswith("http://voinews.id/mandarin/")
    assert (
        sources[
            "Processus de Bali sur le trafic illicite d'êtres humains, la traite des "
            "personnes et la criminalité transnationale connexe"
        ]
        is None
    )  # the registry's
