"""A document's details after upload — title, type, date, symbol, the meetings and processes
it is filed under — and its language versions (link, unlink), with history.

Who may: :data:`~rcphub.accounts.policy.Action.DOCUMENT_EDIT` on the processes the document
belongs to now (:func:`~rcphub.accounts.scopes.governing_processes`) and on every process it is
filed under after the change, so no secretariat moves a document into or out of another
process's hands. A document the actor may not read is not found. Each change queues the
document for the search index (its facets change) in the same transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from rcphub.accounts.policy import Action, Principal, authorize
from rcphub.accounts.scopes import governing_processes
from rcphub.db.models import Body, Document, DocumentLink, Meeting, Work
from rcphub.documents import service as documents
from rcphub.documents.parsing import DOC_TYPES
from rcphub.documents.schemas import DocumentDetail
from rcphub.editing.common import clean_date, clean_text, only_fields
from rcphub.editing.history import record_changes
from rcphub.errors import InvalidInput, NotFound
from rcphub.search.queue import enqueue_document

__all__ = ["FIELDS", "edit_document", "link_version", "unlink_version"]

FIELDS = ("title", "type", "date", "symbol", "meetings", "processes")
MAX_LINKS = 50


def _ids(name: str, raw: Any) -> list[str]:
    if raw is None or raw == "":
        return []
    items = raw.replace(",", " ").split() if isinstance(raw, str) else raw
    if not isinstance(items, list | tuple):
        raise InvalidInput(f"{name} must be a list of IDs")
    out: list[str] = []
    for item in items:
        if not isinstance(item, str) or not 0 < len(item.strip()) <= 80:
            raise InvalidInput(f"{name} must be a list of IDs")
        ident = item.strip().lower().removeprefix(name[:-1] + ":")
        if ident not in out:
            out.append(ident)
    if len(out) > MAX_LINKS:
        raise InvalidInput(f"a document is filed under at most {MAX_LINKS} {name}")
    return sorted(out)


def _values(session: Session, fields: Mapping[str, Any], actor: Principal) -> dict[str, Any]:
    from rcphub import registry

    out: dict[str, Any] = {}
    for field, raw in fields.items():
        if field == "title":
            out[field] = clean_text("title", raw, limit=1000)
        elif field == "type":
            value = (clean_text("type", raw, limit=24, required=True) or "").lower()
            if value not in DOC_TYPES:
                raise InvalidInput(f"type must be one of: {', '.join(DOC_TYPES)}")
            out[field] = value
        elif field == "date":
            out[field] = clean_date("date", raw)
        elif field == "symbol":
            out[field] = clean_text("symbol", raw, limit=80)
        elif field == "processes":
            ids = _ids("processes", raw)
            for ident in ids:
                if session.get(Body, ident) is None:
                    raise NotFound("process", ident)
            out[field] = ids
        elif field == "meetings":
            ids = _ids("meetings", raw)
            for ident in ids:
                if session.get(Meeting, ident) is None:
                    raise NotFound("meeting", ident)
                registry.get_meeting(session, ident, viewer=actor)
            out[field] = ids
    return out


def _links(session: Session, document_id: str, kind: str) -> list[str]:
    prefix = f"{kind}:"
    return sorted(
        target.removeprefix(prefix)
        for target in session.scalars(
            select(DocumentLink.target).where(
                DocumentLink.document_id == document_id, DocumentLink.target.startswith(prefix)
            )
        )
    )


def _current(session: Session, doc: Document) -> dict[str, Any]:
    return {
        "title": doc.title,
        "type": doc.doc_type,
        "date": doc.date,
        "symbol": doc.symbol,
        "meetings": _links(session, doc.id, "meeting"),
        "processes": _links(session, doc.id, "process"),
    }


def _set_links(session: Session, doc: Document, kind: str, ids: list[str]) -> None:
    session.execute(
        delete(DocumentLink).where(
            DocumentLink.document_id == doc.id, DocumentLink.target.startswith(f"{kind}:")
        )
    )
    for ident in ids:
        session.add(DocumentLink(document_id=doc.id, target=f"{kind}:{ident}"))


def edit_document(
    session: Session,
    actor: Principal,
    document_id: str,
    changes: Mapping[str, Any],
    *,
    reverts: int | None = None,
) -> DocumentDetail:
    """Change some of a document's details (the fields of :data:`FIELDS`)."""
    doc = documents._get(session, document_id, actor)
    only_fields(changes, FIELDS)
    with session.no_autoflush:
        values = _values(session, changes, actor)
    targets = set(governing_processes(session, doc.id))
    if "processes" in values:
        targets |= set(values["processes"])
    authorize(actor, Action.DOCUMENT_EDIT, targets)
    before = _current(session, doc)
    if "processes" in values and doc.visibility != "public" and not values["processes"]:
        raise InvalidInput("a restricted document must stay filed under a process")
    for field, value in values.items():
        if field in ("meetings", "processes"):
            _set_links(session, doc, field[:-1], value)
        elif field == "type":
            doc.doc_type = value
        else:
            setattr(doc, field, value)
    session.flush()
    after = _current(session, doc)
    changed = record_changes(
        session,
        actor,
        "document.edit",
        "document",
        doc.id,
        {field: (before[field], after[field]) for field in values},
        reverts=reverts,
    )
    if changed:
        enqueue_document(session, doc.id)
    return documents.get_document(session, doc.id, actor)


def _versions(session: Session, doc: Document) -> list[str]:
    return sorted(
        session.scalars(
            select(Document.id).where(Document.work_id == doc.work_id, Document.id != doc.id)
        )
    )


def link_version(
    session: Session,
    actor: Principal,
    document_id: str,
    other: str,
    *,
    reverts: int | None = None,
) -> DocumentDetail:
    """Make ``other`` a language version of the document (one work), with history."""
    doc = documents._get(session, document_id, actor)
    before = _versions(session, doc)
    detail = documents.link_versions(session, doc.id, other, actor)
    record_changes(
        session,
        actor,
        "document.versions",
        "document",
        doc.id,
        {"versions": (before, _versions(session, doc))},
        reverts=reverts,
    )
    return detail


def unlink_version(
    session: Session, actor: Principal, document_id: str, *, reverts: int | None = None
) -> DocumentDetail:
    """Take the document out of its work: it stands alone, its former versions stay together."""
    doc = documents._get(session, document_id, actor)
    before = _versions(session, doc)
    authorize(actor, Action.DOCUMENT_EDIT, governing_processes(session, doc.id, *before))
    if not before:
        raise InvalidInput("the document has no other language version to unlink from")
    work = Work(symbol=None, title=doc.title)
    session.add(work)
    session.flush()
    doc.work_id = work.id
    session.flush()
    record_changes(
        session,
        actor,
        "document.versions",
        "document",
        doc.id,
        {"versions": (before, [])},
        reverts=reverts,
    )
    return documents.get_document(session, doc.id, actor)
