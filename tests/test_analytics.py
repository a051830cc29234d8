"""Analytics on the real data, on both databases: figures recomputed here from the bundled
source files (not from the service), through the API and the CLI."""

from __future__ import annotations

import csv
import json
from importlib import resources

import pytest
import yaml
from click.testing import CliRunner

from rcphub.cli import main

DATA = resources.files("rcphub.refdata").joinpath("data")


def _reference_members() -> dict[str, set[str]]:
    """Member states per process, read straight from iscm-reference.yaml."""
    reference = yaml.safe_load(DATA.joinpath("iscm-reference.yaml").read_text(encoding="utf-8"))
    keys = ("iso3", "countries_of_origin", "countries_of_destination", "eu_iso3", "non_eu_iso3",
            "african_iso3", "european_iso3")  # fmt: skip
    out = {}
    for entry in reference["processes"]:
        members = entry.get("members")
        if entry["kind"] in ("rcp", "irf", "global") and isinstance(members, dict):
            states = {s for key in keys for s in members.get(key) or []}
            if states:
                out[entry["id"]] = states
    out["rabat-process"] -= {"DZA", "LBY"}  # observers, as curation.yaml records
    return out


def _stock(year: int) -> list[dict[str, str]]:
    path = DATA.joinpath("migrant_stock/undesa_ims2020_bilateral_stock_1990_2020.csv")
    return [r for r in csv.DictReader(path.read_text().splitlines()) if int(r["year"]) == year]


def test_known_corridor_through_the_api(client):
    body = client.get("/api/v1/analytics/migration/process/rcm-puebla-process?year=2020").json()
    corridors = {(c["origin"], c["destination"]): c["stock"] for c in body["top_corridors"]}
    assert corridors[("MEX", "USA")] == 10_853_105  # the UN DESA 2020 figure
    assert body["top_corridors"][0]["origin"] == "MEX"


def test_overlap_matches_the_membership_lists(client):
    expected = _reference_members()
    body = client.get("/api/v1/analytics/overlap").json()
    ids = [p["id"] for p in body["processes"]]
    assert set(ids) == set(expected)
    index = {pid: i for i, pid in enumerate(ids)}
    for a in ids:
        for b in ids:
            shared = len(expected[a] & expected[b])
            assert body["shared"][index[a]][index[b]] == shared, (a, b)
    budapest, prague = index["budapest-process"], index["prague-process"]
    union = expected["budapest-process"] | expected["prague-process"]
    assert body["jaccard"][budapest][prague] == pytest.approx(
        len(expected["budapest-process"] & expected["prague-process"]) / len(union), abs=1e-4
    )
    counts: dict[str, int] = {}
    for states in expected.values():
        for iso3 in states:
            counts[iso3] = counts.get(iso3, 0) + 1
    top = body["bridges"][0]
    assert top["process_count"] == max(counts.values())
    assert counts[top["iso3"]] == top["process_count"]


def test_observers_widen_the_overlap(client):
    members_only = client.get("/api/v1/analytics/overlap").json()
    with_observers = client.get("/api/v1/analytics/overlap?observers=true").json()
    assert sum(p["state_count"] for p in with_observers["processes"]) > sum(
        p["state_count"] for p in members_only["processes"]
    )


def test_intra_process_stock_recomputed_from_the_source(client):
    members = _reference_members()["midsa"]
    rows = _stock(2020)
    intra = sum(
        int(r["stock"])
        for r in rows
        if r["origin_iso3"] in members
        and r["destination_iso3"] in members
        and r["origin_iso3"] != r["destination_iso3"]
    )
    totals_path = DATA.joinpath("migrant_stock/totals_by_country.csv")
    emigrants = sum(
        int(r["emigrant_stock_total"])
        for r in csv.DictReader(totals_path.read_text().splitlines())
        if r["year"] == "2020" and r["iso3"] in members
    )
    body = client.get("/api/v1/analytics/migration/process/midsa").json()
    assert body["intra_stock"] == intra
    assert body["members_emigrants"] == emigrants
    assert body["intra_share_of_emigrants"] == pytest.approx(intra / emigrants, abs=1e-4)
    assert [t["year"] for t in body["trend"]] == [1990, 1995, 2000, 2005, 2010, 2015, 2020]
    assert "today's membership" in body["basis"]
    assert any("unknown" in caveat for caveat in body["caveats"])


def test_membership_as_of_a_year_where_the_source_dates_it(client):
    body = client.get("/api/v1/analytics/migration/process/icmpd?year=2000").json()
    assert body["members"] == ["AUT", "CHE", "HUN", "SVN"]  # joined 1993, 1993, 1995, 1998
    assert "as of each year" in body["basis"]


def test_country_breakdown_by_shared_processes(client):
    body = client.get("/api/v1/analytics/migration/state/MEX").json()
    rcm = next(p for p in body["by_process"] if p["process"] == "rcm-puebla-process")
    assert rcm["emigrants_to_members"] >= 10_853_105
    members = _reference_members()["rcm-puebla-process"] - {"MEX"}
    expected = sum(
        int(r["stock"])
        for r in _stock(2020)
        if r["origin_iso3"] == "MEX" and r["destination_iso3"] in members
    )
    assert rcm["emigrants_to_members"] == expected


def _established() -> dict[str, int | None]:
    reference = yaml.safe_load(DATA.joinpath("iscm-reference.yaml").read_text(encoding="utf-8"))
    return {e["id"]: e.get("established") for e in reference["processes"]}


def test_overlap_as_of_a_year_leaves_out_processes_not_yet_founded(client):
    founded = _established()
    assert founded["khartoum-process"] == 2014  # the Khartoum Process did not exist in 2010
    lists = _reference_members()
    expected = {pid: states for pid, states in lists.items() if founded[pid] <= 2010}
    assert "khartoum-process" not in expected
    body = client.get("/api/v1/analytics/overlap?year=2010").json()
    ids = [p["id"] for p in body["processes"]]
    assert set(ids) == set(expected)
    assert body["not_yet_founded"] == sorted(set(lists) - set(expected))
    index = {pid: i for i, pid in enumerate(ids)}
    for a in ids:
        for b in ids:
            assert body["shared"][index[a]][index[b]] == len(expected[a] & expected[b]), (a, b)
    assert all(p["a"] in expected and p["b"] in expected for p in body["pairs"])
    counts: dict[str, int] = {}
    for states in expected.values():
        for iso3 in states:
            counts[iso3] = counts.get(iso3, 0) + 1
    assert {b["iso3"]: b["process_count"] for b in body["bridges"]} == counts
    assert not any("khartoum-process" in b["processes"] for b in body["bridges"])
    # Jamaica's only list is that of the Caribbean Migration Consultations (2016)
    assert [pid for pid, states in lists.items() if "JAM" in states] == ["cmc-caribbean"]
    assert "JAM" not in {b["iso3"] for b in body["bridges"]}
    # today's lists: every process, none left out
    today = client.get("/api/v1/analytics/overlap").json()
    assert "khartoum-process" in {p["id"] for p in today["processes"]}
    assert today["not_yet_founded"] == []


def test_overlap_before_any_process_is_empty_not_an_error(client):
    body = client.get("/api/v1/analytics/overlap?year=1950").json()
    assert body["processes"] == []
    assert body["bridges"] == []
    assert body["shared"] == []
    assert "igc" in body["not_yet_founded"]  # 1985


def test_country_as_of_a_year_leaves_out_processes_not_yet_founded(client):
    assert _established()["rcm-puebla-process"] == 1996
    in_1990 = client.get("/api/v1/analytics/migration/state/MEX?year=1990").json()
    assert "rcm-puebla-process" not in {p["process"] for p in in_1990["by_process"]}
    assert "rcm-puebla-process" in in_1990["not_yet_founded"]
    in_2000 = client.get("/api/v1/analytics/migration/state/MEX?year=2000").json()
    assert "rcm-puebla-process" in {p["process"] for p in in_2000["by_process"]}


def test_a_process_without_a_member_list_says_so(client):
    # the APC has no list of member States in the bundled data
    reference = yaml.safe_load(DATA.joinpath("iscm-reference.yaml").read_text(encoding="utf-8"))
    apc = next(e for e in reference["processes"] if e["id"] == "apc")
    assert not apc.get("members")
    response = client.get("/api/v1/analytics/migration/process/apc")
    assert response.status_code == 200
    body = response.json()
    assert body["member_list"] is False
    assert body["members"] == []
    assert body["top_corridors"] == []
    assert body["trend"] == []
    for key in ("intra_stock", "members_emigrants", "members_immigrants",
                "intra_share_of_emigrants", "intra_share_of_immigrants"):  # fmt: skip
        assert body[key] is None, key  # unknown, not zero
    assert "no list of member States" in body["basis"]
    # the PAFoM's members are described, not listed: the description is passed on
    pafom = client.get("/api/v1/analytics/migration/process/pafom").json()
    assert pafom["member_list"] is False
    assert "AU Member States" in pafom["membership_description"]
    # a process with a list
    midsa = client.get("/api/v1/analytics/migration/process/midsa").json()
    assert midsa["member_list"] is True
    assert midsa["intra_stock"] > 0


def test_cli_says_when_a_process_has_no_member_list(loaded_database, client):
    url = loaded_database.settings.resolved_database_url
    data_dir = str(loaded_database.settings.data_dir)
    base = ["--database-url", url, "--data-dir", data_dir, "analytics", "migration", "apc"]
    as_json = CliRunner().invoke(main, [*base, "--json"])
    assert as_json.exit_code == 0
    payload = json.loads(as_json.stdout)
    assert payload == client.get("/api/v1/analytics/migration/process/apc").json()
    assert payload["member_list"] is False
    assert payload["intra_stock"] is None
    text = CliRunner().invoke(main, base)
    assert text.exit_code == 0
    assert "no list of member States" in text.stdout
    assert "intra" not in text.stdout  # no figure printed as if it were 0


def test_timeline_growth(client):
    body = client.get("/api/v1/analytics/timeline").json()
    by_year = {g["year"]: g for g in body["growth"]}
    reference = yaml.safe_load(DATA.joinpath("iscm-reference.yaml").read_text(encoding="utf-8"))
    rcps_by_2013 = sum(
        1
        for e in reference["processes"]
        if e["kind"] == "rcp" and e.get("established") and e["established"] <= 2013
    )
    assert by_year[2013]["by_kind"]["rcp"] == rcps_by_2013
    assert "grcp-2013" in {e["id"] for e in body["events"]}


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/api/v1/analytics/migration/process/nope", 404),
        ("/api/v1/analytics/migration/process/midsa?year=2003", 422),
        ("/api/v1/analytics/migration/process/midsa?year=abc", 422),
        ("/api/v1/analytics/migration/state/XXX", 404),
        ("/api/v1/analytics/overlap?year=99999", 422),
    ],
)
def test_analytics_errors(client, url, status):
    response = client.get(url)
    assert response.status_code == status
    assert response.json()["error"]["message"]


def test_cli_prints_the_api_json(loaded_database, client):
    url = loaded_database.settings.resolved_database_url
    data_dir = str(loaded_database.settings.data_dir)  # its file store, not ./var
    result = CliRunner().invoke(
        main,
        [
            "--database-url",
            url,
            "--data-dir",
            data_dir,
            "analytics",
            "migration",
            "midsa",
            "--json",
        ],
    )
    assert result.exit_code == 0
    payload = json.loads(result.stdout)
    assert payload == client.get("/api/v1/analytics/migration/process/midsa").json()
    required = {"process", "year", "members", "intra_stock", "members_emigrants",
                "members_immigrants", "intra_share_of_emigrants", "top_corridors"}  # fmt: skip
    assert required <= set(payload)
    overlap = CliRunner().invoke(
        main, ["--database-url", url, "--data-dir", data_dir, "analytics", "overlap", "--json"]
    )
    assert json.loads(overlap.stdout) == client.get("/api/v1/analytics/overlap").json()
