"""The webhooks page (``/admin/webhooks``): register, remove, the recent deliveries, redeliver.

For admins and secretariats (who see the webhooks of their processes); the forms are POSTs that
:func:`rcphub.security.request_guard` has checked for the CSRF token.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from rcphub import urls
from rcphub.accounts import Principal
from rcphub.errors import Unauthenticated
from rcphub.security import CurrentPrincipal
from rcphub.web.pages import renderer
from rcphub.webhooks import service
from rcphub.webhooks.events import EVENT_TYPES

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
RECENT = 50


def _page(
    request: Request,
    principal: Principal,
    *,
    new=None,
    status: int = 200,  # type: ignore[no-untyped-def]
) -> Response:
    if not principal.authenticated:
        raise Unauthenticated("sign in first")
    with request.app.state.database.session() as session:
        subscriptions = service.list_subscriptions(session, principal)
        deliveries = service.list_deliveries(session, principal, limit=RECENT)
    return renderer(request).render(
        request,
        "webhooks.html",
        {
            "subscriptions": subscriptions,
            "deliveries": deliveries,
            "event_types": list(EVENT_TYPES),
            "new": new,
        },
        status=status,
    )


@router.get("/admin/webhooks")
def webhooks_page(request: Request, principal: CurrentPrincipal) -> Response:
    return _page(request, principal)


@router.post("/admin/webhooks")
def webhooks_add(
    request: Request,
    principal: CurrentPrincipal,
    url: Annotated[str, Form(max_length=2000)] = "",
    events: Annotated[list[str] | None, Form(max_length=20)] = None,
    process: Annotated[str, Form(max_length=80)] = "",
    state: Annotated[str, Form(max_length=3)] = "",
    description: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    if not principal.authenticated:
        raise Unauthenticated("sign in first")
    with request.app.state.database.session() as session:
        made = service.add_subscription(
            session,
            request.app.state.settings,
            principal,
            url,
            event_types=events or [],
            process=process,
            state=state,
            description=description,
        )
    return _page(request, principal, new=made, status=201)


@router.post("/admin/webhooks/{webhook_id}/remove")
def webhooks_remove(
    request: Request,
    principal: CurrentPrincipal,
    webhook_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
) -> Response:
    with request.app.state.database.session() as session:
        service.remove_subscription(session, principal, webhook_id)
    return RedirectResponse(urls.admin_webhooks(), status_code=303)


@router.post("/admin/webhooks/deliveries/{delivery_id}/redeliver")
def webhooks_redeliver(
    request: Request,
    principal: CurrentPrincipal,
    delivery_id: Annotated[str, Path(max_length=40)],
) -> Response:
    with request.app.state.database.session() as session:
        service.redeliver(session, principal, delivery_id)
    return RedirectResponse(urls.admin_webhooks(), status_code=303)
