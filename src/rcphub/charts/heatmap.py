"""A square matrix as a heatmap: which processes share members, coloured by a 0..1 measure.

Rows and columns carry the same labels (acronyms; full names in the tooltips). Each cell shows
a count, is coloured by a value class (``hm-q0`` … under ``hm--k{n}``) and has a tooltip; the
diagonal (``hm-diag``) shows each row's own size. In right-to-left pages the row labels go on
the right and the first column is the rightmost, so the matrix reads from the right.
"""

from __future__ import annotations

from collections.abc import Sequence

from rcphub.charts.svg import (
    Chart,
    Formatter,
    LabelLike,
    as_label,
    check_id,
    class_index,
    data_attrs,
    empty_chart,
    finish,
    fit,
    is_rtl,
    legend_parts,
    num,
    plain_number,
    svg_root,
    text_el,
    text_width,
    title_el,
)

JACCARD_THRESHOLDS = (0.0, 1e-9, 0.1, 0.2, 0.3, 0.5, 0.7)
"""Class starts for a 0..1 similarity: ``0`` alone (no overlap) is a class of its own."""
CELL = 30.0
LABEL_SIZE = 12.0
LABEL_MAX = 130.0


def render_heatmap(
    labels: Sequence[LabelLike],
    values: Sequence[Sequence[float]],
    counts: Sequence[Sequence[int]],
    *,
    tooltips: Sequence[Sequence[str]],
    title: str,
    description: str,
    legend_title: str,
    diagonal_label: str | None = None,
    zero_label: str | None = None,
    empty_message: str = "No data",
    thresholds: Sequence[float] = JACCARD_THRESHOLDS,
    fmt: Formatter = plain_number,
    count_fmt: Formatter = plain_number,
    lang: str = "en",
    id_prefix: str = "heatmap",
) -> Chart:
    """Render ``values[i][j]`` (the colour, e.g. Jaccard) with ``counts[i][j]`` written in
    each cell and ``tooltips[i][j]`` on hover. Cells get ``data-row``/``data-col`` (the
    labels' keys), ``data-value`` and ``data-count`` for whoever reads the SVG back."""
    prefix = check_id(id_prefix)
    items = [as_label(label) for label in labels]
    size = len(items)
    if size == 0:
        return empty_chart("heatmap", title, description, empty_message, lang, prefix)
    if len(values) != size or len(counts) != size or len(tooltips) != size:
        raise ValueError("values, counts and tooltips must have one row per label")
    rtl = is_rtl(lang)
    shown = [fit(item.text, LABEL_SIZE, LABEL_MAX) for item in items]
    label_width = max(text_width(text, LABEL_SIZE) for text in shown) + 10
    # column labels are turned 45 degrees: their height is about 0.71 of their width
    top = label_width * 0.71 + 12
    grid = CELL * size
    margin = 10.0
    # room for the turned label of the last column, beyond the grid
    extra = max(0.0, label_width * 0.71 - CELL / 2)
    width = margin * 2 + label_width + grid + extra
    grid_x = margin + (extra if rtl else label_width)

    def column_x(j: int) -> float:
        return grid_x + (size - 1 - j if rtl else j) * CELL

    parts: list[str] = []
    parts.append('<g class="hm-columns">')
    for j, item in enumerate(items):
        x = column_x(j) + CELL / 2
        y = top - 6
        # turned so the text runs up and away from the grid
        rotate = f' transform="rotate({-45 if not rtl else 45} {num(x)} {num(y)})"'
        parts.append(
            '<g class="hm-label">'
            + title_el(item.tooltip)
            + text_el(
                x,
                y,
                shown[j],
                align="left" if not rtl else "right",
                lang=item.lang,
                extra=rotate,
            )
            + "</g>"
        )
    parts.append("</g>")

    parts.append('<g class="hm-rows">')
    for i, item in enumerate(items):
        y = top + i * CELL + CELL / 2 + 4
        x = grid_x + grid + 6 if rtl else grid_x - 6
        parts.append(
            '<g class="hm-label">'
            + title_el(item.tooltip)
            + text_el(x, y, shown[i], align="left" if rtl else "right", lang=item.lang)
            + "</g>"
        )
    parts.append("</g>")

    k = len(thresholds)
    parts.append(f'<g class="hm-cells hm--k{k}">')
    for i in range(size):
        for j in range(size):
            value = values[i][j]
            count = counts[i][j]
            cls = "hm-diag" if i == j else f"hm-q{class_index(value, thresholds)}"
            dark = i == j or class_index(value, thresholds) >= k - 2
            x, y = column_x(j), top + i * CELL
            attrs = data_attrs(
                row=items[i].key or str(i),
                col=items[j].key or str(j),
                value=value,
                count=count,
            )
            parts.append(
                f'<g class="hm-cell"{attrs}>'
                + title_el(tooltips[i][j])
                + f'<rect class="{cls}" x="{num(x)}" y="{num(y)}" width="{num(CELL - 1)}"'
                f' height="{num(CELL - 1)}"/>'
                + (
                    text_el(
                        x + CELL / 2 - 0.5,
                        y + CELL / 2 + 4,
                        count_fmt(count),
                        align="middle",
                        cls="hm-count hm-count--light" if dark else "hm-count",
                    )
                    if count
                    else ""
                )
                + "</g>"
            )
    parts.append("</g>")

    legend = []
    for index, low in enumerate(thresholds):
        high = thresholds[index + 1] if index + 1 < k else 1.0
        if index == 0:
            text = zero_label or fmt(low)
        else:
            text = f"{fmt(0 if low < 1e-6 else low)}–{fmt(high)}"
        legend.append((f"hm-q{index}", text))
    legend_y = top + grid + 16
    legend_width = width - 2 * margin
    title_y = legend_y + 10
    parts.append(
        text_el(
            width - margin if rtl else margin,
            title_y,
            legend_title,
            align="right" if rtl else "left",
            cls="chart-legend__title",
        )
    )
    if diagonal_label:
        legend.append(("hm-diag", diagonal_label))
    drawn, used = legend_parts(legend, margin, title_y + 8, legend_width, rtl=rtl)
    parts.append(f'<g class="hm--k{k}">')
    parts.extend(drawn)
    parts.append("</g>")
    height = title_y + 8 + used + 6
    head = svg_root("heatmap", width, height, title, description, prefix)
    return finish("heatmap", [head, *parts], width, height, title, description, lang, legend)
