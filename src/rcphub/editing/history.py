"""The edit history: who changed which field of which record, when, from what to what, with the
source and as-of date where the person gave them.

:func:`record_changes` is the one helper every editing service calls, with the session of the
change, so the history rows and the audit entry commit or roll back with the change itself.
The audit log (:mod:`rcphub.audit`) gets one entry per write naming the fields and the history
rows; the before/after values live here only, so they are not stored twice.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from rcphub import audit
from rcphub.accounts.policy import ANONYMOUS, Principal, may_see_editors
from rcphub.accounts.scopes import governing_processes
from rcphub.accounts.timeutil import stamp
from rcphub.db.editing_models import EditRecord
from rcphub.db.models import Meeting
from rcphub.editing.schemas import ChangeOut, HistoryOut
from rcphub.errors import InvalidInput

__all__ = ["CREATED", "jsonable", "list_history", "record_changes"]

CREATED = "*"
"""The field name of a record's creation; ``after`` holds the whole record."""

MAX_HISTORY = 500
ENTITIES = ("document", "process", "meeting", "membership", "focal_point")


def jsonable(value: Any) -> Any:
    """A value as the history stores it (dates as ISO text, tuples as lists)."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [jsonable(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    return value


def record_changes(
    session: Session,
    actor: Principal,
    action: str,
    entity: str,
    entity_id: str,
    changes: Mapping[str, tuple[Any, Any]],
    *,
    process: str | None = None,
    source: str | None = None,
    as_of: str | None = None,
    reverts: int | None = None,
) -> list[int]:
    """Write one history row per changed field (``field -> (before, after)``; unchanged ones
    are skipped) and one audit entry; return the IDs of the rows, in order."""
    assert entity in ENTITIES, entity
    at = stamp()
    rows = []
    for field, (before, after) in changes.items():
        before, after = jsonable(before), jsonable(after)
        if field != CREATED and before == after:
            continue
        row = EditRecord(
            entity=entity,
            entity_id=str(entity_id),
            process_id=process,
            field=field,
            before=before,
            after=after,
            actor=actor.label[:120],
            user_id=actor.user_id,
            at=at,
            source=source,
            as_of=as_of,
            reverts=reverts,
            proposed_by=actor.proposer,
        )
        session.add(row)
        rows.append(row)
    if not rows:
        return []
    session.flush()
    ids = [row.id for row in rows]
    details: dict[str, Any] = {"fields": [row.field for row in rows], "history": ids}
    if process:
        details["process"] = process
    if reverts is not None:
        details["reverts"] = reverts
    if actor.proposer:
        details["proposed_by"] = actor.proposer
    audit.record(session, actor, action, entity, entity_id, details)
    return ids


def change_out(row: EditRecord, who_shown: bool = True) -> ChangeOut:
    """One history row as the API shows it; without who made it unless ``who_shown``."""
    return ChangeOut(
        id=row.id,
        entity=row.entity,
        entity_id=row.entity_id,
        process=row.process_id,
        field=row.field,
        before=row.before,
        after=row.after,
        who=row.actor if who_shown else None,
        at=row.at,
        source=row.source,
        as_of=row.as_of,
        reverts=row.reverts,
        proposed_by=row.proposed_by if who_shown else None,
    )


def record_processes(session: Session, entity: str, entity_id: str) -> frozenset[str]:
    """The processes a record belongs to, whose members see who changed it: a process itself,
    a meeting's body, a document's governing processes (none: admins only)."""
    if entity == "process":
        return frozenset({entity_id})
    if entity == "meeting":
        body = session.scalar(select(Meeting.body_id).where(Meeting.id == entity_id))
        return frozenset({body}) if body else frozenset()
    return governing_processes(session, entity_id)


def list_history(
    session: Session,
    entity: str,
    entity_id: str,
    *,
    viewer: Principal = ANONYMOUS,
    limit: int = 100,
    offset: int = 0,
) -> HistoryOut:
    """Changes of one record, newest first; a process's include its memberships' changes.
    The caller has checked that ``viewer`` may see the record; who made each change is given
    to members of the record's processes and admins only (:func:`may_see_editors`)."""
    if entity not in ENTITIES[:4]:
        raise InvalidInput(f"history is kept for {', '.join(ENTITIES[:4])}")
    if not 1 <= limit <= MAX_HISTORY or not 0 <= offset <= 1_000_000:
        raise InvalidInput(f"limit must be 1-{MAX_HISTORY} and offset 0-1,000,000")
    where = (EditRecord.entity == entity) & (EditRecord.entity_id == entity_id)
    if entity == "process":
        where = or_(
            where, (EditRecord.entity == "membership") & (EditRecord.process_id == entity_id)
        )
    total = session.scalar(select(func.count()).select_from(EditRecord).where(where)) or 0
    rows = session.scalars(
        select(EditRecord).where(where).order_by(EditRecord.id.desc()).limit(limit).offset(offset)
    )
    shown = may_see_editors(viewer, record_processes(session, entity, entity_id))
    return HistoryOut(
        entity=entity,
        entity_id=entity_id,
        total=total,
        changes=[change_out(row, shown) for row in rows],
        who_shown=shown,
    )


def get_change(session: Session, change_id: int) -> EditRecord | None:
    return session.get(EditRecord, change_id) if 0 < change_id < 2**31 else None


def edited_fields(session: Session, entity: str) -> dict[str, set[str]]:
    """Record ID → the fields a person changed (``*``: a person created the record)."""
    out: dict[str, set[str]] = {}
    rows = session.execute(
        select(EditRecord.entity_id, EditRecord.field).where(EditRecord.entity == entity).distinct()
    )
    for entity_id, field in rows:
        out.setdefault(entity_id, set()).add(field)
    return out
