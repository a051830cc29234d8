"""What tests of the whole app share: its routes walked through included routers, and a real
``rcphub serve`` process on a test database."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx

from rcphub.config import Settings
from tests.browser_support import free_port


def app_routes(routes) -> Iterator[tuple[str, object]]:  # type: ignore[no-untyped-def]
    """(path, route) of every route, through included routers (FastAPI keeps those as
    branches that expand to their effective routes, with the prefix applied); the route is the
    original one, with its ``methods`` and ``dependant``."""
    for route in routes:
        if hasattr(route, "effective_candidates"):
            yield from app_routes(route.effective_candidates())
            continue
        original = getattr(route, "original_route", route)
        yield getattr(route, "path", "") or getattr(original, "path", ""), original


@contextmanager
def serve_process(
    settings: Settings, env: dict[str, str], ready: str = "/healthz"
) -> Iterator[tuple[int, subprocess.Popen[str]]]:
    """``rcphub serve`` on ``settings``' database and data directory with ``env``, on a free
        port, once ``ready`` answers 200; terminated and its output read on the way out, unless the
    caller did (to read what it logged)."""
    port = free_port()
    command = [
        sys.executable, "-m", "rcphub",
        "--database-url", settings.resolved_database_url,
        "--data-dir", str(settings.data_dir),
        "serve", "--port", str(port), "--no-warm-up",
    ]  # fmt: skip
    server = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}{ready}").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert server.poll() is None, server.stderr.read() if server.stderr else ""
            assert time.monotonic() < deadline, "serve did not answer"
            time.sleep(0.3)
        yield port, server
    finally:
        if server.returncode is None:  # not already terminated and read by the caller
            server.terminate()
            server.communicate(timeout=30)
