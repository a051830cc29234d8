"""`rcphub proposals`, `rcphub edit focal-point…` and `rcphub users invite|reset-link` on both
databases: the same JSON as the API, the operator named in history, errors as a message and a
non-zero exit with nothing written."""

from __future__ import annotations

import getpass
import json

from click.testing import CliRunner
from fastapi.testclient import TestClient

from rcphub.accounts import SYSTEM, invitations
from rcphub.app import create_app
from rcphub.cli import main
from tests.accounts_support import PASSWORD, make_token, make_user


def run(database, *args: str):  # type: ignore[no-untyped-def]
    base = ["--database-url", database.settings.database_url]
    base += ["--data-dir", str(database.settings.data_dir)]
    return CliRunner().invoke(main, [*base, *args])


def test_proposals_from_the_cli_as_the_api_shows_them(database_factory):  # type: ignore[no-untyped-def]
    database = database_factory.new()
    make_user(database, "contrib", "contributor@midsa")
    headers = {"Authorization": f"Bearer {make_token(database, 'contrib')}"}
    with TestClient(create_app(database.settings, database=database)) as client:
        made = client.post(
            "/api/v1/proposals",
            headers=headers,
            json={
                "kind": "membership.add",
                "target": "process:midsa",
                "changes": {"party": "state:MAR", "role": "observer"},
            },
        )
        assert made.status_code == 201, made.text
        pid = made.json()["id"]
        listed = run(database, "proposals", "list", "--json")
        assert listed.exit_code == 0, listed.output
        assert json.loads(listed.output)["proposals"] == [made.json()]
        shown = run(database, "proposals", "show", str(pid), "--json")
        assert (
            json.loads(shown.output)
            == client.get(f"/api/v1/proposals/{pid}", headers=headers).json()
        )
        approved = run(database, "proposals", "approve", str(pid), "--json")
        assert approved.exit_code == 0, approved.output
        assert json.loads(approved.output)["status"] == "approved"
        history = client.get("/api/v1/processes/midsa/history", headers=headers).json()
        assert history["changes"][0]["who"] == f"cli:{getpass.getuser()}"
        assert history["changes"][0]["proposed_by"] == "contrib"
        again = run(database, "proposals", "approve", str(pid))
        assert again.exit_code == 2
        assert "approved already" in again.output
        missing = run(database, "proposals", "reject", "9999", "--reason", "no")
        assert missing.exit_code == 3


def test_focal_points_from_the_cli(database_factory):  # type: ignore[no-untyped-def]
    database = database_factory.new()
    added = run(
        database,
        "edit",
        "focal-point-add",
        "midsa",
        "--name",
        "Thandi Nkosi",
        "--email",
        "thandi@example.org",
        "--json",
    )
    assert added.exit_code == 0, added.output
    entry = json.loads(added.output)
    assert entry["public"] is False
    bad = run(database, "edit", "focal-point-add", "midsa", "--name", "X", "--email", "x")
    assert bad.exit_code == 2
    changed = run(database, "edit", "focal-point", "midsa", str(entry["id"]), "--public", "--json")
    assert json.loads(changed.output)["public"] is True
    with TestClient(create_app(database.settings, database=database)) as client:
        listed = client.get("/api/v1/processes/midsa/focal-points").json()
    assert [f["email"] for f in listed["focal_points"]] == ["thandi@example.org"]
    cli = run(database, "edit", "focal-points", "midsa", "--json")
    assert json.loads(cli.output)["focal_points"] == listed["focal_points"]


def test_invitation_and_reset_links_from_the_cli(database_factory):  # type: ignore[no-untyped-def]
    database = database_factory.new()
    made = run(database, "users", "invite", "contributor", "--process", "midsa", "--json")
    assert made.exit_code == 0, made.output
    link = json.loads(made.output)
    assert link["url"].endswith(link["path"])
    with database.session() as session:
        user = invitations.accept_invitation(session, link["token"], "zodwa", PASSWORD)
    assert [(g.role, g.process) for g in user.grants] == [("contributor", "midsa")]
    listed = json.loads(run(database, "users", "invitations", "--json").output)
    assert listed["invitations"][0]["status"] == "used"
    assert listed["invitations"][0]["used_by"] == "zodwa"
    bad = run(database, "users", "invite", "secretariat")
    assert bad.exit_code == 2  # a secretariat is one of a process
    reset = run(database, "users", "reset-link", "zodwa", "--json")
    assert reset.exit_code == 0, reset.output
    assert json.loads(reset.output)["path"].startswith("/password-reset/rst_")
    assert run(database, "users", "reset-link", "nobody").exit_code == 3


def test_an_invitation_is_mailed_when_a_server_is_set(database_factory, tmp_path):  # type: ignore[no-untyped-def]
    from rcphub.exchange.invitation_mail import mail_link
    from tests.test_digests import SmtpServer

    database = database_factory.new()
    server = SmtpServer(tmp_path / "mail")
    server.start()
    try:
        settings = database.settings.model_copy(
            update={"smtp_host": "127.0.0.1", "smtp_port": server.port}
        )
        with database.session() as session:
            link = invitations.create_invitation(
                session, SYSTEM, "reader", "midsa", email="ayo@example.org"
            )
        url = "https://hub.example.org" + link.path
        sent = mail_link(settings, link, url, "cli:ops")
        assert sent.mailed is True
        messages = server.messages()
        assert [m["X-RcptTo"] for m in messages] == ["ayo@example.org"]
        assert url in messages[0].get_body(("plain",)).get_content()
    finally:
        server.stop()
    # no server: not mailed, and no error either; the inviter has the link
    down = mail_link(settings, link, url, "cli:ops")
    assert down.mailed is False
    assert down.mail_error
