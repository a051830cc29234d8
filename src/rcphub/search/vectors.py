"""One embedding per passage, computed once, kept in the database (``passage_vectors``).

The vector of a passage is the normalised mean of its clauses' embeddings
(:func:`rcphub.search.embedding.embed_by_clauses`), with the names the entity linker found in
it (states, processes, organisations) blanked out: a vector says what the passage is about,
not whom it names ("the Bali Process on People Smuggling, Trafficking in Persons ..." is not a
passage about trafficking); names are found by keyword search and the state/process/org
filters. It is computed where the passage is
prepared — in the worker processes of ``rcphub ingest`` (one model per process, one BLAS
thread each: the cores are used, not oversubscribed) — or, for a passage that has none yet
(an upload, a document stored before this table existed), by the first who needs it (the
tagger, the indexer), who stores it. The theme tagger scores it against its concepts; every
node's search index quantises it into its segments: a node builds its index without running
the model.

Stored as float16 (1 KB for 512 dimensions), with the model's name and the hash of the text it
was made from; a vector of another model or of text since changed is not used (and is
replaced when computed again).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import partial
from typing import NamedTuple

import numpy as np
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from rcphub.db.engine import write_if_free
from rcphub.db.models import PassageVector
from rcphub.limits import EMBED_BATCH
from rcphub.search.segment import text_key

EMBEDDED_KINDS_EXCLUDED = frozenset({"signature"})
"""Passage kinds that get no vector: nobody uses one (the tagger skips signatures, the index
gives headings and signatures none, see :data:`rcphub.search.source.NOT_SEMANTIC`)."""
CHUNK = 500


Spans = Sequence[tuple[int, int]]
Item = tuple[int, str, Spans]
"""What a vector is made from: (passage ID, text, character spans of the names in it)."""


def wanted(kind: str) -> bool:
    return kind not in EMBEDDED_KINDS_EXCLUDED


def blanked(text: str, spans: Spans) -> str:
    """The text with the given spans replaced by spaces (offsets stay valid)."""
    if not spans:
        return text
    # slices, not a list of every character (80 MB for a 10 MB passage)
    pieces, cursor = [], 0
    for start, end in sorted(spans):
        start, end = max(start, cursor), min(end, len(text))
        if end <= start:
            continue
        pieces += (text[cursor:start], " " * (end - start))
        cursor = end
    pieces.append(text[cursor:])
    return "".join(pieces)


class ModelNeeded(Exception):
    """Raised by :func:`ensure` told not to run the model (``model=False``) when a vector is
    not stored: the caller leaves the work to whoever may run it (the background indexer)."""


class Embedded(NamedTuple):
    """What :func:`compute` gives: the passage vectors (one row each) and each passage's
    clause vectors (``None`` where the embedder gives none)."""

    means: np.ndarray
    clauses: list[np.ndarray | None]


def compute(embedder, items: Sequence[Item]) -> Embedded:  # type: ignore[no-untyped-def]
    """The vectors of ``items`` (``embedder``: a CachedEmbedder), as stored (float16
    precision, so whoever computed them and whoever reads them back use the same), with their
    clause vectors."""
    texts = [blanked(text, spans) for _, text, spans in items]
    if not texts:
        return Embedded(np.zeros((0, embedder.dims), dtype=np.float32), [])
    means: list[np.ndarray] = []
    per_passage: list[np.ndarray | None] = []
    # bounded work (rcphub.limits): the model gets at most EMBED_BATCH texts a call
    for start in range(0, len(texts), EMBED_BATCH):
        chunk_means, chunk_clauses = embedder.embed_passages_with_clauses(
            texts[start : start + EMBED_BATCH]
        )
        means.append(np.asarray(chunk_means))
        per_passage += [
            None if c is None else np.asarray(c).astype(np.float16).astype(np.float32)
            for c in chunk_clauses
        ]
    computed = np.concatenate(means).astype(np.float16).astype(np.float32)
    return Embedded(computed, per_passage)


def text_hash(text: str) -> str:
    return f"{text_key(text):016x}"


def encode(vector: np.ndarray) -> bytes:
    """float16 bytes of a vector (or of a matrix, row after row)."""
    return np.asarray(vector, dtype=np.float16).tobytes()


def decode(blob: bytes, dims: int) -> np.ndarray:
    vector = np.frombuffer(blob, dtype=np.float16)
    if len(vector) != dims:
        raise ValueError("stored vector of another size")
    return vector.astype(np.float32)


def load(
    session: Session, items: Sequence[Item], embedder: str, dims: int
) -> dict[int, np.ndarray]:
    """Stored vectors of ``items`` made by ``embedder`` from their text."""
    found: dict[int, np.ndarray] = {}
    hashes = {passage_id: text_hash(text) for passage_id, text, _ in items}
    ids = sorted(hashes)
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        for passage_id, name, stored_hash, blob in session.execute(
            select(
                PassageVector.passage_id,
                PassageVector.embedder,
                PassageVector.text_hash,
                PassageVector.vector,
            ).where(PassageVector.passage_id.in_(chunk))
        ):
            if name == embedder and stored_hash == hashes[passage_id]:
                try:
                    found[passage_id] = decode(blob, dims)
                except ValueError:
                    continue
    return found


def rows(items: Sequence[Item], embedded: Embedded, embedder: str) -> list[dict[str, object]]:
    return [
        {
            "passage_id": passage_id,
            "embedder": embedder,
            "text_hash": text_hash(text),
            "vector": encode(vector),
            "clauses": None if clause_vectors is None else encode(clause_vectors),
        }
        for (passage_id, text, _), vector, clause_vectors in zip(
            items, embedded.means, embedded.clauses, strict=True
        )
    ]


def load_clauses(
    session: Session, wanted: dict[int, str], embedder: str, dims: int
) -> dict[int, np.ndarray]:
    """Stored clause vectors (one row per clause) of the passages in ``wanted`` (passage ID
    → the :func:`text_hash` of the text the caller holds), made by ``embedder`` from that
    text."""
    found: dict[int, np.ndarray] = {}
    ids = sorted(wanted)
    for start in range(0, len(ids), CHUNK):
        for passage_id, name, stored_hash, blob in session.execute(
            select(
                PassageVector.passage_id,
                PassageVector.embedder,
                PassageVector.text_hash,
                PassageVector.clauses,
            ).where(PassageVector.passage_id.in_(ids[start : start + CHUNK]))
        ):
            if blob is None or name != embedder or stored_hash != wanted[passage_id]:
                continue
            matrix = np.frombuffer(blob, dtype=np.float16)
            if not len(matrix) or len(matrix) % dims:
                continue
            found[passage_id] = matrix.reshape(-1, dims).astype(np.float32)
    return found


def store(session: Session, values: Iterable[dict[str, object]]) -> None:
    """Insert or replace vectors (another writer may have stored the same passage's meanwhile:
    the last one stays, and both are the same model's vector of the same text). Rows are
    written in the order of their passage, so two writers of the same passages take their
    locks in one order (on PostgreSQL, in any other they could deadlock)."""
    values = sorted(values, key=lambda value: int(value["passage_id"]))  # type: ignore[call-overload]
    for start in range(0, len(values), CHUNK):
        chunk = values[start : start + CHUNK]
        session.execute(
            delete(PassageVector).where(
                PassageVector.passage_id.in_([v["passage_id"] for v in chunk])
            )
        )
        session.execute(_insert(session), chunk)


def _insert(session: Session):  # type: ignore[no-untyped-def]
    table = PassageVector.__table__
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert

        return insert(table).on_conflict_do_nothing(index_elements=["passage_id"])
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(table).on_conflict_do_nothing(index_elements=["passage_id"])


def ensure(
    session: Session,
    items: Sequence[Item],
    embedder,  # type: ignore[no-untyped-def]  # a CachedEmbedder
    *,
    batch: int = 256,
    fresh: bool = False,
    model: bool = True,
) -> np.ndarray:
    """The vectors of ``items``, in order: the stored ones, and the others computed now and
    stored in the caller's transaction (``fresh``: all computed again) — unless the database
    will not take the write in a transaction that has read (SQLite, another writer committed
    meanwhile: :func:`rcphub.db.engine.write_if_free`); the next who needs them computes them
    again. ``model=False``: raise :class:`ModelNeeded` rather than compute one."""
    out = np.zeros((len(items), embedder.dims), dtype=np.float32)
    have = {} if fresh else load(session, items, embedder.name, embedder.dims)
    missing = []
    for index, (passage_id, _text, _spans) in enumerate(items):
        vector = have.get(passage_id)
        if vector is None:
            missing.append(index)
        else:
            out[index] = vector
    if missing and not model:
        raise ModelNeeded(f"{len(missing)} passages have no stored vector")
    for start in range(0, len(missing), batch):
        chunk = missing[start : start + batch]
        todo = [items[i] for i in chunk]
        computed = compute(embedder, todo)
        out[chunk] = computed.means
        write_if_free(session, partial(store, session, rows(todo, computed, embedder.name)))
    return out
