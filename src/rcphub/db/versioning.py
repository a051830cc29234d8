"""The data version: a counter that every committed write raises, in its own transaction.

:func:`track_writes` hooks a session factory: a session that inserts, updates or deletes
anything (through the unit of work or a statement it executes) raises
``data_version.version`` just before it commits, so the new version commits exactly with the
write and a rolled-back write raises nothing. Readers on any node compare versions
(:func:`current_version`) to know whether what they rendered is still true: the read cache of
:mod:`rcphub.readcache` is keyed by it.

Statements run on the session's raw connection (COPY, a driver-level executemany) bypass the
hooks: code that writes that way calls :func:`note_write`.
"""

from __future__ import annotations

from sqlalchemy import event, select, update
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker

from rcphub.db.models import DataVersion

_WROTE = "rcphub_wrote"


def track_writes(factory: sessionmaker) -> None:  # type: ignore[type-arg]
    """Make every session of ``factory`` raise the data version when it commits a write."""
    event.listen(factory, "do_orm_execute", _note_statement)
    event.listen(factory, "after_flush", _note_flush)
    event.listen(factory, "before_commit", _raise_version)
    event.listen(factory, "after_commit", _forget)
    event.listen(factory, "after_rollback", _forget)


def note_write(session: Session) -> None:
    """Tell the session it wrote through its raw connection (the hooks cannot see that)."""
    session.info[_WROTE] = True


def current_version(session: Session) -> int:
    """The version last committed (0 on a database that has none yet)."""
    return session.scalar(select(DataVersion.version).where(DataVersion.id == 1)) or 0


def _note_statement(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        table = getattr(state.statement, "table", None)
        if getattr(table, "name", None) != DataVersion.__tablename__:
            state.session.info[_WROTE] = True


def _note_flush(session: Session, _context: object) -> None:
    if session.new or session.dirty or session.deleted:
        session.info[_WROTE] = True


def _raise_version(session: Session) -> None:
    # objects added or changed since the last flush are flushed by the commit, after this hook
    pending = bool(session.new or session.dirty or session.deleted)
    if session.info.pop(_WROTE, False) or pending:
        session.execute(
            update(DataVersion).where(DataVersion.id == 1).values(version=DataVersion.version + 1)
        )


def _forget(session: Session) -> None:
    session.info.pop(_WROTE, None)
