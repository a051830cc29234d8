"""What the analytics pages are made of: figures (a chart, what it shows, its source, its
downloads and the numbers behind it), numbers in the page's locale, short labels for the
processes, and the service's statements about its basis and caveats in the page language.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from babel import Locale
from babel.numbers import format_compact_decimal, format_decimal, format_percent
from markupsafe import Markup

from rcphub import urls
from rcphub.analytics.membership import CURRENT, DATED, UNDATED
from rcphub.analytics.migration import CAVEATS
from rcphub.charts import Chart, Label, Table
from rcphub.wording.labels import N_
from rcphub.wording.tools import PageTools

FORMATS = ("csv", "xlsx", "png")

BASIS = {
    CURRENT: N_("Membership as last seen in the sources."),
    DATED: N_(
        "Membership as of each year where the sources date joining or leaving; elsewhere "
        "today's membership."
    ),
    UNDATED: N_(
        "The sources do not date when States joined or left, so today's membership is applied "
        "to every year."
    ),
}
CAVEAT_TEXTS = {
    CAVEATS[0]: N_(
        "Migrants whose country of birth is unknown are not in the data by country of birth, "
        "so totals by corridor fall short of the UN world totals by about 5 per cent."
    ),
    CAVEATS[1]: N_(
        "A migrant is counted in the country where they live in that year, by country of "
        "birth; people who moved and came back, or moved within a country, are not counted."
    ),
}
_ESTABLISHED = re.compile(r"The process was established in (\d{4})")
SOURCE_REGISTRY = N_(
    "The hub's reference data on processes and their members, compiled from the public pages "
    "cited on each process page."
)
SOURCE_STOCK = N_(
    "United Nations, Department of Economic and Social Affairs, Population Division (2020). "
    "International Migrant Stock 2020. Licence: CC BY 3.0 IGO."
)
SOURCE_MEETINGS = N_("The hub's reference data on processes and global meetings.")


class Numbers:
    """Numbers as the page's locale writes them (memoised: Babel takes ~50 µs a number, and a
    heatmap writes a thousand). Get one with :func:`numbers_for`."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.locale = Locale.parse(lang)
        self._memo: dict[tuple[str, float], str] = {}
        pattern = self.locale.percent_formats[None].pattern
        # one decimal, in the locale's own pattern ("85,3 %" in French, "85.3%" in English)
        self._percent = re.sub(r"0(?=[^0#]*$)", "0.0", pattern, count=1)

    def _cached(self, kind: str, value: float, make: Callable[[], str]) -> str:
        key = (kind, value)
        text = self._memo.get(key)
        if text is None:
            text = self._memo[key] = make()
        return text

    def full(self, value: float | None) -> str:
        if value is None:
            return ""
        return self._cached("full", value, lambda: format_decimal(value, locale=self.locale))

    def compact(self, value: float) -> str:
        if abs(value) < 1000:
            return self.full(value)
        return self._cached(
            "compact",
            value,
            lambda: format_compact_decimal(value, locale=self.locale, fraction_digits=1),
        )

    def percent(self, value: float | None) -> str:
        if value is None:
            return ""
        return self._cached(
            "percent", value, lambda: format_percent(value, self._percent, locale=self.locale)
        )

    def index(self, value: float) -> str:
        """A 0..1 index with two decimals (Jaccard)."""
        return self._cached(
            "index", value, lambda: format_decimal(value, "0.00", locale=self.locale)
        )

    def year(self, value: float) -> str:
        return self._cached("year", value, lambda: format_decimal(value, "#", locale=self.locale))

    def cell(self, value: Any, kind: str) -> str:
        """A table cell as the page shows it (downloads keep the raw value)."""
        if value is None or value == "":
            return ""
        if kind in ("int", "float"):
            return self.full(value)
        if kind == "share":
            return self.percent(value)
        if kind == "index":
            return self.index(value)
        if kind == "year":
            return self.year(value)
        return str(value)


@functools.cache
def numbers_for(lang: str) -> Numbers:
    return Numbers(lang)


@dataclass
class Download:
    format: str
    href: str


@dataclass
class Figure:
    """One chart on a page, with everything said about it and the numbers behind it."""

    key: str
    title: str
    what: str
    source: str
    chart: Chart | Markup | None
    table: Table
    downloads: list[Download] = field(default_factory=list)
    html_table: Table | None = None  # the table shown under the chart, if not ``table``
    note: str | None = None

    @property
    def shown_table(self) -> Table:
        return self.html_table or self.table


def download_links(
    path: str, name: str, params: Mapping[str, Any], lang: str, formats=FORMATS
) -> list[Download]:
    """``/analytics/overlap.csv?observers=1&lang=fr`` and its siblings (``path``: the page)."""
    query = [(k, str(v)) for k, v in params.items() if v not in (None, "", False)]
    query = [(k, "1" if v == "True" else v) for k, v in query]
    query.append(("lang", lang))
    return [Download(fmt, urls.download(path, f"{name}.{fmt}", query)) for fmt in formats]


# ---------------------------------------------------------------------------- labels

_PROCESS_NAME = re.compile(r"\b([A-Z][\w'’-]+) Process\b")


def short_label(acronym: str | None, names: Mapping[str, str], ident: str) -> str:
    """A label for a crowded axis: the acronym (the first of ``SACM / CSM``), else the place
    a process is named after (``Rabat`` for the Rabat Process), else its id."""
    if acronym:
        return acronym.split(" / ")[0].strip()
    found = _PROCESS_NAME.search(names.get("en", ""))
    return found.group(1) if found else ident


class Names:
    """Names of processes and states in the page language, as plain text and chart labels."""

    def __init__(self, tools: PageTools, states: Mapping[str, Mapping[str, str]]) -> None:
        self.tools = tools
        self.states = states

    def text(self, names: Mapping[str, str] | None, default: str) -> str:
        picked = self.tools.pick(names)
        return picked.text if picked else default

    def lang_of(self, names: Mapping[str, str] | None) -> str | None:
        picked = self.tools.pick(names)
        return picked.lang if picked and picked.fallback else None

    def label(self, names: Mapping[str, str] | None, default: str) -> Label:
        """A name as a table cell or chart label: its text, and its language when that is
        not the page's (a visible fallback)."""
        return Label(self.text(names, default), key=default, lang=self.lang_of(names))

    def state(self, iso3: str) -> str:
        return self.text(self.states.get(iso3), iso3)

    def state_label(self, iso3: str) -> Label:
        names = self.states.get(iso3)
        return Label(self.state(iso3), key=iso3, lang=self.lang_of(names))

    @cached_property
    def state_texts(self) -> dict[str, str]:
        return {iso3: self.state(iso3) for iso3 in self.states}


def translate_basis(tools: PageTools, basis: str) -> tuple[str, str | None]:
    """The basis statement in the page language, and the language of the text shown."""
    message = BASIS.get(basis)
    return (tools.gettext(message), None) if message else (basis, "en")


def translate_caveats(tools: PageTools, caveats: list[str]) -> list[tuple[str, str | None]]:
    out = []
    for caveat in caveats:
        if caveat in CAVEAT_TEXTS:
            out.append((tools.gettext(CAVEAT_TEXTS[caveat]), None))
        elif found := _ESTABLISHED.match(caveat):
            text = tools.gettext(
                "The process was founded in %(year)s: figures for earlier years show the "
                "migration of its members before it existed."
            ) % {"year": tools.year(int(found.group(1)))}
            out.append((text, None))
        else:
            out.append((caveat, "en"))
    return out


def corridor_text(tools: PageTools, origin: str, destination: str) -> str:
    return tools.gettext("%(origin)s → %(destination)s") % {
        "origin": origin,
        "destination": destination,
    }


def labelled(tools: PageTools, label: str, value: str) -> str:
    """``label: value`` with the locale's spacing (French puts a space before the colon)."""
    return tools.gettext("%(label)s: %(value)s") % {"label": label, "value": value}
