"""Charts and maps as PNG images: the same SVG the page shows, with its title above it and
its source below, rendered on the server by resvg (``resvg-py``: a wheel with no system
library; no network; system fonts).

The page's stylesheets are passed in and applied by resvg, so the image has the page's
colours. resvg picks poor faces when one ``<text>`` mixes scripts, so each text element names
one font by its script class (:func:`rcphub.charts.svg.script_class`): Noto Sans, Noto Sans
Arabic, Noto Sans CJK SC — the faces of Debian's fonts-noto-core and fonts-noto-cjk — and
DejaVu Sans, the one face with both Arabic and Latin letters, for Arabic text that quotes a
Latin title.

Word order: the heading and source lines are laid out by the Unicode bidirectional algorithm
(resvg implements it, isolates included), each as its own paragraph in the page's direction —
a line of an Arabic page is wrapped in RLI … PDI, one of a page in another language in
LRI … PDI — so an Arabic source line that cites "UN DESA" and "2020" reads right to left with
the acronym and the year in their place, and a Latin line quoting an Arabic title keeps its
order. (SVG's ``direction`` attribute is no help: resvg draws right-to-left text past its
anchor.)
"""

from __future__ import annotations

import re

from rcphub.charts.svg import (
    Chart,
    is_rtl,
    legend_parts,
    num,
    text_el,
    wrap,
)

FONT_RULES = """
text { font-family: "Noto Sans", "DejaVu Sans", sans-serif; }
.sc-latn { font-family: "Noto Sans", "DejaVu Sans", sans-serif; }
.sc-arab { font-family: "Noto Sans Arabic", "Noto Naskh Arabic", sans-serif; }
.sc-hani { font-family: "Noto Sans CJK SC", "Noto Sans CJK JP", sans-serif; }
.sc-mixed { font-family: "DejaVu Sans", "Noto Sans Arabic", sans-serif; }
.png-heading { font-size: 17px; font-weight: 700; fill: #083a66; }
.png-footer { font-size: 11px; fill: #4a525c; }
.png-bg { fill: #ffffff; }
"""
PAD = 16.0
LRI, RLI, PDI = "\u2066", "\u2067", "\u2069"
_SVG_OPEN = re.compile(r"<svg\b")
_MAP_SVG = re.compile(r"<svg\b.*?</svg>", re.DOTALL)
_MAP_KIND = re.compile(r'<figure class="rcp-map ([\w-]+)"')
_MAP_VIEWBOX = re.compile(r'viewBox="([\d.\- ]+)"')
_MAP_LEGEND = re.compile(
    r'<span class="rcp-map__swatch ([\w -]+)" aria-hidden="true"></span>'
    r'<span class="rcp-map__legend-label">(.*?)</span>'
)
_MAP_LEGEND_TITLE = re.compile(r'<span class="rcp-map__legend-title">(.*?)</span>')
_UNESCAPE = {"&amp;": "&", "&lt;": "<", "&gt;": ">", "&#34;": '"', "&#39;": "'", "&quot;": '"'}


def _unescape(text: str) -> str:
    return re.sub(r"&(amp|lt|gt|#34|#39|quot);", lambda m: _UNESCAPE[m.group(0)], text)


def map_chart(
    markup: str, *, title: str, description: str, lang: str, width: float = 900.0
) -> Chart:
    """A world map from :func:`rcphub.maps.render_world_map` as a :class:`Chart`, with its
    HTML legend redrawn inside the SVG (an image has no HTML around it)."""
    found = _MAP_SVG.search(markup)
    if found is None:
        raise ValueError("no <svg> in the map markup")
    kind = _MAP_KIND.search(markup)
    box = _MAP_VIEWBOX.search(found.group(0))
    _, _, box_width, box_height = (float(v) for v in box.group(1).split()) if box else (0, 0, 2, 1)
    map_height = width * box_height / box_width
    rtl = is_rtl(lang)
    items = [(cls, _unescape(text)) for cls, text in _MAP_LEGEND.findall(markup)]
    legend_title = _MAP_LEGEND_TITLE.search(markup)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {num(width)} {{height}}"'
        f' width="{num(width)}" height="{{height}}" direction="ltr" font-size="12">',
        f'<g class="rcp-map {kind.group(1) if kind else ""}">',
        _SVG_OPEN.sub(
            f'<svg x="0" y="0" width="{num(width)}" height="{num(map_height)}"',
            found.group(0),
            count=1,
        ),
    ]
    y = map_height + 10
    if legend_title:
        parts.append(
            text_el(
                width - 4 if rtl else 4,
                y + 10,
                _unescape(legend_title.group(1)),
                align="right" if rtl else "left",
                cls="chart-legend__title",
            )
        )
        y += 18
    drawn, used = legend_parts(items, 4, y, width - 8, rtl=rtl)
    parts.extend(drawn)
    parts.append("</g></svg>")
    height = y + used + 4
    svg = "".join(parts).replace("{height}", num(height))
    return Chart("map", svg, width, height, title, description, lang, items)


def isolated(line: str, rtl: bool) -> str:
    """``line`` as a bidi paragraph of its own, right to left on an Arabic page."""
    return f"{RLI if rtl else LRI}{line}{PDI}"


def compose(chart: Chart, *, heading: str, footer: str) -> str:
    """A standalone SVG: ``heading`` above the chart, ``footer`` (the source) below it, on
    white."""
    rtl = is_rtl(chart.lang)
    width = max(chart.width + 2 * PAD, 480.0)
    inner = width - 2 * PAD
    # widths are estimated without font metrics: leave room for wider faces
    heading_lines = wrap(heading, 17, inner * 0.92)
    footer_lines = wrap(footer, 11, inner * 0.88)
    top = PAD + 22 * len(heading_lines) + 6
    chart_x = (width - chart.width) / 2
    height = top + chart.height + 10 + 15 * len(footer_lines) + PAD
    x = width - PAD if rtl else PAD
    align = "right" if rtl else "left"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {num(width)} {num(height)}"'
        f' width="{num(width)}" height="{num(height)}" direction="ltr">',
        f'<rect class="png-bg" width="{num(width)}" height="{num(height)}" fill="#fff"/>',
    ]
    for i, line in enumerate(heading_lines):
        parts.append(
            text_el(x, PAD + 16 + 22 * i, isolated(line, rtl), align=align, cls="png-heading")
        )
    parts.append(_SVG_OPEN.sub(f'<svg x="{num(chart_x)}" y="{num(top)}"', chart.svg, count=1))
    for i, line in enumerate(footer_lines):
        parts.append(
            text_el(
                x,
                top + chart.height + 22 + 15 * i,
                isolated(line, rtl),
                align=align,
                cls="png-footer",
            )
        )
    parts.append("</svg>")
    return "".join(parts)


def to_png(
    chart: Chart, *, heading: str, footer: str, stylesheet: str = "", zoom: float = 2.0
) -> bytes:
    """The chart as PNG bytes (``zoom`` 2: sharp on high-density screens and in print)."""
    import resvg_py

    svg = compose(chart, heading=heading, footer=footer)
    return bytes(
        resvg_py.svg_to_bytes(
            svg_string=svg, style_sheet=stylesheet + FONT_RULES, zoom=zoom, background="#ffffff"
        )
    )
