"""The service under load, as an operator would run it: figures of issue #12 in one run.

Each part starts real ``rcphub serve`` processes on loopback against a fresh database (SQLite
under a temporary directory, or PostgreSQL with ``--postgres URL``: a server URL whose user may
create databases) and measures from outside, over HTTP.

* ``startup``: ``rcphub ingest`` of 100 generated documents, then ``rcphub serve``: seconds until
  it listens, and until ``/readyz`` reports the index caught up (0 pending documents).
* ``lag`` (PostgreSQL only): two nodes (own data directories, one database); a document
  ingested on node A's side (``rcphub ingest``) — seconds until node B's search finds it.
* ``robust``: ``bench_robust.py`` — peak RSS of ``rcphub ingest`` and of ``serve`` with a
  10 MB single-paragraph file; errors of 8 concurrent uploaders + 8 searchers.
* ``throughput``: ``bench_index.py --docs 100`` — passages/s from ``rcphub ingest`` of a folder
  to every passage searchable by meaning.
* ``reads``: anonymous reads at 32 concurrent connections with ``wrk`` (Debian package wrk),
  for 10 s each: a static file, then a process page and its JSON, in the same run; prints
  requests/s, p95 and the ratio page/static (target ≥ 0.40, p95 ≤ 300 ms).

    .venv/bin/python bench/bench_service.py [--parts startup,lag,robust,throughput,reads]
        [--postgres URL] [--seconds 10] [--workers N]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from tests.browser_support import free_port  # noqa: E402

sys.path.insert(0, str(ROOT / "bench"))
from bench_ingest import generate  # noqa: E402

STATIC = "/static/css/site.css"
PAGE = "/processes/bali-process?lang=en"
API = "/api/v1/processes/bali-process"


def database_url(workdir: Path, postgres: str | None) -> str:
    if not postgres:
        return f"sqlite:///{workdir / 'bench.sqlite3'}"
    name = f"rcphub_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(postgres, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(postgres).set(database=name).render_as_string(hide_password=False)


def rcphub(url: str, data_dir: Path, *args: str) -> list[str]:
    return [
        sys.executable, "-m", "rcphub", "--database-url", url, "--data-dir", str(data_dir), *args
    ]  # fmt: skip


@contextmanager
def serving(url: str, data_dir: Path, *extra: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    """A real ``rcphub serve`` on a free loopback port; yields (base URL, seconds to listen)."""
    port = free_port()
    started = time.monotonic()
    server = subprocess.Popen(
        rcphub(url, data_dir, "serve", "--port", str(port), *extra),
        env={**os.environ, **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        while True:
            try:
                httpx.get(base + STATIC, timeout=2)
                break
            except httpx.TransportError:
                if server.poll() is not None:
                    raise RuntimeError("rcphub serve exited") from None
                if time.monotonic() - started > 600:
                    raise RuntimeError("rcphub serve did not listen in 600 s") from None
                time.sleep(0.1)
        yield base, time.monotonic() - started
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


WRK_P95 = """done = function(summary, latency, requests)
  io.write(string.format("p95_us %d\\n", latency:percentile(95)))
end
"""


def wrk(url: str, seconds: int, connections: int = 32) -> tuple[float, float]:
    """(requests/s, p95 ms) of ``wrk`` against ``url`` (the 95th percentile as wrk's own
    histogram gives it, through a Lua ``done`` hook: ``--latency`` prints 50/75/90/99 only)."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_P95)
    try:
        done = subprocess.run(
            ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "-s", script.name, url],
            capture_output=True,
            text=True,
            check=True,
        )
    finally:
        os.unlink(script.name)
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", done.stdout).group(1))  # type: ignore[union-attr]
    p95 = float(re.search(r"p95_us (\d+)", done.stdout).group(1)) / 1000  # type: ignore[union-attr]
    return rate, p95


READ_WORKERS = 1


def part_reads(url: str, workdir: Path, seconds: int) -> None:
    if shutil.which("wrk") is None:
        print("reads: skipped, wrk is not installed (apt-get install wrk)")
        return
    data_dir = workdir / "reads"
    subprocess.run(rcphub(url, data_dir, "load"), check=True, capture_output=True)
    with serving(url, data_dir, "--workers", str(READ_WORKERS)) as (base, _):
        _settled(base)
        for target in (PAGE, API):
            httpx.get(base + target, timeout=60)  # rendered once, as after any write
        static_rate, static_p95 = wrk(base + STATIC, seconds)
        page_rate, page_p95 = wrk(base + PAGE, seconds)
        api_rate, api_p95 = wrk(base + API, seconds)
    with serving(
        url, data_dir, "--workers", str(READ_WORKERS), env={"RCPHUB_READ_CACHE_ENTRIES": "0"}
    ) as (base, _):
        _settled(base)
        httpx.get(base + PAGE, timeout=60)
        bare_rate, bare_p95 = wrk(base + PAGE, seconds)
    load = os.getloadavg()[0]
    print(
        f"reads, 32 connections, {seconds} s each, {READ_WORKERS} worker(s)"
        f" (load average {load:.1f}):"
    )
    print(
        f"  page, no cache {bare_rate:6.0f} req/s  p95 {bare_p95:6.1f} ms"
        f"  ratio {bare_rate / static_rate:.2f}"
    )
    print(f"  static file  {static_rate:8.0f} req/s  p95 {static_p95:6.1f} ms")
    print(
        f"  process page {page_rate:8.0f} req/s  p95 {page_p95:6.1f} ms"
        f"  ratio {page_rate / static_rate:.2f}"
    )
    print(
        f"  process JSON {api_rate:8.0f} req/s  p95 {api_p95:6.1f} ms"
        f"  ratio {api_rate / static_rate:.2f}"
    )


def _ready(base: str) -> dict:  # type: ignore[type-arg]
    try:
        return httpx.get(base + "/readyz", timeout=5).json()
    except (httpx.TransportError, ValueError):
        return {}


def _caught_up(base: str, deadline_s: float = 1800) -> float:
    started = time.monotonic()
    while time.monotonic() - started < deadline_s:
        index = _ready(base).get("index", {})
        if index.get("up_to_date"):
            return time.monotonic() - started
        time.sleep(0.25)
    raise RuntimeError("the index did not catch up")


def _settled(base: str, deadline_s: float = 600) -> None:
    """Wait until a fresh server has done its start-up work — the first index build, then the
    tagging of the bundled documents and their re-indexing, which run the model on both cores —
    so that reads are measured on a server at rest, not against its own start: the index caught
    up and the server's processes (its workers included) using under 5 % of a core for 3 s."""
    _caught_up(base)
    port = base.rsplit(":", 1)[1]
    started, quiet = time.monotonic(), 0
    before = _server_cpu(port)
    while quiet < 3 and time.monotonic() - started < deadline_s:
        time.sleep(1)
        now = _server_cpu(port)
        quiet = quiet + 1 if now - before < 0.05 else 0
        before = now


def _server_cpu(port: str) -> float:
    """CPU seconds so far of the ``rcphub serve --port PORT`` processes and their children."""
    ticks = os.sysconf("SC_CLK_TCK")
    servers, parents, cpu = set(), {}, {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            cmdline = (stat.parent / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        pid = int(stat.parent.name)
        parents[pid] = int(fields[1])
        cpu[pid] = (int(fields[11]) + int(fields[12])) / ticks
        if b"serve" in cmdline and port.encode() in cmdline:
            servers.add(pid)
    total = 0.0
    for pid, seconds in cpu.items():
        walk = pid
        while walk > 1 and walk not in servers:
            walk = parents.get(walk, 1)
        if walk in servers:
            total += seconds
    return total


def part_startup(url: str, workdir: Path, seconds: int) -> None:
    data_dir = workdir / "startup"
    corpus = workdir / "startup-corpus"
    generate(corpus, 100, 2013, 2)
    subprocess.run(rcphub(url, data_dir, "load"), check=True, capture_output=True)
    subprocess.run(
        # --no-index: the server finds the backlog (a node with an index would take it in)
        rcphub(url, data_dir, "ingest", str(corpus), "--workers", "2", "--no-index"),
        check=True,
        capture_output=True,
    )
    with serving(url, data_dir, "--no-warm-up") as (base, listen_s):
        catch_up_s = _caught_up(base)
        passages = _ready(base)["index"]["passages"]
    print(
        f"startup with a backlog of 100 documents: listens after {listen_s:.1f} s; index caught"
        f" up {catch_up_s:.1f} s later ({passages} passages)"
    )


def part_lag(url: str, workdir: Path, seconds: int) -> None:
    if url.startswith("sqlite"):
        print("lag: skipped, needs --postgres (several nodes share one PostgreSQL)")
        return
    a, b = workdir / "node-a", workdir / "node-b"
    subprocess.run(rcphub(url, a, "load"), check=True, capture_output=True)
    word = f"quillabamba{uuid.uuid4().hex[:6]}"
    note = workdir / "lag.en.txt"
    note.write_text(f"Lag note\n\n1. The {word} consultation agreed on seasonal work.\n")
    with (
        serving(url, a, "--no-warm-up") as (base_a, _),
        serving(url, b, "--no-warm-up") as (
            base_b,
            _,
        ),
    ):
        _caught_up(base_a)
        _caught_up(base_b)
        started = time.monotonic()
        subprocess.run(rcphub(url, a, "ingest", str(note)), check=True, capture_output=True)
        ingested = time.monotonic() - started
        while time.monotonic() - started < 120:
            found = httpx.get(
                base_b + "/api/v1/search", params={"q": word, "mode": "keyword"}, timeout=10
            ).json()
            if found.get("total"):
                break
            time.sleep(0.1)
        else:
            raise RuntimeError("node B never found the document")
        lag = time.monotonic() - started
    print(
        f"index lag, ingest on node A to a hit on node B: {lag:.1f} s"
        f" (the ingest command itself took {ingested:.1f} s)"
    )


def _relay(script: str, *args: str) -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / script), *args],
        capture_output=True,
        text=True,
        check=False,
    )
    print(f"{script}:")
    for line in (done.stdout + (done.stderr if done.returncode else "")).strip().splitlines():
        print("  " + line)


def part_robust(url: str, workdir: Path, seconds: int) -> None:
    extra = [] if url.startswith("sqlite") else ["--database-url", url]
    _relay("bench_robust.py", *extra)


def part_throughput(url: str, workdir: Path, seconds: int) -> None:
    _relay("bench_index.py", "--docs", "100", "--workers", "2")


PARTS = {
    "startup": part_startup,
    "lag": part_lag,
    "robust": part_robust,
    "throughput": part_throughput,
    "reads": part_reads,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--parts", default=",".join(PARTS), help="comma-separated parts")
    parser.add_argument("--postgres", help="PostgreSQL server URL (default: SQLite)")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument(
        "--workers", type=int, default=1, help="rcphub serve --workers N for the reads part"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="rcphub-bench-") as work:
        workdir = Path(work)
        global READ_WORKERS
        READ_WORKERS = args.workers
        for name in args.parts.split(","):
            PARTS[name](database_url(workdir, args.postgres), workdir, args.seconds)


if __name__ == "__main__":
    main()
