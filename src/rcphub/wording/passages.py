"""Documents on pages: passage refs as people cite them, mentions as links inside the text,
and two language versions side by side.

Pure functions over :mod:`rcphub.documents.schemas` (no session, no request). Refs follow the
structure parser's conventions (:mod:`rcphub.documents.parsing.structure`): ``8``, ``8.b``,
``8.b.ii``, ``annex.1``, ``annex-ii.3``, ``fn1``, ``fn-star``, ``h1``, ``p1``, ``pp1``,
``sig1``; a ref made unique by the parser ends in ``-2``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from markupsafe import Markup, escape

from rcphub.documents.schemas import DocumentDetail, MentionOut, PassageOut
from rcphub.urls import anchor

_FOOTNOTE = re.compile(r"^fn-?(?P<id>.+)$")
_NAMED_FOOTNOTE = re.compile(r"^(?P<name>star|dagger|ddagger|section)(?P<times>\d*)(?P<dup>-\d+)?$")
_FOOTNOTE_SYMBOLS = {"star": "*", "dagger": "†", "ddagger": "‡", "section": "§"}
_COUNTED = re.compile(r"^(?P<kind>pp|p|h|sig)(?P<number>\d+(?:-\d+)?)$")
_ANNEX = re.compile(r"^annex(?:-(?P<roman>[ivxlc]+))?\.(?P<rest>.+)$")
_NUMBERED = re.compile(r"^\d+(?:-\d+)?(?:\.[0-9a-z]+(?:-\d+)?)*$")


class RefNames:
    """Refs in words in one interface language: ``8.b`` → ``8(b)`` (:meth:`short`) and
    "paragraph 8(b)" (:meth:`full`); ``fn1`` → ``1`` and "footnote 1"."""

    def __init__(self, gettext: Callable[[str], str], *, right_to_left: bool = False) -> None:
        self.gettext = gettext
        # in a right-to-left page, "8(b)" is kept left to right by Unicode isolates
        self.isolate = ("\u2066", "\u2069") if right_to_left else ("", "")
        self._cache: dict[tuple[str, str], str] = {}

    def short(self, ref: str) -> str:
        """What is printed next to the passage: ``8(b)``, ``1`` (a footnote), ``p1``."""
        return self._cached(ref, "short")

    def full(self, ref: str) -> str:
        """How a citation names the passage: "paragraph 8(b)", "footnote 1"."""
        return self._cached(ref, "full")

    def compact(self, ref: str) -> str:
        """For lists of passages: numbered ones short (``8(b)``), others in words."""
        return self._cached(ref, "compact")

    def _cached(self, ref: str, form: str) -> str:
        key = (ref, form)
        if key not in self._cache:
            short, full = self._describe(ref)
            self._cache[(ref, "short")] = short
            self._cache[(ref, "full")] = full
            self._cache[(ref, "compact")] = short if _NUMBERED.match(ref) else full
        return self._cache[key]

    def numbered(self, ref: str) -> str:
        """``8.b.ii`` → ``8(b)(ii)`` in the interface language's way of writing it."""
        _ = self.gettext
        first, *rest = ref.split(".")
        label = first
        for part in rest:
            label = _("%(paragraph)s(%(letter)s)") % {"paragraph": label, "letter": part}
        start, end = self.isolate
        return f"{start}{label}{end}" if rest else label

    def _describe(self, ref: str) -> tuple[str, str]:
        _ = self.gettext
        if match := _FOOTNOTE.match(ref):
            label = _footnote_label(match["id"])
            return label, _("footnote %(label)s") % {"label": label}
        if match := _COUNTED.match(ref):
            number = match["number"]
            message = {
                "p": _("unnumbered paragraph %(label)s"),
                "pp": _("preambular paragraph %(label)s"),
                "h": _("heading %(label)s"),
                "sig": _("signature %(label)s"),
            }[match["kind"]]
            return ref, message % {"label": number}
        if (match := _ANNEX.match(ref)) and _NUMBERED.match(match["rest"]):
            label = self.numbered(match["rest"])
            if match["roman"]:
                full = _("annex %(annex)s, paragraph %(label)s") % {
                    "annex": match["roman"].upper(),
                    "label": label,
                }
            else:
                full = _("annex, paragraph %(label)s") % {"label": label}
            return full, full
        if _NUMBERED.match(ref):
            label = self.numbered(ref)
            return label, _("paragraph %(label)s") % {"label": label}
        return ref, ref


def _footnote_label(ident: str) -> str:
    """``1`` → ``1``; ``star`` → ``*``; ``star2`` → ``**``; ``dagger-2`` → ``†-2``."""
    match = _NAMED_FOOTNOTE.match(ident)
    if match is None:
        return ident
    symbol = _FOOTNOTE_SYMBOLS[match["name"]] * int(match["times"] or 1)
    return symbol + (match["dup"] or "")


# ---------------------------------------------------------------------------- mentions


def entity_kind(entity: str) -> str:
    """``state:PER`` → ``state``; ``process:igc`` → ``process``; ``org:iom`` → ``org``."""
    return entity.partition(":")[0]


def mark_mentions(
    text: str,
    mentions: Iterable[MentionOut],
    link: Callable[[MentionOut, str], Markup],
) -> Markup:
    """The passage text as HTML: everything escaped, each mention's exact ``[start:end]`` span
    replaced by ``link(mention, span)``. Spans outside the text, empty or overlapping an
    earlier one are left as plain text."""
    out: list[Markup] = []
    position = 0
    for mention in sorted(mentions, key=lambda m: (m.start, -m.end)):
        if mention.start < position or not 0 <= mention.start < mention.end <= len(text):
            continue
        out.append(escape(text[position : mention.start]))
        out.append(link(mention, text[mention.start : mention.end]))
        position = mention.end
    out.append(escape(text[position:]))
    return Markup("").join(out)


@dataclass
class MentionGroup:
    """One entity mentioned in a document: how often, and in which passages (in order)."""

    entity: str
    count: int = 0
    refs: list[str] = field(default_factory=list)


def group_mentions(
    mentions: Iterable[MentionOut], order: Sequence[str]
) -> dict[str, list[MentionGroup]]:
    """Mentions by entity kind (``state``, ``process``, ``org``), most mentioned first."""
    position = {ref: index for index, ref in enumerate(order)}
    groups: dict[str, MentionGroup] = {}
    for mention in mentions:
        group = groups.setdefault(mention.entity, MentionGroup(mention.entity))
        group.count += 1
        if mention.passage not in group.refs:
            group.refs.append(mention.passage)
    by_kind: dict[str, list[MentionGroup]] = defaultdict(list)
    for group in groups.values():
        group.refs.sort(key=lambda ref: position.get(ref, len(position)))
        by_kind[entity_kind(group.entity)].append(group)
    for items in by_kind.values():
        items.sort(key=lambda g: (-g.count, g.entity))
    return {kind: by_kind[kind] for kind in ("state", "process", "org") if by_kind.get(kind)}


# ---------------------------------------------------------------------------- passages


@dataclass
class PassageView:
    """One passage, ready for a template."""

    ref: str
    kind: str
    anchor: str
    label: str  # printed next to it: 8(b)
    name: str  # in a citation: paragraph 8(b)
    depth: int  # 0 for paragraphs, 1 for (b), 2 for (ii)
    language: str
    html: Markup  # the text, escaped, with mentions as links
    footnotes: list[tuple[str, str, str]] = field(default_factory=list)  # anchor, label, name
    cited_from: list[tuple[str, str]] = field(default_factory=list)  # anchor, name (footnotes)

    @property
    def is_heading(self) -> bool:
        return self.kind == "heading"

    @property
    def is_footnote(self) -> bool:
        return self.kind == "footnote"


def passage_views(
    document: DocumentDetail,
    names: RefNames,
    link: Callable[[MentionOut, str], Markup],
) -> list[PassageView]:
    """Every passage of ``document`` in order, with its mentions marked up and its footnotes
    cross-linked (a footnote knows the passages that call it)."""
    by_passage: dict[str, list[MentionOut]] = defaultdict(list)
    for mention in document.mentions:
        by_passage[mention.passage].append(mention)
    refs = {p.ref for p in document.passages}
    parents = {p.ref: p.parent_ref for p in document.passages}
    views = []
    callers: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for passage in document.passages:
        language = passage.language if passage.language != "und" else document.language
        notes = [
            (anchor(ref), names.short(ref), names.full(ref))
            for ref in passage.footnote_refs
            if ref in refs
        ]
        for ref in passage.footnote_refs:
            callers[ref].append((anchor(passage.ref), names.full(passage.ref)))
        views.append(
            PassageView(
                ref=passage.ref,
                kind=passage.kind,
                anchor=anchor(passage.ref),
                label=names.short(passage.ref),
                name=names.full(passage.ref),
                depth=_depth(passage, parents),
                language=language or document.language,
                html=mark_mentions(passage.text, by_passage.get(passage.ref, ()), link),
                footnotes=notes,
            )
        )
    for view in views:
        if view.is_footnote:
            view.cited_from = callers.get(view.ref, [])
    return views


def _depth(passage: PassageOut, parents: dict[str, str | None]) -> int:
    depth, parent, seen = 0, passage.parent_ref, set()
    while parent and parent not in seen and depth < 6:
        seen.add(parent)
        depth += 1
        parent = parents.get(parent)
    return depth


# ---------------------------------------------------------------------------- side by side


def align(left: Sequence[str], right: Sequence[str]) -> list[tuple[str | None, str | None]]:
    """Rows of two versions' refs, paired by ref: ``8.b`` next to ``8.b``. Rows follow the
    left version's order; a ref only on the right comes after the last ref the two share
    before it; a ref missing on one side leaves a gap (None)."""
    right_set, left_set = set(right), set(left)
    after: dict[str | None, list[str]] = defaultdict(list)
    last_shared: str | None = None
    for ref in right:
        if ref in left_set:
            last_shared = ref
        else:
            after[last_shared].append(ref)
    rows: list[tuple[str | None, str | None]] = [(None, ref) for ref in after[None]]
    for ref in left:
        shared = ref in right_set
        rows.append((ref, ref if shared else None))
        if shared:
            rows.extend((None, extra) for extra in after.get(ref, ()))
    return rows
