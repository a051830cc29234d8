"""A service that stays up (issue 12, parts 1 and 4): peak memory of `rcphub ingest` and of
`rcphub serve` with a 10 MB single-paragraph file, and the errors of 8 concurrent uploaders
plus 8 searchers against a real `rcphub serve`.

    .venv/bin/python bench/bench_robust.py                      # SQLite in a temporary dir
    .venv/bin/python bench/bench_robust.py --database-url postgresql+psycopg://...

Each figure comes from a process of its own, measured by the kernel (``os.wait4``: the peak
resident set of that process). Prints one line per figure.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
WORDS = "Peru and the Bali Process agreed on labour migration; States recommend cooperation. "


def run_measured(command: list[str], env: dict[str, str], **kwargs) -> tuple[int, float, float]:  # type: ignore[no-untyped-def]
    """Run to the end; (exit code, seconds, peak RSS in MB) of that process alone."""
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, **kwargs)
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return process.returncode, time.perf_counter() - started, usage.ru_maxrss / 1024


def own_peak_mb(pid: int) -> float:
    """The high-water mark of a running process's own resident memory (``VmHWM``). Unlike
    ``ru_maxrss`` it does not include the size of the process that spawned it, which Linux
    carries into ``ru_maxrss`` at exec (harmless for `rcphub ingest` here: this script stays
    far smaller than what it runs)."""
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_listening(base: str, process: subprocess.Popen, timeout: float = 600) -> float:  # type: ignore[type-arg]
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if process.poll() is not None:
            raise SystemExit(f"serve exited with {process.returncode}")
        try:
            httpx.get(base + "/api/v1/processes", timeout=5)
            return time.perf_counter() - started
        except httpx.HTTPError:
            time.sleep(0.2)
    raise SystemExit("serve did not listen")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="default: a SQLite file in a temporary dir")
    parser.add_argument("--megabytes", type=float, default=10.0)
    parser.add_argument("--per-uploader", type=int, default=3)
    parser.add_argument("--only-concurrency", action="store_true", help="skip the 10 MB file")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="rcphub-bench-robust-"))
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT / "src"),
        "RCPHUB_DATA_DIR": str(work / "data"),
        "RCPHUB_WEBHOOK_DELIVERER": "false",
    }
    if args.database_url:
        env["RCPHUB_DATABASE_URL"] = args.database_url
    rcphub = [sys.executable, "-m", "rcphub"]
    try:
        size = int(args.megabytes * 1024 * 1024)
        big = work / "one-line.txt"
        big.write_text((WORDS * (size // len(WORDS) + 1))[:size], encoding="utf-8")
        subprocess.run([*rcphub, "processes", "list"], env=env, check=True, capture_output=True)
        token = write_token(rcphub, env)
        if not args.only_concurrency:
            memory(rcphub, env, big, args.megabytes, token)
        errors = concurrent_writes(rcphub, env, args.per_uploader, token)
        print(
            f"8 uploaders x {args.per_uploader} files + 8 searchers: "
            f"{errors['uploads']} uploads, {errors['searches']} searches, "
            f"{errors['5xx']} answers 5xx {errors['where'] or ''}, {errors['other']} other errors"
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


def memory(rcphub: list[str], env: dict[str, str], big: Path, megabytes: float, token: str) -> None:
    """Peak RSS of `rcphub ingest` of ``big``, then of `rcphub serve` with it stored (start-up,
    an upload of another file like it through the API, a hybrid search, the document's page,
    its source)."""
    code, seconds, peak = run_measured(
        [*rcphub, "ingest", str(big)], env, stdout=subprocess.DEVNULL
    )
    print(
        f"ingest of a {megabytes:g} MB one-paragraph file: exit {code}, "
        f"{seconds:.1f} s, peak RSS {peak:.0f} MB"
    )
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    serve = subprocess.Popen(
        [*rcphub, "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    listening = wait_listening(base, serve)
    other = big.read_bytes().replace(b"Peru", b"Chile", 1)  # the same size, other bytes
    started = time.perf_counter()
    upload = httpx.post(
        base + "/api/v1/documents",
        files=[("files", ("other-line.txt", other, "text/plain"))],
        headers={"Authorization": f"Bearer {token}"},
        timeout=600,
    )
    uploaded = time.perf_counter() - started
    del other
    hits = httpx.get(base + "/api/v1/search?q=labour+migration&mode=hybrid", timeout=600)
    documents = httpx.get(base + "/api/v1/documents", timeout=60).json()["documents"]
    page = httpx.get(f"{base}/documents/{documents[0]['id']}", timeout=600)
    source = httpx.get(f"{base}/documents/{documents[0]['id']}/source", timeout=600)
    peak = own_peak_mb(serve.pid)
    serve.send_signal(signal.SIGINT)
    os.wait4(serve.pid, 0)
    print(
        f"serve with it stored: listening after {listening:.1f} s, upload of another"
        f" {megabytes:g} MB one {upload.status_code} in {uploaded:.1f} s, search"
        f" {hits.status_code} ({len(hits.content) / 1e6:.2f} MB), document page"
        f" {page.status_code} ({len(page.content) / 1e6:.1f} MB), source {source.status_code},"
        f" peak RSS {peak:.0f} MB"
    )


def write_token(rcphub: list[str], env: dict[str, str]) -> str:
    subprocess.run(
        [*rcphub, "users", "create", "bench", "--role", "admin", "--password-stdin"],
        env=env,
        input="a long bench password 123\n",
        text=True,
        check=True,
        capture_output=True,
    )
    return subprocess.run(
        [*rcphub, "tokens", "create", "bench", "--name", "bench", "--scope", "write"],
        env=env,
        text=True,
        check=True,
        capture_output=True,
    ).stdout.split()[-1]


def concurrent_writes(  # type: ignore[type-arg]
    rcphub: list[str], env: dict[str, str], per_uploader: int, token: str
) -> dict:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    serve = subprocess.Popen(
        [*rcphub, "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    counts: dict = {"uploads": 0, "searches": 0, "5xx": 0, "other": 0}  # type: ignore[type-arg]
    failed: dict[str, int] = {}
    lock = threading.Lock()
    stop = threading.Event()

    def count(response: httpx.Response | None, kind: str) -> None:
        with lock:
            counts[kind] += 1
            if response is None:
                counts["other"] += 1
            elif response.status_code >= 500:
                counts["5xx"] += 1
                where = f"{response.request.url.path} {response.status_code}"
                failed[where] = failed.get(where, 0) + 1
            elif response.status_code >= 400:
                counts["other"] += 1

    def uploader(index: int) -> None:
        headers = {"Authorization": f"Bearer {token}"}
        for n in range(per_uploader):
            # two of the eight upload the same bytes: the race of one document and its file
            number = 0 if index < 2 else index * 100 + n
            text = (
                f"Note {number}\n\n1. The Bali Process meeting {number} discussed labour"
                f" migration with Peru.\n\n2. States recommended cooperation ({number}).\n"
            )
            try:
                response = httpx.post(
                    base + "/api/v1/documents",
                    files=[("files", (f"note-{index}-{n}.txt", text.encode(), "text/plain"))],
                    headers=headers,
                    timeout=300,
                )
            except httpx.HTTPError:
                response = None
            count(response, "uploads")

    def searcher(index: int) -> None:
        paths = ["/api/v1/search?q=labour+migration", "/api/v1/documents", "/documents"]
        n = 0
        while not stop.is_set():
            try:
                response = httpx.get(base + paths[n % len(paths)], timeout=300)
            except httpx.HTTPError:
                response = None
            count(response, "searches")
            n += 1

    try:
        wait_listening(base, serve)
        with ThreadPoolExecutor(16) as pool:
            searches = [pool.submit(searcher, i) for i in range(8)]
            uploads = [pool.submit(uploader, i) for i in range(8)]
            for future in uploads:
                future.result()
            stop.set()
            for future in searches:
                future.result()
    finally:
        serve.send_signal(signal.SIGINT)
        serve.wait(timeout=60)
    counts["where"] = failed
    return counts


if __name__ == "__main__":
    main()
