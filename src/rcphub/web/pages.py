"""What the page route modules share: the renderer and the page tools of a request, looking a
record up (with "did you mean" suggestions for the error page), canonical redirects, the error
page itself, what a form's handler does first (:func:`signed_in`, :func:`form_values`), and the
pieces more than one page shows (the exchange on a process page and the account page, link
names, process lists).

Route modules import this module and never each other; :mod:`rcphub.web` mounts them in the
order of :data:`rcphub.web.ROUTERS`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from fastapi import Request
from fastapi.responses import PlainTextResponse, RedirectResponse, Response
from markupsafe import Markup, escape
from sqlalchemy.orm import Session

from rcphub import registry, urls
from rcphub.accounts.policy import Action, Outcome, Principal, decide
from rcphub.config import LANGUAGES
from rcphub.documents.schemas import DocumentDetail
from rcphub.errors import InvalidInput, NotFound, Unauthenticated
from rcphub.exchange import FollowOut
from rcphub.exchange import follows as follow_service
from rcphub.feeds import content
from rcphub.registry.schemas import MeetingOut, ProcessSummary
from rcphub.security import current_principal
from rcphub.web.templating import Renderer
from rcphub.wording.citations import linked_meetings, meeting_short_title
from rcphub.wording.follows import follow_views
from rcphub.wording.tools import PageTools

T = TypeVar("T")

STATIC_DIR = Path(__file__).parent / "static"

MAX_FORM_FIELD = 2000
"""Characters of one field of a form that edits the registry or its people."""

# NotFound.kind → where a suggested identifier lives
_SUGGESTION_PATHS: dict[str, Callable[[str], str]] = {
    "process": urls.process,
    "state": urls.country,
    "meeting": urls.meeting,
    "taxonomy": urls.taxonomy,
    "region": urls.region,
    "document": urls.document,
}
# on an analytics page, the suggestions lead to analytics pages
_ANALYTICS_SUGGESTION_PATHS: dict[str, Callable[[str], str]] = {
    "process": urls.analytics_process,
    "state": urls.analytics_country,
}


# ---------------------------------------------------------------------------- every page


def renderer(request: Request) -> Renderer:
    return request.app.state.web_renderer


def tools_for(request: Request) -> PageTools:
    web = renderer(request)
    return web.tools[web.language(request).lang]


def lookup(request: Request, fetch: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Call a service; keep a NotFound on the request so the error page can offer its
    suggestions ("did you mean"), then let the app's handler render it."""
    try:
        return fetch(*args, **kwargs)
    except NotFound as exc:
        request.state.not_found = exc
        raise


def canonical(request: Request, path: str) -> Response:
    """Redirect to the canonical address of a record (``/countries/per`` → ``/countries/PER``)."""
    query = request.url.query
    return RedirectResponse(path + (f"?{query}" if query else ""), status_code=301)


def blank_to_none(value: str | None) -> str | None:
    return (value.strip() or None) if value is not None else None


def safe_next(target: str | None) -> str:
    """Where to go after signing in: a path of this site only (not ``//evil.example``)."""
    target = (target or "").strip()
    if not target.startswith("/") or target.startswith(("//", "/\\")) or len(target) > 2000:
        return "/"
    if any(ord(c) < 32 for c in target):
        return "/"
    return target


def render_page(
    request: Request, template: str, context: dict[str, Any], status: int = 200, section: str = ""
) -> Response:
    """A page whose template also offers the six languages (the forms with a field per
    language)."""
    return renderer(request).render(
        request, template, {"languages": LANGUAGES, **context}, status=status, section=section
    )


# ---------------------------------------------------------------------------- forms


def signed_in(request: Request) -> Principal:
    """The visitor of a page that needs an account; a visitor who is not signed in is sent to
    sign in (:class:`Unauthenticated`)."""
    principal = current_principal(request)
    if not principal.authenticated:
        raise Unauthenticated("sign in first")
    return principal


async def form_values(request: Request, *, max_fields: int) -> dict[str, str]:
    """The text fields of a posted form, by name (a repeated field: its last value; the form,
    ``await request.form()`` again, has them all), without the CSRF token, which
    :func:`rcphub.security.request_guard` has checked. :class:`InvalidInput` when there are more
    than ``max_fields`` or one is longer than :data:`MAX_FORM_FIELD`."""
    form = await request.form()
    values = {k: v for k, v in form.multi_items() if isinstance(v, str) and k != "csrf_token"}
    if any(len(v) > MAX_FORM_FIELD for v in values.values()) or len(values) > max_fields:
        raise InvalidInput("a field of the form is too long")
    return values


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
        if request.url.path.startswith(urls.analytics() + "/"):
            paths = {**paths, **_ANALYTICS_SUGGESTION_PATHS}
        build = paths.get(not_found.kind)
        if build:
            suggestions = [(s, build(s)) for s in not_found.suggestions]
    return web.render(
        request,
        "error.html",
        {"status": status, "code": code, "message": message, "suggestions": suggestions},
        status=status,
    )


# ---------------------------------------------------------------------------- shared pieces


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


def link_labels(
    tools: PageTools,
    targets: set[str],
    processes: list[ProcessSummary],
    meetings: list[MeetingOut],
) -> dict[str, tuple[str, Markup]]:
    """``process:<id>`` / ``meeting:<id>`` → (address, name as HTML) for the links of a list
    of documents."""
    by_process = {p.id: p for p in processes}
    by_meeting = {m.id: m for m in meetings}
    out: dict[str, tuple[str, Markup]] = {}
    for target in targets:
        kind, _, ident = target.partition(":")
        if kind == "process":
            process = by_process.get(ident)
            text = tools.name(process.names, ident) if process else tools.en(ident)
            out[target] = (urls.process(ident), text)
        elif kind == "meeting":
            meeting = by_meeting.get(ident)
            text = escape(meeting_short_title(tools, meeting) if meeting else ident)
            out[target] = (urls.meeting(ident), text)
    return out


def suggestion_names(session: Session, tools: PageTools, doc: DocumentDetail) -> dict[str, Markup]:
    """Names, in the interface language, of the processes and meetings the text suggests."""
    targets = {s.target for s in [*doc.suggested_processes, *doc.suggested_meetings]}
    if not targets:
        return {}
    processes = registry.list_processes(session, include_listed_only=True)
    labels = link_labels(tools, targets, processes, linked_meetings(session, targets))
    return {target: text for target, (_href, text) in labels.items()}


def sorted_processes(tools: PageTools, processes: list[ProcessSummary]) -> list[ProcessSummary]:
    def key(process: ProcessSummary) -> str:
        picked = tools.pick(process.names)
        return (picked.text if picked else process.id).casefold()

    return sorted(processes, key=key)
