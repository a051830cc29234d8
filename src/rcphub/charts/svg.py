"""What every chart shares: labels, the :class:`Chart` result, text measuring and SVG pieces.

Charts are drawn left to right as geometry (``direction="ltr"`` on the root, as the maps do);
right-to-left pages get mirrored layouts where reading order matters (labels on the right,
bars growing leftwards) and text anchored by absolute position, never by the inherited writing
direction. Each ``<text>`` carries a script class (``sc-latn``, ``sc-arab``, ``sc-hani``) so one
font can be chosen per element — the PNG renderer needs it, as its font fallback picks poor
faces for mixed runs.

No ``style`` attribute and no script anywhere: colours come from classes styled in
``web/static/css/charts.css``; widths, radii and positions are presentation attributes.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from markupsafe import Markup, escape

Formatter = Callable[[float], str]
"""Formats a number for display (the page passes one bound to its locale)."""

RTL_LANGUAGES = frozenset({"ar"})
_ID_RE = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,63}\Z")
_ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
_LATIN_OR_CYRILLIC = re.compile(r"[A-Za-z\u00c0-\u024f\u0400-\u04ff]")
_HAN = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]")


def plain_number(value: float) -> str:
    """The default formatter: digits as Python writes them (tests and CSV use raw values)."""
    return f"{value:g}" if isinstance(value, float) else str(value)


@dataclass(frozen=True)
class Label:
    """A piece of text on a chart.

    ``key`` identifies what it labels (a process or state id) and goes into ``data-*``
    attributes; ``lang`` is set when the text is not in the chart's language (a fallback
    name); ``title`` is a longer text for tooltips (the full name behind an acronym).
    """

    text: str
    key: str | None = None
    lang: str | None = None
    title: str | None = None

    @property
    def tooltip(self) -> str:
        return self.title or self.text


LabelLike = Label | str


def as_label(value: LabelLike) -> Label:
    return value if isinstance(value, Label) else Label(str(value))


@dataclass
class Chart:
    """A rendered chart: the ``<svg>`` element and what is needed to place it elsewhere
    (a page, a PNG). ``str(chart)`` and ``{{ chart }}`` give the HTML wrapper."""

    kind: str
    svg: str
    width: float
    height: float
    title: str
    description: str
    lang: str = "en"
    legend: list[tuple[str, str]] = field(default_factory=list)  # (css classes, label)

    @property
    def direction(self) -> str:
        return "rtl" if self.lang in RTL_LANGUAGES else "ltr"

    def __html__(self) -> str:
        return f'<div class="rcp-chart rcp-chart--{self.kind}">{self.svg}</div>'

    def __str__(self) -> str:
        return self.__html__()


def check_id(prefix: str) -> str:
    if not _ID_RE.match(prefix):
        raise ValueError(f"invalid id_prefix: {prefix!r}")
    return prefix


def is_rtl(lang: str) -> bool:
    return lang in RTL_LANGUAGES


# ---------------------------------------------------------------------------- text


def script_class(text: str) -> str:
    """``sc-arab`` for text with Arabic letters, ``sc-mixed`` for Arabic mixed with Latin or
    Cyrillic letters (a source citation), ``sc-hani`` for Chinese, else ``sc-latn``."""
    if _ARABIC.search(text):
        return "sc-mixed" if _LATIN_OR_CYRILLIC.search(text) else "sc-arab"
    if _HAN.search(text):
        return "sc-hani"
    return "sc-latn"


def char_width(char: str) -> float:
    """Approximate advance of one character, in ems (no font metrics on the server)."""
    if _HAN.match(char):
        return 1.0
    if _ARABIC.match(char):
        return 0.5
    if char == " ":
        return 0.28
    if char.isupper() or char in "mwMW%":
        return 0.68
    if char.isdigit():
        return 0.57
    if char in "il.,:;'|!()[]":
        return 0.3
    return 0.55


def text_width(text: str, size: float) -> float:
    return sum(char_width(c) for c in text) * size


def fit(text: str, size: float, width: float) -> str:
    """``text`` cut with an ellipsis to fit ``width`` (the full text goes in a tooltip).
    Arabic text gets three full stops: Noto Sans Arabic has no "…", and the PNG renderer
    takes each text's glyphs from one face."""
    if text_width(text, size) <= width:
        return text
    ellipsis = "..." if _ARABIC.search(text) else "…"
    out = ""
    budget = width - text_width(ellipsis, size)
    for char in text:
        if text_width(out + char, size) > budget:
            break
        out += char
    return out.rstrip() + ellipsis


def wrap(text: str, size: float, width: float) -> list[str]:
    """Lines of at most ``width`` (by words; Chinese may break between any characters)."""
    lines: list[str] = []
    current = ""
    tokens = re.findall(r"[\u2e80-\u9fff]|\S+\s*", text)
    for token in tokens:
        candidate = current + token
        if current and text_width(candidate.rstrip(), size) > width:
            lines.append(current.rstrip())
            current = token.lstrip()
        else:
            current = candidate
    if current.strip():
        lines.append(current.rstrip())
    return lines


def num(value: float) -> str:
    """A coordinate for an attribute: short, no exponent."""
    return f"{value:.1f}".rstrip("0").rstrip(".") if value % 1 else str(int(value))


def text_el(
    x: float,
    y: float,
    text: str,
    *,
    align: str = "left",
    cls: str = "",
    lang: str | None = None,
    extra: str = "",
) -> str:
    """A ``<text>`` at (x, y). ``align`` says where x is on the text: ``left`` (x is its left
    edge), ``right`` or ``middle`` — absolute, whatever the language's direction."""
    anchor = {"left": "start", "right": "end", "middle": "middle"}[align]
    classes = f"{cls} {script_class(text)}".strip()
    lang_attr = f' lang="{escape(lang)}"' if lang else ""
    return (
        f'<text x="{num(x)}" y="{num(y)}" text-anchor="{anchor}" class="{classes}"'
        f"{lang_attr}{extra}>{escape(text)}</text>"
    )


def title_el(text: str) -> str:
    return f"<title>{escape(text)}</title>"


def data_attrs(**values: object) -> str:
    return "".join(
        f' data-{name.replace("_", "-")}="{escape(str(value))}"'
        for name, value in values.items()
        if value is not None
    )


def svg_root(
    kind: str, width: float, height: float, title: str, description: str, prefix: str
) -> str:
    """The opening of a chart's ``<svg>``: an image named by its title and description."""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="rcp-chart__svg rcp-chart__svg--{kind}"'
        f' viewBox="0 0 {num(width)} {num(height)}" width="{num(width)}" height="{num(height)}"'
        f' role="img" aria-labelledby="{prefix}-title" aria-describedby="{prefix}-desc"'
        ' direction="ltr" font-size="12" fill="#1b1f24">'
        f'<title id="{prefix}-title">{escape(title)}</title>'
        f'<desc id="{prefix}-desc">{escape(description)}</desc>'
    )


def finish(
    kind: str,
    parts: list[str],
    width: float,
    height: float,
    title: str,
    description: str,
    lang: str,
    legend: list[tuple[str, str]] | None = None,
) -> Chart:
    return Chart(
        kind=kind,
        svg="".join(parts) + "</svg>",
        width=width,
        height=height,
        title=title,
        description=description,
        lang=lang,
        legend=list(legend or []),
    )


def empty_chart(
    kind: str, title: str, description: str, message: str, lang: str, prefix: str
) -> Chart:
    """What a chart with no data draws: its frame and a sentence saying so."""
    width, height = 640.0, 80.0
    parts = [
        svg_root(kind, width, height, title, description, prefix),
        '<rect class="chart-frame" x="0.5" y="0.5" width="639" height="79" fill="none"/>',
        text_el(width / 2, 45, message, align="middle", cls="chart-empty"),
    ]
    return finish(kind, parts, width, height, title, description, lang)


# ---------------------------------------------------------------------------- scales


def nice_ticks(high: float, count: int = 5) -> list[float]:
    """Round tick values from 0 to at least ``high`` (0, 2 M, 4 M ... for 10.8 M)."""
    if high <= 0:
        return [0.0, 1.0]
    raw = high / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    ticks = [0.0]
    while ticks[-1] < high:
        ticks.append(round(ticks[-1] + step, 10))
    return ticks


def class_index(value: float, thresholds: Sequence[float]) -> int:
    """Index of the class of ``value``: classes start at each threshold (the first class
    holds everything below the second threshold)."""
    index = 0
    for i, low in enumerate(thresholds):
        if value >= low:
            index = i
    return index


def legend_parts(
    items: Sequence[tuple[str, str]],
    x: float,
    y: float,
    width: float,
    *,
    rtl: bool,
    size: float = 12,
    swatch: str = "rect",
) -> tuple[list[str], float]:
    """A legend drawn in the SVG (so a PNG carries it): swatches and labels flowing in the
    reading direction, wrapped to ``width``. Returns the parts and the height used."""
    parts = ['<g class="chart-legend">']
    cursor = 0.0
    line = 0
    row_height = size * 1.7
    for cls, text in items:
        item_width = 18 + text_width(text, size) + 18
        if cursor and cursor + item_width > width:
            line += 1
            cursor = 0.0
        top = y + line * row_height
        if rtl:
            right = x + width - cursor
            parts.append(_swatch(swatch, cls, right - 12, top))
            parts.append(text_el(right - 17, top + size * 0.9, text, align="right"))
        else:
            left = x + cursor
            parts.append(_swatch(swatch, cls, left, top))
            parts.append(text_el(left + 17, top + size * 0.9, text, align="left"))
        cursor += item_width
    parts.append("</g>")
    return parts, (line + 1) * row_height


def _swatch(shape: str, cls: str, x: float, top: float) -> str:
    if shape == "circle":
        return f'<circle class="{cls}" cx="{num(x + 6)}" cy="{num(top + 6)}" r="5.5"/>'
    if shape == "line":
        return f'<rect class="{cls}" x="{num(x)}" y="{num(top + 4)}" width="12" height="4"/>'
    return f'<rect class="{cls}" x="{num(x)}" y="{num(top + 1)}" width="12" height="10"/>'


def join_markup(parts: Sequence[str]) -> Markup:
    return Markup("".join(parts))  # noqa: S704 - every dynamic part is escaped where made
