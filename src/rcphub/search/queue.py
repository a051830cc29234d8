"""Writing and reading the search queue (:class:`rcphub.db.models.SearchQueueEntry`)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from rcphub.db.models import SearchQueueEntry


def enqueue_document(session: Session, document_id: str) -> None:
    """Queue a document for (re)indexing, in the caller's transaction: call it wherever a
    document's passages, mentions, links, type or date are written or the document is
    deleted. If the transaction rolls back, the entry goes with it. A plain INSERT, not an
    ORM object: no unit of work to flush for a row nobody reads back."""
    session.execute(
        SearchQueueEntry.__table__.insert(),
        {"document_id": document_id, "queued_at": datetime.now(UTC).isoformat(timespec="seconds")},
    )


def last_queue_id(session: Session) -> int:
    return session.scalar(select(func.max(SearchQueueEntry.id))) or 0


def pending(session: Session, limit: int = 10_000) -> list[tuple[int, str]]:
    """Queue entries not yet applied, oldest first."""
    rows = session.execute(
        select(SearchQueueEntry.id, SearchQueueEntry.document_id)
        .order_by(SearchQueueEntry.id)
        .limit(limit)
    )
    return [(int(entry_id), document_id) for entry_id, document_id in rows]


LAG_SCAN = 100_000
"""Queue entries a lag count looks at, at most (a bound on the work of each search)."""


def pending_documents(session: Session) -> int:
    """Distinct documents among the first :data:`LAG_SCAN` waiting entries."""
    first = select(SearchQueueEntry.document_id).order_by(SearchQueueEntry.id).limit(LAG_SCAN)
    inner = first.subquery()
    return int(session.scalar(select(func.count(func.distinct(inner.c.document_id)))) or 0)


def has_pending(session: Session) -> bool:
    return session.scalar(select(SearchQueueEntry.id).limit(1)) is not None


def mark_applied(session: Session, ids: list[int]) -> None:
    """Delete applied entries (after the index that includes them has been written)."""
    for start in range(0, len(ids), 500):
        session.execute(
            delete(SearchQueueEntry).where(SearchQueueEntry.id.in_(ids[start : start + 500]))
        )
