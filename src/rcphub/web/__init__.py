"""Server-rendered pages in the six UN languages, their static files and translations.

:func:`mount_web` adds the page routes and ``/static`` to an app. What the route modules share
(the renderer, lookups, the error page the app's handlers call) is :mod:`rcphub.web.pages`.
"""

from __future__ import annotations

from fastapi import APIRouter, FastAPI
from fastapi.staticfiles import StaticFiles

__all__ = ["mount_web", "page_routers"]


def page_routers() -> list[APIRouter]:
    """The routers of the pages, in the order they are mounted: where a fixed path and a path
    with a parameter could both match an address (``/meetings/{ident}.ics`` and
    ``/meetings/{ident}``, ``/documents/upload`` and ``/documents/{ident}``), the fixed one
    comes first. ``tests/test_web_routing.py`` checks that no page is taken by an earlier one."""
    from rcphub.web.account_routes import router as account_router
    from rcphub.web.analytics import router as analytics_router
    from rcphub.web.api_docs import router as api_docs_router
    from rcphub.web.candidate_routes import router as candidate_router
    from rcphub.web.document_routes import router as document_router
    from rcphub.web.editing_routes import router as editing_router
    from rcphub.web.exchange_routes import router as exchange_router
    from rcphub.web.feed_routes import router as feed_router
    from rcphub.web.followup_routes import router as followup_router
    from rcphub.web.people_routes import router as people_router
    from rcphub.web.registry_routes import router as registry_router
    from rcphub.web.report_routes import router as report_router
    from rcphub.web.search_routes import router as search_router
    from rcphub.web.tag_routes import router as tag_router
    from rcphub.web.upload_routes import router as upload_router
    from rcphub.web.webhook_routes import router as webhook_router

    return [
        api_docs_router,
        feed_router,
        registry_router,
        account_router,
        webhook_router,
        exchange_router,
        editing_router,
        people_router,
        analytics_router,
        upload_router,
        candidate_router,
        followup_router,
        report_router,
        tag_router,
        document_router,
        search_router,
    ]


def mount_web(app: FastAPI) -> None:
    """Add the pages and ``/static`` to ``app``; compile catalogues and templates once."""
    from rcphub.web.analytics import AnalyticsCache
    from rcphub.web.pages import STATIC_DIR
    from rcphub.web.templating import Renderer

    app.state.web_renderer = Renderer(app.state.settings.default_language)
    app.state.web_analytics_cache = AnalyticsCache()
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    for router in page_routers():
        app.include_router(router)
