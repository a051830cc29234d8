"""Footnote markers: one canonical inline form, and the ids passages cite them by.

Readers write every marker they recognise as ``[^id]`` where ``id`` is the mark as printed
("1", "*", "**", "†", "a"). The parser removes them from passage text and turns each id into
a passage ref with :func:`footnote_ref`: ``"1" -> "fn1"``, ``"*" -> "fn-star"``,
``"**" -> "fn-star2"``, ``"†" -> "fn-dagger"``, ``"a" -> "fn-a"``.
"""

from __future__ import annotations

import re

MARKER_RE = re.compile(r"\[\^([^\]\s]{1,12})\]")
_SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_SUPERSCRIPT_TABLE = str.maketrans(_SUPERSCRIPT_DIGITS, "0123456789")
_SUPERSCRIPT_RUN = re.compile(f"(?<!\\b[kcm]m)(?<!\\bm)[{_SUPERSCRIPT_DIGITS}]+")
_SUP_TAG = re.compile(r"<sup>\s*(\d{1,3}|\*{1,3}|[†‡§a-z])\s*</sup>", re.IGNORECASE)
_STAR_AFTER_WORD = re.compile(r"(?<=[\w.)»”\"])(?:\\\*|\*){1,3}(?=[\s,.;:)\]]|$)")
_NAMED = {"*": "star", "†": "dagger", "‡": "ddagger", "§": "section"}


def marker(footnote_id: str) -> str:
    """The canonical inline marker for a footnote id."""
    return f"[^{footnote_id}]"


def footnote_ref(footnote_id: str) -> str:
    """The passage ref of the footnote with this printed id (see the module docs)."""
    footnote_id = footnote_id.strip()
    if footnote_id.isdigit():
        return f"fn{int(footnote_id)}"
    if footnote_id and len(set(footnote_id)) == 1 and footnote_id[0] in _NAMED:
        name = _NAMED[footnote_id[0]]
        return f"fn-{name}" if len(footnote_id) == 1 else f"fn-{name}{len(footnote_id)}"
    slug = re.sub(r"[^0-9a-z]+", "", footnote_id.lower())
    return f"fn-{slug or 'x'}"


def superscripts_to_markers(text: str) -> str:
    """``процессов¹`` -> ``процессов[^1]`` (but "m²" and "km²" stay)."""
    if not any(char in text for char in _SUPERSCRIPT_DIGITS):
        return text
    return _SUPERSCRIPT_RUN.sub(
        lambda m: marker(str(int(m.group().translate(_SUPERSCRIPT_TABLE)))), text
    )


def sup_tags_to_markers(text: str) -> str:
    """``<sup>1</sup>`` -> ``[^1]``."""
    if "<sup" not in text.lower():
        return text
    return _SUP_TAG.sub(lambda m: marker(m.group(1)), text)


def stars_to_markers(text: str) -> str:
    """An asterisk (escaped or not) right after a word: ``перечня\\*`` -> ``перечня[^*]``."""
    if "*" not in text:
        return text
    return _STAR_AFTER_WORD.sub(lambda m: marker("*" * m.group().count("*")), text)


def split_markers(text: str) -> tuple[str, list[str]]:
    """Remove the markers from ``text``; return the clean text and the footnote ids in order
    of first use."""
    ids: list[str] = []
    if "[^" not in text:
        return text, ids

    def take(match: re.Match[str]) -> str:
        if match.group(1) not in ids:
            ids.append(match.group(1))
        return ""

    return MARKER_RE.sub(take, text), ids
