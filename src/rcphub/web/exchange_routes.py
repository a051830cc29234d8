"""Pages of the exchange: a process's updates (publish, read, withdraw), follows and digest
settings on the account page, and "What's new" for a signed-in user.

Forms are POSTs that :func:`rcphub.security.request_guard` has checked for the CSRF token;
every change goes through :mod:`rcphub.exchange`, which asks the policy and writes the audit
entry. Reads of updates and of what is new go through :mod:`rcphub.feeds.content`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import parse_qsl

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup, escape
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


@dataclass(frozen=True)
class FollowView:
    """A follow as pages and digests show it: by name in the page language, not by ID."""

    follow: FollowOut | None
    kind: str
    target: str
    href: str
    html: Markup  # the name, an English stand-in marked as such; a search's words and filters
    text: str  # the same as plain text (e-mail)


SUBJECT_PAGES = {"process": "/processes/{}", "state": "/countries/{}"}
Known = dict[tuple[str, str], tuple[dict[str, str], str | None]]


def _search_filters(target: str) -> list[tuple[str, str]]:
    return [(k, v) for k, v in parse_qsl(target) if k not in ("q", "mode")]


def follow_views(
    session: Session, tools: PageTools, subjects: list[tuple[str, str]], follows=None
) -> list[FollowView]:  # type: ignore[no-untyped-def]
    """``subjects`` (``(kind, target)``) named in ``tools``' language: "Bali Process",
    "Maroc", a theme's title; a search by its words and its filters, themselves named."""
    wanted = list(subjects)
    for kind, target in subjects:
        if kind == "search":
            wanted += [
                ("process" if k == "process" else "state", v)
                for k, v in _search_filters(target)
                if k in ("process", "state")
            ]
    known = follow_service.subject_names(session, wanted)
    rows = list(follows) if follows is not None else [None] * len(subjects)
    return [
        _follow_view(tools, kind, target, known, row)
        for (kind, target), row in zip(subjects, rows, strict=True)
    ]


def _named(tools: PageTools, kind: str, target: str, known: Known) -> tuple[Markup, str]:
    names, acronym = known.get((kind, target), ({}, None))
    picked = tools.pick(names)
    if picked is None:
        return Markup('<code dir="ltr">{}</code>').format(target), target
    text = picked.text
    if acronym and acronym not in text:
        text = f"{text} ({acronym})"
    html = tools.name(names, target)
    if acronym and acronym not in picked.text:
        html += Markup(' <span dir="ltr">({})</span>').format(acronym)
    return html, text


def _follow_view(
    tools: PageTools, kind: str, target: str, known: Known, row: FollowOut | None
) -> FollowView:
    _ = tools.gettext
    if kind == "search":
        words = " ".join(v for k, v in parse_qsl(target) if k == "q")
        parts_html: list[Markup] = []
        parts_text: list[str] = []
        if words:
            parts_html.append(Markup("<q>{}</q>").format(words))
            parts_text.append(f"“{words}”")
        for key, value in _search_filters(target):
            if key in ("process", "state"):
                html, text = _named(tools, key, value, known)
            elif key == "language" and value in LANGUAGES:
                text = tools.language_name(value)
                html = escape(text)
            else:
                html, text = Markup('<span dir="ltr">{}</span>').format(value), value
            what = label_text(tools, key)
            parts_html.append(Markup("{}: {}").format(what, html))
            parts_text.append(f"{what}: {text}")
        html = Markup(", ").join(parts_html) or escape(_("everything"))
        text = ", ".join(parts_text) or _("everything")
        return FollowView(row, kind, target, f"/search?{target}", html, text)
    html, text = _named(tools, kind, target, known)
    if kind == "theme":
        scheme, _sep, code = target.partition("/")
        href = f"/taxonomies/{scheme}#c-{code}"
    else:
        href = SUBJECT_PAGES[kind].format(target)
    return FollowView(row, kind, target, href, html, text)


def label_text(tools: PageTools, key: str) -> str:
    """The name of a search filter in the page language."""
    _ = tools.gettext
    return {
        "process": _("Process"),
        "state": _("Country"),
        "org": _("Organisation"),
        "theme": _("Theme"),
        "language": _("Language"),
        "type": _("Type"),
        "year": _("Year"),
    }.get(key, key)


def account_exchange(
    session: Session, principal: Principal, tools: PageTools | None = None
) -> dict[str, Any]:
    """What the account page shows of the exchange: follows (by name) and digest settings."""
    follows = follow_service.list_follows(session, principal)
    views = (
        follow_views(session, tools, [(f.kind, f.target) for f in follows], follows)
        if tools is not None
        else []
    )
    return {
        "follows": follows,
        "follow_views": views,
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
    return RedirectResponse("/whats-new", status_code=303)
