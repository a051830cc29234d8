"""Processes linked by shared members, as a circular network diagram.

The layout is computed here, deterministically: the nodes sit on a circle in the leaf order of
an average-linkage clustering of the edge weights, so processes that share many members are
neighbours and most lines are short chords; labels stand outside the circle, horizontal, so
about twenty-five nodes stay readable. Line width grows with the weight (shared states), node
area with the node's size (member states); node colour says its group (kind of process).
The same picture reads the same in either direction, so nothing is mirrored for Arabic.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rcphub.charts.svg import (
    Chart,
    Label,
    check_id,
    data_attrs,
    empty_chart,
    finish,
    fit,
    is_rtl,
    legend_parts,
    num,
    svg_root,
    text_el,
    title_el,
)

RADIUS = 215.0
LABEL_SIZE = 12.0
LABEL_MAX = 118.0


@dataclass(frozen=True)
class Node:
    label: Label  # label.key identifies the node
    size: int
    group: str  # a lower-case CSS word: the class nw-node--{group}
    tooltip: str


@dataclass(frozen=True)
class Edge:
    a: str
    b: str
    weight: int
    similarity: float  # 0..1, orders the circle
    tooltip: str


def cluster_order(keys: Sequence[str], similarity: Mapping[tuple[str, str], float]) -> list[str]:
    """``keys`` in the leaf order of an average-linkage clustering on ``similarity`` (either
    key order), each merge joining the two ends that are most alike. Deterministic: ties go
    to the earlier clusters in ``keys`` order."""

    def sim(a: str, b: str) -> float:
        return similarity.get((a, b), similarity.get((b, a), 0.0))

    clusters: list[list[str]] = [[key] for key in keys]
    while len(clusters) > 1:
        best: tuple[float, int, int] | None = None
        for i in range(len(clusters)):
            for j in range(i + 1, len(clusters)):
                left, right = clusters[i], clusters[j]
                average = sum(sim(a, b) for a in left for b in right) / (len(left) * len(right))
                if best is None or average > best[0] + 1e-12:
                    best = (average, i, j)
        assert best is not None
        _, i, j = best
        left, right = clusters[i], clusters[j]
        candidates = [
            (left, right),
            (left, right[::-1]),
            (left[::-1], right),
            (left[::-1], right[::-1]),
        ]
        first, second = max(candidates, key=lambda pair: sim(pair[0][-1], pair[1][0]))
        joined = first + second
        clusters[i] = joined
        del clusters[j]
    return clusters[0] if clusters else []


def render_network(
    nodes: Sequence[Node],
    edges: Sequence[Edge],
    *,
    title: str,
    description: str,
    group_labels: Mapping[str, str],
    empty_message: str = "No data",
    lang: str = "en",
    id_prefix: str = "network",
) -> Chart:
    """Draw ``nodes`` on a circle and ``edges`` as curved chords. Edges and nodes carry
    ``data-a``/``data-b``/``data-value`` and ``data-key``/``data-value``."""
    prefix = check_id(id_prefix)
    if not nodes:
        return empty_chart("network", title, description, empty_message, lang, prefix)
    rtl = is_rtl(lang)
    by_key = {node.label.key: node for node in nodes}
    similarity = {(e.a, e.b): e.similarity for e in edges}
    ordered = [by_key[key] for key in cluster_order([n.label.key or "" for n in nodes], similarity)]
    label_room = LABEL_MAX + 30
    width = 2 * (RADIUS + label_room)
    cx, cy = width / 2, RADIUS + 46
    biggest = max(node.size for node in nodes) or 1
    heaviest = max((edge.weight for edge in edges), default=1) or 1

    position: dict[str, tuple[float, float, float, float]] = {}
    for index, node in enumerate(ordered):
        angle = -math.pi / 2 + 2 * math.pi * index / len(ordered)
        radius = 5 + 13 * math.sqrt(node.size / biggest)
        position[node.label.key or ""] = (
            cx + RADIUS * math.cos(angle),
            cy + RADIUS * math.sin(angle),
            angle,
            radius,
        )

    parts: list[str] = ['<g class="nw-edges">']
    for edge in sorted(edges, key=lambda e: (e.weight, e.a, e.b)):
        if edge.a not in position or edge.b not in position:
            continue
        x1, y1, _, _ = position[edge.a]
        x2, y2, _, _ = position[edge.b]
        # a chord bent towards the centre: bundles read better than straight crossings
        qx, qy = (x1 + x2) / 4 + cx / 2, (y1 + y2) / 4 + cy / 2
        stroke = 0.75 + 8 * edge.weight / heaviest
        parts.append(
            f'<path class="nw-edge" d="M{num(x1)} {num(y1)}Q{num(qx)} {num(qy)} {num(x2)}'
            f' {num(y2)}" fill="none" stroke-width="{num(stroke)}"'
            f"{data_attrs(a=edge.a, b=edge.b, value=edge.weight)}>"
            f"{title_el(edge.tooltip)}</path>"
        )
    parts.append('</g><g class="nw-nodes">')
    for node in ordered:
        key = node.label.key or ""
        x, y, angle, radius = position[key]
        cos, sin = math.cos(angle), math.sin(angle)
        gap = radius + 6
        lx, ly = x + gap * cos, y + gap * sin + 4
        if cos > 0.25:
            align = "left"
        elif cos < -0.25:
            align = "right"
        else:
            align = "middle"
            ly += 8 * (1 if sin > 0 else -1)
        shown = fit(node.label.text, LABEL_SIZE, LABEL_MAX)
        parts.append(
            f'<g class="nw-node nw-node--{node.group}"{data_attrs(key=key, value=node.size)}>'
            + title_el(node.tooltip)
            + f'<circle cx="{num(x)}" cy="{num(y)}" r="{num(radius)}"/>'
            + text_el(lx, ly, shown, align=align, cls="nw-label", lang=node.label.lang)
            + "</g>"
        )
    parts.append("</g>")
    groups = []
    for group in dict.fromkeys(node.group for node in nodes):
        groups.append((f"nw-swatch nw-node--{group}", group_labels.get(group, group)))
    legend_y = cy + RADIUS + 40
    drawn, used = legend_parts(groups, 12, legend_y, width - 24, rtl=rtl, swatch="circle")
    parts.extend(drawn)
    height = legend_y + used + 4
    head = svg_root("network", width, height, title, description, prefix)
    return finish("network", [head, *parts], width, height, title, description, lang, groups)
