"""The analytics pages and their downloads.

    /analytics                                   overlap, network, bridges, map, growth, timeline
    /analytics/{name}.{csv,xlsx,png}             the numbers or the picture of one of them
    /analytics/processes/{id}?year=2020          members by role, UN DESA migrant stock
    /analytics/processes/{id}/{name}.{fmt}       members, corridors, trend, migration (all)
    /analytics/countries/{iso3}?year=2020        a country's migrants by shared process
    /analytics/countries/{iso3}/{name}.{fmt}     processes, destinations, origins, migration

Like the other page routes, each parses its parameters, calls the analytics services and
renders one template. Results, the pages' figures and the PNG images are cached per options
and language until the reference data is reloaded (:mod:`rcphub.web.analytics.cache`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from functools import partial
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from rcphub import analytics, registry, urls
from rcphub.charts import Chart, Table, map_chart, to_csv, to_png, to_xlsx
from rcphub.csvfile import MEDIA_TYPE
from rcphub.dependencies import get_session
from rcphub.errors import InvalidInput, NotFound
from rcphub.web.analytics import migration as migration_figures
from rcphub.web.analytics import overview as overview_figures
from rcphub.web.analytics.cache import AnalyticsCache, data_version
from rcphub.web.analytics.figures import (
    Figure,
    Names,
    download_links,
    numbers_for,
    translate_basis,
    translate_caveats,
)
from rcphub.web.pages import STATIC_DIR, canonical, lookup, renderer, tools_for
from rcphub.wording.tools import PageTools

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
DataYear = Annotated[int, Query(ge=1990, le=2020)]
OVERLAP_YEARS = (2025, 2020, 2015, 2010, 2005, 2000, 1995, 1990)
"""Years offered for "membership as of" on the overview (any year is accepted)."""
MEDIA_TYPES = {
    "csv": MEDIA_TYPE,
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "png": "image/png",
}
_STYLESHEETS = ("map.css", "charts.css")


def render(request: Request, template: str, context: dict[str, Any]) -> Response:
    cell = numbers_for(tools_for(request).lang).cell
    return renderer(request).render(
        request, template, {**context, "cell": cell}, section="analytics"
    )


def render_sections(request: Request, figures: list[Figure]) -> dict[str, Any]:
    """Each figure's section as HTML, rendered once for the cache: the tables under the charts
    (hundreds of cells) are what takes a page's time, and they only change with the data."""
    tools = tools_for(request)
    macros = renderer(request).environments[tools.lang].get_template("analytics_macros.html")
    cell = numbers_for(tools.lang).cell
    return {f.key: macros.module.figure_section(f, cell) for f in figures}


def cache_for(request: Request, session: Session) -> AnalyticsCache:
    cache: AnalyticsCache = request.app.state.web_analytics_cache
    cache.check(data_version(session))
    return cache


def parse_year(value: str | None) -> int | None:
    """``year=`` from the options form: blank for the latest lists, else a year."""
    value = (value or "").strip()
    if not value:
        return None
    if not value.isdigit() or len(value) > 4:
        raise InvalidInput(f"year must be a year such as 2020 (got {value[:20]!r})")
    year = int(value)
    if not 1900 <= year <= 2100:
        raise InvalidInput(f"year must be between 1900 and 2100 (got {year})")
    return year


def _state_names(cache: AnalyticsCache, session: Session) -> dict[str, dict[str, str]]:
    return cache.get(("state-names",), partial(registry.state_names, session))


def _processes(cache: AnalyticsCache, session: Session) -> dict[str, Any]:
    """Every process and organisation by id (names and acronyms for labels)."""

    def load() -> dict[str, Any]:
        return {p.id: p for p in registry.list_processes(session, include_listed_only=True)}

    return cache.get(("processes",), load)


# ---------------------------------------------------------------------------- overview


def _overview(
    request: Request, session: Session, observers: bool, year: int | None
) -> dict[str, Any]:
    tools = tools_for(request)
    cache = cache_for(request, session)
    overlap = cache.get(
        ("overlap", observers, year),
        partial(analytics.membership_overlap, session, include_observers=observers, year=year),
    )
    timeline = cache.get(("timeline",), partial(analytics.system_timeline, session))
    names = Names(tools, _state_names(cache, session))
    processes = _processes(cache, session)

    def build() -> dict[str, Any]:
        params = {"observers": observers, "year": year}
        basis, basis_lang = translate_basis(tools, overlap.basis)
        figures = [
            overview_figures.overlap_figure(overlap, tools, names, params),
            overview_figures.network_figure(overlap, tools, names, params),
            overview_figures.bridges_table(overlap, tools, names, params),
            overview_figures.states_map_figure(overlap, tools, names, params),
            overview_figures.growth_figure(timeline, tools),
            overview_figures.timeline_figure(
                timeline, {k: p.names for k, p in processes.items()}, tools, names
            ),
        ]
        with_lists = [processes[p.id] for p in overlap.processes if p.id in processes]
        with_lists.sort(key=lambda p: names.text(p.names, p.id).casefold())
        return {
            "figures": {f.key: f for f in figures},
            "sections": render_sections(request, figures),
            "basis": basis,
            "basis_lang": basis_lang,
            "process_links": with_lists,
            "process_total": len(overlap.processes),
            "not_yet_founded": [
                names.text(processes[pid].names, pid) if pid in processes else pid
                for pid in overlap.not_yet_founded
            ],
        }

    page = cache.get(("overview", observers, year, tools.lang), build)
    countries = cache.get(
        ("country-choices", tools.lang),
        lambda: sorted(names.state_texts.items(), key=lambda item: item[1].casefold()),
    )
    return {
        **page,
        "options": {"observers": observers, "year": year},
        "years": OVERLAP_YEARS,
        "countries": countries,
    }


@router.get("/analytics")
def overview(
    request: Request,
    session: SessionDep,
    observers: bool = False,
    year: Annotated[str | None, Query(max_length=10)] = None,
) -> Response:
    context = _overview(request, session, observers, parse_year(year))
    return render(request, "analytics.html", context)


@router.get("/analytics/processes")
def process_choice(request: Request) -> Response:
    return RedirectResponse(urls.analytics(fragment="processes"), status_code=307)


@router.get("/analytics/countries")
def country_choice(
    request: Request,
    session: SessionDep,
    country: Annotated[str | None, Query(max_length=100)] = None,
) -> Response:
    """The target of the country form on the overview: on to the country's page."""
    if not (country or "").strip():
        return RedirectResponse(urls.analytics(fragment="countries"), status_code=307)
    state = lookup(request, registry.get_state, session, country.strip())
    return RedirectResponse(urls.analytics_country(state.iso3), status_code=303)


# ---------------------------------------------------------------------------- processes


def _process_page(request: Request, session: Session, ident: str, year: int) -> dict[str, Any]:
    tools = tools_for(request)
    _ = tools.gettext
    cache = cache_for(request, session)
    detail = cache.get(
        ("process-detail", ident), partial(lookup, request, registry.get_process, session, ident)
    )
    names = Names(tools, _state_names(cache, session))

    result = cache.get(
        ("process-migration", detail.id, year),
        partial(analytics.process_migration, session, detail.id, year),
    )

    def build() -> dict[str, Any]:
        title = names.text(detail.names, detail.id)
        params = {"year": year}
        figures = []
        members = migration_figures.members_figure(detail, tools, names, title, {})
        if members is not None:
            figures.append(members)
        context: dict[str, Any] = {"title": title, "result": result}
        if result.member_list:
            figures.append(migration_figures.corridors_figure(result, tools, names, params))
            figures.append(migration_figures.trend_figure(result, tools, params))
            basis, basis_lang = translate_basis(tools, result.basis)
            summary_title = _("Migration within %(process)s, %(year)s") % {
                "process": title,
                "year": tools.year(year),
            }
            context.update(
                headlines=migration_figures.process_headlines(result, tools),
                summary=migration_figures.summary_table(result, tools, summary_title),
                basis=basis,
                basis_lang=basis_lang,
                caveats=translate_caveats(tools, result.caveats),
                without_data=[names.state(iso3) for iso3 in result.members_without_data],
                source_citation=result.source,
                downloads_links=download_links(
                    urls.analytics_process(detail.id),
                    "migration",
                    params,
                    tools.lang,
                    ("csv", "xlsx"),
                ),
            )
        context["figures"] = {f.key: f for f in figures}
        context["sections"] = render_sections(request, figures)
        return context

    page = cache.get(("process-page", detail.id, year, tools.lang), build)
    return {"p": detail, "data_year": year, "years": analytics.YEARS, **page}


@router.get("/analytics/processes/{ident}")
def process_page(
    request: Request, ident: str, session: SessionDep, year: DataYear = 2020
) -> Response:
    context = _process_page(request, session, ident, year)
    if context["p"].id != ident:
        return canonical(request, urls.analytics_process(context["p"].id))
    return render(request, "analytics_process.html", context)


# ---------------------------------------------------------------------------- countries


def _country_page(request: Request, session: Session, ident: str, year: int) -> dict[str, Any]:
    tools = tools_for(request)
    _ = tools.gettext
    cache = cache_for(request, session)
    state = cache.get(
        ("state-detail", ident), partial(lookup, request, registry.get_state, session, ident)
    )
    names = Names(tools, _state_names(cache, session))
    result = cache.get(
        ("country-migration", state.iso3, year),
        partial(analytics.country_migration, session, state.iso3, year),
    )
    processes = _processes(cache, session)

    def build() -> dict[str, Any]:
        title = names.text(state.names, state.iso3)
        params = {"year": year}
        acronyms = {k: p.acronym for k, p in processes.items()}
        figures = [
            migration_figures.by_process_figure(result, acronyms, tools, names, title, params),
            migration_figures.destinations_map_figure(result, tools, names, title, params),
            migration_figures.ranking_figure(result, tools, names, title, params, outward=True),
            migration_figures.ranking_figure(result, tools, names, title, params, outward=False),
        ]
        basis, basis_lang = translate_basis(tools, result.basis)
        return {
            "title": title,
            "result": result,
            "headlines": migration_figures.country_headlines(result, tools),
            "basis": basis,
            "basis_lang": basis_lang,
            "caveats": translate_caveats(tools, result.caveats),
            "not_yet_founded": [
                names.text(processes[pid].names, pid) if pid in processes else pid
                for pid in result.not_yet_founded
            ],
            "source_citation": result.source,
            "figures": {f.key: f for f in figures},
            "sections": render_sections(request, figures),
            "downloads_links": download_links(
                urls.analytics_country(state.iso3), "migration", params, tools.lang, ("xlsx",)
            ),
        }

    page = cache.get(("country-page", state.iso3, year, tools.lang), build)
    return {"s": state, "data_year": year, "years": analytics.YEARS, **page}


@router.get("/analytics/countries/{ident}")
def country_page(
    request: Request, ident: str, session: SessionDep, year: DataYear = 2020
) -> Response:
    context = _country_page(request, session, ident, year)
    if context["s"].iso3 != ident:
        return canonical(request, urls.analytics_country(context["s"].iso3))
    return render(request, "analytics_country.html", context)


# ---------------------------------------------------------------------------- downloads


def _split(filename: str) -> tuple[str, str]:
    name, dot, fmt = filename.rpartition(".")
    if not dot or fmt not in MEDIA_TYPES:
        raise NotFound("download", filename)
    return name, fmt


@functools.cache
def _stylesheet() -> str:
    """The page's map and chart colours, for resvg to apply to the PNG images."""
    return "".join((STATIC_DIR / "css" / name).read_text(encoding="utf-8") for name in _STYLESHEETS)


def _png(tools: PageTools, figure: Figure) -> bytes:
    chart = figure.chart
    if chart is None:
        raise NotFound("download", f"{figure.key}.png")
    if not isinstance(chart, Chart):
        chart = map_chart(str(chart), title=figure.title, description=figure.what, lang=tools.lang)
    footer = tools.gettext("Source: %(source)s") % {"source": figure.source}
    return to_png(chart, heading=figure.title, footer=footer, stylesheet=_stylesheet())


def _file(
    request: Request,
    cache: AnalyticsCache,
    cache_key: tuple,
    tables: Callable[[], list[Table]],
    figure: Figure | None,
    fmt: str,
    filename: str,
) -> Response:
    tools = tools_for(request)

    def make() -> bytes:
        if fmt == "png":
            if figure is None:
                raise NotFound("download", filename)
            return _png(tools, figure)
        if fmt == "csv":
            selected = tables()
            if len(selected) != 1:
                raise NotFound("download", filename)
            return to_csv(selected[0]).encode("utf-8")
        return to_xlsx(tables(), right_to_left=tools.direction == "rtl")

    body = cache.get(("file", *cache_key, fmt, tools.lang), make)
    return Response(
        body,
        media_type=MEDIA_TYPES[fmt],
        headers={
            "Content-Disposition": f'attachment; filename="{quote(filename)}"',
            "Content-Language": tools.lang,
            "Vary": "Accept-Language, Cookie",
        },
    )


def _figure(figures: dict[str, Figure], name: str, filename: str) -> Figure:
    if name not in figures:
        raise NotFound("download", filename)
    return figures[name]


@router.get("/analytics/{filename}")
def overview_download(
    request: Request,
    filename: str,
    session: SessionDep,
    observers: bool = False,
    year: Annotated[str | None, Query(max_length=10)] = None,
) -> Response:
    name, fmt = _split(filename)
    year_value = parse_year(year)
    context = _overview(request, session, observers, year_value)
    figure = _figure(context["figures"], name, filename)
    suffix = ("-observers" if observers else "") + (f"-{year_value}" if year_value else "")
    return _file(
        request,
        cache_for(request, session),
        ("overview", name, observers, year_value),
        lambda: [figure.table],
        figure if figure.chart is not None else None,
        fmt,
        f"rcphub-{name}{suffix}.{fmt}",
    )


@router.get("/analytics/processes/{ident}/{filename}")
def process_download(
    request: Request, ident: str, filename: str, session: SessionDep, year: DataYear = 2020
) -> Response:
    name, fmt = _split(filename)
    context = _process_page(request, session, ident, year)
    process = context["p"].id
    figures: dict[str, Figure] = context["figures"]
    if name == "migration" and context.get("summary") is not None and fmt != "png":
        tables = (
            [context["summary"]]
            if fmt == "csv"
            else [context["summary"], *(f.table for f in figures.values())]
        )
        figure = None
    else:
        figure = _figure(figures, name, filename)
        tables = [figure.table]
    return _file(
        request,
        cache_for(request, session),
        ("process", process, name, year),
        lambda: tables,
        figure,
        fmt,
        f"rcphub-{process}-{name}-{year}.{fmt}",
    )


@router.get("/analytics/countries/{ident}/{filename}")
def country_download(
    request: Request, ident: str, filename: str, session: SessionDep, year: DataYear = 2020
) -> Response:
    name, fmt = _split(filename)
    context = _country_page(request, session, ident, year)
    iso3 = context["s"].iso3
    figures: dict[str, Figure] = context["figures"]
    if name == "migration" and fmt == "xlsx":
        tables = [f.table for f in figures.values()]
        figure = None
    else:
        figure = _figure(figures, name, filename)
        tables = [figure.table]
    return _file(
        request,
        cache_for(request, session),
        ("country", iso3, name, year),
        lambda: tables,
        figure,
        fmt,
        f"rcphub-{iso3}-{name}-{year}.{fmt}",
    )
