"""Read + parse throughput of the document parsing pipeline, and its peak memory.

Generates a corpus of multi-page outcome documents in the six UN languages from real text
(the SDG target texts in all six languages, and the sentences of the Lima Chair's summary):
each document has a UN masthead, numbered paragraphs with lettered sub-paragraphs, footnotes,
page breaks cutting paragraphs, a signature and an annex. Times read_document + parse_document
over .txt (all documents) and over .docx/.pdf (a smaller number), and reports documents/s,
passages/s and the process's peak RSS.

    .venv/bin/python bench/bench_parse.py [--docs 600] [--binary-docs 60] [--json out.json]
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import resource
import sys
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from rcphub.documents.parsing import parse_document, read_document  # noqa: E402
from tests.documents.corpus import VERSIONS  # noqa: E402
from tests.documents.render import render  # noqa: E402

LANGUAGES = ("en", "fr", "es", "ru", "ar", "zh")
LETTERS = {
    "en": lambda i: f"({'abcdefgh'[i]})",
    "fr": lambda i: f"{'abcdefgh'[i]})",
    "es": lambda i: f"{'abcdefgh'[i]})",
    "ru": lambda i: f"{'абвгдежз'[i]})",
    "ar": lambda i: f"({['أ', 'ب', 'ج', 'د', 'هـ', 'و', 'ز', 'ح'][i]})",
    "zh": lambda i: f"({'abcdefgh'[i]})",
}


def _sentences() -> dict[str, list[str]]:
    path = ROOT / "src/rcphub/refdata/data/sdg/sdg_targets.csv"
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    pools = {
        language: [unicodedata.normalize("NFC", row[f"title_{language}"]) for row in rows]
        for language in LANGUAGES
    }
    lima = (ROOT / "src/rcphub/refdata/data/documents/lima-2013-chairs-summary.ru.txt").read_text(
        encoding="utf-8"
    )
    pools["ru"] += [
        line.split(". ", 1)[-1]
        for line in lima.splitlines()
        if len(line) > 120 and "<sup>" not in line
    ]
    return pools


def make_spec(language: str, pool: list[str], rng: random.Random, paragraphs: int) -> list:
    """A document spec (see tests/documents/corpus.py) of about ``paragraphs`` paragraphs."""
    base = VERSIONS[language]
    spec = list(base[:4])  # masthead and titles of that language version
    footnote = 0
    for number in range(1, paragraphs + 1):
        text = " ".join(rng.sample(pool, 3))
        if number % 7 == 0:
            footnote += 1
            text = (
                text.replace(" ", f"[^{footnote}] ", 1) if " " in text else text + f"[^{footnote}]"
            )
        prefix = f"{number} - " if language == "ar" else f"{number}. "
        if number % 9 == 0 and language not in ("ar", "zh"):
            cut = text.rfind(" ", 0, len(text) // 2)
            spec.append(("para", prefix + text[:cut]))
            spec.append(("pagebreak",))
            if footnote:
                spec.append(("footnote", str(footnote), rng.choice(pool)))
            spec.append(("para", text[cut + 1 :].lower()))
        else:
            spec.append(("para", prefix + text))
            if number % 7 == 0:
                spec.append(("footnote", str(footnote), rng.choice(pool)))
        if number % 5 == 0:
            for index in range(3):
                spec.append(("para", f"{LETTERS[language](index)} {rng.choice(pool)};"))
    spec.extend(base[-8:])  # conclusions, signature, annex
    return spec


def run(docs: int, binary_docs: int, paragraphs: int) -> dict[str, object]:
    rng = random.Random(2013)
    pools = _sentences()
    results: dict[str, object] = {}
    # warm the language detector (built once per process)
    parse_document(read_document(render(VERSIONS["en"], "en", "txt"), "warm.txt"))
    for fmt, count in (("txt", docs), ("docx", binary_docs), ("pdf", binary_docs)):
        files = []
        for index in range(count):
            language = LANGUAGES[index % len(LANGUAGES)]
            spec = make_spec(language, pools[language], rng, paragraphs)
            files.append((f"doc{index}.{language}.{fmt}", render(spec, language, fmt)))
        size = sum(len(data) for _, data in files)
        started = time.perf_counter()
        passages = pages = 0
        for name, data in files:
            raw = read_document(data, name)
            pages += raw.page_count or 0
            passages += len(parse_document(raw).passages)
        elapsed = time.perf_counter() - started
        results[fmt] = {
            "documents": count,
            "passages": passages,
            "pages": pages,
            "megabytes": round(size / 2**20, 2),
            "seconds": round(elapsed, 2),
            "documents_per_s": round(count / elapsed, 1),
            "passages_per_s": round(passages / elapsed),
        }
        print(
            f"{fmt:>4}: {count} documents, {passages} passages, {size / 2**20:.1f} MB"
            f"{f', {pages} pages' if pages else ''} in {elapsed:.2f} s -> "
            f"{count / elapsed:.1f} documents/s, {passages / elapsed:.0f} passages/s"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    results["peak_rss_mb"] = round(peak)
    print(f"peak RSS of the process: {peak:.0f} MB")
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=600)
    parser.add_argument("--binary-docs", type=int, default=60)
    parser.add_argument("--paragraphs", type=int, default=40)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    results = run(args.docs, args.binary_docs, args.paragraphs)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
