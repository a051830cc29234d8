"""The background indexer: keeps a node's search index in step with the database, off the
request path.

``rcphub serve`` starts one :class:`BackgroundIndexer` thread per process before it listens;
``rcphub index --follow`` runs the same loop in a process of its own. Each round it

1. tags documents waiting in the tagging queue (a hook given by the caller: the server's
   ingestor), so that their themes are facets when they are indexed;
2. builds the index from scratch if the node has none usable (first start, another model or
   format, or the search log was pruned past its position), else applies the log entries it
   has not applied (:mod:`.queue`), :attr:`batch` entries per transaction, each batch
   published as soon as it is written (so the lag falls while a backlog drains);
3. records the node's position in ``search_nodes`` when it moved and, every minute, prunes
   the log of what every live node has applied;
4. sleeps :attr:`interval` seconds, or less when :meth:`notify` is called (after a write).

Searches never apply the queue: they answer from the index as it is and say how many
documents wait (``pending_documents``); ``/readyz`` says the same. A failed round is logged
once and retried after a back-off; the server keeps serving.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from rcphub.db import Database
from rcphub.search import queue
from rcphub.search.service import SearchService

log = logging.getLogger(__name__)

BATCH = 200
"""Queue entries applied per transaction (and per published index change)."""
INTERVAL = 1.0
"""Seconds between two looks at the queue when nothing happens."""
MAX_BACKOFF = 30.0
PRUNE_INTERVAL = 60.0
"""Seconds between two prunings of the search log (and refreshes of this node's entry in
``search_nodes``) by one indexer."""
ALONGSIDE_DOCUMENTS = 50
"""Documents a round of :func:`indexing_alongside` waits for: each round's documents become
one segment of the index, so rounds large enough that a long ingest does not pile up segments
to merge (a merge analyses their text again), small enough that little is left at the end
(50 generated documents: ~2,200 passages, ~1.5 s of indexing)."""


@dataclass
class IndexerState:
    """What the indexer last did, for ``/readyz`` and the logs."""

    running: bool = False
    rebuilding: bool = False
    rounds: int = 0
    applied: int = 0
    last_round_at: float | None = None
    last_error: str | None = None
    errors: int = 0
    started_at: float = field(default_factory=time.time)


class BackgroundIndexer:
    """Applies the search queue of ``database`` to ``service``'s index in a thread."""

    def __init__(
        self,
        database: Database,
        service: SearchService,
        *,
        before_round: Callable[[], object] | None = None,
        interval: float = INTERVAL,
        batch: int = BATCH,
        model: bool = True,
        min_documents: int = 1,
    ) -> None:
        """``model=False``: never run the embedding model; a batch with a passage whose vector
        is not stored waits (for an indexer that may, see :meth:`SearchService.sync`).
        ``min_documents``: a round applies nothing until that many documents wait."""
        self.database = database
        self.service = service
        self.before_round = before_round
        self.interval = interval
        self.batch = batch
        self.model = model
        self.min_documents = min_documents
        self.state = IndexerState()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._pruned_at = -PRUNE_INTERVAL
        self._recorded: int | None = None

    # -- one round -----------------------------------------------------------------------------
    def run_once(self, *, max_entries: int | None = None, blocking: bool = True) -> int:
        """Tag what waits, build the index if there is none, apply the queue (up to
        ``max_entries``, all by default). Returns the queue entries applied."""
        if self.before_round is not None:
            self.before_round()
        with self.database.session() as session:
            rebuild = self.service.needs_rebuild(session)
        if rebuild:
            self.state.rebuilding = True
            try:
                with self.database.session() as session:
                    outcome = self.service.rebuild(session, blocking=blocking, if_needed=True)
                if outcome.get("built"):
                    log.info("search index built: %d passages", outcome["passages"])
            finally:
                self.state.rebuilding = False
        applied = 0
        if self.min_documents > 1:
            with self.database.session() as session:
                if queue.pending_documents(session, self.service.cursor) < self.min_documents:
                    max_entries = 0
        while max_entries is None or applied < max_entries:
            if self._stop.is_set():
                break
            want = self.batch if max_entries is None else min(self.batch, max_entries - applied)
            with self.database.session() as session:
                done = self.service.sync(
                    session, blocking=blocking, max_entries=want, batch=self.batch, model=self.model
                )
            applied += done
            if done < want:
                break
        self.state.applied += applied
        self.state.rounds += 1
        self.state.last_round_at = time.time()
        self._record_position()
        return applied

    def _record_position(self) -> None:
        """Say where this node stands in ``search_nodes`` when it moved (the server's writes
        move it too, see :func:`rcphub.app._index_after_writes`), and every
        :data:`PRUNE_INTERVAL` prune the log. A transaction of its own that writes first, so
        that on SQLite it waits its turn instead of failing as a reader that came to write."""
        due = time.monotonic() - self._pruned_at > PRUNE_INTERVAL
        if self.service.needs_rebuild():
            return  # no index yet (another node held the build): nothing to say
        position = self.service.manifest.last_applied
        if not due and position == self._recorded:
            return
        with self.database.write_session() as session:
            queue.record_node(session, self.service.manifest.node, position)
            pruned = queue.prune(session) if due else 0
        self._recorded = position
        if due:
            self._pruned_at = time.monotonic()
        if pruned:
            log.info("search log: %d entries every node has applied were pruned", pruned)

    def catch_up(self) -> int:
        """Apply everything waiting now, in the caller's thread (tests, ``rcphub index``)."""
        return self.run_once()

    # -- the thread ----------------------------------------------------------------------------
    def start(self) -> BackgroundIndexer:
        if self._thread is not None:
            return self
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, name="rcphub-indexer", daemon=True)
        self.state.running = True
        self._thread.start()
        return self

    def notify(self) -> None:
        """Something was written: look at the queue now rather than at the next tick."""
        self._wake.set()

    def stop(self, timeout: float = 30.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
        self.state.running = False

    def _loop(self) -> None:
        backoff = self.interval
        while not self._stop.is_set():
            try:
                self.run_once()
                if self.state.last_error is not None:
                    log.info("search indexer recovered")
                self.state.last_error = None
                backoff = self.interval
            except Exception as exc:  # the server keeps serving; the next round retries
                self.state.errors += 1
                message = f"{type(exc).__name__}: {exc}"
                if message != self.state.last_error:
                    log.exception("search indexer round failed; retrying")
                self.state.last_error = message
                backoff = min(max(backoff * 2, 1.0), MAX_BACKOFF)
            self._wake.wait(backoff)
            self._wake.clear()

    def follow(self) -> None:
        """Run the loop in the calling thread until :meth:`stop` (``rcphub index --follow``)."""
        self.state.running = True
        try:
            self._loop()
        finally:
            self.state.running = False


@contextlib.contextmanager
def indexing_alongside(database: Database, service: SearchService) -> Iterator[BackgroundIndexer]:
    """Keep ``service``'s index in step while the block stores documents (``rcphub ingest``):
    a thread takes in what was committed meanwhile, :data:`ALONGSIDE_DOCUMENTS` documents at a
    time, so that indexing overlaps the ingest instead of following it. The thread never runs
    the model (the block's workers store the vectors with the passages); the caller applies
    what is left when the block ends (:meth:`BackgroundIndexer.catch_up`)."""
    indexer = BackgroundIndexer(database, service, model=False, min_documents=ALONGSIDE_DOCUMENTS)
    indexer.start()
    try:
        yield indexer
    finally:
        indexer.stop()
