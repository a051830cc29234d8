"""The audit log: every change, who made it, when, on what, with details.

:func:`record` is the one helper every write path calls, with the session of the change it
records, so the entry commits or rolls back with the change itself. Entries are shown to admins
(``/admin/audit``) and exported as CSV or JSON (there, ``GET /api/v1/audit`` and
``rcphub audit export``).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any

from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rcphub.accounts.policy import Principal
from rcphub.accounts.timeutil import stamp
from rcphub.csvfile import csv_text
from rcphub.db import AuditEntry

__all__ = ["AuditRecord", "export_csv", "export_json", "list_entries", "record"]

FIELDS = ("id", "at", "actor", "user_id", "action", "object_type", "object_id", "address")


@dataclass(frozen=True)
class AuditRecord:
    id: int
    at: str
    actor: str
    user_id: int | None
    action: str
    object_type: str
    object_id: str | None
    address: str | None
    details: dict[str, Any]


class AuditPage(BaseModel):
    """``GET /api/v1/audit``: one page of the log, newest first, and how many entries match."""

    total: int
    entries: list[AuditRecord]


def record(
    session: Session,
    actor: Principal,
    action: str,
    object_type: str,
    object_id: str | int | None = None,
    details: dict[str, Any] | None = None,
) -> None:
    """Add an entry to the log in ``session`` (the transaction of the change), as a plain
    INSERT: no ORM object to flush (ingest writes one per document)."""
    session.execute(
        AuditEntry.__table__.insert(),
        {
            "at": stamp(),
            "actor": actor.label[:120],
            "user_id": actor.user_id,
            "action": action,
            "object_type": object_type,
            "object_id": None if object_id is None else str(object_id)[:120],
            "details": details or {},
            "address": actor.address,
        },
    )


def list_entries(
    session: Session,
    *,
    action: str | None = None,
    actor: str | None = None,
    object_id: str | None = None,
    limit: int | None = 100,
    offset: int = 0,
) -> tuple[int, list[AuditRecord]]:
    """Entries, newest first, with the total that match."""
    query = select(AuditEntry)
    if action:
        query = query.where(AuditEntry.action == action)
    if actor:
        query = query.where(AuditEntry.actor == actor)
    if object_id:
        query = query.where(AuditEntry.object_id == object_id)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    query = query.order_by(AuditEntry.id.desc()).offset(offset)
    if limit is not None:
        query = query.limit(limit)
    return total, [_plain(entry) for entry in session.scalars(query)]


def _plain(entry: AuditEntry) -> AuditRecord:
    return AuditRecord(
        id=entry.id,
        at=entry.at,
        actor=entry.actor,
        user_id=entry.user_id,
        action=entry.action,
        object_type=entry.object_type,
        object_id=entry.object_id,
        address=entry.address,
        details=dict(entry.details or {}),
    )


def export_json(entries: list[AuditRecord]) -> str:
    return json.dumps({"entries": [asdict(e) for e in entries]}, ensure_ascii=False, indent=1)


def export_csv(entries: list[AuditRecord]) -> str:
    """CSV (:mod:`rcphub.csvfile`) with a header; ``details`` as a JSON object in the last
    column. Cells that a spreadsheet would take for a formula are prefixed with an apostrophe."""
    return csv_text(
        [*FIELDS, "details"],
        (
            [
                *(_cell(getattr(entry, name)) for name in FIELDS),
                json.dumps(entry.details, ensure_ascii=False, sort_keys=True),
            ]
            for entry in entries
        ),
    )


def _cell(value: object) -> str:
    return "" if value is None else str(value)
