"""Pages of accounts: sign in and out, one's account and API tokens, proposals to decide,
and the audit log for admins.

Every form here is a POST that :func:`rcphub.security.request_guard` has already checked for
the CSRF token; every change asks the policy through the account services.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from rcphub import audit, registry, urls
from rcphub.accounts import Action, authorize
from rcphub.accounts.sessions import sign_in, sign_out
from rcphub.accounts.tokens import create_token, list_tokens, revoke_token
from rcphub.accounts.users import grants_of
from rcphub.csvfile import MEDIA_TYPE
from rcphub.dependencies import get_ingestor
from rcphub.documents import proposals
from rcphub.errors import TooManyAttempts, Unauthenticated
from rcphub.security import (
    ANON_CSRF_COOKIE,
    SESSION_COOKIE,
    CurrentPrincipal,
    client_address,
    secure_cookie,
)
from rcphub.web.pages import account_exchange, renderer, safe_next, tools_for

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
AUDIT_PAGE = 100


def _sign_in_page(
    request: Request,
    *,
    next_path: str,
    username: str = "",
    problem: str | None = None,
    status: int = 200,
) -> Response:
    return renderer(request).render(
        request,
        "sign_in.html",
        {"next_path": safe_next(next_path), "username": username, "problem": problem},
        status=status,
    )


@router.get("/sign-in")
def sign_in_form(
    request: Request,
    principal: CurrentPrincipal,
    next: Annotated[str | None, Query(max_length=2000)] = None,
) -> Response:
    if principal.authenticated:
        return RedirectResponse(safe_next(next), status_code=303)
    return _sign_in_page(request, next_path=next or urls.home())


@router.post("/sign-in")
async def sign_in_submit(
    request: Request,
    username: Annotated[str, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=2000)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    _ = tools_for(request).gettext
    try:
        signed_in = await run_in_threadpool(
            sign_in,
            request.app.state.database,
            username,
            password,
            address=client_address(request),
            user_agent=request.headers.get("user-agent", ""),
        )
    except Unauthenticated:
        return _sign_in_page(
            request,
            next_path=next,
            username=username[:64],
            problem=_("Wrong username or password."),
            status=401,
        )
    except TooManyAttempts as refused:
        minutes = max(1, (refused.retry_after + 59) // 60)
        response = _sign_in_page(
            request,
            next_path=next,
            username=username[:64],
            problem=_("Too many failed attempts to sign in. Try again in %(num)s minutes.")
            % {"num": minutes},
            status=429,
        )
        response.headers["Retry-After"] = str(refused.retry_after)
        return response
    response = RedirectResponse(safe_next(next), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        signed_in.cookie,
        max_age=request.app.state.settings.session_hours * 3600,
        httponly=True,
        samesite="lax",
        secure=secure_cookie(request),
        path="/",
    )
    response.delete_cookie(ANON_CSRF_COOKIE, path="/")
    return response


@router.post("/sign-out")
def sign_out_submit(request: Request, principal: CurrentPrincipal) -> Response:
    cookie = request.cookies.get(SESSION_COOKIE, "")
    if principal.authenticated:
        with request.app.state.database.session() as session:
            sign_out(session, cookie, principal)
    response = RedirectResponse(urls.home(), status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


# ---------------------------------------------------------------------------- account


def _account_page(
    request: Request, principal, *, new_secret: str | None = None, status: int = 200
) -> Response:
    if not principal.authenticated:
        raise Unauthenticated("sign in first")
    with request.app.state.database.session() as session:
        tokens = list_tokens(session, principal.username)
        grants = grants_of(session, principal.user_id)
        exchange = account_exchange(session, principal, tools_for(request))
        names = {
            p.id: p.names
            for p in registry.list_processes(session, include_listed_only=True)
            if any(g.process == p.id for g in grants)
        }
    return renderer(request).render(
        request,
        "account.html",
        {
            "tokens": tokens,
            "grants": grants,
            "process_names": names,
            "new_secret": new_secret,
            **exchange,
        },
        status=status,
    )


@router.get("/account")
def account(request: Request, principal: CurrentPrincipal) -> Response:
    return _account_page(request, principal)


@router.post("/account/tokens")
def account_token_create(
    request: Request,
    principal: CurrentPrincipal,
    name: Annotated[str, Form(max_length=100)] = "",
    scope: Annotated[str, Form(pattern="^(read|write)$")] = "read",
) -> Response:
    if not principal.authenticated:
        raise Unauthenticated("sign in first")
    with request.app.state.database.session() as session:
        created = create_token(session, principal, principal.username, name, scope)
    return _account_page(request, principal, new_secret=created.secret, status=201)


@router.post("/account/tokens/{token_id}/revoke")
def account_token_revoke(request: Request, principal: CurrentPrincipal, token_id: int) -> Response:
    if not principal.authenticated:
        raise Unauthenticated("sign in first")
    with request.app.state.database.session() as session:
        revoke_token(session, principal, token_id)
    return RedirectResponse(urls.account(), status_code=303)


# ---------------------------------------------------------------------------- proposals


@router.get("/proposals")
def proposals_page(request: Request, principal: CurrentPrincipal) -> Response:
    if not principal.authenticated:
        raise Unauthenticated("sign in first")
    with request.app.state.database.session() as session:
        pending = proposals.list_proposals(session, principal)
        every = proposals.list_proposals(session, principal, status=None)
    decided = [p for p in every if p.status != "pending"][:20]
    return renderer(request).render(
        request,
        "proposals.html",
        {"proposals": pending, "decided": decided},
        section="documents",
    )


@router.post("/proposals/{proposal_id}/approve")
async def proposal_approve(
    request: Request, principal: CurrentPrincipal, proposal_id: int
) -> Response:
    from rcphub.editing.proposals import approve_proposal

    database = request.app.state.database
    info = await run_in_threadpool(
        approve_proposal, database, get_ingestor(request), principal, proposal_id
    )
    if info.document_id:
        return RedirectResponse(urls.document(info.document_id), status_code=303)
    return RedirectResponse(urls.proposals(fragment=f"proposal-{info.id}"), status_code=303)


@router.post("/proposals/{proposal_id}/reject")
def proposal_reject(
    request: Request,
    principal: CurrentPrincipal,
    proposal_id: int,
    note: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    proposals.reject(request.app.state.database, principal, proposal_id, note)
    return RedirectResponse(urls.proposals(), status_code=303)


# ---------------------------------------------------------------------------- audit


@router.get("/admin/audit")
def audit_page(
    request: Request,
    principal: CurrentPrincipal,
    action: Annotated[str | None, Query(max_length=60)] = None,
    actor: Annotated[str | None, Query(max_length=120)] = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    authorize(principal, Action.AUDIT_VIEW)
    with request.app.state.database.session() as session:
        total, entries = audit.list_entries(
            session,
            action=action or None,
            actor=actor or None,
            limit=AUDIT_PAGE,
            offset=(page - 1) * AUDIT_PAGE,
        )
    return renderer(request).render(
        request,
        "audit.html",
        {
            "entries": entries,
            "total": total,
            "page": page,
            "pages": max(1, (total + AUDIT_PAGE - 1) // AUDIT_PAGE),
            "action": action or "",
            "actor": actor or "",
        },
    )


@router.get("/admin/audit.{fmt}")
def audit_export(
    request: Request,
    principal: CurrentPrincipal,
    fmt: str,
    action: Annotated[str | None, Query(max_length=60)] = None,
    actor: Annotated[str | None, Query(max_length=120)] = None,
) -> Response:
    authorize(principal, Action.AUDIT_VIEW)
    if fmt not in ("csv", "json"):
        from starlette.exceptions import HTTPException

        raise HTTPException(404)
    with request.app.state.database.session() as session:
        _total, entries = audit.list_entries(
            session, action=action or None, actor=actor or None, limit=None
        )
    if fmt == "csv":
        body, media = audit.export_csv(entries), MEDIA_TYPE
    else:
        body, media = audit.export_json(entries), "application/json"
    return PlainTextResponse(
        body,
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="rcphub-audit.{fmt}"'},
    )
