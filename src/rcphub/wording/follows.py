"""Follows named in the reader's language: a process or a country by its name (an English
stand-in marked as such), a theme by its title, a search by its words and its filters, each
with the page it leads to. The account page, "What's new" and the e-mail digests show them.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl

from markupsafe import Markup, escape
from sqlalchemy.orm import Session

from rcphub import urls
from rcphub.config import LANGUAGES
from rcphub.exchange import FollowOut
from rcphub.exchange import follows as follow_service
from rcphub.wording.tools import PageTools


@dataclass(frozen=True)
class FollowView:
    """A follow as pages and digests show it: by name in the page language, not by ID."""

    follow: FollowOut | None
    kind: str
    target: str
    href: str
    html: Markup  # the name, an English stand-in marked as such; a search's words and filters
    text: str  # the same as plain text (e-mail)


SUBJECT_PAGES = {"process": urls.process, "state": urls.country}
Known = dict[tuple[str, str], tuple[dict[str, str], str | None]]


def _search_filters(target: str) -> list[tuple[str, str]]:
    return [(k, v) for k, v in parse_qsl(target) if k not in ("q", "mode")]


def follow_views(
    session: Session, tools: PageTools, subjects: list[tuple[str, str]], follows=None
) -> list[FollowView]:  # type: ignore[no-untyped-def]
    """``subjects`` (``(kind, target)``) named in ``tools``' language: "Bali Process",
    "Maroc", a theme's title; a search by its words and its filters, themselves named."""
    wanted = list(subjects)
    for kind, target in subjects:
        if kind == "search":
            wanted += [
                ("process" if k == "process" else "state", v)
                for k, v in _search_filters(target)
                if k in ("process", "state")
            ]
    known = follow_service.subject_names(session, wanted)
    rows = list(follows) if follows is not None else [None] * len(subjects)
    return [
        _follow_view(tools, kind, target, known, row)
        for (kind, target), row in zip(subjects, rows, strict=True)
    ]


def _named(tools: PageTools, kind: str, target: str, known: Known) -> tuple[Markup, str]:
    names, acronym = known.get((kind, target), ({}, None))
    picked = tools.pick(names)
    if picked is None:
        return Markup('<code dir="ltr">{}</code>').format(target), target
    text = picked.text
    if acronym and acronym not in text:
        text = f"{text} ({acronym})"
    html = tools.name(names, target)
    if acronym and acronym not in picked.text:
        html += Markup(' <span dir="ltr">({})</span>').format(acronym)
    return html, text


def _follow_view(
    tools: PageTools, kind: str, target: str, known: Known, row: FollowOut | None
) -> FollowView:
    _ = tools.gettext
    if kind == "search":
        words = " ".join(v for k, v in parse_qsl(target) if k == "q")
        parts_html: list[Markup] = []
        parts_text: list[str] = []
        if words:
            parts_html.append(Markup("<q>{}</q>").format(words))
            parts_text.append(f"“{words}”")
        for key, value in _search_filters(target):
            if key in ("process", "state"):
                html, text = _named(tools, key, value, known)
            elif key == "language" and value in LANGUAGES:
                text = tools.language_name(value)
                html = escape(text)
            else:
                html, text = Markup('<span dir="ltr">{}</span>').format(value), value
            what = label_text(tools, key)
            parts_html.append(Markup("{}: {}").format(what, html))
            parts_text.append(f"{what}: {text}")
        html = Markup(", ").join(parts_html) or escape(_("everything"))
        text = ", ".join(parts_text) or _("everything")
        href = urls.search(query=parse_qsl(target, keep_blank_values=True))
        return FollowView(row, kind, target, href, html, text)
    html, text = _named(tools, kind, target, known)
    if kind == "theme":
        scheme, _sep, code = target.partition("/")
        href = urls.taxonomy(scheme, code)
    else:
        href = SUBJECT_PAGES[kind](target)
    return FollowView(row, kind, target, href, html, text)


def label_text(tools: PageTools, key: str) -> str:
    """The name of a search filter in the page language."""
    _ = tools.gettext
    return {
        "process": _("Process"),
        "state": _("Country"),
        "org": _("Organisation"),
        "theme": _("Theme"),
        "language": _("Language"),
        "type": _("Type"),
        "year": _("Year"),
    }.get(key, key)
