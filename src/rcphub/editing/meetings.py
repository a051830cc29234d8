"""Meetings of a process — ministerial conferences, senior officials' meetings, workshops —
that its secretariat adds and edits (or an admin). Each write asks the policy
(:data:`~rcphub.accounts.policy.Action.PROCESS_EDIT` on the meeting's process) and writes its
history and audit entry in the caller's transaction.

The fields, as the API, the CLI and the history name them: ``title`` (names by language),
``start`` and ``end`` (YYYY-MM-DD), ``state`` (ISO3 of the host country), ``city``,
``languages`` (UN language codes) and ``visibility`` (``public``, or ``restricted`` to the
process's members and secretariat).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from rcphub import registry
from rcphub.accounts.policy import Action, Principal, authorize, check_visibility
from rcphub.db.models import Body, Meeting, State
from rcphub.editing.common import (
    clean_date,
    clean_languages,
    clean_names,
    clean_text,
    only_fields,
)
from rcphub.editing.history import CREATED, jsonable, record_changes
from rcphub.errors import InvalidInput, NotFound
from rcphub.refdata.bodies import PROCESS_KINDS
from rcphub.registry.schemas import MeetingOut

__all__ = ["FIELDS", "create_meeting", "edit_meeting"]

FIELDS = ("title", "start", "end", "state", "city", "languages", "visibility")
SERIES = "process"
MAX_MEETINGS_PER_DAY = 20


def _values(session: Session, fields: Mapping[str, Any]) -> dict[str, Any]:
    """Checked values of the given fields, by field name."""
    out: dict[str, Any] = {}
    for field, raw in fields.items():
        if field == "title":
            out[field] = clean_names("title", raw, required=True)
        elif field in ("start", "end"):
            out[field] = clean_date(field, raw, required=field == "start")
        elif field == "state":
            code = clean_text("state", raw, limit=10)
            if code is not None:
                code = code.upper().removeprefix("STATE:")
                if session.get(State, code) is None:
                    raise InvalidInput(f"state must be an ISO 3166 alpha-3 code, not {code!r}")
            out[field] = code
        elif field == "city":
            out[field] = clean_text("city", raw, limit=120)
        elif field == "languages":
            out[field] = clean_languages(raw)
        elif field == "visibility":
            out[field] = check_visibility(raw or "public").value
    return out


def _current(row: Meeting) -> dict[str, Any]:
    return {
        "title": dict(row.names or {}),
        "start": row.start_date,
        "end": row.end_date,
        "state": row.country_iso3,
        "city": row.city,
        "languages": list(row.languages or []),
        "visibility": row.visibility,
    }


def _apply(row: Meeting, values: Mapping[str, Any]) -> None:
    for field, value in values.items():
        if field == "title":
            row.names = value
        elif field == "start":
            row.start_date = value
            row.year = value.year
        elif field == "end":
            row.end_date = value
        elif field == "state":
            row.country_iso3 = value
        elif field == "city":
            row.city = value
        elif field == "languages":
            row.languages = value
        elif field == "visibility":
            row.visibility = value
    if row.start_date and row.end_date and row.end_date < row.start_date:
        raise InvalidInput("the meeting ends before it starts")
    if row.start_date and row.end_date and (row.end_date - row.start_date).days > 60:
        raise InvalidInput("a meeting lasts at most 60 days")


def _new_id(session: Session, process_id: str, start: date) -> str:
    base = f"{process_id[:28]}-{start:%Y%m%d}"
    taken = set(session.scalars(select(Meeting.id).where(Meeting.id.startswith(base))))
    for n in range(1, MAX_MEETINGS_PER_DAY + 1):
        candidate = base if n == 1 else f"{base}-{n}"
        if candidate not in taken:
            return candidate
    raise InvalidInput(f"a process has at most {MAX_MEETINGS_PER_DAY} meetings starting one day")


def create_meeting(
    session: Session, actor: Principal, process: str, fields: Mapping[str, Any]
) -> MeetingOut:
    """Add a meeting of ``process``: ``title`` and ``start`` are required."""
    body = session.get(Body, registry.process_id(session, process))
    assert body is not None
    if body.kind not in PROCESS_KINDS:
        raise InvalidInput(f"{body.id} is an organisation, not a process")
    authorize(actor, Action.PROCESS_EDIT, [body.id])
    only_fields(fields, FIELDS)
    values = _values(session, {"visibility": "public", "end": None, **fields})
    if "title" not in values or "start" not in values:
        raise InvalidInput("a meeting needs a title and a start date")
    row = Meeting(
        id=_new_id(session, body.id, values["start"]),
        series=SERIES,
        body_id=body.id,
        year=values["start"].year,
        names={},
        details={},
        sources=[],
        languages=[],
    )
    _apply(row, values)
    session.add(row)
    session.flush()
    record_changes(
        session,
        actor,
        "meeting.create",
        "meeting",
        row.id,
        {CREATED: (None, jsonable(_current(row)))},
        process=body.id,
    )
    return registry.get_meeting(session, row.id, viewer=actor)


def edit_meeting(
    session: Session,
    actor: Principal,
    meeting_id: str,
    changes: Mapping[str, Any],
    *,
    reverts: int | None = None,
) -> MeetingOut:
    """Change some fields of a meeting; a meeting of no process (the global meetings of RCPs)
    is an admin's to change."""
    found = registry.get_meeting(session, meeting_id, viewer=actor)  # 404 if hidden from actor
    row = session.get(Meeting, found.id)
    if row is None:
        raise NotFound("meeting", meeting_id)
    authorize(actor, Action.PROCESS_EDIT, [row.body_id] if row.body_id else [])
    only_fields(changes, FIELDS)
    values = _values(session, changes)
    before = _current(row)
    _apply(row, values)
    after = _current(row)
    record_changes(
        session,
        actor,
        "meeting.edit",
        "meeting",
        row.id,
        {field: (before[field], after[field]) for field in values},
        process=row.body_id,
        reverts=reverts,
    )
    session.flush()
    return registry.get_meeting(session, row.id, viewer=actor)
