"""Page and API response times with the full reference data.

Starts the hub under uvicorn on a loopback port against a fresh SQLite database (or
RCPHUB_DATABASE_URL), warms each URL up, then requests it N times in each of the six
languages and prints p50 / p95 / max in milliseconds, measured by the client over HTTP.

    .venv/bin/python bench/bench_pages.py [--rounds 20] [--json results.json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rcphub.app import create_app  # noqa: E402
from rcphub.bootstrap import prepare_database  # noqa: E402
from rcphub.config import LANGUAGES, Settings  # noqa: E402
from rcphub.db import Database  # noqa: E402
from tests.browser_support import running_server  # noqa: E402

PAGES = [
    "/",
    "/processes",
    "/processes?kind=rcp&region=002",
    "/processes/bali-process",
    "/processes/budapest-process",
    "/processes/iom",
    "/countries",
    "/countries/PER",
    "/countries/FRA",
    "/meetings",
    "/meetings/hld-2013",
    "/taxonomies",
    "/taxonomies/sdg",
]
API = [
    "/api/v1/processes",
    "/api/v1/processes/bali-process",
    "/api/v1/states",
    "/api/v1/states/PER",
    "/api/v1/meetings",
    "/api/v1/taxonomies/sdg",
]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, round(q * (len(ordered) - 1)))
    return ordered[index]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp), database_url=os.environ.get("RCPHUB_DATABASE_URL"))
        database = Database(settings)
        prepare_database(database)
        results = {}
        with (
            running_server(create_app(settings, database=database)) as base,
            httpx.Client(base_url=base, timeout=30) as client,
        ):
            for path in PAGES + API:
                timings = []
                langs = LANGUAGES if path in PAGES else ("en",)
                for lang in langs:
                    sep = "&" if "?" in path else "?"
                    url = f"{path}{sep}lang={lang}"
                    client.get(url).raise_for_status()  # warm-up
                    for _ in range(args.rounds):
                        start = time.perf_counter()
                        response = client.get(url)
                        timings.append((time.perf_counter() - start) * 1000)
                        response.raise_for_status()
                results[path] = {
                    "n": len(timings),
                    "p50_ms": round(statistics.median(timings), 1),
                    "p95_ms": round(percentile(timings, 0.95), 1),
                    "max_ms": round(max(timings), 1),
                }
                row = results[path]
                print(
                    f"{path:40} n={row['n']:4}  p50 {row['p50_ms']:6.1f}  "
                    f"p95 {row['p95_ms']:6.1f}  max {row['max_ms']:6.1f} ms"
                )
        database.dispose()
    worst = max(r["p95_ms"] for p, r in results.items() if p in PAGES)
    print(f"slowest page p95: {worst:.1f} ms (target: every page < 200 ms)")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
