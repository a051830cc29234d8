"""The figures of the analytics overview: membership overlap (heatmap, network, bridges, map),
growth of the system and the meetings on one time axis.

Each builder turns a service result into a :class:`Figure` whose table holds exactly the rows
the chart draws; the routes serve the same table as CSV and XLSX and the chart as PNG.
"""

from __future__ import annotations

from typing import Any

from rcphub import urls
from rcphub.analytics.schemas import OverlapResult, TimelineResult
from rcphub.charts import (
    Band,
    Column,
    Edge,
    Event,
    Label,
    Lane,
    Node,
    Series,
    Table,
    cluster_order,
    render_heatmap,
    render_network,
    render_stacked_area,
    render_timeline,
)
from rcphub.web.analytics.figures import (
    SOURCE_MEETINGS,
    SOURCE_REGISTRY,
    Figure,
    Names,
    Numbers,
    download_links,
    labelled,
    numbers_for,
    short_label,
)
from rcphub.web.mapview import world_map
from rcphub.wording import labels
from rcphub.wording.tools import PageTools

NETWORK_MIN_SHARED = 3
"""A line joins two processes that share at least this many States."""
BRIDGES_SHOWN = 25
"""States listed as bridges: this many, and any tied with the last."""
GROWTH_BAND = (1998, 2013)
"""The fifteen years before the 2013 global meeting in Lima, whose summary stresses the growth
of RCPs in them."""
TIMELINE_LANES = ("grcp", "gfmd", "hld", "imrf")


def _process_labels(result: OverlapResult, names: Names) -> list[Label]:
    out = []
    for p in result.processes:
        full = names.text(p.names, p.id)
        out.append(Label(short_label(p.acronym, p.names, p.id), key=p.id, title=full))
    return out


def _pair_tooltip(
    tools: PageTools, numbers: Numbers, a: str, b: str, shared: int, index: float
) -> str:
    return tools.ngettext(
        "%(a)s and %(b)s: %(num)s State in both (Jaccard index %(index)s)",
        "%(a)s and %(b)s: %(num)s States in both (Jaccard index %(index)s)",
        shared,
    ) % {"a": a, "b": b, "num": numbers.full(shared), "index": numbers.index(index)}


def _size_tooltip(tools: PageTools, numbers: Numbers, process: str, count: int) -> str:
    return tools.ngettext("%(process)s: %(num)s State", "%(process)s: %(num)s States", count) % {
        "process": process,
        "num": numbers.full(count),
    }


def clustered(result: OverlapResult) -> OverlapResult:
    """The result with its processes in cluster order (:func:`rcphub.charts.cluster_order`):
    processes that share many States side by side, so overlaps show as blocks."""
    ids = [p.id for p in result.processes]
    similarity = {(p.a, p.b): p.jaccard for p in result.pairs}
    order = [ids.index(i) for i in cluster_order(ids, similarity)]
    return result.model_copy(
        update={
            "processes": [result.processes[i] for i in order],
            "shared": [[result.shared[i][j] for j in order] for i in order],
            "jaccard": [[result.jaccard[i][j] for j in order] for i in order],
        }
    )


def overlap_figure(
    result: OverlapResult, tools: PageTools, names: Names, params: dict[str, Any]
) -> Figure:
    _ = tools.gettext
    result = clustered(result)
    numbers = numbers_for(tools.lang)
    items = _process_labels(result, names)
    full = [item.tooltip for item in items]
    size = len(items)
    tooltips = [
        [
            _size_tooltip(tools, numbers, full[i], result.shared[i][i])
            if i == j
            else _pair_tooltip(
                tools, numbers, full[i], full[j], result.shared[i][j], result.jaccard[i][j]
            )
            for j in range(size)
        ]
        for i in range(size)
    ]
    title = _("States in both of two processes")
    what = _(
        "Each cell gives the number of States counted in both processes; its colour, the "
        "Jaccard index: those States as a share of the States in either process. The diagonal "
        "gives each process's own number of States. Hover over a cell for the full names."
    )
    chart = render_heatmap(
        items,
        result.jaccard,
        result.shared,
        tooltips=tooltips,
        title=title,
        description=what,
        legend_title=_("Jaccard index"),
        diagonal_label=_("States of the process"),
        zero_label=_("No State in both"),
        empty_message=_("No process has a list of States."),
        fmt=numbers.full,
        count_fmt=numbers.full,
        lang=tools.lang,
        id_prefix="chart-overlap",
    )
    cells = [names.label(p.names, p.id) for p in result.processes]
    rows = [
        [a.id, cells[i], b.id, cells[j], result.shared[i][j], result.jaccard[i][j]]
        for i, a in enumerate(result.processes)
        for j, b in enumerate(result.processes)
    ]
    table = Table(
        name="overlap",
        title=title,
        columns=[
            Column("process", _("Process code")),
            Column("process_name", _("Process")),
            Column("other", _("Other process code")),
            Column("other_name", _("Other process")),
            Column("shared", _("States in both"), "int"),
            Column("jaccard", _("Jaccard index"), "index"),
        ],
        rows=rows,
        source=_(SOURCE_REGISTRY),
    )
    matrix = Table(
        name="overlap-matrix",
        title=title,
        columns=[Column("process_name", _("Process"))]
        + [Column(p.id, item.text, "int") for p, item in zip(result.processes, items, strict=True)],
        rows=[[cells[i], *result.shared[i]] for i in range(size)],
        source=table.source,
    )
    return Figure(
        key="overlap",
        title=title,
        what=what,
        source=table.source,
        chart=chart,
        table=table,
        html_table=matrix,
        downloads=download_links(urls.analytics(), "overlap", params, tools.lang),
    )


def network_figure(
    result: OverlapResult, tools: PageTools, names: Names, params: dict[str, Any]
) -> Figure:
    _ = tools.gettext
    numbers = numbers_for(tools.lang)
    items = {item.key: item for item in _process_labels(result, names)}
    cells = {p.id: names.label(p.names, p.id) for p in result.processes}
    nodes = [
        Node(
            label=items[p.id],
            size=p.state_count,
            group=p.kind,
            tooltip=_size_tooltip(tools, numbers, items[p.id].tooltip, p.state_count),
        )
        for p in result.processes
    ]
    pairs = [pair for pair in result.pairs if pair.shared >= NETWORK_MIN_SHARED]
    edges = [
        Edge(
            a=pair.a,
            b=pair.b,
            weight=pair.shared,
            similarity=pair.jaccard,
            tooltip=_pair_tooltip(
                tools,
                numbers,
                items[pair.a].tooltip,
                items[pair.b].tooltip,
                pair.shared,
                pair.jaccard,
            ),
        )
        for pair in pairs
    ]
    title = _("Processes linked by the States they share")
    what = _(
        "Each circle is a process, sized by its number of States and coloured by its kind. A "
        "line joins two processes that have at least %(num)s States in common, thicker the "
        "more they share; processes that share many States sit side by side."
    ) % {"num": numbers.full(NETWORK_MIN_SHARED)}
    chart = render_network(
        nodes,
        edges,
        title=title,
        description=what,
        group_labels={kind: tools.gettext(labels.KINDS[kind]) for kind in labels.KINDS},
        empty_message=_("No process has a list of States."),
        lang=tools.lang,
        id_prefix="chart-network",
    )
    table = Table(
        name="network",
        title=title,
        columns=[
            Column("process", _("Process code")),
            Column("process_name", _("Process")),
            Column("other", _("Other process code")),
            Column("other_name", _("Other process")),
            Column("shared", _("States in both"), "int"),
            Column("jaccard", _("Jaccard index"), "index"),
            Column("states", _("States in both (codes)")),
        ],
        rows=[
            [
                pair.a,
                cells[pair.a],
                pair.b,
                cells[pair.b],
                pair.shared,
                pair.jaccard,
                " ".join(pair.states),
            ]
            for pair in pairs
        ],
        source=_(SOURCE_REGISTRY),
    )
    return Figure(
        key="network",
        title=title,
        what=what,
        source=table.source,
        chart=chart,
        table=table,
        downloads=download_links(urls.analytics(), "network", params, tools.lang),
    )


def bridges_table(
    result: OverlapResult, tools: PageTools, names: Names, params: dict[str, Any]
) -> Figure:
    """The States in most processes (a table; its download holds the same rows)."""
    _ = tools.gettext
    shown = result.bridges[:BRIDGES_SHOWN]
    if shown:
        last = shown[-1].process_count
        shown = [b for b in result.bridges if b.process_count >= last]
    acronyms = {p.id: short_label(p.acronym, p.names, p.id) for p in result.processes}
    title = _("States that take part in the most processes")
    table = Table(
        name="bridges",
        title=title,
        columns=[
            Column("state", _("Code")),
            Column("state_name", _("Country or area")),
            Column("count", _("Number of processes"), "int"),
            Column("processes", _("Processes")),
        ],
        rows=[
            [
                b.iso3,
                names.state_label(b.iso3),
                b.process_count,
                ", ".join(acronyms.get(p, p) for p in b.processes),
            ]
            for b in shown
        ],
        source=_(SOURCE_REGISTRY),
    )
    return Figure(
        key="bridges",
        title=title,
        what=_(
            "The countries and areas counted in the most processes, and in which: they are "
            "the bridges through which the processes overlap."
        ),
        source=table.source,
        chart=None,
        table=table,
        downloads=download_links(urls.analytics(), "bridges", params, tools.lang, ("csv", "xlsx")),
    )


def states_map_figure(
    result: OverlapResult, tools: PageTools, names: Names, params: dict[str, Any]
) -> Figure:
    _ = tools.gettext
    counts = {b.iso3: b.process_count for b in result.bridges}
    title = _("Membership of regional and global processes on migration")
    what = _(
        "Number of processes (RCPs, inter-regional forums and global processes) of which "
        "each country or area is a member. Select a country to open its page."
    )
    chart = world_map(
        counts,
        names=names.state_texts,
        title=title,
        description=what,
        href=urls.analytics_country,
        legend_title=_("Number of processes"),
        no_data_label=_("Member of none listed"),
        not_drawn_label=_("Not drawn at this scale"),
        lang=tools.lang,
        id_prefix="map-analytics",
    )
    table = Table(
        name="states",
        title=title,
        columns=[
            Column("state", _("Code")),
            Column("state_name", _("Country or area")),
            Column("count", _("Number of processes"), "int"),
        ],
        rows=[[b.iso3, names.state_label(b.iso3), b.process_count] for b in result.bridges],
        source=_(SOURCE_REGISTRY),
    )
    return Figure(
        key="states",
        title=title,
        what=what,
        source=table.source,
        chart=chart,
        table=table,
        downloads=download_links(urls.analytics(), "states", params, tools.lang),
    )


def growth_figure(result: TimelineResult, tools: PageTools) -> Figure:
    _ = tools.gettext
    numbers = numbers_for(tools.lang)
    kinds = [k for k in result.kinds if any(g.by_kind.get(k) for g in result.growth)]
    years = [g.year for g in result.growth]
    series = [
        Series(
            kind,
            tools.gettext(labels.KINDS_PLURAL.get(kind, kind)),
            [g.by_kind.get(kind, 0) for g in result.growth],
        )
        for kind in kinds
    ]
    tooltips = []
    for g in result.growth:
        lines = [numbers.year(g.year)]
        lines += [labelled(tools, s.label, numbers.full(g.by_kind.get(s.key, 0))) for s in series]
        tooltips.append("\n".join(lines))
    title = _("How many processes there were, year by year")
    rcp_before = next(
        (g.by_kind.get("rcp", 0) for g in result.growth if g.year == GROWTH_BAND[0] - 1), 0
    )
    rcp_after = next(
        (g.by_kind.get("rcp", 0) for g in result.growth if g.year == GROWTH_BAND[1]), 0
    )
    what = _(
        "Processes that existed each year, by kind, counted from the year each was founded "
        "(cumulative). The shaded years, %(start)s to %(end)s, are the fifteen years before the "
        "2013 global meeting in Lima, whose Chair's summary stresses the growth of RCPs in them: "
        "from %(before)s to %(after)s RCPs in this registry."
    ) % {
        "start": numbers.year(GROWTH_BAND[0]),
        "end": numbers.year(GROWTH_BAND[1]),
        "before": numbers.full(rcp_before),
        "after": numbers.full(rcp_after),
    }
    chart = render_stacked_area(
        years,
        series,
        tooltips=tooltips,
        title=title,
        description=what,
        y_label=_("Processes"),
        band=Band(
            GROWTH_BAND[0],
            GROWTH_BAND[1],
            f"{numbers.year(GROWTH_BAND[0])}–{numbers.year(GROWTH_BAND[1])}",
        ),
        empty_message=_("No process has a founding year."),
        fmt=numbers.full,
        year_fmt=numbers.year,
        lang=tools.lang,
        id_prefix="chart-growth",
    )
    table = Table(
        name="growth",
        title=title,
        columns=[Column("year", _("Year"), "year")]
        + [Column(s.key, s.label, "int") for s in series]
        + [Column("founded", _("Founded that year (codes)"))],
        rows=[
            [g.year, *[g.by_kind.get(s.key, 0) for s in series], " ".join(g.founded)]
            for g in result.growth
        ],
        source=_(SOURCE_REGISTRY),
    )
    note = None
    if result.undated:
        note = _("Not counted, for want of a founding year: %(codes)s.") % {
            "codes": ", ".join(result.undated)
        }
        table.notes.append(note)
    return Figure(
        key="growth",
        title=title,
        what=what,
        source=table.source,
        chart=chart,
        table=table,
        downloads=download_links(urls.analytics(), "growth", {}, tools.lang),
        note=note,
    )


def timeline_figure(
    result: TimelineResult,
    process_names: dict[str, dict[str, str]],
    tools: PageTools,
    names: Names,
) -> Figure:
    _ = tools.gettext
    numbers = numbers_for(tools.lang)
    lanes = []
    rows = []
    for series in TIMELINE_LANES:
        events = []
        label = tools.gettext(labels.SERIES_SHORT[series])
        for e in result.events:
            if e.series != series:
                continue
            country = names.state(e.country) if e.country else None
            place = ", ".join(x for x in (e.city, country) if x)
            text = _("%(series)s %(year)s") % {"series": label, "year": numbers.year(e.year)}
            tooltip = f"{text} — {place}" if place else text
            events.append(Event(e.year, e.id, tooltip))
            rows.append([series, label, e.year, e.id, text, e.city or "", e.country or ""])
        lanes.append(Lane(series, label, events))
    founded_label = _("Processes founded")
    founded = []
    for growth in result.growth:
        for ident in growth.founded:
            full = names.text(process_names.get(ident), ident)
            tooltip = _("%(process)s, founded in %(year)s") % {
                "process": full,
                "year": numbers.year(growth.year),
            }
            founded.append(Event(growth.year, ident, tooltip))
            cell = names.label(process_names.get(ident), ident)
            rows.append(["founded", founded_label, growth.year, ident, cell, "", ""])
    lanes.append(Lane("founded", founded_label, founded))
    years = [e.year for lane in lanes for e in lane.events]
    start = (min(years) // 5) * 5 if years else 2005
    end = max(years) if years else 2026
    title = _("Global meetings and the founding of processes, on one time axis")
    what = _(
        "Global meetings of chairs and secretariats of RCPs, GFMD summits, High-level "
        "Dialogues and the International Migration Review Forum by year, with the year each "
        "process was founded. Hover over a mark for the meeting or process."
    )
    chart = render_timeline(
        lanes,
        start=start,
        end=end,
        title=title,
        description=what,
        empty_message=_("No meeting or founding year is recorded."),
        year_fmt=numbers.year,
        lang=tools.lang,
        id_prefix="chart-timeline",
    )
    table = Table(
        name="timeline",
        title=title,
        columns=[
            Column("series", _("Series code")),
            Column("series_name", _("Series")),
            Column("year", _("Year"), "year"),
            Column("id", _("Code")),
            Column("name", _("Meeting or process")),
            Column("city", _("City")),
            Column("country", _("Country code")),
        ],
        rows=rows,
        source=_(SOURCE_MEETINGS),
    )
    return Figure(
        key="timeline",
        title=title,
        what=what,
        source=table.source,
        chart=chart,
        table=table,
        downloads=download_links(urls.analytics(), "timeline", {}, tools.lang),
    )
