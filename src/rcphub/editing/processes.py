"""A process's profile: names in the six languages, acronym, website, secretariat and chair
(rotation), kept by its secretariat (or an admin) with history.

What a person set here wins over newer bundled data: ``rcphub load`` leaves these fields alone
and lists the conflict (:mod:`rcphub.editing.provenance`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from rcphub import registry
from rcphub.accounts.policy import Action, Principal, authorize
from rcphub.db.models import Body
from rcphub.editing.common import clean_names, clean_text, clean_url, only_fields
from rcphub.editing.history import record_changes
from rcphub.registry.schemas import ProcessDetail

__all__ = ["COLUMNS", "FIELDS", "edit_process"]

COLUMNS = {
    "names": "names",
    "acronym": "acronym",
    "website": "website",
    "secretariat": "secretariat",
    "chair": "chair_rotation",
}
"""Field of the API and the history → column of :class:`~rcphub.db.models.Body`."""
FIELDS = tuple(COLUMNS)


def _values(fields: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for field, raw in fields.items():
        if field == "names":
            out[field] = clean_names("names", raw, required=True)
        elif field == "acronym":
            out[field] = clean_text("acronym", raw, limit=40)
        elif field == "website":
            out[field] = clean_url("website", raw)
        else:
            out[field] = clean_text(field, raw, limit=2000)
    return out


def edit_process(
    session: Session,
    actor: Principal,
    process: str,
    changes: Mapping[str, Any],
    *,
    source: Any = None,
    as_of: Any = None,
    reverts: int | None = None,
) -> ProcessDetail:
    """Change some of a process's profile fields (:data:`FIELDS`)."""
    body = session.get(Body, registry.process_id(session, process))
    assert body is not None
    authorize(actor, Action.PROCESS_EDIT, [body.id])
    only_fields(changes, FIELDS)
    values = _values(changes)
    source_url, as_of_text = clean_url("source", source), clean_text("as_of", as_of, limit=40)
    before = {field: getattr(body, COLUMNS[field]) for field in values}
    for field, value in values.items():
        setattr(body, COLUMNS[field], value)
    session.flush()
    record_changes(
        session,
        actor,
        "process.edit",
        "process",
        body.id,
        {field: (before[field], getattr(body, COLUMNS[field])) for field in values},
        process=body.id,
        source=source_url,
        as_of=as_of_text,
        reverts=reverts,
    )
    return registry.get_process(session, body.id, viewer=actor)
