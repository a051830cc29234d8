"""The figures of the migration pages: UN DESA migrant stock per process (headline figures,
top corridors, trend 1990-2020, members by role) and per country (by shared process, top
destinations and origins).
"""

from __future__ import annotations

from dataclasses import dataclass

from rcphub import urls
from rcphub.analytics.schemas import CountryMigration, MigrationResult
from rcphub.charts import Column, Label, Series, Table, render_bars
from rcphub.registry.schemas import ProcessDetail
from rcphub.web import presenters
from rcphub.web.analytics.figures import (
    SOURCE_REGISTRY,
    SOURCE_STOCK,
    Figure,
    Names,
    corridor_text,
    download_links,
    labelled,
    numbers_for,
    short_label,
)
from rcphub.web.mapview import world_map
from rcphub.wording.tools import PageTools


@dataclass(frozen=True)
class Headline:
    key: str
    label: str
    value: str
    raw: float | None


def _source(tools: PageTools) -> str:
    return tools.gettext(SOURCE_STOCK) + " " + tools.gettext(SOURCE_REGISTRY)


def process_headlines(result: MigrationResult, tools: PageTools) -> list[Headline]:
    _ = tools.gettext
    numbers = numbers_for(tools.lang)
    return [
        Headline(
            "intra_stock",
            _("Migrants born in one member State and living in another"),
            numbers.full(result.intra_stock),
            result.intra_stock,
        ),
        Headline(
            "members_emigrants",
            _("Emigrants from the member States, living anywhere"),
            numbers.full(result.members_emigrants),
            result.members_emigrants,
        ),
        Headline(
            "members_immigrants",
            _("Immigrants in the member States, born anywhere"),
            numbers.full(result.members_immigrants),
            result.members_immigrants,
        ),
        Headline(
            "intra_share_of_emigrants",
            _("Share of the members' emigrants who live in another member State"),
            numbers.percent(result.intra_share_of_emigrants),
            result.intra_share_of_emigrants,
        ),
        Headline(
            "intra_share_of_immigrants",
            _("Share of the members' immigrants who were born in another member State"),
            numbers.percent(result.intra_share_of_immigrants),
            result.intra_share_of_immigrants,
        ),
        Headline(
            "members",
            _("Member States counted"),
            numbers.full(len(result.members)),
            len(result.members),
        ),
    ]


def summary_table(result: MigrationResult, tools: PageTools, title: str) -> Table:
    """The headline figures as rows (``migration.csv``)."""
    _ = tools.gettext
    return Table(
        name="summary",
        title=title,
        columns=[
            Column("indicator", _("Indicator code")),
            Column("label", _("Indicator")),
            Column("year", _("Year"), "year"),
            Column("value", _("Value"), "float"),
        ],
        rows=[[h.key, h.label, result.year, h.raw] for h in process_headlines(result, tools)],
        source=_source(tools),
    )


def members_figure(
    detail: ProcessDetail, tools: PageTools, names: Names, process_name: str, params: dict
) -> Figure | None:
    _ = tools.gettext
    roles = presenters.role_map(detail.memberships)
    if not roles:
        return None
    categories = [r for r in presenters.MAP_ROLE_PRIORITY if r in set(roles.values())]
    title = _("Where the members and observers of %(process)s are") % {"process": process_name}
    what = _(
        "Countries and areas coloured by their role in this process. "
        "Select a country to open its page."
    )
    chart = world_map(
        {},
        names=names.state_texts,
        highlight=roles,
        category_labels={role: str(tools.label("role", role)) for role in categories},
        title=title,
        description=what,
        href=urls.analytics_country,
        legend_title=_("Role"),
        no_data_label=_("Not listed"),
        not_drawn_label=_("Not drawn at this scale"),
        lang=tools.lang,
        id_prefix="map-members",
    )
    table = Table(
        name="members",
        title=title,
        columns=[
            Column("state", _("Code")),
            Column("state_name", _("Country or area")),
            Column("role", _("Role code")),
            Column("role_name", _("Role")),
        ],
        rows=[
            [iso3, names.state_label(iso3), role, str(tools.label("role", role))]
            for iso3, role in sorted(roles.items(), key=lambda item: names.state(item[0]))
        ],
        source=tools.gettext(SOURCE_REGISTRY),
    )
    return Figure(
        key="members",
        title=title,
        what=what,
        source=table.source,
        chart=chart,
        table=table,
        downloads=download_links(urls.analytics_process(detail.id), "members", params, tools.lang),
    )


def corridors_figure(
    result: MigrationResult, tools: PageTools, names: Names, params: dict
) -> Figure:
    _ = tools.gettext
    numbers = numbers_for(tools.lang)
    year = numbers.year(result.year)
    title = _("Largest corridors between member States, %(year)s") % {"year": year}
    what = _(
        "Migrants living in one member State who were born in another, for the ten largest "
        "pairs of countries of birth and residence."
    )
    series_label = _("Migrants")
    categories, values, tooltips = [], [], []
    for c in result.top_corridors:
        text = corridor_text(tools, names.state(c.origin), names.state(c.destination))
        categories.append(Label(text, key=f"{c.origin}-{c.destination}"))
        values.append(c.stock)
        tooltips.append([labelled(tools, text, numbers.full(c.stock))])
    chart = render_bars(
        categories,
        [Series("stock", series_label, values)],
        tooltips=tooltips,
        title=title,
        description=what,
        empty_message=_("No migrant was born in one member State and living in another."),
        fmt=numbers.full,
        lang=tools.lang,
        id_prefix="chart-corridors",
    )
    table = Table(
        name="corridors",
        title=title,
        columns=[
            Column("origin", _("Country of birth (code)")),
            Column("origin_name", _("Country of birth")),
            Column("destination", _("Country of residence (code)")),
            Column("destination_name", _("Country of residence")),
            Column("year", _("Year"), "year"),
            Column("stock", series_label, "int"),
        ],
        rows=[
            [
                c.origin,
                names.state_label(c.origin),
                c.destination,
                names.state_label(c.destination),
                result.year,
                c.stock,
            ]
            for c in result.top_corridors
        ],
        source=_source(tools),
    )
    return Figure(
        key="corridors",
        title=title,
        what=what,
        source=table.source,
        chart=chart,
        table=table,
        downloads=download_links(
            urls.analytics_process(result.process), "corridors", params, tools.lang
        ),
    )


def trend_figure(result: MigrationResult, tools: PageTools, params: dict) -> Figure:
    _ = tools.gettext
    numbers = numbers_for(tools.lang)
    title = _("Migration within the process and of its members, 1990–2020")
    what = _(
        "Every five years: migrants born in one member State and living in another, all "
        "emigrants from the member States and all immigrants in them."
    )
    series = [
        Series("intra_stock", _("Within the process"), [t.intra_stock for t in result.trend]),
        Series(
            "members_emigrants",
            _("Members' emigrants"),
            [t.members_emigrants for t in result.trend],
        ),
        Series(
            "members_immigrants",
            _("Members' immigrants"),
            [t.members_immigrants for t in result.trend],
        ),
    ]
    categories = [Label(numbers.year(t.year), key=str(t.year)) for t in result.trend]
    tooltips = [
        [
            labelled(tools, f"{numbers.year(t.year)} · {s.label}", numbers.full(s.values[i]))
            for s in series
        ]
        for i, t in enumerate(result.trend)
    ]
    chart = render_bars(
        categories,
        series,
        tooltips=tooltips,
        title=title,
        description=what,
        orientation="vertical",
        fmt=numbers.full,
        axis_fmt=numbers.compact,
        lang=tools.lang,
        id_prefix="chart-trend",
    )
    table = Table(
        name="trend",
        title=title,
        columns=[
            Column("year", _("Year"), "year"),
            Column("members", _("Member States counted"), "int"),
            Column("intra_stock", series[0].label, "int"),
            Column("members_emigrants", series[1].label, "int"),
            Column("members_immigrants", series[2].label, "int"),
            Column("intra_share_of_emigrants", _("Share of emigrants within the process"), "share"),
            Column(
                "intra_share_of_immigrants", _("Share of immigrants within the process"), "share"
            ),
        ],
        rows=[
            [
                t.year,
                t.members,
                t.intra_stock,
                t.members_emigrants,
                t.members_immigrants,
                t.intra_share_of_emigrants,
                t.intra_share_of_immigrants,
            ]
            for t in result.trend
        ],
        source=_source(tools),
    )
    return Figure(
        key="trend",
        title=title,
        what=what,
        source=table.source,
        chart=chart,
        table=table,
        downloads=download_links(
            urls.analytics_process(result.process), "trend", params, tools.lang
        ),
    )


# ---------------------------------------------------------------------------- countries


def country_headlines(result: CountryMigration, tools: PageTools) -> list[Headline]:
    _ = tools.gettext
    numbers = numbers_for(tools.lang)
    return [
        Headline(
            "emigrants",
            _("Emigrants: born here, living in another country"),
            numbers.full(result.emigrants),
            result.emigrants,
        ),
        Headline(
            "immigrants",
            _("Immigrants: living here, born in another country"),
            numbers.full(result.immigrants),
            result.immigrants,
        ),
        Headline(
            "processes",
            _("Processes with a list of member States"),
            numbers.full(len(result.by_process)),
            len(result.by_process),
        ),
    ]


def by_process_figure(
    result: CountryMigration,
    acronyms: dict[str, str | None],
    tools: PageTools,
    names: Names,
    country: str,
    params: dict,
) -> Figure:
    _ = tools.gettext
    numbers = numbers_for(tools.lang)
    title = _("Migrants between %(country)s and the other members of each process, %(year)s") % {
        "country": country,
        "year": numbers.year(result.year),
    }
    what = _(
        "For each process %(country)s is a member of: its emigrants who live in the other "
        "member States, and its immigrants who were born in them. A migrant counts under every "
        "process the two countries share."
    ) % {"country": country}
    out_label = _("Emigrants to the other members")
    in_label = _("Immigrants from the other members")
    categories, tooltips = [], []
    for share in result.by_process:
        full = names.text(share.names, share.process)
        categories.append(
            Label(
                short_label(acronyms.get(share.process), share.names, share.process),
                key=share.process,
                title=full,
            )
        )
        tooltips.append(
            [
                labelled(tools, f"{full} · {out_label}", numbers.full(share.emigrants_to_members)),
                labelled(
                    tools, f"{full} · {in_label}", numbers.full(share.immigrants_from_members)
                ),
            ]
        )
    series = [
        Series(
            "emigrants_to_members", out_label, [s.emigrants_to_members for s in result.by_process]
        ),
        Series(
            "immigrants_from_members",
            in_label,
            [s.immigrants_from_members for s in result.by_process],
        ),
    ]
    chart = render_bars(
        categories,
        series,
        tooltips=tooltips,
        title=title,
        description=what,
        empty_message=_("This country or area is not a member of a process with a list of States."),
        fmt=numbers.full,
        lang=tools.lang,
        id_prefix="chart-by-process",
    )

    def share_of(part: int, whole: int | None) -> float | None:
        return round(part / whole, 4) if whole else None

    table = Table(
        name="processes",
        title=title,
        columns=[
            Column("process", _("Process code")),
            Column("process_name", _("Process")),
            Column("partners", _("Other member States"), "int"),
            Column("emigrants_to_members", out_label, "int"),
            Column("share_of_emigrants", _("Share of all emigrants"), "share"),
            Column("immigrants_from_members", in_label, "int"),
            Column("share_of_immigrants", _("Share of all immigrants"), "share"),
        ],
        rows=[
            [
                s.process,
                names.label(s.names, s.process),
                s.partners,
                s.emigrants_to_members,
                share_of(s.emigrants_to_members, result.emigrants),
                s.immigrants_from_members,
                share_of(s.immigrants_from_members, result.immigrants),
            ]
            for s in result.by_process
        ],
        source=_source(tools),
    )
    return Figure(
        key="processes",
        title=title,
        what=what,
        source=table.source,
        chart=chart,
        table=table,
        downloads=download_links(
            urls.analytics_country(result.iso3), "processes", params, tools.lang
        ),
    )


def ranking_figure(
    result: CountryMigration,
    tools: PageTools,
    names: Names,
    country: str,
    params: dict,
    *,
    outward: bool,
) -> Figure:
    _ = tools.gettext
    numbers = numbers_for(tools.lang)
    year = numbers.year(result.year)
    corridors = result.top_destinations if outward else result.top_origins
    if outward:
        key = "destinations"
        title = _("Where emigrants from %(country)s live, %(year)s") % {
            "country": country,
            "year": year,
        }
        what = _("The ten countries where most people born in %(country)s live.") % {
            "country": country
        }
    else:
        key = "origins"
        title = _("Where immigrants in %(country)s were born, %(year)s") % {
            "country": country,
            "year": year,
        }
        what = _("The ten countries of birth of most people living in %(country)s.") % {
            "country": country
        }
    series_label = _("Migrants")
    others = [c.destination if outward else c.origin for c in corridors]
    chart = render_bars(
        [names.state_label(iso3) for iso3 in others],
        [Series("stock", series_label, [c.stock for c in corridors])],
        tooltips=[
            [labelled(tools, names.state(o), numbers.full(c.stock))]
            for o, c in zip(others, corridors, strict=True)
        ],
        title=title,
        description=what,
        empty_message=_("UN DESA gives no figures for this country or area."),
        fmt=numbers.full,
        lang=tools.lang,
        id_prefix=f"chart-{key}",
    )
    table = Table(
        name=key,
        title=title,
        columns=[
            Column("origin", _("Country of birth (code)")),
            Column("origin_name", _("Country of birth")),
            Column("destination", _("Country of residence (code)")),
            Column("destination_name", _("Country of residence")),
            Column("year", _("Year"), "year"),
            Column("stock", series_label, "int"),
        ],
        rows=[
            [
                c.origin,
                names.state_label(c.origin),
                c.destination,
                names.state_label(c.destination),
                result.year,
                c.stock,
            ]
            for c in corridors
        ],
        source=_source(tools),
    )
    return Figure(
        key=key,
        title=title,
        what=what,
        source=table.source,
        chart=chart,
        table=table,
        downloads=download_links(urls.analytics_country(result.iso3), key, params, tools.lang),
    )


def destinations_map_figure(
    result: CountryMigration, tools: PageTools, names: Names, country: str, params: dict
) -> Figure:
    """The ten largest destinations of a country's emigrants on the world map."""
    _ = tools.gettext
    numbers = numbers_for(tools.lang)
    title = _("Where emigrants from %(country)s live: the ten largest destinations, %(year)s") % {
        "country": country,
        "year": numbers.year(result.year),
    }
    what = _(
        "Countries and areas coloured by the number of people born in %(country)s who live "
        "there; only the ten largest destinations are coloured. Select a country to open its "
        "page."
    ) % {"country": country}
    chart = world_map(
        {c.destination: c.stock for c in result.top_destinations},
        names=names.state_texts,
        value_label=numbers.full,
        title=title,
        description=what,
        href=urls.analytics_country,
        legend_title=_("Migrants"),
        no_data_label=_("Not among the ten largest"),
        not_drawn_label=_("Not drawn at this scale"),
        lang=tools.lang,
        id_prefix="map-destinations",
    )
    table = Table(
        name="map",
        title=title,
        columns=[
            Column("destination", _("Country of residence (code)")),
            Column("destination_name", _("Country of residence")),
            Column("year", _("Year"), "year"),
            Column("stock", _("Migrants"), "int"),
        ],
        rows=[
            [c.destination, names.state_label(c.destination), result.year, c.stock]
            for c in result.top_destinations
        ],
        source=_source(tools),
    )
    return Figure(
        key="map",
        title=title,
        what=what,
        source=table.source,
        chart=chart,
        table=table,
        downloads=download_links(urls.analytics_country(result.iso3), "map", params, tools.lang),
    )
