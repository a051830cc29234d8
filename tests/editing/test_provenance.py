"""`rcphub load` of newer bundled data never overwrites a person's edit, on both databases: the
meetings and members a secretariat added stay, a changed role is not duplicated, edited fields
keep the person's value, and where the bundled data now says something else the conflict is
listed (report, CLI --json, audit log)."""

from __future__ import annotations

import json

from click.testing import CliRunner
from sqlalchemy import func, select

from rcphub.accounts import SYSTEM
from rcphub.cli import main
from rcphub.db import AuditEntry, Meeting, Membership
from rcphub.editing import (
    add_membership,
    create_meeting,
    edit_meeting,
    edit_membership,
    edit_process,
)
from rcphub.refdata import load_reference_data
from rcphub.refdata import loader as loader_module


def _aus(session):  # type: ignore[no-untyped-def]
    return session.scalars(
        select(Membership).where(
            Membership.body_id == "bali-process", Membership.party == "state:AUS"
        )
    ).all()


def test_a_reload_keeps_what_people_changed(database_factory):  # type: ignore[no-untyped-def]
    database = database_factory.new()
    with database.session() as session:
        meeting = create_meeting(
            session, SYSTEM, "bali-process", {"title": {"en": "Workshop"}, "start": "2027-01-05"}
        )
        added = add_membership(session, SYSTEM, "bali-process", "state:MAR", "observer")
        aus = {m.role: m for m in _aus(session)}
        assert "member" in aus
        assert "observer" not in aus
        expected = sorted([*(set(aus) - {"member"}), "observer"])
        edit_membership(session, SYSTEM, "bali-process", aus["member"].id, {"role": "observer"})
        edit_process(session, SYSTEM, "bali-process", {"website": "https://example.org/bali"})
        edit_meeting(session, SYSTEM, "gfmd-2012", {"city": "Port Louis (edited)"})
    with database.session() as session:
        report = load_reference_data(session)
    assert report.conflicts == []  # the bundled data has not changed since the edits
    with database.session() as session:
        assert session.get(Meeting, meeting.id) is not None
        assert session.get(Membership, added.id) is not None
        assert sorted(m.role for m in _aus(session)) == expected
        assert session.get(Meeting, "gfmd-2012").city == "Port Louis (edited)"
        from rcphub.db import Body

        assert session.get(Body, "bali-process").website == "https://example.org/bali"
    # running it again still changes nothing
    with database.session() as session:
        again = load_reference_data(session)
    assert not again.changed


def test_newer_bundled_data_lists_the_conflict_and_keeps_the_edit(database_factory, monkeypatch):  # type: ignore[no-untyped-def]
    database = database_factory.new()
    with database.session() as session:
        bundled_city = session.get(Meeting, "gfmd-2012").city
        edit_meeting(session, SYSTEM, "gfmd-2012", {"city": "Edited city"})
        edit_process(session, SYSTEM, "bali-process", {"acronym": "BP (edited)"})

    original_meetings = loader_module.build_meetings
    original_bodies = loader_module.build_bodies

    def newer_meetings():  # type: ignore[no-untyped-def]
        rows = original_meetings()
        for row in rows:
            if row["id"] == "gfmd-2012":
                row["city"] = "Newer upstream city"
                row["theme"] = "A newer theme"
        return rows

    def newer_bodies(*args):  # type: ignore[no-untyped-def]
        rows = original_bodies(*args)
        for row in rows.bodies:
            if row["id"] == "bali-process":
                row["acronym"] = "BP-NEW"
        return rows

    monkeypatch.setattr(loader_module, "build_meetings", newer_meetings)
    monkeypatch.setattr(loader_module, "build_bodies", newer_bodies)
    monkeypatch.setattr(loader_module, "checksum", lambda *files: "a-newer-checksum")
    result = CliRunner().invoke(
        main,
        [
            "--database-url",
            database.settings.database_url,
            "--data-dir",
            str(database.settings.data_dir),
            "load",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    found = {(c["table"], c["key"], c["field"]): c for c in payload["conflicts"]}
    assert found[("meetings", "gfmd-2012", "city")]["bundled"] == "Newer upstream city"
    assert found[("meetings", "gfmd-2012", "city")]["current"] == "Edited city"
    assert found[("bodies", "bali-process", "acronym")]["bundled"] == "BP-NEW"
    assert len(found) == 2
    with database.session() as session:
        meeting = session.get(Meeting, "gfmd-2012")
        assert meeting.city == "Edited city" != bundled_city
        assert meeting.theme == "A newer theme"  # what no one edited follows the data
        logged = session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.action == "refdata.conflicts")
        )
    assert logged == 1
