"""The server-rendered pages: every page in the six UN languages, real data facts, error pages,
language negotiation, and nothing loaded from outside the hub."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from html.parser import HTMLParser

import pytest

from rcphub.config import LANGUAGES

with warnings.catch_warnings():
    # Starlette now prefers the httpx2 package for its test client and warns at import when
    # only httpx is installed; the client works the same. (Project-wide fix: add httpx2 to
    # the dev dependencies, or ignore StarletteDeprecationWarning in pytest's settings.)
    warnings.filterwarnings("ignore", message=".*install `httpx2`")
    from fastapi.testclient import TestClient

PAGES = (
    "/",
    "/processes",
    "/processes?kind=rcp&region=002",
    "/processes/bali-process",
    "/processes/iom",
    "/processes/unodc",
    "/countries",
    "/countries?region=142",
    "/countries/PER",
    "/countries/VAT",
    "/meetings",
    "/meetings/hld-2013",
    "/meetings/imrf-2026",
    "/taxonomies",
    "/taxonomies/sdg",
    "/taxonomies/hld2013",
    "/about",
)

# The word for "Processes" in the main navigation, as a UN translator renders it.
NAV_PROCESSES = {
    "en": "Processes",
    "fr": "Processus",
    "es": "Procesos",
    "ru": "Процессы",
    "ar": "العمليات",
    "zh": "进程",
}
SKIP_LINK = {
    "en": "Skip to content",
    "fr": "Aller au contenu",
    "es": "Ir al contenido",
    "ru": "Перейти к основному содержанию",
    "ar": "الانتقال إلى المحتوى",
    "zh": "跳至正文",
}


@pytest.fixture(scope="module")
def web(app) -> Iterator[TestClient]:
    """A client of its own, so the ``lang`` cookie these tests set stays here."""
    with TestClient(app) as client:
        yield client


def fresh(app, **kwargs) -> TestClient:
    return TestClient(app, **kwargs)


def get(client: TestClient, url: str, **kwargs):
    client.cookies.clear()
    return client.get(url, **kwargs)


# ---------------------------------------------------------------------------- HTML helpers


class PageParser(HTMLParser):
    """Collects what the page tests look at: tags with their attributes, and texts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.inline_scripts = 0
        self._in_script_without_src = False
        self.h1_count = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if tag == "script":
            self._in_script_without_src = "src" not in attributes
        if tag == "h1":
            self.h1_count += 1

    def handle_data(self, data: str) -> None:
        if self._in_script_without_src and data.strip():
            self.inline_scripts += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script_without_src = False


def parse(html: str) -> PageParser:
    parser = PageParser()
    parser.feed(html)
    return parser


def html_lang(html: str) -> tuple[str, str]:
    match = re.search(r'<html lang="([a-z]+)" dir="(ltr|rtl)">', html)
    assert match, "no <html lang dir>"
    return match.group(1), match.group(2)


def section(html: str, start_marker: str, end_marker: str = "</section>") -> str:
    start = html.index(start_marker)
    return html[start : html.index(end_marker, start)]


def table_row(html: str, marker: str) -> str:
    position = html.index(marker)
    return html[html.rindex("<tr", 0, position) : html.index("</tr>", position)]


# ---------------------------------------------------------------------------- every page


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("path", PAGES)
def test_every_page_answers_in_every_language(web: TestClient, path: str, lang: str) -> None:
    joiner = "&" if "?" in path else "?"
    response = get(web, f"{path}{joiner}lang={lang}")
    assert response.status_code == 200, response.text[:500]
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["content-language"] == lang
    assert html_lang(response.text) == (lang, "rtl" if lang == "ar" else "ltr")
    html = response.text
    assert re.search(rf'<a href="/processes"[^>]*>{NAV_PROCESSES[lang]}</a>', html)
    assert f'<a class="skip-link" href="#main">{SKIP_LINK[lang]}</a>' in html
    assert parse(html).h1_count == 1


def test_switcher_links_keep_path_and_query(web: TestClient) -> None:
    html = get(web, "/processes?kind=rcp&lang=fr").text
    for lang, name in (("ar", "العربية"), ("zh", "中文"), ("ru", "Русский"), ("en", "English")):
        link = f'<a href="/processes?kind=rcp&amp;lang={lang}" hreflang="{lang}"'
        assert link in html
        assert re.search(re.escape(link) + r"[^>]*>" + name + "</a>", html)
    assert 'hreflang="fr" aria-current="true">Français</a>' in html


# ---------------------------------------------------------------------------- data facts


def test_country_names_in_the_page_language(web: TestClient) -> None:
    assert "<h1>Перу</h1>" in get(web, "/countries/PER?lang=ru").text
    assert "<h1>中国</h1>" in get(web, "/countries/CHN?lang=zh").text
    assert "<h1>بيرو</h1>" in get(web, "/countries/PER?lang=ar").text
    french = get(web, "/countries/PER?lang=fr").text
    assert "<h1>Pérou</h1>" in french
    assert "République du Pérou" in french  # the formal name
    assert "Amérique latine et Caraïbes" in french  # the sub-region, from M49 in French


def test_process_without_a_french_name_falls_back_visibly(web: TestClient) -> None:
    html = get(web, "/processes?lang=fr").text
    link = section(html, 'href="/processes/apc"', "</a>")
    # the Asia-Pacific Consultations have only an English name
    assert '<span class="fallback"><span lang="en">Asia-Pacific Consultations' in link
    assert "(anglais)" in link
    # a process with a French name shows it, unmarked
    bali = section(html, 'href="/processes/bali-process"', "</a>")
    assert "Processus de Bali sur le trafic illicite" in bali
    assert "fallback" not in bali


def test_fallback_in_rtl_page_is_marked_left_to_right(web: TestClient) -> None:
    html = get(web, "/processes?lang=ar").text
    link = section(html, 'href="/processes/apc"', "</a>")
    assert '<span lang="en" dir="ltr">Asia-Pacific Consultations' in link
    assert "(الإنجليزية)" in link


def test_bali_process_members_as_of_and_partial_badge(web: TestClient) -> None:
    html = get(web, "/processes/bali-process?lang=en").text
    members = section(html, 'id="list-members"')
    for country in ("Australia", "Indonesia", "Afghanistan", "Viet Nam"):
        row = table_row(members, f">{country}</a>")
        assert 'class="chip chip--member">Member<' in row
    assert 'href="/countries/AUS"' in members
    # the list is incomplete: 44 of the 45 member States are named in the source
    assert "Partial list: 44 of 45 named" in members
    assert "badge--partial" in members
    assert "IOM French/Spanish Bali Process pages" in members  # the as-of text
    assert 'rel="noopener noreferrer"' in members  # its sources, as links
    # the permanent co-chairs are listed under the chair
    chair = section(html, 'id="list-chair"')
    assert "Australia" in chair
    assert "Permanent co-chair" in chair
    assert "Map of members and observers" in html


def test_bali_process_in_french_and_russian(web: TestClient) -> None:
    french = get(web, "/processes/bali-process?lang=fr").text
    assert "Liste partielle : 44 nommés sur 45" in french
    assert ">Australie</a>" in french
    assert 'class="chip chip--member">Membre<' in french
    assert "Forum interrégional" in french
    russian = get(web, "/processes/bali-process?lang=ru").text
    assert "Неполный список: названо 44 из 45" in russian
    assert ">Австралия</a>" in russian


def test_peru_is_a_member_of_the_south_american_conference(web: TestClient) -> None:
    html = get(web, "/countries/PER?lang=en").text
    row = table_row(html, 'href="/processes/sacm-csm"')
    assert "South American Conference on Migration" in row
    assert 'class="chip chip--member">Member<' in row
    assert "Complete list" in row
    puebla = table_row(html, 'href="/processes/rcm-puebla-process"')
    assert "chip--observer" in puebla
    assert "Global RCP meeting 2013" in html  # Lima hosted the fourth global meeting
    spanish = get(web, "/countries/PER?lang=es").text
    assert "Miembro" in table_row(spanish, 'href="/processes/sacm-csm"')


def test_organisation_page_lists_where_it_takes_part(web: TestClient) -> None:
    html = get(web, "/processes/iom?lang=en").text
    assert "International organisation" in html
    part = section(html, 'id="member-of"')
    assert 'href="/processes/colombo-process"' in part
    assert "Secretariat" in part


def test_meetings_timeline_and_hld_round_tables(web: TestClient) -> None:
    html = get(web, "/meetings?lang=en").text
    for series in (
        "Global Meetings of Chairs and Secretariats of Regional Consultative Processes",
        "Global Forum on Migration and Development",
        "High-level Dialogue on International Migration and Development",
        "International Migration Review Forum",
    ):
        assert f">{series}</h2>" in html
    assert 'href="/meetings/grcp-2005"' in html
    assert 'href="/meetings/imrf-2026"' in html
    hld = get(web, "/meetings/hld-2013?lang=en").text
    round_tables = section(hld, 'id="round-tables"')
    assert round_tables.count("<li>") == 4
    assert "International and regional labour mobility" in round_tables


def test_dates_and_numbers_follow_the_locale(web: TestClient) -> None:
    assert "22–23 mai 2013" in get(web, "/meetings/grcp-2013?lang=fr").text
    assert "мая 2013" in get(web, "/meetings/grcp-2013?lang=ru").text
    assert "2013年5月22日" in get(web, "/meetings/grcp-2013?lang=zh").text
    assert "مايو 2013" in get(web, "/meetings/grcp-2013?lang=ar").text
    # plural forms: 27 meetings
    assert "27 совещаний" in get(web, "/meetings?lang=ru").text
    assert "27 اجتماعًا" in get(web, "/meetings?lang=ar").text
    assert "27 réunions" in get(web, "/meetings?lang=fr").text


def test_sdg_targets_nest_under_their_goal(web: TestClient) -> None:
    html = get(web, "/taxonomies/sdg?lang=es").text
    goal = section(html, 'id="c-10"', "</details>")
    assert 'id="c-10.7"' in goal
    assert "Reducir la desigualdad" in goal
    assert "Objetivos de Desarrollo Sostenible y metas" in html


def test_home_counts_by_kind(web: TestClient) -> None:
    html = get(web, "/?lang=en").text
    assert 'href="/processes?kind=rcp"' in html
    assert "regional consultative processes" in html
    assert "countries and areas" in html
    assert 'for="search-q"' in html  # the search field is labelled
    form = re.search(r'<form class="search"[^>]*>.*?</form>', html, re.DOTALL)
    assert form
    assert 'action="/search"' in form.group()
    assert "disabled" not in form.group()
    assert 'name="q"' in form.group()
    assert "coming soon" not in html


def test_the_home_search_box_leads_to_results(web: TestClient) -> None:
    html = get(web, "/search?lang=en&q=migration").text
    assert 'class="hit"' in html or "No paragraph matches" in html


def test_every_record_has_a_page(app, session) -> None:
    from sqlalchemy import select

    from rcphub.db.models import Body, Meeting, Scheme

    paths = [f"/processes/{ident}" for ident in session.scalars(select(Body.id))]
    paths += [f"/meetings/{ident}" for ident in session.scalars(select(Meeting.id))]
    paths += [f"/taxonomies/{ident}" for ident in session.scalars(select(Scheme.id))]
    paths += [f"/countries/{iso3}" for iso3 in ("XKX", "HKG", "PSE", "ATA", "TUR", "USA")]
    assert len(paths) > 90
    with TestClient(app, raise_server_exceptions=False) as client:
        failed = {path for path in paths if client.get(path).status_code != 200}
    assert failed == set()


# ---------------------------------------------------------------------------- errors


def test_unknown_process_suggests_the_right_one(web: TestClient) -> None:
    response = get(web, "/processes/bali?lang=en")
    assert response.status_code == 404
    assert '<a href="/processes/bali-process">bali-process</a>' in response.text
    assert html_lang(response.text) == ("en", "ltr")


def test_error_page_in_the_visitors_language(web: TestClient) -> None:
    response = get(web, "/countries/XXX?lang=ar")
    assert response.status_code == 404
    assert html_lang(response.text) == ("ar", "rtl")
    assert "غير موجود" in response.text


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/processes?kind=nonsense", 422),
        ("/processes?region=999", 422),
        ("/processes?region=<script>alert(1)</script>", 422),
        ("/countries/XXX", 404),
        ("/countries?region=999", 404),
        ("/meetings?series=olympics", 422),
        ("/meetings?year=abc", 422),
        ("/meetings/grcp-1999", 404),
        ("/taxonomies/sdgs", 404),
        ("/processes/" + "x" * 300, 404),
        ("/no/such/page", 404),
        ("/static/nothing.css", 404),
    ],
)
def test_bad_input_gives_a_readable_4xx(web: TestClient, url: str, status: int) -> None:
    response = get(web, url)
    assert response.status_code == status
    assert response.headers["content-type"].startswith("text/html")
    assert "Traceback" not in response.text
    assert parse(response.text).h1_count == 1


def test_suggestions_for_meetings_and_taxonomies(web: TestClient) -> None:
    assert 'href="/taxonomies/sdg"' in get(web, "/taxonomies/sdgs").text
    assert 'href="/meetings/grcp-2019"' in get(web, "/meetings/grcp-2018").text


@pytest.mark.parametrize(
    "url",
    [
        "/processes?region=<script>alert(1)</script>",
        "/processes?theme=<img src=x onerror=alert(1)>",
        '/countries?region="><script>alert(1)</script>',
        "/processes/<script>alert(1)</script>",
        "/meetings?series=<b>x</b>&lang=fr",
    ],
)
def test_hostile_input_is_escaped(web: TestClient, url: str) -> None:
    html = get(web, url).text
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "<b>x</b>" not in html


def test_switcher_never_links_off_site(web: TestClient) -> None:
    html = get(web, "http://testserver//evil.example/processes").text
    assert 'href="//evil' not in html


def test_canonical_redirects(web: TestClient) -> None:
    response = get(web, "/countries/per?lang=fr", follow_redirects=False)
    assert response.status_code == 301
    assert response.headers["location"] == "/countries/PER?lang=fr"
    assert get(web, "/organisations/iom", follow_redirects=False).headers["location"] == (
        "/processes/iom"
    )


# ---------------------------------------------------------------------------- language choice


def test_query_beats_cookie_and_sets_the_cookie(app) -> None:
    with fresh(app, cookies={"lang": "zh"}) as client:
        response = client.get("/about?lang=fr", headers={"Accept-Language": "ru"})
        assert html_lang(response.text)[0] == "fr"
        assert "lang=fr" in response.headers["set-cookie"]
        # the cookie now decides, on a page without ?lang=
        assert html_lang(client.get("/about").text)[0] == "fr"


def test_cookie_beats_accept_language(app) -> None:
    with fresh(app, cookies={"lang": "ru"}) as client:
        response = client.get("/about", headers={"Accept-Language": "es"})
        assert html_lang(response.text)[0] == "ru"
        assert "set-cookie" not in response.headers


@pytest.mark.parametrize(
    ("header", "lang"),
    [
        ("es", "es"),
        ("zh-CN,zh;q=0.9,en;q=0.8", "zh"),
        ("zh-Hans", "zh"),
        ("ar-EG", "ar"),
        ("de-DE, fr;q=0.2, ru;q=0.7", "ru"),
        ("en;q=0, ar;q=0.1", "ar"),
        ("de, it", "en"),
        ("*", "en"),
        ("fr;q=nonsense, es;q=0.5", "es"),
    ],
)
def test_accept_language_decides_without_cookie(app, header: str, lang: str) -> None:
    with fresh(app) as client:
        response = client.get("/about", headers={"Accept-Language": header})
        assert html_lang(response.text)[0] == lang


def test_unknown_query_language_is_ignored(app) -> None:
    with fresh(app) as client:
        response = client.get("/about?lang=xx", headers={"Accept-Language": "ru"})
        assert html_lang(response.text)[0] == "ru"
        assert "set-cookie" not in response.headers


def test_default_language_from_settings(loaded_database) -> None:
    from rcphub.app import create_app

    settings = loaded_database.settings.model_copy(update={"default_language": "es"})
    with fresh(create_app(settings, database=loaded_database)) as client:
        assert html_lang(client.get("/about").text)[0] == "es"
        assert html_lang(client.get("/about", headers={"Accept-Language": "zh"}).text)[0] == "zh"


# ---------------------------------------------------------------------------- offline, CSP-ready


def _is_local(url: str | None) -> bool:
    return bool(url) and not re.match(r"^([a-z][a-z0-9+.-]*:|//)", url, re.IGNORECASE)


@pytest.mark.parametrize("path", [*PAGES, "/processes/bali", "/countries?region=xyz"])
def test_nothing_is_loaded_from_outside(web: TestClient, path: str) -> None:
    page = parse(get(web, path).text)
    for tag, attributes in page.tags:
        for name in attributes:
            assert not name.startswith("on"), f"inline handler {name} on <{tag}>"
            assert name != "style", f"style attribute on <{tag}>"
        if "src" in attributes:
            assert _is_local(attributes["src"]), f"<{tag} src={attributes['src']}>"
        if tag == "link":
            assert _is_local(attributes.get("href")), f"<link href={attributes.get('href')}>"
        if tag == "object":
            assert _is_local(attributes.get("data"))
    assert page.inline_scripts == 0
    assert not any(tag == "style" for tag, _ in page.tags)


@pytest.mark.parametrize("path", PAGES)
def test_pages_are_accessible_by_structure(web: TestClient, path: str) -> None:
    page = parse(get(web, path).text)
    ids = {a.get("id") for _, a in page.tags if a.get("id")}
    labelled = {a.get("for") for tag, a in page.tags if tag == "label"}
    for tag, attributes in page.tags:
        if tag in ("select", "textarea") or (
            tag == "input" and attributes.get("type") not in ("hidden", "submit")
        ):
            assert attributes.get("id") in labelled, f"unlabelled <{tag}>"
        if tag == "th":
            assert attributes.get("scope") in ("col", "row"), "<th> without scope"
        for reference in ("aria-labelledby", "aria-describedby"):
            for target in (attributes.get(reference) or "").split():
                assert target in ids, f"{reference}={target} points at nothing"
    tables = sum(1 for tag, _ in page.tags if tag == "table")
    captions = sum(1 for tag, _ in page.tags if tag == "caption")
    assert tables == captions
    assert "main" in ids
    assert ("meta", {"name": "viewport", "content": "width=device-width, initial-scale=1"}) in (
        page.tags
    )


def test_static_files_are_served(web: TestClient) -> None:
    for path in ("/static/css/site.css", "/static/js/site.js", "/static/favicon.svg"):
        assert get(web, path).status_code == 200, path
    css = get(web, "/static/css/site.css").text
    # right-to-left works through logical properties, not physical ones
    assert not re.search(r"(margin|padding|border)-(left|right)\s*:", css)
    assert not re.search(r"float:\s*(left|right)", css)
    assert get(web, "/favicon.ico", follow_redirects=False).headers["location"] == (
        "/static/favicon.svg"
    )


PAGE_ROUTES = [
    "/processes/{}",
    "/organisations/{}",
    "/countries/{}",
    "/meetings/{}",
    "/taxonomies/{}",
    "/processes?kind={}",
    "/processes?region={}",
    "/processes?theme={}",
    "/countries?region={}",
    "/meetings?series={}",
    "/meetings?year={}",
    "/?lang={}",
]
HOSTILE = [
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "%00",
    "..%2F..%2Fetc%2Fpasswd",
    "x" * 5000,
    "ñ漢字العربية",
    "-1",
    "99999999999999999999999",
    "%FF%FE",
]


def test_every_page_route_survives_bad_values(app) -> None:
    """Walk every page route with hostile IDs and parameters: a readable page, never a 500."""
    with TestClient(app, raise_server_exceptions=False, follow_redirects=True) as client:
        for route in PAGE_ROUTES:
            for value in HOSTILE:
                url = route.format(value)
                response = client.get(url)
                assert response.status_code < 500, url
                assert "<script>alert" not in response.text, url
                assert "Traceback" not in response.text, url
