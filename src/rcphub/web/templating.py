"""Rendering pages: one compiled Jinja2 environment per interface language.

Each environment gets its language's gettext callables and the formatting helpers of
:class:`PageTools` once, when the app is built, and is never changed afterwards — so requests in
different languages can render at the same time without sharing mutable state.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode, urlsplit

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from jinja2 import BytecodeCache, Environment, PackageLoader
from jinja2.bccache import Bucket

from rcphub import __version__, urls
from rcphub.config import LANGUAGES
from rcphub.refdata.editorial import source_kind
from rcphub.security import (
    ANON_CSRF_COOKIE,
    CSRF_FIELD,
    SESSION_COOKIE,
    csrf_token_for,
    current_principal,
    secure_cookie,
)
from rcphub.web import presenters
from rcphub.wording.i18n import (
    COOKIE_MAX_AGE,
    COOKIE_NAME,
    LANGUAGE_AUTONYMS,
    LanguageChoice,
    load_all_translations,
    negotiate_language,
)
from rcphub.wording.passages import anchor
from rcphub.wording.tools import PageTools, template_environment


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
        env = template_environment(loader, tools, bytecode_cache=bytecode, auto_reload=False)
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
            url=urls,
            source_label=source_label,
            source_kind=source_kind,
            dates_note=presenters.dates_note,
            upcoming=lambda meeting: presenters.is_upcoming(meeting, date.today()),
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
