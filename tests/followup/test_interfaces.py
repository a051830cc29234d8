"""Follow-up through its three skins on both databases: the JSON API, the CLI (whose --json is
the API's JSON), and CSV export/import (round trip, and bad files refused whole)."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from rcphub.accounts import cli_operator
from rcphub.bootstrap import ingest_bundled_documents
from rcphub.cli import main
from rcphub.db import FollowupItem, FollowupUpdate
from rcphub.errors import InvalidInput
from rcphub.followup import (
    add_update,
    create_item,
    detect_document,
    export_items_csv,
    export_updates_csv,
    import_items_csv,
    import_updates_csv,
    review_item,
)
from tests.accounts_support import make_token, make_user
from tests.followup.conftest import Lima

TODAY = date(2026, 3, 31)
ACTOR = cli_operator("maria")


@pytest.fixture(scope="module")
def api(lima: Lima):  # type: ignore[no-untyped-def]
    from rcphub.app import create_app

    app = create_app(lima.database.settings, database=lima.database)
    make_user(lima.database, "api-admin", "admin")  # the Lima summary is for admins only
    token = make_token(lima.database, "api-admin")
    headers = {"Authorization": f"Bearer {token}"}
    with TestClient(app, headers=headers, raise_server_exceptions=False) as client:
        yield client


@pytest.fixture(scope="module")
def run(lima: Lima):  # type: ignore[no-untyped-def]
    settings = lima.database.settings

    def invoke(*args: str):  # type: ignore[no-untyped-def]
        return CliRunner().invoke(
            main,
            [
                "--database-url",
                settings.resolved_database_url,
                "--data-dir",
                str(settings.data_dir),
                *args,
            ],
            catch_exceptions=False,
        )

    return invoke


def counts(database) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    with database.session() as session:
        return (
            session.scalar(select(func.count()).select_from(FollowupItem)) or 0,
            session.scalar(select(func.count()).select_from(FollowupUpdate)) or 0,
        )


# ---------------------------------------------------------------------------- API


def test_api_journey(api, lima):
    ru = lima.ids["ru"]
    detected = api.post(f"/api/v1/followup/detect/{ru}")
    assert detected.status_code == 200
    refs = {i["ref"]: i["id"] for i in detected.json()["proposed"]}
    assert sorted(refs) == ["10.a", "10.b", "10.c", "10.d", "10.f", "7"]
    item_id = refs["10.d"]
    assert api.post(f"/api/v1/followup/items/{item_id}/confirm").json()["review"] == "confirmed"
    posted = api.post(
        f"/api/v1/followup/items/{item_id}/updates",
        json={"status": "in_progress", "progress": 25, "evidence": [f"document:{ru}#10.d"]},
    )
    assert posted.status_code == 201
    assert posted.json()["light"]["colour"] == "green"
    patched = api.patch(
        f"/api/v1/followup/items/{item_id}",
        json={"addressees": ["org:iom", "state:PER"], "due_date": "2026-01-01"},
    )
    assert patched.json()["addressees"] == ["org:iom", "state:PER"]
    assert api.get(f"/api/v1/followup/items/{item_id}").json()["light"]["reason"] == "overdue"
    as_of = api.get(
        "/api/v1/followup/items", params={"addressee": "org:iom", "today": "2025-12-31"}
    )
    assert [i["ref"] for i in as_of.json()["items"]] == ["10.d"]
    assert as_of.json()["items"][0]["light"]["colour"] == "green"  # not yet due then
    made = api.post("/api/v1/followup/items", json={"document": ru, "ref": "8.b", "confirm": True})
    assert made.status_code == 201
    assert made.json()["review"] == "confirmed"
    rejected = api.post(f"/api/v1/followup/items/{refs['7']}/reject").json()
    assert rejected["review"] == "rejected"


U = "/api/v1/followup/items/{item}/updates"


@pytest.fixture(scope="module")
def confirmed_item(lima: Lima) -> int:
    """An item of this module's own for the refusals to aim at (whichever test runs first)."""
    with lima.database.session() as session:
        return create_item(session, lima.ids["ru"], "9", confirm=True, actor=ACTOR).id


@pytest.mark.parametrize(
    ("method", "path", "body", "status"),
    [
        ("get", "/api/v1/followup/items?light=purple", None, 422),
        ("get", "/api/v1/followup/items?process=nowhere", None, 404),
        ("get", "/api/v1/followup/items?today=yesterday", None, 422),
        ("get", "/api/v1/followup/items?colour=red", None, 422),
        ("get", "/api/v1/followup/items/0", None, 404),
        ("get", "/api/v1/followup/items/abc", None, 422),
        ("post", "/api/v1/followup/items", {"document": "0000", "ref": "1"}, 404),
        ("post", "/api/v1/followup/items", {"document": "x", "ref": "1", "kind": "wish"}, 422),
        ("post", U, {"status": "done"}, 422),
        ("post", U, {"status": "in_progress", "progress": 101}, 422),
        ("post", U, {"status": "completed", "progress": 10}, 422),
        ("post", U, {"status": "in_progress", "evidence": ["ftp://x"]}, 422),
        ("post", U, {"status": "in_progress", "date": "2999-01-01"}, 422),
        ("patch", "/api/v1/followup/items/{item}", {"addressees": ["planet:mars"]}, 422),
        ("patch", "/api/v1/followup/items/{item}", {"colour": "red"}, 422),
        ("post", "/api/v1/followup/detect/ffffffffffffffff", None, 404),
    ],
)  # fmt: skip
def test_api_refuses_bad_input_with_a_clear_4xx(
    api, lima, confirmed_item, method, path, body, status
):
    before = counts(lima.database)
    path = path.format(item=confirmed_item)
    response = getattr(api, method)(path, **({"json": body} if body is not None else {}))
    assert response.status_code == status, response.text
    assert set(response.json()["error"]) == {"code", "message"}
    assert counts(lima.database) == before


# ---------------------------------------------------------------------------- CLI


def test_cli_json_is_the_api_json(run, api, lima):
    listed = run("followup", "list", "--review", "all", "--today", "2026-03-31", "--json")
    assert listed.exit_code == 0
    api_list = api.get("/api/v1/followup/items", params={"review": "all", "today": "2026-03-31"})
    assert json.loads(listed.output) == api_list.json()
    item_id = api_list.json()["items"][0]["id"]
    shown = run("followup", "show", str(item_id), "--today", "2026-03-31", "--json")
    assert (
        json.loads(shown.output)
        == api.get(f"/api/v1/followup/items/{item_id}", params={"today": "2026-03-31"}).json()
    )


def test_cli_commands_and_errors(run, lima):
    detected = run("followup", "detect", lima.ids["es"])
    assert detected.exit_code == 0
    assert "6 proposed" in detected.output
    assert "conclusion — listed under the conclusions of 10" in detected.output
    item_id = json.loads(run("followup", "list", "--document", lima.ids["es"], "--review",
                             "proposed", "--json").output)["items"][0]["id"]  # fmt: skip
    assert run("followup", "confirm", str(item_id)).exit_code == 0
    updated = run(
        "followup", "update", str(item_id), "--status", "completed", "--date", "2026-01-15",
        "--evidence", "https://example.org/report.pdf",
    )  # fmt: skip
    assert updated.exit_code == 0
    assert "completed 100%" in updated.output
    bad = run("followup", "update", str(item_id), "--status", "not_started", "--progress", "5")
    assert bad.exit_code == 2
    assert "error: an item not started has 0% progress" in bad.output
    missing = run("followup", "show", "999999")
    assert missing.exit_code == 3


# ---------------------------------------------------------------------------- CSV


def test_csv_round_trip_into_another_hub(lima, database_factory):
    ru = lima.ids["ru"]
    with lima.database.session() as session:
        detect_document(session, ru, actor=ACTOR)
        item = create_item(
            session, ru, "6", kind="recommendation", addressees=["state:PER", "process:gfmd"],
            due_date="2027-06-30", text='Текст с "кавычками", запятыми\nи переводом строки',
            actor=ACTOR,
        )  # fmt: skip
        review_item(session, item.id, "confirm", actor=ACTOR)
        add_update(session, item.id, status="in_progress", progress=10, day="2024-05-01",
                   note="Première étape; 第一步, خطوة أولى", today=TODAY,
                   evidence=["https://example.org/a?b=1&c=2", f"document:{ru}#6"],
                   actor=ACTOR)  # fmt: skip
        add_update(session, item.id, status="in_progress", progress=60, day="2025-05-01",
                   today=TODAY, actor=ACTOR)  # fmt: skip
        items_csv = export_items_csv(session, document=ru, review=None)
        updates_csv = export_updates_csv(session, document=ru, review=None)
    assert updates_csv.count("\n") >= 3

    other = database_factory.new()
    ingest_bundled_documents(other)  # the same file: the same document ID
    assert items_csv.startswith("\ufeffitem_id,")
    assert updates_csv.startswith("\ufeffitem_id,")
    with other.session() as session:
        first = import_items_csv(session, items_csv.encode("utf-8"), actor=ACTOR)  # with its BOM
        second = import_updates_csv(session, updates_csv, actor=ACTOR)
    rows = read_rows(items_csv)
    assert first.created == len(rows) >= 7
    assert second.created == len(read_rows(updates_csv)) >= 2
    assert next(r for r in rows if r["ref"] == "6")["text"].endswith("и переводом строки")
    with other.session() as session:
        # the same file but for the item numbers, which are each hub's own
        again_items = export_items_csv(session, document=ru, review=None)
        assert without_item_ids(again_items) == without_item_ids(items_csv)
        again_updates = export_updates_csv(session, document=ru, review=None)
        assert without_item_ids(again_updates) == without_item_ids(updates_csv)
        again = (
            import_items_csv(session, items_csv, actor=ACTOR),
            import_updates_csv(session, updates_csv, actor=ACTOR),
        )
    assert again[0].created == again[0].updated == again[1].created == 0


def read_rows(text: str) -> list[dict[str, str]]:
    """Rows of a CSV as a spreadsheet reads it: the BOM marks the encoding, not a column."""
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"), newline="")))


def without_item_ids(text: str) -> list[dict[str, str]]:
    return [{k: v for k, v in row.items() if k != "item_id"} for row in read_rows(text)]


def test_exports_say_which_item_process_document_and_light(api, lima):
    """Each row of the follow-up exports names its item (its number here), the processes its
    document is filed under, the document's title and the item's traffic light, as the API
    gives them; the file reads back unchanged, BOM and these columns included."""
    from rcphub.documents import IngestOptions, Ingestor

    text = (
        "Conclusions of the Regional Conference on Migration, Panama, 2026\n\n"
        "1. The Vice-Ministers agreed to strengthen the protection of migrant children.\n\n"
        "2. The Vice-Ministers recommended that Member Countries exchange information.\n"
    )
    outcome = Ingestor(lima.database).ingest_bytes(
        text.encode(), "crm-2026.en.txt", IngestOptions(processes=["rcm-puebla-process"])
    )
    assert outcome.error is None, outcome.error
    doc = outcome.document_id
    with lima.database.session() as session:
        item = create_item(session, doc, "2", kind="recommendation", actor=ACTOR)
        review_item(session, item.id, "confirm", actor=ACTOR)
        add_update(session, item.id, status="in_progress", progress=5, day="2026-01-05",
                   note="=SUM(A1:A9) is not a formula here", actor=ACTOR)  # fmt: skip
    shown = api.get(f"/api/v1/followup/items/{item.id}").json()
    listed = api.get("/api/v1/documents/" + doc).json()
    for path in ("/api/v1/followup/items.csv", "/api/v1/followup/updates.csv"):
        response = api.get(path, params={"document": doc, "review": "all"})
        assert response.content.startswith(b"\xef\xbb\xbf")  # the UTF-8 BOM
        rows = [r for r in read_rows(response.text) if r["ref"] == "2"]
        assert rows, path
        for row in rows:
            assert row["item_id"] == str(shown["id"])
            assert row["process"] == "rcm-puebla-process"
            assert row["document_title"] == listed["title"] == shown["document_title"]
            assert row["traffic_light"] == shown["light"]["colour"]
    updates = read_rows(api.get("/api/v1/followup/updates.csv", params={"document": doc}).text)
    assert updates[0]["note"] == "'=SUM(A1:A9) is not a formula here"  # defused for a sheet
    # read back: the informational columns are ignored, the apostrophe taken off
    items_file = api.get("/api/v1/followup/items.csv", params={"document": doc}).content
    assert api.post("/api/v1/followup/items.csv", content=items_file).json()["created"] == 0
    updates_file = api.get("/api/v1/followup/updates.csv", params={"document": doc}).content
    again = api.post("/api/v1/followup/updates.csv", content=updates_file).json()
    assert again == {"created": 0, "updated": 0, "unchanged": 1}
    # a column the format does not have: refused whole, naming it
    bad = items_file.replace(b"traffic_light", b"colour", 1)
    refused = api.post("/api/v1/followup/items.csv", content=bad)
    assert refused.status_code == 422
    assert "'colour'" in refused.json()["error"]["message"]


def test_bad_csv_lists_every_bad_row_and_writes_nothing(lima):
    ru = lima.ids["ru"]
    before = counts(lima.database)
    items = (
        "document,ref,kind,review,due_date,addressees\n"
        f"{ru},5,recommendation,proposed,,\n"  # fine on its own
        f"{ru},99,recommendation,proposed,,\n"  # no such passage
        f"{ru},4,wish,proposed,,\n"  # bad kind
        f"{ru},3,recommendation,proposed,31/12/2026,\n"  # bad date
        f"{ru},2,recommendation,proposed,,state:XXX\n"  # unknown state
        f"{ru},1,recommendation\n"  # short row
    )
    with lima.database.session() as session, pytest.raises(InvalidInput) as refused:
        import_items_csv(session, items, actor=ACTOR)
    message = refused.value.message
    assert message.startswith("5 bad row(s) in the items CSV; nothing was imported")
    for line in ("line 3:", "line 4:", "line 5:", "line 6:", "line 7:"):
        assert line in message
    assert "line 2:" not in message
    assert counts(lima.database) == before

    updates = (
        "document,ref,date,status,progress,evidence\n"
        f"{ru},10.a,2025-01-01,in_progress,10,\n"
        f"{ru},10.a,2025-13-01,in_progress,10,\n"
        f"{ru},10.a,2025-02-01,in_progress,10,javascript:alert(1)\n"
    )
    with (
        lima.database.session() as session,
        pytest.raises(InvalidInput, match=r"line 3:.*\n.*line 4:"),
    ):
        import_updates_csv(session, updates, today=TODAY, actor=ACTOR)
    assert counts(lima.database) == before


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"\xff\xfe\x00d", "not UTF-8"),
        (b"document,reference\n", "unknown column"),
        (b"kind\nrecommendation\n", "missing column"),
    ],
)
def test_unreadable_csv_files_are_refused(lima, data, message):
    with lima.database.session() as session, pytest.raises(InvalidInput, match=message):
        import_items_csv(session, data, actor=ACTOR)


def test_api_csv_import_and_export(api, lima):
    exported = api.get("/api/v1/followup/items.csv", params={"review": "all"})
    assert exported.status_code == 200
    assert exported.headers["content-type"].startswith("text/csv")
    reimported = api.post("/api/v1/followup/items.csv", content=exported.content)
    assert reimported.status_code == 200
    assert reimported.json()["created"] == 0
    bad = api.post("/api/v1/followup/updates.csv", content=b"document,ref,date,status\nx,1,,\n")
    assert bad.status_code == 422
    assert "line 2" in bad.json()["error"]["message"]


def test_kinds_of_a_real_communique_reach_the_api_the_csv_and_the_page(api, lima):
    """The 2002 RCM joint communiqué of the real-text set, uploaded as a file: detection proposes
    its decisions and its call with their kinds and why (the first operative word of a passage
    gives its kind); the API, the CSV export and the document page show the kinds."""
    from rcphub.documents import Ingestor
    from tests.realtext.operative.evaluation import load_excerpts

    excerpt = next(e for e in load_excerpts() if e.id == "crm-2002-comunicado.es")
    outcome = Ingestor(lima.database).ingest_bytes(excerpt.text.encode(), f"{excerpt.id}.txt")
    assert outcome.error is None, outcome.error
    doc = outcome.document_id
    detected = api.post(f"/api/v1/followup/detect/{doc}")
    assert detected.status_code == 200
    kinds = {i["ref"]: (i["kind"], i["detection"]["reasons"]) for i in detected.json()["proposed"]}
    assert kinds["1"] == ("decision", ["operative language: “aprobaron”"])
    assert kinds["2"] == ("decision", ["operative language: “Adoptar”"])
    assert kinds["4"] == ("decision", ["operative language: “Aceptar”"])  # then "comisionar"
    assert "3" not in kinds  # "Reconocer la importancia ...": a recognition
    assert [k for k, _ in kinds.values()].count("recommendation") == 1  # "instaron a"
    exported = api.get("/api/v1/followup/items.csv", params={"review": "all"}).text
    rows = [r for r in read_rows(exported) if r["document"] == doc]
    assert sorted(r["kind"] for r in rows) == ["decision"] * 3 + ["recommendation"]
    page = api.get(f"/documents/{doc}", params={"lang": "en"})
    assert page.status_code == 200
    assert "Decision · Proposed" in page.text
    assert "Recommendation · Proposed" in page.text
