"""The whole registry as data: processes, memberships, meetings and states downloaded as CSV and
JSON from the pages' links and the API, read back and compared with what the API's own
endpoints say; and every CSV of the hub is one format (UTF-8 with a BOM), written by one
helper."""

from __future__ import annotations

import ast
import csv
import io
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from rcphub.config import LANGUAGES
from rcphub.csvfile import csv_text, read_csv_text, undefuse

SRC = Path(__file__).resolve().parents[1] / "src" / "rcphub"
TABLES = ("processes", "memberships", "meetings", "states")


def read_csv(content: bytes) -> list[dict[str, str]]:
    assert content.startswith(b"\xef\xbb\xbf"), content[:20]  # the UTF-8 byte-order mark
    text = content.decode("utf-8")
    assert text.count("\ufeff") == 1
    return list(csv.DictReader(io.StringIO(read_csv_text(content, max_bytes=10**8), newline="")))


def as_csv_cell(value: object) -> str:
    """How the JSON value of a cell is written in the CSV (the format the docs state)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value)


@pytest.fixture(scope="module")
def downloads(client):  # type: ignore[no-untyped-def]
    found = {}
    for table in TABLES:
        as_csv = client.get(f"/api/v1/registry/{table}.csv")
        as_json = client.get(f"/api/v1/registry/{table}.json")
        assert as_csv.status_code == as_json.status_code == 200, table
        assert as_csv.headers["content-type"] == "text/csv; charset=utf-8"
        assert f'filename="rcphub-{table}.csv"' in as_csv.headers["content-disposition"]
        found[table] = (read_csv(as_csv.content), as_json.json())
    return found


@pytest.mark.parametrize("table", TABLES)
def test_the_csv_and_the_json_hold_the_same_rows(downloads, table):
    rows, payload = downloads[table]
    assert payload["table"] == table
    assert payload["total"] == len(payload["rows"]) == len(rows) > 0
    assert list(rows[0]) == payload["columns"]
    for from_csv, from_json in zip(rows, payload["rows"], strict=True):
        assert from_csv == {k: as_csv_cell(v) for k, v in from_json.items()}


def test_memberships_are_those_of_every_process_in_the_api(client, downloads):
    _rows, payload = downloads["memberships"]
    by_process: dict[str, set[tuple]] = {}
    for row in payload["rows"]:
        by_process.setdefault(row["process"], set()).add(
            (
                row["party"],
                row["role"],
                row["subgroup"] or "",
                row["since"],
                row["until"],
                row["as_of"],
                row["as_of_year"],
                tuple(row["sources"]),
            )
        )
    processes = client.get("/api/v1/registry/processes.json").json()["rows"]
    assert {p["id"] for p in processes} >= set(by_process)
    checked = 0
    for process in processes:
        record = client.get(f"/api/v1/processes/{process['id']}").json()
        expected = {
            (
                m["party"],
                m["role"],
                m["subgroup"],
                m["since"],
                m["until"],
                m["as_of"],
                m["as_of_year"],
                tuple(m["sources"]),
            )
            for m in record["memberships"]
        }
        assert by_process.get(process["id"], set()) == expected, process["id"]
        assert process["member_count"] == record["member_count"]
        assert {f"name_{k}": v for k, v in record["names"].items()} == {
            k: v for k, v in process.items() if k.startswith("name_") and v
        }
        assert process["sources"] == record["sources"]
        checked += len(expected)
    assert checked == len(payload["rows"]) > 500
    # a membership a researcher asks about: the Bali Process's members hold their role
    bali = by_process["bali-process"]
    assert any(party == "state:AUS" and role == "member" for party, role, *_ in bali)


def test_processes_meetings_and_states_are_those_of_the_api(client, downloads):
    listed = client.get("/api/v1/processes").json()["processes"]
    rows = {r["id"]: r for r in downloads["processes"][1]["rows"]}
    assert {p["id"] for p in listed} <= set(rows)
    assert {r["id"] for r in rows.values() if not r["listed_only"]} == {p["id"] for p in listed}
    for p in listed:
        row = rows[p["id"]]
        assert (row["kind"], row["acronym"], row["established"], row["themes"]) == (
            p["kind"],
            p["acronym"],
            p["established"],
            p["themes"],
        )
    meetings = client.get("/api/v1/meetings").json()["meetings"]
    assert [m["id"] for m in downloads["meetings"][1]["rows"]] == [m["id"] for m in meetings]
    for row, meeting in zip(downloads["meetings"][1]["rows"], meetings, strict=True):
        assert (row["year"], row["city"], row["country"], row["sources"]) == (
            meeting["year"],
            meeting["city"],
            meeting["country"],
            meeting["sources"],
        )
        assert {lang: row[f"name_{lang}"] for lang in LANGUAGES if row[f"name_{lang}"]} == (
            meeting["names"]
        )
    states = {s["iso3"]: s for s in client.get("/api/v1/states").json()["states"]}
    rows_by_iso3 = {r["iso3"]: r for r in downloads["states"][1]["rows"]}
    assert set(rows_by_iso3) == set(states)
    for iso3, state in states.items():
        row = rows_by_iso3[iso3]
        assert (row["m49"], row["region"], row["process_count"]) == (
            state["m49"],
            state["region"],
            state["process_count"],
        )
        assert row["name_en"] == state["names"]["en"]
    assert rows_by_iso3["CIV"]["name_en"] == "Côte d’Ivoire"  # UN M49's spelling


def test_the_registry_pages_link_their_downloads(client):
    for path in ("/processes", "/countries", "/meetings", "/processes/bali-process"):
        page = LexborHTMLParser(client.get(path + "?lang=fr").text)
        links = [a.attributes["href"] for a in page.css(".registry-data a[download]")]
        assert len(links) == 8, path
        for href in links:
            response = client.get(href)
            assert response.status_code == 200, href
            if href.split("?")[0].endswith(".csv"):
                read_csv(response.content)
            else:
                assert response.json()["columns"], href
    scoped = client.get("/api/v1/registry/memberships.json?process=bali-process").json()
    assert {r["process"] for r in scoped["rows"]} == {"bali-process"}
    everything = client.get("/api/v1/registry/memberships.json").json()
    assert scoped["rows"] == [r for r in everything["rows"] if r["process"] == "bali-process"]
    members = client.get("/api/v1/registry/states.json?process=bali-process").json()["rows"]
    assert "AUS" in {r["iso3"] for r in members}
    assert len(members) < 100
    index = client.get("/api/v1/registry").json()
    assert [t["name"] for t in index["tables"]] == list(TABLES)
    assert client.get("/api/v1").json()["links"]["registry"] == "/api/v1/registry"


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/api/v1/registry/treaties.csv", 404),
        ("/api/v1/registry/processes.xml", 404),
        ("/api/v1/registry/processes", 404),
        ("/api/v1/registry/memberships.csv?process=bali", 404),
        ("/api/v1/registry/memberships.csv?process=" + "x" * 200, 422),
    ],
)
def test_a_table_or_process_that_does_not_exist_is_a_clear_4xx(client, path, status):
    response = client.get(path)
    assert response.status_code == status
    assert response.json()["error"]["message"]
    if "bali" in path:
        assert "bali-process" in response.json()["error"]["message"]


def test_the_api_docs_describe_the_registry_downloads(client):
    spec = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/registry/{filename}" in spec["paths"]
    assert "process" in str(spec["paths"]["/api/v1/registry/{filename}"]["get"]["parameters"])


# ---------------------------------------------------------------------------- every CSV


def test_every_csv_of_the_hub_is_written_by_one_helper():
    """No module writes CSV or names its media type but rcphub/csvfile.py, so every CSV the
    hub serves or prints (follow-up, audit, charts, registry) starts with the same BOM."""
    offenders = []
    for path in SRC.rglob("*.py"):
        if path.name == "csvfile.py":
            continue
        text = path.read_text(encoding="utf-8")
        if "text/csv" in text:
            offenders.append(f"{path.relative_to(SRC)}: names text/csv")
        for node in ast.walk(ast.parse(text)):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id == "csv"
                and node.attr in ("writer", "DictWriter")
            ):
                offenders.append(f"{path.relative_to(SRC)}:{node.lineno}: csv.{node.attr}")
    assert offenders == []


def test_every_csv_link_of_the_pages_gives_a_bom(client):
    """The CSV downloads the pages link to (analytics, follow-up, registry) all start with the
    byte-order mark and read back with a header."""
    hrefs: set[str] = set()
    for path in ("/analytics", "/followup", "/processes", "/analytics/processes/bali-process"):
        page = LexborHTMLParser(client.get(path + "?lang=ar").text)
        hrefs |= {
            a.attributes["href"] or ""
            for a in page.css("a[href]")
            if ".csv" in (a.attributes["href"] or "")
        }
    assert any(h.startswith("/analytics") for h in hrefs)
    assert any(h.startswith("/api/v1/followup") for h in hrefs)
    assert any(h.startswith("/api/v1/registry") for h in hrefs)
    for href in sorted(hrefs):
        response = client.get(href)
        assert response.status_code == 200, href
        assert response.headers["content-type"] == "text/csv; charset=utf-8", href
        assert response.content.startswith(b"\xef\xbb\xbf"), href
        header = next(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert header, href
        assert not header[0].startswith("\ufeff"), href


def test_formula_cells_are_defused_and_read_back():
    text = csv_text(["a", "b"], [["=1+1", -3], ["@x", "plain"], [None, "-"]])
    assert text.startswith("\ufeffa,b\r\n")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows[1:] == [["'=1+1", "-3"], ["'@x", "plain"], ["", "'-"]]
    assert [undefuse(cell) for cell in rows[1]] == ["=1+1", "-3"]
    assert undefuse("'quoted") == "'quoted"  # an apostrophe of the text itself stays
