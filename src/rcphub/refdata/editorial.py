"""Compilers' working notes, kept apart from what the public pages show.

The reference file was compiled by people who left notes for each other in its text: "GK"
(general knowledge, not read in a source), "location not verified", "(the document in
shared/documents/; symbol not found)". Such notes are honest about the data but are not facts to
publish. :func:`split` takes them out of a text — a parenthesis, a sentence, a clause after ";"
or " - " — and returns what is left for the public field and the notes for editors, who see
them as "Notes on this record".

Sources are classified by :func:`source_kind`: a development or staging site, a code
repository, a wiki or a mirror of Wikipedia is labelled as such on the pages.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# what marks a compilers' note (matched case-insensitively)
NOTE_MARKERS = re.compile(
    r"\bGK\b|general knowledge|not verified|unverified|\bshared/|symbol not found"
    r"|\bwikimili\b|\bwikiwand\b|\bwikipedia mirror\b|\bjuicebox\b|\bchinapedia\b"
    r"|\bgolden\.com\b",
    re.IGNORECASE,
)
# the pieces a note can be: a parenthesis, or a clause up to ". ", "; " or " - "
_PAREN = re.compile(r"\s*\([^()]*\)")
_CLAUSE = re.compile(r"(?<=[.;])\s+|\s+-\s+|;\s*")
# "Not added (general knowledge only, unverified): Myanmar ..." - the whole clause is the note
_PAREN_LEAD = re.compile(r"[^.;()]*\([^()]*\)\s*:[^.;]*[.;]?")
_NOTE_FIRST = re.compile(r"^\s*GK\b")


def has_note(text: str | None) -> bool:
    return bool(text and NOTE_MARKERS.search(text))


def split(text: str | None) -> tuple[str | None, str | None]:
    """``(public text, compilers' note)``; either may be None.

    >>> split("Technical Secretariat (location not verified; GK: San José)")
    ('Technical Secretariat', 'Technical Secretariat (location not verified; GK: San José)')
    >>> split("GK: December 2018 (unverified)")
    (None, 'GK: December 2018 (unverified)')
    """
    if not has_note(text):
        return text, None
    assert text is not None
    if _NOTE_FIRST.match(text):
        return None, text
    public = _PAREN_LEAD.sub(lambda m: "" if has_note(m[0]) else m[0], text)
    public = _PAREN.sub(lambda m: "" if has_note(m[0]) else m[0], public)
    pieces = _CLAUSE.split(public)
    kept = [piece for piece in pieces if piece.strip() and not has_note(piece)]
    public = _join(text, kept)
    return (public or None), text


def _join(original: str, kept: list[str]) -> str:
    out = ""
    for piece in kept:
        piece = piece.strip()
        if not out:
            out = piece
        elif out.endswith((".", ";")):
            out = f"{out} {piece}"
        else:
            out = f"{out}; {piece}"
    out = out.strip().rstrip(";,:- ").strip()
    if out and original.rstrip().endswith(".") and not out.endswith("."):
        out += "."
    return out


class Notes:
    """Collects the notes of one record: ``[{"field": ..., "text": ...}]``."""

    def __init__(self) -> None:
        self.items: list[dict[str, str]] = []

    def take(self, field: str, text: str | None) -> str | None:
        """The public part of ``text``; its note, if any, is kept under ``field``."""
        public, note = split(text)
        if note:
            self.items.append({"field": field, "text": note})
        return public

    def add(self, field: str, text: str) -> None:
        self.items.append({"field": field, "text": text})


# -- sources

_CODE_HOSTS = ("github.com", "gitlab.com", "bitbucket.org", "raw.githubusercontent.com")
_DEV_HOST = re.compile(r"(^|\.)(dev|staging|test|preview|stage)\.|juicebox\.com\.au$")
_WIKI_HOST = re.compile(r"wiki|kiwix|golden\.com$")


def source_kind(source: str) -> str | None:
    """``code-repository``, ``development-site``, ``wiki`` or ``wiki-mirror`` for a source
    that is one; None for any other source (a page of the body, the UN, the press...)."""
    text = source.strip()
    if text.startswith("code:"):
        return "code-repository"
    if "://" not in text:
        return None
    host = (urlsplit(text).hostname or "").lower()
    if host.endswith(_CODE_HOSTS):
        return "code-repository"
    if _DEV_HOST.search(host):
        return "development-site"
    if host.endswith("wikipedia.org"):
        return "wiki"
    if _WIKI_HOST.search(host):
        return "wiki-mirror"
    return None
