"""Server-rendered pages in the six UN languages, their static files and translations.

:func:`mount_web` adds the page routes and ``/static`` to an app; :func:`render_error_page`
is what the app's error handlers call for anything outside ``/api/``.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import PlainTextResponse, Response
from fastapi.staticfiles import StaticFiles

from rcphub.errors import NotFound

__all__ = ["STATIC_DIR", "mount_web", "render_error_page"]

STATIC_DIR = Path(__file__).parent / "static"

# NotFound.kind → where a suggested identifier lives
_SUGGESTION_PATHS = {
    "process": "/processes/{}",
    "state": "/countries/{}",
    "meeting": "/meetings/{}",
    "taxonomy": "/taxonomies/{}",
    "region": "/countries?region={}",
    "document": "/documents/{}",
}
# on an analytics page, the suggestions lead to analytics pages
_ANALYTICS_SUGGESTION_PATHS = {
    "process": "/analytics/processes/{}",
    "state": "/analytics/countries/{}",
}


def mount_web(app: FastAPI) -> None:
    """Add the pages and ``/static`` to ``app``; compile catalogues and templates once."""
    from rcphub.web.account_routes import router as account_router
    from rcphub.web.analytics import AnalyticsCache
    from rcphub.web.analytics import router as analytics_router
    from rcphub.web.api_docs import router as api_docs_router
    from rcphub.web.candidate_routes import router as candidate_router
    from rcphub.web.document_routes import router as document_router
    from rcphub.web.editing_routes import router as editing_router
    from rcphub.web.exchange_routes import router as exchange_router
    from rcphub.web.feed_routes import router as feed_router
    from rcphub.web.followup_routes import router as followup_router
    from rcphub.web.people_routes import router as people_router
    from rcphub.web.report_routes import router as report_router
    from rcphub.web.routes import router
    from rcphub.web.search_routes import router as search_router
    from rcphub.web.tag_routes import router as tag_router
    from rcphub.web.templating import Renderer
    from rcphub.web.upload_routes import router as upload_router
    from rcphub.web.webhook_routes import router as webhook_router

    app.state.web_renderer = Renderer(app.state.settings.default_language)
    app.state.web_analytics_cache = AnalyticsCache()
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.include_router(api_docs_router)
    app.include_router(feed_router)  # before /meetings/{ident}
    app.include_router(router)
    app.include_router(account_router)
    app.include_router(webhook_router)
    app.include_router(exchange_router)
    app.include_router(editing_router)
    app.include_router(people_router)
    app.include_router(analytics_router)
    app.include_router(upload_router)  # before /documents/{ident}
    app.include_router(candidate_router)
    app.include_router(followup_router)
    app.include_router(report_router)
    app.include_router(tag_router)
    app.include_router(document_router)
    app.include_router(search_router)


def render_error_page(request: Request, status: int, code: str, message: str) -> Response:
    """A readable error page in the visitor's language; for an unknown identifier, links to
    the identifiers it may have meant."""
    web = getattr(request.app.state, "web_renderer", None)
    if web is None:  # the pages are not mounted: say it plainly
        return PlainTextResponse(f"{status} {message}", status_code=status)
    not_found = getattr(request.state, "not_found", None)
    suggestions = []
    if isinstance(not_found, NotFound) and status == 404:
        paths = _SUGGESTION_PATHS
        if request.url.path.startswith("/analytics/"):
            paths = {**paths, **_ANALYTICS_SUGGESTION_PATHS}
        pattern = paths.get(not_found.kind)
        if pattern:
            suggestions = [(s, pattern.format(quote(s, safe=""))) for s in not_found.suggestions]
    return web.render(
        request,
        "error.html",
        {"status": status, "code": code, "message": message, "suggestions": suggestions},
        status=status,
    )
