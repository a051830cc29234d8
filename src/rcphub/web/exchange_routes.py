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

from rcphub import feeds, registry
from rcphub.accounts import Action
from rcphub.accounts.policy import Outcome, Principal, decide
from rcphub.config import LANGUAGES
from rcphub.dependencies import get_session
from rcphub.errors import InvalidInput, NotFound, Unauthenticated
from rcphub.exchange import FollowOut
from rcphub.exchange import follows as follow_service
from rcphub.exchange import updates as update_service
from rcphub.feeds import content
from rcphub.security import CurrentPrincipal
from rcphub.web.account_routes import safe_next
from rcphub.web.feed_routes import EntryWriter
from rcphub.web.routes import lookup, renderer, tools_for
from rcphub.web.templating import PageTools

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
MAX_FIELD = update_service.MAX_BODY


def may_publish(principal: Principal, process_id: str) -> bool:
    return decide(principal, Action.UPDATE_PUBLISH, [process_id]).outcome is Outcome.ALLOW


def followed(request: Request, session: Session, kind: str, target: str) -> FollowOut | None:
    """The visitor's follow of this subject, if they are signed in and follow it."""
    principal: Principal = request.state.principal
    if not principal.authenticated or principal.user_id is None:
        return None
    return next(
        (
            f
            for f in follow_service.list_follows(session, principal)
            if f.kind == kind and f.target == target
        ),
        None,
    )


def process_exchange(request: Request, session: Session, process_id: str) -> dict[str, Any]:
    """What the process page shows of the exchange: its latest updates the visitor may read,
    whether they may publish one, and whether they follow the process."""
    principal: Principal = request.state.principal
    return {
        "updates": content.visible_process_updates(session, principal, process=process_id, limit=5),
        "may_publish": may_publish(principal, process_id),
        "following": followed(request, session, "process", process_id),
    }


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
    return RedirectResponse(f"/updates/{published.id}", status_code=303)


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
    return RedirectResponse(f"/processes/{update.process}", status_code=303)


# ---------------------------------------------------------------------------- follows


@router.post("/follows")
def follow_add(
    request: Request,
    principal: CurrentPrincipal,
    kind: Annotated[str, Form(max_length=20)] = "",
    target: Annotated[str, Form(max_length=2000)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/account",
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
    next: Annotated[str, Form(max_length=2000)] = "/account",
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
    return RedirectResponse("/account#digests", status_code=303)


def account_exchange(session: Session, principal: Principal) -> dict[str, Any]:
    """What the account page shows of the exchange: follows and digest settings."""
    return {
        "follows": follow_service.list_follows(session, principal),
        "preferences": follow_service.get_preferences(session, principal),
        "languages": LANGUAGES,
    }


# ---------------------------------------------------------------------------- what's new


ITEM_KINDS = {
    feeds.DocumentItem: "document",
    feeds.PassageItem: "passage",
    feeds.UpdateItem: "followup",
    feeds.ProcessUpdateItem: "update",
    feeds.MeetingItem: "meeting",
}


def kind_label(tools: PageTools, item: feeds.FeedItem) -> str:
    _ = tools.gettext
    return {
        "document": _("Document"),
        "passage": _("Search result"),
        "followup": _("Follow-up update"),
        "update": _("Update"),
        "meeting": _("Meeting"),
    }[ITEM_KINDS[type(item)]]


def worded(session: Session, tools: PageTools, base: str, items: list[feeds.FeedItem]) -> list:  # type: ignore[type-arg]
    """Items as (kind label, Atom entry) pairs worded in ``tools``' language; links start with
    ``base`` (empty: relative links, for pages)."""
    host = "localhost"
    writer = EntryWriter(session, tools, base, host, items)
    return [(kind_label(tools, item), writer.entry(item)) for item in items]


@router.get("/whats-new")
def whats_new(request: Request, principal: CurrentPrincipal, session: SessionDep) -> Response:
    if not principal.authenticated:
        raise Unauthenticated("sign in first")
    found = follow_service.whats_new(session, request.app.state.search, principal)
    tools = tools_for(request)
    return renderer(request).render(
        request,
        "whats_new.html",
        {
            "since": found.since,
            "entries": worded(session, tools, "", found.items),
            "follows": found.follows,
            "unavailable": found.unavailable,
        },
    )


@router.post("/whats-new/seen")
def whats_new_seen(request: Request, principal: CurrentPrincipal) -> Response:
    if not principal.authenticated:
        raise Unauthenticated("sign in first")
    with request.app.state.database.session() as session:
        follow_service.mark_seen(session, principal)
    return RedirectResponse("/whats-new", status_code=303)
