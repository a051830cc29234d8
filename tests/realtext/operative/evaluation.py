"""The real-text evaluation of recommendation detection: load the hand-labelled excerpts of
``excerpts/*.yaml``, run each through the upload path's reader and parser as a plain-text file,
detect, and score the detector's proposals against the labels paragraph by paragraph.

Shared by ``tests/followup/test_realtext.py`` (floors) and
``bench/bench_realtext_recommendations.py`` (the figures); see ``README.md`` beside this file
for the format and the labelling guidelines.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from rcphub.documents.parsing import parse_document, read_document
from rcphub.followup import detect_recommendations

EXCERPTS = Path(__file__).parent / "excerpts"
HALVES = ("tuning", "held-out")
KINDS = ("recommendation", "decision", "commitment", "request")
NOT_KINDS = (
    "lead-in",
    "title",
    "heading",
    "attendance",
    "thanks",
    "place-date",
    "recognition",
    "statement",
)
LABELS = KINDS + NOT_KINDS
LANGUAGES = ("en", "fr", "es", "ru", "ar", "zh")

_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Paragraph:
    index: int
    label: str
    text: str

    @property
    def positive(self) -> bool:
        return self.label in KINDS


@dataclass(frozen=True)
class Excerpt:
    id: str
    half: str
    language: str
    url: str
    paragraphs: tuple[Paragraph, ...]

    @property
    def text(self) -> str:
        """The excerpt as the plain-text file an uploader would send: one paragraph a block."""
        return "\n\n".join(p.text for p in self.paragraphs) + "\n"


def load_excerpts(half: str | None = None) -> list[Excerpt]:
    """Every excerpt (of one half), checked for the fields and labels the README defines."""
    found = []
    for path in sorted(EXCERPTS.glob("*.yaml")):
        raw: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert raw["id"] == path.stem, path
        assert raw["half"] in HALVES, path
        assert raw["language"] in LANGUAGES, path
        assert raw["url"].startswith(("http://", "https://")), path
        paragraphs = []
        for index, item in enumerate(raw["paragraphs"]):
            assert item["label"] in LABELS, (path, index, item["label"])
            assert item["text"].strip(), (path, index)
            paragraphs.append(Paragraph(index, item["label"], item["text"].strip()))
        excerpt = Excerpt(raw["id"], raw["half"], raw["language"], raw["url"], tuple(paragraphs))
        if half is None or excerpt.half == half:
            found.append(excerpt)
    return found


def _norm(text: str) -> str:
    return _SPACE.sub(" ", text).strip().casefold()


@dataclass
class ExcerptResult:
    excerpt: Excerpt
    language: str  # as the parser detected it
    proposed: dict[int, tuple[str, list[str]]] = field(default_factory=dict)  # index → kind, why


def detect_excerpt(
    excerpt: Excerpt, detector: Callable[..., list[Any]] = detect_recommendations
) -> ExcerptResult:
    """Parse the excerpt as an uploaded .txt file and map the detector's candidates back to the
    labelled paragraphs (a passage's text is found inside its paragraph's; a passage the parser
    joined from several paragraphs marks each of them)."""
    raw = read_document(excerpt.text.encode("utf-8"), f"{excerpt.id}.txt")
    parsed = parse_document(raw)
    candidates = {c.ref: c for c in detector(parsed.passages, parsed.language)}
    paragraphs = [_norm(p.text) for p in excerpt.paragraphs]
    result = ExcerptResult(excerpt, parsed.language)
    cursor = 0
    for passage in parsed.passages:
        text = _norm(passage.text)
        if not text:
            continue
        key = text[:60]
        start = next((i for i in range(cursor, len(paragraphs)) if key in paragraphs[i]), None)
        if start is None:
            start = next((i for i, p in enumerate(paragraphs) if key in p), None)
        if start is None:
            continue
        covered = [start] + [
            i
            for i in range(start + 1, len(paragraphs))
            if len(paragraphs[i]) > 3 and paragraphs[i][-40:] in text
        ]
        cursor = max(covered)
        candidate = candidates.get(passage.ref)
        if candidate is not None:
            for index in covered:
                result.proposed[index] = (candidate.kind, list(candidate.reasons))
    return result


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    kind_right: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def kind_accuracy(self) -> float:
        return self.kind_right / self.tp if self.tp else 0.0

    def add(self, other: Score) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        self.kind_right += other.kind_right
        self.errors += other.errors


def score(results: Iterable[ExcerptResult]) -> Score:
    total = Score()
    for result in results:
        for paragraph in result.excerpt.paragraphs:
            proposed = result.proposed.get(paragraph.index)
            where = f"{result.excerpt.id} #{paragraph.index}"
            if proposed and paragraph.positive:
                total.tp += 1
                if proposed[0] == paragraph.label:
                    total.kind_right += 1
            elif proposed:
                total.fp += 1
                total.errors.append(
                    f"FP {where} [{paragraph.label}] {paragraph.text[:70]!r} ← {proposed[1]}"
                )
            elif paragraph.positive:
                total.fn += 1
                total.errors.append(f"FN {where} [{paragraph.label}] {paragraph.text[:70]!r}")
    return total


def evaluate(
    half: str | None = None, detector: Callable[..., list[Any]] = detect_recommendations
) -> tuple[Score, dict[str, Score]]:
    """The score over a half (all excerpts when None), and per language."""
    results = [detect_excerpt(e, detector) for e in load_excerpts(half)]
    by_language: dict[str, Score] = {}
    for result in results:
        by_language.setdefault(result.excerpt.language, Score()).add(score([result]))
    return score(results), by_language
