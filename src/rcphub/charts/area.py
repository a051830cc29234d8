"""A stacked area chart over years: how many processes of each kind existed, year by year.

Years run left to right in every language (as in UN statistical publications in Arabic); the
legend and the band label follow the page's direction. Each year has an invisible column with
the year's figures as a tooltip and ``data-x``/``data-values`` for whoever reads the SVG back.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rcphub.charts.svg import (
    Chart,
    Formatter,
    check_id,
    data_attrs,
    empty_chart,
    finish,
    is_rtl,
    legend_parts,
    nice_ticks,
    num,
    plain_number,
    svg_root,
    text_el,
    title_el,
)

WIDTH = 760.0
PLOT_HEIGHT = 260.0


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    values: Sequence[float]


@dataclass(frozen=True)
class Band:
    """A span of years to shade, with a short label (``1998–2013``)."""

    start: int
    end: int
    label: str


def year_ticks(first: int, last: int, step: int = 5) -> list[int]:
    ticks = [year for year in range(first, last + 1) if year % step == 0]
    return ticks or [first, last]


def render_stacked_area(
    years: Sequence[int],
    series: Sequence[Series],
    *,
    tooltips: Sequence[str],
    title: str,
    description: str,
    y_label: str = "",
    band: Band | None = None,
    empty_message: str = "No data",
    fmt: Formatter = plain_number,
    year_fmt: Formatter = plain_number,
    lang: str = "en",
    id_prefix: str = "area",
) -> Chart:
    prefix = check_id(id_prefix)
    if not years or not series:
        return empty_chart("area", title, description, empty_message, lang, prefix)
    if any(len(s.values) != len(years) for s in series) or len(tooltips) != len(years):
        raise ValueError("every series and the tooltips need one value per year")
    rtl = is_rtl(lang)
    left, right, top = 48.0, 16.0, 28.0
    plot_width = WIDTH - left - right
    first, last = years[0], years[-1]
    span = max(1, last - first)
    totals = [sum(s.values[i] for s in series) for i in range(len(years))]
    ticks = nice_ticks(max(totals), 5)
    high = ticks[-1] or 1

    def x_of(year: float) -> float:
        return left + (year - first) / span * plot_width

    def y_of(value: float) -> float:
        return top + PLOT_HEIGHT - value / high * PLOT_HEIGHT

    parts: list[str] = ['<g class="chart-grid">']
    for tick in ticks:
        y = y_of(tick)
        parts.append(
            f'<line x1="{num(left)}" x2="{num(left + plot_width)}" y1="{num(y)}" y2="{num(y)}"/>'
        )
        parts.append(text_el(left - 6, y + 4, fmt(tick), align="right", cls="chart-tick"))
    for year in year_ticks(first, last):
        x = x_of(year)
        parts.append(
            f'<line class="chart-axis-tick" x1="{num(x)}" x2="{num(x)}"'
            f' y1="{num(top + PLOT_HEIGHT)}" y2="{num(top + PLOT_HEIGHT + 5)}"/>'
        )
        parts.append(
            text_el(x, top + PLOT_HEIGHT + 18, year_fmt(year), align="middle", cls="chart-tick")
        )
    parts.append("</g>")
    if y_label:
        parts.append(text_el(left - 40, top - 12, y_label, align="left", cls="chart-axis-label"))
    if band is not None and band.end >= first and band.start <= last:
        x1, x2 = x_of(max(band.start, first)), x_of(min(band.end, last))
        parts.append(
            f'<rect class="area-band" x="{num(x1)}" y="{num(top)}" width="{num(x2 - x1)}"'
            f' height="{num(PLOT_HEIGHT)}"/>'
        )
        parts.append(
            text_el((x1 + x2) / 2, top - 8, band.label, align="middle", cls="area-band__label")
        )

    below = [0.0] * len(years)
    parts.append('<g class="area-series">')
    for index, each in enumerate(series):
        upper = [below[i] + each.values[i] for i in range(len(years))]
        points = [f"{num(x_of(y))},{num(y_of(v))}" for y, v in zip(years, upper, strict=True)]
        back = [
            f"{num(x_of(y))},{num(y_of(v))}"
            for y, v in zip(reversed(years), reversed(below), strict=True)
        ]
        parts.append(
            f'<polygon class="ser ser-{index}" points="{" ".join(points + back)}"'
            f"{data_attrs(series=each.key)}>{title_el(each.label)}</polygon>"
        )
        below = upper
    parts.append("</g>")
    parts.append(
        f'<line class="chart-axis" x1="{num(left)}" x2="{num(left + plot_width)}"'
        f' y1="{num(top + PLOT_HEIGHT)}" y2="{num(top + PLOT_HEIGHT)}"/>'
    )
    step = plot_width / span
    parts.append('<g class="chart-hits">')
    for i, year in enumerate(years):
        values = ";".join(f"{s.key}={s.values[i]:g}" for s in series)
        parts.append(
            f'<rect class="chart-hit" x="{num(x_of(year) - step / 2)}" y="{num(top)}"'
            f' width="{num(step)}" height="{num(PLOT_HEIGHT)}"'
            f"{data_attrs(x=year, values=values)}>{title_el(tooltips[i])}</rect>"
        )
    parts.append("</g>")
    legend = [(f"ser ser-{i}", s.label) for i, s in enumerate(series)]
    legend_y = top + PLOT_HEIGHT + 32
    drawn, used = legend_parts(legend, left, legend_y, plot_width, rtl=rtl)
    parts.extend(drawn)
    height = legend_y + used + 4
    head = svg_root("area", WIDTH, height, title, description, prefix)
    return finish("area", [head, *parts], WIDTH, height, title, description, lang, legend)
