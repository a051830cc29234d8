"""The webhook API, CLI and page: who may, what bad input gets, the audit trail."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from sqlalchemy import select

from rcphub.accounts import SYSTEM
from rcphub.db import AuditEntry, Database, WebhookSubscription
from rcphub.webhooks.secrets import load_key, unseal
from tests.accounts_support import make_token, make_user

URL = "http://127.0.0.1:9/hook"


@pytest.fixture(scope="module")
def hub(database_factory) -> Database:  # type: ignore[no-untyped-def]
    database = database_factory.new()
    make_user(database, "admin", "admin")
    make_user(database, "sec", "secretariat@bali-process")
    make_user(database, "reader", "reader")
    return database


@pytest.fixture(scope="module")
def hub_app(hub: Database):  # type: ignore[no-untyped-def]
    from rcphub.app import create_app

    return create_app(hub.settings, database=hub)


@pytest.fixture(scope="module")
def clients(hub: Database, hub_app):  # type: ignore[no-untyped-def]
    made = {None: TestClient(hub_app)}
    for name in ("admin", "sec", "reader"):
        made[name] = TestClient(
            hub_app, headers={"Authorization": f"Bearer {make_token(hub, name)}"}
        )
    return made


def test_who_may_register_webhooks(clients, hub):  # type: ignore[no-untyped-def]
    cases = [
        (None, {"url": URL}, 401),
        ("reader", {"url": URL}, 403),
        ("sec", {"url": URL}, 403),  # a secretariat's webhook is filtered to its process
        ("sec", {"url": URL, "process": "midsa"}, 403),
        ("sec", {"url": URL, "process": "bali-process"}, 201),
        ("admin", {"url": URL, "state": "per", "events": ["document.added"]}, 201),
    ]
    for who, body, status in cases:
        response = clients[who].post("/api/v1/webhooks", json=body)
        assert response.status_code == status, (who, body, response.text)
        if status == 201:
            answer = response.json()
            assert answer["secret"].startswith("whsec_")
            assert answer["webhook"]["secret_hint"] == answer["secret"][:10] + "…"
    # the secretariat sees its own webhook only; the admin sees both; nobody sees a secret
    sec = clients["sec"].get("/api/v1/webhooks").json()["webhooks"]
    assert [w["process"] for w in sec] == ["bali-process"]
    admin = clients["admin"].get("/api/v1/webhooks").json()["webhooks"]
    assert len(admin) == 2
    assert "secret" not in json.dumps(admin).replace("secret_hint", "")
    assert clients["reader"].get("/api/v1/webhooks").status_code == 403
    # the secret is sealed at rest, not stored as itself
    with hub.session() as session:
        rows = session.scalars(select(WebhookSubscription)).all()
        for row in rows:
            assert "whsec_" not in row.secret_sealed
            assert unseal(row.secret_sealed, load_key(hub.settings)).startswith(row.secret_hint)
        actions = session.scalars(
            select(AuditEntry.action).where(AuditEntry.object_type == "webhook")
        ).all()
    assert actions.count("webhook.add") == 2


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        ({"url": "ftp://example.org/x"}, 422, "http://"),
        ({"url": "not-a-url"}, 422, "http://"),
        ({"url": "http://[::1/hook"}, 422, "http://"),
        ({"url": "http://example.org:99999/hook"}, 422, "http://"),
        ({"url": "http://example.org\n/hook"}, 422, "control characters"),
        ({"url": "http://example.org/a b"}, 422, "spaces"),
        ({"url": "https://user:pw@example.org/"}, 422, "password"),
        ({"url": ""}, 422, "URL"),
        ({"url": URL, "events": ["document.deleted"]}, 422, "unknown event type"),
        ({"url": URL, "process": "no-such-process"}, 404, "no process"),
        ({"url": URL, "state": "XXX"}, 404, "no state"),
        ({"url": URL, "state": "PERU"}, 422, "invalid"),
        ({"url": "http://e.org/" + "a" * 2000}, 422, "invalid"),
        ({}, 422, "invalid"),
    ],
)
def test_bad_input_is_a_clear_4xx(clients, body, status, words):  # type: ignore[no-untyped-def]
    response = clients["admin"].post("/api/v1/webhooks", json=body)
    assert response.status_code == status, response.text
    assert words in response.json()["error"]["message"]


def test_bad_ids_and_filters(clients):  # type: ignore[no-untyped-def]
    admin = clients["admin"]
    assert admin.delete("/api/v1/webhooks/999999").status_code == 404
    assert admin.delete("/api/v1/webhooks/abc").status_code == 422
    assert admin.get("/api/v1/webhooks/deliveries/nope").status_code == 404
    assert admin.post("/api/v1/webhooks/deliveries/nope/redeliver").status_code == 404
    response = admin.get("/api/v1/webhooks/deliveries?status=lost")
    assert response.status_code == 422
    assert "unknown delivery status" in response.json()["error"]["message"]
    assert admin.get("/api/v1/webhooks/deliveries?webhook=999999").status_code == 404


def test_delivery_log_redelivery_and_removal_through_the_api(clients, hub):  # type: ignore[no-untyped-def]
    from rcphub.documents import IngestOptions, Ingestor
    from rcphub.webhooks.delivery import Deliverer, DeliveryPolicy

    made = (
        clients["sec"]
        .post("/api/v1/webhooks", json={"url": URL, "process": "bali-process"})
        .json()["webhook"]
    )
    text = b"Bali meeting\n\n1. The participants met in Bali about migration, on the API test.\n"
    outcome = Ingestor(hub).ingest_bytes(text, "api.txt", IngestOptions(["bali-process"]))
    assert outcome.error is None
    # port 9 (discard) refuses: one failed attempt, then give up (most attempts: 1)
    Deliverer(hub, DeliveryPolicy(max_attempts=1, timeout=2)).run_once()
    log = clients["sec"].get(f"/api/v1/webhooks/deliveries?webhook={made['id']}").json()
    (delivery,) = log["deliveries"]
    assert delivery["status"] == "failed"
    assert delivery["last_error"]
    detail = clients["sec"].get(f"/api/v1/webhooks/deliveries/{delivery['id']}").json()
    assert len(detail["attempt_log"]) == 1
    assert detail["body"]["data"]["document"]["id"] == outcome.document_id
    assert clients["reader"].get(f"/api/v1/webhooks/deliveries/{delivery['id']}").status_code == 403
    again = clients["sec"].post(f"/api/v1/webhooks/deliveries/{delivery['id']}/redeliver")
    assert again.status_code == 200, again.text
    assert again.json()["status"] == "pending"
    twice = clients["sec"].post(f"/api/v1/webhooks/deliveries/{delivery['id']}/redeliver")
    assert twice.status_code == 422
    assert clients["sec"].delete(f"/api/v1/webhooks/{made['id']}").status_code == 200
    assert clients["sec"].delete(f"/api/v1/webhooks/{made['id']}").status_code == 422
    after = clients["admin"].get(f"/api/v1/webhooks/deliveries/{delivery['id']}").json()
    assert after["status"] == "cancelled"
    with hub.session() as session:
        actions = set(session.scalars(select(AuditEntry.action)))
    assert {"webhook.add", "webhook.redeliver", "webhook.remove"} <= actions


def test_cli(hub):  # type: ignore[no-untyped-def]
    from rcphub.cli import main

    runner = CliRunner()
    env = {"RCPHUB_DATABASE_URL": hub.settings.resolved_database_url}
    base = ["--data-dir", str(hub.settings.data_dir)]
    added = runner.invoke(
        main, [*base, "webhooks", "add", URL, "--event", "document.added", "--json"], env=env
    )
    assert added.exit_code == 0, added.output
    made = json.loads(added.output)
    assert made["secret"].startswith("whsec_")
    listed = runner.invoke(main, [*base, "webhooks", "list"], env=env)
    assert URL in listed.output
    bad = runner.invoke(main, [*base, "webhooks", "add", "gopher://x"], env=env)
    assert bad.exit_code == 2
    assert "error: the target URL" in bad.output
    missing = runner.invoke(main, [*base, "webhooks", "redeliver", "nope"], env=env)
    assert missing.exit_code == 3
    once = runner.invoke(main, [*base, "webhooks", "deliver", "--once"], env=env)
    assert once.exit_code == 0, once.output
    assert once.output.startswith("delivered ")
    log = runner.invoke(main, [*base, "webhooks", "deliveries", "--json"], env=env)
    assert log.exit_code == 0
    removed = runner.invoke(
        main, [*base, "webhooks", "remove", str(made["subscription"]["id"])], env=env
    )
    assert removed.exit_code == 0
    with hub.session() as session:
        entry = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "webhook.remove")
        ).all()
    assert any(e.actor.startswith("cli:") for e in entry)
    assert SYSTEM.is_admin


def test_the_page(hub, hub_app):  # type: ignore[no-untyped-def]
    from tests.accounts_support import signed_in_client

    anonymous = TestClient(hub_app)
    assert anonymous.get("/admin/webhooks", follow_redirects=False).status_code == 303
    reader = signed_in_client(hub_app, "reader")
    assert reader.get("/admin/webhooks?lang=en").status_code == 403
    sec = signed_in_client(hub_app, "sec")
    page = sec.get("/admin/webhooks?lang=fr")
    assert page.status_code == 200
    assert "Nouveau webhook" in page.text
    made = sec.post(
        "/admin/webhooks?lang=en",
        data={
            "url": "https://portal.example.org/hook",
            "events": ["followup.update.added"],
            "process": "bali-process",
            "csrf_token": sec.csrf,
        },
    )
    assert made.status_code == 201, made.text
    assert "Copy the secret now" in made.text
    assert "whsec_" in made.text
    again = sec.get("/admin/webhooks?lang=en")
    assert "https://portal.example.org/hook" in again.text
    assert "whsec_" in again.text  # the hint ("whsec_abcd…"), never the whole secret
    assert made.text.split('class="token-secret" dir="ltr">')[1].split("<")[0] not in again.text
    no_csrf = sec.post("/admin/webhooks", data={"url": "https://x.example.org/"})
    assert no_csrf.status_code == 403
    bad = sec.post(
        "/admin/webhooks?lang=en",
        data={"url": "javascript:alert(1)", "process": "bali-process", "csrf_token": sec.csrf},
    )
    assert bad.status_code == 422
    not_theirs = sec.post(
        "/admin/webhooks?lang=en",
        data={"url": "https://x.example.org/", "process": "midsa", "csrf_token": sec.csrf},
    )
    assert not_theirs.status_code == 403
    with hub.session() as session:
        mine = session.scalar(
            select(WebhookSubscription.id).where(
                WebhookSubscription.url == "https://portal.example.org/hook"
            )
        )
    removed = sec.post(
        f"/admin/webhooks/{mine}/remove", data={"csrf_token": sec.csrf}, follow_redirects=False
    )
    assert removed.status_code == 303
    assert "https://portal.example.org/hook" not in sec.get("/admin/webhooks").text
    assert sec.post("/admin/webhooks/abc/remove", data={"csrf_token": sec.csrf}).status_code == 422
    missing = sec.post("/admin/webhooks/deliveries/nope/redeliver", data={"csrf_token": sec.csrf})
    assert missing.status_code == 404
    for client in (reader, sec):
        client.__exit__(None, None, None)
