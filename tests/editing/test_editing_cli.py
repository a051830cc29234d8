"""`rcphub edit` on both databases: the same JSON as the API, the operator named in history,
errors as a message and a non-zero exit with nothing written."""

from __future__ import annotations

import getpass
import json

from click.testing import CliRunner
from fastapi.testclient import TestClient

from rcphub.app import create_app
from rcphub.cli import main
from tests.accounts_support import make_token, make_user


def run(database, *args: str):  # type: ignore[no-untyped-def]
    base = ["--database-url", database.settings.database_url]
    base += ["--data-dir", str(database.settings.data_dir)]
    return CliRunner().invoke(main, [*base, "edit", *args])


def test_the_cli_adds_a_meeting_and_a_member_as_the_api_shows_them(database_factory):  # type: ignore[no-untyped-def]
    database = database_factory.new()
    added = run(
        database,
        "meeting-add",
        "midsa",
        "--title",
        "en",
        "MIDSA Ministerial Conference",
        "--title",
        "fr",
        "Conférence ministérielle du MIDSA",
        "--start",
        "2027-09-01",
        "--state",
        "ZAF",
        "--language",
        "en",
        "--language",
        "fr",
        "--json",
    )
    assert added.exit_code == 0, added.output
    meeting = json.loads(added.output)
    member = run(database, "member-add", "midsa", "state:MAR", "--role", "observer", "--json")
    assert member.exit_code == 0, member.output
    with TestClient(create_app(database.settings, database=database)) as client:
        assert client.get(f"/api/v1/meetings/{meeting['id']}").json() == meeting
        process = client.get("/api/v1/processes/midsa").json()
        assert json.loads(member.output) in process["memberships"]
        # who made a change: for the process's members and admins (the operator sees all)
        make_user(database, "midsa-reader", "reader@midsa")
        member = {"Authorization": f"Bearer {make_token(database, 'midsa-reader')}"}
        history = client.get(f"/api/v1/meetings/{meeting['id']}/history", headers=member).json()
    assert history["changes"][0]["who"] == f"cli:{getpass.getuser()}"
    listed = run(database, "history", "meeting", meeting["id"], "--json")
    assert json.loads(listed.output) == history


def test_a_cli_error_is_a_message_and_writes_nothing(database_factory):  # type: ignore[no-untyped-def]
    database = database_factory.new()
    bad = run(database, "meeting-add", "midsa", "--title", "en", "X", "--start", "2027-02-30")
    assert bad.exit_code == 2
    assert "error: start must be a date" in bad.output
    assert run(database, "history", "process", "midsa", "--json").output.count('"id"') == 0
    missing = run(database, "revert", "999")
    assert missing.exit_code == 3
