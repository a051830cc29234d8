"""What the hub reads from an uploaded document's text, end to end on both databases: the
upload result proposes title, type, date, place and processes (each with why) and lists the
bodies the registry does not hold; the uploader files the document under a suggestion; admins
list candidate bodies (page and API) and dismiss one; ``ingest --json`` carries the same
suggestions. Bad input is a 4xx that changes nothing."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from rcphub.cli import main
from tests.accounts_support import make_token, make_user, sign_in
from tests.documents.realtext import load_documents


def opening(ident: str) -> bytes:
    return next(d for d in load_documents() if d["id"] == ident)["text"].encode("utf-8")


@pytest.fixture(scope="module")
def hub(database_factory):
    from rcphub.app import create_app

    database = database_factory.new()
    make_user(database, "chief", "admin")
    make_user(database, "reader-one", "reader")
    return database, create_app(database.settings, database=database)


@pytest.fixture(scope="module")
def admin(hub) -> Iterator[TestClient]:
    _database, app = hub
    with TestClient(app, raise_server_exceptions=False) as client:
        sign_in(client, "chief")
        yield client


@pytest.fixture(scope="module")
def uploaded(admin) -> str:
    """The MIDSA 2010 recommendations (real text), uploaded through the form."""
    response = admin.post(
        "/documents/upload?lang=en",
        files={"files": ("midsa-2010.txt", opening("en-midsa-2010-windhoek"), "text/plain")},
        data={"csrf_token": admin.csrf},
    )
    assert response.status_code == 200, response.text
    found = re.search(r'href="/documents/([0-9a-f]{16})"', response.text)
    assert found, response.text
    admin.upload_page = response.text  # type: ignore[attr-defined]
    return found.group(1)


def test_upload_result_proposes_what_the_text_says(admin, uploaded) -> None:
    page = admin.upload_page
    assert "Read from the text" in page
    assert "Report and Recommendations of the MIDSA Conference on" in page
    assert "Windhoek" in page
    assert 'value="process:midsa"' in page
    assert "named in the title" in page
    assert "SADC" in page  # a body the registry does not hold


def test_document_json_carries_the_suggestions(admin, uploaded) -> None:
    doc = admin.get(f"/api/v1/documents/{uploaded}").json()
    assert doc["type"] == "conclusions"
    assert doc["place"] == "Windhoek"
    assert doc["date"] == "2010-11-17"
    assert [(s["target"], s["reason"], s["linked"]) for s in doc["suggested_processes"]] == [
        ("process:midsa", "title", False)
    ]
    sadc = [c for c in doc["candidates"] if c["key"] == "sadc"]
    assert len(sadc) == 1
    assert sadc[0]["surfaces"] == ["SADC"]
    assert sadc[0]["passages"]


def test_filing_under_a_suggestion(admin, uploaded) -> None:
    before = admin.get(f"/api/v1/documents/{uploaded}").json()["links"]
    assert "process:midsa" not in before
    response = admin.post(
        f"/documents/{uploaded}/filing",
        data={"target": "process:midsa", "csrf_token": admin.csrf},
        follow_redirects=False,
    )
    assert response.status_code == 303
    doc = admin.get(f"/api/v1/documents/{uploaded}").json()
    assert "process:midsa" in doc["links"]
    assert doc["suggested_processes"][0]["linked"] is True
    page = admin.get(f"/documents/{uploaded}?lang=en").text
    assert "Bodies the registry does not hold" in page
    assert "Filed under as the text suggests:" not in page or "Migration Dialogue" in page


@pytest.mark.parametrize(
    ("target", "status"),
    [("process:no-such-process", 404), ("meeting:no-such-meeting", 404), ("state:PER", 422)],
)
def test_filing_refuses_bad_targets_and_writes_nothing(admin, uploaded, target, status) -> None:
    before = admin.get(f"/api/v1/documents/{uploaded}").json()["links"]
    response = admin.post(
        f"/documents/{uploaded}/filing", data={"target": target, "csrf_token": admin.csrf}
    )
    assert response.status_code == status
    assert admin.get(f"/api/v1/documents/{uploaded}").json()["links"] == before


def test_filing_needs_a_role(hub, uploaded) -> None:
    database, app = hub
    token = make_token(database, "reader-one", "read")
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.post(
            f"/api/v1/documents/{uploaded}/links",
            data={"target": "process:bali-process"},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert response.status_code == 403
        anonymous = client.post(
            f"/api/v1/documents/{uploaded}/links", data={"target": "process:bali-process"}
        )
        assert anonymous.status_code == 401
    assert (
        "process:bali-process"
        not in TestClient(app).get(f"/api/v1/documents/{uploaded}").json()["links"]
    )


def test_admins_list_and_dismiss_candidates(admin, hub, uploaded) -> None:
    database, app = hub
    bearer = {"Authorization": f"Bearer {make_token(database, 'chief', 'read')}"}
    listed = admin.get("/api/v1/candidates", headers=bearer).json()
    by_key = {c["key"]: c for c in listed["candidates"]}
    assert by_key["sadc"]["documents"] == [uploaded]
    assert by_key["sadc"]["name"] == "Southern African Development Community"
    assert 'href="/admin/candidates"' in admin.get("/account?lang=en").text
    page = admin.get("/admin/candidates?lang=en")
    assert page.status_code == 200
    assert "Southern African Development Community" in page.text
    response = admin.post(
        f"/admin/candidates/{by_key['sadc']['id']}/status",
        data={"status": "dismissed", "csrf_token": admin.csrf},
        follow_redirects=False,
    )
    assert response.status_code == 303
    proposed = {
        c["key"] for c in admin.get("/api/v1/candidates", headers=bearer).json()["candidates"]
    }
    dismissed = {
        c["key"]
        for c in admin.get("/api/v1/candidates?status=dismissed", headers=bearer).json()[
            "candidates"
        ]
    }
    assert "sadc" not in proposed
    assert "sadc" in dismissed
    with TestClient(app, raise_server_exceptions=False) as client:
        assert client.get("/api/v1/candidates").status_code == 401
        token = make_token(database, "reader-one", "read")
        headers = {"Authorization": f"Bearer {token}"}
        assert client.get("/api/v1/candidates", headers=headers).status_code == 403


@pytest.mark.parametrize(
    ("url", "data", "status"),
    [
        ("/admin/candidates/1/status", {"status": "bogus"}, 422),
        ("/admin/candidates/99999999999/status", {"status": "dismissed"}, 422),
        ("/admin/candidates/2147483000/status", {"status": "dismissed"}, 404),
    ],
)
def test_candidate_status_refuses_bad_input(admin, uploaded, url, data, status) -> None:
    response = admin.post(url, data={**data, "csrf_token": admin.csrf})
    assert response.status_code == status


def test_ingest_json_carries_the_suggestions(hub, tmp_path) -> None:
    database, _app = hub
    path = tmp_path / "sucre.txt"
    path.write_bytes(opening("en-bali-2017-consultation-mechanism"))
    result = CliRunner().invoke(
        main,
        [
            "--database-url", database.settings.resolved_database_url,
            "--data-dir", str(database.settings.data_dir),
            "ingest", str(path), "--json",
        ],
        catch_exceptions=False,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    doc = report["documents"][0]
    assert doc["type"] == "joint-communique"
    assert doc["place"] == "Jakarta"
    assert doc["suggested_processes"][0]["target"] == "process:bali-process"
    assert doc["suggested_processes"][0]["reason"] == "title"
    assert any(c["surfaces"] == ["Bali Process Steering Group"] for c in doc["candidates"])
