"""Server-side world choropleth maps as inline, accessible SVG.

The geometry (Natural Earth 1:50m through the npm package ``world-atlas``,
Equal Earth projection) is vendored in ``data/world.json`` and built by
``scripts/build_world_geometry.py``; see ``data/SOURCES.md``.

The output contains no script and no ``style`` attribute: colours, strokes and
focus rings come from the classes styled in ``web/static/css/map.css``
(``q0`` … ``q{k-1}`` for value classes under ``rcp-map--k{k}``, ``nodata``,
and ``cat cat-{name}`` for categorical maps), so a strict Content Security
Policy is fine.  The legend is HTML next to the SVG, so it follows the page's
writing direction (``dir="rtl"`` for Arabic) while the map itself stays LTR
geometry.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources

import babel
import babel.lists
from markupsafe import Markup, escape

__all__ = [
    "MAX_BINS",
    "ClassBreak",
    "class_breaks",
    "has_geometry",
    "iso3_with_geometry",
    "render_world_map",
]

MAX_BINS = 7  # colour ramps in map.css exist for 1..7 classes
SMALL_AREA = 4.0  # square viewBox units; smaller countries also get a marker
FOCUS_BOX_AREA = 150.0  # smaller linked countries show keyboard focus as a box
MARKER_RADIUS = "2.6"
_CATEGORY_RE = re.compile(r"[a-z][a-z0-9-]{0,31}\Z")
_ID_RE = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,63}\Z")
_ANTARCTICA = "ATA"
_NOT_DRAWN = "Not drawn at this scale"

Number = float | int


# --- geometry ---------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _Country:
    d: str
    centroid: tuple[float, float]
    area: float


@dataclass(frozen=True, slots=True)
class _World:
    view_box: str
    view_box_without_antarctica: str
    outline: str
    countries: Mapping[str, _Country]
    points: Mapping[str, tuple[float, float]]


@functools.cache
def _world() -> _World:
    raw = json.loads(
        resources.files("rcphub.maps").joinpath("data", "world.json").read_text(encoding="utf-8")
    )
    countries = {
        iso3: _Country(
            d=entry["d"], centroid=(entry["centroid"][0], entry["centroid"][1]), area=entry["area"]
        )
        for iso3, entry in raw["countries"].items()
    }
    return _World(
        view_box=raw["viewBox"],
        view_box_without_antarctica=raw["viewBoxWithoutAntarctica"],
        outline=raw["outline"],
        countries=countries,
        points={iso3: (p[0], p[1]) for iso3, p in raw["points"].items()},
    )


def iso3_with_geometry() -> frozenset[str]:
    """ISO3 codes drawn as shapes (not only as a marker) on the world map."""
    return frozenset(_world().countries)


def has_geometry(iso3: str) -> bool:
    """Whether a state or area can be shown on the map, as a shape or a marker."""
    world = _world()
    code = iso3.upper()
    return code in world.countries or code in world.points


# --- classification ---------------------------------------------------------
@dataclass(frozen=True, slots=True)
class ClassBreak:
    """One value class: values ``low <= v <= high`` (ints) or ``low <= v < next low``."""

    low: Number
    high: Number


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _nice(value: float) -> float:
    """Round to two significant figures (12_345 -> 12_000, 0.01234 -> 0.012)."""
    if value == 0:
        return 0.0
    return round(value, 1 - math.floor(math.log10(abs(value))))


def class_breaks(data: Iterable[Number], bins: int = 5) -> list[ClassBreak]:
    """Split values into at most ``bins`` ordered, non-empty classes.

    * as many distinct values as ``bins`` or fewer: one class per value;
    * whole numbers over a short range (at most ``4 * bins`` values wide):
      classes of equal integer width, e.g. 1..12 in 5 bins -> 1-3, 4-6, 7-9, 10-12;
    * anything else: quantiles, rounded to two significant figures.

    Empty input gives no class; all-equal values give one.
    """
    if not 1 <= bins <= MAX_BINS:
        raise ValueError(f"bins must be between 1 and {MAX_BINS}, not {bins}")
    values = sorted(v for v in data if _is_number(v))
    if not values:
        return []
    distinct = sorted(set(values))
    if len(distinct) <= bins:
        return [ClassBreak(v, v) for v in distinct]
    integral = all(float(v).is_integer() for v in distinct)
    lo, hi = distinct[0], distinct[-1]
    if integral:
        lo, hi = int(lo), int(hi)
    if integral and hi - lo + 1 <= 4 * bins:
        width = math.ceil((hi - lo + 1) / bins)
        candidates: list[Number] = list(range(lo + width, hi + 1, width))
    else:
        n = len(values)
        candidates = []
        for i in range(1, bins):
            q = values[min(n - 1, math.ceil(i * n / bins))]
            q = _nice(q)
            candidates.append(math.ceil(q) if integral else q)
    thresholds: list[Number] = []
    for t in sorted(set(candidates)):
        floor = thresholds[-1] if thresholds else lo
        # keep t only if the class it closes, [floor, t), holds a value
        if lo < t <= hi and bisect_left(values, t) > bisect_left(values, floor):
            thresholds.append(t)
    lows: list[Number] = [lo, *thresholds]
    breaks = []
    for i, low in enumerate(lows):
        if i + 1 < len(lows):
            nxt = lows[i + 1]
            high: Number = nxt - 1 if integral else nxt
        else:
            high = hi
        breaks.append(ClassBreak(low, high))
    return breaks


def _class_index(breaks: Sequence[ClassBreak], value: Number) -> int:
    lows = [b.low for b in breaks]
    return max(0, bisect_right(lows, value) - 1)


# --- formatting -------------------------------------------------------------
@functools.cache
def _locale(lang: str) -> babel.Locale:
    try:
        return babel.Locale.parse(lang.replace("-", "_"))
    except (ValueError, babel.UnknownLocaleError):
        return babel.Locale.parse("en")


@functools.lru_cache(maxsize=8192)
def _format_number(value: Number, lang: str) -> str:
    locale = _locale(lang)
    pattern = locale.decimal_formats[None]
    return pattern.apply(value, locale)


def _join_names(names: Sequence[str], lang: str) -> str:
    try:
        return babel.lists.format_list(list(names), locale=_locale(lang))
    except (ValueError, KeyError):  # pragma: no cover - locale without list patterns
        return ", ".join(names)


def _new_id(*parts: object) -> str:
    digest = hashlib.blake2s(repr(parts).encode("utf-8"), digest_size=5).hexdigest()
    return f"rcpmap-{digest}"


# --- rendering --------------------------------------------------------------
def render_world_map(
    values: Mapping[str, Number | None],
    *,
    names: Mapping[str, str],
    title: str,
    description: str,
    value_label: Callable[[Number], str] | None = None,
    href: Callable[[str], str | None] | None = None,
    highlight: Mapping[str, str] | None = None,
    category_labels: Mapping[str, str] | None = None,
    bins: int = 5,
    legend_title: str = "",
    no_data_label: str = "No data",
    not_drawn_label: str = _NOT_DRAWN,
    lang: str = "en",
    antarctica: bool = False,
    id_prefix: str | None = None,
) -> Markup:
    """Render a world map as ``<figure class="rcp-map">`` with an inline SVG and a legend.

    ``values`` maps ISO3 codes to numbers (``None`` or NaN: no data).  Without
    ``highlight`` the numbers are classed by :func:`class_breaks` into at most
    ``bins`` sequential classes.  With ``highlight`` (ISO3 -> category, a
    lower-case CSS-safe word such as ``member`` or ``observer``) the map is
    categorical: each highlighted state gets classes ``cat cat-{category}``,
    the legend lists the categories (labelled by ``category_labels``, in its
    order, or by the category itself) and numbers in ``values`` only show in
    tooltips.

    ``names`` gives display names (fallback: the ISO3 code).  ``value_label``
    formats numbers (default: locale-aware decimal for ``lang``).  ``href``
    maps an ISO3 code to a link target (``None``: no link); states with data
    are then wrapped in ``<a>`` so that they are clickable and focusable.
    States with data too small to see, or drawn only as a point, get a circle
    marker; states with data and no geometry at all are listed after
    ``not_drawn_label``.  Antarctica is left out unless ``antarctica``.

    All text is escaped.  ``id_prefix`` sets the ids used for ``aria-*``
    references (default: derived from the title and description).
    """
    if not 1 <= bins <= MAX_BINS:
        raise ValueError(f"bins must be between 1 and {MAX_BINS}, not {bins}")
    world = _world()
    prefix = id_prefix if id_prefix is not None else _new_id(title, description, legend_title)
    if not _ID_RE.match(prefix):
        raise ValueError(f"invalid id_prefix: {prefix!r}")

    data: dict[str, Number | None] = {}
    for key, value in values.items():
        data[key.upper()] = value if _is_number(value) else None
    categories: dict[str, str] = {}
    if highlight is not None:
        for key, category in highlight.items():
            if not _CATEGORY_RE.match(category):
                raise ValueError(f"highlight category must be a lower-case CSS word: {category!r}")
            categories[key.upper()] = category

    fmt = value_label or (lambda v: _format_number(v, lang))

    def name_of(iso3: str) -> str:
        return names.get(iso3) or names.get(iso3.lower()) or iso3

    # Class per state with data, and the legend entries.
    css: dict[str, str] = {}
    tooltip_value: dict[str, str] = {}
    legend: list[tuple[str, str]] = []  # (css classes, label)
    if highlight is not None:
        kind = "rcp-map--categorical"
        order = list(category_labels or ())
        order += sorted(set(categories.values()) - set(order))
        labels = {c: (category_labels or {}).get(c, c) for c in order}
        for iso3, category in categories.items():
            css[iso3] = f"cat cat-{category}"
            value = data.get(iso3)
            text = labels[category]
            tooltip_value[iso3] = text if value is None else f"{text} ({fmt(value)})"
        used = set(categories.values())
        legend = [(f"cat cat-{c}", labels[c]) for c in order if c in used]
    else:
        present = [v for v in data.values() if v is not None]
        breaks = class_breaks(present, bins)
        kind = f"rcp-map--k{len(breaks)}"
        for iso3, value in data.items():
            if value is not None:
                css[iso3] = f"q{_class_index(breaks, value)}"
                tooltip_value[iso3] = fmt(value)
        for i, b in enumerate(breaks):
            label = fmt(b.low) if b.low == b.high else f"{fmt(b.low)}\u2013{fmt(b.high)}"
            legend.append((f"q{i}", label))

    mentioned = data.keys() | categories.keys()
    no_data_text = str(escape(no_data_label))
    nodata_parts: list[str] = []
    # (has a marker, name, markup, has a link).  Shapes come in name order (the
    # keyboard order when linked), markers after them so that no neighbour hides one.
    data_items: list[tuple[bool, str, str, bool]] = []
    any_nodata = False
    for iso3, country in world.countries.items():
        if iso3 == _ANTARCTICA and not antarctica:
            continue
        name = name_of(iso3)
        label = escape(name)
        cls = css.get(iso3)
        small = country.area < SMALL_AREA and iso3 in mentioned
        if cls is None:
            any_nodata = True
            tip = f"<title>{label}: {no_data_text}</title>"
            if small:
                markup = _shape(iso3, "nodata", country, tip, None, marker=True)
                data_items.append((True, name.casefold(), markup, False))
            else:
                nodata_parts.append(
                    f'<path class="nodata" data-iso3="{iso3}" d="{country.d}">{tip}</path>'
                )
            continue
        tip = f"<title>{label}: {escape(tooltip_value[iso3])}</title>"
        link = href(iso3) if href is not None else None
        markup = _shape(iso3, cls, country, tip, link, marker=small)
        data_items.append((small, name.casefold(), markup, bool(link)))

    not_drawn: list[str] = []
    for iso3 in sorted(mentioned - world.countries.keys()):
        point = world.points.get(iso3)
        if point is None:
            not_drawn.append(name_of(iso3))
            continue
        cls = css.get(iso3, "nodata")
        any_nodata = any_nodata or cls == "nodata"
        shown = tooltip_value.get(iso3)
        tip = f"<title>{escape(name_of(iso3))}: {escape(shown) if shown else no_data_text}</title>"
        link = href(iso3) if href is not None and shown is not None else None
        markup = _point(iso3, cls, point, tip, link)
        data_items.append((True, name_of(iso3).casefold(), markup, bool(link)))

    data_items.sort(key=lambda item: item[:2])
    interactive = any(item[3] for item in data_items)
    view_box = world.view_box if antarctica else world.view_box_without_antarctica

    out: list[str] = [f'<figure class="rcp-map {kind}">']
    out.append(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="rcp-map__svg" viewBox="{view_box}"'
        ' fill="#9a9a9a" stroke="#fff" stroke-width="0.3"'
        f' role="{"group" if interactive else "img"}"'
        f' aria-labelledby="{prefix}-title" aria-describedby="{prefix}-desc">'
        f'<title id="{prefix}-title">{escape(title)}</title>'
        f'<desc id="{prefix}-desc">{escape(description)}</desc>'
        # fill/stroke attributes are only a fallback if map.css is missing (CSS wins)
        f'<path class="rcp-map__sphere" fill="#f5f7f9" d="{world.outline}"/>'
    )
    # In a group, plain shapes would each be announced; hide the no-data ones.
    hidden = ' aria-hidden="true"' if interactive else ""
    out.append(f'<g class="rcp-map__nodata" fill="#dcdcdc"{hidden}>')
    out.extend(nodata_parts)
    out.append('</g><g class="rcp-map__data">')
    out.extend(item[2] for item in data_items)
    out.append("</g></svg>")

    out.append('<figcaption class="rcp-map__legend">')
    if legend_title:
        out.append(f'<span class="rcp-map__legend-title">{escape(legend_title)}</span>')
    out.append('<ul class="rcp-map__legend-items">')
    entries = [*legend, ("nodata", no_data_label)] if any_nodata else legend
    for cls, text in entries:
        out.append(
            f'<li><span class="rcp-map__swatch {cls}" aria-hidden="true"></span>'
            f'<span class="rcp-map__legend-label">{escape(text)}</span></li>'
        )
    out.append("</ul>")
    if not_drawn:
        listed = _join_names(sorted(not_drawn), lang)
        out.append(f'<p class="rcp-map__not-drawn">{escape(not_drawn_label)}: {escape(listed)}</p>')
    out.append("</figcaption></figure>")
    return Markup("".join(out))  # noqa: S704 - every dynamic part above is escaped


def _shape(
    iso3: str, cls: str, country: _Country, tip: str, link: str | None, *, marker: bool
) -> str:
    circle = (
        f'<circle class="rcp-map__marker {cls}" cx="{country.centroid[0]}"'
        f' cy="{country.centroid[1]}" r="{MARKER_RADIUS}"/>'
        if marker
        else ""
    )
    shape = f'<path class="{cls}" d="{country.d}"/>'
    if link:
        size = " rcp-map__link--small" if country.area < FOCUS_BOX_AREA else ""
        return (
            f'<a class="rcp-map__link{size}" href="{escape(link)}" data-iso3="{iso3}">'
            f"{tip}{shape}{circle}</a>"
        )
    return f'<g class="rcp-map__country" data-iso3="{iso3}">{tip}{shape}{circle}</g>'


def _point(iso3: str, cls: str, point: tuple[float, float], tip: str, link: str | None) -> str:
    circle = (
        f'<circle class="rcp-map__marker {cls}" cx="{point[0]}" cy="{point[1]}"'
        f' r="{MARKER_RADIUS}"/>'
    )
    if link:
        return (
            f'<a class="rcp-map__link rcp-map__link--small" href="{escape(link)}"'
            f' data-iso3="{iso3}">{tip}{circle}</a>'
        )
    return f'<g class="rcp-map__country" data-iso3="{iso3}">{tip}{circle}</g>'
