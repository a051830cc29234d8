"""The registry's pages: home, processes, countries, meetings, taxonomies, about. Each route
parses its parameters, calls registry services, and renders one template; errors from the
services become the error page through the app's handlers."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from rcphub import registry, themes, urls
from rcphub.dependencies import get_session
from rcphub.documents import documents_mentioning, list_documents
from rcphub.errors import NotFound
from rcphub.refdata.bodies import KINDS
from rcphub.security import current_principal
from rcphub.web import presenters
from rcphub.web.access import may_edit_process, process_tools
from rcphub.web.mapview import world_map
from rcphub.web.pages import (
    blank_to_none,
    canonical,
    followed,
    lookup,
    process_exchange,
    renderer,
    tools_for,
)
from rcphub.wording.tools import PageTools

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
Filter = Annotated[str | None, Query(max_length=100)]
RECORD_DOCUMENTS = 20
"""Documents listed on a process, country or meeting page (each list)."""


def _state_names(tools: PageTools, names: dict[str, dict[str, str]]) -> dict[str, str]:
    out = {}
    for iso3, localised in names.items():
        picked = tools.pick(localised)
        out[iso3] = picked.text if picked else iso3
    return out


def _membership_map(
    session: Session, tools: PageTools, names: dict[str, dict[str, str]] | None = None
) -> Any:
    _ = tools.gettext
    return world_map(
        registry.process_counts_by_state(session),
        names=_state_names(tools, names if names is not None else registry.state_names(session)),
        title=_("Membership of regional and global processes on migration"),
        description=_(
            "Number of processes (RCPs, inter-regional forums and global processes) of which "
            "each country or area is a member. Select a country to open its page."
        ),
        href=urls.country,
        legend_title=_("Number of processes"),
        no_data_label=_("Member of none listed"),
        not_drawn_label=_("Not drawn at this scale"),
        lang=tools.lang,
        id_prefix="map-processes",
    )


def _record_documents(
    request: Request, session: Session, *, link: str | None = None, entity: str | None = None
) -> dict[str, Any]:
    """The "Documents" section of a record page: documents linked to it (``process:<id>``,
    ``meeting:<id>``) and documents that mention it (``state:PER``, ``org:iom``), with the
    passages that do."""
    viewer = current_principal(request)
    linked_total, linked = (
        list_documents(session, link=link, limit=RECORD_DOCUMENTS, viewer=viewer)
        if link
        else (0, [])
    )
    mentioning = (
        documents_mentioning(session, entity, limit=RECORD_DOCUMENTS, viewer=viewer)
        if entity
        else []
    )
    return {
        "linked_documents": linked,
        "linked_total": linked_total,
        "link_target": link,
        "mentioning": mentioning,
    }


# ---------------------------------------------------------------------------- pages


@router.get("/")
def home(request: Request, session: SessionDep) -> Response:
    counts = registry.hub_counts(session)
    meetings = presenters.latest_meetings(registry.list_meetings(session), limit=5)
    document_total, documents = list_documents(session, limit=5, viewer=current_principal(request))
    return renderer(request).render(
        request,
        "home.html",
        {
            "counts": counts,
            "kinds": KINDS,
            "meetings": meetings,
            "document_total": document_total,
            "documents": documents,
        },
        section="home",
    )


@router.get("/processes")
def processes(
    request: Request,
    session: SessionDep,
    kind: Filter = None,
    region: Filter = None,
    theme: Filter = None,
) -> Response:
    kind, region, theme = blank_to_none(kind), blank_to_none(region), blank_to_none(theme)
    found = registry.list_processes(session, kind=kind, region=region, theme=theme)
    tools = tools_for(request)
    return renderer(request).render(
        request,
        "processes.html",
        {
            "groups": presenters.group_by_kind(found, KINDS),
            "total": len(found),
            "kinds": KINDS,
            "regions": registry.list_regions(session, "region"),
            "themes": registry.list_process_themes(session),
            "selected": {"kind": kind, "region": region, "theme": theme},
            "filtered": bool(kind or region or theme),
            "world_map": _membership_map(session, tools),
        },
        section="processes",
    )


@router.get("/processes/{ident}")
def process(request: Request, ident: str, session: SessionDep) -> Response:
    detail = lookup(request, registry.get_process, session, ident, current_principal(request))
    if detail.id != ident:
        return canonical(request, urls.process(detail.id))
    tools = tools_for(request)
    _ = tools.gettext
    roles = presenters.role_map(detail.memberships)
    name = tools.pick(detail.names)
    title = name.text if name else detail.id
    members_map = None
    if roles:
        categories = [r for r in presenters.MAP_ROLE_PRIORITY if r in set(roles.values())]
        members_map = world_map(
            {},
            names=_state_names(tools, registry.state_names(session)),
            highlight=roles,
            category_labels={role: str(tools.label("role", role)) for role in categories},
            title=_("Where the members and observers of %(process)s are") % {"process": title},
            description=_(
                "Countries and areas coloured by their role in this process. "
                "Select a country to open its page."
            ),
            href=urls.country,
            legend_title=_("Role"),
            no_data_label=_("Not listed"),
            not_drawn_label=_("Not drawn at this scale"),
            lang=tools.lang,
            id_prefix="map-process",
        )
    return renderer(request).render(
        request,
        "process.html",
        {
            "p": detail,
            "sections": presenters.membership_sections(detail.membership_lists, detail.memberships),
            "party_href": presenters.party_href,
            "members_map": members_map,
            **_record_documents(request, session, link=f"process:{detail.id}", entity=detail.ref),
            **process_exchange(request, session, detail.id),
            "may_edit_record": may_edit_process(current_principal(request), detail.id),
            **process_tools(current_principal(request), detail.id),
            "editor_notes": presenters.editor_notes(
                session, current_principal(request), body_id=detail.id
            ),
        },
        section="processes",
    )


@router.get("/organisations/{ident}")
def organisation(request: Request, ident: str) -> Response:
    """Organisations share the process page; this address is kept for readable links."""
    return canonical(request, urls.process(ident))


@router.get("/countries")
def countries(request: Request, session: SessionDep, region: Filter = None) -> Response:
    region = blank_to_none(region)
    tools = tools_for(request)
    states = lookup(request, registry.list_states, session, region=region)
    all_regions = registry.list_regions(session, None)
    region_names = {r.code: r.names for r in all_regions}
    top_level = [r for r in all_regions if r.level == "region"]
    top_level.sort(key=lambda r: _sort_text(tools, r.names))
    groups = presenters.group_by_region(
        states, [r.code for r in top_level], sort_key=lambda s: _sort_text(tools, s.names)
    )
    return renderer(request).render(
        request,
        "countries.html",
        {
            "groups": groups,
            "total": len(states),
            "region_names": region_names,
            "regions": top_level,
            "selected_region": region,
            "world_map": None
            if region
            else _membership_map(session, tools, {s.iso3: s.names for s in states}),
        },
        section="countries",
    )


def _sort_text(tools: PageTools, names: dict[str, str]) -> str:
    picked = tools.pick(names)
    return picked.text.casefold() if picked else ""


@router.get("/countries/{ident}")
def country(request: Request, ident: str, session: SessionDep) -> Response:
    state = lookup(request, registry.get_state, session, ident)
    if state.iso3 != ident:
        return canonical(request, urls.country(state.iso3))
    tools = tools_for(request)
    _ = tools.gettext
    name = tools.pick(state.names)
    title = name.text if name else state.iso3
    shared = registry.shared_process_counts(session, state.iso3)
    highlight = dict.fromkeys(shared, "member")
    highlight[state.iso3] = "selected"
    country_map = world_map(
        shared,
        names=_state_names(tools, registry.state_names(session)),
        highlight=highlight,
        category_labels={
            "selected": title,
            "member": _("Member of at least one process with %(country)s") % {"country": title},
        },
        title=_("Countries that share processes with %(country)s") % {"country": title},
        description=_(
            "%(country)s and the countries and areas that are members of at least one of the "
            "same processes; the number of shared processes is shown on each country. "
            "Select a country to open its page."
        )
        % {"country": title},
        href=urls.country,
        legend_title="",
        no_data_label=_("No shared process"),
        not_drawn_label=_("Not drawn at this scale"),
        lang=tools.lang,
        id_prefix="map-country",
    )
    return renderer(request).render(
        request,
        "country.html",
        {
            "s": state,
            "title": title,
            "process_total": len({m.process_id for m in state.memberships}),
            "shared_count": len(shared),
            "country_map": country_map,
            **_record_documents(request, session, entity=f"state:{state.iso3}"),
            "following": followed(request, session, "state", state.iso3),
        },
        section="countries",
    )


@router.get("/meetings")
def meetings(
    request: Request,
    session: SessionDep,
    series: Filter = None,
    year: Annotated[int | None, Query(ge=1900, le=2200)] = None,
) -> Response:
    series = blank_to_none(series)
    found = registry.list_meetings(
        session, series=series, year=year, viewer=current_principal(request)
    )
    return renderer(request).render(
        request,
        "meetings.html",
        {
            "groups": presenters.group_by_series(found),
            "total": len(found),
            "series_codes": presenters.SERIES_ORDER,
            "selected": {"series": series, "year": year},
        },
        section="meetings",
    )


@router.get("/meetings/{ident}")
def meeting(request: Request, ident: str, session: SessionDep) -> Response:
    principal = current_principal(request)
    found = lookup(request, registry.get_meeting, session, ident, principal)
    if found.id != ident:
        return canonical(request, urls.meeting(found.id))
    body = None
    if found.body:
        try:
            body = registry.get_process(session, found.body)
        except NotFound:  # a meeting of a body without a record still has its page
            body = None
    return renderer(request).render(
        request,
        "meeting.html",
        {
            "m": found,
            "body": body,
            "may_edit_record": may_edit_process(principal, found.body),
            **_record_documents(request, session, link=f"meeting:{found.id}"),
            "editor_notes": presenters.editor_notes(
                session, current_principal(request), body_id=found.body, meeting_id=found.id
            ),
        },
        section="meetings",
    )


@router.get("/taxonomies")
def taxonomies(request: Request, session: SessionDep) -> Response:
    return renderer(request).render(
        request,
        "taxonomies.html",
        {"schemes": registry.list_schemes(session)},
        section="taxonomies",
    )


@router.get("/taxonomies/{ident}")
def taxonomy(request: Request, ident: str, session: SessionDep) -> Response:
    scheme = lookup(request, registry.get_scheme, session, ident)
    if scheme.id != ident:
        return canonical(request, urls.taxonomy(scheme.id))
    return renderer(request).render(
        request,
        "taxonomy.html",
        {
            "scheme": scheme,
            "tree": presenters.concept_tree(scheme.concepts),
            "matches": {c.code: themes.matches_for(scheme.id, c.code) for c in scheme.concepts},
            "following": _theme_follows(request, session, scheme.id),
        },
        section="taxonomies",
    )


def _theme_follows(request: Request, session: Session, scheme: str) -> dict[str, int] | None:
    """The visitor's follows of this scheme's themes, code -> follow ID; None when no one is
    signed in (the page then offers feeds only)."""
    from rcphub.exchange.follows import list_follows

    principal = request.state.principal
    if not principal.authenticated or principal.user_id is None:
        return None
    prefix = f"{scheme}/"
    return {
        f.target.removeprefix(prefix): f.id
        for f in list_follows(session, principal)
        if f.kind == "theme" and f.target.startswith(prefix)
    }


@router.get("/about")
def about(request: Request) -> Response:
    return renderer(request).render(request, "about.html", {}, section="about")


@router.get("/favicon.ico")
def favicon() -> Response:
    return RedirectResponse("/static/favicon.svg", status_code=301)
