"""The search log (:class:`rcphub.db.models.SearchQueueEntry`): every change to a document's
passages, appended in the transaction that made it, read by every node from its own position.

Each node (one index directory: one ``rcphub serve`` host, with its worker processes and an
``rcphub index --follow`` beside it) keeps in its index manifest the last entry it applied
(``last_applied``, its *position*) and, atomically with the index, the *holes* below it: IDs
it has not seen although later ones were visible. On PostgreSQL a transaction that took ID 5
may commit after the one that took ID 6; a node that applied 6 watches 5 for
:data:`HOLE_SECONDS` and applies it when it appears (a hole that never fills was a rolled-back
transaction). On SQLite writers take turns, so IDs become visible in order.

Nothing is deleted when applied: the log is pruned (:func:`prune`) of entries every live node
is past (nodes record their position in ``search_nodes``; one not seen for :data:`NODE_TTL`
does not count) once they are :data:`MIN_AGE` old, and of any entry older than
:data:`MAX_AGE`. ``search_log_pruned`` keeps how far it went: a node whose position is behind it
missed entries, and rebuilds its index from the database.
"""

from __future__ import annotations

import socket
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from rcphub.db.models import SearchLogPruned, SearchNode, SearchQueueEntry

HOLE_SECONDS = 600.0
"""How long a node waits for an ID below its position to appear (a transaction committing
late) before it forgets it."""
MAX_HOLES = 1000
REBUILD_HOLE_WINDOW = 100
"""After a rebuild, missing IDs among this many below the newest are watched as holes."""
NODE_TTL = timedelta(days=1)
"""A node not seen for this long no longer holds back pruning (it rebuilds if it returns)."""
MIN_AGE = timedelta(hours=1)
"""Entries younger than this are never pruned (a hole of some node may still fill)."""
MAX_AGE = timedelta(days=7)
"""Entries older than this are pruned even if a live node has not applied them."""
LAG_SCAN = 100_000
"""Log entries a lag count looks at, at most (a bound on the work of each search)."""


def _now() -> datetime:
    return datetime.now(UTC)


def _stamp(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def enqueue_document(session: Session, document_id: str) -> None:
    """Log a change to a document (to reindex it or, if it no longer exists, to remove it), in
    the caller's transaction: call it wherever a document's passages, mentions, links, tags,
    type or date are written or the document is deleted. If the transaction rolls back, the
    entry goes with it. A plain INSERT, not an ORM object: no unit of work to flush."""
    session.execute(
        SearchQueueEntry.__table__.insert(),
        {"document_id": document_id, "queued_at": _stamp(_now())},
    )


def new_node_name() -> str:
    return f"{socket.gethostname()[:40]}-{uuid.uuid4().hex[:8]}"


@dataclass
class Cursor:
    """A node's place in the log: the last entry applied and the holes below it (ID → when
    first missed, epoch seconds)."""

    position: int = 0
    holes: dict[int, float] = field(default_factory=dict)

    def condition(self):  # type: ignore[no-untyped-def]
        after = SearchQueueEntry.id > self.position
        if not self.holes:
            return after
        return or_(after, SearchQueueEntry.id.in_(sorted(self.holes)))

    def advance(self, applied: Iterable[int], now: float | None = None) -> Cursor:
        """The cursor once ``applied`` (entries read in ID order by :func:`pending`) are in
        the index: position at the newest, the IDs skipped below it watched as holes, filled
        and expired holes dropped."""
        now = time.time() if now is None else now
        ids = sorted(set(applied))
        holes = {
            entry: seen
            for entry, seen in self.holes.items()
            if now - seen < HOLE_SECONDS and entry not in ids
        }
        position = self.position
        newer = [entry for entry in ids if entry > position]
        if newer:
            expected = position + 1
            for entry in newer:
                for missing in range(expected, entry):
                    holes[missing] = now
                    if len(holes) > 4 * MAX_HOLES:
                        break
                expected = entry + 1
            position = newer[-1]
        if len(holes) > MAX_HOLES:  # keep the newest: an old gap is the least likely to fill
            holes = dict(sorted(holes.items())[-MAX_HOLES:])
        return Cursor(position, holes)

    def to_json(self) -> list[list[float]]:
        return [[entry, seen] for entry, seen in sorted(self.holes.items())]

    @classmethod
    def from_manifest(cls, position: int, holes: list[list[float]] | None) -> Cursor:
        return cls(int(position), {int(entry): float(seen) for entry, seen in holes or []})


def latest_id(session: Session) -> int:
    return int(session.scalar(select(func.max(SearchQueueEntry.id))) or 0)


def pending(session: Session, cursor: Cursor, limit: int = 10_000) -> list[tuple[int, str]]:
    """Log entries this node has not applied, oldest first."""
    rows = session.execute(
        select(SearchQueueEntry.id, SearchQueueEntry.document_id)
        .where(cursor.condition())
        .order_by(SearchQueueEntry.id)
        .limit(limit)
    )
    return [(int(entry_id), document_id) for entry_id, document_id in rows]


def pending_documents(session: Session, cursor: Cursor) -> int:
    """Distinct documents among the first :data:`LAG_SCAN` entries not applied."""
    first = (
        select(SearchQueueEntry.document_id)
        .where(cursor.condition())
        .order_by(SearchQueueEntry.id)
        .limit(LAG_SCAN)
    )
    inner = first.subquery()
    return int(session.scalar(select(func.count(func.distinct(inner.c.document_id)))) or 0)


def rebuild_cursor(session: Session) -> Cursor:
    """Where a node stands once it has rebuilt its index from the database as of now: at the
    newest entry, watching the recent IDs not visible yet (transactions still open)."""
    newest = latest_id(session)
    low = max(pruned_through(session), newest - REBUILD_HOLE_WINDOW)
    present = set(
        session.scalars(
            select(SearchQueueEntry.id).where(
                SearchQueueEntry.id > low, SearchQueueEntry.id <= newest
            )
        )
    )
    now = time.time()
    return Cursor(newest, {i: now for i in range(low + 1, newest + 1) if i not in present})


def pruned_through(session: Session) -> int:
    return int(session.scalar(select(SearchLogPruned.through).where(SearchLogPruned.id == 1)) or 0)


def record_node(session: Session, name: str, position: int) -> None:
    """Say where node ``name`` stands (for :func:`prune`), in the caller's transaction."""
    values = {"name": name, "position": position, "seen_at": _stamp(_now())}
    table = SearchNode.__table__
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert  # type: ignore[assignment]
    statement = insert(table).values(values)
    session.execute(
        statement.on_conflict_do_update(
            index_elements=["name"],
            set_={"position": statement.excluded.position, "seen_at": statement.excluded.seen_at},
        )
    )


def forget_node(session: Session, name: str) -> None:
    session.execute(delete(SearchNode).where(SearchNode.name == name))


def prune(session: Session, now: datetime | None = None) -> int:
    """Delete the entries every live node has applied (once :data:`MIN_AGE` old) and those
    older than :data:`MAX_AGE`; returns how many. Nodes seen within :data:`NODE_TTL` are
    live."""
    now = now or _now()
    live_min = session.scalar(
        select(func.min(SearchNode.position)).where(SearchNode.seen_at >= _stamp(now - NODE_TTL))
    )
    old = SearchQueueEntry.queued_at < _stamp(now - MAX_AGE)
    condition = old
    if live_min is not None:
        condition = or_(
            old,
            (SearchQueueEntry.id <= int(live_min))
            & (SearchQueueEntry.queued_at < _stamp(now - MIN_AGE)),
        )
    through = session.scalar(select(func.max(SearchQueueEntry.id)).where(condition))
    if through is None:
        return 0
    deleted = session.execute(
        delete(SearchQueueEntry).where(condition, SearchQueueEntry.id <= through)
    ).rowcount
    mark = session.get(SearchLogPruned, 1)
    if mark is None:
        session.add(SearchLogPruned(id=1, through=int(through)))
    elif mark.through < through:
        mark.through = int(through)
    return int(deleted or 0)
