"""Finding recommendations and conclusions in an outcome document, in the six UN languages.

A pure function over passages (no database): :func:`detect_recommendations` returns candidates
that a person then confirms or rejects. Three signals, strongest first:

1. **A list introduced as the meeting's conclusions or recommendations** — a paragraph that
   names them and ends with a colon ("Participants wished to bring the following main
   conclusions of the meeting to the attention of ...:"); its sub-paragraphs are the items, the
   lead-in itself is not.
2. **A Conclusions / Recommendations section** — passages under such a heading.
3. **Operative language of the meeting itself** — recommend, encourage, call upon, urge,
   invite, request, decide (their finite forms in each language), or "stressed the need to".
   A call that the sentence attributes to a resolution the text cites ("the call in General
   Assembly resolutions 65/170 and 67/219 upon Member States", Russian "в резолюциях ...
   призывает") is another body's, not the meeting's, and does not count.

Reports of a discussion ("participants highlighted the following key points") and statements
of importance are not recommendations, even when they say something "needs to" happen: the
gold labels in ``tests/followup/lima/gold.yaml`` draw the line there, and the patterns follow
it. Due dates are read from phrases like "by 2015", "d'ici à 2015", "до 2015 года",
"بحلول عام 2015", "2015年之前"; "post-2015" is not one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from rcphub.limits import WORK_PASSAGE_CHARS, WORK_PASSAGES

__all__ = ["Candidate", "PassageLike", "detect_recommendations", "due_date_in"]

_F = re.IGNORECASE | re.UNICODE


class PassageLike(Protocol):
    ref: str
    kind: str
    parent_ref: str | None
    heading: str | None
    text: str
    language: str


@dataclass(frozen=True)
class Candidate:
    ref: str
    kind: str  # recommendation | conclusion
    score: float
    reasons: list[str] = field(default_factory=list)
    due_date: date | None = None


# Words naming a list or section of conclusions (→ conclusion) or recommendations.
_CONCLUSION_WORDS = {
    "en": r"\bconclusions?\b",
    "fr": r"\bconclusions?\b",
    "es": r"\bconclusi(?:ón|on|ones)\b",
    "ru": r"(?:заключени|вывод(?:ы|ов|ам|ах)?\b)",
    "ar": r"استنتاج",
    "zh": r"结论",
}
_RECOMMENDATION_WORDS = {
    "en": r"\brecommendations?\b",
    "fr": r"\brecommandations?\b",
    "es": r"\brecomendaci(?:ón|on|ones)\b",
    "ru": r"рекомендаци",
    "ar": r"(?:توصيات|التوصية|توصية)",
    "zh": r"建议",
}

# Finite operative verbs: the meeting asks or decides.
_OPERATIVE = {
    "en": r"\b(?:recommend(?:s|ed)?|encourag(?:e|es|ed)|call(?:s|ed)? (?:up)?on|urg(?:e|es|ed)|"
    r"invit(?:e|es|ed)|request(?:s|ed)|decide[sd]?|agreed to)\b",
    "fr": r"\b(?:recommand(?:e|ent|é|ée|és|ées|ons)|encourag(?:e|ent|é|ée|és|ées)|"
    r"exhort(?:e|ent|é|ée|és)|invit(?:e|ent|é|ée|és|ées)|demand(?:e|ent|é|ée|és)|prient?|"
    r"décid(?:e|ent|é|ée)|lanc(?:e|ent|é) un appel|appellent)\b",
    "es": r"\b(?:recomienda|recomiendan|recomendaron|recomendó|alienta|alientan|alentaron|"
    r"exhorta|exhortan|exhortaron|insta|instan|instaron|invita|invitan|invitaron|pide|piden|"
    r"pidieron|solicita|solicitan|solicitaron|decide|deciden|decidieron|decidió|"
    r"hace un llamamiento|hacen un llamamiento|hicieron un llamamiento)\b",
    "ru": r"(?<!\w)(?:рекоменд(?:ует|уют|овали|овал|овала)|призыва(?:ет|ют|ли)|призвали|призвал|"
    r"поощря(?:ет|ют|ли)|предлага(?:ет|ют|ли)|прос(?:ит|ят|или)|постанови(?:ли|л)|"
    r"постановляет|реши(?:ли|л)|решает)(?!\w)",
    "ar": r"(?<!\w)[وف]?(?:يوصي|يوصون|توصي|أوصى|أوصوا|يشجع|يشجعون|تشجع|شجع|شجعوا|يهيب|أهاب|"
    r"أهابوا|يدعو|يدعون|تدعو|دعا|دعوا|يحث|يحثون|حث|حثوا|يطلب|يطلبون|طلبوا|يقرر|يقررون|قرر|"
    r"قرروا)(?!\w)",
    "zh": r"(?:建议|鼓励|呼吁|促请|敦促|吁请|决定|请求)",
}

# "stressed the need to": a specific ask, weaker than an operative verb.
_NEED = {
    "en": r"\b(?:stress(?:ed|es)?|underlin(?:ed|es)|emphasi[sz](?:ed|es)|reiterated)\s+the\s+"
    r"need\b",
    "fr": r"\b(?:soulign\w+|insist\w+|rappel\w+)\s+(?:sur\s+)?la\s+nécessité\b",
    "es": r"\b(?:subray\w+|destac\w+|recalc\w+|hicieron hincapié en|insistieron en)\s+la\s+"
    r"necesidad\b",
    "ru": r"(?:подчеркну\w*|отмети\w*|указа\w*)\s+(?:на\s+)?необходимост\w*",
    "ar": r"(?<!\w)[وف]?(?:شدد|شددوا|أكد|أكدوا|يشدد|يؤكد|يؤكدون)\s+(?:على\s+)?(?:ضرورة|الحاجة)",
    "zh": r"强调(?:了)?(?:必须|需要|有必要)",
}

# A resolution cited earlier in the same sentence owns the call that follows.
_CITED = {
    "en": r"\bresolutions?\b",
    "fr": r"\brésolutions?\b",
    "es": r"\bresoluci(?:ón|ones)\b",
    "ru": r"резолюци",
    "ar": r"(?<!\w)(?:ال)?قرار(?:ي|ات|ين)?(?!\w)",
    "zh": r"决议",
}

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

_SENTENCE_END = re.compile(r"(?<=[.;!?])\s+|[。；！？]")
_NOT_CANDIDATES = {"heading", "footnote", "signature", "preamble", "title"}
_HEADING_MAX = 80


def _compiled(table: dict[str, str]) -> dict[str, re.Pattern[str]]:
    return {lang: re.compile(pattern, _F) for lang, pattern in table.items()}


CONCLUSION_WORDS = _compiled(_CONCLUSION_WORDS)
RECOMMENDATION_WORDS = _compiled(_RECOMMENDATION_WORDS)
OPERATIVE = _compiled(_OPERATIVE)
NEED = _compiled(_NEED)
CITED = _compiled(_CITED)
DUE = _compiled(_DUE)


def _lang(passage: PassageLike, document_language: str) -> str:
    lang = passage.language if passage.language in OPERATIVE else document_language
    return lang if lang in OPERATIVE else "en"


def _list_word(text: str, lang: str) -> str | None:
    """``conclusion`` / ``recommendation`` when the text names such a list or section."""
    if CONCLUSION_WORDS[lang].search(text):
        return "conclusion"
    if RECOMMENDATION_WORDS[lang].search(text) or OPERATIVE[lang].search(text):
        return "recommendation"
    return None


def _own_calls(text: str, lang: str, table: dict[str, re.Pattern[str]]) -> list[str]:
    """Matches of ``table`` in sentences where no cited resolution comes first."""
    found = []
    for sentence in _SENTENCE_END.split(text):
        for match in table[lang].finditer(sentence):
            if not CITED[lang].search(sentence[: match.start()]):
                found.append(match.group(0).strip())
    return found


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
    """Candidates in document order; each passage at most once, with every reason found.
    Bounded work (:mod:`rcphub.limits`): the first ``WORK_PASSAGES`` passages, each read up
    to ``WORK_PASSAGE_CHARS`` characters."""
    passages = passages[:WORK_PASSAGES]
    children: dict[str, list[PassageLike]] = {}
    for passage in passages:
        if passage.parent_ref:
            children.setdefault(passage.parent_ref, []).append(passage)

    found: dict[str, tuple[str, float, list[str]]] = {}

    def add(ref: str, kind: str, score: float, reason: str) -> None:
        old_kind, old_score, reasons = found.get(ref, (kind, 0.0, []))
        if reason not in reasons:
            reasons.append(reason)
        # the list or section decides the kind; operative language alone makes it a
        # recommendation
        keep_kind = old_kind if old_score >= score else kind
        found[ref] = (keep_kind, max(old_score, score), reasons)

    lead_ins: set[str] = set()
    for passage in passages:
        if passage.kind in _NOT_CANDIDATES:
            continue
        lang = _lang(passage, document_language)
        text = passage.text[:WORK_PASSAGE_CHARS].strip()
        kids = [c for c in children.get(passage.ref, []) if c.kind not in _NOT_CANDIDATES]
        if kids and text.endswith((":", "：")):
            kind = _list_word(text, lang)
            if kind is not None and _own_calls(text, lang, _LIST_TABLES[kind]):
                lead_ins.add(passage.ref)
                for child in kids:
                    add(child.ref, kind, 0.9, f"listed under the {kind}s of {passage.ref}")
        heading = (passage.heading or "").strip()
        if heading and len(heading) <= _HEADING_MAX:
            kind = _section_word(heading, lang)
            if kind is not None:
                add(passage.ref, kind, 0.85, f"in the section “{heading}”")

    for passage in passages:
        if passage.kind in _NOT_CANDIDATES or passage.ref in lead_ins:
            continue
        lang = _lang(passage, document_language)
        text = passage.text[:WORK_PASSAGE_CHARS]
        for verb in _own_calls(text, lang, OPERATIVE):
            add(passage.ref, "recommendation", 0.8, f"operative language: “{verb}”")
        for phrase in _own_calls(text, lang, NEED):
            add(passage.ref, "recommendation", 0.6, f"stresses a need: “{phrase}”")

    by_ref = {p.ref: p for p in passages}
    out = []
    for passage in passages:
        if passage.ref in found:
            kind, score, reasons = found[passage.ref]
            lang = _lang(by_ref[passage.ref], document_language)
            out.append(
                Candidate(
                    passage.ref,
                    kind,
                    score,
                    reasons,
                    due_date_in(passage.text[:WORK_PASSAGE_CHARS], lang),
                )
            )
    return out


def _section_word(heading: str, lang: str) -> str | None:
    if CONCLUSION_WORDS[lang].search(heading):
        return "conclusion"
    if RECOMMENDATION_WORDS[lang].search(heading):
        return "recommendation"
    return None


# A lead-in counts when the list word (or an operative verb) is the meeting's own.
_LIST_TABLES = {
    "conclusion": CONCLUSION_WORDS,
    "recommendation": {
        lang: re.compile(
            f"(?:{RECOMMENDATION_WORDS[lang].pattern})|(?:{OPERATIVE[lang].pattern})", _F
        )
        for lang in OPERATIVE
    },
}
