"""``GET /api/v1/search``: thin, over :class:`~rcphub.search.service.SearchService`.

Included under ``/api/v1`` like the other API routers; the service is built once per
application from its settings (``app.state.search``).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy.orm import Session

from rcphub.dependencies import get_session
from rcphub.search.schemas import DEFAULT_MODE, MAX_LIMIT, SearchMode, SearchQuery, search_payload
from rcphub.search.service import SearchService
from rcphub.security import CurrentPrincipal

router = APIRouter(tags=["search"])
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
Repeatable = Annotated[list[str] | None, Query(max_length=200)]


def get_search_service(request: Request) -> SearchService:
    """The application's search service (built by :func:`rcphub.app.create_app`)."""
    return request.app.state.search


@router.get("/search", summary="Search passages (keyword, semantic, hybrid) with facets")
def search(
    session: SessionDep,
    principal: CurrentPrincipal,
    service: Annotated[SearchService, Depends(get_search_service)],
    q: Annotated[str, Query(max_length=2000, description="Query; see the syntax help")] = "",
    mode: Annotated[SearchMode, Query(description="keyword, semantic or hybrid")] = DEFAULT_MODE,
    lang: Repeatable = None,
    process: Repeatable = None,
    state: Repeatable = None,
    org: Repeatable = None,
    theme: Repeatable = None,
    type: Repeatable = None,
    year: Repeatable = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 20,
    offset: Annotated[int, Query(ge=0, le=1000)] = 0,
) -> dict[str, Any]:
    query = SearchQuery(
        q=q,
        mode=mode,
        lang=lang or [],
        process=process or [],
        state=state or [],
        org=org or [],
        theme=theme or [],
        type=type or [],
        year=year or [],
        limit=limit,
        offset=offset,
    )
    return search_payload(service.search(session, query, principal))
