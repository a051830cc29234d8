"""Source files of ingested documents, by content hash: in a directory or in the database.

Two stores, one setting (``RCPHUB_SOURCE_STORE``, :func:`source_store`):

* :class:`DatabaseStore` (the default on PostgreSQL): a ``source_files`` row written in the
  transaction of its document, so the file exists exactly when the document does and every
  node of the hub serves it. It reads the directory as a fallback, for files stored before.
* :class:`DirectoryStore` (the default on SQLite; with several nodes, a directory they all
  reach): ``<root>/<hash[:2]>/<hash>``, written atomically (a temporary file renamed into
  place), so a reader never sees half a file.

The directory is written outside the database's transaction, so two writers of the same bytes
race: both write the file (the same bytes; the rename is atomic), one commits its document and
the other fails its transaction (a duplicate). The loser must not delete what the winner's
document points to, so clean-up is :meth:`DirectoryStore.discard_unless_referenced`: delete,
then look again, and put the bytes back if a document appeared; and the winner checks the file
after its commit (:meth:`DirectoryStore.ensure`). Whichever order the two take, the file is in
place once both are done.
"""

from __future__ import annotations

import logging
import os
import socket
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from rcphub.db.models import SourceFile

if TYPE_CHECKING:
    from rcphub.db import Database

log = logging.getLogger(__name__)

INCOMING = ".incoming-"
STALE_SECONDS = 3600
"""A temporary file of another host (or of no known process) older than this is left over
from a killed writer."""


class DirectoryStore:
    """Content-addressed files: ``<root>/<hash[:2]>/<hash>``."""

    in_database = False

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, content_hash: str) -> Path:
        return self.root / content_hash[:2] / content_hash

    def put(self, content_hash: str, data: bytes) -> bool:
        """Store ``data``; True if the file was not there before this call. Safe to call from
        several writers at once: each writes a temporary file of its own and renames it over
        the target (the same bytes)."""
        target = self.path(content_hash)
        if target.exists() and target.stat().st_size == len(data):
            return False
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=_incoming_prefix())
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return True

    def ensure(self, content_hash: str, data: bytes) -> None:
        """After a commit: the file is there (a racing writer's clean-up may have removed it
        between its check and ours)."""
        self.put(content_hash, data)

    def discard_unless_referenced(
        self, content_hash: str, data: bytes, referenced: Callable[[], bool]
    ) -> None:
        """Remove the file a failed transaction wrote, unless a stored row points to it.
        ``referenced`` asks the database (committed rows); it is asked again after the
        removal, and the bytes put back, for a writer that committed in between."""
        if referenced():
            return
        self.path(content_hash).unlink(missing_ok=True)
        if referenced():
            self.put(content_hash, data)

    def discard(self, content_hash: str) -> None:
        """Remove a file nothing points to any longer (a decided proposal's)."""
        self.path(content_hash).unlink(missing_ok=True)

    def get(self, content_hash: str) -> bytes:
        return self.path(content_hash).read_bytes()

    def hashes(self) -> set[str]:
        """The content hashes of the files stored (temporary files aside)."""
        if not self.root.is_dir():
            return set()
        return {p.name for p in self.root.glob("*/*") if not p.name.startswith(INCOMING)}

    def remove_stale_incoming(self) -> int:
        """Remove the temporary files of writers that were killed: those of a process of this
        host that no longer runs, and any older than :data:`STALE_SECONDS`. Returns how many."""
        if not self.root.is_dir():
            return 0
        removed = 0
        host = socket.gethostname()
        for path in self.root.glob(f"*/{INCOMING}*"):
            if _abandoned(path, host):
                path.unlink(missing_ok=True)
                removed += 1
        if removed:
            log.info("removed %d temporary files of interrupted writes in %s", removed, self.root)
        return removed


FileStore = DirectoryStore
"""The directory store under its first name (proposals keep their files in one)."""


class DatabaseStore:
    """Source files as ``source_files`` rows, written in the caller's transaction."""

    in_database = True

    def __init__(self, database: Database, fallback: DirectoryStore) -> None:
        self.database = database
        self.fallback = fallback

    def put_in(self, session: Session, content_hash: str, data: bytes) -> None:
        """Add the row in ``session``'s transaction; nothing if it is there already."""
        statement = insert(SourceFile).values(
            content_hash=content_hash, size_bytes=len(data), data=data
        )
        dialect = session.get_bind().dialect.name
        if dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as pg_insert

            statement = (
                pg_insert(SourceFile)
                .values(content_hash=content_hash, size_bytes=len(data), data=data)
                .on_conflict_do_nothing(index_elements=["content_hash"])
            )
        else:
            statement = statement.prefix_with("OR IGNORE")
        session.execute(statement)

    def get(self, content_hash: str) -> bytes:
        """The bytes; :class:`FileNotFoundError` if neither the database nor the directory
        (files stored before the database store) has them."""
        with self.database.session() as session:
            data = session.scalar(
                select(SourceFile.data).where(SourceFile.content_hash == content_hash)
            )
        if data is not None:
            return bytes(data)
        return self.fallback.get(content_hash)

    def hashes(self) -> set[str]:
        """The content hashes of the files stored (in the database or the directory)."""
        with self.database.session() as session:
            found = set(session.scalars(select(SourceFile.content_hash)))
        return found | self.fallback.hashes()

    def remove_stale_incoming(self) -> int:
        return self.fallback.remove_stale_incoming()


def source_store(database: Database) -> DatabaseStore | DirectoryStore:
    """The store the settings choose (``source_store``, ``source_dir``)."""
    directory = DirectoryStore(database.settings.files_dir)
    if database.settings.sources_in_database:
        return DatabaseStore(database, directory)
    return directory


def _incoming_prefix() -> str:
    return f"{INCOMING}{os.getpid()}.{socket.gethostname()}."


def _abandoned(path: Path, host: str) -> bool:
    try:
        age = time.time() - path.stat().st_mtime
    except FileNotFoundError:
        return False
    if age > STALE_SECONDS:
        return True
    pid_text, _, rest = path.name[len(INCOMING) :].partition(".")
    writer_host = rest.rpartition(".")[0]
    if not pid_text.isdigit() or writer_host != host:
        return False  # another host's (a shared directory): only by age
    return not _running(int(pid_text))


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
