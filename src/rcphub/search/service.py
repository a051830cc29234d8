"""The search service: one object per application, built from settings, serving the pages, the
API and the CLI.

Modes:

- ``keyword``: every passage matching the query (all words, in any form; phrases; ``OR``;
  ``-exclusions``; filters), ranked by BM25.
- ``semantic``: the passages nearest to the query's embedding (cosine), among those passing
  the filters, at or above the match floor (:data:`~rcphub.search.relevance.MATCH_FLOOR`), at
  most :attr:`SearchService.semantic_depth` of them. Only content passages have an embedding
  (:func:`~rcphub.search.relevance.is_content`): title lines, symbols, headings, signatures
  and lead-ins are found by their words only.
- ``hybrid`` (the default): both sets; ranked by reciprocal rank fusion (each list gives
  ``weight / (60 + rank)``). A cross-lingual query rarely has keyword matches (all words must
  match), so the embedding's ranking carries it; a query in the passage's language gets both.

``total`` and the facets count the whole match set (in hybrid mode, the union of both sets),
not only the page shown. Each hit says why it matched (``matched``: words, meaning or both).
When fewer than :data:`~rcphub.search.relevance.FEW_MATCHES` passages match, ``related`` offers
the nearest passages below the floor (down to
:data:`~rcphub.search.relevance.RELATED_FLOOR`), marked as such and outside ``total``.

Visibility: the index holds every passage, restricted or not, and carries no visibility. Each
search asks the database (the source of truth, through
:func:`rcphub.accounts.policy.visible_documents_clause`) for the restricted documents the
asker may *not* read and drops their rows in :meth:`Snapshot.mask`, before ranking, totals and
facet counts. A visibility change therefore takes effect at once, with no reindex and no window
in which a stale index could show a newly restricted document; the cost is one indexed query
per search over the (few) restricted documents. The hits are read back through the same clause.

A query without words (only filters) lists the passages that pass them, in document order.

Lifecycle: :meth:`sync` applies the durable queue (:mod:`.queue`) in batches; it runs in the
background (:class:`rcphub.search.indexer.BackgroundIndexer`, a thread of ``rcphub serve``, or
``rcphub index --follow``), never inside a search: a search answers from the index as it is and
says how many documents wait (:attr:`SearchResult.pending_documents`). :meth:`rebuild` recreates
the whole index from the database (reusing stored vectors of passages whose text did not
change, unless asked not to).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from sqlalchemy import func, not_, select
from sqlalchemy.orm import Session

from rcphub import urls
from rcphub.accounts.policy import ANONYMOUS, Principal, visible_documents_clause
from rcphub.config import Settings
from rcphub.db.models import Document, Passage
from rcphub.errors import InvalidInput
from rcphub.limits import HIT_PASSAGE_CHARS
from rcphub.search import clause_order, queue
from rcphub.search import vectors as passage_vectors
from rcphub.search.analysis import Analyzer
from rcphub.search.embedding import CachedEmbedder, Embedder, UseEmbedder
from rcphub.search.highlight import highlight
from rcphub.search.index import Part, Snapshot
from rcphub.search.query import ParsedQuery, parse_query
from rcphub.search.relevance import FEW_MATCHES, MATCH_FLOOR, RELATED_FLOOR, RELATED_SHOWN
from rcphub.search.schemas import (
    MAX_LIMIT,
    MAX_WINDOW,
    Citation,
    FacetCount,
    SearchHit,
    SearchMode,
    SearchQuery,
    SearchResult,
)
from rcphub.search.segment import IndexRow, SegmentWriter, document_key, text_key
from rcphub.search.source import count_passages, iter_rows, rows_for_documents, rows_for_passages
from rcphub.search.store import IndexStore, Manifest

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
"""Called with (passages done, passages in all)."""

FACET_NAMES = {"lang": "language"}
EMBED_BATCH = 256
CENTRING = 0.8
"""How much of the mean passage vector is taken off before ordering matches by meaning (see
:meth:`SearchService._reordered`); chosen on the tuning half of the real-text set (0.5: recall@3
0.72, 0.8 and 1.0: 0.84)."""
MEAN_SAMPLE = 50_000


class SearchService:
    """Keyword, semantic and hybrid search over every passage, with facets.

    Thread-safe: searches read an immutable snapshot; writers (queue, rebuild) hold a lock
    (between processes too) and publish a new snapshot atomically.
    """

    def __init__(
        self,
        directory: Path,
        embedder: Embedder | None = None,
        *,
        hnsw_threshold: int = 250_000,
        semantic_depth: int = 200,
        min_similarity: float = MATCH_FLOOR,
        related_similarity: float = RELATED_FLOOR,
        centring: float = CENTRING,
        keyword_weight: float = 1.0,
        semantic_weight: float = 1.0,
        max_segments: int = 8,
    ) -> None:
        self.store = IndexStore(directory)
        self.embedder = CachedEmbedder(embedder or UseEmbedder())
        self.analyzer = Analyzer()
        self.hnsw_threshold = hnsw_threshold
        self.semantic_depth = semantic_depth
        self.min_similarity = min_similarity
        self.related_similarity = related_similarity
        self.centring = centring
        self.keyword_weight = keyword_weight
        self.semantic_weight = semantic_weight
        self.max_segments = max_segments
        self._lock = threading.RLock()
        self._snapshot: Snapshot | None = None
        self._manifest: Manifest | None = None
        self._stamp: tuple[int, int] | None = None
        self._mean: tuple[Snapshot, np.ndarray] | None = None

    @classmethod
    def from_settings(cls, settings: Settings, embedder: Embedder | None = None) -> SearchService:
        """The service of an installation: its index lives in ``<data_dir>/search``."""
        return cls(settings.data_dir / "search", embedder)

    # -- snapshots -----------------------------------------------------------------------------
    def _fresh_manifest(self) -> Manifest:
        """An empty index of this node (a new node gets a name of its own)."""
        on_disk = self.store.read_manifest()
        node = on_disk.node if on_disk is not None and on_disk.node else queue.new_node_name()
        return Manifest(embedder=self.embedder.name, dims=self.embedder.dims, node=node)

    @property
    def cursor(self) -> queue.Cursor:
        """This node's place in the search log."""
        manifest = self.manifest
        return queue.Cursor.from_manifest(manifest.last_applied, manifest.holes)

    def snapshot(self) -> Snapshot:
        """The current index (reopened if another process committed a new one)."""
        stamp = self.store.manifest_stamp()
        if self._snapshot is not None and stamp == self._stamp:
            return self._snapshot
        with self._lock:
            stamp = self.store.manifest_stamp()
            if self._snapshot is None or stamp != self._stamp:
                manifest = self.store.read_manifest()
                if manifest is None or manifest.embedder != self.embedder.name:
                    # No index yet, or one made with another model: an empty one, which a
                    # rebuild (or the queue) fills.
                    manifest = self._fresh_manifest()
                self._manifest = manifest
                self._snapshot = self.store.open(manifest)
                self._stamp = stamp
            return self._snapshot

    @property
    def manifest(self) -> Manifest:
        self.snapshot()
        assert self._manifest is not None
        return self._manifest

    def needs_rebuild(self, session: Session | None = None) -> bool:
        """Whether there is no usable index on disk (none yet, another format or model) or,
        asked with a ``session``, whether the log was pruned of entries it never applied."""
        manifest = self.store.read_manifest()
        if manifest is None or manifest.embedder != self.embedder.name:
            return True
        return session is not None and manifest.last_applied < queue.pruned_through(session)

    # -- searching -----------------------------------------------------------------------------
    def parse(self, query: SearchQuery) -> ParsedQuery:
        if not 1 <= query.limit <= MAX_LIMIT:
            raise InvalidInput(f"limit must be between 1 and {MAX_LIMIT}")
        if query.offset < 0 or query.offset + query.limit > MAX_WINDOW:
            raise InvalidInput(f"offset + limit must stay within the first {MAX_WINDOW} hits")
        if not 1 <= query.facet_limit <= 1000:
            raise InvalidInput("facet_limit must be between 1 and 1000")
        parsed = parse_query(query.q, self.analyzer)
        for name, values in query.parameter_filters().items():
            for value in values:
                if not isinstance(value, str) or "\x00" in value or len(value) > 200:
                    raise InvalidInput(f"{name}: not a usable value")
                parsed.add_filter(name, value)
        return parsed

    def search(
        self, session: Session, query: SearchQuery, viewer: Principal = ANONYMOUS
    ) -> SearchResult:
        """One page of hits with citations and highlights, the total and the facets, over the
        passages of the documents ``viewer`` may read."""
        parsed = self.parse(query)
        parsed.hidden_documents = frozenset(
            document_key(document_id)
            for document_id in session.scalars(
                select(Document.id).where(not_(visible_documents_clause(viewer)))
            )
        )
        snapshot = self.snapshot()
        mode = SearchMode(query.mode)
        window = query.offset + query.limit
        keyword_parts: list[Part] = []
        semantic_parts: list[Part] = []
        use_vectors = mode != SearchMode.KEYWORD and bool(parsed.text.strip())
        if mode != SearchMode.SEMANTIC or not use_vectors:
            keyword_parts = snapshot.keyword(parsed)
        related_parts: list[Part] = []
        if use_vectors:
            vector = self.embedder.embed_query(parsed.text)
            nearest = snapshot.nearest(vector, parsed, self.semantic_depth)
            semantic_parts = [
                self._reordered(snapshot, vector, _keep(part, part.scores >= self.min_similarity))
                for part in nearest
            ]
            if self.centring:
                semantic_parts = clause_order.reorder(
                    session,
                    snapshot,
                    semantic_parts,
                    vector,
                    self._mean_vector(snapshot),
                    self.centring,
                    self.embedder.name,
                )
            related_parts = [
                _keep(
                    part,
                    (part.scores < self.min_similarity) & (part.scores >= self.related_similarity),
                )
                for part in nearest
            ]
        if mode == SearchMode.HYBRID and use_vectors:
            keys, scores, total, parts = self._fuse(keyword_parts, semantic_parts, window)
        else:
            parts = semantic_parts if use_vectors else keyword_parts
            keys, scores, total = _ranked(parts, window, by_score=parsed.has_terms or use_vectors)
        facets = snapshot.facets(parts, limit=query.facet_limit)
        page_keys = keys[query.offset : window]
        page_scores = scores[query.offset : window]
        reasons = _reasons(page_keys, keyword_parts, semantic_parts)
        hits = self._hits(session, snapshot, parsed, page_keys, page_scores, viewer, reasons)
        related: list[SearchHit] = []
        if use_vectors and total < FEW_MATCHES and query.offset == 0:
            in_hits = set(keys.tolist())
            rel_keys, rel_scores, _ = _ranked(
                related_parts, RELATED_SHOWN + len(in_hits), by_score=True
            )
            keep = np.array([k not in in_hits for k in rel_keys.tolist()], dtype=bool)
            rel_keys, rel_scores = rel_keys[keep][:RELATED_SHOWN], rel_scores[keep][:RELATED_SHOWN]
            related = self._hits(
                session, snapshot, parsed, rel_keys, rel_scores, viewer, {}, default=["related"]
            )
        return SearchResult(
            query=query.q,
            mode=mode,
            total=total,
            offset=query.offset,
            limit=query.limit,
            hits=hits,
            pending_documents=self.pending_documents(session),
            facets={
                FACET_NAMES.get(name, name): [FacetCount(value=v, count=c) for v, c in values]
                for name, values in facets.items()
            },
            related=related,
        )

    def _reordered(self, snapshot: Snapshot, vector: np.ndarray, part: Part) -> Part:
        """The part's rows scored for *ordering* by cosine after centring: query and passages
        minus :attr:`centring` (default :data:`CENTRING`) times the index's mean passage
        vector, so that what every passage of a migration corpus shares stops deciding the
        order and what the query is specifically about decides it. Whether a row matches was
        decided before, on the plain cosine and the floor. On the tuning half of the real-text
        set: recall@3 0.72 -> 0.84 in semantic mode."""
        if not len(part.rows) or not self.centring:
            return part
        mean = self._mean_vector(snapshot)
        rows = _dequantised(snapshot.segments[part.segment], part.rows) - self.centring * mean
        query = np.asarray(vector, dtype=np.float32)
        query = query / (np.linalg.norm(query) or 1.0) - self.centring * mean
        norms = np.linalg.norm(rows, axis=1) * (np.linalg.norm(query) or 1.0)
        norms[norms == 0] = 1.0
        return Part(part.segment, part.rows, (rows @ query / norms).astype(np.float32))

    def _mean_vector(self, snapshot: Snapshot) -> np.ndarray:
        """The mean of the index's non-zero passage vectors (from at most
        :data:`MEAN_SAMPLE` rows, evenly spread), computed once per snapshot."""
        cached = self._mean
        if cached is not None and cached[0] is snapshot:
            return cached[1]
        total = sum(segment.rows for segment in snapshot.segments)
        step = max(1, total // MEAN_SAMPLE)
        sums = np.zeros(self.embedder.dims, dtype=np.float64)
        count = 0
        for segment in snapshot.segments:
            if not segment.rows:
                continue
            rows = np.arange(0, segment.rows, step)
            for start in range(0, len(rows), 8192):  # bounded memory: 16 MB a chunk
                vectors = _dequantised(segment, rows[start : start + 8192])
                nonzero = np.abs(vectors).sum(axis=1) > 0
                sums += vectors[nonzero].sum(axis=0)
                count += int(nonzero.sum())
        mean = (sums / max(count, 1)).astype(np.float32)
        self._mean = (snapshot, mean)
        return mean

    def _fuse(
        self, keyword_parts: list[Part], semantic_parts: list[Part], window: int
    ) -> tuple[np.ndarray, np.ndarray, int, list[Part]]:
        depth = max(window, MAX_WINDOW)
        kw_keys, _kw_scores, _ = _ranked(keyword_parts, depth, by_score=True)
        sem_keys, _sem_scores, _ = _ranked(semantic_parts, depth, by_score=True)
        fused: dict[int, float] = {}
        for rank, key in enumerate(kw_keys.tolist()):
            fused[key] = fused.get(key, 0.0) + self.keyword_weight / (60 + rank + 1)
        for rank, key in enumerate(sem_keys.tolist()):
            fused[key] = fused.get(key, 0.0) + self.semantic_weight / (60 + rank + 1)
        ordered = sorted(fused.items(), key=lambda kv: (-kv[1], kv[0]))[:window]
        keys = np.array([k for k, _ in ordered], dtype=np.int64)
        scores = np.array([s for _, s in ordered], dtype=np.float64)
        union: list[Part] = []
        by_segment = {p.segment: p for p in keyword_parts}
        for part in semantic_parts:
            other = by_segment.pop(part.segment, None)
            rows = part.rows if other is None else np.union1d(other.rows, part.rows)
            union.append(Part(part.segment, rows.astype(np.int32), np.zeros(len(rows))))
        union.extend(by_segment.values())
        total = sum(len(p.rows) for p in union)
        return keys, scores, total, union

    def _hits(
        self,
        session: Session,
        snapshot: Snapshot,
        parsed: ParsedQuery,
        keys: np.ndarray,
        scores: np.ndarray,
        viewer: Principal,
        reasons: dict[int, list[str]],
        *,
        default: list[str] | None = None,
    ) -> list[SearchHit]:
        if not len(keys):
            return []
        key_list = [int(key) for key in keys.tolist()]
        passage_ids = [
            int(snapshot.segments[key >> 32].passage_id[key & 0xFFFFFFFF]) for key in key_list
        ]
        rows = session.execute(
            select(
                Passage.id,
                Passage.document_id,
                Passage.ref,
                Passage.language,
                # bounded work (rcphub.limits): a hit shows the start of a huge passage
                func.substr(Passage.text, 1, HIT_PASSAGE_CHARS),
                func.length(Passage.text) > HIT_PASSAGE_CHARS,
                Document.title,
                Document.symbol,
                Document.language,
            )
            .join(Document, Document.id == Passage.document_id)
            .where(Passage.id.in_(passage_ids), visible_documents_clause(viewer))
        ).all()
        by_id = {row[0]: row for row in rows}
        terms = parsed.positive_terms()
        hits = []
        for key, passage_id, score in zip(key_list, passage_ids, scores.tolist(), strict=True):
            row = by_id.get(passage_id)
            if row is None:  # deleted since the index last heard of it
                continue
            _, document_id, ref, language, text, cut, title, symbol, doc_language = row
            shown = language if language and language != "und" else doc_language
            hits.append(
                SearchHit(
                    document=document_id,
                    ref=ref,
                    language=shown,
                    text=text,
                    text_truncated=bool(cut),
                    score=round(float(score), 6),
                    highlight=highlight(self.analyzer, text, shown, terms),
                    passage_id=passage_id,
                    citation=Citation(
                        title=title,
                        symbol=symbol,
                        ref=ref,
                        url=urls.document(document_id, ref=ref),
                    ),
                    matched=reasons.get(key, list(default or [])),
                )
            )
        return hits

    # -- lifecycle -----------------------------------------------------------------------------
    def prepare(self, database, progress: Progress | None = None) -> None:  # type: ignore[no-untyped-def]
        """At start-up: build the index if there is none usable (first run, another model or
        format), else catch up with the queue (what a crash left unapplied)."""
        with database.session() as session:
            if self.needs_rebuild():
                self.rebuild(session, progress)
            else:
                self.sync(session)

    def warm_up(self) -> None:
        """Open the index and load the model, so that the first search does not wait for
        them (the model takes seconds to load)."""
        self.snapshot()
        self.embedder.embed_query("migration")

    def pending_documents(self, session: Session) -> int:
        """Documents changed in the database that this index has not applied yet (counted
        among the first :data:`queue.LAG_SCAN` waiting entries): 0 when the index is up to
        date."""
        return queue.pending_documents(session, self.cursor)

    def sync(
        self,
        session: Session,
        *,
        blocking: bool = True,
        max_entries: int | None = None,
        batch: int = 2000,
        model: bool = True,
    ) -> int:
        """Apply the log entries this node has not applied, ``batch`` at a time, at most
        ``max_entries`` (all by default); returns how many were applied. Each batch is
        published with the node's new position in its manifest (the indexer records it in
        ``search_nodes``, in a transaction of its own). ``session`` is only read, but for the
        vectors of passages stored without them (a cache: kept if the database lets it, see
        :func:`rcphub.search.vectors.ensure`). With ``blocking=False`` it applies nothing if
        another writer holds the index. ``model=False`` (a request, while the background
        indexer runs): it stops before a batch with a passage whose vector is not stored."""
        with self._lock, self.store.write_lock(blocking=blocking) as locked:
            if not locked:
                return 0
            applied = 0
            self._stamp = None  # another process of this node may have moved on
            if self.cursor.position < queue.pruned_through(session):
                return 0  # behind the pruned log: entries are missing, only a rebuild will do
            while max_entries is None or applied < max_entries:
                limit = batch if max_entries is None else min(batch, max_entries - applied)
                self._stamp = None
                cursor = self.cursor
                entries = queue.pending(session, cursor, limit=limit)
                if not entries:
                    return applied
                document_ids = sorted({document_id for _, document_id in entries})
                rows = rows_for_documents(session, document_ids)
                keys = np.array([document_key(d) for d in document_ids], dtype=np.uint64)
                try:
                    self._replace(
                        session,
                        rows,
                        lambda segment, keys=keys: np.isin(np.asarray(segment.doc_key), keys),
                        cursor=cursor.advance(entry_id for entry_id, _ in entries),
                        model=model,
                    )
                except passage_vectors.ModelNeeded:
                    return applied  # left to the background indexer
                applied += len(entries)
            return applied

    def index_passages(self, session: Session, passage_ids: Sequence[int]) -> None:
        """(Re)index these passages now (rows of passages that no longer exist are removed)."""
        ids = np.array(sorted(set(passage_ids)), dtype=np.int64)
        with self._lock, self.store.write_lock():
            rows = rows_for_passages(session, ids.tolist())
            self._replace(
                session, rows, lambda segment: np.isin(np.asarray(segment.passage_id), ids)
            )

    def remove_document(self, document_id: str) -> None:
        """Take a document's passages out of the index now."""
        key = np.uint64(document_key(document_id))
        with self._lock, self.store.write_lock():
            self._replace(None, [], lambda segment: np.asarray(segment.doc_key) == key)

    def _replace(
        self,
        session: Session | None,
        rows: list[IndexRow],
        stale: Callable[[object], np.ndarray],
        *,
        cursor: queue.Cursor | None = None,
        model: bool = True,
    ) -> None:
        """Mark stale rows dead, add ``rows`` as a new segment, merge if there are too many
        segments, and commit — one new manifest, so readers see all of it or none.
        ``model=False``: raise :class:`~rcphub.search.vectors.ModelNeeded`, before anything is
        written, if a vector would have to be computed."""
        self._stamp = None  # reread what is on disk: another process may have written
        snapshot = self.snapshot()
        if rows:  # first: ModelNeeded leaves nothing written
            assert session is not None
            vectors = self._vectors_for(session, rows, snapshot, model=model)
        manifest = self.manifest
        generation = manifest.generation + 1
        entries: list[dict[str, str | None]] = []
        for segment, live, entry in zip(
            snapshot.segments, snapshot.live, manifest.segments, strict=True
        ):
            dead = stale(segment)
            if dead.any():
                mask = (np.ones(segment.rows, dtype=bool) if live is None else live.copy()) & ~dead
                if not mask.any():
                    continue  # nothing live is left: drop the segment
                entry = {
                    "name": segment.name,
                    "live": self.store.write_live(segment.name, generation, mask),
                }
            entries.append(dict(entry))
        if rows:
            writer = SegmentWriter(self.analyzer, self.embedder.dims)
            writer.add(rows, vectors)
            directory = self.store.new_segment_dir()
            writer.write(directory, hnsw_threshold=self.hnsw_threshold)
            entries.append({"name": directory.name, "live": None})
        new = Manifest(
            embedder=self.embedder.name,
            dims=self.embedder.dims,
            generation=generation,
            segments=entries,
            last_applied=manifest.last_applied if cursor is None else cursor.position,
            node=manifest.node or queue.new_node_name(),
            holes=manifest.holes if cursor is None else cursor.to_json(),
        )
        if session is not None and len(entries) > self.max_segments:
            new = self._merge(session, new)
        self._publish(new)

    def _merge(self, session: Session, manifest: Manifest) -> Manifest:
        """Fold the smallest segments into one, re-read from the database (vectors of
        unchanged passages are reused): as few as bring the count to :attr:`max_segments`,
        and with them each next one no larger than those folded so far. A segment is folded
        again only once segments as large as it have gathered, so a long stream of small
        segments re-reads each passage a few times (~4× for 600 segments of 50 documents),
        not once per merge (folding all but the largest: ~22×)."""
        snapshot = self.store.open(manifest)
        sizes = [
            segment.rows if live is None else int(live.sum())
            for segment, live in zip(snapshot.segments, snapshot.live, strict=True)
        ]
        order = sorted(range(len(sizes)), key=sizes.__getitem__)
        count = len(sizes) - self.max_segments + 1
        while count < len(order) and sizes[order[count]] <= sum(sizes[i] for i in order[:count]):
            count += 1
        folded = sorted(order[:count])
        passage_ids: list[int] = []
        for index in folded:
            segment, live = snapshot.segments[index], snapshot.live[index]
            ids = np.asarray(segment.passage_id)
            passage_ids.extend((ids if live is None else ids[live]).tolist())
        rows = rows_for_passages(session, passage_ids)
        writer = SegmentWriter(self.analyzer, self.embedder.dims)
        writer.add(rows, self._vectors_for(session, rows, snapshot))
        directory = self.store.new_segment_dir()
        writer.write(directory, hnsw_threshold=self.hnsw_threshold)
        kept = [entry for index, entry in enumerate(manifest.segments) if index not in folded]
        manifest.segments = [*kept, {"name": directory.name, "live": None}]
        return manifest

    def _publish(self, manifest: Manifest) -> None:
        self.store.commit(manifest)
        self._manifest = manifest
        self._snapshot = self.store.open(manifest)
        self._stamp = self.store.manifest_stamp()

    def _vectors_for(
        self,
        session: Session,
        rows: Sequence[IndexRow],
        snapshot: Snapshot | None,
        *,
        fresh: bool = False,
        model: bool = True,
    ) -> np.ndarray:
        """Embeddings of ``rows``: taken from the index where the passage and its text are
        unchanged, else from the database (``passage_vectors``, :mod:`.vectors`), else
        computed now and stored there for the tagger and the other nodes. ``fresh``: all
        computed again (and stored). ``model=False``: :class:`~.vectors.ModelNeeded` rather
        than compute one."""
        vectors = np.zeros((len(rows), self.embedder.dims), dtype=np.float32)
        missing = list(range(len(rows)))
        if snapshot is not None and snapshot.segments:
            missing = []
            wanted = np.array([r.passage_id for r in rows], dtype=np.int64)
            hashes = np.array([text_key(r.text) for r in rows], dtype=np.uint64)
            found = np.zeros(len(rows), dtype=bool)
            for segment in snapshot.segments:
                ids = np.asarray(segment.passage_id)
                if not len(ids):
                    continue
                order = np.argsort(ids, kind="stable")
                slot = np.searchsorted(ids, wanted, sorter=order).clip(max=len(ids) - 1)
                rows_at = order[slot]
                same = (
                    (ids[rows_at] == wanted)
                    & (np.asarray(segment.text_hash)[rows_at] == hashes)
                    & ~found
                )
                if same.any():
                    vectors[same] = _dequantised(segment, rows_at[same])
                    found |= same
            missing = np.flatnonzero(~found).tolist()
        for index, row in enumerate(rows):
            if not row.semantic:  # a vector reused from before the passage lost it
                vectors[index] = 0
        missing = [i for i in missing if rows[i].semantic]  # the others stay zero
        if missing:
            vectors[missing] = passage_vectors.ensure(
                session,
                [(rows[i].passage_id, rows[i].text, rows[i].spans) for i in missing],
                self.embedder,
                batch=EMBED_BATCH,
                fresh=fresh,
                model=model,
            )
        return vectors

    def rebuild(
        self,
        session: Session,
        progress: Progress | None = None,
        *,
        reuse_vectors: bool = True,
        batch: int = 2000,
        blocking: bool = True,
        if_needed: bool = False,
    ) -> dict[str, float]:
        """Recreate the index from the database. The node's position in the log becomes the
        newest entry when it starts (later ones are applied after; the caller commits
        ``session``, which records the position). With ``blocking=False`` it does nothing
        while another writer holds the index."""
        started = time.perf_counter()
        with self._lock, self.store.write_lock(blocking=blocking) as locked:
            if not locked or (if_needed and not self.needs_rebuild(session)):
                # (if_needed: another process of this node, a worker of `serve --workers`,
                # built it while this one waited for the lock)
                return {"passages": 0, "seconds": 0.0, "built": False}
            cursor = queue.rebuild_cursor(session)  # before reading: later changes reapply
            old = self.snapshot() if reuse_vectors else None
            total = count_passages(session)
            writer = SegmentWriter(self.analyzer, self.embedder.dims)
            done = 0
            if progress:
                progress(0, total)
            for rows in iter_rows(session, batch=batch):
                writer.add(rows, self._vectors_for(session, rows, old, fresh=not reuse_vectors))
                done += len(rows)
                if progress:
                    progress(done, max(total, done))
            directory = self.store.new_segment_dir()
            writer.write(directory, hnsw_threshold=self.hnsw_threshold, threads=2)
            manifest = self._fresh_manifest()
            manifest.generation = (self._manifest.generation if self._manifest else 0) + 1
            manifest.segments = [{"name": directory.name, "live": None}] if done else []
            manifest.last_applied = cursor.position
            manifest.holes = cursor.to_json()
            self._publish(manifest)
        return {
            "passages": done,
            "seconds": round(time.perf_counter() - started, 2),
            "built": True,
        }

    def status(self) -> dict[str, object]:
        snapshot = self.snapshot()
        manifest = self.manifest
        return {
            "passages": snapshot.live_rows,
            "segments": len(snapshot.segments),
            "generation": manifest.generation,
            "last_applied": manifest.last_applied,
            "node": manifest.node,
            "embedder": manifest.embedder,
            "size_bytes": self.store.size_bytes() if self.store.directory.exists() else 0,
            "updated_at": manifest.updated_at,
        }


def _reasons(
    keys: np.ndarray, keyword_parts: list[Part], semantic_parts: list[Part]
) -> dict[int, list[str]]:
    """For the keys of a page, why each matched: "words", "meaning" or both (in that order)."""
    reasons: dict[int, list[str]] = {}
    for key in keys.tolist():
        segment, row = int(key) >> 32, int(key) & 0xFFFFFFFF
        found = [
            reason
            for parts, reason in ((keyword_parts, "words"), (semantic_parts, "meaning"))
            if any(p.segment == segment and _contains(p.rows, row) for p in parts)
        ]
        reasons[int(key)] = found
    return reasons


def _contains(sorted_rows: np.ndarray, row: int) -> bool:
    slot = int(np.searchsorted(sorted_rows, row))
    return slot < len(sorted_rows) and int(sorted_rows[slot]) == row


def _keep(part: Part, mask: np.ndarray) -> Part:
    return Part(part.segment, part.rows[mask], part.scores[mask])


def _ranked(
    parts: list[Part], window: int, *, by_score: bool
) -> tuple[np.ndarray, np.ndarray, int]:
    """The first ``window`` matches as keys (segment << 32 | row) and scores, and the total."""
    if not parts:
        return np.zeros(0, dtype=np.int64), np.zeros(0), 0
    keys = np.concatenate([(np.int64(p.segment) << 32) | p.rows.astype(np.int64) for p in parts])
    scores = np.concatenate([p.scores.astype(np.float64) for p in parts])
    total = len(keys)
    if not by_score:
        return keys[:window], scores[:window], total
    if total > window:
        top = np.argpartition(-scores, window - 1)[:window]
        keys, scores = keys[top], scores[top]
    order = np.lexsort((keys, -scores))
    return keys[order], scores[order], total


def _dequantised(segment, rows: np.ndarray) -> np.ndarray:  # type: ignore[no-untyped-def]
    vectors = np.asarray(segment.vectors[rows], dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return vectors / norms
