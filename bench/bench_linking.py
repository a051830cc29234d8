"""Entity linker speed: gazetteer build time and find() passages per second per language.

Builds a fresh SQLite database with the reference data, builds the gazetteer and the linker
from it, and runs ``EntityLinker.find`` over a multilingual passage corpus:

- SDG target texts (refdata/data/sdg/sdg_targets.csv, six languages) with two or three names
  of states, processes and organisations from the gazetteer inserted in a sentence of the
  language ("..., as stressed by Peru, the Bali Process and IOM.");
- the sentences of the Lima 2013 Chair's summary (the real Russian text; rcphub's
  translations in tests/linking/gold/ for the other languages), which are dense with names.

Each language is run once on cold caches (every distinct word analysed for the first time:
pymorphy3 for Russian, Snowball for en/fr/es) and then ``--rounds`` times warm. Rates are per
core: one thread, CPU time (process time) and wall time both shown.

    .venv/bin/python bench/bench_linking.py [--passages 3000] [--rounds 3] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from rcphub.config import LANGUAGES, Settings  # noqa: E402
from rcphub.db import Database  # noqa: E402
from rcphub.refdata import load_reference_data  # noqa: E402
from rcphub.refdata.files import read_csv, read_text  # noqa: E402

GOLD = ROOT / "tests" / "linking" / "gold"
TEMPLATES = {
    "en": "{text}, as stressed by {a}, {b} and {c}.",
    "fr": "{text}, comme l'ont souligné {a}, {b} et {c}.",
    "es": "{text}, como destacaron {a}, {b} y {c}.",
    "ru": "{text}, как подчеркнули {a}, {b} и {c}.",
    "ar": "{text}، كما أكدت {a} و{b} و{c}.",
    "zh": "{text}，正如{a}、{b}和{c}所强调的。",
}
_SENTENCE = re.compile(r"(?<=[.;!?。；])\s*")


def build_database(directory: Path) -> Database:
    database = Database(
        Settings(database_url=f"sqlite:///{directory / 'bench.sqlite3'}", data_dir=directory)
    )
    database.migrate()
    with database.session() as session:
        load_reference_data(session)
    return database


def lima_sentences(language: str) -> list[str]:
    if language == "ru":
        text = read_text("documents/lima-2013-chairs-summary.ru.txt")
    else:
        text = (GOLD / f"lima-2013.{language}.txt").read_text(encoding="utf-8")
    return [s.strip() for s in _SENTENCE.split(text) if len(s.strip()) > 20]


def corpus(language: str, gazetteer, size: int, rng: random.Random) -> list[str]:
    names = [
        values[0]
        for entry in gazetteer.entries
        if (values := entry.names.get(language)) and entry.kind in ("state", "process", "org")
    ]
    targets = [row[f"title_{language}"] for row in read_csv("sdg/sdg_targets.csv")]
    lima = lima_sentences(language)
    passages = []
    for index in range(size):
        if index % 10 < 7:
            a, b, c = rng.sample(names, 3)
            text = rng.choice(targets).rstrip(".。")
            passages.append(TEMPLATES[language].format(text=text, a=a, b=b, c=c))
        else:
            passages.append(rng.choice(lima))
    return passages


def run(linker, passages: list[str], language: str) -> tuple[float, float, int]:
    cpu, wall = time.process_time(), time.perf_counter()
    mentions = sum(len(linker.find(passage, language)) for passage in passages)
    return time.process_time() - cpu, time.perf_counter() - wall, mentions


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passages", type=int, default=3000, help="passages per language")
    parser.add_argument("--rounds", type=int, default=3, help="warm rounds per language")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="rcphub-bench-") as tmp:
        started = time.perf_counter()
        database = build_database(Path(tmp))
        load_seconds = time.perf_counter() - started

        started = time.perf_counter()
        from rcphub.linking import EntityLinker, Gazetteer

        import_seconds = time.perf_counter() - started
        started = time.perf_counter()
        with database.session() as session:
            gazetteer = Gazetteer.from_session(session)
        gazetteer_seconds = time.perf_counter() - started
        started = time.perf_counter()
        linker = EntityLinker(gazetteer)
        linker_seconds = time.perf_counter() - started
        database.dispose()

    print(f"reference data load (SQLite):    {load_seconds:6.2f} s")
    print(f"import rcphub.linking:           {import_seconds:6.2f} s")
    print(
        f"Gazetteer.from_session:          {gazetteer_seconds:6.2f} s  ({len(gazetteer)} entries)"
    )
    print(f"EntityLinker(gazetteer) (tries): {linker_seconds:6.2f} s  (pymorphy3 load included)")
    print()
    header = "lang  passages  chars/p  mentions/p   cold p/s   warm p/s (cpu)  warm p/s (wall)"
    print(header)
    rng = random.Random(2013)
    results = {
        "gazetteer_seconds": gazetteer_seconds,
        "linker_seconds": linker_seconds,
        "entries": len(gazetteer),
        "languages": {},
    }
    for language in LANGUAGES:
        passages = corpus(language, gazetteer, args.passages, rng)
        cold_cpu, _, mentions = run(linker, passages, language)
        warm_cpu = warm_wall = 0.0
        for _ in range(args.rounds):
            cpu, wall, _ = run(linker, passages, language)
            warm_cpu += cpu
            warm_wall += wall
        count = len(passages) * args.rounds
        row = {
            "passages": len(passages),
            "chars_per_passage": sum(map(len, passages)) / len(passages),
            "mentions_per_passage": mentions / len(passages),
            "cold_per_second": len(passages) / cold_cpu,
            "warm_per_second_cpu": count / warm_cpu,
            "warm_per_second_wall": count / warm_wall,
        }
        results["languages"][language] = row
        print(
            f"{language:4}  {row['passages']:8}  {row['chars_per_passage']:7.0f}  "
            f"{row['mentions_per_passage']:10.2f}  {row['cold_per_second']:9.0f}  "
            f"{row['warm_per_second_cpu']:14.0f}  {row['warm_per_second_wall']:15.0f}"
        )
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
