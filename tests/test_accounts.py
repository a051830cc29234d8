"""Accounts and roles on both databases: the policy, users and tokens, sign-in with its lockout
and per-address limit, sessions, the CSRF check of every form, the role × write-path matrix,
proposals, the audit log and the commands."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from rcphub.accounts import SYSTEM, Action, Outcome, Principal, decide
from rcphub.accounts.sessions import session_id
from rcphub.app import create_app
from rcphub.cli import main
from rcphub.db import ApiToken, AuditEntry, Document, Proposal, SignInAttempt, User, UserSession
from tests.accounts_support import (
    PASSWORD,
    csrf_from,
    make_token,
    make_user,
    sign_in,
    signed_in_client,
)
from tests.app_support import app_routes

TEXT = b"1. Peru and Mexico agreed to exchange information on labour migration.\n"


def body(n: int) -> bytes:
    return TEXT + f"2. Paragraph number {n} of a test document.\n".encode()


# ---------------------------------------------------------------------------- policy (pure)


def principal(*grants: str, scope: str = "write", via: str = "session") -> Principal:
    pairs = frozenset((g.partition("@")[0], g.partition("@")[2] or None) for g in grants)
    return Principal(kind="user", user_id=1, username="u", grants=pairs, via=via, scope=scope)


@pytest.mark.parametrize(
    ("who", "processes", "outcome"),
    [
        (principal("admin"), [], Outcome.ALLOW),
        (principal("admin"), ["bali-process"], Outcome.ALLOW),
        (principal("secretariat@bali-process"), ["bali-process"], Outcome.ALLOW),
        (principal("secretariat@bali-process"), [], Outcome.DENY),
        (principal("secretariat@bali-process"), ["bali-process", "midsa"], Outcome.DENY),
        (principal("secretariat@midsa"), ["bali-process"], Outcome.DENY),
        (principal("contributor@bali-process"), ["bali-process"], Outcome.PROPOSE),
        (
            principal("contributor@bali-process", "secretariat@midsa"),
            ["bali-process", "midsa"],
            Outcome.PROPOSE,
        ),
        (principal("reader"), ["bali-process"], Outcome.DENY),
        (principal("reader@bali-process"), ["bali-process"], Outcome.DENY),
        (principal("admin", scope="read"), ["bali-process"], Outcome.DENY),
        (Principal(kind="anonymous"), ["bali-process"], Outcome.DENY),
        (SYSTEM, [], Outcome.ALLOW),
    ],
)
def test_policy_document_add(who, processes, outcome):
    assert decide(who, Action.DOCUMENT_ADD, processes).outcome is outcome


def test_policy_admin_only_and_edit_actions():
    secretariat = principal("secretariat@bali-process")
    for action in (Action.USERS_MANAGE, Action.AUDIT_VIEW, Action.REFDATA_LOAD):
        assert decide(secretariat, action).outcome is Outcome.DENY
        assert decide(principal("admin"), action).allowed
    assert decide(principal("admin", scope="read"), Action.AUDIT_VIEW).allowed  # a read
    # a contributor cannot propose an edit of stored documents: there is no such proposal
    contributor = principal("contributor@bali-process")
    assert decide(contributor, Action.DOCUMENT_EDIT, ["bali-process"]).outcome is Outcome.DENY
    assert decide(secretariat, Action.DOCUMENT_EDIT, ["bali-process"]).allowed
    assert decide(secretariat, Action.TOKENS_MANAGE).allowed
    assert not decide(principal("admin", via="token"), Action.TOKENS_MANAGE).allowed


# ---------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def hub(database_factory):
    """A database of this module's own with one user per role."""
    database = database_factory.new()
    make_user(database, "admin", "admin")
    make_user(database, "sec", "secretariat@bali-process")
    make_user(database, "contrib", "contributor@bali-process")
    make_user(database, "reader", "reader")
    make_user(database, "other-sec", "secretariat@midsa")
    return database


@pytest.fixture(scope="module")
def hub_app(hub):
    return create_app(hub.settings, database=hub)


@pytest.fixture
def anonymous(hub_app) -> Iterator[TestClient]:
    with TestClient(hub_app, raise_server_exceptions=False) as client:
        yield client


def client_as(app, username: str | None) -> TestClient:
    client = TestClient(app, raise_server_exceptions=False)
    if username:
        sign_in(client, username)
    else:
        client.csrf = csrf_from(client.get("/sign-in").text)  # type: ignore[attr-defined]
    return client


def count(database, model, *where) -> int:
    with database.session() as session:
        return session.scalar(select(func.count()).select_from(model).where(*where)) or 0


# ---------------------------------------------------------------------------- sign-in


def test_sign_in_sets_a_session_cookie_and_sign_out_ends_it(hub, hub_app):
    client = TestClient(hub_app)
    page = client.get("/sign-in?lang=fr")
    assert "Se connecter" in page.text
    response = client.post(
        "/sign-in",
        data={
            "username": "sec",
            "password": PASSWORD,
            "csrf_token": csrf_from(page.text),
            "next": "/documents/upload",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/documents/upload"
    cookie = response.headers["set-cookie"]
    assert "rcphub_session=" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie
    assert "Secure" not in cookie  # plain http in the test; https sets it (next test)
    value = client.cookies["rcphub_session"]
    with hub.session() as session:
        row = session.get(UserSession, session_id(value))
        assert row is not None
        assert row.id != value  # only the hash is stored
    account = client.get("/account")
    assert account.status_code == 200
    assert "sec" in account.text
    token = csrf_from(account.text)
    assert client.post("/sign-out", data={"csrf_token": token}).status_code == 200
    with hub.session() as session:
        assert session.get(UserSession, session_id(value)).revoked_at is not None
    # the old cookie signs no one in any more
    client.cookies.set("rcphub_session", value)
    assert client.get("/account", follow_redirects=False).status_code == 303


def test_secure_cookie_over_https(hub, hub_app):
    client = TestClient(hub_app, base_url="https://testserver")
    page = client.get("/sign-in")
    assert "Secure" in page.headers["set-cookie"]  # the visitor's CSRF cookie
    response = client.post(
        "/sign-in",
        data={"username": "sec", "password": PASSWORD, "csrf_token": csrf_from(page.text)},
        follow_redirects=False,
    )
    assert "Secure" in response.headers["set-cookie"]


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/", "/\\evil"])
def test_sign_in_never_redirects_off_site(hub_app, target):
    client = TestClient(hub_app)
    page = client.get("/sign-in")
    response = client.post(
        "/sign-in",
        data={
            "username": "reader",
            "password": PASSWORD,
            "csrf_token": csrf_from(page.text),
            "next": target,
        },
        follow_redirects=False,
    )
    assert response.headers["location"] == "/"


def test_expired_session_is_refused(hub, hub_app):
    client = client_as(hub_app, "reader")
    with hub.session() as session:
        row = session.get(UserSession, session_id(client.cookies["rcphub_session"]))
        row.expires_at = "2000-01-01T00:00:00+00:00"
    assert client.get("/account", follow_redirects=False).status_code == 303


def test_wrong_password_and_unknown_user_look_the_same(anonymous):
    answers = []
    for username in ("sec", "nobody-at-all"):
        page = anonymous.get("/sign-in?lang=en")
        response = anonymous.post(
            "/sign-in",
            data={
                "username": username,
                "password": "wrong password!",
                "csrf_token": csrf_from(page.text),
            },
        )
        assert response.status_code == 401
        answers.append(re.sub(r'value="[^"]*"', "", response.text))
    assert "Wrong username or password." in answers[0]
    assert answers[0].replace("sec", "X") == answers[1].replace("nobody-at-all", "X")


def _attempt(app, username: str, password: str, address: str = "testclient"):
    client = TestClient(app, client=(address, 50000))
    page = client.get("/sign-in?lang=en")
    return client.post(
        "/sign-in",
        data={"username": username, "password": password, "csrf_token": csrf_from(page.text)},
        follow_redirects=False,
    )


def test_account_lockout_after_failures(database_factory):
    database = database_factory.new()
    database.settings = database.settings.model_copy(update={"sign_in_max_failures": 3})
    make_user(database, "target", "reader")
    app = create_app(database.settings, database=database)
    # a success resets the count
    for _ in range(2):
        assert _attempt(app, "target", "wrong password!").status_code == 401
    assert _attempt(app, "target", PASSWORD).status_code == 303
    for _ in range(3):
        assert _attempt(app, "target", "wrong password!").status_code == 401
    locked = _attempt(app, "target", PASSWORD)  # the right password, but locked
    assert locked.status_code == 429
    assert int(locked.headers["retry-after"]) > 0
    assert "Too many failed attempts" in locked.text
    # from another address too: the lock is on the account
    assert _attempt(app, "target", PASSWORD, address="10.0.0.9").status_code == 429
    # the period passes: the failures leave it and the account opens again
    with database.session() as session:
        for attempt in session.scalars(select(SignInAttempt)):
            attempt.at = "2000-01-01T00:00:00+00:00"
    assert _attempt(app, "target", PASSWORD).status_code == 303


def test_per_address_limit_across_usernames(database_factory):
    database = database_factory.new()
    database.settings = database.settings.model_copy(update={"sign_in_address_max_failures": 4})
    make_user(database, "someone", "reader")
    app = create_app(database.settings, database=database)
    for n in range(4):
        assert _attempt(app, f"guess{n}", "wrong password!", "10.1.1.1").status_code == 401
    assert _attempt(app, "someone", PASSWORD, "10.1.1.1").status_code == 429
    assert _attempt(app, "someone", PASSWORD, "10.2.2.2").status_code == 303


def test_deactivated_user_cannot_sign_in_and_its_sessions_end(hub, hub_app):
    from rcphub.accounts.users import set_active

    make_user(hub, "leaver", "reader")
    client = client_as(hub_app, "leaver")
    with hub.session() as session:
        set_active(session, SYSTEM, "leaver", False)
    assert client.get("/account", follow_redirects=False).status_code == 303
    assert _attempt(hub_app, "leaver", PASSWORD, "10.3.3.3").status_code == 401


# ---------------------------------------------------------------------------- CSRF


def _routes(routes) -> Iterator[tuple[str, set[str]]]:
    """(path, methods) of every route of the app."""
    for path, original in app_routes(routes):
        yield path, set(getattr(original, "methods", None) or ())


def _post_routes(app) -> list[str]:
    return sorted(
        {
            re.sub(r"\{[^}]+\}", "1", path)
            for path, methods in _routes(app.routes)
            if "POST" in methods and not path.startswith("/api/")
        }
    )


def test_the_route_walk_sees_the_api_too(hub_app):
    posts = {path for path, methods in _routes(hub_app.routes) if "POST" in methods}
    assert "/api/v1/documents" in posts


def test_every_form_route_refuses_a_missing_or_wrong_csrf_token(hub, hub_app):
    paths = _post_routes(hub_app)
    assert {"/sign-in", "/sign-out", "/documents/upload", "/account/tokens"} <= set(paths)
    admin = client_as(hub_app, "admin")
    visitor = client_as(hub_app, None)
    before = count(hub, AuditEntry)
    for client in (admin, visitor):
        for path in paths:
            for data in ({}, {"csrf_token": "wrong"}, {"csrf_token": ""}):
                response = client.post(path, data=data, follow_redirects=False)
                assert response.status_code == 403, (path, data, response.status_code)
                assert "csrf" in response.text.lower() or "form" in response.text.lower()
            multipart = client.post(
                path, files=[("files", ("a.txt", TEXT, "text/plain"))], data={"csrf_token": "x"}
            )
            assert multipart.status_code == 403, path
            header = client.post(path, headers={"X-CSRF-Token": "wrong"})
            assert header.status_code == 403, path
    # the admin's token is the session's, not the visitor's, and the other way round
    assert admin.post("/sign-out", data={"csrf_token": visitor.csrf}).status_code == 403
    assert count(hub, AuditEntry) == before  # nothing changed
    assert admin.get("/account").status_code == 200  # still signed in


def test_api_ignores_session_cookies(hub_app):
    """The JSON API authenticates by bearer token only: a session cookie (which a browser
    sends by itself, so a forged request would carry it) gives no rights there."""
    admin = client_as(hub_app, "admin")
    response = admin.post("/api/v1/documents", files=[("files", ("a.txt", TEXT, "text/plain"))])
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")


# ---------------------------------------------------------------------------- write paths


UPLOAD_MATRIX = [
    # (user, process chosen, page status, API status, stored?)
    ("admin", "", 200, 201, True),
    ("admin", "midsa", 200, 201, True),
    ("sec", "bali-process", 200, 201, True),
    ("sec", "midsa", 403, 403, False),
    ("sec", "", 403, 403, False),
    ("other-sec", "bali-process", 403, 403, False),
    ("contrib", "bali-process", 200, 202, False),  # a proposal
    ("contrib", "midsa", 403, 403, False),
    ("reader", "bali-process", 403, 403, False),
    (None, "bali-process", 401, 401, False),
]


@pytest.mark.parametrize(("user", "process", "page_status", "api_status", "stored"), UPLOAD_MATRIX)
def test_upload_form_matrix(hub, hub_app, user, process, page_status, api_status, stored):
    data = body(hash((user, process, "page")) % 10**8)
    client = client_as(hub_app, user)
    before = count(hub, Proposal)
    response = client.post(
        "/documents/upload?lang=en",
        files=[("files", ("matrix.txt", data, "text/plain"))],
        data={"process": process, "csrf_token": client.csrf},
        follow_redirects=False,
    )
    assert response.status_code == page_status, response.text[:500]
    import hashlib

    doc_id = hashlib.sha256(data).hexdigest()[:16]
    assert (count(hub, Document, Document.id == doc_id) == 1) is stored
    proposed = count(hub, Proposal) - before
    assert proposed == (1 if user == "contrib" and page_status == 200 else 0)
    if stored:
        with hub.session() as session:
            entry = session.scalar(
                select(AuditEntry).where(
                    AuditEntry.action == "document.ingest", AuditEntry.object_id == doc_id
                )
            )
            assert entry.actor == user


@pytest.mark.parametrize(("user", "process", "page_status", "api_status", "stored"), UPLOAD_MATRIX)
def test_api_upload_matrix(hub, hub_app, user, process, page_status, api_status, stored):
    data = body(hash((user, process, "api")) % 10**8)
    headers = {}
    if user:
        headers["Authorization"] = f"Bearer {make_token(hub, user, 'write')}"
    with TestClient(hub_app, headers=headers, raise_server_exceptions=False) as client:
        response = client.post(
            "/api/v1/documents",
            files=[("files", ("matrix.txt", data, "text/plain"))],
            data={"process": process} if process else {},
        )
    assert response.status_code == api_status, response.text
    assert response.json()  # JSON in every case, an error shape when refused
    import hashlib

    doc_id = hashlib.sha256(data).hexdigest()[:16]
    assert (count(hub, Document, Document.id == doc_id) == 1) is stored


def test_upload_form_is_for_users_who_may_add(hub_app):
    assert (
        client_as(hub_app, None)
        .get("/documents/upload", follow_redirects=False)
        .headers["location"]
        == "/sign-in?next=%2Fdocuments%2Fupload"
    )
    assert client_as(hub_app, "reader").get("/documents/upload").status_code == 403
    page = client_as(hub_app, "sec").get("/documents/upload?lang=en").text
    assert 'value="bali-process"' in page
    assert 'value="midsa"' not in page  # only the processes one may file under
    admin_page = client_as(hub_app, "admin").get("/documents/upload?lang=en").text
    assert 'value="midsa"' in admin_page


def test_read_token_cannot_write_and_revoked_token_stops(hub, hub_app):
    read = make_token(hub, "admin", "read")
    with TestClient(hub_app, headers={"Authorization": f"Bearer {read}"}) as client:
        response = client.post("/api/v1/documents", files=[("files", ("r.txt", TEXT))])
        assert response.status_code == 403
        assert client.get("/api/v1/me").json()["scope"] == "read"
    write = make_token(hub, "sec", "write")
    with hub.session() as session:
        token = session.scalar(select(ApiToken).where(ApiToken.prefix == write[:12]))
        assert token.token_hash != write
        assert write not in token.token_hash
        token_id = token.id
    with TestClient(hub_app, headers={"Authorization": f"Bearer {write}"}) as client:
        assert client.get("/api/v1/me").json()["username"] == "sec"
        with hub.session() as session:
            assert session.get(ApiToken, token_id).last_used_at is not None
        admin = client_as(hub_app, "admin")
        admin_page = admin.post(
            f"/account/tokens/{token_id}/revoke",
            data={"csrf_token": admin.csrf},
            follow_redirects=False,
        )
        assert admin_page.status_code == 303  # an admin may revoke anyone's token
        assert client.get("/api/v1/me").status_code == 401
    for bad in ("Bearer nonsense", "Basic abc", "Bearer "):
        with TestClient(hub_app, headers={"Authorization": bad}) as client:
            answer = client.get("/api/v1/documents")
            assert answer.status_code == 401
            assert answer.json()["error"]["code"] == "unauthenticated"


def test_tokens_from_the_account_page_are_shown_once(hub, hub_app):
    client = client_as(hub_app, "sec")
    response = client.post(
        "/account/tokens", data={"name": "website", "scope": "write", "csrf_token": client.csrf}
    )
    assert response.status_code == 201
    secret = re.search(r"(rcp_[A-Za-z0-9_-]{40,})", response.text).group(1)
    assert secret not in client.get("/account").text
    with TestClient(hub_app, headers={"Authorization": f"Bearer {secret}"}) as machine:
        assert machine.get("/api/v1/me").json()["username"] == "sec"
    bad = client.post("/account/tokens", data={"name": "", "csrf_token": client.csrf})
    assert bad.status_code == 422


def test_link_versions_matrix(hub, hub_app):
    from rcphub.documents import IngestOptions, Ingestor

    ingestor = Ingestor(hub)
    bali = ingestor.ingest_bytes(body(1), "a.txt", IngestOptions(processes=["bali-process"]))
    midsa = ingestor.ingest_bytes(body(2), "b.txt", IngestOptions(processes=["midsa"]))
    bali2 = ingestor.ingest_bytes(body(3), "c.txt", IngestOptions(processes=["bali-process"]))
    cases = [
        ("reader", bali.document_id, bali2.document_id, 403),
        ("contrib", bali.document_id, bali2.document_id, 403),
        ("sec", bali.document_id, midsa.document_id, 403),  # not a secretariat of midsa
        ("sec", bali.document_id, bali2.document_id, 200),
        ("admin", bali.document_id, midsa.document_id, 200),
        (None, bali.document_id, bali2.document_id, 401),
    ]
    for user, one, other, status in cases:
        headers = {"Authorization": f"Bearer {make_token(hub, user)}"} if user else {}
        with TestClient(hub_app, headers=headers, raise_server_exceptions=False) as client:
            response = client.post(f"/api/v1/documents/{one}/versions", data={"other": other})
        assert response.status_code == status, (user, response.text)
    with hub.session() as session:
        actors = set(
            session.scalars(
                select(AuditEntry.actor).where(AuditEntry.action == "document.link_version")
            )
        )
    assert {a.split(" ")[0] for a in actors} == {"sec", "admin"}


# ---------------------------------------------------------------------------- proposals


def test_contributor_proposes_and_a_secretariat_approves(hub, hub_app):
    data = body(424242)
    contrib = client_as(hub_app, "contrib")
    response = contrib.post(
        "/documents/upload?lang=en",
        files=[("files", ("proposal.txt", data, "text/plain"))],
        data={"process": "bali-process", "csrf_token": contrib.csrf},
    )
    assert "proposed for approval" in response.text
    with hub.session() as session:
        proposal = session.scalars(select(Proposal).order_by(Proposal.id.desc())).first()
        proposal_id = proposal.id
    # the contributor may not approve its own proposal (403); to another process's secretariat
    # and a reader it does not exist (404)
    for user, status in (("contrib", 403), ("other-sec", 404), ("reader", 404)):
        client = client_as(hub_app, user)
        refused = client.post(f"/proposals/{proposal_id}/approve", data={"csrf_token": client.csrf})
        assert refused.status_code == status, user
    sec = client_as(hub_app, "sec")
    assert "proposal.txt" in sec.get("/proposals").text
    approved = sec.post(
        f"/proposals/{proposal_id}/approve",
        data={"csrf_token": sec.csrf},
        follow_redirects=False,
    )
    assert approved.status_code == 303
    doc_id = approved.headers["location"].rsplit("/", 1)[1]
    with hub.session() as session:
        assert session.get(Document, doc_id) is not None
        assert session.get(Proposal, proposal_id).status == "approved"
        actions = [
            (e.actor, e.action)
            for e in session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(3))
        ]
    assert ("sec", "proposal.approve") in actions
    assert ("sec", "document.ingest") in actions
    again = sec.post(f"/proposals/{proposal_id}/approve", data={"csrf_token": sec.csrf})
    assert again.status_code == 422


# ---------------------------------------------------------------------------- audit


def test_audit_page_and_exports_are_for_admins(hub, hub_app):
    for user, status in (("sec", 403), ("reader", 403)):
        assert client_as(hub_app, user).get("/admin/audit").status_code == status
        assert client_as(hub_app, user).get("/admin/audit.csv").status_code == status
    assert client_as(hub_app, None).get("/admin/audit", follow_redirects=False).status_code == 303
    admin = client_as(hub_app, "admin")
    page = admin.get("/admin/audit?lang=ru")
    assert page.status_code == 200
    assert "user.create" in page.text
    exported = admin.get("/admin/audit.csv?action=user.grant")
    assert exported.content.startswith(b"\xef\xbb\xbfid,at,")
    rows = list(csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert rows
    assert {row["action"] for row in rows} == {"user.grant"}
    assert json.loads(rows[0]["details"])["role"]
    as_json = admin.get("/admin/audit.json").json()
    assert as_json["entries"][0]["id"] > as_json["entries"][-1]["id"]
    token = make_token(hub, "admin", "read")
    with TestClient(hub_app, headers={"Authorization": f"Bearer {token}"}) as client:
        assert client.get("/api/v1/audit?limit=5").json()["total"] >= 5
    sec_token = make_token(hub, "sec", "write")
    with TestClient(hub_app, headers={"Authorization": f"Bearer {sec_token}"}) as client:
        assert client.get("/api/v1/audit").status_code == 403


def test_a_failed_change_leaves_no_audit_entry(hub):
    from rcphub.accounts.users import grant
    from rcphub.errors import NotFound

    before = count(hub, AuditEntry)
    with pytest.raises(NotFound), hub.session() as session:
        grant(session, SYSTEM, "reader", "secretariat", "no-such-process")
    assert count(hub, AuditEntry) == before


def test_csv_export_defuses_formulas():
    from rcphub.audit import AuditRecord, export_csv

    entry = AuditRecord(1, "t", "=cmd()", None, "a", "o", "+1", None, {})
    assert "'=cmd()" in export_csv([entry])


# ---------------------------------------------------------------------------- CLI


@pytest.fixture
def cli(fresh_database):
    url = fresh_database.settings.resolved_database_url
    data_dir = str(fresh_database.settings.data_dir)

    def invoke(*args: str, stdin: str | None = None):
        return CliRunner().invoke(
            main, ["--database-url", url, "--data-dir", data_dir, *args], input=stdin
        )

    return invoke


def test_cli_users_and_tokens(cli, fresh_database):
    result = cli("users", "create", "Ana", "--role", "admin", "--password-stdin", stdin=PASSWORD)
    assert result.exit_code == 0, result.output
    assert "created ana: admin" in result.output
    with fresh_database.session() as session:
        stored = session.scalar(select(User.password_hash).where(User.username == "ana"))
    assert stored.startswith("$argon2id$")
    assert cli("users", "create", "bo", "--password-stdin", stdin="short").exit_code == 2
    assert cli("users", "create", "ana", "--password-stdin", stdin=PASSWORD).exit_code == 2
    no_stdin = cli("users", "create", "cy", "--password-stdin", stdin="")
    assert no_stdin.exit_code != 0
    assert cli("users", "create", "dee", stdin=PASSWORD).exit_code != 0  # no prompt without tty
    assert cli("users", "create", "eve", "--password-stdin", stdin=PASSWORD).exit_code == 0
    assert cli("users", "grant", "eve", "secretariat").exit_code == 2  # needs --process
    assert cli("users", "grant", "eve", "secretariat", "--process", "nope").exit_code == 3
    assert cli("users", "grant", "eve", "admin", "--process", "midsa").exit_code == 2
    assert cli("users", "grant", "eve", "secretariat", "--process", "midsa").exit_code == 0
    assert cli("users", "grant", "ghost", "reader").exit_code == 3
    listed = json.loads(cli("users", "list", "--json").output)
    eve = next(u for u in listed["users"] if u["username"] == "eve")
    assert eve["grants"] == [{"role": "secretariat", "process": "midsa"}]
    assert cli("users", "revoke", "eve", "secretariat", "--process", "midsa").exit_code == 0
    assert cli("users", "revoke", "eve", "secretariat", "--process", "midsa").exit_code == 2
    created = cli("tokens", "create", "eve", "--name", "site", "--scope", "write")
    assert created.exit_code == 0
    secret = created.stdout.strip().splitlines()[0]
    assert secret.startswith("rcp_")
    tokens = json.loads(cli("tokens", "list", "--json").output)["tokens"]
    assert secret not in json.dumps(tokens)
    assert cli("tokens", "revoke", str(tokens[0]["id"])).exit_code == 0
    assert cli("tokens", "revoke", "999").exit_code == 3
    assert (
        cli("users", "passwd", "eve", "--password-stdin", stdin="a new long password").exit_code
        == 0
    )
    exported = cli("audit", "export", "--format", "json").output
    actions = [e["action"] for e in json.loads(exported)["entries"]]
    for action in (
        "user.create",
        "user.grant",
        "user.revoke",
        "token.create",
        "token.revoke",
        "user.password",
    ):
        assert action in actions
    assert all(e["actor"].startswith("cli:") for e in json.loads(exported)["entries"][:3])


def test_cli_ingest_link_and_load_are_audited(cli, fresh_database, tmp_path):
    (tmp_path / "a.txt").write_bytes(body(7))
    (tmp_path / "b.txt").write_bytes(body(8))
    assert (
        cli("ingest", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "--workers", "1").exit_code
        == 0
    )
    with fresh_database.session() as session:
        ids = list(
            session.scalars(select(Document.id).where(Document.filename.in_(["a.txt", "b.txt"])))
        )
    assert cli("documents", "link", ids[0], ids[1]).exit_code == 0
    exported = json.loads(cli("audit", "export", "--format", "json").output)["entries"]
    by_action = {}
    for e in exported:
        by_action.setdefault(e["action"], []).append(e)
    assert len(by_action["document.ingest"]) >= 3  # the bundled document and ours
    assert by_action["document.link_version"][0]["actor"].startswith("cli:")
    assert by_action["refdata.load"]


def test_the_account_page_names_the_processes_of_its_roles(hub, hub_app):
    client = signed_in_client(hub_app, "sec")
    try:
        page = client.get("/account?lang=en")
        french = client.get("/account?lang=fr")
    finally:
        client.__exit__(None, None, None)
    assert page.status_code == 200
    roles = page.text.split('class="account-roles"', 1)[1].split("</ul>", 1)[0]
    assert ">Bali Process on People Smuggling" in roles  # its name, not its ID
    assert ">bali-process<" not in roles
    assert "Processus de Bali" in french.text.split('class="account-roles"', 1)[1]
    assert page.text.count(">Proposals</a>") == 1
