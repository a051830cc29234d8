"""The analytics pages on the real data, on both databases: every page in the six languages,
known figures from the UN DESA source, downloads that hold exactly what the charts draw, PNG
images, the basis and caveats stated, and readable 4xx pages for bad input."""

from __future__ import annotations

import csv
import io
import re
import warnings
import xml.etree.ElementTree as ET
from collections.abc import Iterator

import pytest

from rcphub.config import LANGUAGES
from tests.test_analytics import _reference_members
from tests.test_web_pages import html_lang, parse

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message=".*install `httpx2`")
    from fastapi.testclient import TestClient

SVG = "{http://www.w3.org/2000/svg}"
PUEBLA = "/analytics/processes/rcm-puebla-process"
PAGES = (
    "/analytics",
    "/analytics?observers=1&year=2010",
    PUEBLA,
    f"{PUEBLA}?year=1990",
    "/analytics/processes/budapest-process",
    "/analytics/processes/ecowas",  # a regional body whose members are dated
    "/analytics/processes/apc",  # no list of member States
    "/analytics/countries/MEX",
    "/analytics/countries/ATA",  # no UN DESA figures
)
HEADING = {  # the <h1> of /analytics in each language
    "en": "Analytics",
    "fr": "Analyses",
    "es": "Análisis",
    "ru": "Аналитика",
    "ar": "التحليلات",
    "zh": "分析",
}
CAVEAT = {  # the box that says what the figures cannot show
    "en": "What these figures can and cannot show",
    "fr": "Ce que ces chiffres peuvent montrer, et ce qu'ils ne montrent pas",
    "es": "Lo que estas cifras pueden mostrar y lo que no",
    "ru": "Что эти данные показывают и чего не показывают",
    "ar": "ما تبينه هذه الأرقام وما لا تبينه",
    "zh": "这些数字能说明什么、不能说明什么",
}
MEX_USA_2020 = 10_853_105
MEX_USA_SHOWN = {  # the figure as each locale writes it
    "en": "10,853,105",
    "fr": "10\u202f853\u202f105",  # narrow no-break spaces
    "es": "10.853.105",
    "ru": "10\xa0853\xa0105",
    "ar": "10,853,105",
    "zh": "10,853,105",
}


@pytest.fixture(scope="module")
def web(app) -> Iterator[TestClient]:
    with TestClient(app) as client:
        yield client


def get(client: TestClient, url: str, **kwargs):
    client.cookies.clear()
    return client.get(url, **kwargs)


def svg_in(html: str, marker: str) -> ET.Element:
    """The chart whose <svg> has the class ``marker`` (e.g. ``rcp-chart__svg--heatmap``)."""
    start = html.index("<svg", html.index(marker) - 400)
    end = html.index("</svg>", start) + len("</svg>")
    return ET.fromstring(html[start:end])  # noqa: S314 - the hub's own output


def figure(html: str, key: str) -> str:
    start = html.index(f'id="section-{key}"')
    return html[start : html.index("</section>", start)]


def read_csv(text: str) -> tuple[list[str], list[list[str]], list[str]]:
    assert text.startswith("\ufeff")  # UTF-8 with a BOM, as every CSV of the hub
    lines = text.removeprefix("\ufeff").splitlines()
    comments = [line for line in lines if line.startswith("# ")]
    rows = list(csv.reader(line for line in lines if not line.startswith("# ")))
    return rows[0], rows[1:], comments


# ---------------------------------------------------------------------------- every page


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("path", PAGES)
def test_every_analytics_page_in_every_language(web: TestClient, path: str, lang: str) -> None:
    joiner = "&" if "?" in path else "?"
    response = get(web, f"{path}{joiner}lang={lang}")
    assert response.status_code == 200, response.text[:300]
    assert html_lang(response.text) == (lang, "rtl" if lang == "ar" else "ltr")
    page = parse(response.text)
    assert page.h1_count == 1
    assert page.inline_scripts == 0
    for tag, attributes in page.tags:
        assert "style" not in attributes, f"style attribute on <{tag}>"
        assert not any(name.startswith("on") for name in attributes)
        for name in ("src", "href"):
            value = attributes.get(name) or ""
            assert not re.match(r"^(https?:)?//", value) or tag == "a", value
    ids = {a.get("id") for _, a in page.tags if a.get("id")}
    labelled = {a.get("for") for tag, a in page.tags if tag == "label"}
    for tag, attributes in page.tags:
        if tag == "select":
            assert attributes.get("id") in labelled
        if tag == "th":
            assert attributes.get("scope") in ("col", "row")
        for reference in ("aria-labelledby", "aria-describedby"):
            for target in (attributes.get(reference) or "").split():
                assert target in ids, f"{reference}={target} points at nothing"
    tables = sum(1 for tag, _ in page.tags if tag == "table")
    assert tables == sum(1 for tag, _ in page.tags if tag == "caption")
    # the page in the navigation is marked as the current section
    assert re.search(r'<a href="/analytics" aria-current="page">', response.text)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_headings_and_caveats_are_translated(web: TestClient, lang: str) -> None:
    html = get(web, f"/analytics?lang={lang}").text
    assert f"<h1>{HEADING[lang]}</h1>" in html
    puebla = get(web, f"{PUEBLA}?lang={lang}").text
    assert CAVEAT[lang] in puebla
    assert "CC BY 3.0 IGO" in puebla


def test_navigation_and_record_pages_link_to_analytics(web: TestClient) -> None:
    assert 'href="/analytics"' in get(web, "/?lang=fr").text
    assert f'href="{PUEBLA}"' in get(web, "/processes/rcm-puebla-process").text
    assert 'href="/analytics/countries/MEX"' in get(web, "/countries/MEX").text


# ---------------------------------------------------------------------------- known figures


@pytest.mark.parametrize("lang", LANGUAGES)
def test_mexico_to_usa_2020_on_the_puebla_process_page(web: TestClient, lang: str) -> None:
    html = get(web, f"{PUEBLA}?lang={lang}").text
    corridors = svg_in(html, "chart-corridors-title")
    bars = {g.get("data-category"): g for g in corridors.iter(f"{SVG}g") if g.get("data-value")}
    assert bars["MEX-USA"].get("data-value") == str(MEX_USA_2020)
    shown = [t.text for t in bars["MEX-USA"].iter(f"{SVG}text")]
    assert shown == [MEX_USA_SHOWN[lang]]
    assert MEX_USA_SHOWN[lang] in figure(html, "corridors")  # the table under the chart


def test_mexico_to_usa_2020_in_the_downloads(web: TestClient) -> None:
    from openpyxl import load_workbook

    response = get(web, f"{PUEBLA}/corridors.csv?year=2020&lang=en")
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    header, rows, comments = read_csv(response.text)
    assert header[0] == "Country of birth (code)"
    stock = header.index("Migrants")
    row = next(r for r in rows if r[0] == "MEX" and r[2] == "USA")
    assert int(row[stock]) == MEX_USA_2020
    assert any("CC BY 3.0 IGO" in line for line in comments)

    book = load_workbook(io.BytesIO(get(web, f"{PUEBLA}/migration.xlsx?year=2020").content))
    assert {"summary", "corridors", "trend", "members", "source"} <= set(book.sheetnames)
    corridors = list(book["corridors"].iter_rows(values_only=True))
    assert ("MEX", "Mexico", "USA", "United States of America", 2020, MEX_USA_2020) in corridors
    source = " ".join(str(c) for r in book["source"].iter_rows(values_only=True) for c in r if c)
    assert "International Migrant Stock 2020" in source


def test_headline_figures_in_the_locale(web: TestClient) -> None:
    api = get(web, "/api/v1/analytics/migration/process/rcm-puebla-process?year=2020").json()
    french = get(web, f"{PUEBLA}?lang=fr").text
    intra = f"{api['intra_stock']:,}".replace(",", "\u202f")
    assert '<div data-key="intra_stock"><dt>' in french
    assert f"<dd>{intra}</dd>" in french
    share = f"{api['intra_share_of_emigrants'] * 100:.1f}".replace(".", ",")
    assert f"<dd>{share}\xa0%</dd>" in french
    english = get(web, f"{PUEBLA}?lang=en").text
    assert f"<dd>{api['intra_stock']:,}</dd>" in english


def test_basis_and_caveats_are_stated(web: TestClient) -> None:
    html = get(web, f"{PUEBLA}?lang=en").text
    assert "today&#39;s membership is applied to every year" in html
    assert "country of birth is unknown" in html
    assert "The process was founded in 1996" in html
    french = get(web, f"{PUEBLA}?lang=fr").text
    assert "la composition actuelle est donc appliquée à chaque année" in french
    # ECOWAS dates who joined and left: its basis says so
    ecowas = get(web, "/analytics/processes/ecowas?lang=en").text
    assert "Membership as of each year where the sources date joining or leaving" in ecowas
    # no list of members: said, not an error, and no figure shown as if it were zero
    apc = get(web, "/analytics/processes/apc?lang=en")
    assert apc.status_code == 200
    assert "no list of member States for this process" in apc.text
    assert "the figures are unknown, not zero" in apc.text
    assert 'class="figures"' not in apc.text
    assert 'data-key="intra_stock"' not in apc.text
    pafom = get(web, "/analytics/processes/pafom?lang=fr").text
    assert "les chiffres sont inconnus, et non nuls" in pafom.lower()
    assert "All AU Member States" in pafom
    overview = get(web, "/analytics?lang=en").text
    assert "Membership as last seen in the sources." in overview


def test_country_page_breaks_migration_down_by_process(web: TestClient) -> None:
    api = get(web, "/api/v1/analytics/migration/state/MEX").json()
    html = get(web, "/analytics/countries/MEX?lang=en").text
    chart = svg_in(html, "chart-by-process-title")
    drawn = {
        (g.get("data-category"), g.get("data-series")): int(g.get("data-value"))
        for g in chart.iter(f"{SVG}g")
        if g.get("data-value")
    }
    for share in api["by_process"]:
        assert drawn[(share["process"], "emigrants_to_members")] == share["emigrants_to_members"]
    header, rows, _ = read_csv(get(web, "/analytics/countries/MEX/processes.csv").text)
    column = header.index("Emigrants to the other members")
    assert {(r[0], int(r[column])) for r in rows} == {
        (s["process"], s["emigrants_to_members"]) for s in api["by_process"]
    }
    destinations = read_csv(get(web, "/analytics/countries/MEX/destinations.csv").text)[1]
    assert (destinations[0][2], int(destinations[0][-1])) == ("USA", MEX_USA_2020)


def test_overview_as_of_a_year_leaves_out_processes_not_yet_founded(web: TestClient) -> None:
    # the Khartoum Process was founded in 2014: not in the overlap of 2010, whatever its
    # list of today says
    html = get(web, "/analytics?year=2010&lang=en").text
    heatmap = svg_in(html, "chart-overlap-title")
    rows = {g.get("data-row") for g in heatmap.iter(f"{SVG}g") if g.get("class") == "hm-cell"}
    assert "rabat-process" in rows
    assert "khartoum-process" not in rows
    network = svg_in(html, "chart-network-title")
    drawn = {p.get(k) for p in network.iter(f"{SVG}path") for k in ("data-a", "data-b")}
    assert "khartoum-process" not in drawn
    assert "khartoum-process" not in figure(html, "bridges")
    assert "Processes founded after 2010 are left out:" in html
    assert "Khartoum Process" in html[html.index("Processes founded after 2010") :][:2000]
    _, csv_rows, _ = read_csv(get(web, "/analytics/overlap.csv?year=2010").text)
    assert csv_rows
    assert not any("khartoum-process" in (r[0], r[2]) for r in csv_rows)
    _, bridge_rows, _ = read_csv(get(web, "/analytics/bridges.csv?year=2010").text)
    api = get(web, "/api/v1/analytics/overlap?year=2010").json()["bridges"]
    expected = {b["iso3"]: b["process_count"] for b in api}
    assert {r[0]: int(r[2]) for r in bridge_rows} == {r[0]: expected[r[0]] for r in bridge_rows}
    assert not any("Khartoum" in r[3] for r in bridge_rows)
    today = {r[0]: int(r[2]) for r in read_csv(get(web, "/analytics/bridges.csv").text)[1]}
    assert today["ESP"] == {r[0]: int(r[2]) for r in bridge_rows}["ESP"] + 1  # Khartoum
    latest = get(web, "/analytics?lang=en").text
    assert "khartoum-process" in figure(latest, "overlap")
    assert "are left out" not in latest
    # before any process: an empty overview, not an error
    empty = get(web, "/analytics?year=1950&lang=ru")
    assert empty.status_code == 200
    assert "Процессы, созданные после 1950 года, не учитываются" in empty.text


def test_country_as_of_a_year_says_which_processes_are_left_out(web: TestClient) -> None:
    html = get(web, "/analytics/countries/MEX?year=1990&lang=en").text
    assert "Processes founded after 1990 are left out:" in html
    assert "rcm-puebla-process" not in figure(html, "processes")


# ---------------------------------------------------------------------------- downloads = charts


def test_overlap_csv_rows_are_the_heatmap_cells(web: TestClient) -> None:
    html = get(web, "/analytics?lang=en").text
    heatmap = svg_in(html, "chart-overlap-title")
    cells = {
        (g.get("data-row"), g.get("data-col")): (
            int(g.get("data-count")),
            float(g.get("data-value")),
        )
        for g in heatmap.iter(f"{SVG}g")
        if g.get("class") == "hm-cell"
    }
    header, rows, comments = read_csv(get(web, "/analytics/overlap.csv?lang=en").text)
    assert header == [
        "Process code", "Process", "Other process code", "Other process", "States in both",
        "Jaccard index",
    ]  # fmt: skip
    assert {(r[0], r[2]): (int(r[4]), float(r[5])) for r in rows} == cells
    assert len(rows) == len(cells)
    assert comments  # the source line
    # and the counts are those of the membership lists
    members = _reference_members()
    for (a, b), (count, _) in cells.items():
        assert count == len(members[a] & members[b]), (a, b)


def test_overlap_with_observers_is_another_download(web: TestClient) -> None:
    members = read_csv(get(web, "/analytics/overlap.csv").text)[1]
    observers = read_csv(get(web, "/analytics/overlap.csv?observers=1").text)[1]
    diagonal = sum(int(r[4]) for r in members if r[0] == r[2])
    assert sum(int(r[4]) for r in observers if r[0] == r[2]) > diagonal
    response = get(web, "/analytics/overlap.csv?observers=1&year=2010")
    assert "rcphub-overlap-observers-2010.csv" in response.headers["content-disposition"]


def test_network_csv_rows_are_the_lines_drawn(web: TestClient) -> None:
    html = get(web, "/analytics?lang=en").text
    network = svg_in(html, "chart-network-title")
    edges = {
        (p.get("data-a"), p.get("data-b")): int(p.get("data-value"))
        for p in network.iter(f"{SVG}path")
        if p.get("data-a")
    }
    _, rows, _ = read_csv(get(web, "/analytics/network.csv").text)
    assert {(r[0], r[2]): int(r[4]) for r in rows} == edges
    assert min(edges.values()) >= 3


def test_growth_and_timeline_downloads_match(web: TestClient) -> None:
    html = get(web, "/analytics?lang=en").text
    area = svg_in(html, "chart-growth-title")
    drawn = {
        int(r.get("data-x")): dict(item.split("=") for item in r.get("data-values").split(";"))
        for r in area.iter(f"{SVG}rect")
        if r.get("data-x")
    }
    _, rows, _ = read_csv(get(web, "/analytics/growth.csv").text)
    for row in rows:
        year = int(row[0])
        kinds = drawn[year]
        assert [int(float(kinds[k])) for k in kinds] == [int(v) for v in row[1 : 1 + len(kinds)]]
    assert len(rows) == len(drawn)
    timeline = svg_in(html, "chart-timeline-title")
    events = {
        (g.get("data-lane"), int(g.get("data-year")), g.get("data-key"))
        for g in timeline.iter(f"{SVG}g")
        if g.get("data-key")
    }
    _, rows, _ = read_csv(get(web, "/analytics/timeline.csv").text)
    assert {(r[0], int(r[2]), r[3]) for r in rows} == events
    assert ("grcp", 2013, "grcp-2013") in events


def test_bridges_and_map_downloads(web: TestClient) -> None:
    html = get(web, "/analytics?lang=en").text
    header, rows, _ = read_csv(get(web, "/analytics/bridges.csv").text)
    assert header[:3] == ["Code", "Country or area", "Number of processes"]
    assert rows[0][:3] == ["ESP", "Spain", "7"]
    bridges = figure(html, "bridges")
    assert bridges.count("<tr>") == len(rows) + 1  # the table shows the same rows
    _, states, _ = read_csv(get(web, "/analytics/states.csv").text)
    counts = {r[0]: int(r[2]) for r in states}
    assert counts["ESP"] == 7
    map_section = figure(html, "states")
    assert 'data-iso3="ESP"' in map_section
    assert get(web, "/analytics/bridges.png").status_code == 404  # a table has no picture


@pytest.mark.parametrize(
    "url",
    [
        "/analytics/overlap.png",
        "/analytics/network.png?lang=zh",
        "/analytics/states.png?lang=ar",
        "/analytics/growth.png",
        "/analytics/timeline.png?lang=ru",
        f"{PUEBLA}/members.png?lang=fr",
        f"{PUEBLA}/corridors.png?lang=ar",
        f"{PUEBLA}/trend.png?year=2000",
        "/analytics/countries/MEX/processes.png?lang=es",
    ],
)
def test_png_downloads_are_real_images(web: TestClient, url: str) -> None:
    response = get(web, url)
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/png"
    body = response.content
    assert body.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(body) > 20_000
    width, height = int.from_bytes(body[16:20], "big"), int.from_bytes(body[20:24], "big")
    assert width > 600
    assert height > 150


def test_xlsx_download_in_arabic_reads_right_to_left(web: TestClient) -> None:
    from openpyxl import load_workbook

    response = get(web, "/analytics/overlap.xlsx?lang=ar")
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["overlap"]
    assert sheet.sheet_view.rightToLeft
    assert next(sheet.iter_rows(values_only=True))[-1] == "مؤشر جاكار"


# ---------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/analytics?year=abc", 422),
        ("/analytics?year=1800", 422),
        ("/analytics?observers=maybe", 422),
        ("/analytics/processes/nope", 404),
        ("/analytics/processes/rcm-puebla", 404),
        (f"{PUEBLA}?year=1993", 422),
        (f"{PUEBLA}?year=2050", 422),
        (f"{PUEBLA}?year=x", 422),
        ("/analytics/countries/XXX", 404),
        ("/analytics/countries?country=Atlantis", 404),
        ("/analytics/nothing.csv", 404),
        ("/analytics/overlap.pdf", 404),
        ("/analytics/overlap", 404),
        (f"{PUEBLA}/nothing.csv", 404),
        (f"{PUEBLA}/migration.png", 404),
        ("/analytics/processes/apc/corridors.csv", 404),
        ("/analytics/countries/MEX/migration.csv", 404),
        ("/analytics/countries/MEX/processes.csv?year=1991", 422),
    ],
)
def test_bad_input_gives_a_readable_4xx(web: TestClient, url: str, status: int) -> None:
    response = get(web, url)
    assert response.status_code == status, url
    assert response.headers["content-type"].startswith("text/html")
    assert "Traceback" not in response.text
    assert parse(response.text).h1_count == 1


def test_unknown_process_suggests_its_analytics(web: TestClient) -> None:
    html = get(web, "/analytics/processes/rcm-puebla?lang=en").text
    assert f'href="{PUEBLA}"' in html


@pytest.mark.parametrize(
    "value", ["<script>alert(1)</script>", "' OR 1=1 --", "%00", "x" * 3000, "ñ漢字العربية", "-1"]
)
def test_hostile_values_never_500(app, value: str) -> None:
    with TestClient(app, raise_server_exceptions=False) as client:
        for route in (
            "/analytics?year={}",
            "/analytics?observers={}",
            "/analytics/processes/{}",
            "/analytics/countries/{}",
            "/analytics/{}.csv",
            f"{PUEBLA}?year={{}}",
            f"{PUEBLA}/{{}}.png",
            "/analytics/countries?country={}",
        ):
            response = client.get(route.format(value))
            assert response.status_code < 500, route.format(value)
            assert "<script>alert" not in response.text


def test_country_form_goes_to_the_country(web: TestClient) -> None:
    response = get(web, "/analytics/countries?country=mex", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/analytics/countries/MEX"
    canonical = get(web, "/analytics/countries/mex?year=2015", follow_redirects=False)
    assert canonical.headers["location"] == "/analytics/countries/MEX?year=2015"


# ---------------------------------------------------------------------------- cache


def test_cache_is_emptied_when_the_data_changes() -> None:
    from rcphub.web.analytics.cache import AnalyticsCache

    cache = AnalyticsCache(max_entries=2)
    cache.check(("v1",))
    assert cache.get("a", lambda: 1) == 1
    assert cache.get("a", lambda: 2) == 1  # kept
    cache.check(("v1",))
    assert cache.get("a", lambda: 3) == 1
    cache.check(("v2",))  # the reference data was reloaded
    assert cache.get("a", lambda: 4) == 4
    cache.get("b", lambda: 5)
    cache.get("c", lambda: 6)
    assert len(cache) == 2  # least recently used out
    assert cache.get("a", lambda: 7) == 7


def _intra_stock_shown(client: TestClient, url: str) -> int:
    html = client.get(url).text
    found = re.search(r'<div data-key="intra_stock"><dt>[^<]*</dt><dd>([\d,]+)</dd>', html)
    assert found, html[:500]
    return int(found.group(1).replace(",", ""))


def test_a_real_reload_empties_the_cache(database_factory) -> None:
    """The data drifts (a membership row is lost), a page is computed and cached from it,
    then `rcphub load` restores the bundled data: the page shows the restored figures."""
    from sqlalchemy import delete

    from rcphub.app import create_app
    from rcphub.bootstrap import prepare_database
    from rcphub.db.models import Membership

    database = database_factory.new()
    app = create_app(database.settings, database=database)
    url = "/analytics/processes/midsa?lang=en"
    with TestClient(app) as client:
        bundled = client.get("/api/v1/analytics/migration/process/midsa").json()["intra_stock"]
        with database.session() as session:
            session.execute(
                delete(Membership).where(
                    Membership.body_id == "midsa", Membership.state_iso3 == "ZAF"
                )
            )
        drifted = _intra_stock_shown(client, url)
        assert drifted < bundled  # South Africa hosts most of the region's migrants
        assert _intra_stock_shown(client, url) == drifted  # cached
        report = prepare_database(database, force_load=True)  # what `rcphub load` does
        assert report is not None
        assert report.changed
        assert _intra_stock_shown(client, url) == bundled


def test_ingest_keeps_the_cache(database_factory, tmp_path) -> None:
    """The analytics read only the reference data: storing a document does not empty it."""
    from rcphub.app import create_app
    from rcphub.documents.ingest import Ingestor

    database = database_factory.new()
    app = create_app(database.settings, database=database)
    cache = app.state.web_analytics_cache
    with TestClient(app) as client:
        client.get("/analytics")
        misses = cache.misses
        path = tmp_path / "note.txt"
        path.write_text("The Budapest Process met in Istanbul in 2013.\n", encoding="utf-8")
        outcomes = Ingestor(database).ingest_paths([path])
        assert [(o.created, o.error) for o in outcomes] == [(True, None)], outcomes
        client.get("/analytics")
        assert cache.misses == misses


def test_warm_up_fills_the_cache_before_the_first_visitor(loaded_database) -> None:
    from rcphub.app import create_app
    from rcphub.web.warmup import ANALYTICS_PAGES, warm_pages

    app = create_app(loaded_database.settings, database=loaded_database)
    warmed = warm_pages(app)
    assert len(warmed.pages) == len(ANALYTICS_PAGES) * len(LANGUAGES)
    assert warmed.failed == []
    cache = app.state.web_analytics_cache
    misses = cache.misses
    with TestClient(app) as client:
        for lang in LANGUAGES:
            for path in ANALYTICS_PAGES:
                assert client.get(f"{path}?lang={lang}").status_code == 200
    assert cache.misses == misses  # every page of the warm-up came from the cache
    # a page that fails is reported, never raised: the server still starts
    failed = warm_pages(app, ["/analytics/processes/no-such-process"], ["en"])
    assert failed.failed == [("/analytics/processes/no-such-process?lang=en", 404)]


def test_pages_follow_a_reload_of_the_data(app, loaded_database) -> None:
    from sqlalchemy import update

    from rcphub.db.models import LoadRecord

    def set_loaded_at(value: str) -> None:
        with loaded_database.session() as session:
            session.execute(
                update(LoadRecord).where(LoadRecord.name == "reference").values(loaded_at=value)
            )

    with loaded_database.session() as session:
        original = session.get(LoadRecord, "reference").loaded_at
    cache = app.state.web_analytics_cache
    with TestClient(app) as client:
        client.get("/analytics")
        misses = cache.misses
        client.get("/analytics")
        assert cache.misses == misses  # served from the cache
        set_loaded_at("2099-01-01T00:00:00+00:00")  # as `rcphub load` does
        try:
            client.get("/analytics")
            assert cache.misses > misses  # computed anew
        finally:
            set_loaded_at(original)
