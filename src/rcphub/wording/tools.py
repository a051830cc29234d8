"""Formatting bound to one interface language: messages, labels of registry codes, names of
the data with a marked fallback, numbers, dates and sizes (Babel). The page templates get a
:class:`PageTools` as their globals; feeds, digests and reports word their text with one too.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from babel import Locale
from babel.dates import format_date, format_datetime, format_interval
from babel.numbers import format_decimal
from babel.support import NullTranslations
from babel.units import format_unit
from jinja2 import BaseLoader, Environment, StrictUndefined
from markupsafe import Markup, escape

from rcphub.config import RTL_LANGUAGES
from rcphub.localize import pick_name
from rcphub.wording import labels
from rcphub.wording.passages import RefNames


@dataclass(frozen=True)
class LocalText:
    """A piece of data text in the language it is really in."""

    text: str
    lang: str
    fallback: bool  # True when it is not in the page language


class PageTools:
    """Formatting helpers bound to one interface language (the globals of its environment)."""

    def __init__(self, lang: str, translations: NullTranslations) -> None:
        self.lang = lang
        self.direction = "rtl" if lang in RTL_LANGUAGES else "ltr"
        self.translations = translations
        self._locale = Locale.parse(lang)
        self._language_names: dict[str, str] = {}
        # counts on the pages are small: format them once
        self._small_numbers = [format_decimal(n, locale=self._locale) for n in range(1000)]
        self.refs = RefNames(self.gettext, right_to_left=self.direction == "rtl")

    # -- interface text
    def gettext(self, message: str) -> str:
        return self.translations.gettext(message)

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        return self.translations.ngettext(singular, plural, count)

    def label(self, group: str, code: str | None) -> Markup:
        """The translated label of a registry code (``label('role', 'observer')``)."""
        code = code or ""
        message = labels.GROUPS[group].get(code)
        if message is None:
            return Markup("<span{}>{}</span>").format(self.lang_attrs("en"), code)
        return escape(self.translations.gettext(message))

    def language_name(self, code: str) -> str:
        """The name of a language, in the page language (``fr`` page: ``en`` → "anglais")."""
        if code not in self._language_names:
            try:
                name = Locale.parse(code).get_language_name(self.lang) or code
            except (ValueError, LookupError):
                name = code
            self._language_names[code] = name
        return self._language_names[code]

    # -- data text
    def name(self, names: Mapping[str, str] | None, default: str = "") -> Markup:
        """A data name as HTML: in the page language, or marked as a fallback, e.g.
        ``<span class="fallback"><span lang="en">APC…</span> <small>(anglais)</small></span>``."""
        picked = self.pick(names)
        if picked is None:
            return escape(default)
        if not picked.fallback:
            return escape(picked.text)
        return Markup(
            '<span class="fallback"><span{}>{}</span> '
            '<small class="fallback__note">({})</small></span>'
        ).format(self.lang_attrs(picked.lang), picked.text, self.language_name(picked.lang))

    def en(self, text: str | None) -> Markup:
        """Text of the reference data, which is in English, marked as such: ``lang="en"`` and,
        on a page in another language, a visible "(English)" in the page language."""
        if self.lang == "en":
            return escape(text or "")
        return Markup(
            '<span class="fallback"><span{}>{}</span> '
            '<small class="fallback__note">({})</small></span>'
        ).format(self.lang_attrs("en"), text or "", self.language_name("en"))

    def role_chip(self, role: str) -> Markup:
        return Markup('<span class="chip chip--{}">{}</span>').format(
            role, self.label("role", role)
        )

    def pick(self, names: Mapping[str, str] | None) -> LocalText | None:
        """The name in the page language, else English or the first there is, marked."""
        text, lang = pick_name(dict(names or {}), self.lang)
        if text is None:
            extra = [(k, v) for k, v in (names or {}).items() if v]
            if not extra:
                return None
            lang, text = extra[0]
        return LocalText(unicodedata.normalize("NFC", text), lang, lang != self.lang)

    def table_rows(self, table: Any, cell: Callable[[Any, str], str]) -> Markup:
        """The ``<tr>`` rows of a data table (:class:`rcphub.charts.Table`) as HTML: the row
        header as ``<th scope="row">``, text as ``<td>``, numbers through ``cell`` in
        ``<td class="num">``; a name in another language than the page's marked as such.
        Written here rather than in a Jinja loop: a macro call per cell made the tables
        under the charts half of an analytics page's time (a heatmap's is 500 cells)."""
        header = table.row_header
        kinds = [c.kind for c in table.columns]
        out = []
        for row in table.rows:
            cells = []
            for index, value in enumerate(row):
                if index == header or kinds[index] == "text":
                    text = self._cell_text(value)
                    cells.append(
                        Markup('<th scope="row">{}</th>').format(text)
                        if index == header
                        else Markup("<td>{}</td>").format(text)
                    )
                else:
                    number = cell(value, kinds[index])
                    cells.append(Markup('<td class="num">{}</td>').format(number))
            out.append(Markup("    <tr>") + Markup("").join(cells) + Markup("</tr>\n"))
        return Markup("").join(out)

    def _cell_text(self, value: Any) -> Markup | str:
        lang = getattr(value, "lang", None)
        text = getattr(value, "text", None)
        if value is not None and lang:
            return Markup(
                '<span class="fallback"><span{}>{}</span> '
                '<small class="fallback__note">({})</small></span>'
            ).format(self.lang_attrs(lang), text, self.language_name(lang))
        if value is not None and text is not None:
            return text
        return "" if value is None else value

    def lang_attrs(self, code: str | None) -> Markup:
        """``lang``/``dir`` attributes for text in ``code``, empty when it is the page's."""
        if not code or code == self.lang:
            return Markup("")
        attrs = Markup(' lang="{}"').format(code)
        direction = "rtl" if code in RTL_LANGUAGES else "ltr"
        if direction != self.direction:
            attrs += Markup(' dir="{}"').format(direction)
        return attrs

    # -- numbers and dates
    def number(self, value: float | None) -> str:
        if value is None:
            return ""
        if isinstance(value, int) and 0 <= value < len(self._small_numbers):
            return self._small_numbers[value]
        return format_decimal(value, locale=self._locale)

    def date(self, value: date | None, fmt: str = "long") -> str:
        return "" if value is None else format_date(value, fmt, locale=self._locale)

    def date_range(self, start: date | None, end: date | None) -> str:
        if start is None:
            return ""
        if end is None or end == start:
            return self.date(start)
        return format_interval(start, end, "yMMMd", locale=self._locale)

    def timestamp(self, value: str | None) -> str:
        """An ISO 8601 timestamp (``2026-11-27T22:00:49+00:00``) as a date and time in UTC."""
        if not value:
            return ""
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return value
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return format_datetime(moment, "long", tzinfo=UTC, locale=self._locale)

    def file_size(self, size: int | None) -> str:
        """``23707`` → "23.2 kB" / "23,2 ko" / "23,2 кБ" (decimal units, CLDR unit names)."""
        if size is None:
            return ""
        for unit, scale in (("gigabyte", 10**9), ("megabyte", 10**6), ("kilobyte", 10**3)):
            if size >= scale:
                return format_unit(
                    round(size / scale, 1), f"digital-{unit}", length="short", locale=self._locale
                )
        return format_unit(size, "digital-byte", length="short", locale=self._locale)

    def year(self, value: int | None) -> str:
        """Years are not grouped (2013, not 2 013)."""
        return "" if value is None else format_decimal(value, "#", locale=self._locale)


def template_environment(loader: BaseLoader, tools: PageTools, **options: Any) -> Environment:
    """A Jinja environment that writes HTML in ``tools``' language: autoescaped, strict about
    undefined names, with ``_()``/``ngettext()`` from its catalogue. The pages add their
    globals to it; so does the HTML of the e-mail digests."""
    env = Environment(
        loader=loader,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        **options,
    )
    env.install_gettext_translations(tools.translations, newstyle=True)
    return env
