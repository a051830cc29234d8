"""Engines and sessions for SQLite (embedded default) and PostgreSQL, and schema migration."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import TypeVar

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from rcphub.config import Settings
from rcphub.db.versioning import track_writes


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite files get WAL mode, foreign keys and a busy timeout."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_SECONDS})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):  # type: ignore[no-untyped-def]
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()
            # transactions are begun below, not by the driver before its first write
            dbapi_connection.isolation_level = None

        @event.listens_for(engine, "begin")
        def _sqlite_begin(connection):  # type: ignore[no-untyped-def]
            immediate = connection.get_execution_options().get(WRITE_OPTION)
            connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

        return engine
    return create_engine(url, pool_pre_ping=True)


T = TypeVar("T")

SQLITE_BUSY_SECONDS = 30
"""How long a SQLite connection waits for another's write lock before it gives up."""

WRITE_OPTION = "rcphub_write"
"""Execution option of the engine behind :meth:`Database.write_session`."""


class Database:
    """An engine and its session factory, built from settings; one per application."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.engine = make_engine(settings.resolved_database_url)
        self.sessionmaker = sessionmaker(self.engine, expire_on_commit=False)
        track_writes(self.sessionmaker)
        self._writer = sessionmaker(
            self.engine.execution_options(**{WRITE_OPTION: True}), expire_on_commit=False
        )
        track_writes(self._writer)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session whose transaction commits on success and rolls back on any error."""
        with self.sessionmaker.begin() as session:
            yield session

    @contextmanager
    def write_session(self, lock: str | None = None) -> Iterator[Session]:
        """A session for a transaction that reads, then writes what it read decides (ingest,
        sign-in attempts, tags). On SQLite it takes the write lock at BEGIN (``BEGIN
        IMMEDIATE``), waiting for it as long as the busy timeout: a deferred transaction
        that reads first and then writes fails at once with "database is locked" when another
        writer committed in between, whatever the timeout. On PostgreSQL, ``lock`` names an
        advisory lock held to the end of the transaction, so that writers of the same name
        check and write one at a time (the sign-in limits)."""
        with self._writer.begin() as session:
            if lock is not None and self.engine.dialect.name == "postgresql":
                key = int.from_bytes(hashlib.sha256(lock.encode()).digest()[:8], "big", signed=True)
                session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
            yield session

    def transact(self, work: Callable[[Session], T]) -> T:
        """``work(session)`` in a transaction of its own. On SQLite, a transaction that read
        and then found the database locked when it came to write (another writer committed
        since it began: SQLite fails it at once, whatever the busy timeout) is run again as a
        writer (:meth:`write_session`), which waits for the lock. For reads that may write
        (a token's last use, a session's last visit)."""
        try:
            with self.session() as session:
                return work(session)
        except OperationalError as error:
            if not self.is_sqlite or "locked" not in str(error.orig):
                raise
        with self.write_session() as session:
            return work(session)

    @contextmanager
    def exclusive(self, name: str) -> Iterator[None]:
        """Held by one process at a time among all that use this database, waited for: for
        work that must not run twice at once, such as preparing an empty database (two nodes
        started together would both migrate and load it). On PostgreSQL a session advisory
        lock on a connection of its own (outside any transaction, so it blocks nothing else);
        on SQLite an exclusive ``flock`` of a file beside the database file (the processes
        that share a SQLite file share its machine)."""
        key = int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)
        if self.is_sqlite:
            database = self.engine.url.database
            if not database or database == ":memory:":
                yield
                return
            import fcntl

            with open(f"{database}.{name}.lock", "a+") as handle:
                fcntl.flock(handle, fcntl.LOCK_EX)
                try:
                    yield
                finally:
                    fcntl.flock(handle, fcntl.LOCK_UN)
            return
        with self.engine.connect() as connection:
            connection = connection.execution_options(isolation_level="AUTOCOMMIT")
            connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": key})
            try:
                yield
            finally:
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    def migrate(self) -> None:
        """Bring the schema to the newest Alembic revision."""
        from alembic import command

        with self.engine.begin() as connection:
            config = alembic_config()
            config.attributes["connection"] = connection
            command.upgrade(config, "head")

    def dispose(self) -> None:
        self.engine.dispose()


def write_if_free(session: Session, work: Callable[[], object]) -> bool:
    """Run ``work`` (writes of what may be lost: a cache) in a savepoint of ``session``'s
    transaction; returns whether it was kept. On SQLite a transaction that has read cannot
    write once another writer committed after its first read ("database is locked" at once,
    whatever the busy timeout); on PostgreSQL two writers of the same rows may deadlock. Then
    the savepoint is rolled back and the transaction goes on. Anything else is raised."""
    try:
        with session.begin_nested():
            work()
    except OperationalError as error:
        if not lost_race(session.get_bind().dialect.name, error):
            raise
        return False
    return True


LOST_RACE_SQLSTATES = frozenset({"40P01", "40001"})
"""PostgreSQL: deadlock detected, serialization failure."""


def lost_race(dialect: str, error: OperationalError) -> bool:
    """Whether ``error`` says the transaction lost to another writer (and was undone), not
    that the database is out of reach: worth running again."""
    if dialect == "sqlite":
        return "locked" in str(error.orig)
    return getattr(error.orig, "sqlstate", None) in LOST_RACE_SQLSTATES


def alembic_config():  # type: ignore[no-untyped-def]
    """The Alembic configuration of the packaged migration scripts."""
    from alembic.config import Config

    config = Config()
    config.set_main_option(
        "script_location", str(resources.files("rcphub.db").joinpath("migrations"))
    )
    return config
