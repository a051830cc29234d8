"""``rcphub serve`` with several worker processes on one port.

``rcphub serve --workers N`` prepares the database once (migrations, bundled data), then hands
the socket to uvicorn, which spawns N worker processes; each builds its app with
:func:`worker_app` (an app factory, so nothing is inherited but the environment) and serves
requests the kernel gives it. What each worker has and what they share:

* **its own** app, database connections, read cache (keyed by the data version every write
  raises, so a write through one worker is seen by all) and background indexer thread;
* **the node's** search index in ``<data_dir>/search``: the workers of one node are processes
  of one node, like ``rcphub index --follow`` beside ``rcphub serve``. The index has one writer
  at a time (its ``write.lock``), one position in the search log (its manifest), and every
  worker reopens it when another one has published a change, so an upload through one worker
  is searchable through all; the index is built once, not once per worker;
* **the node's** jobs that need no more than one runner: theme tagging of queued documents is
  taken by one worker at a time (a lock file beside the index; other nodes may still tag the
  same document, which the tag store tolerates), and the webhook deliverer runs once, in the
  supervising process (its claims are leases in the database, so several nodes are safe too).
  E-mail digests are not run by ``serve`` at all (``rcphub digests send`` from cron).

The supervisor restarts a worker that dies; ``Ctrl-C`` (SIGINT) or SIGTERM stops them all.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import AsyncIterator

from fastapi import FastAPI

WORKER_OPTIONS = "RCPHUB_SERVE_WORKER_OPTIONS"
"""Environment variable through which ``rcphub serve`` tells its workers what it was asked
(JSON: ``warm_up``); the settings themselves go as the ``RCPHUB_*`` variables."""


def worker_app() -> FastAPI:
    """The app of one worker process (uvicorn's ``factory=True``): settings from the
    environment the supervisor set, the database already prepared by it. The background
    indexer runs while the worker serves (started and stopped by the app's lifespan)."""
    from starlette.concurrency import run_in_threadpool

    from rcphub.app import create_app
    from rcphub.config import load_settings
    from rcphub.db import Database

    options = json.loads(os.environ.get(WORKER_OPTIONS) or "{}")
    settings = load_settings()
    database = Database(settings)
    app = create_app(settings, database=database)
    if options.get("warm_up", True):
        from rcphub.web.warmup import warm_pages

        app.state.search.warm_up()
        warm_pages(app)
    inner = app.router.lifespan_context

    @contextlib.asynccontextmanager
    async def lifespan(app_: FastAPI) -> AsyncIterator[object]:
        indexer = app.state.indexer.start()
        try:
            async with inner(app_) as state:
                yield state
        finally:
            await run_in_threadpool(indexer.stop, 10)
            database.dispose()

    app.router.lifespan_context = lifespan
    return app


def run_workers(settings, workers: int, *, warm_up: bool) -> None:  # type: ignore[no-untyped-def]
    """Serve on ``settings.host:port`` with ``workers`` processes (blocks until stopped)."""
    import uvicorn

    from rcphub.logs import log_config

    # the workers are spawned: they read their settings from this environment
    os.environ["RCPHUB_DATA_DIR"] = str(settings.data_dir)
    if settings.database_url:
        os.environ["RCPHUB_DATABASE_URL"] = settings.database_url
    os.environ[WORKER_OPTIONS] = json.dumps({"warm_up": warm_up})
    uvicorn.run(
        "rcphub.serving:worker_app",
        factory=True,
        workers=workers,
        host=settings.host,
        port=settings.port,
        log_level="info",
        log_config=log_config(settings),
        # X-Forwarded-For only from RCPHUB_TRUSTED_PROXIES, in the app (rcphub.app)
        proxy_headers=False,
    )
