"""Evaluating a parsed query over a snapshot of segments: keyword matches with BM25, nearest
vectors, filters and facet counts, all with numpy over memory-mapped arrays.

A :class:`Snapshot` is immutable: segments plus the live-row mask of each. Searches take the
current snapshot and never see a half-applied update.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

import numpy as np

from rcphub.search.query import FACET_FIELDS, Clause, ParsedQuery, year_bounds
from rcphub.search.segment import LANG_CODES, Segment, filter_term, quantise, term_hash

K1 = 1.2
B = 0.75


@dataclass
class Part:
    """Matches in one segment: rows (ascending) and their scores."""

    segment: int
    rows: np.ndarray
    scores: np.ndarray


class Snapshot:
    """Segments with their live masks (``None``: every row live)."""

    def __init__(self, segments: list[Segment], live: list[np.ndarray | None]) -> None:
        self.segments = segments
        self.live = live
        self.total_rows = sum(s.rows for s in segments)
        self.avg_len = (sum(s.tokens for s in segments) / self.total_rows) if self.total_rows else 1
        self.live_rows = sum(
            s.rows if mask is None else int(mask.sum())
            for s, mask in zip(segments, live, strict=True)
        )

    # -- filters -------------------------------------------------------------------------------
    def mask(self, index: int, parsed: ParsedQuery) -> np.ndarray | None:
        """Rows of segment ``index`` that are live and pass the filters (``None``: all)."""
        segment = self.segments[index]
        mask = self.live[index]
        mask = None if mask is None else mask.copy()

        def narrow(allowed: np.ndarray) -> None:
            nonlocal mask
            mask = allowed if mask is None else mask & allowed

        for name, values in parsed.filters.items():
            narrow(_field_mask(segment, name, values))
        for name, values in parsed.excluded_filters.items():
            narrow(~_field_mask(segment, name, values))
        if parsed.hidden_documents:
            hidden = np.fromiter(parsed.hidden_documents, dtype=np.uint64)
            narrow(~np.isin(segment.doc_key, hidden))
        return mask

    # -- keyword -------------------------------------------------------------------------------
    def keyword(self, parsed: ParsedQuery) -> list[Part]:
        """Every match of the query's words, with its BM25 score (0 when it has no words)."""
        clauses = [c for item in parsed.items for c in item]
        per_segment = [[_clause_rows(seg, c) for c in clauses] for seg in self.segments]
        excluded = [[_clause_rows(seg, c)[0] for c in parsed.excluded] for seg in self.segments]
        dfs = [sum(len(found[i][0]) for found in per_segment) for i in range(len(clauses))]
        n = max(self.total_rows, 1)
        idfs = [math.log(1 + (n - df + 0.5) / (df + 0.5)) for df in dfs]
        parts: list[Part] = []
        for index, segment in enumerate(self.segments):
            mask = self.mask(index, parsed)
            found = per_segment[index]
            if clauses:
                cursor = 0
                item_rows = []
                for item in parsed.items:
                    rows = [found[cursor + j][0] for j in range(len(item))]
                    cursor += len(item)
                    item_rows.append(rows[0] if len(rows) == 1 else _union(rows))
                item_rows.sort(key=len)
                candidates = item_rows[0]
                for rows in item_rows[1:]:
                    if not len(candidates):
                        break
                    candidates = candidates[_member(rows, candidates)]
            else:
                candidates = np.arange(segment.rows, dtype=np.int32)
            if mask is not None and len(candidates):
                candidates = candidates[mask[candidates]]
            for rows in excluded[index]:
                if len(candidates) and len(rows):
                    candidates = candidates[~_member(rows, candidates)]
            if not len(candidates):
                continue
            scores = np.zeros(len(candidates), dtype=np.float32)
            if clauses:
                norm = K1 * (1 - B + B * np.asarray(segment.doc_len)[candidates] / self.avg_len)
                for (rows, tf), idf in zip(found, idfs, strict=True):
                    if not len(rows):
                        continue
                    slot = np.searchsorted(rows, candidates).clip(max=len(rows) - 1)
                    hit = rows[slot] == candidates
                    freq = np.where(hit, tf[slot], 0).astype(np.float32)
                    scores += idf * freq * (K1 + 1) / (freq + norm)
            parts.append(Part(index, candidates, scores))
        return parts

    # -- vectors -------------------------------------------------------------------------------
    def nearest(self, vector: np.ndarray, parsed: ParsedQuery, depth: int) -> list[Part]:
        """The ``depth`` rows most similar to ``vector`` (cosine) among live rows passing the
        filters, as parts with similarity scores."""
        from usearch.index import MetricKind, search

        query = quantise(np.asarray(vector, dtype=np.float32).reshape(1, -1))[0]
        found: list[tuple[int, np.ndarray, np.ndarray]] = []
        for index, segment in enumerate(self.segments):
            if not segment.rows:
                continue
            mask = self.mask(index, parsed)
            allowed = segment.rows if mask is None else int(mask.sum())
            if not allowed:
                continue
            want = min(depth, allowed)
            rows = sims = None
            hnsw = segment.hnsw
            if hnsw is not None and allowed >= 0.02 * segment.rows:
                count = min(segment.rows, int(want * segment.rows / allowed * 1.5) + 16)
                matches = hnsw.search(query, count)
                keys = np.asarray(matches.keys, dtype=np.int64)
                dist = np.asarray(matches.distances, dtype=np.float32)
                if mask is not None:
                    keep = mask[keys]
                    keys, dist = keys[keep], dist[keep]
                if len(keys) >= want or count >= segment.rows:
                    rows, sims = keys[:want], 1 - dist[:want]
            if rows is None:
                if mask is None:
                    data, ids = segment.vectors, None
                else:
                    ids = np.flatnonzero(mask)
                    data = np.ascontiguousarray(segment.vectors[ids])
                matches = search(data, query, want, MetricKind.Cos, exact=True)
                keys = np.asarray(matches.keys, dtype=np.int64)
                rows = keys if ids is None else ids[keys]
                sims = 1 - np.asarray(matches.distances, dtype=np.float32)
            found.append((index, rows, sims))
        if not found:
            return []
        all_sims = np.concatenate([s for _, _, s in found])
        cut = np.sort(all_sims)[::-1][min(depth, len(all_sims)) - 1]
        parts = []
        for index, rows, sims in found:
            keep = sims >= cut
            order = np.argsort(rows[keep])
            parts.append(
                Part(
                    index, rows[keep][order].astype(np.int32), sims[keep][order].astype(np.float32)
                )
            )
        return parts

    # -- facets --------------------------------------------------------------------------------
    def facets(self, parts: list[Part], limit: int = 100) -> dict[str, list[tuple[str, int]]]:
        """Counts of every facet value over the whole match set (multi-valued fields count a
        passage once under each of its values)."""
        counts: dict[str, Counter[str]] = {
            name: Counter() for name in (*FACET_FIELDS, "lang", "type", "year")
        }
        for part in parts:
            segment = self.segments[part.segment]
            rows = part.rows
            if not len(rows):
                continue
            lang = np.bincount(np.asarray(segment.lang)[rows], minlength=len(LANG_CODES))
            for code, count in enumerate(lang.tolist()):
                if count:
                    counts["lang"][LANG_CODES[code]] += count
            types = np.bincount(np.asarray(segment.type)[rows], minlength=len(segment.types))
            for code, count in enumerate(types.tolist()):
                if count and segment.types[code]:
                    counts["type"][segment.types[code]] += count
            by_year = np.bincount(np.asarray(segment.year)[rows].clip(min=0))
            for year in np.flatnonzero(by_year).tolist():
                if year:
                    counts["year"][str(year)] += int(by_year[year])
            for name in FACET_FIELDS:
                values = segment.facet_values[name]
                if not values:
                    continue
                codes = _gather(segment.facet_ptr[name], segment.facet_val[name], rows)
                for code, count in enumerate(np.bincount(codes, minlength=len(values)).tolist()):
                    if count:
                        counts[name][values[code]] += count
        out: dict[str, list[tuple[str, int]]] = {}
        for name, counter in counts.items():
            ordered = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))
            if name == "year":
                ordered = sorted(counter.items(), key=lambda kv: kv[0], reverse=True)
            out[name] = ordered[:limit]
        return out


def _field_mask(segment: Segment, name: str, values: list[str]) -> np.ndarray:
    if name == "lang":
        codes = [LANG_CODES.index(v) for v in values if v in LANG_CODES]
        return np.isin(np.asarray(segment.lang), codes)
    if name == "type":
        codes = [i for i, t in enumerate(segment.types) if t in values]
        return np.isin(np.asarray(segment.type), codes)
    if name == "year":
        years = np.asarray(segment.year)
        mask = np.zeros(segment.rows, dtype=bool)
        for value in values:
            low, high = year_bounds(value)
            mask |= (years >= low) & (years <= high)
        return mask & (years != 0)
    mask = np.zeros(segment.rows, dtype=bool)
    for value in values:
        rows, _tf = segment.postings(term_hash(filter_term(name, value)))
        mask[rows] = True
    return mask


def _gather(ptr: np.ndarray, values: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """The CSR values of ``rows``, concatenated."""
    starts = ptr[rows]
    lengths = ptr[rows + 1] - starts
    total = int(lengths.sum())
    if not total:
        return np.zeros(0, dtype=np.int64)
    # position k of row r's run is starts[r] + k: shift a running index by each run's start
    shift = starts - np.cumsum(lengths) + lengths
    return values[np.repeat(shift, lengths) + np.arange(total)]


def _member(sorted_rows: np.ndarray, candidates: np.ndarray) -> np.ndarray:
    """For each candidate, whether it is in ``sorted_rows``."""
    if not len(sorted_rows):
        return np.zeros(len(candidates), dtype=bool)
    slot = np.searchsorted(sorted_rows, candidates).clip(max=len(sorted_rows) - 1)
    return sorted_rows[slot] == candidates


def _union(parts: list[np.ndarray]) -> np.ndarray:
    items = [p for p in parts if len(p)]
    if not items:
        return np.zeros(0, dtype=np.int32)
    if len(items) == 1:
        return items[0]
    return np.unique(np.concatenate(items))


def _term_rows(segment: Segment, variants: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    found = [segment.postings(term_hash(v)) for v in variants]
    found = [f for f in found if len(f[0])]
    if not found:
        return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.uint16)
    if len(found) == 1:
        return found[0]
    rows = np.concatenate([f[0] for f in found])
    tf = np.concatenate([f[1] for f in found])
    order = np.argsort(rows, kind="stable")
    rows, tf = rows[order], tf[order]
    unique, first = np.unique(rows, return_index=True)
    return unique, np.maximum.reduceat(tf, first)


def _clause_rows(segment: Segment, clause: Clause) -> tuple[np.ndarray, np.ndarray]:
    """Rows matching a word or phrase in one segment, with how often it occurs in each."""
    if not clause.phrase:
        return _term_rows(segment, clause.terms[0].variants)
    # Rows holding every word first (cheap, from the postings), then positions only there.
    within: np.ndarray | None = None
    for term in sorted(clause.terms, key=lambda t: len(_term_rows(segment, t.variants)[0])):
        rows = _term_rows(segment, term.variants)[0]
        within = rows if within is None else within[_member(rows, within)]
        if not len(within):
            return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.uint16)
    offset = 0
    keys: np.ndarray | None = None
    for term in clause.terms:
        found = [segment.occurrences(term_hash(v), within) for v in term.variants]
        rows = np.concatenate([f[0] for f in found]).astype(np.int64)
        positions = np.concatenate([f[1] for f in found]).astype(np.int64)
        keep = positions >= offset
        element = (rows[keep] << 32) | (positions[keep] - offset)
        if len(found) > 1:  # one variant's occurrences are already sorted and unique
            element = np.unique(element)
        keys = element if keys is None else keys[_member(element, keys)]
        offset += term.width
        if not len(keys):
            return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.uint16)
    assert keys is not None
    rows, counts = np.unique((keys >> 32).astype(np.int32), return_counts=True)
    return rows, counts.clip(max=65535).astype(np.uint16)
