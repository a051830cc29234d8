"""The JSON API on both databases: shapes, filters, languages, and errors for bad input."""

from __future__ import annotations

import re

import pytest

LANGS = ("en", "fr", "es", "ru", "ar", "zh")


def test_process_shape(client):
    response = client.get("/api/v1/processes/bali-process")
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == "bali-process"
    assert body["kind"] == "irf"
    assert body["established"] == 2002
    assert "Bali" in body["names"]["en"]
    australia = next(m for m in body["memberships"] if m["party"] == "state:AUS")
    assert australia["role"] in {"member", "chair"}
    member = next(
        m for m in body["memberships"] if m["party"] == "state:AUS" and m["role"] == "member"
    )
    assert member["complete"] is False
    assert "45" in member["as_of"]
    assert any("iom.int" in source for source in member["sources"])
    assert any(m["party"] == "org:iom" and m["role"] == "member" for m in body["memberships"])


def test_state_shape(client):
    body = client.get("/api/v1/states/PER").json()
    assert body["iso3"] == "PER"
    assert body["m49"] == "604"
    assert body["names"]["es"] == "Perú"
    assert body["region"]["code"] == "019"
    roles = {(m["process"], m["role"]) for m in body["memberships"]}
    assert ("process:sacm-csm", "member") in roles
    assert ("process:rcm-puebla-process", "observer") in roles


@pytest.mark.parametrize("lang", LANGS)
def test_names_in_every_language(client, lang):
    body = client.get(f"/api/v1/states/CHN?lang={lang}").json()
    assert body["name"] == body["names"][lang]
    assert body["name_language"] == lang
    process = client.get(f"/api/v1/processes/prague-process?lang={lang}").json()
    assert process["name"]
    expected = lang if lang in process["names"] else "en"
    assert process["name_language"] == expected


def test_process_filters(client):
    rcps = client.get("/api/v1/processes?kind=rcp").json()
    assert rcps["total"] == len(rcps["processes"]) > 10
    assert {p["kind"] for p in rcps["processes"]} == {"rcp"}
    africa = client.get("/api/v1/processes?region=002").json()["processes"]
    ids = {p["id"] for p in africa}
    assert {"midsa", "midwa", "igad-rcp", "rabat-process"} <= ids
    assert "colombo-process" not in ids
    labour = client.get("/api/v1/processes?theme=labour").json()["processes"]
    assert "colombo-process" in {p["id"] for p in labour} or "abu-dhabi-dialogue" in {
        p["id"] for p in labour
    }
    assert all(any("labour" in t.lower() for t in p["themes"]) for p in labour)


def test_states_meetings_and_taxonomies(client):
    states = client.get("/api/v1/states").json()
    assert states["total"] == 250
    per = next(s for s in states["states"] if s["iso3"] == "PER")
    expected = sum(
        1
        for m in client.get("/api/v1/states/PER").json()["memberships"]
        if m["role"] == "member" and m["kind"] in ("rcp", "irf", "global")
    )
    assert per["process_count"] == expected
    grcp = client.get("/api/v1/meetings?series=grcp").json()["meetings"]
    assert [m["year"] for m in grcp] == [2005, 2009, 2011, 2013, 2015, 2016, 2017, 2019, 2021]
    assert client.get("/api/v1/meetings/grcp-2013").json()["city"] == "Lima"
    schemes = {t["id"]: t for t in client.get("/api/v1/taxonomies").json()["taxonomies"]}
    assert schemes["sdg"]["concept_count"] == 17 + 169
    sdg = client.get("/api/v1/taxonomies/sdg").json()
    target = next(c for c in sdg["concepts"] if c["code"] == "10.7")
    assert target["parent"] == "10"
    assert set(target["labels"]) == set(LANGS)


def test_openapi_document(client):
    spec = client.get("/api/v1/openapi.json").json()
    assert {"/api/v1/processes", "/api/v1/processes/{process_id}", "/api/v1/states/{iso3}"} <= set(
        spec["paths"]
    )


@pytest.mark.parametrize(
    ("path", "status", "code"),
    [
        ("/api/v1/processes/bali", 404, "not_found"),
        ("/api/v1/states/XXX", 404, "not_found"),
        ("/api/v1/meetings/grcp-1999", 404, "not_found"),
        ("/api/v1/taxonomies/nope", 404, "not_found"),
        ("/api/v1/processes?kind=nonsense", 422, "invalid_input"),
        ("/api/v1/processes?region=999", 422, "invalid_input"),
        ("/api/v1/meetings?year=abc", 422, "invalid_input"),
        ("/api/v1/meetings?series=x", 422, "invalid_input"),
        ("/api/v1/states/PER?lang=de", 422, "invalid_input"),
        ("/api/v1/nothing-here", 404, "not_found"),
    ],
)
def test_error_shape(client, path, status, code):
    response = client.get(path)
    assert response.status_code == status
    error = response.json()["error"]
    assert error["code"] == code
    assert error["message"]
    assert "Traceback" not in response.text


def test_not_found_suggests_close_ids(client):
    message = client.get("/api/v1/processes/bali").json()["error"]["message"]
    assert "bali-process" in message
    message = client.get("/api/v1/states/PRU").json()["error"]["message"]
    assert "PER" in message or "PRY" in message


HOSTILE = [
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "%00",
    "../../etc/passwd",
    "x" * 5000,
    "ñ漢字العربية",
    "-1",
    "99999999999999999999999",
    "",
    " ",
]


def test_every_endpoint_survives_bad_values(client):
    """Walk every API route from the OpenAPI document with hostile path and query values."""
    spec = client.get("/api/v1/openapi.json").json()
    checked = 0
    for path, item in spec["paths"].items():
        parameters = item.get("get", {}).get("parameters", [])
        queries = [p["name"] for p in parameters if p["in"] == "query"]
        for value in HOSTILE:
            url = re.sub(r"\{[^}]+\}", value.replace("/", "%2F") or "x", path)
            targets = [url] + [f"{url}?{name}={value}" for name in queries]
            for target in targets:
                response = client.get(target)
                assert response.status_code < 500, target
                if response.status_code != 200:
                    assert "error" in response.json(), target
                checked += 1
    assert checked > 100
