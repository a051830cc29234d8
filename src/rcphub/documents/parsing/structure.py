"""From layout blocks to citable passages: the structure parser.

Ref conventions (stable across language versions and formats; see also :mod:`.labels`):

=========================  =================  ==================================================
what                       ref                kind
=========================  =================  ==================================================
numbered paragraph ``8.``  ``8``              paragraph (``annex-paragraph`` inside an annex)
sub-paragraph ``(b)``      ``8.b``            subparagraph, ``parent_ref`` ``8``
roman level ``(ii)``       ``8.b.ii``         subparagraph, ``parent_ref`` ``8.b``
footnote 1 / ``*``         ``fn1`` / ``fn-star``  footnote (a second ``*`` body: ``fn-star-2``)
heading                    ``h1``, ``h2``...  heading
signature block            ``sig1``           signature
unnumbered paragraph       ``p1``, ``p2``...  text
unnumbered, before the     ``pp1``...         preamble (the UN's "preambular paragraph")
numbered ones of its part
=========================  =================  ==================================================

Annexes. A heading that starts with Annex / Annexe / Anexo / Приложение / المرفق / 附件 starts
a new part. When the body before the first annex has numbered paragraphs of its own, or there
are several annexes, annex paragraphs are prefixed: ``annex.1``, ``annex.8.a`` (several:
``annex-i.1``, ``annex-ii.1``, by order). When the body has none, as in a letter transmitting a
chair's summary, the annex *is* the citable document: its paragraphs keep their bare numbers
(``1`` ... ``11``, ``8.b``: "paragraph 8 (b) of the Chair's summary") and the letter's own
paragraphs are ``p1``, ``p2``. ``p``/``pp``/``h``/``sig`` counters run through the whole
document, so every ref is unique.

Continuations. A paragraph that does not end with sentence-final punctuation, followed
(across page breaks, footnote bodies and blank lines) by a paragraph that starts in lower
case and has no label, is one paragraph: "...Диалога по во-" [page break, footnotes 1 and 2]
"просам миграции..." reads "Диалога по вопросам миграции...". For scripts without case
(Arabic, Chinese) the same applies only across a page break or footnote bodies (a blank
line alone is not evidence enough there).

Front matter (everything before the first numbered or long paragraph) feeds the metadata;
masthead lines (organ, Distr., date, languages, session, agenda item and the agenda item's
title) do not become passages, other headings there do.

Document type: the title's type, except that a letter (or an untitled document) whose
headings name a chair's summary, declaration, action plan or resolution takes that type: a
letter transmitting a chair's summary is filed as the chair's summary it carries.

Everything here is a single pass (plus one pre-scan for annexes) over the blocks with
precompiled, anchored regexes: linear in the size of the document.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field, replace

from rcphub.limits import WORK_PASSAGES, work_warnings

from .dates import find_dates, parse_date_line
from .frontmatter import (
    choose_title,
    date_line,
    flat_title,
    is_caps,
    is_front_line,
    logical_lines,
    number_title,
    opening_formula_in,
    place_after_date,
    place_from_body,
    type_from_body,
)
from .labels import Label, letter_for, parse_label, to_roman
from .language import detect_language, detect_languages
from .markers import footnote_ref, split_markers
from .model import Block, DocumentMetadata, ParsedDocument, Passage, RawDocument
from .normalize import (
    collapse_whitespace,
    ends_sentence,
    ends_with_soft_hyphen,
    keeps_hyphen,
    starts_lowercase,
    vocabulary,
)
from .titleblock import doc_type_of, masthead_fields

ANNEX_RE = re.compile(
    r"^(?:annex|annexe|anexo|appendix|appendice|apéndice|приложение|المرفق|مرفق|附件|附录)"
    r"(?:\s+([IVXLC]{1,6}|\d{1,2}))?(?![\w])",
    re.IGNORECASE,
)
SIGNATURE_RE = re.compile(
    r"^[(（]?\s*(?:signed|sgd\.?|signé|firmado|подпись|подписано|التوقيع|توقيع|签名|签字|签署)"
    r"\s*[)）]",
    re.IGNORECASE,
)
_BODY_MIN_CHARS = 160
_BODY_MIN_CJK = 60
_MAX_FRONT_UNITS = 60
_MAX_FRONT_LINES = 40
_STRONG_TYPES = ("chair-summary", "declaration", "action-plan", "resolution", "joint-communique")


def _is_cjk(char: str) -> bool:
    return (
        "\u3000" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff" or "\uff00" <= char <= "\uffef"
    )


def _cjk_share(text: str) -> float:
    if not text:
        return 0.0
    sample = text[:200]
    return sum(1 for char in sample if _is_cjk(char)) / len(sample)


@dataclass(slots=True)
class _Unit:
    kind: str
    lines: list[str]
    level: int | None = None
    style: str | None = None
    footnote_id: str | None = None
    page: int | None = None
    label: Label | None = None
    consumed: bool = False
    heading_like: bool = False

    @property
    def flat(self) -> str:
        return collapse_whitespace(" ".join(self.lines))


def running_text(lines: list[str], words: set[str]) -> str:
    """Lines of one paragraph as running text: soft wraps become spaces, line-end hyphens are
    joined, and there is no space where either side of the break is CJK. Linear: each line is
    copied a bounded number of times."""
    pieces: list[str] = []
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if pieces:
            previous = pieces[-1]
            if ends_with_soft_hyphen(previous) and starts_lowercase(line):
                if not keeps_hyphen(previous, line, words):
                    pieces[-1] = previous[:-1]
            elif not (_is_cjk(previous[-1]) or _is_cjk(line[0])):
                pieces.append(" ")
        pieces.append(line)
    return collapse_whitespace("".join(pieces))


class _LazyVocabulary(set[str]):
    """The document's vocabulary, built the first time a hyphenated line end needs it."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self._text: str | None = text

    def __contains__(self, word: object) -> bool:
        if self._text is not None:
            self.update(vocabulary(self._text))
            self._text = None
        return super().__contains__(word)


# --- phase A: blocks to units ------------------------------------------------------------------


def _units(blocks: list[Block]) -> list[_Unit]:
    units: list[_Unit] = []
    last_number = 0

    def emit(kind: str, lines: list[str], block: Block) -> None:
        nonlocal last_number
        label = parse_label(lines[0]) if lines else None
        if label is not None and label.kind == "number":
            last_number = label.index
        units.append(
            _Unit(kind, lines, block.level, block.style, block.footnote_id, block.page, label)
        )

    for block in blocks:
        if block.kind == "page-break":
            units.append(_Unit("page-break", [], page=block.page))
            continue
        lines = [line.strip() for line in block.text.split("\n") if line.strip()]
        if not lines:
            continue
        if block.kind not in ("paragraph", "list-item"):
            emit(block.kind, lines, block)
            continue
        current = [lines[0]]
        for previous, line in itertools.pairwise(lines):
            label = parse_label(line)
            if (
                label is not None
                and label.kind != "section"
                and _splits(label, previous, last_number)
            ):
                emit(block.kind, current, block)
                current = [line]
            else:
                current.append(line)
        emit(block.kind, current, block)
    return units


def _splits(label: Label, previous: str, last_number: int) -> bool:
    if label.kind == "number" and label.index == last_number + 1:
        return True
    return ends_sentence(previous)


# --- phase B: continuations --------------------------------------------------------------------


def _continues(previous: _Unit, unit: _Unit, crossed: bool) -> bool:
    before, after = previous.lines[-1], unit.lines[0]
    if ends_sentence(before) or SIGNATURE_RE.match(previous.lines[0]):
        return False
    if starts_lowercase(after):
        return True
    # Scripts without case (Arabic, Chinese): only across a page break or footnotes.
    first = after.lstrip()[:1]
    return crossed and first.isalpha() and not first.isupper() and not first.islower()


def _join_continuations(units: list[_Unit]) -> list[_Unit]:
    result: list[_Unit] = []
    open_index: int | None = None
    for unit in units:
        if unit.kind in ("page-break", "footnote"):
            result.append(unit)
            continue
        if (
            open_index is not None
            and unit.kind in ("paragraph", "list-item")
            and unit.label is None
            and _continues(result[open_index], unit, open_index != len(result) - 1)
        ):
            result[open_index].lines.extend(unit.lines)
            continue
        result.append(unit)
        open_index = len(result) - 1 if unit.kind in ("paragraph", "list-item") else None
    return result


# --- phase C: front matter and metadata ---------------------------------------------------------


def _is_annex_heading(unit: _Unit) -> bool:
    if unit.kind not in ("heading", "paragraph") or unit.label is not None:
        return False
    flat = unit.flat
    if len(flat) > 300 or (unit.kind != "heading" and ends_sentence(flat)):
        return False
    return bool(ANNEX_RE.match(flat))


def _is_body(unit: _Unit) -> bool:
    if unit.kind == "signature" or SIGNATURE_RE.match(unit.lines[0] if unit.lines else ""):
        return True
    if unit.kind not in ("paragraph", "list-item", "table-row"):
        return False
    if unit.label is not None and unit.label.kind == "number":
        return True
    flat = unit.flat
    minimum = _BODY_MIN_CJK if _cjk_share(flat) > 0.3 else _BODY_MIN_CHARS
    return len(flat) >= minimum


def _is_masthead(unit: _Unit) -> bool:
    """Is every line of the unit a masthead line (the lines under an agenda item line are the
    item's title, and count as masthead too)?"""
    after_agenda = False
    for line in unit.lines:
        found = masthead_fields(collapse_whitespace(split_markers(line)[0]))
        if "agenda_item" in found:
            after_agenda = True
        elif not found and not after_agenda:
            return False
    return True


def _front_text(text: str) -> bool:
    """Could this text be a line of the title block (not running text)?"""
    if parse_label(text) is not None or not is_front_line(text):
        return False
    return not (len(text.split()) >= 8 and ends_sentence(text) and not is_caps(text))


def _title_like(unit: _Unit) -> bool:
    """A plain paragraph of the title block: a title line, the place-and-date line, a note."""
    return unit.kind == "paragraph" and unit.label is None and _front_text(unit.flat)


def _front_end(units: list[_Unit]) -> int:
    """Where the front matter (masthead, title lines, place and date) ends."""
    for index, unit in enumerate(units[:_MAX_FRONT_UNITS]):
        if unit.kind in ("page-break", "footnote"):
            continue
        if _is_annex_heading(unit):
            return index
        if unit.kind == "heading" or _is_masthead(unit):
            continue
        if _title_like(unit):
            unit.heading_like = True
            continue
        if _is_body(unit) or unit.kind != "heading":
            return index
    return min(len(units), _MAX_FRONT_UNITS)


def _split_front(units: list[_Unit]) -> list[_Unit]:
    """Split the title lines off the first paragraphs of a plain-text document, where the
    title block is one block of lines ("Fifteenth SAARC Summit" / "Colombo, 2-3 August 2008" /
    "Declaration" / ... / "The President of ..."). Lines are first joined where they continue
    (:func:`.frontmatter.logical_lines`); the split stops at the first line of running text."""
    result: list[_Unit] = []
    for position, unit in enumerate(units):
        if position >= _MAX_FRONT_UNITS:
            return result + units[position:]
        if unit.kind in ("page-break", "footnote", "heading") or (
            unit.kind == "paragraph" and _is_masthead(unit)
        ):
            result.append(unit)
            continue
        if unit.kind != "paragraph":
            return result + units[position:]
        # Only the first lines can hold a title block: joining is bounded by that, not by the
        # size of the block.
        head, tail = unit.lines[:_MAX_FRONT_LINES], unit.lines[_MAX_FRONT_LINES:]
        lines = logical_lines(head)
        taken = 0
        while taken < len(lines) and _front_text(lines[taken]):
            taken += 1
        if tail and taken == len(lines):
            taken -= 1  # the block goes on past what was looked at: its last line stays body
        if taken == len(lines) == 1 and not tail:
            result.append(unit)
            continue
        for line in lines[:taken]:
            result.append(_Unit("paragraph", [line], page=unit.page, label=None))
        if taken == len(lines):
            continue
        rest = [*lines[taken:], *tail] if taken else unit.lines
        result.append(
            _Unit(unit.kind, rest, unit.level, unit.style, unit.footnote_id, unit.page,
                  parse_label(rest[0]))
        )  # fmt: skip
        return result + units[position + 1 :]
    return result


@dataclass(slots=True)
class _Metadata:
    fields: dict[str, object] = field(default_factory=dict)
    title: str | None = None
    front_lines: list[str] = field(default_factory=list)


def _read_front_matter(units: list[_Unit], end: int) -> _Metadata:
    meta = _Metadata()
    agenda_unit: int | None = None
    for index in range(end):
        unit = units[index]
        if unit.kind in ("page-break", "footnote"):
            continue
        recognised = 0
        after_agenda = False
        for line in unit.lines:
            found = masthead_fields(collapse_whitespace(split_markers(line)[0]))
            if found:
                recognised += 1
                for name, value in found.items():
                    meta.fields.setdefault(name, value)
                if "agenda_item" in found:
                    agenda_unit = index
                    after_agenda = True
            elif after_agenda:
                recognised += 1  # the agenda item's title, under the item line
        if recognised == len(unit.lines):
            unit.consumed = True
    if agenda_unit is not None:
        titles = [
            index
            for index in range(agenda_unit + 1, end)
            if units[index].kind in ("heading", "paragraph") and not units[index].consumed
        ]
        if len(titles) >= 2 and units[titles[0]].kind == "heading":
            units[titles[0]].consumed = True  # the agenda item's title, in bold
    lines = [
        split_markers(units[i].flat)[0].strip()
        for i in range(end)
        if not units[i].consumed and units[i].kind in ("heading", "paragraph")
    ]
    meta.front_lines = [line for line in lines if line]
    # a document that marks its title (a level-1 heading first: Markdown "# …", HTML <h1>,
    # a DOCX "Title" or "Heading 1") says what its title is; else it is read from the lines
    marked = next((units[i] for i in range(end) if not units[i].consumed), None)
    if (
        marked is not None
        and marked.kind == "heading"
        and (marked.level == 1 or (marked.style or "").lower() == "title")
        and split_markers(marked.flat)[0].strip()
    ):
        meta.title = collapse_whitespace(split_markers(marked.flat)[0])
    else:
        meta.title = choose_title(meta.front_lines)
    if meta.title is None:
        first = next(
            (u for u in units[end : end + 3] if u.kind in ("paragraph", "list-item")), None
        )
        if first is not None:
            meta.title = flat_title(split_markers(first.flat)[0])
    return meta


_MEETING_VERBS = re.compile(
    r"held|took place|\bmet\b|\bmeeting\b|gathered|convened|assembled|celebr|realizad|reunid|"
    r"r[ée]uni|tenue|s'est tenu|состоял|собравш|проведен|عقد|عُقد|انعقد|举行|召开|开会",
    re.IGNORECASE,
)


def _fallback_date(units: list[_Unit], end: int, front_lines: list[str]) -> object | None:
    """The date when the masthead has none: the place-and-date line of the front matter, a
    closing place-and-date line ("Done at Lima, 23 May 2013"), or the date of the meeting
    in the first paragraphs ("… met in Niamey on 16 March 2018") — never a date the text
    merely cites ("resolution 49/127 of 19 December 1994")."""
    for line in front_lines:
        found = date_line(line)
        if found is not None:
            return found[0]
    tail = [unit for unit in units[-8:] if unit.kind in ("paragraph", "heading")]
    for unit in reversed(tail):
        flat = unit.flat
        if len(flat) <= 80 and not flat.rstrip().endswith((",", ";", "،", "؛")):
            found = date_line(flat)
            if found is not None and len(find_dates(flat)) == 1:
                return found[0]
    body = [u for u in units[end : end + 12] if u.kind in ("paragraph", "list-item")][:3]
    for unit in body:
        flat = unit.flat[:2000]
        for date, start, _end in find_dates(flat):
            window = flat[max(0, start - 120) : start]
            if _MEETING_VERBS.search(window):
                return date
    return None


# --- phase D: the walk -------------------------------------------------------------------------


@dataclass(slots=True)
class _Walk:
    words: set[str]
    passages: list[Passage] = field(default_factory=list)
    used: set[str] = field(default_factory=set)
    counters: dict[str, int] = field(default_factory=lambda: {"p": 0, "pp": 0, "h": 0, "sig": 0})
    heading: str | None = None
    prefix: str = ""
    in_annex: bool = False
    part_has_numbers: bool = False
    seen_number: bool = False
    last_number: int = 0
    paragraph: str | None = None
    sub: str | None = None
    last_letter: int = 0
    sub_scheme: str = ""
    last_text: str | None = None

    def unique(self, ref: str) -> str:
        if ref not in self.used:
            self.used.add(ref)
            return ref
        counter = 2
        while f"{ref}-{counter}" in self.used:
            counter += 1
        self.used.add(f"{ref}-{counter}")
        return f"{ref}-{counter}"

    def counted(self, name: str) -> str:
        self.counters[name] += 1
        return self.unique(f"{name}{self.counters[name]}")

    def emit(
        self,
        ref: str,
        kind: str,
        text: str,
        *,
        parent: str | None = None,
        page: int | None = None,
        heading: str | None = None,
    ) -> bool:
        clean, ids = split_markers(text)
        clean = collapse_whitespace(clean)
        if not clean:
            return False
        self.passages.append(
            Passage(
                ref=ref,
                kind=kind,
                text=clean,
                language="und",  # filled in for all passages at once at the end
                position=len(self.passages),
                parent_ref=parent,
                footnote_refs=[footnote_ref(identifier) for identifier in ids],
                heading=heading,
                page=page,
            )
        )
        return True

    def reset_paragraph(self) -> None:
        self.paragraph = None
        self.sub = None
        self.last_letter = 0
        self.sub_scheme = ""


def _heading_like(unit: _Unit, following: _Unit | None) -> bool:
    """A short plain-text line that introduces what follows (a heading without markup)."""
    if unit.kind != "paragraph" or len(unit.lines) > 3:
        return False
    flat = unit.flat
    if len(flat) > 120 or len(flat.split()) > 15 or not flat:
        return False
    if unit.label is not None:
        return unit.label.kind == "section" and not ends_sentence(flat)
    if ends_sentence(flat) or flat.endswith((",", "，", "،")) or flat[0].islower():
        return False
    if SIGNATURE_RE.match(flat):
        return False
    if following is None:
        return False
    return following.kind == "heading" or (
        following.label is not None and following.label.kind in ("number", "section")
    )


def _signature_text(lines: list[str]) -> str:
    parts: list[str] = []
    for line in lines:
        line = collapse_whitespace(line)
        if parts and (starts_lowercase(line) or parts[-1].endswith(",")):
            parts[-1] = f"{parts[-1]} {line}"
        else:
            parts.append(line)
    return ", ".join(parts)


def _walk(units: list[_Unit], start: int, walk: _Walk) -> None:
    annex_starts = [i for i in range(start, len(units)) if _is_annex_heading(units[i])]
    bounds = [start, *annex_starts, len(units)]
    has_numbers = [
        any(
            u.label is not None
            and u.label.kind == "number"
            and u.kind in ("paragraph", "list-item")
            for u in units[bounds[k] : bounds[k + 1]]
        )
        for k in range(len(bounds) - 1)
    ]
    prefix_annexes = bool(has_numbers and has_numbers[0]) or len(annex_starts) > 1
    annex_index = {index: number for number, index in enumerate(annex_starts, start=1)}
    walk.part_has_numbers = bool(has_numbers and has_numbers[0])

    index = start
    while index < len(units):
        unit = units[index]
        following = next(
            (u for u in units[index + 1 :] if u.kind not in ("page-break", "footnote")), None
        )
        index += 1
        if unit.kind == "page-break" or unit.consumed:
            continue
        if unit.kind == "footnote":
            ref = walk.unique(footnote_ref(unit.footnote_id or "x"))
            walk.emit(ref, "footnote", running_text(unit.lines, walk.words), page=unit.page)
            continue
        if unit.kind == "signature" or SIGNATURE_RE.match(unit.lines[0]):
            lines = list(unit.lines)
            while index < len(units) and len(lines) < 8:
                nxt = units[index]
                if (
                    nxt.kind != "paragraph"
                    or nxt.label is not None
                    or len(nxt.lines) > 3
                    or len(nxt.flat) > 120
                    or ends_sentence(nxt.flat)
                    or _is_annex_heading(nxt)
                    or any(find_dates(line) for line in nxt.lines)
                ):
                    break
                lines.extend(nxt.lines)
                index += 1
            walk.emit(
                walk.counted("sig"), "signature", _signature_text(lines), page=unit.page,
                heading=walk.heading,
            )  # fmt: skip
            continue
        if index - 1 in annex_index:
            number = annex_index[index - 1]
            walk.in_annex = True
            walk.prefix = (
                ("annex." if len(annex_starts) == 1 else f"annex-{to_roman(number)}.")
                if prefix_annexes
                else ""
            )
            walk.part_has_numbers = has_numbers[number]
            walk.seen_number = False
            walk.last_number = 0
            walk.reset_paragraph()
        if unit.kind == "heading" or _heading_like(unit, following) or index - 1 in annex_index:
            text = running_text(unit.lines, walk.words)
            if walk.emit(walk.counted("h"), "heading", text, page=unit.page):
                walk.heading = split_markers(text)[0].strip()
            walk.reset_paragraph()
            continue
        _body_unit(unit, walk)


def _accept_number(label: Label, walk: _Walk) -> bool:
    return (
        walk.last_number == 0
        or label.index == 1
        or walk.last_number < label.index <= walk.last_number + 20
    )


def _body_unit(unit: _Unit, walk: _Walk) -> None:
    label = unit.label
    lines = list(unit.lines)
    page, heading = unit.page, walk.heading
    if label is not None and label.kind == "number" and _accept_number(label, walk):
        lines[0] = lines[0][label.end :]
        ref = walk.unique(f"{walk.prefix}{label.index}")
        kind = "annex-paragraph" if walk.in_annex else "paragraph"
        walk.emit(ref, kind, running_text(lines, walk.words), page=page, heading=heading)
        walk.last_number = label.index
        walk.seen_number = True
        walk.reset_paragraph()
        walk.paragraph = ref
        walk.last_text = ref
        return
    if label is not None and label.kind in ("latin", "letter", "roman", "cjk"):
        level, value = _resolve_sub(label, walk)
        lines[0] = lines[0][label.end :]
        if level == "roman":
            parent = walk.sub or walk.paragraph or walk.last_text
            ref = walk.unique(f"{parent}.{value}" if parent else value)
        else:
            parent = walk.paragraph or walk.last_text
            ref = walk.unique(f"{parent}.{value}" if parent else value)
            walk.sub = ref
            walk.last_letter = label.index
            walk.sub_scheme = "latin" if label.kind == "latin" else label.kind
        walk.emit(
            ref, "subparagraph", running_text(lines, walk.words), parent=parent, page=page,
            heading=heading,
        )  # fmt: skip
        return
    text = running_text(lines, walk.words)
    parent = walk.paragraph if unit.kind == "list-item" else None
    if walk.part_has_numbers and not walk.seen_number:
        ref, kind = walk.counted("pp"), "preamble"
    else:
        ref, kind = walk.counted("p"), "text"
    if walk.emit(ref, kind, text, parent=parent, page=page, heading=heading) and parent is None:
        walk.reset_paragraph()
        walk.last_text = ref


def _resolve_sub(label: Label, walk: _Walk) -> tuple[str, str]:
    """("letter" | "roman", ref component) for a sub-paragraph label, from context."""
    if label.kind == "roman":
        return "roman", to_roman(label.roman or label.index)
    if label.kind == "letter":
        return "letter", label.value
    if label.kind == "cjk":
        if walk.sub is not None and walk.sub_scheme == "latin":
            return "roman", to_roman(label.index)
        return "letter", letter_for(label.index)
    next_letter = label.index and label.index == walk.last_letter + 1
    if label.roman and walk.sub is not None and not next_letter:
        return "roman", to_roman(label.roman)
    if label.index:
        return "letter", letter_for(label.index)
    return "roman", to_roman(label.roman)


# --- entry point -------------------------------------------------------------------------------


def parse_document(raw: RawDocument) -> ParsedDocument:
    """Turn a :class:`RawDocument` into metadata and citable passages (see the module docs)."""
    units = _split_front(_join_continuations(_units(raw.blocks)))
    words = _LazyVocabulary(raw.text)
    end = _front_end(units)
    meta = _read_front_matter(units, end)
    walk = _Walk(words=words)
    for unit in units[:end]:
        if unit.consumed or unit.kind in ("page-break",):
            continue
        text = running_text(unit.lines, words)
        title_line = unit.heading_like and date_line(unit.flat) is None
        kind = "heading" if unit.kind == "heading" or title_line else "text"
        if kind == "heading":
            if walk.emit(walk.counted("h"), "heading", text, page=unit.page):
                walk.heading = split_markers(text)[0].strip()
        elif unit.kind == "footnote":
            walk.emit(walk.unique(footnote_ref(unit.footnote_id or "x")), "footnote", text)
        else:
            walk.emit(walk.counted("p"), "text", text, page=unit.page, heading=walk.heading)
    _walk(units, end, walk)

    # bounded: passages past WORK_PASSAGES take the document's language (below)
    languages = detect_languages([passage.text for passage in walk.passages[:WORK_PASSAGES]])
    passages = [
        replace(passage, language=language) if language != "und" else passage
        for passage, language in zip(walk.passages, languages, strict=False)
    ]
    fields = meta.fields
    date = fields.get("date") or _fallback_date(units, end, meta.front_lines)
    headings = [p.text for p in walk.passages if p.kind == "heading"]
    body = [p.text for p in walk.passages if p.kind in ("paragraph", "preamble", "text")][:6]
    doc_type = _document_type(meta, headings, body)
    place = (
        next(
            (found[1] for line in meta.front_lines if (found := date_line(line)) and found[1]),
            None,
        )
        or place_after_date(meta.front_lines)
        or place_from_body(body)
    )

    sample = " ".join(p.text for p in passages[:60] if p.kind != "footnote")[:4000]
    language = detect_language(sample) if sample else "und"
    if language == "und":
        language = str(fields.get("version_language") or "und")
    if len(walk.passages) > WORK_PASSAGES:
        passages += [
            replace(passage, language=language) if language != "und" else passage
            for passage in walk.passages[WORK_PASSAGES:]
        ]
    metadata = DocumentMetadata(
        title=meta.title,
        symbol=_str(fields.get("symbol")),
        date=date,  # type: ignore[arg-type]
        distribution=_str(fields.get("distribution")),
        original_language=_str(fields.get("original_language")),
        version_language=_str(fields.get("version_language")),
        organ=_str(fields.get("organ")),
        session=fields.get("session"),  # type: ignore[arg-type]
        agenda_item=_str(fields.get("agenda_item")),
        doc_type=doc_type,
        place=place,
    )
    return ParsedDocument(
        language=language,
        metadata=metadata,
        passages=passages,
        source_format=raw.source_format,
        warnings=[*raw.warnings, *work_warnings([p.text for p in passages])],
    )


def _document_type(meta: _Metadata, headings: list[str], body: list[str]) -> str:
    """The type the title names; else a strong type named in the front matter or a heading
    (a letter transmitting a chair's summary is that summary); else a resolution by its
    number line and opening formula; else what the body says it adopts ("the following
    declaration was approved"); else any type a heading names."""
    title_type = doc_type_of(meta.title) if meta.title else None
    if title_type not in (None, "letter"):
        return title_type
    for text in [*meta.front_lines, *headings]:
        found = doc_type_of(text)
        if found in _STRONG_TYPES:
            return found
    if title_type:
        return title_type
    opening = " ".join([*meta.front_lines, *body[:2]])[:4000]
    numbered = any(number_title(line) for line in meta.front_lines)
    if (numbered or _NUMBER_IN_TEXT.search(opening)) and opening_formula_in(opening):
        return "resolution"
    found = type_from_body(body)
    if found:
        return found
    return next((t for t in map(doc_type_of, headings) if t), None) or "other"


_NUMBER_IN_TEXT = re.compile(r"(?<![\d/])\d{1,3}\s*/\s*(?:\d{1,4}|…)\s*\.?\s")


def _str(value: object) -> str | None:
    return None if value is None else str(value)


__all__ = ["parse_date_line", "parse_document", "running_text"]
