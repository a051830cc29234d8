"""Visibility on both databases: a restricted document (and restricted follow-up items) must
never reach an outsider by any read path — not its title, not a passage, not a search total or
facet count, not a feed entry, not a report line, not a CSV row — and must reach the members
and secretariat of its process, admins and the ``rcphub`` command.

Real data: the bundled Lima summary (public) and a closed-session record ingested here as
restricted, filed under the Bali Process. Every check looks for :data:`MARKER`, a word only the
restricted document contains, or for its ID.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from rcphub.accounts import SYSTEM
from rcphub.accounts.policy import (
    ANONYMOUS,
    Principal,
    may_read,
    readable_processes,
    visible_documents_clause,
)
from rcphub.bootstrap import ingest_bundled_documents
from rcphub.cli import main
from rcphub.db import Database
from rcphub.documents import IngestOptions, Ingestor, list_documents, set_visibility
from rcphub.errors import Forbidden, InvalidInput, NotFound
from rcphub.followup import add_update, create_item, set_item_visibility
from tests.accounts_support import make_token, make_user, sign_in

MARKER = "kestrelwatch"
SECRET_TEXT = """Bali Process Ad Hoc Group: record of the closed session of senior officials
1. Senior officials reviewed Operation Kestrelwatch, a joint response to trafficking in persons
and migrant smuggling by sea between Indonesia and Australia.
2. The Regional Support Office is asked to report to members on the kestrelwatch referral
protocol for victims of trafficking and on the protection of smuggled migrants.
"""
ITEM_NOTE = "Kestrelwatch referral protocol drafted and shared with focal points."

NOWHERE = "0123456789abcdef"
"""The ID of a document that does not exist."""

ROLES = ("anonymous", "outsider", "reader", "member", "secretariat", "admin")
INSIDERS = {"member", "secretariat", "admin"}
"""Roles that read the restricted document; the others must never see it."""


@dataclass
class Hub:
    database: Database
    app: Any
    lima: str
    secret: str
    secret_item: int
    lima_restricted_item: int
    lima_public_item: int


@pytest.fixture(scope="module")
def hub(database_factory) -> Hub:  # type: ignore[no-untyped-def]
    from rcphub.app import create_app

    database = database_factory.new()
    ingest_bundled_documents(database)
    with database.session() as session:
        _, found = list_documents(session, link="meeting:grcp-2013")
    lima = found[0].id
    outcome = Ingestor(database).ingest_bytes(
        SECRET_TEXT.encode(),
        "bali-ahg-closed-session.en.txt",
        IngestOptions(processes=["bali-process"], visibility="restricted"),
    )
    assert outcome.error is None, outcome.error
    with database.session() as session:
        secret_item = create_item(
            session,
            outcome.document_id,
            "2",
            addressees=["process:bali-process"],
            confirm=True,
            actor=SYSTEM,
        )
        add_update(
            session, secret_item.id, status="in_progress", progress=30, note=ITEM_NOTE, actor=SYSTEM
        )
        # an item of the public Lima summary, restricted on its own (to Lima's processes:
        # Lima is filed under a meeting only, so only admins read it) ...
        restricted = create_item(
            session,
            lima,
            "10.a",
            text="Kept for the chairs: the referral protocol of Lima",
            confirm=True,
            actor=SYSTEM,
        )
        set_item_visibility(session, restricted.id, "restricted", SYSTEM)
        # ... and a public one beside it, which everyone sees
        public = create_item(session, lima, "10.b", confirm=True, actor=SYSTEM)
    make_user(database, "outsider", "reader@midsa")
    make_user(database, "reader", "reader")
    make_user(database, "member", "reader@bali-process")
    make_user(database, "secretariat", "secretariat@bali-process")
    make_user(database, "admin", "admin")
    app = create_app(database.settings, database=database)
    app.state.indexer.catch_up()  # what the background indexer of `rcphub serve` does
    return Hub(database, app, lima, outcome.document_id, secret_item.id, restricted.id, public.id)


@pytest.fixture(scope="module")
def clients(hub: Hub):  # type: ignore[no-untyped-def]
    """Per role: a page client (signed in through the form) and an API client (Bearer)."""
    made = {}
    for role in ROLES:
        page = TestClient(hub.app, raise_server_exceptions=False)
        page.__enter__()
        api = TestClient(hub.app, raise_server_exceptions=False)
        api.__enter__()
        if role != "anonymous":
            sign_in(page, role)
            api.headers["Authorization"] = f"Bearer {make_token(hub.database, role, 'read')}"
        made[role] = (page, api)
    yield made
    for page, api in made.values():
        page.__exit__(None, None, None)
        api.__exit__(None, None, None)


SECRET_PHRASES = (
    "closed session of senior officials",  # the title
    "joint response to trafficking",  # passage 1
    "referral protocol",  # passage 2, the update's note, the restricted Lima item
)
"""What the restricted content says (the marker itself is not enough: a search page echoes
its query)."""


def leaks(text: str, hub: Hub) -> bool:
    lowered = " ".join(text.lower().split())
    return hub.secret in lowered or any(phrase in lowered for phrase in SECRET_PHRASES)


# ---------------------------------------------------------------------------- the rule itself


def test_the_rule_is_pure_and_fails_closed():
    member = Principal(kind="user", user_id=1, grants=frozenset({("reader", "bali-process")}))
    outsider = Principal(kind="user", user_id=2, grants=frozenset({("reader", "midsa")}))
    plain = Principal(kind="user", user_id=3, grants=frozenset({("reader", None)}))
    admin = Principal(kind="user", user_id=4, grants=frozenset({("admin", None)}))
    for who in (ANONYMOUS, member, outsider, plain, admin, SYSTEM):
        assert may_read(who, "public", [])
    assert may_read(member, "restricted", ["bali-process", "midsa"])
    assert not may_read(outsider, "restricted", ["bali-process"])
    assert not may_read(plain, "restricted", ["bali-process"])
    assert not may_read(ANONYMOUS, "restricted", ["bali-process"])
    assert not may_read(member, "restricted", [])  # filed under no process: admins only
    assert may_read(admin, "restricted", [])
    assert may_read(SYSTEM, "restricted", [])
    assert not may_read(member, "something else", ["midsa"])  # unknown counts as restricted
    assert readable_processes(SYSTEM) is None
    assert readable_processes(ANONYMOUS) == frozenset()


def test_the_sql_clause_agrees_with_may_read(hub: Hub):
    from sqlalchemy import select

    from rcphub.db.models import Document

    member = Principal(kind="user", user_id=1, grants=frozenset({("reader", "bali-process")}))
    outsider = Principal(kind="user", user_id=2, grants=frozenset({("secretariat", "midsa")}))
    with hub.database.session() as session:
        for who, expected in ((ANONYMOUS, False), (outsider, False), (member, True)):
            ids = set(session.scalars(select(Document.id).where(visible_documents_clause(who))))
            assert hub.lima in ids
            assert (hub.secret in ids) is expected
            assert may_read(who, "restricted", ["bali-process"]) is expected


# ---------------------------------------------------------------------------- pages


PAGES = [
    "/?lang=en",
    "/documents?lang=en",
    "/documents?process=bali-process&lang=en",
    "/processes/bali-process?lang=en",
    "/countries/IDN?lang=en",
    "/countries/AUS?lang=en",
    f"/search?q={MARKER}&mode=keyword&lang=en",
    "/search?q=trafficking&lang=en",
    "/followup?lang=en",
    "/processes/bali-process/followup?lang=en",
    "/followup?review=all&lang=en",
    "/reports/synthesis?framework=gcm&lang=en",
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("path", PAGES)
def test_pages(hub: Hub, clients, role: str, path: str):
    """Every page hides the restricted document from outsiders and shows it to insiders: a
    page that hid it from everyone would pass a no-leak check alone."""
    page, _api = clients[role]
    response = page.get(path)
    assert response.status_code == 200, response.text[-300:]
    assert leaks(response.text, hub) is (role in INSIDERS), (role, path)


@pytest.mark.parametrize("role", ROLES)
def test_document_page_source_and_versions_are_404_for_outsiders(hub: Hub, clients, role: str):
    page, _api = clients[role]
    expected = 200 if role in INSIDERS else 404
    for path in (
        f"/documents/{hub.secret}?lang=en",
        f"/documents/{hub.secret[:8]}?lang=en",  # a prefix finds nothing either
        f"/documents/{hub.secret}/source",
        f"/documents/{hub.lima}/compare/{hub.secret}?lang=en",
        f"/followup/items/{hub.secret_item}?lang=en",
    ):
        response = page.get(path, follow_redirects=True)
        assert response.status_code == expected, (role, path, response.status_code)
        if expected == 404:
            # exactly the page a document that does not exist gets: nothing tells them apart
            absent = NOWHERE[: len(hub.secret)]
            other = page.get(path.replace(hub.secret, absent).replace(hub.secret[:8], absent[:8]))
            assert other.status_code == 404
            assert (
                response.text.replace(hub.secret, absent).replace(hub.secret[:8], absent[:8])
                == other.text
            ), path
    lima = page.get(f"/documents/{hub.lima}?lang=en").text
    assert not leaks(lima, hub) or role in INSIDERS


def test_items_of_a_public_document_can_be_restricted(hub: Hub, clients):
    for role in ROLES:
        page, api = clients[role]
        visible = role == "admin"  # Lima is filed under no process: admins only
        status = page.get(f"/followup/items/{hub.lima_restricted_item}").status_code
        assert status == (200 if visible else 404), role
        assert page.get(f"/followup/items/{hub.lima_public_item}").status_code == 200
        listed = api.get("/api/v1/followup/items").json()["items"]
        ids = {i["id"] for i in listed}
        assert hub.lima_public_item in ids
        assert (hub.lima_restricted_item in ids) is visible, role


# ---------------------------------------------------------------------------- JSON API


@pytest.mark.parametrize("role", ROLES)
def test_api(hub: Hub, clients, role: str):
    _page, api = clients[role]
    inside = role in INSIDERS
    listed = api.get("/api/v1/documents").json()
    ids = {d["id"] for d in listed["documents"]}
    assert hub.lima in ids
    assert (hub.secret in ids) is inside
    assert listed["total"] == (2 if inside else 1)
    by_process = api.get("/api/v1/documents", params={"process": "bali-process"}).json()
    assert (by_process["total"] == 1) is inside
    for path in (
        f"/api/v1/documents/{hub.secret}",
        f"/api/v1/documents/{hub.secret}/tags",
        f"/api/v1/documents/{hub.secret}/passages/1/tags",
        f"/api/v1/followup/items/{hub.secret_item}",
    ):
        response = api.get(path)
        assert response.status_code == (200 if inside else 404), (role, path)
        if not inside:
            assert response.json()["error"]["code"] == "not_found"
            assert not leaks(response.text.replace(hub.secret, NOWHERE), hub)
    lima = api.get(f"/api/v1/documents/{hub.lima}").json()
    assert hub.secret not in {v["id"] for v in lima["versions"]}
    for path in ("/api/v1/followup/items.csv", "/api/v1/followup/updates.csv"):
        text = api.get(path, params={"review": "all"}).text
        assert (hub.secret in text) is inside, (role, path)
    report = api.get("/api/v1/reports/synthesis", params={"framework": "gcm", "format": "md"})
    assert report.status_code == 200
    assert leaks(report.text, hub) is inside, role


@pytest.mark.parametrize("role", ROLES)
def test_search_hits_totals_and_facets(hub: Hub, clients, role: str):
    _page, api = clients[role]
    inside = role in INSIDERS
    found = api.get("/api/v1/search", params={"q": MARKER, "mode": "keyword"}).json()
    assert (found["total"] > 0) is inside
    assert ({h["document"] for h in found["hits"]} == {hub.secret}) is inside
    if not inside:
        assert found["hits"] == []
        assert all(not v for v in found["facets"].values())
    # a filter-only search over everything in English: only the restricted document is
    english = api.get("/api/v1/search", params={"lang": "en"}).json()
    languages = {f["value"]: f["count"] for f in english["facets"].get("language", [])}
    assert (english["total"] > 0) is inside
    assert ("en" in languages) is inside
    # a broad semantic/hybrid search: facet counts match what the role may read
    broad = api.get("/api/v1/search", params={"q": "trafficking in persons"}).json()
    languages = {f["value"] for f in broad["facets"].get("language", [])}
    processes = {f["value"] for f in broad["facets"].get("process", [])}
    if not inside:
        assert "en" not in languages
        assert hub.secret not in {h["document"] for h in broad["hits"]}
        assert not leaks(str(broad), hub)
    else:
        assert "en" in languages
        assert "bali-process" in processes


# ---------------------------------------------------------------------------- feeds


FEEDS = [
    "/feeds/process/bali-process.atom",
    "/feeds/state/IDN.atom",
    "/feeds/state/AUS.atom",
    f"/feeds/search.atom?q={MARKER}&mode=keyword",
    "/feeds/search.atom?q=trafficking",
    "/feeds/theme/gcm/10.atom",
    "/feeds/theme/gcm/9.atom",
]


@pytest.mark.parametrize("role", ROLES)
def test_feeds_are_public_content_only_for_everyone(hub: Hub, clients, role: str):
    """Feeds are anonymous: even a member's feed shows no restricted content."""
    page, _api = clients[role]
    for path in FEEDS:
        response = page.get(path)
        assert response.status_code == 200, (path, response.text[-200:])
        assert not leaks(response.text, hub), (role, path)
    followed = page.get("/feeds/process/bali-process.atom").text
    assert ITEM_NOTE.split()[0].lower() not in followed.lower()


# ---------------------------------------------------------------------------- the CLI


def test_the_cli_reads_everything_as_the_operator(hub: Hub):
    settings = hub.database.settings
    base = ["--database-url", settings.resolved_database_url, "--data-dir", str(settings.data_dir)]

    def run(*args: str) -> str:
        result = CliRunner().invoke(main, [*base, *args])
        assert result.exit_code == 0, result.output
        return result.output

    assert hub.secret in run("documents", "list")
    assert "restricted" in run("documents", "show", hub.secret)
    assert hub.secret in run("search", MARKER, "--mode", "keyword", "--json")
    assert hub.secret in run("followup", "list", "--json")
    assert hub.secret in run("followup", "export", "items")


# ---------------------------------------------------------------------------- changing it


def test_visibility_is_set_at_upload_and_changed_by_the_secretariat(database_factory, tmp_path):
    from rcphub.app import create_app

    database = database_factory.new()
    make_user(database, "sec", "secretariat@bali-process")
    make_user(database, "other", "secretariat@midsa")
    make_user(database, "member", "reader@bali-process")
    app = create_app(database.settings, database=database)
    app.state.indexer.catch_up()  # what the background indexer of `rcphub serve` does
    sec_token = make_token(database, "sec")
    with TestClient(app, raise_server_exceptions=False) as api:
        api.headers["Authorization"] = f"Bearer {sec_token}"
        response = api.post(
            "/api/v1/documents",
            files={"files": ("closed.en.txt", SECRET_TEXT.encode(), "text/plain")},
            data={"process": "bali-process", "visibility": "restricted"},
        )
        assert response.status_code == 201, response.text
        doc_id = response.json()["created"][0]
        assert response.json()["documents"][0]["visibility"] == "restricted"
        refused = api.post(
            "/api/v1/documents",
            files={"files": ("x.en.txt", b"Nothing here but text.", "text/plain")},
            data={"process": "bali-process", "visibility": "secret"},
        )
        assert refused.status_code == 422
        with TestClient(app, raise_server_exceptions=False) as anonymous:
            assert anonymous.get(f"/api/v1/documents/{doc_id}").status_code == 404
            # another process's secretariat: the document does not exist for it
            anonymous.headers["Authorization"] = f"Bearer {make_token(database, 'other')}"
            changed = anonymous.put(
                f"/api/v1/documents/{doc_id}/visibility", data={"visibility": "public"}
            )
            assert changed.status_code == 404
        made_public = api.put(
            f"/api/v1/documents/{doc_id}/visibility", data={"visibility": "public"}
        )
        assert made_public.status_code == 200, made_public.text
        assert made_public.json()["visibility"] == "public"
        with TestClient(app, raise_server_exceptions=False) as anonymous:
            assert anonymous.get(f"/api/v1/documents/{doc_id}").status_code == 200
    with database.session() as session:
        from sqlalchemy import select

        from rcphub.db.account_models import AuditEntry

        actions = list(
            session.scalars(select(AuditEntry.action).where(AuditEntry.object_id == doc_id))
        )
        assert "document.visibility" in actions
        # a member reads but may not change it; the other secretariat may not either
        member = _principal(session, "member")
        with pytest.raises(Forbidden):
            set_visibility(session, doc_id, "restricted", member)
        other = _principal(session, "other")
        with pytest.raises(Forbidden):
            set_visibility(session, doc_id, "restricted", other)
        with pytest.raises(InvalidInput):
            set_visibility(session, doc_id, "hidden", SYSTEM)
    # restricted without a process: nobody but an admin could read it, so it is refused
    outcome = Ingestor(database).ingest_bytes(
        b"Some text of a closed meeting.",
        "x.en.txt",
        IngestOptions(visibility="restricted"),
    )
    assert outcome.error is None  # ingest_bytes does not check options; the edges do
    with pytest.raises(InvalidInput):
        Ingestor(database).check_options(IngestOptions(visibility="restricted"))


def test_cli_ingest_restricted_and_change(fresh_database, tmp_path):
    settings = fresh_database.settings
    base = ["--database-url", settings.resolved_database_url, "--data-dir", str(settings.data_dir)]
    path = tmp_path / "closed.en.txt"
    path.write_text(SECRET_TEXT, encoding="utf-8")

    def run(*args: str, code: int = 0) -> str:
        result = CliRunner().invoke(main, [*base, *args])
        assert result.exit_code == code, result.output
        return result.output

    from rcphub.refdata import load_reference_data

    with fresh_database.session() as session:
        load_reference_data(session)
    run("ingest", str(path), "--restricted", code=2)  # refused: no --process
    run("ingest", str(path), "--restricted", "--process", "bali-process", "--no-tag")
    with fresh_database.session() as session:
        public_total, _ = list_documents(session)
        _, restricted = list_documents(session, link="process:bali-process", viewer=SYSTEM)
        assert list_documents(session, link="process:bali-process")[0] == 0
    assert restricted[0].visibility == "restricted"
    assert "is public" in run("documents", "visibility", restricted[0].id, "public")
    with fresh_database.session() as session:
        assert list_documents(session)[0] == public_total + 1
        with pytest.raises(NotFound):
            set_visibility(session, "ffffffffffffffff", "public", SYSTEM)


def _principal(session, username: str) -> Principal:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from rcphub.accounts.users import principal_for
    from rcphub.db.account_models import User

    user = session.scalars(select(User).where(User.username == username)).one()
    return principal_for(session, user, via="session")


def test_the_upload_form_stores_a_restricted_document(database_factory):
    import hashlib

    from rcphub.app import create_app

    database = database_factory.new()
    make_user(database, "sec", "secretariat@bali-process")
    make_user(database, "contrib", "contributor@bali-process")
    app = create_app(database.settings, database=database)
    app.state.indexer.catch_up()  # what the background indexer of `rcphub serve` does
    data = SECRET_TEXT.encode() + b"\n3. Upload form copy.\n"
    doc_id = hashlib.sha256(data).hexdigest()[:16]
    with TestClient(app, raise_server_exceptions=False) as contrib:
        sign_in(contrib, "contrib")
        refused = contrib.post(
            "/documents/upload?lang=en",
            files=[("files", ("closed.en.txt", data, "text/plain"))],
            data={
                "process": "bali-process",
                "visibility": "restricted",
                "csrf_token": contrib.csrf,
            },
        )
        assert refused.status_code == 403
        assert "A proposal is public" in refused.text
    with TestClient(app, raise_server_exceptions=False) as sec:
        sign_in(sec, "sec")
        response = sec.post(
            "/documents/upload?lang=en",
            files=[("files", ("closed.en.txt", data, "text/plain"))],
            data={"process": "bali-process", "visibility": "restricted", "csrf_token": sec.csrf},
        )
        assert response.status_code == 200, response.text[-500:]
        assert doc_id in response.text
        page = sec.get(f"/documents/{doc_id}?lang=en")
        assert page.status_code == 200
        assert "Members only" in page.text
    with TestClient(app, raise_server_exceptions=False) as anonymous:
        assert anonymous.get(f"/documents/{doc_id}?lang=en").status_code == 404
