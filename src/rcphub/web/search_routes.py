"""The search page: one box over every passage, with facets, highlights and citations.

It is an ordinary form (GET), so it works without scripts; ``static/js/search.js`` makes the
results follow the box and the facets as the user types or ticks. The results come from the same
:class:`~rcphub.search.SearchService` as ``GET /api/v1/search`` and ``rcphub search``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup, escape
from sqlalchemy import select
from sqlalchemy.orm import Session

from rcphub import registry, urls
from rcphub.accounts.policy import Principal
from rcphub.db.models import Concept
from rcphub.dependencies import get_session
from rcphub.documents import document_summaries
from rcphub.documents.parsing.model import DOC_TYPES
from rcphub.errors import InvalidInput
from rcphub.search import SearchMode, SearchQuery, SearchResult
from rcphub.security import current_principal
from rcphub.web.pages import renderer, tools_for
from rcphub.wording.citations import designation, linked_meetings
from rcphub.wording.tools import PageTools

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
Values = Annotated[list[str] | None, Query(max_length=200)]
PAGE_SIZE = 10
MAX_PAGE = 100
FACETS = ("language", "process", "state", "org", "theme", "type", "year")
"""Facet names as the search service reports them, in the order the page shows them; each is
also the page's query parameter for that filter. (``lang`` is the interface language everywhere
on the site, so the language filter is ``language`` here; the API and the CLI say ``lang``.)"""


@dataclass(frozen=True)
class FacetOption:
    value: str
    label: Markup
    count: int
    selected: bool


@dataclass(frozen=True)
class Facet:
    name: str
    heading: str
    options: list[FacetOption]


@router.get("/search")
def search_page(
    request: Request,
    session: SessionDep,
    q: Annotated[str, Query(max_length=2000)] = "",
    mode: Annotated[str, Query(max_length=20)] = SearchMode.HYBRID.value,
    language: Values = None,
    process: Values = None,
    state: Values = None,
    org: Values = None,
    theme: Values = None,
    type: Values = None,
    year: Values = None,
    page: Annotated[str, Query(max_length=10)] = "1",
) -> Response:
    tools = tools_for(request)
    _ = tools.gettext
    filters = {
        "language": language or [],
        "process": process or [],
        "state": state or [],
        "org": org or [],
        "theme": theme or [],
        "type": type or [],
        "year": year or [],
    }
    result: SearchResult | None = None
    error: str | None = None
    number = 1
    try:
        number = _page_number(page)
        query = SearchQuery.from_params(
            q=q,
            mode=mode,
            limit=PAGE_SIZE,
            offset=(number - 1) * PAGE_SIZE,
            lang=filters["language"],
            **{name: values for name, values in filters.items() if name != "language"},
        )
        if query.q.strip() or query.parameter_filters():
            result = request.app.state.search.search(session, query, current_principal(request))
    except InvalidInput as exc:
        error = exc.message
    selected = {name: set(values) for name, values in filters.items()}
    pages = 0
    if result is not None:
        pages = min(-(-result.total // PAGE_SIZE), MAX_PAGE)
    context = {
        "q": q,
        "mode": mode if mode in {m.value for m in SearchMode} else SearchMode.HYBRID.value,
        "modes": [
            (SearchMode.HYBRID.value, _("Words and meaning (all languages)")),
            (SearchMode.KEYWORD.value, _("Exact words")),
            (SearchMode.SEMANTIC.value, _("Meaning only (all languages)")),
        ],
        "result": result,
        "error": error,
        "facets": _facets(session, tools, result, selected) if result is not None else [],
        "selected": [(name, value) for name, values in selected.items() for value in values],
        "page": number,
        "pages": pages,
        "page_href": lambda n: _href(q, mode, filters, n),
        "first": (number - 1) * PAGE_SIZE + 1,
        "last": (number - 1) * PAGE_SIZE + len(result.hits) if result else 0,
        "cited": _citations(session, tools, result, current_principal(request)) if result else {},
        "feed_href": _feed_href(q, mode, filters, tools.lang) if result is not None else None,
    }
    return renderer(request).render(
        request, "search.html", context, status=400 if error else 200, section="search"
    )


def _page_number(page: str) -> int:
    try:
        number = int(page)
    except ValueError:
        raise InvalidInput("page must be a whole number") from None
    if not 1 <= number <= MAX_PAGE:
        raise InvalidInput(f"page must be between 1 and {MAX_PAGE}")
    return number


def _params(q: str, mode: str, filters: dict[str, list[str]], page: int) -> list[tuple[str, str]]:
    params: list[tuple[str, str]] = [("q", q)]
    if mode != SearchMode.HYBRID.value:
        params.append(("mode", mode))
    params += [(name, value) for name, values in filters.items() for value in values]
    if page > 1:
        params.append(("page", str(page)))
    return params


def _href(q: str, mode: str, filters: dict[str, list[str]], page: int) -> str:
    return urls.search(query=_params(q, mode, filters, page))


def _feed_href(q: str, mode: str, filters: dict[str, list[str]], lang: str) -> str:
    """The Atom feed of this search (:mod:`rcphub.web.feed_routes`): the same parameters."""
    return urls.search_feed(query=_params(q, mode, filters, 1), lang=lang)


def _citations(
    session: Session, tools: PageTools, result: SearchResult, viewer: Principal
) -> dict[int, Markup]:
    """How each hit is cited, as on the document page: "Chair's summary, Global RCP meeting
    2013 (A/68/190), paragraph 10(a)" — the document's part in a ``<bdi>``, so that a title in
    Arabic (with a year or a Latin acronym) keeps its word order beside the page's words."""
    hits = [*result.hits, *result.related]
    summaries = document_summaries(session, {hit.document for hit in hits}, viewer)
    targets = {target for summary in summaries.values() for target in summary.links}
    meetings = linked_meetings(session, targets)
    cited = {}
    for hit in hits:
        summary = summaries.get(hit.document)
        what = designation(tools, summary, meetings) if summary else hit.document
        cited[hit.passage_id] = escape(tools.gettext("%(document)s, %(passage)s")) % {
            "document": Markup("<bdi>{}</bdi>").format(what),
            "passage": tools.refs.full(hit.ref),
        }
    return cited


def _facets(
    session: Session,
    tools: PageTools,
    result: SearchResult,
    selected: dict[str, set[str]],
) -> list[Facet]:
    _ = tools.gettext
    headings = {
        "language": _("Language"),
        "process": _("Process or organisation"),
        "state": _("Country mentioned"),
        "org": _("Organisation mentioned"),
        "theme": _("Theme"),
        "type": _("Type of document"),
        "year": _("Year"),
    }
    names = _value_names(session, result, selected)
    facets = []
    for name in FACETS:
        counts = {f.value: f.count for f in result.facets.get(name, [])}
        for value in selected[name]:
            counts.setdefault(value, 0)
        if not counts:
            continue
        options = [
            FacetOption(
                value=value,
                label=_value_label(tools, name, value, names),
                count=count,
                selected=value in selected[name],
            )
            for value, count in counts.items()
        ]
        if name == "year":
            options.sort(key=lambda o: o.value, reverse=True)
        else:
            options.sort(key=lambda o: (-o.count, str(o.label).casefold()))
        facets.append(Facet(name, headings[name], options))
    return facets


def _value_names(
    session: Session, result: SearchResult, selected: dict[str, set[str]]
) -> dict[str, dict[str, str]]:
    """Names of the processes, organisations, states and themes among the facet values."""
    values = {f.value for facet in result.facets.values() for f in facet}
    values |= {v for group in selected.values() for v in group}
    names: dict[str, dict[str, str]] = {}
    wanted = {f"process:{v}" for v in values} | {f"org:{v}" for v in values}
    if result.facets.get("process") or result.facets.get("org") or selected["process"]:
        for body in registry.list_processes(session, include_listed_only=True):
            if body.ref in wanted or f"process:{body.id}" in wanted:
                names[f"process:{body.id}"] = body.names
                names[f"org:{body.id}"] = body.names
    if result.facets.get("state") or selected["state"]:
        for iso3, localised in registry.state_names(session).items():
            names[f"state:{iso3}"] = localised
    if result.facets.get("theme") or selected["theme"]:
        for scheme, code, labels, short in session.execute(
            select(Concept.scheme_id, Concept.code, Concept.labels, Concept.short_labels)
        ):
            names[f"theme:{scheme}-{code}".casefold()] = short or labels
    return names


def _value_label(
    tools: PageTools, facet: str, value: str, names: dict[str, dict[str, str]]
) -> Markup:
    if facet == "language":
        return escape(tools.language_name(value))
    if facet == "type":
        return tools.label("doc_type", value) if value in DOC_TYPES else tools.en(value)
    if facet == "year":
        return escape(tools.year(int(value)) if value.isdigit() else value)
    key = f"theme:{value}".casefold() if facet == "theme" else f"{facet}:{value}"
    found = names.get(key)
    if not found:
        return tools.en(value)
    if facet == "theme":
        return Markup("{} <span class='facet__code'>{}</span>").format(tools.name(found), value)
    return tools.name(found, value)
