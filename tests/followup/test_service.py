"""Follow-up services on a real database (SQLite and PostgreSQL) holding the Lima summary:
proposing, confirming, updating, listing by process and meeting, lights against a given day,
and refusals that leave nothing behind."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from rcphub.accounts import cli_operator
from rcphub.db import FollowupItem, FollowupUpdate
from rcphub.errors import InvalidInput, NotFound
from rcphub.followup import (
    add_update,
    create_item,
    detect_document,
    edit_item,
    get_item,
    list_items,
    review_item,
    tracked_refs,
)
from tests.followup.conftest import Lima

TODAY = date(2026, 3, 31)
ACTOR = cli_operator("maria")
"""The operator of the CLI may do anything; who else may is tests/test_access_writes.py's."""


@pytest.fixture(scope="module")
def detected(lima: Lima) -> dict[str, int]:
    """Detection run on the Russian text; ref → item id."""
    with lima.database.session() as session:
        report = detect_document(session, lima.ids["ru"], actor=ACTOR)
    return {item.ref: item.id for item in report.proposed}


def count(lima: Lima, model) -> int:  # type: ignore[no-untyped-def]
    with lima.database.session() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_detection_proposes_the_lima_recommendations_with_their_addressees(lima, detected):
    assert sorted(detected) == ["10.a", "10.b", "10.c", "10.d", "10.f", "7"]
    with lima.database.session() as session:
        item = get_item(session, detected["10.c"], TODAY)
    assert item.review == "proposed"
    assert item.light is None
    assert item.kind == "conclusion"
    assert item.addressees == ["process:gfmd", "process:un-hld-imrf"]
    assert item.text.startswith("региональные консультативные процессы")
    assert item.detection
    assert item.detection["score"] == 0.9
    assert item.created_by == "cli:maria"
    assert "meeting:grcp-2013" in item.document_links


def test_detection_again_proposes_nothing_and_skips_other_language_versions(lima, detected):
    with lima.database.session() as session:
        again = detect_document(session, lima.ids["ru"], actor=ACTOR)
        english = detect_document(session, lima.ids["en"], actor=ACTOR)  # grouped with the Russian
        # the English version lettered the last conclusion (e), the Russian (f)
    assert again.proposed == []
    assert len(again.already_tracked) == 6
    assert [i.ref for i in english.proposed] == ["10.e"]
    assert sorted(english.already_tracked) == ["10.a", "10.b", "10.c", "10.d", "7"]


def test_confirm_update_and_light(lima, detected):
    item_id = detected["10.a"]
    with lima.database.session() as session:
        confirmed = review_item(session, item_id, "confirm", actor=ACTOR)
        assert confirmed.review == "confirmed"
        assert confirmed.reviewed_by == "cli:maria"
    with lima.database.session() as session:
        # no update yet: counted from the document's date (28 June 2013) → red, inactive
        item = get_item(session, item_id, TODAY)
        assert item.light
        assert item.light.colour == "red"
        assert item.light.inactive
        detail = add_update(
            session,
            item_id,
            status="in_progress",
            progress=40,
            note="Raised at the GFMD 2025 summit",
            evidence=["https://www.gfmd.org/", f"document:{lima.ids['ru']}#10.a"],
            day="2025-06-01",
            today=TODAY,
            actor=ACTOR,
        )
    assert detail.status == "in_progress"
    assert detail.progress == 40
    assert detail.light.colour == "green"
    assert detail.light.last_activity == date(2025, 6, 1)
    events = detail.timeline
    assert sorted(e.event for e in events) == ["adopted", "confirmed", "proposed", "update"]
    assert [e.date for e in events] == sorted(e.date for e in events)
    assert events[0].date == date(2013, 6, 28)  # the document's date
    with lima.database.session() as session:
        later = get_item(session, item_id, date(2026, 7, 1))
        much_later = get_item(session, item_id, date(2027, 7, 1))
    assert later.light.colour == "amber"
    assert much_later.light.colour == "red"


def test_an_older_update_does_not_override_the_newest_status(lima, detected):
    item_id = detected["10.b"]
    with lima.database.session() as session:
        review_item(session, item_id, "confirm", actor=ACTOR)
        add_update(session, item_id, status="completed", day="2025-01-10", today=TODAY, actor=ACTOR)
        detail = add_update(
            session,
            item_id,
            status="in_progress",
            progress=50,
            day="2024-01-10",
            today=TODAY,
            actor=ACTOR,
        )
    assert (detail.status, detail.progress) == ("completed", 100)
    assert detail.light.colour == "closed"
    assert [u.date for u in detail.updates] == [date(2024, 1, 10), date(2025, 1, 10)]


def test_lists_by_process_meeting_and_light(lima, detected):
    with lima.database.session() as session:
        review_item(session, detected["10.c"], "confirm", actor=ACTOR)
        gfmd = list_items(session, process="gfmd", today=TODAY)
        meeting = list_items(session, meeting="grcp-2013", today=TODAY)
        everything = list_items(session, meeting="grcp-2013", review=None, today=TODAY)
        red = list_items(session, meeting="grcp-2013", light="red", today=TODAY)
        with pytest.raises(NotFound, match="did you mean"):
            list_items(session, process="gfm")
        with pytest.raises(InvalidInput, match="light must be one of"):
            list_items(session, light="blue")
    assert [i.ref for i in gfmd.items] == ["10.c"]
    assert gfmd.items[0].light.colour == "red"
    assert {"10.a", "10.b", "10.c"} <= {i.ref for i in meeting.items}
    assert all(i.review == "confirmed" for i in meeting.items)
    assert everything.counts["proposed"] >= 3
    assert "10.c" in {i.ref for i in red.items}
    assert "10.a" not in {i.ref for i in red.items}


def test_marks_for_a_document_page_cover_other_language_versions(lima, detected):
    with lima.database.session() as session:
        english = tracked_refs(session, lima.ids["en"])
        french = tracked_refs(session, lima.ids["fr"])
    assert english["10.a"].document == lima.ids["ru"]  # the Russian item, same ref
    assert english["10.e"].document == lima.ids["en"]
    assert french == {}  # not grouped with the others


def test_create_edit_and_refusals_leave_nothing_behind(lima, detected):
    items_before, updates_before = count(lima, FollowupItem), count(lima, FollowupUpdate)
    with lima.database.session() as session:
        with pytest.raises(InvalidInput, match="already tracked"):
            create_item(session, lima.ids["ru"], "10.a", actor=ACTOR)
        with pytest.raises(NotFound, match="passage"):
            create_item(session, lima.ids["ru"], "99", actor=ACTOR)
        with pytest.raises(InvalidInput, match="registry has no such state"):
            create_item(session, lima.ids["ru"], "8.b", addressees=["state:XXX"], actor=ACTOR)
        with pytest.raises(InvalidInput, match="confirm it before"):
            add_update(
                session, detected["7"], status="in_progress", progress=5, today=TODAY, actor=ACTOR
            )
        with pytest.raises(InvalidInput, match="future"):
            add_update(
                session,
                detected["10.a"],
                status="in_progress",
                day="2026-04-01",
                today=TODAY,
                actor=ACTOR,
            )
        with pytest.raises(InvalidInput, match="100% progress"):
            add_update(
                session, detected["10.a"], status="completed", progress=50, today=TODAY, actor=ACTOR
            )
        with pytest.raises(InvalidInput, match="neither an http"):
            add_update(
                session,
                detected["10.a"],
                status="in_progress",
                evidence=["javascript:alert(1)"],
                actor=ACTOR,
            )
        with pytest.raises(InvalidInput, match="no passage"):
            add_update(
                session,
                detected["10.a"],
                status="in_progress",
                evidence=[f"document:{lima.ids['ru']}#99.z"],
                actor=ACTOR,
            )
        with pytest.raises(NotFound):
            review_item(session, "12345678", "confirm", actor=ACTOR)
        with pytest.raises(InvalidInput, match="decision"):
            review_item(session, detected["7"], "maybe", actor=ACTOR)
    assert (count(lima, FollowupItem), count(lima, FollowupUpdate)) == (
        items_before,
        updates_before,
    )
    with lima.database.session() as session:
        made = create_item(
            session,
            lima.ids["ru"],
            "8.b",
            addressees=["state:per", "org:iom"],
            due_date="2027-12-31",
            confirm=True,
            actor=ACTOR,
        )
        assert made.addressees == ["state:PER", "org:iom"]
        assert made.review == "confirmed"
        edited = edit_item(session, made.id, due_date=None, kind="conclusion", actor=ACTOR)
        assert edited.due_date is None
        assert edited.kind == "conclusion"
        assert edited.addressees == ["state:PER", "org:iom"]
