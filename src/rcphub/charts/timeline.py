"""Events of several series on one time axis: one lane per series (global RCP meetings, GFMD
summits, High-level Dialogues, the Review Forum, processes founded).

Each lane has its own colour and marker shape (colour-blind safe twice over); several events of
one lane in one year stack upwards. Lane names stand at the start of the reading direction
(left, or right in Arabic); years run left to right in every language.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rcphub.charts.area import year_ticks
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
    num,
    plain_number,
    svg_root,
    text_el,
    title_el,
)

WIDTH = 880.0
LANE_HEIGHT = 34.0
STACK_STEP = 12.0
SHAPES = ("circle", "square", "diamond", "triangle", "circle-open")


@dataclass(frozen=True)
class Event:
    year: int
    key: str
    tooltip: str


@dataclass(frozen=True)
class Lane:
    key: str  # a lower-case CSS word: the class tl-lane--{key}
    label: LabelLike
    events: Sequence[Event]


def _marker(shape: str, x: float, y: float) -> str:
    if shape == "square":
        return f'<rect x="{num(x - 5)}" y="{num(y - 5)}" width="10" height="10"/>'
    if shape == "diamond":
        return f'<path d="M{num(x)} {num(y - 6.5)}l6.5 6.5l-6.5 6.5l-6.5 -6.5z"/>'
    if shape == "triangle":
        return f'<path d="M{num(x)} {num(y - 6.5)}l6.5 11l-13 0z"/>'
    return f'<circle cx="{num(x)}" cy="{num(y)}" r="5.5"/>'


def render_timeline(
    lanes: Sequence[Lane],
    *,
    start: int,
    end: int,
    title: str,
    description: str,
    empty_message: str = "No data",
    year_fmt: Formatter = plain_number,
    lang: str = "en",
    id_prefix: str = "timeline",
) -> Chart:
    prefix = check_id(id_prefix)
    if not lanes or not any(lane.events for lane in lanes) or end < start:
        return empty_chart("timeline", title, description, empty_message, lang, prefix)
    rtl = is_rtl(lang)
    label_width = 235.0
    margin = 10.0
    plot_left = margin + (0 if rtl else label_width)
    plot_width = WIDTH - 2 * margin - label_width
    span = max(1, end - start)

    def x_of(year: int) -> float:
        return plot_left + 8 + (year - start) / span * (plot_width - 16)

    heights = []
    for lane in lanes:
        per_year: dict[int, int] = {}
        for event in lane.events:
            per_year[event.year] = per_year.get(event.year, 0) + 1
        stack = max(per_year.values(), default=1)
        heights.append(LANE_HEIGHT + STACK_STEP * (stack - 1))
    top = 12.0
    parts: list[str] = ['<g class="chart-grid">']
    axis_y = top + sum(heights) + 4
    for year in year_ticks(start, end):
        x = x_of(year)
        parts.append(f'<line x1="{num(x)}" x2="{num(x)}" y1="{num(top)}" y2="{num(axis_y)}"/>')
        parts.append(text_el(x, axis_y + 16, year_fmt(year), align="middle", cls="chart-tick"))
    parts.append("</g>")
    y = top
    for index, (lane, height) in enumerate(zip(lanes, heights, strict=True)):
        label = as_label(lane.label)
        shape = SHAPES[index % len(SHAPES)]
        base = y + height - LANE_HEIGHT / 2
        parts.append(f'<g class="tl-lane tl-lane--{lane.key}"{data_attrs(lane=lane.key)}>')
        parts.append(
            f'<line class="tl-rule" x1="{num(plot_left)}" x2="{num(plot_left + plot_width)}"'
            f' y1="{num(base)}" y2="{num(base)}"/>'
        )
        text = fit(label.text, 12, label_width - 14)
        label_x = WIDTH - margin if rtl else margin
        parts.append(
            "<g>"
            + title_el(label.tooltip)
            + text_el(
                label_x,
                base + 4,
                text,
                align="right" if rtl else "left",
                cls="tl-label",
                lang=label.lang,
            )
            + "</g>"
        )
        seen: dict[int, int] = {}
        for event in sorted(lane.events, key=lambda e: (e.year, e.key)):
            level = seen.get(event.year, 0)
            seen[event.year] = level + 1
            parts.append(
                f'<g class="tl-event tl-event--{shape}"'
                f"{data_attrs(lane=lane.key, year=event.year, key=event.key)}>"
                + title_el(event.tooltip)
                + _marker(shape, x_of(event.year), base - level * STACK_STEP)
                + "</g>"
            )
        parts.append("</g>")
        y += height
    parts.append(
        f'<line class="chart-axis" x1="{num(plot_left)}" x2="{num(plot_left + plot_width)}"'
        f' y1="{num(axis_y)}" y2="{num(axis_y)}"/>'
    )
    height = axis_y + 26
    head = svg_root("timeline", WIDTH, height, title, description, prefix)
    legend = [(f"tl-lane--{lane.key}", as_label(lane.label).text) for lane in lanes]
    return finish("timeline", [head, *parts], WIDTH, height, title, description, lang, legend)
