"""Search quality on the real-text set (tests/realtext/search/): cross-lingual recall@3 and MRR,
and how many no-match queries return no match, for the tuning and held-out halves apart.

    .venv/bin/python bench/bench_realtext_search.py [--mode hybrid] [--details]

Loads the set into a fresh hub (a new SQLite database in a temporary directory: migrated,
reference data, the bundled Lima document, then the set's 27 documents through the real ingest)
and runs every query without filters. Takes about a minute (the model embeds ~300 passages).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from rcphub.bootstrap import prepare_database  # noqa: E402
from rcphub.config import Settings  # noqa: E402
from rcphub.db import Database  # noqa: E402
from rcphub.search import SearchService  # noqa: E402
from tests.realtext.search.evaluation import (  # noqa: E402
    HALVES,
    evaluate,
    ingest_set,
    load_set,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", default="hybrid", choices=("hybrid", "semantic", "keyword"))
    parser.add_argument("--details", action="store_true", help="print every query's outcome")
    args = parser.parse_args()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(database_url=f"sqlite:///{tmp}/hub.db", data_dir=Path(tmp))
        database = Database(settings)
        prepare_database(database)
        data = load_set()
        located = ingest_set(database, data)
        service = SearchService.from_settings(settings)
        service.prepare(database)
        figures = evaluate(service, database, data, located, mode=args.mode)
        database.dispose()
    paragraphs = len(located)
    print(
        f"real-text search set: {len(data['documents'])} documents, {paragraphs} paragraphs, "
        f"{sum(q['target'] is not None for q in data['queries'])} cross-lingual and "
        f"{sum(q['target'] is None for q in data['queries'])} no-match queries; "
        f"mode {args.mode}; {time.perf_counter() - started:.0f} s"
    )
    for half in HALVES:
        print(figures[half].line())
    if args.details:
        queries = {q["id"]: q for q in data["queries"]}
        for half in HALVES:
            for outcome in figures[half].cross + figures[half].none:
                q = queries[outcome.id]
                print(
                    f"{outcome.id} {half:>8} rank={outcome.rank} related_rank="
                    f"{outcome.related_rank} total={outcome.matches} [{q['language']}] "
                    f"{q['q'][:70]} -> {q['target']}"
                )


if __name__ == "__main__":
    main()
