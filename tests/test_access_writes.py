"""Who may write follow-up and theme tags, on both databases: the role × write-path matrix of the
pages (CSRF token sent, so only the policy decides) and of the JSON API (Bearer tokens), the
rule for documents filed only under meetings, the write forms a page offers to whom, and the
actor named on the record and in the audit log (pages, API, CLI). A refused write is a 401 or
403 and leaves nothing behind: no item, no update, no decision, no audit entry."""

from __future__ import annotations

import getpass
from dataclasses import dataclass

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from rcphub.accounts import SYSTEM
from rcphub.accounts.scopes import governing_processes
from rcphub.app import create_app
from rcphub.cli import main
from rcphub.db import AuditEntry, FollowupItem, FollowupUpdate
from rcphub.db.models import PassageTag
from rcphub.documents import IngestOptions, Ingestor
from rcphub.followup import create_item
from tests.accounts_support import csrf_from, make_token, make_user, sign_in

USERS = ("admin", "sec", "contrib", "reader", "other-sec", None)
TRACK_REF = {"admin": "3", "sec": "4", "contrib": "5"}
"""The passage each user allowed to track tracks on the page (refused users try the
contributor's); through the API, the passages of API_TRACK_REF."""
API_TRACK_REF = {"admin": "7", "sec": "8", "contrib": "9"}


def text(n: int) -> bytes:
    return (
        "1. The participants discussed labour migration between Peru and Mexico.\n"
        "2. The participants recommended that processes share their outcome documents.\n"
        "3. The meeting heard a presentation on diaspora engagement.\n"
        "4. The meeting heard a presentation on data on migration.\n"
        "5. The meeting heard a presentation on return and reintegration.\n"
        "6. The meeting heard a presentation on labour mobility.\n"
        "7. The meeting heard a presentation on remittances.\n"
        "8. The meeting heard a presentation on climate and migration.\n"
        "9. The meeting heard a presentation on skills partnerships.\n"
        f"10. This is test document number {n}.\n"
    ).encode()


@dataclass
class Hub:
    database: object
    app: object
    docs: dict[str, str]  # bali | gfmd | grcp | both → document ID
    items: dict[str, int]  # the same keys → a confirmed item at ref 1


@pytest.fixture(scope="module")
def hub(database_factory) -> Hub:
    database = database_factory.new()
    make_user(database, "admin", "admin")
    make_user(database, "sec", "secretariat@bali-process")
    make_user(database, "contrib", "contributor@bali-process")
    make_user(database, "reader", "reader")
    make_user(database, "other-sec", "secretariat@midsa")
    make_user(database, "gfmd-sec", "secretariat@gfmd")
    ingestor = Ingestor(database)
    filed = {
        "bali": IngestOptions(processes=["bali-process"]),
        "gfmd": IngestOptions(meetings=["gfmd-2012"]),  # a meeting of a process: the GFMD
        "grcp": IngestOptions(meetings=["grcp-2013"]),  # a meeting of no process: admins
        "both": IngestOptions(processes=["bali-process"], meetings=["grcp-2013"]),
    }
    docs, items = {}, {}
    for n, (key, options) in enumerate(filed.items()):
        outcome = ingestor.ingest_bytes(text(n), f"{key}.txt", options)
        assert outcome.error is None, outcome.error
        docs[key] = outcome.document_id
        with database.session() as session:
            items[key] = create_item(session, docs[key], "1", confirm=True, actor=SYSTEM).id
    return Hub(database, create_app(database.settings, database=database), docs, items)


def client_as(hub: Hub, username: str | None) -> TestClient:
    client = TestClient(hub.app, raise_server_exceptions=False)
    if username:
        sign_in(client, username)
    else:
        client.csrf = csrf_from(client.get("/sign-in").text)  # type: ignore[attr-defined]
    return client


def api_as(hub: Hub, username: str | None, scope: str = "write") -> TestClient:
    headers = {}
    if username:
        headers["Authorization"] = f"Bearer {make_token(hub.database, username, scope)}"
    return TestClient(hub.app, headers=headers, raise_server_exceptions=False)


def written(hub: Hub) -> tuple[int, ...]:
    """Everything a follow-up or tag write could add or change, counted."""
    with hub.database.session() as session:

        def count(model, *where) -> int:  # type: ignore[no-untyped-def]
            return session.scalar(select(func.count()).select_from(model).where(*where)) or 0

        return (
            count(FollowupItem),
            count(FollowupItem, FollowupItem.review != "confirmed"),
            count(FollowupItem, FollowupItem.due_date.is_not(None)),
            count(FollowupUpdate),
            count(PassageTag, PassageTag.decided_by.is_not(None)),
            count(
                AuditEntry, AuditEntry.action.like("followup.%") | AuditEntry.action.like("tag.%")
            ),
        )


def audited(hub: Hub, actor_prefix: str) -> set[str]:
    with hub.database.session() as session:
        return set(
            session.scalars(
                select(AuditEntry.action).where(
                    AuditEntry.actor.startswith(actor_prefix),
                    AuditEntry.action.like("followup.%") | AuditEntry.action.like("tag.%"),
                )
            )
        )


# ---------------------------------------------------------------------------- pages


def expected(user: str | None, proposable: bool) -> int:
    """What a page write answers a user on the Bali Process's document: a redirect when done."""
    if user is None:
        return 401
    if user in ("admin", "sec") or (proposable and user == "contrib"):
        return 303
    return 403


@pytest.mark.parametrize("user", USERS)
def test_page_writes_matrix(hub, user):
    client = client_as(hub, user)
    doc, item = hub.docs["bali"], hub.items["bali"]
    csrf = {"csrf_token": client.csrf}
    ref = TRACK_REF.get(user or "", "5")
    paths = [  # (path, form, proposable)
        (f"/documents/{doc}/followup/detect", {}, True),
        (f"/documents/{doc}/followup/track", {"ref": ref, "kind": "recommendation"}, True),
        (f"/followup/items/{item}/review", {"decision": "confirm"}, False),
        (f"/followup/items/{item}/edit", {"due_date": "2030-01-01", "kind": "conclusion"}, False),
        (
            f"/followup/items/{item}/updates",
            {"status": "in_progress", "progress": "20", "note": f"by {user}"},
            False,
        ),
        (f"/documents/{doc}/tags", {"ref": "1", "tag": "gcm-23", "decision": "confirm"}, False),
    ]
    for path, form, proposable in paths:
        before = written(hub)
        response = client.post(path, data={**form, **csrf}, follow_redirects=False)
        status = expected(user, proposable)
        assert response.status_code == status, (path, response.text[:300])
        if status != 303:
            assert "text/html" in response.headers["content-type"]  # the error page
            assert written(hub) == before, path  # nothing written, not even to the log
        else:
            assert written(hub) != before, path
    if user in ("admin", "sec"):
        assert audited(hub, user) == {
            "followup.detect",
            "followup.create",
            "followup.review",
            "followup.edit",
            "followup.update",
            "tag.confirm",
        }
        with hub.database.session() as session:
            tracked = session.scalar(
                select(FollowupItem).where(
                    FollowupItem.document_id == doc, FollowupItem.passage_ref == ref
                )
            )
            assert (tracked.created_by, tracked.review) == (user, "proposed")
            update = session.scalar(
                select(FollowupUpdate).where(FollowupUpdate.note == f"by {user}")
            )
            assert update.created_by == user
    elif user == "contrib":  # proposes: detection and a proposed item, nothing else
        assert audited(hub, "contrib") == {"followup.detect", "followup.create"}
    else:
        assert audited(hub, user or "anonymous") == set()


def test_a_contributor_cannot_track_an_item_as_confirmed(hub):
    client = api_as(hub, "contrib")
    before = written(hub)
    response = client.post(
        "/api/v1/followup/items", json={"document": hub.docs["bali"], "ref": "6", "confirm": True}
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
    assert written(hub) == before


@pytest.mark.parametrize(
    ("user", "detect", "review", "tags", "note"),
    [
        (None, False, False, False, "sign_in"),
        ("reader", False, False, False, "none"),
        ("other-sec", False, False, False, "none"),
        ("contrib", True, False, False, None),  # proposes
        ("sec", True, True, True, None),
        ("admin", True, True, True, None),
    ],
)
def test_pages_offer_the_write_forms_to_those_who_may(hub, user, detect, review, tags, note):
    client = client_as(hub, user)
    doc, item = hub.docs["bali"], hub.items["bali"]
    page = client.get(f"/documents/{doc}?lang=en").text
    assert (f'action="/documents/{doc}/followup/detect"' in page) is detect
    assert (f'action="/documents/{doc}/followup/track"' in page) is detect
    assert (f'action="/documents/{doc}/tags"' in page) is tags
    assert ("Sign in to propose or confirm recommendations" in page) is (note == "sign_in")
    assert ("Only a secretariat of the processes of this document" in page) is (note == "none")
    item_page = client.get(f"/followup/items/{item}?lang=en").text
    assert (f'action="/followup/items/{item}/updates"' in item_page) is review
    assert (f'action="/followup/items/{item}/edit"' in item_page) is review
    assert ("Sign in to review this item" in item_page) is (note == "sign_in")
    for html in (page, item_page):  # every form that posts carries the session's token
        assert html.count('method="post"') == html.count('name="csrf_token"')


# ---------------------------------------------------------------------------- JSON API


def api_expected(user: str | None, proposable: bool, done: int) -> int:
    if user is None:
        return 401
    if user in ("admin", "sec") or (proposable and user == "contrib"):
        return done
    return 403


@pytest.mark.parametrize("user", USERS)
def test_api_writes_matrix(hub, user):
    doc, item = hub.docs["bali"], hub.items["bali"]
    ref = API_TRACK_REF.get(user or "", "9")
    day = {"admin": "2024-01-05", "sec": "2024-01-06"}.get(user or "", "2024-01-07")
    csv_items = f"document,ref,kind,review\n{doc},1,recommendation,confirmed\n"
    csv_updates = f"document,ref,date,status,progress\n{doc},1,{day},in_progress,5\n"
    paths = [  # (method, path, keyword arguments, proposable, status when done)
        ("post", f"/api/v1/followup/detect/{doc}", {}, True, 200),
        ("post", "/api/v1/followup/items", {"json": {"document": doc, "ref": ref}}, True, 201),
        ("post", f"/api/v1/followup/items/{item}/confirm", {}, False, 200),
        ("patch", f"/api/v1/followup/items/{item}", {"json": {"due_date": "2031-01-01"}},
         False, 200),
        ("post", f"/api/v1/followup/items/{item}/updates", {"json": {"status": "in_progress"}},
         False, 201),
        ("post", "/api/v1/followup/items.csv", {"content": csv_items}, False, 200),
        ("post", "/api/v1/followup/updates.csv", {"content": csv_updates}, False, 200),
        ("post", f"/api/v1/documents/{doc}/passages/2/tags/gcm-23/confirm", {}, False, 200),
    ]  # fmt: skip
    with api_as(hub, user) as client:
        for method, path, kwargs, proposable, done in paths:
            before = written(hub)
            response = getattr(client, method)(path, **kwargs)
            status = api_expected(user, proposable, done)
            assert response.status_code == status, (path, response.text[:300])
            if status >= 400:
                assert set(response.json()["error"]) == {"code", "message"}
                assert written(hub) == before, path
                if status == 401:
                    assert response.headers["www-authenticate"].startswith("Bearer")
    if user in ("admin", "sec"):
        actions = audited(hub, f"{user} (token ")
        assert {"followup.update", "followup.import_updates", "tag.confirm"} <= actions


def test_a_read_token_writes_nothing(hub):
    before = written(hub)
    with api_as(hub, "admin", scope="read") as client:
        for path in (
            f"/api/v1/followup/detect/{hub.docs['bali']}",
            f"/api/v1/followup/items/{hub.items['bali']}/confirm",
            f"/api/v1/documents/{hub.docs['bali']}/passages/1/tags/gcm-23/confirm",
        ):
            response = client.post(path)
            assert response.status_code == 403, path
            assert "only read" in response.json()["error"]["message"]
    assert written(hub) == before


# ---------------------------------------------------------------------------- the rule


def test_the_processes_of_a_document(hub):
    with hub.database.session() as session:
        assert governing_processes(session, hub.docs["bali"]) == {"bali-process"}
        assert governing_processes(session, hub.docs["gfmd"]) == {"gfmd"}
        assert governing_processes(session, hub.docs["grcp"]) == frozenset()  # admins only
        assert governing_processes(session, hub.docs["both"]) == {"bali-process"}
        # two documents: an admin-only one makes both admin-only
        assert governing_processes(session, hub.docs["bali"], hub.docs["grcp"]) == frozenset()


@pytest.mark.parametrize(
    ("doc", "user", "allowed"),
    [
        ("gfmd", "gfmd-sec", True),  # the GFMD summit's document: the GFMD's secretariat
        ("gfmd", "sec", False),
        ("gfmd", "admin", True),
        ("grcp", "gfmd-sec", False),  # the global RCP meeting belongs to no process
        ("grcp", "sec", False),
        ("grcp", "admin", True),
        ("both", "sec", True),  # filed under the Bali Process too: its processes decide
        ("both", "gfmd-sec", False),
    ],
)
def test_documents_filed_under_meetings(hub, doc, user, allowed):
    before = written(hub)
    with api_as(hub, user) as client:
        update = client.post(
            f"/api/v1/followup/items/{hub.items[doc]}/updates", json={"status": "in_progress"}
        )
        tag = client.post(f"/api/v1/documents/{hub.docs[doc]}/passages/1/tags/sdg-10.7/confirm")
    assert (update.status_code, tag.status_code) == ((201, 200) if allowed else (403, 403))
    assert (written(hub) == before) is not allowed


# ---------------------------------------------------------------------------- the CLI


def test_the_cli_acts_as_its_operator(hub):
    settings = hub.database.settings
    base = ["--database-url", settings.resolved_database_url, "--data-dir", str(settings.data_dir)]
    runner = CliRunner()
    doc = hub.docs["grcp"]
    done = runner.invoke(main, [*base, "themes", "confirm", doc, "2", "gcm-7"])
    assert done.exit_code == 0, done.output
    done = runner.invoke(main, [*base, "followup", "confirm", str(hub.items["grcp"])])
    assert done.exit_code == 0, done.output
    operator = f"cli:{getpass.getuser()}"
    assert {"tag.confirm", "followup.review"} <= audited(hub, operator)
    with hub.database.session() as session:
        decided = session.scalar(
            select(PassageTag.decided_by).where(
                PassageTag.document_id == doc, PassageTag.scheme_id == "gcm", PassageTag.code == "7"
            )
        )
        reviewed = session.get(FollowupItem, hub.items["grcp"]).reviewed_by
    assert decided == reviewed == operator
