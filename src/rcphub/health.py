"""``/healthz`` and ``/readyz``: what a load balancer or a supervisor asks a node.

- ``GET /healthz``: the process is alive and answering. It touches nothing else (no database,
  no index), so a database outage never gets a healthy node restarted.
- ``GET /readyz``: whether this node should get traffic: the database answers, its schema is
  at the migrations this code expects, and the node has a search index. The answer also says
  how far the index is behind the database (``index.pending_documents``; the background
  indexer catches up while the node serves). 200 when ready, else 503 with ``Retry-After``.
"""

from __future__ import annotations

import functools
import os
import time
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text

router = APIRouter(include_in_schema=False)

RETRY_AFTER = "5"


@router.get("/healthz")
def healthz() -> JSONResponse:
    # the process ID tells apart the workers of `rcphub serve --workers N` behind one port
    return JSONResponse(
        {"status": "alive", "pid": os.getpid()}, headers={"Cache-Control": "no-store"}
    )


@functools.cache
def expected_heads() -> frozenset[str]:
    """The newest migration revision(s) of the packaged scripts (read once per process)."""
    from alembic.script import ScriptDirectory

    from rcphub.db.engine import alembic_config

    return frozenset(ScriptDirectory.from_config(alembic_config()).get_heads())


def readiness(app: Any) -> tuple[bool, dict[str, Any]]:
    """(ready, the report ``/readyz`` answers)."""
    from alembic.runtime.migration import MigrationContext

    database = app.state.database
    service = app.state.search
    report: dict[str, Any] = {}
    ready = True
    pending: int | None = None
    started = time.perf_counter()
    try:
        with database.session() as session:
            session.execute(text("SELECT 1"))
            heads = frozenset(MigrationContext.configure(session.connection()).get_current_heads())
            pending = service.pending_documents(session)
        report["database"] = {"status": "ok", "ms": round((time.perf_counter() - started) * 1000)}
        expected = expected_heads()
        current = heads == expected
        report["migrations"] = {
            "status": "ok" if current else "not current",
            "database": sorted(heads),
            "expected": sorted(expected),
        }
        ready = ready and current
    except Exception as exc:  # any failure to reach the database: not ready
        report["database"] = {"status": "unreachable", "error": type(exc).__name__}
        ready = False
    indexer = getattr(app.state, "indexer", None)
    state = indexer.state if indexer is not None else None
    built = not service.needs_rebuild()
    index: dict[str, Any] = {
        "built": built,
        "pending_documents": pending,
        "up_to_date": pending == 0 and built,
        "passages": service.snapshot().live_rows if built else 0,
        "indexer": "running" if state is not None and state.running else "not running",
    }
    if state is not None:
        index["rebuilding"] = state.rebuilding
        if state.last_error:
            index["last_error"] = state.last_error
    report["index"] = index
    ready = ready and built
    report["status"] = "ready" if ready else "not ready"
    return ready, report


@router.get("/readyz")
def readyz(request: Request) -> JSONResponse:
    ready, report = readiness(request.app)
    headers = {"Cache-Control": "no-store"}
    if not ready:
        headers["Retry-After"] = RETRY_AFTER
    return JSONResponse(report, status_code=200 if ready else 503, headers=headers)
