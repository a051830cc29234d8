"""Interface languages: choosing one per request, and loading the gettext catalogues.

The locale of a page is, in this order: ``?lang=`` (which also sets the ``lang`` cookie), the
``lang`` cookie, the ``Accept-Language`` header (q-values honoured; ``zh-CN``, ``zh-Hans``,
``ar-EG`` count as ``zh`` and ``ar``), then ``settings.default_language``.

Catalogues are the ``.po`` files under ``web/translations/`` — there is no compile step: each one is
read with Babel once, when the app is built, and turned into a :class:`babel.support.Translations`
in memory. Fuzzy and empty entries are left out, so the English text shows until a translation
is reviewed.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

from rcphub.config import LANGUAGES, RTL_LANGUAGES

COOKIE_NAME = "lang"
COOKIE_MAX_AGE = 365 * 24 * 3600
DOMAIN = "messages"

LANGUAGE_AUTONYMS: dict[str, str] = {
    "en": "English",
    "fr": "Français",
    "es": "Español",
    "ru": "Русский",
    "ar": "العربية",
    "zh": "中文",
}
"""Each language's name in itself, for the language switcher."""


def normalise_language(tag: str | None) -> str | None:
    """``zh-CN`` → ``zh``, ``AR_eg`` → ``ar``; None for anything not one of the six."""
    if not tag:
        return None
    primary = tag.strip().replace("_", "-").split("-", 1)[0].lower()
    return primary if primary in LANGUAGES else None


def parse_accept_language(header: str | None) -> list[str]:
    """The six-language codes an ``Accept-Language`` header asks for, best first.

    Ranges with ``q=0`` or an unreadable q-value are dropped; ties keep the header's order;
    ``*`` and languages outside the six are ignored.
    """
    if not header:
        return []
    ranked: list[tuple[float, int, str]] = []
    for position, item in enumerate(header.split(",")):
        tag, *params = (part.strip() for part in item.split(";"))
        quality = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = -1.0
        if not 0.0 < quality <= 1.0:
            continue
        language = normalise_language(tag)
        if language:
            ranked.append((-quality, position, language))
    seen: list[str] = []
    for _, _, language in sorted(ranked):
        if language not in seen:
            seen.append(language)
    return seen


@dataclass(frozen=True)
class LanguageChoice:
    lang: str
    source: str  # query | cookie | header | default

    @property
    def direction(self) -> str:
        return "rtl" if self.lang in RTL_LANGUAGES else "ltr"


def negotiate_language(
    query: str | None, cookie: str | None, accept_language: str | None, default: str
) -> LanguageChoice:
    """The interface language for one request, and what decided it."""
    if lang := normalise_language(query):
        return LanguageChoice(lang, "query")
    if lang := normalise_language(cookie):
        return LanguageChoice(lang, "cookie")
    for lang in parse_accept_language(accept_language):
        return LanguageChoice(lang, "header")
    return LanguageChoice(default if default in LANGUAGES else "en", "default")


def translations_dir() -> Traversable:
    """Where the catalogues are: ``src/rcphub/web/translations`` (read as files, without
    importing the pages)."""
    return resources.files("rcphub") / "web" / "translations"


def load_translations(lang: str) -> NullTranslations:
    """The catalogue of ``lang``, built in memory from its ``.po`` file (English: none)."""
    if lang == "en":
        return NullTranslations()
    po_file = translations_dir() / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    with po_file.open("rb") as handle:
        catalog = read_po(handle, locale=lang, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(fp=buffer, domain=DOMAIN)


def load_all_translations() -> dict[str, NullTranslations]:
    return {lang: load_translations(lang) for lang in LANGUAGES}
