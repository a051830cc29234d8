"""Ingest: a file in, a stored document with citable passages and linked mentions out.

One file is one transaction: if anything fails, nothing of that file is stored (neither rows
nor its source file) and the error names the file and the reason; a batch goes on with the next
file. Ingesting the same bytes again changes nothing (documents are keyed by content hash).

Two halves. :func:`prepare_document` reads, parses and links a file into plain rows; it needs
no database and is where the time goes. :meth:`Ingestor._commit` writes those rows (Core
``executemany``: one call per table, where the ORM's bulk path sent one INSERT ... RETURNING
per passage to SQLite) and the source file in one transaction.
``ingest_paths(..., workers=N)`` runs the first half in N worker processes and the second in
the calling process, in the order of the files: SQLite wants one writer, and so the outcomes,
the progress calls and every guarantee above are the same as with one process.

Theme tags: when the passages' embeddings are computed with the rest (``embed=True``, as
``rcphub ingest`` does), the tagger runs on them there too (:func:`tag_prepared`, in the worker
processes of a batch) and the document's transaction stores its tags. Otherwise, or if the
tagger fails, the document's transaction queues it for the tagger
(:func:`rcphub.themes.enqueue_tagging`): :meth:`Ingestor.ingest_bytes` (one upload) then tags
the document at once, in a transaction of its own; :meth:`Ingestor.ingest_paths` (a batch)
leaves the queue to its caller (:meth:`Ingestor.apply_tags`), and the next run (or ``rcphub
themes retag --queued``) tags what is left.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import multiprocessing
import operator
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
import threadpoolctl
from sqlalchemy import JSON, Dialect, Table, select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from rcphub import audit
from rcphub.accounts.policy import SYSTEM, Principal
from rcphub.config import LANGUAGES, Settings
from rcphub.db import Database
from rcphub.db.engine import lost_race
from rcphub.db.models import (
    Body,
    CandidateBody,
    CandidateMention,
    Document,
    DocumentLink,
    Meeting,
    Mention,
    Passage,
    PassageTag,
    PassageVector,
    Work,
)
from rcphub.db.versioning import note_write
from rcphub.documents.parsing import SOURCE_FORMATS, parse_document, read_document
from rcphub.documents.store import source_store
from rcphub.documents.suggestions import (
    FilingSuggestions,
    MentionRef,
    PassageText,
    suggest_filing,
)
from rcphub.errors import InvalidInput, NotFound, RcphubError, TooLarge
from rcphub.limits import WORK_PASSAGE_CHARS, WORK_PASSAGES
from rcphub.linking import EntityLinker, Gazetteer
from rcphub.linking import Mention as LinkedMention
from rcphub.linking.candidates import Candidate, CandidateFinder
from rcphub.search.queue import enqueue_document
from rcphub.themes.schemas import TagSource, TagStatus
from rcphub.themes.service import apply_tag_queue, enqueue_tagging
from rcphub.webhooks import events as webhook_events

if TYPE_CHECKING:
    from rcphub.search.embedding import Embedder
    from rcphub.themes import Suggestion, Tagger, TaggingReport
    from rcphub.themes.tagger import ConceptText

log = logging.getLogger(__name__)

SUPPORTED_SUFFIXES = frozenset(f".{fmt}" for fmt in SOURCE_FORMATS) | {".htm", ".markdown"}
FILES_PER_WORKER = 16
"""A worker process costs a second or two to start (imports, its own linker), so a batch gets
at most one worker per this many files; with fewer than two, it runs in-process."""
EMBED_BATCH = 256
IN_FLIGHT_PER_WORKER = 8
"""Files read and handed to the workers ahead of the one being stored, per worker: enough to
keep them busy, few enough to bound memory whatever the size of the batch."""


@dataclass
class IngestOptions:
    """Links to add to every document of a batch: ``process:<id>`` / ``meeting:<id>``."""

    processes: list[str] = field(default_factory=list)
    meetings: list[str] = field(default_factory=list)
    actor: Principal = field(default=SYSTEM)
    """Who ingests: named in the audit entry written with each document stored or linked."""
    visibility: str = "public"
    """Of the documents this batch stores (``public`` or ``restricted`` to the batch's
    processes); a file already stored keeps its own (changed by ``set_visibility`` only)."""

    def targets(self) -> list[str]:
        return [f"process:{p}" for p in self.processes] + [f"meeting:{m}" for m in self.meetings]


@dataclass
class FileOutcome:
    path: str
    document_id: str | None = None
    created: bool = False
    error: str | None = None
    too_large: bool = False  # the error: the file is over the size limit


@dataclass
class PreparedDocument:
    """A file read, parsed and linked, as the rows to insert: plain data, cheap to pickle.

    ``passages`` are the ``passages`` rows without ``document_id``; ``mentions`` are
    ``(passage index, entity, start, end, surface)``.
    """

    document: dict[str, Any]
    symbol: str | None
    title: str | None
    passages: list[dict[str, Any]]
    mentions: list[tuple[int, str, int, int, str]]
    candidates: list[tuple[int, Candidate]] = field(default_factory=list)
    """Bodies the text names that the registry does not hold: ``(passage index, candidate)``."""
    suggestions: FilingSuggestions = field(default_factory=FilingSuggestions)
    vectors: list[dict[str, Any]] | None = None
    """``passage_vectors`` rows without ``passage_id`` but with the passage's index
    (``index``), when the embeddings were computed with the rest (:func:`embed_prepared`)."""
    tags: list[list[Suggestion]] | None = None
    """The tagger's suggestions, one list per passage, when it ran with the rest
    (:func:`tag_prepared`); ``None``: the document is queued for the tagger."""

    def mention_spans(self) -> dict[int, list[tuple[int, int]]]:
        """Per passage index, the character spans of its mentions (which the embedding and
        the tagger leave out)."""
        spans: dict[int, list[tuple[int, int]]] = {}
        for index, _entity, start, end, _surface in self.mentions:
            spans.setdefault(index, []).append((start, end))
        return spans


def embed_prepared(prepared: PreparedDocument, embedder: Any) -> None:
    """Compute the shared embedding of every passage that gets one (:mod:`rcphub.search.vectors`)
    with ``embedder`` (a CachedEmbedder), in the process that prepared the document."""
    from rcphub.search import vectors as passage_vectors

    spans = prepared.mention_spans()
    wanted = [
        index
        for index, passage in enumerate(prepared.passages)
        if passage_vectors.wanted(passage["kind"])
    ]
    items = [(index, prepared.passages[index]["text"], spans.get(index, ())) for index in wanted]
    rows = []
    for start in range(0, len(items), EMBED_BATCH):
        chunk = items[start : start + EMBED_BATCH]
        computed = passage_vectors.compute(embedder, chunk)
        for row in passage_vectors.rows(chunk, computed, embedder.name):
            row["index"] = row.pop("passage_id")
            rows.append(row)
    prepared.vectors = rows


def tag_prepared(prepared: PreparedDocument, tagger: Tagger) -> None:
    """Suggest themes for the passages from the embeddings :func:`embed_prepared` computed
    (exactly what the tagging queue would do with them once stored). Leaves ``tags`` unset,
    and so the document queued, if a passage the tagger reads has no vector of its model."""
    from rcphub.search import vectors as passage_vectors
    from rcphub.themes.tagger import PassageInput

    if prepared.vectors is None:
        return
    embedder = tagger.passage_embedder
    spans = prepared.mention_spans()
    inputs = [
        PassageInput(p["text"], p["language"], p["kind"], tuple(spans.get(i, ())))
        for i, p in enumerate(prepared.passages)
    ]
    vectors = np.zeros((len(inputs), embedder.dims), dtype=np.float32)
    have = set()
    for row in prepared.vectors:
        if row["embedder"] == embedder.name:
            vectors[row["index"]] = passage_vectors.decode(row["vector"], embedder.dims)
            have.add(row["index"])
    read = [i for i, p in enumerate(inputs[:WORK_PASSAGES]) if tagger.taggable(p)]
    if any(i not in have for i in read):
        return
    prepared.tags = tagger.suggest(inputs, vectors)


def prepare_document(
    data: bytes, filename: str, linker: EntityLinker, *, max_pages: int
) -> PreparedDocument:
    """Read, parse and link one file (no database). Raises :class:`RcphubError` for a file
    that cannot be ingested."""
    raw = read_document(data, filename, max_pages=max_pages)
    parsed = parse_document(raw)
    if not parsed.passages:
        raise InvalidInput(f"{filename}: no text was found in the file")
    meta = parsed.metadata
    passages = []
    mentions = []
    candidates: list[tuple[int, Candidate]] = []
    finder = candidate_finder(linker)
    for index, passage in enumerate(parsed.passages):
        passages.append(
            {
                "ref": passage.ref,
                "position": passage.position,
                "kind": passage.kind,
                "parent_ref": passage.parent_ref,
                "heading": passage.heading,
                "page": passage.page,
                "language": passage.language,
                "text": passage.text,
                "footnote_refs": list(passage.footnote_refs),
            }
        )
        if index >= WORK_PASSAGES:  # bounded work: see rcphub.limits
            continue
        bounded = passage.text[:WORK_PASSAGE_CHARS]
        linked = _link(linker, bounded, passage.language, parsed.language)
        mentions.extend((index, m.entity, m.start, m.end, m.surface) for m in linked)
        language = passage.language if passage.language in LANGUAGES else parsed.language
        if passage.kind != "footnote" and len(candidates) < MAX_CANDIDATE_MENTIONS:
            candidates.extend(
                (index, candidate)
                for candidate in finder.find(bounded, language, [(m.start, m.end) for m in linked])
            )
    document = {
        "title": meta.title,
        "language": parsed.language,
        "date": meta.date,
        "symbol": meta.symbol,
        "doc_type": meta.doc_type,
        "distribution": meta.distribution,
        "original_language": meta.original_language,
        "organ": meta.organ,
        "session": meta.session,
        "agenda_item": meta.agenda_item,
        "place": meta.place[:200] if meta.place else None,
        "filename": filename[:255],
        "source_format": parsed.source_format,
        "size_bytes": len(data),
        "page_count": raw.page_count,
        "passage_count": len(parsed.passages),
        "warnings": list(parsed.warnings),
    }
    refs = [passage.ref for passage in parsed.passages]
    suggestions = suggest_filing(
        meta.title,
        [PassageText(p.ref, p.kind, p.text) for p in parsed.passages],
        [MentionRef(refs[index], entity, surface) for index, entity, _, _, surface in mentions],
    )
    return PreparedDocument(
        document, meta.symbol, meta.title, passages, mentions, candidates, suggestions
    )


def candidate_finder(linker: EntityLinker) -> CandidateFinder:
    """The candidate finder for a linker: acronyms the registry uses are never candidates."""
    finder = _FINDERS.get(id(linker))
    if finder is None or finder[0] is not linker:
        acronyms = {
            acronym
            for entry in linker.gazetteer.entries
            for values in entry.acronyms.values()
            for acronym in values
        }
        finder = (linker, CandidateFinder(acronyms))
        if len(_FINDERS) > 8:
            _FINDERS.clear()
        _FINDERS[id(linker)] = finder
    return finder[1]


_FINDERS: dict[int, tuple[EntityLinker, CandidateFinder]] = {}


def _link(
    linker: EntityLinker, text: str, language: str, document_language: str
) -> list[LinkedMention]:
    """Mentions in a passage, read in its own language, else the document's; a passage in no
    identifiable language (a number, a symbol) has none."""
    for candidate in (language, document_language):
        if candidate in LANGUAGES:
            return linker.find(text, candidate)
    return []


class Ingestor:
    """Holds what is expensive to build (the entity linker) for a run of ingests."""

    def __init__(
        self,
        database: Database,
        linker: EntityLinker | None = None,
        *,
        embedder: Embedder | None = None,
        tag: bool = True,
        embed: bool = False,
        defer_tagging: Callable[[], bool] = lambda: False,
    ) -> None:
        """``embedder`` is the model the theme tagger uses (share the search service's: one
        copy in memory); ``tag=False`` leaves new documents queued for the tagger, and so does
        :meth:`ingest_bytes` whenever ``defer_tagging()`` says so (the server's background
        indexer tags them).
        ``embed=True`` computes every passage's shared embedding with the rest of the
        document (in the worker processes of a batch) and stores it with the passages; else
        the tagger or the search index computes it when it first needs it."""
        self.database = database
        self.settings: Settings = database.settings
        self.store = source_store(database)
        self.store.remove_stale_incoming()  # left by a writer that was killed
        self._linker = linker
        self._files_thread: ThreadPoolExecutor | None = None
        self._embedder = embedder
        self._tagger: Tagger | None = None
        self.tag = tag
        self.embed = embed
        self.defer_tagging = defer_tagging
        self._passage_embedder: Any = None

    @property
    def passage_embedder(self) -> Any:
        """The shared passage embedder of this process (for files prepared in-process)."""
        if self._passage_embedder is None:
            from rcphub.search.embedding import CachedEmbedder, UseEmbedder

            self._passage_embedder = CachedEmbedder(self._embedder or UseEmbedder())
        return self._passage_embedder

    @property
    def tagger(self) -> Tagger:
        if self._tagger is None:
            from rcphub.themes import Tagger

            with self.database.session() as session:
                self._tagger = Tagger.from_session(
                    session, self._embedder, computed=self._keep_concept_vectors
                )
        return self._tagger

    def _keep_concept_vectors(self, tagger: Tagger) -> None:
        """Keep the concept vectors ``tagger`` computed, for the workers and other nodes (a
        failure to is logged: they are computed again next time)."""
        from rcphub.themes.tagger import keep_vectors

        try:
            with self.database.write_session() as session:
                keep_vectors(session, tagger)
        except IntegrityError:  # another process kept them first
            pass
        except OperationalError as exc:
            log.warning("the concept vectors were not kept: %s", exc)

    def apply_tags(
        self, document_ids: list[str], progress: Callable[[int], None] | None = None
    ) -> TaggingReport | None:
        """Tag the given documents if they are queued; a failure is logged, not raised (the
        documents are stored and stay queued)."""
        if not self.tag or not document_ids:
            return None
        try:
            return apply_tag_queue(
                self.database, self.tagger, document_ids=document_ids, progress=progress
            )
        except Exception:
            log.exception("tagging failed; the documents stay queued for the tagger")
            return None

    @property
    def linker(self) -> EntityLinker:
        if self._linker is None:
            self._linker = EntityLinker(self._gazetteer())
        return self._linker

    def _gazetteer(self) -> Gazetteer:
        if self._linker is not None:
            return self._linker.gazetteer
        with self.database.session() as session:
            return Gazetteer.from_session(session)

    def _worker_setup(self) -> _WorkerSetup:
        """What the workers need of the database: the gazetteer and, if they tag, the
        concepts with their vectors if they are kept."""
        gazetteer = self._gazetteer()
        if not (self.tag and self.embed):
            return _WorkerSetup(gazetteer)
        from rcphub.search.embedding import UseEmbedder
        from rcphub.themes.tagger import concept_texts, stored_vectors

        with self.database.session() as session:
            concepts = concept_texts(session)
            vectors = stored_vectors(session, UseEmbedder(threads=1), concepts)
        return _WorkerSetup(gazetteer, concepts, vectors)

    def check_options(self, options: IngestOptions) -> None:
        """Refuse unknown process or meeting IDs, or a restricted batch filed under no process
        (nobody but an admin could read it), before any file is read."""
        from rcphub.accounts.policy import Visibility, check_visibility

        options.visibility = check_visibility(options.visibility).value
        if options.visibility == Visibility.RESTRICTED and not options.processes:
            raise InvalidInput("a restricted document must be filed under a process")
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
            outcome = self._ingest(data, filename, options)
        except RcphubError as exc:
            return _failed(filename, exc)
        if outcome.created and outcome.document_id and not self.defer_tagging():
            self.apply_tags([outcome.document_id])
        return outcome

    def ingest_paths(
        self,
        paths: Iterable[Path],
        options: IngestOptions | None = None,
        progress: Callable[[FileOutcome], None] | None = None,
        *,
        workers: int = 1,
        filename: Callable[[str], str] = str,
    ) -> list[FileOutcome]:
        """Ingest files and folders (recursively); one outcome per file, in order.

        ``filename`` makes the name a document keeps (and its errors name) from the file's
        name on disk; :func:`rcphub.documents.submission.submit_paths` passes the hub's one
        rule, :func:`~rcphub.documents.submission.clean_filename`.

        ``workers`` > 1 reads, parses and links in that many processes (each builds its own
        linker from this one's gazetteer) while this one stores; small batches run in-process
        anyway (:data:`FILES_PER_WORKER`). The outcomes are the same either way. The workers
        are spawned, so a script that calls this must keep its own work under
        ``if __name__ == "__main__":`` (the ``rcphub`` command does).

        The documents created stay queued for the theme tagger, which embeds every passage
        (an order of magnitude slower than all of ingest): a bulk ingest should not wait for
        it. Call :meth:`apply_tags` with the created IDs (``rcphub ingest`` does, with a
        progress bar), or leave them to ``rcphub themes retag --queued`` / the server.
        """
        return self._ingest_paths(paths, options, progress, workers, filename)

    def _ingest_paths(
        self,
        paths: Iterable[Path],
        options: IngestOptions | None,
        progress: Callable[[FileOutcome], None] | None,
        workers: int,
        filename: Callable[[str], str],
    ) -> list[FileOutcome]:
        options = options or IngestOptions()
        files = list(iter_files(paths))
        workers = min(workers, len(files) // FILES_PER_WORKER)
        if workers >= 2:
            return self._ingest_in_pool(files, options, progress, workers, filename)
        outcomes = []
        for path in files:
            name = filename(path.name)
            try:
                data = _read_limited(path, self.settings.max_upload_mb)
            except (OSError, InvalidInput) as exc:
                outcome = _read_error(path, name, exc)
            else:
                try:
                    outcome = self._ingest(data, name, options)
                except RcphubError as exc:
                    outcome = _failed(name, exc)
                outcome.path = str(path)
            outcomes.append(outcome)
            if progress:
                progress(outcome)
        return outcomes

    def _ingest(self, data: bytes, filename: str, options: IngestOptions) -> FileOutcome:
        limit = self.settings.max_upload_mb * 1024 * 1024
        if len(data) > limit:
            raise TooLarge(
                f"{filename}: the file is {len(data) / 1048576:.1f} MB; the limit is "
                f"{self.settings.max_upload_mb} MB"
            )
        content_hash = hashlib.sha256(data).hexdigest()
        existing = self._link_existing(content_hash, options)
        if existing is not None:
            return FileOutcome(path=filename, document_id=existing)
        prepared = prepare_document(data, filename, self.linker, max_pages=self.settings.max_pages)
        if self.embed:
            embed_prepared(prepared, self.passage_embedder)
            if self.tag:
                _tag_or_queue(prepared, lambda: self.tagger)
        return self._commit(prepared, data, filename, content_hash, options)

    def _link_existing(self, content_hash: str, options: IngestOptions) -> str | None:
        """The ID of the document with these bytes, with the batch's links added; or None."""
        with self.database.write_session() as session:
            existing = _existing_id(session, content_hash)
            if existing is not None:
                added = add_links(session, existing, options.targets())
                if added:
                    audit.record(
                        session,
                        options.actor,
                        "document.link",
                        "document",
                        existing,
                        {"added": added},
                    )
            return existing

    def _commit(
        self,
        prepared: PreparedDocument,
        data: bytes,
        filename: str,
        content_hash: str,
        options: IngestOptions,
    ) -> FileOutcome:
        """Store the source file and the rows in one transaction: all or nothing.

        Another writer (an upload, a second ``rcphub ingest``, another node) may store the
        same bytes meanwhile: the loser's transaction fails on the unique content hash, and
        its file counts as already stored (with this batch's links added). A failure on
        another unique key (two new documents of one new UN symbol made its work at once) is
        tried once more, and so is a transaction PostgreSQL undid to break a deadlock with
        another writer."""
        for attempt in (1, 2):
            try:
                return self._commit_once(prepared, data, filename, content_hash, options)
            except OperationalError as error:
                dialect = self.database.engine.dialect.name
                if attempt == 2 or dialect != "postgresql" or not lost_race(dialect, error):
                    raise
                log.info("%s: the transaction lost to another writer; trying again", filename)
            except IntegrityError:
                existing = self._link_existing(content_hash, options)
                if existing is not None:
                    log.info("%s was stored meanwhile by another writer", filename)
                    return FileOutcome(path=filename, document_id=existing)
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def _commit_once(
        self,
        prepared: PreparedDocument,
        data: bytes,
        filename: str,
        content_hash: str,
        options: IngestOptions,
    ) -> FileOutcome:
        store = self.store
        if store.in_database:  # the row goes in the document's own transaction
            with self.database.write_session() as session:
                document_id = _write(session, prepared, content_hash, options)
                store.put_in(session, content_hash, data)  # type: ignore[union-attr]
            return FileOutcome(path=filename, document_id=document_id, created=True)
        # the file is written by a helper thread while the rows are inserted (both mostly
        # wait for the disk), and is in place before the rows are committed
        put = self._file_writer().submit(store.put, content_hash, data)  # type: ignore[arg-type]
        try:
            with self.database.write_session() as session:
                document_id = _write(session, prepared, content_hash, options)
                put.result()
        except BaseException:
            if _finished(put):
                store.discard_unless_referenced(  # type: ignore[union-attr]
                    content_hash, data, lambda: self._stored(content_hash)
                )
            raise
        store.ensure(content_hash, data)  # type: ignore[union-attr]
        return FileOutcome(path=filename, document_id=document_id, created=True)

    def _stored(self, content_hash: str) -> bool:
        with self.database.session() as session:
            return _existing_id(session, content_hash) is not None

    def _file_writer(self) -> ThreadPoolExecutor:
        if self._files_thread is None:
            self._files_thread = ThreadPoolExecutor(1, thread_name_prefix="rcphub-files")
        return self._files_thread

    # -- several processes -------------------------------------------------------------------
    def _ingest_in_pool(
        self,
        files: list[Path],
        options: IngestOptions,
        progress: Callable[[FileOutcome], None] | None,
        workers: int,
        filename: Callable[[str], str],
    ) -> list[FileOutcome]:
        """:meth:`ingest_paths` with reading, parsing and linking in ``workers`` processes.

        Files already stored (by content hash) are not sent to the workers, nor is a second
        copy of the same bytes in the batch; results are stored in the order of the files, so
        that copy then finds the first one stored, exactly as one process would.
        """
        setup = self._worker_setup()
        # spawn, not fork: a forked child would inherit the database connections and the
        # threads of the language detector's pool (and so could deadlock in it)
        context = multiprocessing.get_context("spawn")
        # The setup (~160 KB) goes through a queue, not in the arguments of the initializer:
        # those are written to each new worker's pipe, and a write past the pipe's 64 KB
        # waited until the worker had imported rcphub (a second), worker after worker.
        setups = context.Queue()
        setups.cancel_join_thread()  # a worker that died unstarted leaves its copy unread
        for _ in range(workers):
            setups.put(setup)
        pool = ProcessPoolExecutor(
            workers,
            mp_context=context,
            initializer=_start_worker,
            initargs=(setups, self.settings.max_pages, self.embed),
        )
        outcomes: list[FileOutcome] = []
        pending: deque[_Job] = deque()
        sent: set[str] = set()
        remaining = iter(files)
        in_flight = workers * IN_FLIGHT_PER_WORKER
        try:
            while True:
                if len(pending) <= in_flight // 2:
                    ahead = list(islice(remaining, in_flight - len(pending)))
                    pending.extend(self._dispatch(pool, ahead, sent, filename))
                if not pending:
                    break
                outcome = self._finish(pending.popleft(), options)
                outcomes.append(outcome)
                if progress:
                    progress(outcome)
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
        return outcomes

    def _dispatch(
        self,
        pool: ProcessPoolExecutor,
        paths: list[Path],
        sent: set[str],
        filename: Callable[[str], str],
    ) -> list[_Job]:
        """Read the files and send the new ones to the workers; one query for what is stored."""
        jobs = []
        for path in paths:
            name = filename(path.name)
            try:
                data = _read_limited(path, self.settings.max_upload_mb)
            except (OSError, InvalidInput) as exc:
                jobs.append(_Job(path, name, outcome=_read_error(path, name, exc)))
            else:
                jobs.append(_Job(path, name, data, hashlib.sha256(data).hexdigest()))
        hashes = [job.content_hash for job in jobs if job.content_hash]
        if not hashes:
            return jobs
        with self.database.session() as session:
            sent.update(
                session.scalars(
                    select(Document.content_hash).where(Document.content_hash.in_(hashes))
                )
            )
        limit = self.settings.max_upload_mb * 1024 * 1024
        for job in jobs:
            # stored already, a second copy in the batch, or grown since stat(): all left to
            # the in-process path, when their turn comes
            if job.data is None or job.content_hash in sent or len(job.data) > limit:
                continue
            sent.add(job.content_hash)  # type: ignore[arg-type]
            job.future = pool.submit(_prepare_in_worker, job.data, job.name)
        return jobs

    def _finish(self, job: _Job, options: IngestOptions) -> FileOutcome:
        if job.outcome is not None:
            return job.outcome
        assert job.data is not None
        assert job.content_hash is not None
        name = job.name
        try:
            if job.future is None:  # stored before, or a copy of a file earlier in the batch
                outcome = self._ingest(job.data, name, options)
            else:
                result = job.future.result()
                job.future = None
                if isinstance(result, str):
                    outcome = FileOutcome(path=name, error=result)
                else:
                    outcome = self._commit(result, job.data, name, job.content_hash, options)
        except RcphubError as exc:
            outcome = _failed(name, exc)
        outcome.path = str(job.path)
        return outcome


@dataclass
class _Job:
    """One file of a batch on its way through the pool, in the order of the batch."""

    path: Path
    name: str  # the name the document keeps
    data: bytes | None = None
    content_hash: str | None = None
    future: Future[PreparedDocument | str] | None = None
    outcome: FileOutcome | None = None  # known before any parsing (unreadable file)


@dataclass(frozen=True)
class _WorkerSetup:
    """What a worker needs of the database: the gazetteer of its linker and, when it tags,
    the concepts of its tagger (and their vectors, when they are kept)."""

    gazetteer: Gazetteer
    concepts: list[ConceptText] | None = None
    vectors: np.ndarray | None = None  # the concepts' vectors, if they are kept


class _Setups(Protocol):
    def get(self, block: bool = True, timeout: float | None = None) -> _WorkerSetup: ...


_SETUP_WAIT_S = 60.0
"""How long a new worker waits for its setup (put before the pool starts, so at once): past
it the worker fails and the batch reports a broken pool instead of hanging."""


_worker_linker: EntityLinker | None = None
_worker_max_pages = 500
_worker_embedder: Any = None
_worker_tagger: Tagger | None = None


def _start_worker(setups: _Setups, max_pages: int, embed: bool = False) -> None:
    """A worker's state, from the next :class:`_WorkerSetup` of ``setups``: its linker and, to
    embed, its own model on one thread (the workers are as many as the cores: one BLAS thread
    each, no oversubscription); with concepts, a tagger on that model."""
    global _worker_linker, _worker_max_pages, _worker_embedder, _worker_tagger
    # one BLAS thread for all of the worker's numpy, not only the model's: after each call a
    # second BLAS thread busy-waits for the next, taking the core another worker needs (a
    # third of a worker's CPU went to it)
    threadpoolctl.threadpool_limits(1, user_api="blas")
    setup = setups.get(timeout=_SETUP_WAIT_S)
    _worker_linker = EntityLinker(setup.gazetteer)
    _worker_max_pages = max_pages
    _worker_embedder = _worker_tagger = None
    if embed:
        from rcphub.search.embedding import CachedEmbedder, UseEmbedder

        model = UseEmbedder(threads=1)
        _worker_embedder = CachedEmbedder(model)
        if setup.concepts is not None:
            from rcphub.themes.tagger import Tagger

            _worker_tagger = Tagger(setup.concepts, model, vectors=setup.vectors)


def _tag_or_queue(prepared: PreparedDocument, tagger: Callable[[], Tagger]) -> None:
    """:func:`tag_prepared`; a failure is logged and leaves the document queued for the
    tagger (the document itself is stored either way)."""
    try:
        tag_prepared(prepared, tagger())
    except Exception:
        log.exception("tagging failed; the document is queued for the tagger")
        prepared.tags = None


def _prepare_in_worker(data: bytes, filename: str) -> PreparedDocument | str:
    """:func:`prepare_document` in a worker; an error comes back as its message (exceptions
    with extra constructor arguments do not survive pickling)."""
    assert _worker_linker is not None
    try:
        prepared = prepare_document(data, filename, _worker_linker, max_pages=_worker_max_pages)
    except RcphubError as exc:
        return exc.message
    if _worker_embedder is not None:
        embed_prepared(prepared, _worker_embedder)
        if _worker_tagger is not None:
            _tag_or_queue(prepared, lambda: _worker_tagger)  # type: ignore[arg-type,return-value]
    return prepared


def default_workers() -> int:
    """The CPUs this process may use: the default for ``rcphub ingest --workers``."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


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
        raise TooLarge(f"the file is {size / 1048576:.1f} MB; the limit is {max_mb} MB")
    return path.read_bytes()


def _read_error(path: Path, name: str, exc: OSError | InvalidInput) -> FileOutcome:
    message = exc.message if isinstance(exc, InvalidInput) else exc.strerror
    return FileOutcome(
        path=str(path), error=f"{name}: {message}", too_large=isinstance(exc, TooLarge)
    )


def _failed(name: str, exc: RcphubError) -> FileOutcome:
    return FileOutcome(path=name, error=exc.message, too_large=isinstance(exc, TooLarge))


def _finished(put: Future[bool]) -> bool:
    """Whether the file write succeeded (waiting for it to finish)."""
    try:
        put.result()
    except BaseException:  # it failed: it cleaned up after itself
        return False
    return True


def _existing_id(session: Session, content_hash: str) -> str | None:
    return session.scalar(select(Document.id).where(Document.content_hash == content_hash))


def add_links(session: Session, document_id: str, targets: list[str]) -> list[str]:
    """Link a stored document to processes/meetings it is not linked to yet; the links are
    search facets, so a change queues the document for the search index. Returns the links
    added."""
    if not targets:
        return []
    have = set(
        session.scalars(select(DocumentLink.target).where(DocumentLink.document_id == document_id))
    )
    new = [target for target in dict.fromkeys(targets) if target not in have]
    for target in new:
        session.add(DocumentLink(document_id=document_id, target=target))
    if new:
        enqueue_document(session, document_id)
    return new


def _work_id(session: Session, symbol: str | None, title: str | None) -> int:
    if symbol:
        found = session.scalar(select(Work.id).where(Work.symbol == symbol))
        if found is not None:
            return found
    result = session.execute(Work.__table__.insert().values(symbol=symbol, title=title))
    return result.inserted_primary_key[0]  # type: ignore[index]


def _write(
    session: Session, prepared: PreparedDocument, content_hash: str, options: IngestOptions
) -> str:
    """Insert the rows of one document: all its passages in one ``executemany``, then all its
    mentions, with the passage IDs read back by ref (unique in a document) rather than with
    RETURNING, which SQLAlchemy can only keep in order on SQLite row by row."""
    document_id = content_hash[:16]
    session.execute(
        Document.__table__.insert(),
        {
            **prepared.document,
            "id": document_id,
            "content_hash": content_hash,
            "work_id": _work_id(session, prepared.symbol, prepared.title),
            "ingested_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "visibility": options.visibility,
        },
    )
    for row in prepared.passages:
        row["document_id"] = document_id
    _insert_many(session, Passage.__table__, prepared.passages)
    if prepared.mentions or prepared.vectors or prepared.tags is not None:
        ids = dict(
            session.execute(
                select(Passage.ref, Passage.id).where(Passage.document_id == document_id)
            ).all()
        )
        refs = [row["ref"] for row in prepared.passages]
    if prepared.vectors:
        _insert_many(
            session,
            PassageVector.__table__,
            [
                {
                    "passage_id": ids[refs[row["index"]]],
                    "embedder": row["embedder"],
                    "text_hash": row["text_hash"],
                    "vector": row["vector"],
                    "clauses": row["clauses"],
                }
                for row in prepared.vectors
            ],
        )
    if prepared.mentions:
        _insert_many(
            session,
            Mention.__table__,
            [
                {
                    "passage_id": ids[refs[index]],
                    "document_id": document_id,
                    "entity": entity,
                    "start": start,
                    "end": end,
                    "surface": surface,
                }
                for index, entity, start, end, surface in prepared.mentions
            ],
        )
    if prepared.candidates:
        _write_candidates(session, document_id, prepared)
    targets = list(dict.fromkeys(options.targets()))
    if targets:  # a new document: no link to look for first
        session.execute(
            DocumentLink.__table__.insert(),
            [{"document_id": document_id, "target": target} for target in targets],
        )
    if prepared.tags is None:
        enqueue_tagging(session, document_id)
    else:
        _write_tags(session, document_id, [ids[ref] for ref in refs], prepared.tags)
    enqueue_document(session, document_id)
    audit.record(
        session,
        options.actor,
        "document.ingest",
        "document",
        document_id,
        {
            "filename": prepared.document.get("filename"),
            "links": options.targets(),
            "visibility": options.visibility,
        },
    )
    # the webhook outbox, in this transaction: an event exists if and only if the document does
    webhook_events.document_added(
        session,
        document_id,
        {
            **prepared.document,
            "symbol": prepared.symbol,
            "title": prepared.title,
            "visibility": options.visibility,
        },
        dict.fromkeys(entity for _, entity, _, _, _ in prepared.mentions),
        targets,
    )
    return document_id


def _write_tags(
    session: Session,
    document_id: str,
    passage_ids: list[int],
    tags: list[list[Suggestion]],
) -> None:
    """The tagger's suggestions of a new document (no tag of it exists yet: nothing to keep
    or replace, unlike :func:`rcphub.themes.service.apply_tag_queue`)."""
    now = datetime.now(UTC).isoformat(timespec="seconds")
    rows = [
        {
            "passage_id": passage_id,
            "document_id": document_id,
            "scheme_id": s.scheme,
            "code": s.code,
            "score": s.score,
            "source": TagSource.MACHINE.value,
            "status": TagStatus.SUGGESTED.value,
            "created_at": now,
            "decided_by": None,
            "decided_at": None,
        }
        for passage_id, found in zip(passage_ids, tags, strict=True)
        for s in found
    ]
    if rows:
        _insert_many(session, PassageTag.__table__, rows)


MAX_CANDIDATE_MENTIONS = 2000
"""Candidate mentions one document may store (a bound on the rows one file can add)."""


def _write_candidates(session: Session, document_id: str, prepared: PreparedDocument) -> None:
    """Store the bodies the document names that the registry does not hold: one
    ``candidate_bodies`` row per key (shared by every document that names the body; an
    insert that meets a concurrent one's row does nothing) and one ``candidate_mentions`` row
    per mention."""
    found = prepared.candidates[:MAX_CANDIDATE_MENTIONS]
    first: dict[str, Candidate] = {}
    for _index, candidate in found:
        first.setdefault(candidate.key, candidate)
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    rows = [
        {"key": key, "name": c.name[:500], "kind": c.kind, "status": "proposed",
         "first_seen": stamp}
        for key, c in first.items()
    ]  # fmt: skip
    table = CandidateBody.__table__
    dialect = session.connection().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    session.execute(dialect_insert(table).on_conflict_do_nothing(index_elements=["key"]), rows)
    ids = dict(
        session.execute(
            select(CandidateBody.key, CandidateBody.id).where(CandidateBody.key.in_(list(first)))
        ).all()
    )
    refs = [row["ref"] for row in prepared.passages]
    _insert_many(
        session,
        CandidateMention.__table__,
        [
            {
                "candidate_id": ids[candidate.key],
                "document_id": document_id,
                "passage_ref": refs[index],
                "start": candidate.start,
                "end": candidate.end,
                "surface": candidate.surface,
            }
            for index, candidate in found
        ],
    )


def _insert_many(session: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    """``session.execute(table.insert(), rows)`` for plain values, without SQLAlchemy's work
    per row (a third of the writer's time), in the session's transaction: on PostgreSQL one
    ``COPY ... FROM STDIN`` (psycopg's executemany still parses and sends each row as a
    statement of its own), elsewhere one ``executemany`` of an INSERT compiled once per
    database. JSON columns go as ``json.dumps`` text (what SQLAlchemy stores on SQLite;
    PostgreSQL reads it into JSONB)."""
    note_write(session)
    connection = session.connection()
    plan = _insert_plan(connection.dialect, table)
    params = [plan.values(row) for row in rows]
    if plan.json_positions:
        params = [_dump_at(row_values, plan.json_positions) for row_values in params]
    if plan.copy:
        driver = connection.connection.driver_connection
        with driver.cursor() as cursor, cursor.copy(plan.sql) as copy:  # type: ignore[union-attr]
            for row_values in params:
                copy.write_row(row_values)
    else:
        connection.exec_driver_sql(plan.sql, params)


@dataclass(frozen=True)
class _InsertPlan:
    sql: str
    values: Callable[[dict[str, Any]], tuple[Any, ...]]
    """A row's values in the order of the statement's columns."""
    json_positions: tuple[int, ...]
    copy: bool


@functools.cache
def _insert_plan(dialect: Dialect, table: Table) -> _InsertPlan:
    """How to insert many rows of every column but a generated key into ``table`` on
    ``dialect`` (a key that is a foreign key, ``passage_vectors.passage_id``, is given):
    ``COPY`` on PostgreSQL, else an INSERT with positional parameters."""
    keys = [
        column.key
        for column in table.columns
        if not (column.primary_key and not column.foreign_keys)
    ]
    copy = dialect.name == "postgresql"
    if copy:
        columns = ", ".join(dialect.identifier_preparer.quote(key) for key in keys)
        sql, order = f"COPY {table.name} ({columns}) FROM STDIN", keys
    else:
        compiled = table.insert().inline().compile(dialect=dialect, column_keys=keys)
        if not compiled.positional:
            raise ValueError(f"no bulk insert for {dialect.name}")
        sql, order = str(compiled), list(compiled.positiontup)  # type: ignore[arg-type]
    getter = operator.itemgetter(*order)

    def values(row: dict[str, Any]) -> tuple[Any, ...]:
        return getter(row) if len(order) > 1 else (getter(row),)

    json_keys = [c.key for c in table.columns if isinstance(c.type, JSON)]
    positions = tuple(order.index(key) for key in json_keys if key in order)
    return _InsertPlan(sql, values, positions, copy)


def _dump_at(values: tuple[Any, ...], positions: tuple[int, ...]) -> tuple[Any, ...]:
    """``values`` with the JSON ones at ``positions`` as text."""
    patched = list(values)
    for position in positions:
        patched[position] = json.dumps(patched[position])
    return tuple(patched)
