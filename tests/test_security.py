# ruff: noqa: S104  (0.0.0.0 is what the exposure checks are about)
"""Security basics: the headers of every response, pages that live within their own
Content-Security-Policy, hostile text in a real browser, no secret in the logs or the audit
log, and ``rcphub serve`` refusing to listen beyond loopback with a weak secret."""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from rcphub.app import create_app
from rcphub.cli import main
from rcphub.config import Settings
from rcphub.exposure import UnsafeToExpose, check_listening, is_local, problems
from tests.accounts_support import csrf_from, make_user
from tests.browser_support import guarded_page, running_server

TEMPLATES = Path(__file__).parents[1] / "src" / "rcphub" / "web" / "templates"
REQUIRED = {
    "content-security-policy": re.compile(r"(^|; )script-src 'self'(;|$)"),
    "x-content-type-options": re.compile(r"^nosniff$"),
    "referrer-policy": re.compile(r"^(same-origin|no-referrer|strict-origin)"),
}


@pytest.fixture
def client(loaded_database):
    with TestClient(create_app(loaded_database.settings, database=loaded_database)) as client:
        yield client


def _assert_secure_headers(response) -> None:  # type: ignore[no-untyped-def]
    for name, pattern in REQUIRED.items():
        assert pattern.search(response.headers.get(name, "")), (response.url, name)
    policy = response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy
    assert "'unsafe-inline'" not in policy
    assert "'unsafe-eval'" not in policy


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/", 200),
        ("/processes/bali-process", 200),
        ("/search?q=migration", 200),
        ("/sign-in", 200),
        ("/api/v1/processes", 200),
        ("/api/v1/docs", 200),
        ("/static/css/site.css", 200),
        ("/feeds/process/bali-process.atom", 200),
        ("/processes/no-such-process", 404),
        ("/api/v1/processes/no-such-process", 404),
        ("/processes/%01", 422),  # refused by a middleware before any route
    ],
)
def test_every_response_carries_the_security_headers(client, path, status):
    response = client.get(path)
    assert response.status_code == status
    _assert_secure_headers(response)


def test_head_is_answered_like_get_without_a_body(client):
    """Uptime monitors and link checkers send HEAD; every page declares GET only."""
    for path in ("/", "/processes/bali-process", "/api/v1/processes", "/static/css/site.css"):
        get = client.get(path)
        head = client.head(path)
        assert head.status_code == get.status_code == 200, path
        assert head.content == b""
        assert head.headers["content-type"] == get.headers["content-type"]
        _assert_secure_headers(head)
    assert client.head("/processes/no-such-process").status_code == 404


def test_a_stored_source_file_keeps_its_own_sandbox(client, lima_id):
    response = client.get(f"/documents/{lima_id}/source")
    assert response.status_code == 200
    assert response.headers["content-security-policy"] == "sandbox; default-src 'none'"
    assert response.headers["x-content-type-options"] == "nosniff"


def test_the_api_browser_needs_nothing_from_elsewhere(client):
    page = client.get("/api/v1/docs").text
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert sources, "the page loads Swagger UI"
    for source in sources:
        assert source.startswith("/"), source
        assert client.get(source).status_code == 200, source
    assert not re.search(r"<script(?![^>]*\bsrc=)", page)


def test_templates_have_no_inline_script_handler_or_style():
    """What the policy would block, caught before any browser sees it (mail templates go to
    mail readers, not to the hub's pages, and may style inline)."""
    offenders = []
    for template in sorted(TEMPLATES.glob("*.html")):
        if template.name.endswith("_mail.html"):
            continue
        text = template.read_text(encoding="utf-8")
        for pattern in (r"<script(?![^>]*\bsrc=)", r"\son[a-z]+\s*=", r"\sstyle\s*=", r"<style"):
            offenders += [f"{template.name}: {m.group(0)}" for m in re.finditer(pattern, text)]
    assert offenders == []


# ------------------------------------------------------------------ hostile text in a browser

HOSTILE_HTML = b"""<html><body>
<h1>Chair's summary <script>window.__pwned = 'heading'</script></h1>
<p>1. The meeting in Peru heard <img src=x onerror="window.__pwned='img'"> from IOM.</p>
<p>2. Participants <a href="javascript:window.__pwned='link'">agreed</a> on
<svg onload="window.__pwned='svg'"></svg> cooperation with Mexico.</p>
</body></html>"""

HOSTILE_TEXT = (
    b"1. The meeting in Peru heard <script>window.__pwned = 'text'</script> about migration.\n\n"
    b"2. Participants said \"><img src=x onerror=window.__pwned='attr'> to Mexico.\n"
)


@pytest.fixture(scope="module")
def hostile_server(database_factory):
    from rcphub.documents.ingest import Ingestor

    database = database_factory.new()
    ingestor = Ingestor(database, tag=False)
    ids = []
    for name, data in (("hostile.html", HOSTILE_HTML), ("hostile.txt", HOSTILE_TEXT)):
        outcome = ingestor.ingest_bytes(data, name)
        assert outcome.error is None, outcome.error
        ids.append(outcome.document_id)
    with running_server(create_app(database.settings, database=database)) as url:
        yield url, ids


@pytest.mark.browser
def test_hostile_documents_and_queries_stay_text_in_a_browser(browser, hostile_server):
    url, ids = hostile_server
    with guarded_page(browser) as page:
        dialogs = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        visits = [f"/documents/{ident}" for ident in ids] + [
            "/search?q=%3Cscript%3Ewindow.__pwned%3D1%3C%2Fscript%3E",
            '/search?q="><img src=x onerror=alert(1)>',
            "/search?q=Peru",  # hits whose highlighted text holds the hostile markup
            "/documents?q=%3Csvg%20onload%3Dalert(1)%3E",
        ]
        for path in visits:
            page.goto(url + path)
            page.wait_for_load_state("networkidle")
            assert page.evaluate("window.__pwned") is None, path
            injected = page.evaluate(
                """() => [...document.querySelectorAll(
                    'main script, main img[src="x"], main svg[onload], main [onerror],'
                    + ' main a[href^="javascript:"]')].map(e => e.outerHTML)"""
            )
            assert injected == [], path
        page.goto(f"{url}/documents/{ids[1]}")
        assert "<script>window.__pwned = 'text'</script>" in page.inner_text("main")
        assert dialogs == []


# ------------------------------------------------------------------ secrets stay out of logs

SECRET_PASSWORD = "Correct-Horse-7Battery-Staple"
TYPO_PASSWORD = "Correct-Horse-7Battery-Stapel"


def test_no_secret_reaches_the_logs_or_the_audit_log(database_factory, caplog):
    """Passwords (right and mistyped), session cookies, CSRF tokens, API tokens and webhook
    secrets pass through sign-in, the account page and the API while every logger records at
    DEBUG; none of them may appear in a log record or in the audit log."""
    from rcphub.audit import list_entries

    database = database_factory.new()
    make_user(database, "focal", "secretariat@bali-process", password=SECRET_PASSWORD)
    caplog.set_level(logging.DEBUG)
    seen_secrets = [SECRET_PASSWORD, TYPO_PASSWORD]
    with TestClient(create_app(database.settings, database=database)) as client:
        csrf = csrf_from(client.get("/sign-in").text)
        seen_secrets.append(csrf)
        wrong = client.post(
            "/sign-in", data={"username": "focal", "password": TYPO_PASSWORD, "csrf_token": csrf}
        )
        assert wrong.status_code in (400, 401, 403)
        signed_in = client.post(
            "/sign-in",
            data={"username": "focal", "password": SECRET_PASSWORD, "csrf_token": csrf},
            follow_redirects=False,
        )
        assert signed_in.status_code == 303
        seen_secrets.append(client.cookies["rcphub_session"])
        account = client.get("/account").text
        session_csrf = csrf_from(account)
        seen_secrets.append(session_csrf)
        made = client.post(
            "/account/tokens",
            data={"name": "portal", "scope": "write", "csrf_token": session_csrf},
        )
        assert made.status_code == 201
        token = re.search(r"rcp_[A-Za-z0-9_\-]{20,}", made.text)
        assert token, "the new token is shown once"
        seen_secrets.append(token.group(0))
        client.cookies.clear()
        api = {"Authorization": f"Bearer {token.group(0)}"}
        hook = client.post(
            "/api/v1/webhooks",
            headers=api,
            json={
                "url": "http://127.0.0.1:9/hook",
                "events": ["document.added"],
                "process": "bali-process",
            },
        )
        assert hook.status_code == 201
        seen_secrets.append(hook.json()["secret"])
        forged = client.get("/api/v1/whats-new", headers={"Authorization": "Bearer rcp_forged9"})
        assert forged.status_code == 401
    logged = "\n".join(record.getMessage() for record in caplog.records)
    logged += "\n".join(str(record.args) for record in caplog.records)
    with database.session() as session:
        audit = repr(list(list_entries(session, limit=None)))
    assert "focal" in audit, "the audit log recorded the changes"
    for secret in seen_secrets:
        assert len(secret) >= 8
        assert secret not in logged
        assert secret not in audit


# ------------------------------------------------------------------ serving beyond loopback


@pytest.mark.parametrize(
    ("host", "local"),
    [
        ("127.0.0.1", True),
        ("127.0.1.1", True),
        ("::1", True),
        ("[::1]", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.1.20", False),
        ("hub.example.org", False),
    ],
)
def test_which_addresses_are_local(host, local):
    assert is_local(host) is local


@pytest.mark.parametrize(
    ("key", "problem"),
    [
        ("change-me", "placeholder"),
        ("CHANGEME", "placeholder"),
        ("s3cr3t-but-short", "16 characters"),
        ("x" * 40, "one character repeated"),
        ("k8Zq1v0mW9pLr2sT7uY4aB6cD3eF5gH8jK1lM0nO", None),
    ],
)
def test_weak_webhook_keys_are_named(tmp_path, key, problem):
    found = problems(Settings(data_dir=tmp_path, webhook_key=key))
    if problem is None:
        assert found == []
    else:
        assert len(found) == 1
        assert problem in found[0]
        assert key not in found[0], "the message does not repeat the secret"


def test_a_key_file_others_can_read_is_refused(tmp_path):
    from rcphub.webhooks.secrets import KEY_FILE, load_key

    settings = Settings(data_dir=tmp_path, host="0.0.0.0")
    load_key(settings)  # the hub makes its key file, 0600
    check_listening(settings)
    os.chmod(tmp_path / KEY_FILE, 0o644)
    with pytest.raises(UnsafeToExpose, match="can be read by other users"):
        check_listening(settings)
    check_listening(settings.model_copy(update={"host": "127.0.0.1"}))  # local: allowed


def test_serve_refuses_a_public_address_with_a_placeholder_key(tmp_path):
    """Through the command, as an operator would meet it: nothing is prepared or served."""
    result = CliRunner().invoke(
        main,
        ["--data-dir", str(tmp_path), "serve", "--host", "0.0.0.0", "--no-warm-up"],
        env={"RCPHUB_WEBHOOK_KEY": "change-me"},
    )
    assert result.exit_code == 2
    assert "refusing to serve on 0.0.0.0" in result.output
    assert "RCPHUB_WEBHOOK_KEY is a placeholder value" in result.output
    assert not (tmp_path / "rcphub.sqlite3").exists(), "nothing was prepared"
