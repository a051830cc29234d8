"""Atom feeds and iCalendar files: the routes, their wording in the reader's language, and
conditional GET.

Everything a feed shows comes from :mod:`rcphub.feeds.content` (where the visibility rule
lives); this module only words it and answers HTTP. The interface language of a feed is its
``?lang=`` (else the hub's default language): a feed address must mean the same feed for every
reader, so cookies and ``Accept-Language`` are not consulted.

Each answer carries a weak ``ETag`` (a hash of the body) and ``Last-Modified`` (the newest
entry); ``If-None-Match`` (or, without it, ``If-Modified-Since``) that still matches gets
``304 Not Modified`` with no body.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from typing import Annotated
from urllib.parse import urlencode, urlsplit

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from rcphub import __version__, feeds, registry, urls
from rcphub.dependencies import get_session
from rcphub.errors import InvalidInput, NotFound
from rcphub.feeds import atom, ical
from rcphub.registry.schemas import MeetingOut
from rcphub.search import SearchQuery
from rcphub.web.pages import render_error_page
from rcphub.web.presenters import dates_note
from rcphub.wording.entries import EntryWriter, meeting_place, meeting_title, picked, plain_label
from rcphub.wording.i18n import normalise_language
from rcphub.wording.tools import PageTools

router = APIRouter(include_in_schema=False)
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
Values = Annotated[list[str] | None, Query()]
CACHE_CONTROL = "public, max-age=300"
MAX_SEARCH_VALUES = 50
"""Filter values a search feed accepts in its parameters, all filters together."""
MAX_QUERY_CHARS = 2000


# ---------------------------------------------------------------------------- HTTP


def feed_tools(request: Request) -> PageTools:
    """The formatting helpers of the feed's language: ``?lang=``, else the default."""
    lang = normalise_language(request.query_params.get("lang"))
    web = request.app.state.web_renderer
    return web.tools[lang or web.default_language]


def base_url(request: Request) -> str:
    """The hub's public address: the ``public_url`` setting, else this request's."""
    configured = request.app.state.settings.public_url
    return configured or str(request.base_url).rstrip("/")


def authority(request: Request) -> str:
    """The host name that makes the hub's IDs its own (``tag:`` URIs, calendar UIDs)."""
    return urlsplit(base_url(request)).hostname or "localhost"


def conditional(
    request: Request, body: bytes, modified: datetime, media_type: str, **headers: str
) -> Response:
    """``body``, or 304 when the client's copy is still good."""
    etag = 'W/"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    modified = modified.astimezone(UTC).replace(microsecond=0)
    headers = {
        "ETag": etag,
        "Last-Modified": format_datetime(modified, usegmt=True),
        "Cache-Control": CACHE_CONTROL,
        **{name.replace("_", "-"): value for name, value in headers.items()},
    }
    if _not_modified(request, etag, modified):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=f"{media_type}; charset=utf-8", headers=headers)


def _not_modified(request: Request, etag: str, modified: datetime) -> bool:
    if_none_match = request.headers.get("if-none-match")
    if if_none_match is not None:
        # weak comparison (RFC 9110 13.1.2): W/ prefixes do not matter
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return "*" in tags or etag.removeprefix("W/") in tags
    if_modified_since = request.headers.get("if-modified-since")
    if if_modified_since:
        try:
            since = parsedate_to_datetime(if_modified_since)
        except (TypeError, ValueError, IndexError):
            return False
        if since.tzinfo is None:
            since = since.replace(tzinfo=UTC)
        return modified <= since
    return False


def feed_response(
    request: Request,
    session: Session,
    content: feeds.FeedContent,
    *,
    title: str,
    subtitle: str,
    page: str,
) -> Response:
    tools = feed_tools(request)
    base, host = base_url(request), authority(request)
    writer = EntryWriter(session, tools, base, host, content.items)
    query = urlencode([("lang", tools.lang)])
    self_link = f"{base}{request.url.path}?{request.url.query or query}"
    feed = atom.Feed(
        id=atom.tag_uri(host, request.url.path.removeprefix("/").removesuffix(".atom"))
        + _search_suffix(request),
        title=atom.Text(title, tools.lang),
        subtitle=atom.Text(subtitle, tools.lang),
        updated=content.updated,
        self_link=self_link,
        alternate_link=f"{base}{page}",
        lang=tools.lang,
        authors=(tools.gettext("RCP Hub"),),
        generator=("rcphub", base, __version__),
        icon=f"{base}/static/favicon.svg",
        entries=[writer.entry(item) for item in content.items],
    )
    return conditional(request, atom.render(feed), content.updated, atom.MEDIA_TYPE)


def _search_suffix(request: Request) -> str:
    """A search feed's ID names its query (without the interface language)."""
    if request.url.path != urls.search_feed():
        return ""
    params = sorted((k, v) for k, v in request.query_params.multi_items() if k != "lang")
    return "?" + urlencode(params)


def canonical_feed(request: Request, path: str) -> Response:
    query = request.url.query
    return RedirectResponse(path + (f"?{query}" if query else ""), status_code=301)


# ---------------------------------------------------------------------------- feeds


@router.api_route("/feeds/process/{ident}.atom", methods=["GET", "HEAD"])
def process_feed(request: Request, ident: str, session: SessionDep) -> Response:
    content = _lookup(request, feeds.process_feed, session, ident)
    if content.canonical != ident:
        return canonical_feed(request, urls.process_feed(content.canonical))
    tools = feed_tools(request)
    _ = tools.gettext
    name = picked(tools, content.names, ident).value
    return feed_response(
        request,
        session,
        content,
        title=_("%(name)s: documents, follow-up and meetings") % {"name": name},
        subtitle=_(
            "New documents filed under or mentioning this process, updates on the follow-up "
            "of its recommendations, and its meetings, from the RCP Hub."
        ),
        page=urls.process(content.canonical),
    )


@router.api_route("/feeds/state/{ident}.atom", methods=["GET", "HEAD"])
def state_feed(request: Request, ident: str, session: SessionDep) -> Response:
    content = _lookup(request, feeds.state_feed, session, ident)
    if content.canonical != ident:
        return canonical_feed(request, urls.state_feed(content.canonical))
    tools = feed_tools(request)
    _ = tools.gettext
    name = picked(tools, content.names, ident).value
    return feed_response(
        request,
        session,
        content,
        title=_("%(name)s: documents and follow-up") % {"name": name},
        subtitle=_(
            "New documents mentioning this country or area, and updates on the follow-up of "
            "recommendations addressed to it, from the RCP Hub."
        ),
        page=urls.country(content.canonical),
    )


@router.api_route("/feeds/theme/{scheme}/{code}.atom", methods=["GET", "HEAD"])
def theme_feed(request: Request, scheme: str, code: str, session: SessionDep) -> Response:
    content = _lookup(request, feeds.theme_feed, session, scheme, code)
    if content.canonical != f"{scheme}/{code}":
        return canonical_feed(request, urls.theme_feed(*content.canonical.split("/", 1)))
    tools = feed_tools(request)
    _ = tools.gettext
    label = picked(tools, content.names, code).value
    return feed_response(
        request,
        session,
        content,
        title=_("%(theme)s: tagged documents") % {"theme": f"{scheme}-{code.lower()} {label}"},
        subtitle=_(
            "New documents with paragraphs tagged to this theme (tags suggested by the tagger "
            "or confirmed by a person; never rejected ones), from the RCP Hub."
        ),
        page=urls.taxonomy(scheme, code),
    )


@router.api_route("/feeds/search.atom", methods=["GET", "HEAD"])
def search_feed(
    request: Request,
    session: SessionDep,
    q: str = "",
    mode: str = "hybrid",
    language: Values = None,
    process: Values = None,
    state: Values = None,
    org: Values = None,
    theme: Values = None,
    type: Values = None,
    year: Values = None,
) -> Response:
    """A saved search: the parameters of ``/search`` (``language`` is the passage language)."""
    filters = {
        "lang": language or [],
        "process": process or [],
        "state": state or [],
        "org": org or [],
        "theme": theme or [],
        "type": type or [],
        "year": year or [],
    }
    try:
        if len(q) > MAX_QUERY_CHARS:
            raise InvalidInput(f"the query is longer than {MAX_QUERY_CHARS} characters")
        if sum(len(v) for v in filters.values()) > MAX_SEARCH_VALUES:
            raise InvalidInput(f"a search feed takes at most {MAX_SEARCH_VALUES} filter values")
        query = SearchQuery.from_params(q=q, mode=mode, **filters)
        if not query.q.strip() and not query.parameter_filters():
            raise InvalidInput("a search feed needs words or a filter (?q=...)")
        content = feeds.search_feed(session, request.app.state.search, query)
    except InvalidInput as exc:
        return render_error_page(request, 400, InvalidInput.code, exc.message)
    tools = feed_tools(request)
    _ = tools.gettext
    shown = q.strip() or " ".join(f"{k}:{v}" for k, vs in filters.items() for v in vs)
    page_params = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    return feed_response(
        request,
        session,
        content,
        title=_("Search: %(query)s") % {"query": shown},
        subtitle=_(
            "The newest paragraphs among the best matches of this search, from the RCP Hub."
        ),
        page=urls.search(query=page_params),
    )


def _lookup(request: Request, fetch, *args):  # type: ignore[no-untyped-def]
    """Keep a NotFound on the request, so the error page can offer its suggestions."""
    try:
        return fetch(*args)
    except NotFound as exc:
        request.state.not_found = exc
        raise


# ---------------------------------------------------------------------------- calendars


def calendar_response(
    request: Request,
    session: Session,
    meetings: list[MeetingOut],
    *,
    name: str,
    filename: str,
) -> Response:
    tools = feed_tools(request)
    base, host = base_url(request), authority(request)
    stamp = feeds.reference_stamp(session)
    events = []
    for meeting in meetings:
        assert meeting.start_date is not None
        title = meeting_title(tools, meeting)
        notes = [
            line
            for line in (
                meeting.theme,
                dates_note(meeting),
                base + urls.meeting(meeting.id),
            )
            if line
        ]
        events.append(
            ical.Event(
                uid=f"meeting-{meeting.id}@{host}",
                stamp=stamp,
                start=meeting.start_date,
                end=meeting.end_date,
                summary=title.value,
                summary_lang=title.lang or None,
                location=meeting_place(tools, meeting) or None,
                url=base + urls.meeting(meeting.id),
                description="\n\n".join(notes),
                categories=(plain_label(tools, "series_short", meeting.series),),
            )
        )
    calendar = ical.Calendar(
        prodid=f"-//rcphub//rcphub {__version__}//EN",
        name=name,
        lang=tools.lang,
        events=events,
        url=f"{base}{request.url.path}",
    )
    return conditional(
        request,
        ical.render(calendar),
        stamp,
        ical.MEDIA_TYPE,
        content_disposition=f'inline; filename="{filename}"',
    )


@router.api_route("/calendar/meetings.ics", methods=["GET", "HEAD"])
def all_meetings_calendar(request: Request, session: SessionDep) -> Response:
    tools = feed_tools(request)
    name = tools.gettext("Meetings") + " – " + tools.gettext("RCP Hub")
    return calendar_response(
        request, session, feeds.calendar_meetings(session), name=name, filename="meetings.ics"
    )


@router.api_route("/calendar/process/{ident}.ics", methods=["GET", "HEAD"])
def process_calendar(request: Request, ident: str, session: SessionDep) -> Response:
    process = _lookup(request, registry.get_process, session, ident)
    if process.id != ident:
        return canonical_feed(request, urls.process_calendar(process.id))
    tools = feed_tools(request)
    name = tools.gettext("Meetings of %(process)s") % {
        "process": picked(tools, process.names, process.id).value
    }
    meetings = feeds.calendar_meetings(session, process.id)
    return calendar_response(request, session, meetings, name=name, filename=f"{process.id}.ics")


@router.api_route("/meetings/{ident}.ics", methods=["GET", "HEAD"])
def meeting_calendar(request: Request, ident: str, session: SessionDep) -> Response:
    meeting = _lookup(request, feeds.calendar_meeting, session, ident)
    if meeting.id != ident:
        return canonical_feed(request, urls.meeting_calendar(meeting.id))
    tools = feed_tools(request)
    return calendar_response(
        request,
        session,
        [meeting],
        name=meeting_title(tools, meeting).value,
        filename=f"{meeting.id}.ics",
    )
