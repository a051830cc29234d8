"""Ingest: a file in, a stored document with citable passages and linked mentions out.

One file is one transaction: if anything fails, nothing of that file is stored (neither rows
nor its source file) and the error names the file and the reason; a batch goes on with the next
file. Ingesting the same bytes again changes nothing (documents are keyed by content hash).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from rcphub.config import LANGUAGES, Settings
from rcphub.db import Database
from rcphub.db.models import Body, Document, DocumentLink, Meeting, Mention, Passage, Work
from rcphub.documents.parsing import SOURCE_FORMATS, ParsedDocument, parse_document, read_document
from rcphub.documents.store import FileStore
from rcphub.errors import InvalidInput, NotFound, RcphubError
from rcphub.linking import EntityLinker, Gazetteer
from rcphub.linking import Mention as LinkedMention

SUPPORTED_SUFFIXES = frozenset(f".{fmt}" for fmt in SOURCE_FORMATS) | {".htm", ".markdown"}


@dataclass
class IngestOptions:
    """Links to add to every document of a batch: ``process:<id>`` / ``meeting:<id>``."""

    processes: list[str] = field(default_factory=list)
    meetings: list[str] = field(default_factory=list)

    def targets(self) -> list[str]:
        return [f"process:{p}" for p in self.processes] + [f"meeting:{m}" for m in self.meetings]


@dataclass
class FileOutcome:
    path: str
    document_id: str | None = None
    created: bool = False
    error: str | None = None


class Ingestor:
    """Holds what is expensive to build (the entity linker) for a run of ingests."""

    def __init__(self, database: Database, linker: EntityLinker | None = None) -> None:
        self.database = database
        self.settings: Settings = database.settings
        self.store = FileStore(self.settings.files_dir)
        self._linker = linker

    @property
    def linker(self) -> EntityLinker:
        if self._linker is None:
            with self.database.session() as session:
                self._linker = EntityLinker(Gazetteer.from_session(session))
        return self._linker

    def check_options(self, options: IngestOptions) -> None:
        """Refuse unknown process or meeting IDs before any file is read."""
        with self.database.session() as session:
            for process_id in options.processes:
                if session.get(Body, process_id) is None:
                    raise NotFound("process", process_id)
            for meeting_id in options.meetings:
                if session.get(Meeting, meeting_id) is None:
                    raise NotFound("meeting", meeting_id)

    def ingest_bytes(
        self, data: bytes, filename: str, options: IngestOptions | None = None
    ) -> FileOutcome:
        """Ingest one file in its own transaction; errors come back in the outcome."""
        options = options or IngestOptions()
        try:
            return self._ingest(data, filename, options)
        except RcphubError as exc:
            return FileOutcome(path=filename, error=exc.message)

    def ingest_paths(
        self,
        paths: Iterable[Path],
        options: IngestOptions | None = None,
        progress: Callable[[FileOutcome], None] | None = None,
    ) -> list[FileOutcome]:
        """Ingest files and folders (recursively); one outcome per file."""
        outcomes = []
        for path in iter_files(paths):
            try:
                data = _read_limited(path, self.settings.max_upload_mb)
            except (OSError, InvalidInput) as exc:
                message = exc.message if isinstance(exc, InvalidInput) else exc.strerror
                outcome = FileOutcome(path=str(path), error=f"{path.name}: {message}")
            else:
                outcome = self.ingest_bytes(data, path.name, options)
                outcome.path = str(path)
            outcomes.append(outcome)
            if progress:
                progress(outcome)
        return outcomes

    def _ingest(self, data: bytes, filename: str, options: IngestOptions) -> FileOutcome:
        limit = self.settings.max_upload_mb * 1024 * 1024
        if len(data) > limit:
            raise InvalidInput(
                f"{filename}: the file is {len(data) / 1048576:.1f} MB; the limit is "
                f"{self.settings.max_upload_mb} MB"
            )
        content_hash = hashlib.sha256(data).hexdigest()
        with self.database.session() as session:
            existing = session.scalars(
                select(Document).where(Document.content_hash == content_hash)
            ).first()
            if existing is not None:
                _add_links(session, existing.id, options.targets())
                return FileOutcome(path=filename, document_id=existing.id)
        raw = read_document(data, filename, max_pages=self.settings.max_pages)
        parsed = parse_document(raw)
        if not parsed.passages:
            raise InvalidInput(f"{filename}: no text was found in the file")
        mentions = [
            self._link(passage.text, passage.language, parsed.language)
            for passage in parsed.passages
        ]
        created_file = self.store.put(content_hash, data)
        try:
            with self.database.session() as session:
                document_id = _store(
                    session,
                    parsed,
                    mentions,
                    filename,
                    data,
                    content_hash,
                    options,
                    page_count=raw.page_count,
                )
        except BaseException:
            if created_file:
                self.store.discard(content_hash)
            raise
        return FileOutcome(path=filename, document_id=document_id, created=True)

    def _link(self, text: str, language: str, document_language: str) -> list[LinkedMention]:
        """Mentions in a passage, read in its own language, else the document's; a passage
        in no identifiable language (a number, a symbol) has none."""
        for candidate in (language, document_language):
            if candidate in LANGUAGES:
                return self.linker.find(text, candidate)
        return []


def iter_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Files as given; folders walked recursively for supported files, hidden ones skipped."""
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                relative = child.relative_to(path).parts
                if (
                    child.is_file()
                    and child.suffix.lower() in SUPPORTED_SUFFIXES
                    and not any(part.startswith(".") for part in relative)
                ):
                    yield child
        else:
            yield path


def _read_limited(path: Path, max_mb: int) -> bytes:
    size = path.stat().st_size
    if size > max_mb * 1024 * 1024:
        raise InvalidInput(f"the file is {size / 1048576:.1f} MB; the limit is {max_mb} MB")
    return path.read_bytes()


def _add_links(session: Session, document_id: str, targets: list[str]) -> None:
    have = set(
        session.scalars(select(DocumentLink.target).where(DocumentLink.document_id == document_id))
    )
    for target in targets:
        if target not in have:
            session.add(DocumentLink(document_id=document_id, target=target))


def _work_for(session: Session, parsed: ParsedDocument) -> Work:
    symbol = parsed.metadata.symbol
    if symbol:
        work = session.scalars(select(Work).where(Work.symbol == symbol)).first()
        if work is not None:
            return work
    work = Work(symbol=symbol, title=parsed.metadata.title)
    session.add(work)
    session.flush()
    return work


def _store(
    session: Session,
    parsed: ParsedDocument,
    mentions: list[list],
    filename: str,
    data: bytes,
    content_hash: str,
    options: IngestOptions,
    *,
    page_count: int | None,
) -> str:
    meta = parsed.metadata
    document_id = content_hash[:16]
    work = _work_for(session, parsed)
    session.add(
        Document(
            id=document_id,
            content_hash=content_hash,
            work_id=work.id,
            title=meta.title,
            language=parsed.language,
            date=meta.date,
            symbol=meta.symbol,
            doc_type=meta.doc_type,
            distribution=meta.distribution,
            original_language=meta.original_language,
            organ=meta.organ,
            session=meta.session,
            agenda_item=meta.agenda_item,
            filename=filename[:255],
            source_format=parsed.source_format,
            size_bytes=len(data),
            page_count=page_count,
            passage_count=len(parsed.passages),
            warnings=list(parsed.warnings),
            ingested_at=datetime.now(UTC).isoformat(timespec="seconds"),
        )
    )
    session.flush()
    passage_ids = session.scalars(
        insert(Passage).returning(Passage.id, sort_by_parameter_order=True),
        [
            {
                "document_id": document_id,
                "ref": p.ref,
                "position": p.position,
                "kind": p.kind,
                "parent_ref": p.parent_ref,
                "heading": p.heading,
                "page": p.page,
                "language": p.language,
                "text": p.text,
                "footnote_refs": list(p.footnote_refs),
            }
            for p in parsed.passages
        ],
    ).all()
    rows = [
        {
            "passage_id": passage_id,
            "document_id": document_id,
            "entity": m.entity,
            "start": m.start,
            "end": m.end,
            "surface": m.surface,
        }
        for passage_id, found in zip(passage_ids, mentions, strict=True)
        for m in found
    ]
    if rows:
        session.execute(insert(Mention), rows)
    _add_links(session, document_id, options.targets())
    return document_id
