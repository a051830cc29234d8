"""The focal-point directory of a process: who to contact (name, function, organisation,
e-mail, phone), kept by its secretariat (or an admin) with history (entity ``focal_point``).

An entry is members-only unless marked ``public``: the process's members (any role granted for
it), its secretariat and admins see every entry; anyone else sees the public ones only, and the
history of the directory not at all (it holds the members-only addresses too). The fields as
the API, the CLI and the history name them: ``name``, ``function``, ``organisation``,
``email``, ``phone``, ``public``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from rcphub import registry
from rcphub.accounts.invitations import clean_email
from rcphub.accounts.policy import Action, Principal, authorize, may_read
from rcphub.accounts.timeutil import stamp
from rcphub.db import EditRecord, FocalPoint
from rcphub.editing.common import clean_text, only_fields
from rcphub.editing.history import CREATED, change_out, record_changes
from rcphub.editing.schemas import HistoryOut
from rcphub.errors import InvalidInput, NotFound

__all__ = [
    "FIELDS",
    "FocalPointOut",
    "FocalPointsOut",
    "add_focal_point",
    "edit_focal_point",
    "focal_point_history",
    "list_focal_points",
    "may_see_all",
    "remove_focal_point",
]

FIELDS = ("name", "function", "organisation", "email", "phone", "public")
REMOVED = "-"
"""The field name of a removal in the history; ``before`` holds the whole entry."""
PHONE = re.compile(r"\+?[0-9 ().\-/]{3,40}")
MAX_PER_PROCESS = 200


class FocalPointOut(BaseModel):
    id: int
    process: str
    name: str
    function: str | None = None
    organisation: str | None = None
    email: str
    phone: str | None = None
    public: bool


class FocalPointsOut(BaseModel):
    process: str
    members_only_shown: bool
    """Whether the reader sees the members-only entries (a member, the secretariat, an admin)."""
    focal_points: list[FocalPointOut]


def _public(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    if raw in (None, "", "0", "false", "no", "off"):
        return False
    if raw in ("1", "true", "yes", "on"):
        return True
    raise InvalidInput("public must be true or false")


def _values(fields: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for field, raw in fields.items():
        if field == "name":
            out[field] = clean_text("name", raw, limit=200, required=True)
        elif field in ("function", "organisation"):
            out[field] = clean_text(field, raw, limit=300)
        elif field == "email":
            text = clean_text("email", raw, limit=254, required=True)
            out[field] = clean_email(text)
        elif field == "phone":
            text = clean_text("phone", raw, limit=40)
            if text is not None and not PHONE.fullmatch(text):
                raise InvalidInput("phone: digits, spaces, + ( ) . - / only")
            out[field] = text
        elif field == "public":
            out[field] = _public(raw)
    return out


def _out(row: FocalPoint) -> FocalPointOut:
    return FocalPointOut(
        id=row.id,
        process=row.process_id,
        name=row.name,
        function=row.function,
        organisation=row.organisation,
        email=row.email,
        phone=row.phone,
        public=bool(row.public),
    )


def _current(row: FocalPoint) -> dict[str, Any]:
    return _out(row).model_dump(exclude={"id", "process"})


def may_see_all(viewer: Principal, process: str) -> bool:
    """Does ``viewer`` see the members-only entries of ``process``'s directory?"""
    return may_read(viewer, "restricted", [process])


def list_focal_points(session: Session, viewer: Principal, process: str) -> FocalPointsOut:
    body_id = registry.process_id(session, process)
    everything = may_see_all(viewer, body_id)
    query = select(FocalPoint).where(FocalPoint.process_id == body_id)
    if not everything:
        query = query.where(FocalPoint.public.is_(True))
    rows = session.scalars(query.order_by(FocalPoint.name, FocalPoint.id))
    return FocalPointsOut(
        process=body_id, members_only_shown=everything, focal_points=[_out(r) for r in rows]
    )


def add_focal_point(
    session: Session, actor: Principal, process: str, fields: Mapping[str, Any]
) -> FocalPointOut:
    """Add an entry: ``name`` and ``email`` are required; members-only unless ``public``."""
    body_id = registry.process_id(session, process)
    authorize(actor, Action.PROCESS_EDIT, [body_id])
    only_fields(fields, FIELDS)
    values = _values({"public": False, **fields})
    if not values.get("name") or not values.get("email"):
        raise InvalidInput("a focal point needs a name and an e-mail address")
    count = session.scalar(
        select(func.count()).select_from(FocalPoint).where(FocalPoint.process_id == body_id)
    )
    if (count or 0) >= MAX_PER_PROCESS:
        raise InvalidInput(f"a process lists at most {MAX_PER_PROCESS} focal points")
    row = FocalPoint(process_id=body_id, created_at=stamp(), **values)
    session.add(row)
    session.flush()
    record_changes(
        session,
        actor,
        "focal_point.add",
        "focal_point",
        str(row.id),
        {CREATED: (None, _current(row))},
        process=body_id,
    )
    return _out(row)


def _row(session: Session, process: str, focal_point_id: int) -> FocalPoint:
    body_id = registry.process_id(session, process)
    row = session.get(FocalPoint, focal_point_id) if 0 < focal_point_id < 2**31 else None
    if row is None or row.process_id != body_id:
        raise NotFound("focal point", f"{body_id} {focal_point_id}")
    return row


def edit_focal_point(
    session: Session,
    actor: Principal,
    process: str,
    focal_point_id: int,
    changes: Mapping[str, Any],
    *,
    reverts: int | None = None,
) -> FocalPointOut:
    row = _row(session, process, focal_point_id)
    authorize(actor, Action.PROCESS_EDIT, [row.process_id])
    only_fields(changes, FIELDS)
    values = _values(changes)
    before = _current(row)
    for field, value in values.items():
        setattr(row, field, value)
    session.flush()
    after = _current(row)
    record_changes(
        session,
        actor,
        "focal_point.edit",
        "focal_point",
        str(row.id),
        {field: (before[field], after[field]) for field in values},
        process=row.process_id,
        reverts=reverts,
    )
    return _out(row)


def remove_focal_point(
    session: Session, actor: Principal, process: str, focal_point_id: int
) -> FocalPointOut:
    row = _row(session, process, focal_point_id)
    authorize(actor, Action.PROCESS_EDIT, [row.process_id])
    gone = _out(row)
    record_changes(
        session,
        actor,
        "focal_point.remove",
        "focal_point",
        str(row.id),
        {REMOVED: (_current(row), None)},
        process=row.process_id,
    )
    session.execute(delete(FocalPoint).where(FocalPoint.id == row.id))
    return gone


def focal_point_history(
    session: Session, viewer: Principal, process: str, *, limit: int = 100, offset: int = 0
) -> HistoryOut:
    """Changes of the directory, newest first: for those who see its members-only entries
    (anyone else: 404, as for members-only content)."""
    body_id = registry.process_id(session, process)
    if not may_see_all(viewer, body_id):
        raise NotFound("focal-point history of", body_id)
    if not 1 <= limit <= 500 or not 0 <= offset <= 1_000_000:
        raise InvalidInput("limit must be 1-500 and offset 0-1,000,000")
    where = (EditRecord.entity == "focal_point") & (EditRecord.process_id == body_id)
    total = session.scalar(select(func.count()).select_from(EditRecord).where(where)) or 0
    rows = session.scalars(
        select(EditRecord).where(where).order_by(EditRecord.id.desc()).limit(limit).offset(offset)
    )
    return HistoryOut(
        entity="focal_point",
        entity_id=body_id,
        total=total,
        changes=[change_out(row) for row in rows],
        who_shown=True,  # the same readers as the members-only entries (above)
    )
