"""Real `rcphub serve` processes on real ports: several workers behind one port, and several
nodes starting at once on an empty database. On SQLite and PostgreSQL."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx

from rcphub.config import Settings
from rcphub.db import Database
from tests.browser_support import free_port

ROOT = Path(__file__).resolve().parents[1]


def _env(url: str, data_dir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": str(ROOT / "src"),
        "RCPHUB_DATABASE_URL": url,
        "RCPHUB_DATA_DIR": str(data_dir),
        "RCPHUB_WEBHOOK_DELIVERER": "false",
    }


def _serve(env: dict[str, str], port: int, *extra: str, log: Path) -> subprocess.Popen:  # type: ignore[type-arg]
    with log.open("w") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "rcphub", "serve", "--port", str(port), "--no-warm-up", *extra],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def _wait(predicate, timeout: float, what: str, servers=()):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for server in servers:
            assert server.poll() is None, f"a server exited with {server.returncode}"
        try:
            value = predicate()
        except httpx.HTTPError:
            value = None
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def _stop(servers) -> None:  # type: ignore[no-untyped-def]
    for server in servers:
        server.terminate()
    for server in servers:
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _token(env: dict[str, str]) -> str:
    rcphub = [sys.executable, "-m", "rcphub"]
    subprocess.run(
        [*rcphub, "users", "create", "ops", "--role", "admin", "--password-stdin"],
        env=env,
        input="a long enough password 123\n",
        text=True,
        check=True,
        capture_output=True,
    )
    return subprocess.run(
        [*rcphub, "tokens", "create", "ops", "--name", "test", "--scope", "write"],
        env=env,
        text=True,
        check=True,
        capture_output=True,
    ).stdout.split()[0]


def test_serve_with_two_workers_answers_from_both_and_each_finds_what_the_other_stored(
    database_factory, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    database = database_factory.new()
    env = _env(database.settings.resolved_database_url, tmp_path / "data")
    token = _token(env)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = _serve(env, port, "--workers", "2", log=tmp_path / "serve.log")
    clients: list[httpx.Client] = []
    try:
        _wait(lambda: httpx.get(base + "/readyz", timeout=5).status_code == 200, 240, "ready",
              [server])  # fmt: skip

        def connection(other_than: int | None = None) -> tuple[int, httpx.Client]:
            """A kept-alive connection (it stays with the worker that accepted it, while it
            is used at least every few seconds) to a worker other than ``other_than``."""
            for _ in range(200):
                client = httpx.Client(base_url=base, timeout=60)
                pid = client.get("/healthz").json()["pid"]
                if pid != other_than:
                    clients.append(client)
                    return pid, client
                client.close()
            raise AssertionError("every connection went to one worker")

        first, uploader = connection()
        assert first != server.pid  # the supervisor itself answers nothing
        word = "transhumance" + uuid.uuid4().hex[:6]
        note = f"Note\n\n1. Pastoralists and {word}.\n"
        answer = uploader.post(
            "/api/v1/documents",
            files=[("files", ("note.en.txt", note, "text/plain"))],
            headers={"Authorization": f"Bearer {token}"},
        )
        assert answer.status_code == 201, answer.text
        assert uploader.get("/healthz").json()["pid"] == first
        second, searcher = connection(other_than=first)
        assert second != server.pid

        def found_by_the_other() -> int:
            result = searcher.get("/api/v1/search", params={"q": word, "mode": "keyword"})
            return result.json()["total"]

        assert _wait(found_by_the_other, 60, "the upload searchable through the other worker") == 1
        assert searcher.get("/healthz").json()["pid"] == second
        document = answer.json()["documents"][0]["id"]
        assert searcher.get(f"/documents/{document}/source").status_code == 200
    finally:
        for client in clients:
            client.close()
        _stop([server])
    log = (tmp_path / "serve.log").read_text()
    assert "Traceback" not in log, log[-3000:]
    assert log.count("search index built") == 1, log[-3000:]  # once for the node, not per worker


def test_two_nodes_started_at_once_on_an_empty_database_both_come_up(
    database_factory, backend, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    """Both migrate and load the bundled data at the same moment: one waits for the other."""
    url = database_factory.url()  # created, empty: no schema
    empty = Database(Settings(database_url=url, data_dir=tmp_path / "x"))
    database_factory.created.append(empty)  # dropped at the end of the session
    ports = [free_port(), free_port()]
    servers = [
        _serve(_env(url, tmp_path / name), port, log=tmp_path / f"{name}.log")
        for name, port in zip("ab", ports, strict=True)
    ]
    try:
        for port in ports:
            _wait(
                lambda port=port: (
                    httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=5).status_code == 200
                ),
                300,
                "both nodes ready",
                servers,
            )
        for port in ports:
            processes = httpx.get(f"http://127.0.0.1:{port}/api/v1/processes", timeout=30)
            assert processes.status_code == 200
            assert any(p["id"] == "bali-process" for p in processes.json()["processes"])
            documents = httpx.get(f"http://127.0.0.1:{port}/api/v1/documents", timeout=30).json()
            assert len(documents["documents"]) == 1  # the bundled summary, stored once
    finally:
        _stop(servers)
    for name in "ab":
        log = (tmp_path / f"{name}.log").read_text()
        assert "Traceback" not in log, log[-3000:]
