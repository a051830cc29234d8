"""Finding what a meeting recommended, decided, committed to or requested in an outcome
document, in the six UN languages.

A pure function over passages (no database): :func:`detect_recommendations` returns candidates
that a person then confirms or rejects, each with its kind and the reasons (the words that
matched) so the page can say why. Kinds: ``recommendation``, ``decision``, ``commitment``,
``request``, and ``conclusion`` for the items of a list the text introduces as the meeting's
conclusions. The words are in :mod:`rcphub.followup.cues`; the rules, strongest first:

1. **The passage's own operative language** — a finite verb of the meeting (recommend,
   encourage, urge, call upon, invite, request, entrust, decide, agree to, adopt, commit,
   intend ... in each language's forms: "Acuerdan", "Se comprometen", "Décident", "决定",
   "يقرر"), or the infinitive that opens an item or a clause ("To adopt ...", "Aceptar ...",
   "Утвердить ...", "; recomendar que ..."). The first one found gives the kind. A call that
   the sentence attributes to a resolution the text cites ("resolutions 65/170 and 67/219 call
   upon Member States") is another body's and does not count.
2. **An item of a list** — a lead-in ("They agreed to:", "ACORDARON:", "Совет ... решил:",
   "the following recommendations ...") is never a candidate itself; its verb or list word
   carries over to its items: its sub-paragraphs, or the numbered, lettered or verb-initial
   passages that follow it. Passages under a Conclusions / Recommendations / Decisions heading
   are items of that section in the same way. An item that opens with a recognition, thanks or
   a note ("Take note of", "Thank", "Reconocer", "Agradecer a:", "Ministers welcomed") does not
   inherit, nor do the items of such a lead-in ("recibieron con beneplácito:", "CONSIDERANDO:").
3. **"stressed the need to"** — a specific ask, weaker than an operative verb.

Never candidates: titles, headings, footnotes, signatures; preambular paragraphs (ending in a
comma: "Recalling ...,", "إذ يعيد تأكيد ...،"); attendance, thanks and recognitions without
operative language; place-and-date lines ("Fait à Abuja", "Совершено в городе Казани"),
plenary-meeting lines and entry-into-force clauses. Due dates are read from phrases like "by
2015", "d'ici à 2015", "до 2015 года", "بحلول عام 2015", "2015年之前"; "post-2015" is not one.

Measured on hand-labelled real outcome documents in ``tests/realtext/operative`` (see
``docs/followup.md`` for the figures).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from rcphub.followup.cues import (
    CITED,
    FINITE,
    FOLLOWING,
    ITEM,
    LIST_WORDS_RE,
    NEED,
    NEGATIVE,
    NOT_OPERATIVE,
    VERB_INITIAL,
)
from rcphub.limits import WORK_PASSAGE_CHARS, WORK_PASSAGES

__all__ = ["CANDIDATE_KINDS", "Candidate", "PassageLike", "detect_recommendations", "due_date_in"]

CANDIDATE_KINDS = ("recommendation", "decision", "commitment", "request", "conclusion")

_F = re.IGNORECASE | re.UNICODE


class PassageLike(Protocol):
    ref: str
    kind: str
    parent_ref: str | None
    heading: str | None
    text: str
    language: str


@dataclass(frozen=True)
class _Clipped:
    """A passage read only up to :data:`~rcphub.limits.WORK_PASSAGE_CHARS` characters."""

    ref: str
    kind: str
    parent_ref: str | None
    heading: str | None
    text: str
    language: str


def _bounded(passage: PassageLike) -> PassageLike:
    if len(passage.text) <= WORK_PASSAGE_CHARS:
        return passage
    return _Clipped(
        passage.ref,
        passage.kind,
        passage.parent_ref,
        passage.heading,
        passage.text[:WORK_PASSAGE_CHARS],
        passage.language,
    )


@dataclass(frozen=True)
class Candidate:
    ref: str
    kind: str  # recommendation | decision | commitment | request | conclusion
    score: float
    reasons: list[str] = field(default_factory=list)
    due_date: date | None = None


_DUE = {
    "en": r"\b(?:by|before)\s+(?:the\s+end\s+of\s+|end-)?(\d{4})\b",
    "fr": r"\b(?:d'ici\s+(?:à\s+|la\s+fin\s+de\s+|fin\s+)?|avant\s+(?:la\s+fin\s+de\s+|fin\s+)?)"
    r"(\d{4})\b",
    "es": r"\b(?:antes\s+de\s+(?:fines\s+de\s+|finales\s+de\s+)?|a\s+más\s+tardar\s+en\s+)"
    r"(\d{4})\b",
    "ru": r"(?<!\w)(?:до|к)\s+(?:концу\s+)?(\d{4})\s+(?:года|году)(?!\w)",
    "ar": r"(?:بحلول|قبل)\s+(?:نهاية\s+)?(?:عام\s+)?(\d{4})",
    "zh": r"(?:在|到|于)?(\d{4})年(?:底)?(?:之前|以前)",
}
DUE = {lang: re.compile(pattern, _F) for lang, pattern in _DUE.items()}

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|[。！？]")
_CLAUSE_START = re.compile(r"(?:^|(?<=[.;!?:])\s+|[；。])")
_LABEL = re.compile(r"^\s*(?:[-–•·*▪]\s*|\(?[0-9a-zа-я]{1,3}[.)]\s+)", re.IGNORECASE)
_NOT_CANDIDATES = {"heading", "footnote", "signature", "title"}
_ITEM_KINDS = {"paragraph", "subparagraph", "annex-paragraph"}
_HEADING_MAX = 80
_LEAD_MAX = 40  # a verb standing alone as a lead-in: "APPROVED", "ACORDARON:", "DECLARE:"
_LEAD_VERB = re.compile(
    r"(?:approved|agreed|decided|declared?|resolved?|adopted|recommended|aprobaron|acordaron|"
    r"acuerdan|declaran|resuelven|deciden|recomiendan|décident|déclarent|conviennent|"
    r"recommandent|решил[аи]?|постановляет|постановили|заявляют|يقرر|قرر|决定)",
    re.IGNORECASE,
)


def _lang(passage: PassageLike, document_language: str) -> str:
    lang = passage.language if passage.language in FINITE else document_language
    return lang if lang in FINITE else "en"


def _clauses(text: str) -> list[str]:
    return [c.strip() for c in _CLAUSE_START.split(_LABEL.sub("", text.strip())) if c.strip()]


def _own_cue(text: str, lang: str) -> tuple[str, str] | None:
    """The first operative cue of the meeting's own: (kind, the words), by position."""
    best: tuple[int, str, str] | None = None
    offset = 0
    for sentence in _SENTENCE_END.split(text):
        for kind, pattern in FINITE[lang]:
            for match in pattern.finditer(sentence):
                if CITED[lang].search(sentence[: match.start()]):
                    continue
                position = offset + match.start()
                if best is None or position < best[0]:
                    best = (position, kind, match.group(0).strip())
                break
        offset += len(sentence) + 1
    clause_offset = 0
    for clause in _clauses(text):
        for kind, pattern in ITEM[lang]:
            match = pattern.search(clause)
            if match and not NEGATIVE[lang].match(clause):
                position = text.find(clause, clause_offset)
                if best is None or position < best[0]:
                    best = (max(position, 0), kind, match.group(0).strip())
                break
        clause_offset += len(clause)
    return (best[1], best[2]) if best else None


def _negative(text: str, lang: str) -> bool:
    """A recognition, thanks or note: an opening clause that says one, or such a finite verb in
    the first sentence."""
    first = _SENTENCE_END.split(text.strip(), maxsplit=1)[0]
    return any(NEGATIVE[lang].match(c) for c in _clauses(text)) or bool(
        NEGATIVE[lang].search(first)
    )


def _list_kind(text: str, lang: str) -> str | None:
    """``conclusion`` / ``recommendation`` / ``decision`` when the meeting's own words name
    such a list (not a resolution's it cites)."""
    for kind, table in LIST_WORDS_RE.items():
        for sentence in _SENTENCE_END.split(text):
            match = table[lang].search(sentence)
            if match and not CITED[lang].search(sentence[: match.start()]):
                return kind
    return None


def _lead_in(passage: PassageLike, lang: str) -> tuple[bool, str | None, str]:
    """Whether the passage introduces a list or a document, the kind it gives its items
    (``None`` for none, ``"-"`` for a recognition or thanks whose items are not asks) and the
    words that say so."""
    text = passage.text.strip()
    colon = text.endswith((":", "："))
    bare = text.rstrip(":： ").strip()
    last = _SENTENCE_END.split(text)[-1]
    following = FOLLOWING[lang].search(last)
    if following and not (colon or _list_kind(last[following.start() :], lang)):
        following = None
    lone_verb = len(bare) <= _LEAD_MAX and bool(
        _LEAD_VERB.fullmatch(bare)
        or any(p.match(bare) and len(bare.split()) <= 2 for _, p in FINITE[lang] + ITEM[lang])
    )
    if not (colon or following or lone_verb):
        return False, None, ""
    if following:
        kind = _list_kind(last[following.start() :], lang)
        if kind:
            return True, kind, _words(last[following.start() :])
    cue = _own_cue(text, lang)
    if cue:
        return True, cue[0], cue[1]
    kind = _list_kind(text, lang)
    if kind:
        return True, kind, kind
    if _negative(text, lang):
        return True, "-", ""
    return True, None, ""


def _section(heading: str, lang: str) -> str | None:
    if not heading or len(heading) > _HEADING_MAX:
        return None
    return _list_kind(heading, lang)


def _item_like(passage: PassageLike, lang: str) -> bool:
    if passage.parent_ref or passage.kind in _ITEM_KINDS:
        return True
    return bool(VERB_INITIAL[lang].match(_LABEL.sub("", passage.text.strip())))


def _heading_like(passage: PassageLike) -> bool:
    """A heading the parser kept as text: a short line that does not end a sentence."""
    text = passage.text.strip()
    return passage.kind == "heading" or (
        len(text) <= _HEADING_MAX and not text.endswith((".", ";", ":", "。", "；", "：", ","))
    )


def due_date_in(text: str, lang: str) -> date | None:
    """The deadline a passage sets ("by 2015" → 2015-12-31), if any."""
    match = DUE.get(lang, DUE["en"]).search(text)
    if match is None:
        return None
    year = int(match.group(1))
    return date(year, 12, 31) if 1900 <= year <= 2200 else None


def detect_recommendations(
    passages: list[PassageLike], document_language: str = "en"
) -> list[Candidate]:
    """Candidates in document order; each passage at most once, with the reasons found.
    Bounded work (:mod:`rcphub.limits`): the first ``WORK_PASSAGES`` passages, each read up
    to ``WORK_PASSAGE_CHARS`` characters."""
    passages = [_bounded(p) for p in passages[:WORK_PASSAGES]]
    by_ref = {p.ref: p for p in passages}
    has_children = {p.parent_ref for p in passages if p.parent_ref}
    # context from a lead-in: for its sub-paragraphs (by ref) or the run that follows it
    lead_context: dict[str, tuple[str | None, str]] = {}
    run: tuple[str | None, str] | None = None
    section: tuple[str | None, str] | None = None
    out: list[Candidate] = []

    for passage in passages:
        lang = _lang(passage, document_language)
        text = passage.text.strip()
        if passage.kind == "heading" or (
            passage.kind not in _ITEM_KINDS and not passage.parent_ref and _heading_like(passage)
        ):
            kind = _section(text, lang)
            is_lead, lead_kind, words = _lead_in(passage, lang)
            if is_lead and lead_kind:
                run = (lead_kind, _listed(lead_kind, passage.ref, text))
            elif kind:
                section = (kind, f"in the section “{text[:60]}”")
                run = None
            elif passage.kind == "heading":
                section, run = None, None
            continue
        if passage.kind in _NOT_CANDIDATES or not text or text.endswith((",", "،", "，")):
            continue
        if NOT_OPERATIVE[lang].search(text):
            continue
        is_lead, lead_kind, words = _lead_in(passage, lang)
        if is_lead:
            context = (lead_kind, _listed(lead_kind, passage.ref, words or text))
            if passage.ref in has_children:
                lead_context[passage.ref] = context
            else:
                run = context
            continue

        reasons: list[str] = []
        kind: str | None = None
        score = 0.0
        cue = _own_cue(text, lang)
        if cue:
            kind, score = cue[0], 0.8
            reasons.append(f"operative language: “{cue[1]}”")
        elif not _negative(text, lang):
            inherited = _inherited(passage, by_ref, lead_context)
            item = _item_like(passage, lang)
            if inherited is None and item and run is not None:
                inherited = run
            if inherited is None and item and section is not None:
                inherited = section
            if inherited is None and passage.heading and item:
                heading_kind = _section(passage.heading, lang)
                if heading_kind:
                    inherited = (heading_kind, f"in the section “{passage.heading[:60]}”")
            if inherited and inherited[0] not in (None, "-"):
                # an item of the meeting's own list outranks a passage under a heading
                kind = inherited[0]
                score = 0.9 if inherited[1].startswith("listed under") else 0.85
                reasons.append(inherited[1])
            elif not (passage.parent_ref or item):
                run = None
        if kind is None:
            need = NEED[lang].search(text)
            if need:
                kind, score = "recommendation", 0.6
                reasons.append(f"stresses a need: “{need.group(0)}”")
        if kind is not None:
            out.append(Candidate(passage.ref, kind, score, reasons, due_date_in(text, lang)))
    return out


def _words(text: str, limit: int = 40) -> str:
    text = text.strip().rstrip(":： ")
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + "…"


def _listed(kind: str | None, ref: str, words: str) -> str:
    """Why an item is proposed: "listed under the conclusions of 10 (“the following ...”)"."""
    return f"listed under the {kind}s of {ref} (“{_words(words)}”)"


def _inherited(
    passage: PassageLike,
    by_ref: dict[str, PassageLike],
    lead_context: dict[str, tuple[str | None, str]],
) -> tuple[str | None, str] | None:
    """The context of the nearest lead-in among the passage's ancestors."""
    parent = passage.parent_ref
    seen = 0
    while parent and seen < 8:
        if parent in lead_context:
            return lead_context[parent]
        parent = by_ref[parent].parent_ref if parent in by_ref else None
        seen += 1
    return None
