"""Precision and recall of tag sets per scheme, for calibration and the quality test."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rcphub.themes.ids import parse_tag_id


@dataclass(frozen=True)
class SchemeScore:
    scheme: str
    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        wanted = self.true_positives + self.false_negatives
        return self.true_positives / wanted if wanted else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __str__(self) -> str:
        return (
            f"{self.scheme:8} P {self.precision:.2f}  R {self.recall:.2f}  F1 {self.f1:.2f}  "
            f"(tp {self.true_positives}, fp {self.false_positives}, fn {self.false_negatives})"
        )


def score_scheme(
    scheme: str, gold: Sequence[Iterable[str]], predicted: Sequence[Iterable[str]]
) -> SchemeScore:
    """Micro-averaged over (passage, concept) pairs of one scheme."""
    tp = fp = fn = 0
    for wanted, found in zip(gold, predicted, strict=True):
        w = {t for t in wanted if parse_tag_id(t)[0] == scheme}
        f = {t for t in found if parse_tag_id(t)[0] == scheme}
        tp += len(w & f)
        fp += len(f - w)
        fn += len(w - f)
    return SchemeScore(scheme, tp, fp, fn)
