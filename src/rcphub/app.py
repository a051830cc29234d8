"""The application factory: one FastAPI app built from explicit settings.

Nothing is built at import time; tests build their own app against their own database.
"""

from __future__ import annotations

import logging

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy.exc import InterfaceError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import Scope

from rcphub import __version__, urls
from rcphub.bodylimit import BodyLimit, BodyLimits, describe
from rcphub.config import Settings
from rcphub.db import Database
from rcphub.errors import (
    InvalidInput,
    NotFound,
    RcphubError,
    TooLarge,
    TooManyAttempts,
    Unauthenticated,
)
from rcphub.headers import HeadAsGet, SecurityHeaders
from rcphub.readcache import ReadCache
from rcphub.security import request_guard

log = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5
"""What a 503 for an unreachable database asks a client to wait."""


def create_app(settings: Settings, database: Database | None = None) -> FastAPI:
    """Build the hub: JSON API under /api/v1, pages everywhere else, static files."""
    from rcphub.api import router as api_router
    from rcphub.api.accounts import router as accounts_router
    from rcphub.api.analytics import router as analytics_router
    from rcphub.api.documents import router as documents_router
    from rcphub.api.editing import router as editing_router
    from rcphub.api.exchange import router as exchange_router
    from rcphub.api.followup import router as followup_router
    from rcphub.api.people import router as people_router
    from rcphub.api.reports import router as reports_router
    from rcphub.api.search import router as search_router
    from rcphub.api.themes import router as themes_router
    from rcphub.api.webhooks import router as webhooks_router
    from rcphub.health import router as health_router
    from rcphub.search import SearchService
    from rcphub.web import mount_web

    app = FastAPI(
        title="rcphub",
        version=__version__,
        description="Registry and knowledge hub of regional consultative processes on migration.",
        openapi_url="/api/v1/openapi.json",
        docs_url=None,  # rcphub.web.api_docs: the vendored Swagger UI, no CDN
        redoc_url=None,
        # every route: who is asking, and the CSRF token of every form (rcphub.security)
        dependencies=[Depends(request_guard)],
    )
    app.state.settings = settings
    app.state.database = database or Database(settings)
    app.state.search = SearchService.from_settings(settings)
    app.state.indexer = _indexer(app)
    app.add_middleware(GZipMiddleware, minimum_size=2048, compresslevel=5)
    app.include_router(health_router)
    app.include_router(api_router, prefix="/api/v1")
    app.include_router(documents_router, prefix="/api/v1")
    app.include_router(editing_router, prefix="/api/v1")
    app.include_router(themes_router, prefix="/api/v1")
    app.include_router(accounts_router, prefix="/api/v1")
    app.include_router(analytics_router, prefix="/api/v1")
    app.include_router(search_router, prefix="/api/v1")
    app.include_router(followup_router, prefix="/api/v1")
    app.include_router(reports_router, prefix="/api/v1")
    app.include_router(webhooks_router, prefix="/api/v1")
    app.include_router(exchange_router, prefix="/api/v1")
    app.include_router(people_router, prefix="/api/v1")
    mount_web(app)
    _install_error_handlers(app)
    _refuse_control_characters(app)
    if settings.read_cache_entries:  # anonymous reads from memory while the data is unchanged
        app.add_middleware(ReadCache, max_entries=settings.read_cache_entries)
    _index_after_writes(app)
    # every request body bounded before anything reads it (its 413 gets the headers below)
    app.add_middleware(BodyLimit, limits=body_limits(settings), refuse=_refuse_large_body)
    app.add_middleware(SecurityHeaders)  # last: around everything, the refusals above too
    app.add_middleware(HeadAsGet)
    if settings.trusted_proxies:
        # the client address and scheme from X-Forwarded-For/-Proto, of these proxies only
        # (`rcphub serve` turns uvicorn's own handling, which trusts 127.0.0.1, off)
        from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.trusted_proxies)
    return app


def _indexer(app: FastAPI):  # type: ignore[no-untyped-def]
    """The app's background indexer (started by ``rcphub serve``, not here: an app built by a
    test runs no thread). Each round first tags documents waiting for the tagger."""
    from rcphub.search.indexer import BackgroundIndexer

    def tag_queued() -> None:
        from rcphub.dependencies import app_ingestor
        from rcphub.nodelock import node_job_lock
        from rcphub.themes import pending_documents

        with app.state.database.session() as session:
            queued = pending_documents(session)
        if not queued:
            return
        # the workers of one node (`serve --workers`) take turns: one runs the model on a
        # document, the others find it tagged (another node may still do the same: harmless)
        with node_job_lock(app.state.settings.data_dir, "tagging") as mine:
            if mine:
                app_ingestor(app).apply_tags(queued)

    return BackgroundIndexer(app.state.database, app.state.search, before_round=tag_queued)


WRITE_CATCH_UP = 20
"""Search queue entries a successful write request applies before it answers, at most."""


def _index_after_writes(app: FastAPI) -> None:
    """Read-your-writes on this node: after a successful POST/PUT/PATCH/DELETE (an upload, a
    tag decision, a visibility change), apply up to :data:`WRITE_CATCH_UP` waiting queue
    entries before answering, so the document just written is searchable when its writer
    gets the answer — unless the background indexer holds the index, or an entry's vectors
    are not stored yet and the background indexer runs (then it is on its way: no request
    runs the model) — and wake the background indexer. A search (GET) never indexes
    anything."""
    from starlette.concurrency import run_in_threadpool

    def catch_up() -> None:
        indexer = app.state.indexer
        try:
            with app.state.database.session() as session:
                if not app.state.search.pending_documents(session):
                    return
                if not app.state.search.needs_rebuild():
                    # no request runs the model while the background indexer is there to:
                    # a document whose vectors are not stored yet waits for it
                    app.state.search.sync(
                        session,
                        blocking=False,
                        max_entries=WRITE_CATCH_UP,
                        model=not indexer.state.running,
                    )
                elif not indexer.state.running:  # an app no server runs (tests, scripts)
                    app.state.search.rebuild(session)
                # else the first build is the background indexer's, under way
        except Exception:  # the write succeeded; the background indexer will retry
            log.exception("indexing after a write failed; left to the background indexer")
        indexer.notify()

    @app.middleware("http")
    async def _after_write(request: Request, call_next):  # type: ignore[no-untyped-def]
        response = await call_next(request)
        if request.method in {"POST", "PUT", "PATCH", "DELETE"} and response.status_code < 400:
            await run_in_threadpool(catch_up)
        return response


def body_limits(settings: Settings) -> BodyLimits:
    """The bound on each request body: ``RCPHUB_MAX_BODY_KB`` for every form and JSON body;
    the routes that take files keep the bounds of what they take — a document upload (page
    and API, a contributor's proposal too) that of a whole upload request
    (:func:`rcphub.documents.submission.request_limit`: its files at ``RCPHUB_MAX_UPLOAD_MB``
    and a megabyte for the form), a CSV import its 20 MB."""
    from rcphub.api.followup import MAX_CSV_BYTES
    from rcphub.documents.submission import request_limit

    upload = request_limit(settings)
    return BodyLimits(
        default=settings.max_body_kb * 1024,
        routes={
            ("POST", urls.upload()): upload,
            ("POST", "/api/v1/documents"): upload,
            ("POST", "/api/v1/followup/items.csv"): MAX_CSV_BYTES,
            ("POST", "/api/v1/followup/updates.csv"): MAX_CSV_BYTES,
        },
    )


async def _refuse_large_body(scope: Scope, limit: int) -> Response:
    """The 413 of :class:`~rcphub.bodylimit.BodyLimit`: the error envelope or page."""
    from starlette.concurrency import run_in_threadpool

    message = f"the request is larger than the hub accepts here ({describe(limit)} at most)"
    request = Request(scope)
    return await run_in_threadpool(_error_response, request, 413, TooLarge.code, message)


def _refuse_control_characters(app: FastAPI) -> None:
    """No ID, filter or query of the hub contains control characters; answer 422 before they
    reach a database that may reject them with an error of its own (PostgreSQL and NUL)."""
    from urllib.parse import unquote

    @app.middleware("http")
    async def _check(request: Request, call_next):  # type: ignore[no-untyped-def]
        raw = unquote(request.url.path) + unquote(request.url.query)
        if any(ord(char) < 32 for char in raw):
            return _error_response(
                request, 422, InvalidInput.code, "the address contains control characters"
            )
        return await call_next(request)


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _error_response(request: Request, status: int, code: str, message: str) -> Response:
    if _wants_json(request):
        return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)
    from rcphub.web.pages import render_error_page

    return render_error_page(request, status, code, message)


def _to_sign_in(request: Request) -> Response:
    """A page that needs a signed-in visitor sends an anonymous one to sign in, and back."""
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(urls.sign_in(next=target), status_code=303)


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(RcphubError)
    async def _domain_error(request: Request, exc: RcphubError) -> Response:
        status = exc.http_status if exc.http_status < 500 else 500
        if status >= 500:
            log.error("error serving %s: %s", request.url.path, exc.message)
        if (
            isinstance(exc, Unauthenticated)
            and not _wants_json(request)
            and request.method in ("GET", "HEAD")
        ):
            return _to_sign_in(request)
        response = _error_response(request, status, exc.code, exc.message)
        if isinstance(exc, Unauthenticated) and _wants_json(request):
            response.headers["WWW-Authenticate"] = 'Bearer realm="rcphub"'
        if isinstance(exc, TooManyAttempts):
            response.headers["Retry-After"] = str(exc.retry_after)
        return response

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError) -> Response:
        problems = []
        for error in exc.errors():
            where = ".".join(str(part) for part in error.get("loc", ()) if part != "query")
            problems.append(f"{where}: {error.get('msg', 'invalid')}")
        message = "invalid parameters: " + "; ".join(problems)
        return _error_response(request, 422, InvalidInput.code, message)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        code = NotFound.code if exc.status_code == 404 else f"http_{exc.status_code}"
        message = "no such page or resource" if exc.status_code == 404 else str(exc.detail)
        return _error_response(request, exc.status_code, code, message)

    @app.exception_handler(OperationalError)
    @app.exception_handler(InterfaceError)
    async def _database_unavailable(request: Request, exc: Exception) -> Response:
        """The database cannot be reached (or, on SQLite, stayed locked past the busy
        timeout): 503 with Retry-After and one line in the log, no traceback. Handled here,
        not by the catch-all below, which Starlette logs a second time."""
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0][:200]
        log.warning("database unavailable serving %s: %s", request.url.path, reason)
        response = _error_response(
            request,
            503,
            "unavailable",
            "the hub's database cannot be reached just now; try again shortly",
        )
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error serving %s", request.url.path)
        return _error_response(request, 500, "internal", "internal error; it has been logged")
