"""The best matches by meaning, ordered by the clause that answers the query.

A passage's vector is the mean of its clauses' (:func:`rcphub.search.embedding.embed_clauses`):
a query about one sentence of a long paragraph ("measures against xenophobic attitudes"
against a Regional Conference declaration whose paragraph turns to xenophobia in its third
sentence) scores below short passages about migration in general. The clause vectors are
stored beside the passage's (``passage_vectors.clauses``); the search reorders its
:data:`REORDERED` best matches by meaning by a mix of the passage's score and its best
clause's, both centred the same way (:meth:`rcphub.search.service.SearchService._reordered`).
What matches was decided before, on the passage's plain cosine and the floor: this only
orders.

Chosen on the tuning half of the real-text set (``tests/realtext/search``, ``bench/
bench_realtext_search.py``): a clause weight of 0.2 gave the best tuning MRR (0.746 -> 0.760;
recall@3 stayed 0.80; weights 0.3-0.5 gave MRR 0.740); the held-out half then moved from
recall@3 0.833 / MRR 0.777 to 0.875 / 0.804.
"""

from __future__ import annotations

import numpy as np
from sqlalchemy.orm import Session

from rcphub.search import vectors as passage_vectors
from rcphub.search.index import Part, Snapshot

CLAUSE_WEIGHT = 0.2
"""Weight of the best clause's score; the passage's own score has the rest."""
REORDERED = 20
"""Best matches reordered: their clause vectors are read from the database, one query."""


def reorder(
    session: Session,
    snapshot: Snapshot,
    parts: list[Part],
    query: np.ndarray,
    mean: np.ndarray,
    centring: float,
    embedder: str,
) -> list[Part]:
    """``parts`` (scores: the passages' centred cosines) with the :data:`REORDERED` best
    rescored by their best clause; the others keep their order, below them. Passages without
    stored clause vectors keep their score."""
    found = [(index, slot) for index, part in enumerate(parts) for slot in range(len(part.rows))]
    if not found or not CLAUSE_WEIGHT:
        return parts
    scores = np.array([parts[i].scores[s] for i, s in found], dtype=np.float64)
    best = np.argsort(-scores, kind="stable")[:REORDERED]
    wanted: dict[int, str] = {}
    where: dict[int, int] = {}
    for position in best.tolist():
        index, slot = found[position]
        segment = snapshot.segments[parts[index].segment]
        row = int(parts[index].rows[slot])
        passage_id = int(segment.passage_id[row])
        wanted[passage_id] = f"{int(segment.text_hash[row]):016x}"
        where[position] = passage_id
    dims = len(query)
    stored = passage_vectors.load_clauses(session, wanted, embedder, dims)
    if not stored:
        return parts
    centred_query = _centred(np.asarray(query, dtype=np.float32)[None, :], mean, centring)[0]
    new = scores.copy()
    for position, passage_id in where.items():
        clauses = stored.get(passage_id)
        if clauses is not None:
            best_clause = float((_centred(clauses, mean, centring) @ centred_query).max())
            new[position] = (1 - CLAUSE_WEIGHT) * scores[position] + CLAUSE_WEIGHT * best_clause
    rest = np.ones(len(scores), dtype=bool)
    rest[best] = False
    if rest.any():  # the others stay below the reordered ones, in their order
        lowest = float(new[best].min())
        drop = max(0.0, float(scores[rest].max()) - lowest) + 1e-6
        new[rest] = scores[rest] - drop
    out = [part.scores.astype(np.float32, copy=True) for part in parts]
    for position, (index, slot) in enumerate(found):
        out[index][slot] = new[position]
    return [Part(part.segment, part.rows, scores) for part, scores in zip(parts, out, strict=True)]


def _centred(vectors: np.ndarray, mean: np.ndarray, centring: float) -> np.ndarray:
    """Unit rows of ``vectors`` (made unit first) minus ``centring`` times ``mean``."""
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    shifted = vectors / np.where(norms > 0, norms, 1.0) - centring * mean
    norms = np.linalg.norm(shifted, axis=1, keepdims=True)
    return shifted / np.where(norms > 0, norms, 1.0)
