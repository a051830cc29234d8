"""Back up a hub and restore it: the database and what lives beside it in the data directory.

A backup is one gzip'd tar archive::

    manifest.json      format, rcphub version, time, backend, schema revision, row counts
    database.sqlite3   SQLite: an online backup (consistent while the hub serves and writes)
    database.pgdump    PostgreSQL: ``pg_dump --format=custom`` of the database
    files/...          source files kept in a directory (``RCPHUB_SOURCE_DIR``, by default the
                       data directory's ``files/``; on PostgreSQL they are in the database)
    proposals/...      files of contributors' proposals awaiting review

The search index is not in it: it is derived from the database and rebuilt after a restore.
An archive restores into a database of the same kind (SQLite into SQLite, PostgreSQL into
PostgreSQL); :func:`restore` refuses a database that holds documents unless told to replace it.
Restore while no ``rcphub serve`` runs on the target.
"""

from __future__ import annotations

import io
import json
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from rcphub import __version__
from rcphub.config import Settings
from rcphub.db import Database
from rcphub.db.account_models import User
from rcphub.db.models import Body, Document, Passage
from rcphub.errors import InvalidInput

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database.sqlite3"
PGDUMP_MEMBER = "database.pgdump"
DATA_FOLDERS = ("files", "proposals")
"""Folders of the data directory that hold facts (not derived data) and go into a backup."""

COUNTED = {"documents": Document, "passages": Passage, "bodies": Body, "users": User}


@dataclass(frozen=True)
class BackupSummary:
    """What an archive holds (its manifest), and where it is."""

    path: Path
    backend: str
    revision: str | None
    created: str
    counts: dict[str, int]
    files: int

    def as_dict(self) -> dict[str, object]:
        return {
            "path": str(self.path),
            "backend": self.backend,
            "revision": self.revision,
            "created": self.created,
            "counts": self.counts,
            "files": self.files,
        }


def backend_of(settings: Settings) -> str:
    name = make_url(settings.resolved_database_url).get_backend_name()
    return "sqlite" if name == "sqlite" else "postgresql"


def backup(database: Database, destination: Path) -> BackupSummary:
    """Write an archive of ``database`` and its data directory to ``destination`` (a file;
    written beside it under a temporary name and renamed, so a failed backup leaves none)."""
    settings = database.settings
    backend = backend_of(settings)
    destination = destination.resolve()
    destination.parent.mkdir(parents=True, exist_ok=True)
    with database.session() as session:
        counts = {
            name: session.scalar(select(func.count()).select_from(model)) or 0
            for name, model in COUNTED.items()
        }
        revision = _revision(session)
    with tempfile.TemporaryDirectory(prefix="rcphub-backup-") as work:
        dump = Path(work) / (SQLITE_MEMBER if backend == "sqlite" else PGDUMP_MEMBER)
        if backend == "sqlite":
            _sqlite_copy(make_url(settings.resolved_database_url).database or "", dump)
        else:
            _run(
                [
                    _pg_tool("pg_dump"),
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    "--file",
                    str(dump),
                    "--dbname",
                    _libpq_url(settings),
                ],
                "pg_dump",
            )
        created = datetime.now(UTC).isoformat(timespec="seconds")
        manifest = {
            "format": FORMAT,
            "rcphub": __version__,
            "created": created,
            "backend": backend,
            "revision": revision,
            "counts": counts,
        }
        partial = destination.with_name(f".{destination.name}.partial")
        files = 0
        try:
            with tarfile.open(partial, "w:gz") as archive:
                _add_bytes(archive, MANIFEST, json.dumps(manifest, indent=2).encode())
                archive.add(dump, arcname=dump.name)
                for folder in DATA_FOLDERS:
                    root = _folder(settings, folder)
                    if not root.is_dir():
                        continue
                    for path in sorted(root.rglob("*")):
                        if path.is_file() and not path.name.startswith(".incoming-"):
                            archive.add(path, arcname=f"{folder}/{path.relative_to(root)}")
                            files += 1
            partial.replace(destination)
        finally:
            partial.unlink(missing_ok=True)
    return BackupSummary(destination, backend, revision, created, counts, files)


def read_manifest(archive_path: Path) -> dict[str, object]:
    """The manifest of a backup archive; :class:`InvalidInput` if it is not one."""
    try:
        with tarfile.open(archive_path, "r:gz") as archive:
            member = archive.extractfile(MANIFEST)
            if member is None:
                raise KeyError(MANIFEST)
            manifest = json.loads(member.read(1_000_000))
    except FileNotFoundError as exc:
        raise InvalidInput(f"no such file: {archive_path}") from exc
    except (tarfile.TarError, KeyError, OSError, ValueError) as exc:
        raise InvalidInput(f"{archive_path} is not an rcphub backup ({exc})") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise InvalidInput(f"{archive_path}: unknown backup format {manifest.get('format')!r}")
    return manifest


def restore(settings: Settings, archive_path: Path, *, replace: bool = False) -> BackupSummary:
    """Restore an archive written by :func:`backup` into the database and data directory of
    ``settings``. Refuses another kind of database, and a database that already holds
    documents unless ``replace``. The search index of this data directory is removed, to be
    rebuilt from the restored database at the next start (or by ``rcphub reindex``)."""
    manifest = read_manifest(archive_path)
    backend = backend_of(settings)
    if manifest.get("backend") != backend:
        raise InvalidInput(
            f"the backup is of a {manifest.get('backend')} database; this hub uses {backend}"
        )
    if not replace and _holds_documents(settings):
        raise InvalidInput(
            "the database already holds documents: restore with --replace to overwrite it"
        )
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    files = 0
    with tempfile.TemporaryDirectory(prefix=".restore-", dir=settings.data_dir) as work:
        with tarfile.open(archive_path, "r:gz") as archive:
            archive.extractall(work, filter="data")
        unpacked = Path(work)
        if backend == "sqlite":
            _restore_sqlite(settings, unpacked / SQLITE_MEMBER)
        else:
            dump = unpacked / PGDUMP_MEMBER
            if not dump.is_file():
                raise InvalidInput(f"{archive_path} holds no {PGDUMP_MEMBER}")
            _run(
                [
                    _pg_tool("pg_restore"),
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--no-privileges",
                    "--single-transaction",
                    "--dbname",
                    _libpq_url(settings),
                    str(dump),
                ],
                "pg_restore",
            )
        for folder in DATA_FOLDERS:
            source = unpacked / folder
            if not source.is_dir():
                continue
            for path in source.rglob("*"):
                if path.is_file():
                    target = _folder(settings, folder) / path.relative_to(source)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    path.replace(target)
                    files += 1
    shutil.rmtree(settings.data_dir / "search", ignore_errors=True)
    counts = manifest.get("counts")
    return BackupSummary(
        archive_path.resolve(),
        backend,
        manifest.get("revision"),  # type: ignore[arg-type]
        str(manifest.get("created")),
        counts if isinstance(counts, dict) else {},
        files,
    )


# ---------------------------------------------------------------------------- helpers


def _folder(settings: Settings, folder: str) -> Path:
    """Where a folder of the archive lives: source files in ``RCPHUB_SOURCE_DIR`` when set."""
    return settings.files_dir if folder == "files" else settings.data_dir / folder


def _revision(session) -> str | None:  # type: ignore[no-untyped-def]
    """The Alembic revision of the (migrated) database."""
    return session.scalar(text("SELECT version_num FROM alembic_version"))


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(datetime.now(UTC).timestamp())
    archive.addfile(info, io.BytesIO(data))


def _sqlite_copy(source: str, target: Path) -> None:
    """SQLite's online backup: a consistent copy even while other connections write."""
    if not source or not Path(source).is_file():
        raise InvalidInput(f"no SQLite database at {source or '(memory)'}")
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    dst.close()
    src.close()


def _restore_sqlite(settings: Settings, dump: Path) -> None:
    if not dump.is_file():
        raise InvalidInput(f"the backup holds no {SQLITE_MEMBER}")
    with sqlite3.connect(dump) as check:
        if check.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise InvalidInput("the database in the backup is damaged")
    check.close()
    target = Path(make_url(settings.resolved_database_url).database or "")
    target.parent.mkdir(parents=True, exist_ok=True)
    staged = target.with_name(f".{target.name}.restoring")
    shutil.copyfile(dump, staged)
    for suffix in ("-wal", "-shm"):  # the old database's journal must not replay onto the new
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    staged.replace(target)


def _holds_documents(settings: Settings) -> bool:
    database = Database(settings)
    try:
        with database.session() as session:
            return session.scalar(select(Document.id).limit(1)) is not None
    except SQLAlchemyError:  # an empty or never-migrated database holds none
        return False
    finally:
        database.dispose()


def _libpq_url(settings: Settings) -> str:
    """The database URL as libpq reads it (no SQLAlchemy driver suffix)."""
    url = make_url(settings.resolved_database_url).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


def _pg_tool(name: str) -> str:
    """``pg_dump``/``pg_restore`` on PATH, else the newest under /usr/lib/postgresql."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(
        Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
        key=lambda p: int(p.parts[-3]) if p.parts[-3].isdigit() else 0,
    )
    if not candidates:
        raise InvalidInput(f"{name} is not installed (PostgreSQL client tools are needed)")
    return str(candidates[-1])


def _run(command: list[str], name: str) -> None:
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        reason = (done.stderr or done.stdout).strip().splitlines()
        raise InvalidInput(f"{name} failed: {reason[-1] if reason else done.returncode}")
