"""Language helpers shared by the API and the CLI: pick a name in a language, with a fallback
that says it is one."""

from __future__ import annotations

from typing import Any

from rcphub.config import LANGUAGES
from rcphub.errors import InvalidInput

FALLBACK_ORDER = ("en", "fr", "es", "ru", "ar", "zh")


def check_language(lang: str | None) -> str | None:
    if lang is not None and lang not in LANGUAGES:
        raise InvalidInput(f"lang must be one of: {', '.join(LANGUAGES)} (got {lang!r})")
    return lang


def pick_name(names: dict[str, str], lang: str) -> tuple[str | None, str | None]:
    """The name in ``lang``, else the first in :data:`FALLBACK_ORDER`; with its language."""
    if names.get(lang):
        return names[lang], lang
    for fallback in FALLBACK_ORDER:
        if names.get(fallback):
            return names[fallback], fallback
    return None, None


def add_display_names(payload: Any, lang: str) -> Any:
    """Next to every ``names`` object in a JSON payload, add ``name`` (in ``lang`` or a
    fallback) and ``name_language`` (the language the name is really in)."""
    if isinstance(payload, list):
        return [add_display_names(item, lang) for item in payload]
    if isinstance(payload, dict):
        out = {key: add_display_names(value, lang) for key, value in payload.items()}
        names = payload.get("names")
        if isinstance(names, dict) and all(isinstance(v, str) for v in names.values()):
            out["name"], out["name_language"] = pick_name(names, lang)
        return out
    return payload
