"""Warm-up at server start: request a few pages in process before the first visitor does.

The first request a fresh process serves pays for one-time work: SQLAlchemy configuring its
mappers and compiling each statement, Jinja compiling the templates (once, then once more per
language environment from the shared bytecode), Babel loading each locale, the map geometry
being read, Starlette building its middleware stack — about 300 ms on the analytics overview,
before the page's own figures. ``rcphub serve`` calls :func:`warm_pages` so that work is done
before it listens, and so the results the pages cache (see :mod:`rcphub.web.analytics.cache`)
hold the overview and a process and a country page in every language.

The requests go straight to the ASGI app (no socket, no lifespan), as a visitor's would, so
what gets warmed is exactly what a visitor's request would have needed. The app is not built
here: tests that build many apps pay nothing.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from rcphub import urls
from rcphub.config import LANGUAGES

log = logging.getLogger(__name__)

ANALYTICS_PAGES = (
    urls.analytics(),
    urls.analytics_process("rcm-puebla-process"),
    urls.analytics_country("MEX"),
)
"""What ``rcphub serve`` warms, in each language: the overview (its default options are what
most visitors open first) and one page of each other kind, which compiles their templates."""


@dataclass
class WarmUp:
    """What a warm-up did: each URL with its status and milliseconds, and the total time."""

    pages: list[tuple[str, int, float]] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def failed(self) -> list[tuple[str, int]]:
        return [(url, status) for url, status, _ in self.pages if status != 200]


async def _get(app: Any, url: str) -> int:
    path, _, query = url.partition("?")
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": [(b"host", b"localhost")],
        "client": ("127.0.0.1", 0),
        "server": ("localhost", 80),
        "state": {},
    }
    status = 0

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    await app(scope, receive, send)
    return status


def warm_pages(
    app: Any, paths: Iterable[str] = ANALYTICS_PAGES, languages: Iterable[str] = LANGUAGES
) -> WarmUp:
    """GET each of ``paths`` once in each of ``languages``, in process, one after the other.

    A page that fails (say the data has no such process) is logged and skipped: a warm-up never
    stops the server from starting."""
    report = WarmUp()
    started = time.perf_counter()

    async def run() -> None:
        for path in paths:
            for lang in languages:
                url = f"{path}{'&' if '?' in path else '?'}lang={lang}"
                begin = time.perf_counter()
                try:
                    status = await _get(app, url)
                except Exception:  # a warm-up must not stop the server
                    log.exception("warm-up of %s failed", url)
                    status = 0
                report.pages.append((url, status, (time.perf_counter() - begin) * 1000))

    # in a thread of its own: the caller may be inside a running event loop (Playwright's sync
    # API keeps one in the tests' main thread), where asyncio.run() refuses to start
    with ThreadPoolExecutor(1) as thread:
        thread.submit(asyncio.run, run()).result()
    report.seconds = time.perf_counter() - started
    for url, status in report.failed:
        log.warning("warm-up: %s answered %s", url, status)
    return report
