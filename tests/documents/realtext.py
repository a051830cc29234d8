"""Scoring the metadata the hub reads from the openings of real outcome documents.

The documents and their hand labels are in ``tests/realtext/openings/`` (see its README). Each
opening goes through the ingest pipeline's own :func:`rcphub.documents.ingest.prepare_document`
as a ``.txt`` file, so the figures are those of an upload. Used by
``tests/documents/test_realtext.py`` (which asserts the targets) and
``bench/bench_realtext_documents.py`` (which prints the figures).

Scoring rules:

- title: right when the extracted title equals one of the accepted ``titles`` once case,
  punctuation and spacing are folded; an opening labelled with no title is right when none is
  extracted;
- type and date: exact (a date labelled ``null`` is right only when none is extracted; ``dates``
  lists the accepted dates where two are printed);
- linking: the set of registry entities the pipeline links in a document against the labelled
  ``known`` set, counted over all (document, entity) pairs (micro precision and recall);
- candidates: an unknown body counts as proposed when a candidate's surface form and one of the
  body's labelled forms contain one another (folded as for titles); candidate precision is the
  share of proposed candidates that are labelled unknown bodies;
- processes suggested: precision and recall of the suggested processes against ``processes``.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from rcphub.documents.ingest import prepare_document
from rcphub.linking import EntityLinker

OPENINGS = Path(__file__).resolve().parent.parent / "realtext" / "openings"
LANGUAGES = ("en", "es", "fr", "ru", "ar", "zh")
SPLITS = ("tuning", "heldout")


def load_documents(split: str | None = None) -> list[dict[str, Any]]:
    """The labelled openings, in file order (``split``: only that half)."""
    documents = []
    for language in LANGUAGES:
        path = OPENINGS / f"{language}.yaml"
        for item in yaml.safe_load(path.read_text(encoding="utf-8")):
            if split is None or item["split"] == split:
                documents.append(item)
    return documents


def fold(text: str | None) -> str:
    """Case, accents kept; punctuation, quotes and spacing folded to single spaces."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text).casefold().replace("’", "'")
    return re.sub(r"[\W_]+", " ", text).strip()


def _contains_either(a: str, b: str) -> bool:
    """Does either text contain the other (a candidate given as "surface | name" matches
    by either)?"""
    if " | " in a:
        return any(_contains_either(part, b) for part in a.split(" | "))
    a, b = fold(a), fold(b)
    if not a or not b:
        return False
    return a == b or (len(b) >= 2 and f" {b} " in f" {a} ") or (f" {a} " in f" {b} ")


@dataclass
class Ratio:
    hits: int = 0
    total: int = 0

    def add(self, hit: bool) -> None:
        self.hits += int(hit)
        self.total += 1

    @property
    def value(self) -> float:
        return self.hits / self.total if self.total else 1.0

    def __str__(self) -> str:
        return f"{self.value:.2f} ({self.hits}/{self.total})"


@dataclass
class PrecisionRecall:
    true_positives: int = 0
    found: int = 0
    expected: int = 0

    def add(self, found: set[str], expected: set[str]) -> None:
        self.true_positives += len(found & expected)
        self.found += len(found)
        self.expected += len(expected)

    @property
    def precision(self) -> float:
        return self.true_positives / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.expected if self.expected else 1.0

    def __str__(self) -> str:
        return (
            f"P {self.precision:.2f} ({self.true_positives}/{self.found}) "
            f"R {self.recall:.2f} ({self.true_positives}/{self.expected})"
        )


@dataclass
class Report:
    """The figures of one half (or of all documents)."""

    documents: int = 0
    title: Ratio = field(default_factory=Ratio)
    doc_type: Ratio = field(default_factory=Ratio)
    date: Ratio = field(default_factory=Ratio)
    place: Ratio = field(default_factory=Ratio)
    linking: PrecisionRecall = field(default_factory=PrecisionRecall)
    linking_by_language: dict[str, PrecisionRecall] = field(
        default_factory=lambda: defaultdict(PrecisionRecall)
    )
    candidates: Ratio = field(default_factory=Ratio)
    candidate_precision: Ratio = field(default_factory=Ratio)
    processes: PrecisionRecall = field(default_factory=PrecisionRecall)
    misses: list[str] = field(default_factory=list)


def _accepted_dates(item: dict[str, Any]) -> set[dt.date | None]:
    dates = item.get("dates") or [item.get("date")]
    return set(dates)


def read_opening(item: dict[str, Any], linker: EntityLinker) -> dict[str, Any]:
    """What the ingest pipeline makes of one opening: metadata, entities, candidates,
    suggested processes."""
    data = item["text"].encode("utf-8")
    prepared = prepare_document(data, f"{item['id']}.txt", linker, max_pages=50)
    document = prepared.document
    return {
        "title": document.get("title"),
        "doc_type": document.get("doc_type"),
        "date": document.get("date"),
        "place": document.get("place"),
        "entities": {entity for _index, entity, *_rest in prepared.mentions},
        "candidates": [
            c.surface if c.surface == c.name else f"{c.surface} | {c.name}"
            for _index, c in prepared.candidates
        ],
        "processes": set(prepared.suggestions.process_ids),
    }


def evaluate(items: list[dict[str, Any]], linker: EntityLinker) -> Report:
    report = Report()
    for item in items:
        report.documents += 1
        got = read_opening(item, linker)
        ident = item["id"]

        titles = item.get("titles") or []
        title_ok = (
            got["title"] is None
            if not titles
            else any(fold(got["title"]) == fold(t) for t in titles)
        )
        report.title.add(title_ok)
        if not title_ok:
            report.misses.append(f"{ident}: title {got['title']!r}")

        type_ok = got["doc_type"] == item["type"]
        report.doc_type.add(type_ok)
        if not type_ok:
            report.misses.append(f"{ident}: type {got['doc_type']} (want {item['type']})")

        date_ok = got["date"] in _accepted_dates(item)
        report.date.add(date_ok)
        if not date_ok:
            report.misses.append(f"{ident}: date {got['date']} (want {item.get('date')})")

        places = item.get("places") or [item.get("place")]
        place_ok = (
            got["place"] is None
            if places == [None]
            else any(p and fold(got["place"]) == fold(p) for p in places)
        )
        report.place.add(place_ok)

        expected = set(item.get("known") or [])
        found = got["entities"]
        report.linking.add(found, expected)
        report.linking_by_language[item["language"]].add(found, expected)
        for entity in sorted(found - expected):
            report.misses.append(f"{ident}: linked {entity} (not named)")
        for entity in sorted(expected - found):
            report.misses.append(f"{ident}: missed {entity}")

        for body in item.get("unknown") or []:
            proposed = any(
                _contains_either(surface, form)
                for surface in got["candidates"]
                for form in body["forms"]
            )
            report.candidates.add(proposed)
            if not proposed:
                report.misses.append(f"{ident}: candidate {body['name']} not proposed")
        for surface in got["candidates"]:
            labelled = any(
                _contains_either(surface, form)
                for body in item.get("unknown") or []
                for form in body["forms"]
            )
            report.candidate_precision.add(labelled)
            if not labelled:
                report.misses.append(f"{ident}: candidate {surface!r} is no labelled body")

        report.processes.add(got["processes"], set(item.get("processes") or []))
    return report


def format_report(name: str, report: Report) -> str:
    lines = [
        f"{name}: {report.documents} documents",
        f"  title accuracy         {report.title}",
        f"  type accuracy          {report.doc_type}",
        f"  date accuracy          {report.date}",
        f"  place accuracy         {report.place}",
        f"  linking (known)        {report.linking}",
    ]
    for language in LANGUAGES:
        if language in report.linking_by_language:
            lines.append(f"    {language}                   {report.linking_by_language[language]}")
    lines += [
        f"  unknown bodies proposed {report.candidates}",
        f"  candidates that are labelled bodies {report.candidate_precision}",
        f"  processes suggested    {report.processes}",
    ]
    return "\n".join(lines)
