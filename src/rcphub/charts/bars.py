"""Bar charts: horizontal bars for ranked categories (top corridors, processes), vertical
columns for a few years (the trend 1990-2020), one or more series side by side.

Horizontal bars read from the start of the line: in Arabic the labels are on the right and the
bars grow leftwards. Columns over years run left to right in every language. Every bar has a
tooltip and ``data-category``/``data-series``/``data-value`` for whoever reads the SVG back.
"""

from __future__ import annotations

from collections.abc import Sequence

from rcphub.charts.area import Series
from rcphub.charts.svg import (
    Chart,
    Formatter,
    LabelLike,
    as_label,
    check_id,
    data_attrs,
    empty_chart,
    finish,
    fit,
    is_rtl,
    legend_parts,
    nice_ticks,
    num,
    plain_number,
    svg_root,
    text_el,
    text_width,
    title_el,
)

WIDTH = 760.0
BAR = 16.0
LABEL_SIZE = 12.0
LABEL_MAX = 250.0


def render_bars(
    categories: Sequence[LabelLike],
    series: Sequence[Series],
    *,
    tooltips: Sequence[Sequence[str]],
    title: str,
    description: str,
    orientation: str = "horizontal",
    empty_message: str = "No data",
    fmt: Formatter = plain_number,
    axis_fmt: Formatter | None = None,
    lang: str = "en",
    id_prefix: str = "bars",
) -> Chart:
    """``series[s].values[c]`` is the bar of category ``c`` in series ``s``;
    ``tooltips[c][s]`` its tooltip. ``fmt`` writes values next to horizontal bars,
    ``axis_fmt`` (default ``fmt``) the ticks of the columns' value axis."""
    prefix = check_id(id_prefix)
    labels = [as_label(c) for c in categories]
    if not labels or not series:
        return empty_chart("bars", title, description, empty_message, lang, prefix)
    if any(len(s.values) != len(labels) for s in series) or len(tooltips) != len(labels):
        raise ValueError("every series and the tooltips need one value per category")
    if orientation == "horizontal":
        return _horizontal(labels, series, tooltips, title, description, fmt, lang, prefix)
    if orientation == "vertical":
        return _vertical(
            labels, series, tooltips, title, description, axis_fmt or fmt, lang, prefix
        )
    raise ValueError(f"orientation must be horizontal or vertical, not {orientation!r}")


def _legend(series: Sequence[Series]) -> list[tuple[str, str]]:
    return [(f"ser ser-{i}", s.label) for i, s in enumerate(series)]


def _horizontal(labels, series, tooltips, title, description, fmt, lang, prefix) -> Chart:  # type: ignore[no-untyped-def]
    rtl = is_rtl(lang)
    margin = 10.0
    shown = [fit(label.text, LABEL_SIZE, LABEL_MAX) for label in labels]
    label_width = max(text_width(text, LABEL_SIZE) for text in shown) + 12
    values = [v for s in series for v in s.values]
    value_room = max(text_width(fmt(v), LABEL_SIZE) for v in values) + 12
    plot = WIDTH - 2 * margin - label_width - value_room
    high = max(values) or 1
    group = BAR * len(series) + 10
    top = 6.0
    parts: list[str] = []
    if len(series) > 1:
        drawn, used = legend_parts(_legend(series), margin, top, WIDTH - 2 * margin, rtl=rtl)
        parts.extend(drawn)
        top += used + 4
    base = WIDTH - margin - label_width if rtl else margin + label_width
    parts.append(
        f'<line class="chart-axis" x1="{num(base)}" x2="{num(base)}" y1="{num(top)}"'
        f' y2="{num(top + group * len(labels))}"/>'
    )
    for c, label in enumerate(labels):
        y0 = top + c * group + 5
        label_x = base + 6 if rtl else base - 6
        parts.append(
            '<g class="bar-label">'
            + title_el(label.tooltip)
            + text_el(
                label_x,
                y0 + group / 2 - 1,
                shown[c],
                align="left" if rtl else "right",
                lang=label.lang,
            )
            + "</g>"
        )
        for s, each in enumerate(series):
            value = each.values[c]
            length = max(0.0, value / high * plot)
            y = y0 + s * BAR
            x = base - length if rtl else base
            end = base - length - 5 if rtl else base + length + 5
            attrs = data_attrs(category=label.key or c, series=each.key, value=value)
            parts.append(
                f'<g class="bar"{attrs}>'
                + title_el(tooltips[c][s])
                + f'<rect class="ser ser-{s}" x="{num(x)}" y="{num(y)}" width="{num(length)}"'
                f' height="{num(BAR - 2)}"/>'
                + text_el(
                    end, y + BAR - 5, fmt(value), align="right" if rtl else "left", cls="bar-value"
                )
                + "</g>"
            )
    height = top + group * len(labels) + 8
    head = svg_root("bars", WIDTH, height, title, description, prefix)
    legend = _legend(series)
    return finish("bars", [head, *parts], WIDTH, height, title, description, lang, legend)


def _vertical(labels, series, tooltips, title, description, axis_fmt, lang, prefix) -> Chart:  # type: ignore[no-untyped-def]
    rtl = is_rtl(lang)
    values = [v for s in series for v in s.values]
    ticks = nice_ticks(max(values), 5)
    high = ticks[-1] or 1
    left = max(text_width(axis_fmt(t), LABEL_SIZE) for t in ticks) + 16
    right, top, plot_height = 12.0, 14.0, 240.0
    plot = WIDTH - left - right
    slot = plot / len(labels)
    bar = min(26.0, (slot - 14) / len(series))

    def y_of(value: float) -> float:
        return top + plot_height - value / high * plot_height

    parts: list[str] = ['<g class="chart-grid">']
    for tick in ticks:
        y = y_of(tick)
        parts.append(
            f'<line x1="{num(left)}" x2="{num(left + plot)}" y1="{num(y)}" y2="{num(y)}"/>'
        )
        parts.append(text_el(left - 6, y + 4, axis_fmt(tick), align="right", cls="chart-tick"))
    parts.append("</g>")
    for c, label in enumerate(labels):
        center = left + slot * (c + 0.5)
        parts.append(
            text_el(
                center,
                top + plot_height + 18,
                label.text,
                align="middle",
                cls="chart-tick",
                lang=label.lang,
            )
        )
        first = center - bar * len(series) / 2
        for s, each in enumerate(series):
            value = each.values[c]
            y = y_of(value)
            attrs = data_attrs(category=label.key or c, series=each.key, value=value)
            parts.append(
                f'<g class="bar"{attrs}>'
                + title_el(tooltips[c][s])
                + f'<rect class="ser ser-{s}" x="{num(first + s * bar)}" y="{num(y)}"'
                f' width="{num(bar - 2)}" height="{num(top + plot_height - y)}"/>' + "</g>"
            )
    parts.append(
        f'<line class="chart-axis" x1="{num(left)}" x2="{num(left + plot)}"'
        f' y1="{num(top + plot_height)}" y2="{num(top + plot_height)}"/>'
    )
    legend = _legend(series)
    drawn, used = legend_parts(legend, left, top + plot_height + 32, plot, rtl=rtl)
    parts.extend(drawn)
    height = top + plot_height + 32 + used + 4
    head = svg_root("bars", WIDTH, height, title, description, prefix)
    return finish("bars", [head, *parts], WIDTH, height, title, description, lang, legend)
