"""Page and API response times with the full reference data.

Warm: starts the hub under uvicorn on a loopback port against a fresh SQLite database (or
RCPHUB_DATABASE_URL), warms each URL up, then requests it N times in each of the six
languages and prints p50 / p95 / max in milliseconds, measured by the client over HTTP.

Cold (``--cold``): for each analytics page, starts ``rcphub serve`` in a new process on the
same database, as an operator would (search index prepared, analytics pages warmed up; with
``--no-warm-up`` too, to see what the warm-up saves), and times the first request of that
page after the server listens, then the first in each other language.

    .venv/bin/python bench/bench_pages.py [--rounds 20] [--only analytics] [--cold]
        [--json results.json]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import rcphub  # noqa: E402
from rcphub.app import create_app  # noqa: E402
from rcphub.bootstrap import prepare_database  # noqa: E402
from rcphub.config import LANGUAGES, Settings  # noqa: E402
from rcphub.db import Database  # noqa: E402
from tests.browser_support import free_port, running_server  # noqa: E402

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
ANALYTICS = [
    "/analytics",
    "/analytics?observers=1&year=2010",
    "/analytics/processes/rcm-puebla-process",
    "/analytics/processes/budapest-process?year=1990",
    "/analytics/processes/apc",  # no list of member States
    "/analytics/countries/MEX",
    "/analytics/countries/FRA?year=2000",
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


def with_lang(path: str, lang: str) -> str:
    return f"{path}{'&' if '?' in path else '?'}lang={lang}"


def summary(timings: list[float]) -> dict[str, float]:
    return {
        "n": len(timings),
        "p50_ms": round(statistics.median(timings), 1),
        "p95_ms": round(percentile(timings, 0.95), 1),
        "max_ms": round(max(timings), 1),
    }


def warm_runs(settings: Settings, database: Database, paths: list[str], rounds: int) -> dict:
    results = {}
    with (
        running_server(create_app(settings, database=database)) as base,
        httpx.Client(base_url=base, timeout=30) as client,
    ):
        for path in paths:
            timings = []
            langs = LANGUAGES if not path.startswith("/api/") else ("en",)
            for lang in langs:
                url = with_lang(path, lang)
                client.get(url).raise_for_status()  # warm-up
                for _ in range(rounds):
                    start = time.perf_counter()
                    response = client.get(url)
                    timings.append((time.perf_counter() - start) * 1000)
                    response.raise_for_status()
            results[path] = row = summary(timings)
            print(
                f"{path:50} n={row['n']:4}  p50 {row['p50_ms']:6.1f}  "
                f"p95 {row['p95_ms']:6.1f}  max {row['max_ms']:6.1f} ms"
            )
    return results


def cold_run(settings: Settings, path: str, warm_up: bool) -> dict:
    """Start ``rcphub serve`` in a process of its own; time the first request of ``path``
    once it listens, then the first in each other language."""
    port = free_port()
    command = [sys.executable, "-m", "rcphub", "--data-dir", str(settings.data_dir)]
    command += ["--database-url", settings.resolved_database_url, "serve", "--port", str(port)]
    if not warm_up:
        command.append("--no-warm-up")
    env = dict(os.environ)  # the child runs the code this process imported
    env["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(Path(rcphub.__file__).parents[1]), env.get("PYTHONPATH")])
    )
    started = time.perf_counter()
    with tempfile.TemporaryFile("w+") as log:
        server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env)
        try:
            while True:  # a bare connect: no request may warm anything before the timed one
                if server.poll() is not None:
                    log.seek(0)
                    raise RuntimeError(f"rcphub serve exited: {log.read()[-2000:]}")
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                    break
                except OSError:
                    time.sleep(0.05)
            listening = time.perf_counter() - started
            firsts = {}
            with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
                for lang in ("en", *[code for code in LANGUAGES if code != "en"]):
                    begin = time.perf_counter()
                    client.get(with_lang(path, lang)).raise_for_status()
                    firsts[lang] = round((time.perf_counter() - begin) * 1000, 1)
        finally:
            server.terminate()
            server.wait(timeout=30)
    return {
        "first_ms": firsts["en"],
        "first_other_langs_max_ms": max(v for k, v in firsts.items() if k != "en"),
        "by_lang": firsts,
        "start_to_listen_s": round(listening, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--only", choices=("analytics",), help="only the analytics pages")
    parser.add_argument(
        "--cold", action="store_true", help="also the first request after `rcphub serve`"
    )
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()

    paths = ANALYTICS if args.only == "analytics" else PAGES + ANALYTICS + API
    results: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp), database_url=os.environ.get("RCPHUB_DATABASE_URL"))
        database = Database(settings)
        prepare_database(database)
        results["warm"] = warm_runs(settings, database, paths, args.rounds)
        database.dispose()
        if args.cold:
            results["cold"] = {}
            for warm_up in (True, False):
                label = "serve" if warm_up else "serve --no-warm-up"
                for path in ANALYTICS:
                    row = cold_run(settings, path, warm_up)
                    results["cold"].setdefault(label, {})[path] = row
                    print(
                        f"cold ({label:18}) {path:50} first {row['first_ms']:6.1f}  "
                        f"first in other languages <= {row['first_other_langs_max_ms']:6.1f} ms"
                        f"  (listening after {row['start_to_listen_s']} s)"
                    )
    pages = [p for p in paths if not p.startswith("/api/")]
    worst = max(results["warm"][p]["p95_ms"] for p in pages)
    print(f"slowest page p95 (warm): {worst:.1f} ms (target: every page < 200 ms, analytics < 300)")
    if args.cold:
        cold = max(
            max(r["first_ms"], r["first_other_langs_max_ms"])
            for r in results["cold"]["serve"].values()
        )
        print(f"slowest first request after `rcphub serve`: {cold:.1f} ms (target: < 300 ms)")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
