"""Segments: immutable, memory-mapped slices of the index, written once and never changed.

A segment is a directory of ``.npy`` arrays over its rows (one row per passage):

==================  ==========================================================================
``terms``           uint64 hashes of the index terms, sorted (the dictionary)
``post_ptr``        int64, postings of term *t* are ``post_row[post_ptr[t]:post_ptr[t+1]]``
``post_row``        int32 rows, ascending within a term; ``post_tf`` uint16 term frequencies
``pos_ptr``         int64, positions of term *t* are ``positions[pos_ptr[t]:pos_ptr[t+1]]``,
                    grouped by posting (``post_tf`` of them each), ascending
``passage_id``      int64 passage IDs; ``doc_key`` uint64 (the document ID read as hex);
                    ``text_hash`` uint64 (to reuse a vector when the text did not change)
``doc_len``         uint32 tokens per row (BM25 length normalisation)
``lang``            uint8 index into :data:`LANG_CODES`; ``type`` uint16 index into
                    ``meta.json`` types; ``year`` int16 (0: unknown)
``<f>_ptr/_val``    for each multi-valued field (process, state, org, theme): the value codes
                    of each row (CSR), values listed in ``meta.json``; the same values are also
                    index terms (``\\x01state:PER``), so a filter is a postings list
``vectors``         int8 embeddings, each scaled so its largest component is ±127
``hnsw.usearch``    an HNSW graph over ``vectors``, only for segments above a size threshold
==================  ==========================================================================

Deletions never touch a segment: the manifest records which rows are live.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from rcphub.search.analysis import Analyzer
from rcphub.search.query import FACET_FIELDS, LANG_VALUES

LANG_CODES = LANG_VALUES
FILTER_TERM_PREFIX = "\x01"
FORMAT_VERSION = 1
MAX_TOKENS = 65_535
"""Tokens indexed per passage; a longer passage is indexed by its beginning."""


def term_hash(term: str) -> int:
    """The 64-bit dictionary key of a term (stable across processes and machines)."""
    return int.from_bytes(
        hashlib.blake2b(term.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "little"
    )


def filter_term(name: str, value: str) -> str:
    return f"{FILTER_TERM_PREFIX}{name}:{value}"


def document_key(document_id: str) -> int:
    """A document ID (16 hex digits) as an unsigned 64-bit number; other IDs are hashed."""
    try:
        return int(document_id, 16) & 0xFFFFFFFFFFFFFFFF
    except ValueError:
        return term_hash(document_id)


def text_key(text: str) -> int:
    return term_hash(text)


@dataclass
class IndexRow:
    """What the index keeps of one passage (built from the database by :mod:`.source`)."""

    passage_id: int
    document_id: str
    language: str
    text: str
    doc_type: str = ""
    year: int | None = None
    process: list[str] = field(default_factory=list)
    state: list[str] = field(default_factory=list)
    org: list[str] = field(default_factory=list)
    theme: list[str] = field(default_factory=list)
    spans: tuple[tuple[int, int], ...] = ()
    """Character spans of the names in the text (blanked out of what is embedded)."""
    semantic: bool = True
    """False for headings and signatures: they get no embedding (a zero vector), so they are
    never found by meaning — a two-word heading is close to almost any query."""


class SegmentWriter:
    """Accumulates rows (analysed as they come) and writes one segment."""

    def __init__(self, analyzer: Analyzer, dims: int) -> None:
        self.analyzer = analyzer
        self.dims = dims
        self.vocab: dict[str, int] = {}
        self.tok_term = array("i")
        self.tok_row = array("i")
        self.tok_pos = array("I")
        self.passage_id = array("q")
        self.doc_key = array("Q")
        self.text_hash = array("Q")
        self.doc_len = array("I")
        self.lang = array("B")
        self.type = array("H")
        self.year = array("h")
        self.types: dict[str, int] = {}
        self.facet_values: dict[str, dict[str, int]] = {f: {} for f in FACET_FIELDS}
        self.facet_ptr: dict[str, array] = {f: array("q", [0]) for f in FACET_FIELDS}
        self.facet_val: dict[str, array] = {f: array("i") for f in FACET_FIELDS}
        self.vector_chunks: list[np.ndarray] = []

    def __len__(self) -> int:
        return len(self.passage_id)

    def add(self, rows: Sequence[IndexRow], vectors: np.ndarray) -> None:
        """Add rows with their embeddings (float, one row each, any scale)."""
        if len(rows) != len(vectors):
            raise ValueError("one vector per row")
        vocab = self.vocab
        tok_term, tok_row, tok_pos = self.tok_term, self.tok_row, self.tok_pos
        for row in rows:
            index = len(self.passage_id)
            length = 0
            # MAX_TOKENS keeps term frequencies and lengths within 16 bits
            for term, position in self.analyzer.terms(row.text, row.language, MAX_TOKENS):
                term_id = vocab.get(term)
                if term_id is None:
                    term_id = vocab[term] = len(vocab)
                tok_term.append(term_id)
                tok_row.append(index)
                tok_pos.append(min(position, 0xFFFFFFFF))
                length += 1
            for name in FACET_FIELDS:
                codes = self.facet_values[name]
                values = list(dict.fromkeys(getattr(row, name)))
                for value in values:
                    code = codes.setdefault(value, len(codes))
                    self.facet_val[name].append(code)
                    term = filter_term(name, value)
                    term_id = vocab.get(term)
                    if term_id is None:
                        term_id = vocab[term] = len(vocab)
                    tok_term.append(term_id)
                    tok_row.append(index)
                    tok_pos.append(0)
                self.facet_ptr[name].append(len(self.facet_val[name]))
            self.passage_id.append(row.passage_id)
            self.doc_key.append(document_key(row.document_id))
            self.text_hash.append(text_key(row.text))
            self.doc_len.append(length)
            self.lang.append(LANG_CODES.index(row.language) if row.language in LANG_CODES else 6)
            self.type.append(self.types.setdefault(row.doc_type or "", len(self.types)))
            self.year.append(row.year or 0)
        if len(rows):
            self.vector_chunks.append(quantise(np.asarray(vectors, dtype=np.float32)))

    def write(self, directory: Path, *, hnsw_threshold: int = 0, threads: int = 1) -> None:
        """Write the segment into ``directory`` (which must not exist), all or nothing."""
        tmp = directory.with_name(directory.name + ".tmp")
        if tmp.exists():
            shutil.rmtree(tmp)
        tmp.mkdir(parents=True)
        n_rows = len(self.passage_id)
        terms = list(self.vocab)
        hashes = np.fromiter((term_hash(t) for t in terms), dtype=np.uint64, count=len(terms))
        order = np.argsort(hashes, kind="stable")
        hashes = hashes[order]
        if len(hashes) > 1 and np.any(hashes[1:] == hashes[:-1]):
            # Two terms with one 64-bit key: they share postings (about one in 10^8 corpora).
            keep = np.concatenate(([True], hashes[1:] != hashes[:-1]))
            rank_of_sorted = np.cumsum(keep) - 1
            hashes = hashes[keep]
        else:
            rank_of_sorted = np.arange(len(order))
        rank = np.empty(len(order), dtype=np.int64)
        rank[order] = rank_of_sorted
        n_terms = len(hashes)

        tok_term = (
            rank[np.frombuffer(self.tok_term, dtype=np.int32)]
            if len(order)
            else (np.zeros(0, dtype=np.int64))
        )
        tok_row = np.frombuffer(self.tok_row, dtype=np.int32)
        tok_pos = np.frombuffer(self.tok_pos, dtype=np.uint32)
        # Tokens arrive by row, then position: a stable sort by term keeps that order inside.
        by_term = np.argsort(tok_term, kind="stable")
        sorted_term = tok_term[by_term]
        sorted_row = tok_row[by_term]
        positions = tok_pos[by_term]
        del by_term
        if len(sorted_term):
            starts = np.flatnonzero(
                np.concatenate(
                    (
                        [True],
                        (sorted_term[1:] != sorted_term[:-1]) | (sorted_row[1:] != sorted_row[:-1]),
                    )
                )
            )
        else:
            starts = np.zeros(0, dtype=np.int64)
        post_row = sorted_row[starts].astype(np.int32)
        post_term = sorted_term[starts]
        post_tf = np.diff(np.append(starts, len(sorted_term))).clip(max=65535).astype(np.uint16)
        post_ptr = np.zeros(n_terms + 1, dtype=np.int64)
        np.cumsum(np.bincount(post_term, minlength=n_terms), out=post_ptr[1:])
        pos_ptr = np.zeros(n_terms + 1, dtype=np.int64)
        np.cumsum(np.bincount(sorted_term, minlength=n_terms), out=pos_ptr[1:])

        arrays: dict[str, np.ndarray] = {
            "terms": hashes,
            "post_ptr": post_ptr,
            "post_row": post_row,
            "post_tf": post_tf,
            "pos_ptr": pos_ptr,
            "positions": positions.astype(np.uint32),
            "passage_id": np.frombuffer(self.passage_id, dtype=np.int64),
            "doc_key": np.frombuffer(self.doc_key, dtype=np.uint64),
            "text_hash": np.frombuffer(self.text_hash, dtype=np.uint64),
            "doc_len": np.frombuffer(self.doc_len, dtype=np.uint32),
            "lang": np.frombuffer(self.lang, dtype=np.uint8),
            "type": np.frombuffer(self.type, dtype=np.uint16),
            "year": np.frombuffer(self.year, dtype=np.int16),
        }
        for name in FACET_FIELDS:
            arrays[f"{name}_ptr"] = np.frombuffer(self.facet_ptr[name], dtype=np.int64)
            arrays[f"{name}_val"] = np.frombuffer(self.facet_val[name], dtype=np.int32)
        vectors = (
            np.concatenate(self.vector_chunks)
            if self.vector_chunks
            else np.zeros((0, self.dims), dtype=np.int8)
        )
        arrays["vectors"] = vectors
        for name, value in arrays.items():
            np.save(tmp / f"{name}.npy", value, allow_pickle=False)
        hnsw = bool(hnsw_threshold) and n_rows >= hnsw_threshold
        if hnsw:
            build_hnsw(vectors, tmp / "hnsw.usearch", threads=threads)
        meta = {
            "format": FORMAT_VERSION,
            "rows": n_rows,
            "tokens": int(np.frombuffer(self.doc_len, dtype=np.uint32).sum(dtype=np.int64)),
            "terms": n_terms,
            "dims": int(vectors.shape[1]) if vectors.ndim == 2 else self.dims,
            "types": list(self.types),
            "facets": {name: list(self.facet_values[name]) for name in FACET_FIELDS},
            "hnsw": hnsw,
        }
        (tmp / "meta.json").write_text(json.dumps(meta, ensure_ascii=False))
        _fsync_dir(tmp)
        tmp.rename(directory)


def quantise(vectors: np.ndarray) -> np.ndarray:
    """float vectors → int8, each scaled so its largest component is ±127 (cosine ignores
    the scale; this keeps ~7 bits for every vector instead of wasting most of them)."""
    if len(vectors) == 0:
        return np.zeros((0, vectors.shape[1] if vectors.ndim == 2 else 0), dtype=np.int8)
    peak = np.abs(vectors).max(axis=1, keepdims=True)
    peak[peak == 0] = 1.0
    return np.rint(vectors * (127.0 / peak)).astype(np.int8)


def build_hnsw(vectors: np.ndarray, path: Path, *, threads: int = 1) -> None:
    from usearch.index import Index

    index = Index(
        ndim=vectors.shape[1],
        metric="cos",
        dtype="i8",
        connectivity=16,
        expansion_add=64,
        expansion_search=128,
    )
    if len(vectors):
        index.add(np.arange(len(vectors), dtype=np.uint64), vectors, threads=threads)
    index.save(str(path))


def _fsync_dir(directory: Path) -> None:
    import os

    for child in directory.iterdir():
        with open(child, "rb") as handle:
            os.fsync(handle.fileno())
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class Segment:
    """A written segment, memory-mapped read-only."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.name = directory.name
        self.meta: dict[str, Any] = json.loads((directory / "meta.json").read_text())
        self.rows: int = self.meta["rows"]
        self.tokens: int = self.meta["tokens"]
        self.types: list[str] = self.meta["types"]
        self.facet_values: dict[str, list[str]] = self.meta["facets"]
        self._facet_codes = {
            name: {value: code for code, value in enumerate(values)}
            for name, values in self.facet_values.items()
        }
        load = self._load
        # Per-row arrays are read at random for every match: kept in memory (~60 MB at 1M
        # rows), as fancy indexing into a memory map costs several times more.
        ram = self._load_in_memory
        self.terms = load("terms")
        self.post_ptr = load("post_ptr")
        self.post_row = load("post_row")
        self.post_tf = load("post_tf")
        self.pos_ptr = load("pos_ptr")
        self.positions = load("positions")
        self.passage_id = load("passage_id")
        self.doc_key = load("doc_key")
        self.text_hash = load("text_hash")
        self.doc_len = ram("doc_len")
        self.lang = ram("lang")
        self.type = ram("type")
        self.year = ram("year")
        self.facet_ptr = {name: ram(f"{name}_ptr") for name in FACET_FIELDS}
        self.facet_val = {name: ram(f"{name}_val") for name in FACET_FIELDS}
        self.vectors = load("vectors")
        self._hnsw = None

    def _load(self, name: str) -> np.ndarray:
        path = self.directory / f"{name}.npy"
        array_ = np.load(path, mmap_mode="r", allow_pickle=False)
        if array_.size == 0:  # numpy cannot map an empty file region; any empty array will do
            return np.load(path, allow_pickle=False)
        return array_

    def _load_in_memory(self, name: str) -> np.ndarray:
        return np.load(self.directory / f"{name}.npy", allow_pickle=False)

    @property
    def hnsw(self):  # type: ignore[no-untyped-def]
        if self._hnsw is None and self.meta.get("hnsw"):
            from usearch.index import Index

            self._hnsw = Index.restore(str(self.directory / "hnsw.usearch"), view=True)
        return self._hnsw

    def term_slot(self, key: int) -> int:
        """The dictionary slot of a term hash, or -1."""
        if not len(self.terms):
            return -1
        slot = int(np.searchsorted(self.terms, np.uint64(key)))
        if slot < len(self.terms) and int(self.terms[slot]) == key:
            return slot
        return -1

    def postings(self, key: int) -> tuple[np.ndarray, np.ndarray]:
        """Rows (ascending) holding the term, and its frequency in each."""
        slot = self.term_slot(key)
        if slot < 0:
            return _EMPTY_ROWS, _EMPTY_TF
        lo, hi = int(self.post_ptr[slot]), int(self.post_ptr[slot + 1])
        return np.asarray(self.post_row[lo:hi]), np.asarray(self.post_tf[lo:hi])

    def occurrences(
        self, key: int, within: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Every occurrence of the term as (row, position), ordered by row then position;
        only in the rows ``within`` (sorted) when given."""
        slot = self.term_slot(key)
        if slot < 0:
            return _EMPTY_ROWS, np.zeros(0, dtype=np.uint32)
        lo, hi = int(self.post_ptr[slot]), int(self.post_ptr[slot + 1])
        plo, phi = int(self.pos_ptr[slot]), int(self.pos_ptr[slot + 1])
        rows, tf = np.asarray(self.post_row[lo:hi]), np.asarray(self.post_tf[lo:hi])
        if within is None:
            return np.repeat(rows, tf), np.asarray(self.positions[plo:phi])
        slot_of = np.searchsorted(within, rows).clip(max=max(len(within) - 1, 0))
        keep = within[slot_of] == rows if len(within) else np.zeros(len(rows), dtype=bool)
        if not keep.any():
            return _EMPTY_ROWS, np.zeros(0, dtype=np.uint32)
        counts = tf.astype(np.int64)
        starts = np.concatenate(([0], np.cumsum(counts)[:-1]))[keep]
        lengths = counts[keep]
        total = int(lengths.sum())
        offsets = np.repeat(starts - np.concatenate(([0], np.cumsum(lengths)[:-1])), lengths)
        index = offsets + np.arange(total)
        return np.repeat(rows[keep], lengths), np.asarray(self.positions[plo:phi])[index]

    def facet_code(self, name: str, value: str) -> int | None:
        return self._facet_codes[name].get(value)

    def size_bytes(self) -> int:
        return sum(p.stat().st_size for p in self.directory.iterdir())


_EMPTY_ROWS = np.zeros(0, dtype=np.int32)
_EMPTY_TF = np.zeros(0, dtype=np.uint16)


def concat_rows(parts: Iterable[np.ndarray]) -> np.ndarray:
    items = [p for p in parts if len(p)]
    if not items:
        return _EMPTY_ROWS
    return np.concatenate(items)
