"""Which reference facts a person changed, so that ``rcphub load`` of newer bundled data
leaves them alone and lists the conflicts instead.

The marker is the edit history itself (:class:`rcphub.db.EditRecord`, written by
:mod:`rcphub.editing`): a field with a history row was set by a person; a record whose
history starts with a creation (``*``) was added by a person and is not the bundled data's to
delete. For each such field the loader keeps the current value, and reports a conflict when
the bundled data now says something else than both the person's value and the value the
person replaced (so one edit is reported when upstream changes, not on every load).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from rcphub.db.editing_models import EditRecord
from rcphub.db.models import Membership, MembershipList

COLUMNS: dict[str, dict[str, tuple[str, ...]]] = {
    "process": {
        "names": ("names",),
        "acronym": ("acronym",),
        "website": ("website",),
        "secretariat": ("secretariat",),
        "chair": ("chair_rotation",),
    },
    "meeting": {
        "title": ("names",),
        "start": ("start_date", "year"),
        "end": ("end_date",),
        "state": ("country_iso3",),
        "city": ("city",),
        "languages": ("languages",),
        "visibility": ("visibility",),
    },
    "membership": {
        "role": ("role", "list_id"),
        "subgroup": ("subgroup",),
        "since": ("since",),
        "until": ("until",),
        "note": ("note",),
    },
}
"""Field of the history → the columns of the table a person's change of it set."""


@dataclass
class Protected:
    """What a person set in one table, by the table's natural key."""

    columns: dict[tuple[Any, ...], set[str]] = field(default_factory=dict)
    replaced: dict[tuple[tuple[Any, ...], str], Any] = field(default_factory=dict)
    """(key, column) → the value the person's first change replaced (as JSON)."""
    created: set[tuple[Any, ...]] = field(default_factory=set)
    aliases: dict[tuple[Any, ...], tuple[Any, ...]] = field(default_factory=dict)
    """The bundled key of a row a person re-keyed (a membership's new role) → its key now."""

    def keeps(self, key: tuple[Any, ...]) -> bool:
        return key in self.columns or key in self.created


@dataclass
class PersonEdits:
    bodies: Protected
    meetings: Protected
    memberships: Protected
    lists: set[tuple[Any, ...]]
    """(body_id, key) of membership lists that hold a membership a person added or changed."""


def _rows(session: Session, entity: str) -> list[EditRecord]:
    return list(
        session.scalars(
            select(EditRecord).where(EditRecord.entity == entity).order_by(EditRecord.id)
        )
    )


def _protect(rows: list[EditRecord], entity: str, key_of: dict[str, tuple[Any, ...]]) -> Protected:
    out = Protected()
    for row in rows:
        key = key_of.get(row.entity_id)
        if key is None:
            continue
        if row.field == "*":
            out.created.add(key)
            continue
        columns = COLUMNS[entity].get(row.field, ())
        for column in columns:
            out.columns.setdefault(key, set()).add(column)
        if columns:  # the first column is the field itself; the others follow from it
            out.replaced.setdefault((key, columns[0]), row.before)
    return out


def person_edits(session: Session) -> PersonEdits:
    """What people changed in the registry, as the loader needs it."""
    body_rows, meeting_rows = _rows(session, "process"), _rows(session, "meeting")
    bodies = _protect(body_rows, "process", {r.entity_id: (r.entity_id,) for r in body_rows})
    meetings = _protect(
        meeting_rows, "meeting", {r.entity_id: (r.entity_id,) for r in meeting_rows}
    )
    membership_rows = _rows(session, "membership")
    ids = sorted({int(r.entity_id) for r in membership_rows})
    current = {
        str(m.id): m
        for start in range(0, len(ids), 500)
        for m in session.scalars(
            select(Membership).where(Membership.id.in_(ids[start : start + 500]))
        )
    }
    key_of = {ident: (m.body_id, m.party, m.role, m.subgroup) for ident, m in current.items()}
    memberships = _protect(membership_rows, "membership", key_of)
    for ident, m in current.items():
        first_role = next(
            (r.before for r in membership_rows if r.entity_id == ident and r.field == "role"),
            m.role,
        )
        first_subgroup = next(
            (r.before for r in membership_rows if r.entity_id == ident and r.field == "subgroup"),
            m.subgroup,
        )
        original = (m.body_id, m.party, first_role, first_subgroup)
        if original != key_of[ident]:
            memberships.aliases[original] = key_of[ident]
    list_ids = {m.list_id for m in current.values()}
    lists = (
        {
            (lst.body_id, lst.key)
            for lst in session.scalars(
                select(MembershipList).where(MembershipList.id.in_(list_ids))
            )
        }
        if list_ids
        else set()
    )
    return PersonEdits(bodies, meetings, memberships, lists)


def as_json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value
