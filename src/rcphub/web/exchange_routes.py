"""Pages of the exchange: a process's updates (publish, read, withdraw), follows and digest
settings on the account page, and "What's new" for a signed-in user.

Forms are POSTs that :func:`rcphub.security.request_guard` has checked for the CSRF token;
every change goes through :mod:`rcphub.exchange`, which asks the policy and writes the audit
entry. Reads of updates and of what is new go through :mod:`rcphub.feeds.content`.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from rcphub import feeds, registry, urls
from rcphub.accounts import Action
from rcphub.accounts.policy import Principal
from rcphub.config import LANGUAGES
from rcphub.dependencies import get_session
from rcphub.errors import InvalidInput, NotFound, Unauthenticated
from rcphub.exchange import follows as follow_service
from rcphub.exchange import updates as update_service
from rcphub.feeds import content
from rcphub.security import CurrentPrincipal
from rcphub.web.pages import lookup, may_publish, renderer, safe_next, tools_for
from rcphub.wording.entries import worded
from rcphub.wording.follows import follow_views

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
MAX_FIELD = update_service.MAX_BODY


# ---------------------------------------------------------------------------- updates


def _update_form(
    request: Request,
    process,  # type: ignore[no-untyped-def]
    *,
    values: dict[str, Any] | None = None,
    problem: str | None = None,
    status: int = 200,
) -> Response:
    return renderer(request).render(
        request,
        "update_form.html",
        {
            "p": process,
            "values": values or {},
            "problem": problem,
            "languages": LANGUAGES,
        },
        status=status,
        section="processes",
    )


@router.get("/processes/{ident}/updates/new")
def update_new(
    request: Request, ident: str, principal: CurrentPrincipal, session: SessionDep
) -> Response:
    process = lookup(request, registry.get_process, session, ident)
    if not principal.authenticated:
        raise Unauthenticated("sign in first")
    from rcphub.accounts import authorize

    authorize(principal, Action.UPDATE_PUBLISH, [process.id])
    return _update_form(request, process, values={"visibility": "public"})


@router.post("/processes/{ident}/updates")
async def update_publish(request: Request, ident: str, principal: CurrentPrincipal) -> Response:
    form = await request.form()
    values = {k: v for k, v in form.items() if isinstance(v, str) and k != "csrf_token"}
    if any(len(v) > MAX_FIELD for v in values.values()):
        raise InvalidInput("a field of the form is too long")
    titles = {lang: values.get(f"title_{lang}", "") for lang in LANGUAGES}
    bodies = {lang: values.get(f"body_{lang}", "") for lang in LANGUAGES}
    links = values.get("links", "").split()
    database = request.app.state.database
    with database.session() as session:
        process = lookup(request, registry.get_process, session, ident)
    try:
        with database.session() as session:
            published = update_service.publish_update(
                session,
                principal,
                process.id,
                titles,
                bodies,
                links,
                values.get("visibility", "public"),
            )
    except (InvalidInput, NotFound) as exc:
        return _update_form(request, process, values=values, problem=exc.message, status=422)
    return RedirectResponse(urls.update(published.id), status_code=303)


@router.get("/updates/{update_id}")
def update_page(
    request: Request, update_id: int, principal: CurrentPrincipal, session: SessionDep
) -> Response:
    update = content.process_update(session, principal, update_id)
    process = registry.get_process(session, update.process)
    documents = _linked_documents(session, update.links, principal)
    meetings = [m for m in process.meetings if f"meeting:{m.id}" in update.links] + _other_meetings(
        session, update.links, {m.id for m in process.meetings}
    )
    return renderer(request).render(
        request,
        "update.html",
        {
            "u": update,
            "p": process,
            "documents": documents,
            "meetings": meetings,
            "may_publish": may_publish(principal, process.id),
        },
        section="processes",
    )


def _linked_documents(session: Session, links: list[str], reader: Principal) -> list:  # type: ignore[type-arg]
    """The linked documents the reader may open (a member: restricted ones of the process)."""
    from rcphub.documents import document_summaries

    ids = [link[9:] for link in links if link.startswith("document:")]
    visible = feeds.content.visible_documents(session, ids, reader)
    summaries = document_summaries(session, [i for i in ids if i in visible])
    return [summaries[i] for i in ids if i in summaries]


def _other_meetings(session: Session, links: list[str], known: set[str]) -> list:  # type: ignore[type-arg]
    found = []
    for link in links:
        if link.startswith("meeting:") and link[8:] not in known:
            try:
                found.append(registry.get_meeting(session, link[8:]))
            except NotFound:
                continue
    return found


@router.post("/updates/{update_id}/withdraw")
def update_withdraw(request: Request, update_id: int, principal: CurrentPrincipal) -> Response:
    with request.app.state.database.session() as session:
        update = content.process_update(session, principal, update_id)
        update_service.withdraw_update(session, principal, update_id)
    return RedirectResponse(urls.process(update.process), status_code=303)


# ---------------------------------------------------------------------------- follows


@router.post("/follows")
def follow_add(
    request: Request,
    principal: CurrentPrincipal,
    kind: Annotated[str, Form(max_length=20)] = "",
    target: Annotated[str, Form(max_length=2000)] = "",
    next: Annotated[str, Form(max_length=2000)] = urls.account(),
) -> Response:
    if not principal.authenticated:
        raise Unauthenticated("sign in first")
    with request.app.state.database.session() as session:
        follow_service.follow(session, principal, kind, target)
    return RedirectResponse(safe_next(next), status_code=303)


@router.post("/follows/{follow_id}/delete")
def follow_remove(
    request: Request,
    principal: CurrentPrincipal,
    follow_id: int,
    next: Annotated[str, Form(max_length=2000)] = urls.account(),
) -> Response:
    if not principal.authenticated:
        raise Unauthenticated("sign in first")
    with request.app.state.database.session() as session:
        follow_service.unfollow(session, principal, follow_id)
    return RedirectResponse(safe_next(next), status_code=303)


@router.post("/account/preferences")
def preferences_save(
    request: Request,
    principal: CurrentPrincipal,
    email: Annotated[str, Form(max_length=254)] = "",
    language: Annotated[str, Form(max_length=5)] = "",
    digest: Annotated[str, Form(max_length=10)] = "off",
) -> Response:
    if not principal.authenticated:
        raise Unauthenticated("sign in first")
    with request.app.state.database.session() as session:
        follow_service.set_preferences(
            session, principal, email=email, language=language, digest=digest
        )
    return RedirectResponse(urls.account(fragment="digests"), status_code=303)


# ---------------------------------------------------------------------------- what's new


@router.get("/whats-new")
def whats_new(request: Request, principal: CurrentPrincipal, session: SessionDep) -> Response:
    if not principal.authenticated:
        raise Unauthenticated("sign in first")
    found = follow_service.whats_new(session, request.app.state.search, principal)
    tools = tools_for(request)
    views = follow_views(session, tools, [(f.kind, f.target) for f in found.follows], found.follows)
    return renderer(request).render(
        request,
        "whats_new.html",
        {
            "since": found.since,
            "entries": worded(session, tools, "", found.items),
            "follows": found.follows,
            "follow_views": views,
            "unavailable": [v for v in views if f"{v.kind}:{v.target}" in found.unavailable],
        },
    )


@router.post("/whats-new/seen")
def whats_new_seen(request: Request, principal: CurrentPrincipal) -> Response:
    if not principal.authenticated:
        raise Unauthenticated("sign in first")
    with request.app.state.database.session() as session:
        follow_service.mark_seen(session, principal)
    return RedirectResponse(urls.whats_new(), status_code=303)
