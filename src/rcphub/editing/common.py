"""Checks the editing services share: texts, dates, URLs, names by language."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from rcphub.config import LANGUAGES
from rcphub.errors import InvalidInput

MAX_TEXT = 300
MAX_URL = 500


def clean_text(
    name: str, value: Any, *, limit: int = MAX_TEXT, required: bool = False
) -> str | None:
    """One line of text: spaces folded, no control characters, at most ``limit`` characters;
    blank is None (refused if ``required``)."""
    if value is None:
        text = ""
    elif isinstance(value, str):
        text = " ".join(value.split())
    else:
        raise InvalidInput(f"{name} must be text")
    if isinstance(value, str) and any(ord(c) < 32 and c not in "\n\r\t" for c in value):
        raise InvalidInput(f"{name} contains control characters")
    if len(text) > limit:
        raise InvalidInput(f"{name} is longer than {limit} characters")
    if not text:
        if required:
            raise InvalidInput(f"{name} is required")
        return None
    return text


def clean_names(name: str, value: Any, *, required: bool = False) -> dict[str, str]:
    """Names by language (``{"en": ..., "fr": ...}``) in the six UN languages, in their order."""
    if value is None:
        value = {}
    if not isinstance(value, Mapping):
        raise InvalidInput(f"{name} must be an object of names by language (en fr es ru ar zh)")
    unknown = sorted(set(value) - set(LANGUAGES))
    if unknown:
        raise InvalidInput(
            f"unknown language {unknown[0]!r} in {name}; the languages are {', '.join(LANGUAGES)}"
        )
    out = {}
    for lang in LANGUAGES:
        text = clean_text(f"{name} ({lang})", value.get(lang))
        if text:
            out[lang] = text
    if required and not out:
        raise InvalidInput(f"{name} is needed in at least one language")
    return out


def clean_date(name: str, value: Any, *, required: bool = False) -> date | None:
    if value is None or value == "":
        if required:
            raise InvalidInput(f"{name} is required (YYYY-MM-DD)")
        return None
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or len(value) != 10:
        raise InvalidInput(f"{name} must be a date as YYYY-MM-DD")
    try:
        found = date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"{name} must be a date as YYYY-MM-DD, not {value!r}") from None
    if not 1900 <= found.year <= 2100:
        raise InvalidInput(f"{name} must be between 1900 and 2100")
    return found


def clean_url(name: str, value: Any) -> str | None:
    text = clean_text(name, value, limit=MAX_URL)
    if text is None:
        return None
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc or " " in text:
        raise InvalidInput(f"{name} must be an http(s) address")
    return text


def clean_languages(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    items = value.replace(",", " ").split() if isinstance(value, str) else value
    if not isinstance(items, list | tuple):
        raise InvalidInput("languages must be a list of language codes")
    out = []
    for item in items:
        code = str(item).strip().lower()
        if code not in LANGUAGES:
            raise InvalidInput(
                f"unknown language {str(item)[:10]!r}; the languages are {', '.join(LANGUAGES)}"
            )
        if code not in out:
            out.append(code)
    return [lang for lang in LANGUAGES if lang in out]


def only_fields(changes: Mapping[str, Any], allowed: tuple[str, ...]) -> None:
    unknown = sorted(set(changes) - set(allowed))
    if unknown:
        raise InvalidInput(f"cannot change {unknown[0]!r}; the fields are {', '.join(allowed)}")
    if not changes:
        raise InvalidInput(f"nothing to change; the fields are {', '.join(allowed)}")
