"""Rendering pages: one compiled Jinja2 environment per interface language.

Each environment gets its language's gettext callables and the formatting helpers of
:class:`PageTools` once, when the app is built, and is never changed afterwards — so requests in
different languages can render at the same time without sharing mutable state.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urlencode, urlsplit

from babel import Locale
from babel.dates import format_date, format_datetime, format_interval
from babel.numbers import format_decimal
from babel.support import NullTranslations
from babel.units import format_unit
from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from jinja2 import BytecodeCache, Environment, PackageLoader, StrictUndefined
from jinja2.bccache import Bucket
from markupsafe import Markup, escape

from rcphub import __version__
from rcphub.config import LANGUAGES, RTL_LANGUAGES
from rcphub.localize import pick_name
from rcphub.refdata.editorial import source_kind
from rcphub.security import (
    ANON_CSRF_COOKIE,
    CSRF_FIELD,
    SESSION_COOKIE,
    csrf_token_for,
    current_principal,
    secure_cookie,
)
from rcphub.web import views
from rcphub.wording import labels
from rcphub.wording.i18n import (
    COOKIE_MAX_AGE,
    COOKIE_NAME,
    LANGUAGE_AUTONYMS,
    LanguageChoice,
    load_all_translations,
    negotiate_language,
)
from rcphub.wording.passages import RefNames, anchor


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


def source_label(url: str, limit: int = 60) -> str:
    """A short, readable text for a source link: host and path, without the scheme."""
    parts = urlsplit(url)
    text = (parts.netloc.removeprefix("www.") + parts.path).rstrip("/")
    if parts.query:
        text += "?" + parts.query
    return text if len(text) <= limit else text[: limit - 1] + "…"


def is_link(value: str | None) -> bool:
    return bool(value) and value.startswith(("http://", "https://"))


class SharedBytecode(BytecodeCache):
    """Compiled templates kept in memory and shared by the six language environments: they
    differ in their globals (gettext, formatting), not in their code, so each template is
    compiled once instead of once per language."""

    def __init__(self) -> None:
        self._store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        data = self._store.get(bucket.key)
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._store[bucket.key] = bucket.bytecode_to_string()


class Renderer:
    """Renders templates in the language negotiated for a request."""

    def __init__(self, default_language: str) -> None:
        self.default_language = default_language
        loader = PackageLoader("rcphub.web", "templates")
        translations = load_all_translations()
        bytecode = SharedBytecode()
        self.tools = {lang: PageTools(lang, translations[lang]) for lang in LANGUAGES}
        self.environments = {
            lang: self._environment(loader, self.tools[lang], bytecode) for lang in LANGUAGES
        }

    @staticmethod
    def _environment(
        loader: PackageLoader, tools: PageTools, bytecode: BytecodeCache
    ) -> Environment:
        env = Environment(
            loader=loader,
            bytecode_cache=bytecode,
            autoescape=True,
            auto_reload=False,
            trim_blocks=True,
            lstrip_blocks=True,
            undefined=StrictUndefined,
            extensions=["jinja2.ext.i18n"],
        )
        env.install_gettext_translations(tools.translations, newstyle=True)
        env.globals.update(
            lang=tools.lang,
            direction=tools.direction,
            label=tools.label,
            language_name=tools.language_name,
            pick=tools.pick,
            name=tools.name,
            en=tools.en,
            role_chip=tools.role_chip,
            lang_attrs=tools.lang_attrs,
            table_rows=tools.table_rows,
            num=tools.number,
            fmt_date=tools.date,
            date_range=tools.date_range,
            year=tools.year,
            timestamp=tools.timestamp,
            file_size=tools.file_size,
            ref_label=tools.refs.short,
            passage_name=tools.refs.full,
            ref_compact=tools.refs.compact,
            anchor=anchor,
            source_label=source_label,
            source_kind=source_kind,
            dates_note=views.dates_note,
            upcoming=lambda meeting: views.is_upcoming(meeting, date.today()),
            is_link=is_link,
            version=__version__,
        )
        return env

    def language(self, request: Request) -> LanguageChoice:
        """The language of this request, negotiated once and kept on ``request.state``."""
        choice = getattr(request.state, "language", None)
        if choice is None:
            choice = negotiate_language(
                request.query_params.get("lang"),
                request.cookies.get(COOKIE_NAME),
                request.headers.get("accept-language"),
                self.default_language,
            )
            request.state.language = choice
        return choice

    def render(
        self,
        request: Request,
        template: str,
        context: Mapping[str, Any] | None = None,
        *,
        status: int = 200,
        section: str | None = None,
    ) -> HTMLResponse:
        choice = self.language(request)
        env = self.environments[choice.lang]
        page = {
            "request_path": request.url.path,
            "section": section,
            "switcher": language_links(request, choice.lang),
            "principal": current_principal(request),
            "csrf_token": lambda: csrf_token_for(request),
            "csrf_field": CSRF_FIELD,
            **(context or {}),
        }
        html = env.get_template(template).render(page)
        response = HTMLResponse(html, status_code=status)
        set_security_cookies(request, response)
        response.headers["Content-Language"] = choice.lang
        response.headers["Vary"] = "Accept-Language, Cookie"
        if choice.source == "query":
            response.set_cookie(
                COOKIE_NAME, choice.lang, max_age=COOKIE_MAX_AGE, samesite="lax", httponly=True
            )
        return response


def set_security_cookies(request: Request, response: Response) -> None:
    """Send the visitor's own CSRF token if a form of the page just made one; clear a session
    cookie that no longer signs anyone in. Pages with these are never cached."""
    new_token = getattr(request.state, "new_csrf", None)
    if new_token:
        response.set_cookie(
            ANON_CSRF_COOKIE,
            new_token,
            httponly=True,
            samesite="lax",
            secure=secure_cookie(request),
            path="/",
        )
    if getattr(request.state, "clear_session_cookie", False):
        response.delete_cookie(SESSION_COOKIE, path="/")
    if new_token or getattr(request.state, "session_csrf", None):
        response.headers["Cache-Control"] = "no-store"


@dataclass(frozen=True)
class LanguageLink:
    code: str
    autonym: str
    href: str
    current: bool


def language_links(request: Request, current: str) -> list[LanguageLink]:
    """The same page in each language: the current path and query, with ``lang`` replaced."""
    query = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    # one leading slash: a path like //example.org must not become a link to another site
    path = "/" + request.url.path.lstrip("/")
    links = []
    for code in LANGUAGES:
        href = path + "?" + urlencode([*query, ("lang", code)])
        links.append(LanguageLink(code, LANGUAGE_AUTONYMS[code], href, code == current))
    return links
