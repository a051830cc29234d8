"""Candidate bodies: the organs, organisations, summits and agencies a text names that the
registry does not hold, proposed so that the registry can grow from what documents name.

Three finders, each bounded by the length of the passage:

- the bodies of ``refdata/data/candidate-bodies.yaml`` (UN organs and committees, funds and
  programmes, regional organisations, summits) by their forms and acronyms in six languages —
  one candidate per body, whatever the language ("General Assembly", "Assemblée générale",
  "Генеральной Ассамблеей" are ``general-assembly``);
- names built like names of bodies: in English a run of capitalised words around a head noun
  ("Inter-Agency Task Force on the Implementation …", "Ministry of Foreign Employment"); in
  Spanish, French and Russian a head noun followed by its complements ("Corte Interamericana de
  Derechos Humanos", "Conseil d'association", "Программы Развития ООН"); in Arabic a head noun
  and the words that qualify it up to a preposition or a comma; in Chinese a run of characters
  ending in a head noun (委员会, 理事会, 组织 …) after a delimiter;
- acronyms of two to eight capitals that no registry entry uses ("SADC", "ОБСЕ", "CENSAD"),
  with the name they abbreviate when the text gives it ("… Regional Cooperation (SAARC)").

What the entity linker links is never a candidate: a candidate that lies inside a known mention
is dropped, and one that only extends it ("Bali Process Steering Group") is kept. Candidates are
keyed so that one body named several ways in several documents is one candidate: the key of a
listed body, else the folded name.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache

from rcphub.literals import may_match, required_literals
from rcphub.refdata.files import read_yaml

MAX_TEXT = 20_000
"""Characters of one passage that are searched."""
MAX_NAME = 160
"""A longer match is no name."""
MAX_PER_TEXT = 200
"""Candidates one passage may give."""


@dataclass(frozen=True, slots=True)
class Candidate:
    """A body named in a text: ``key`` groups its names; ``name`` is how to show it;
    ``surface`` the text as written at ``start``:``end``."""

    key: str
    name: str
    kind: str
    start: int
    end: int
    surface: str


def fold_key(text: str) -> str:
    """The key of a name found by pattern: case, accents and punctuation folded."""
    text = unicodedata.normalize("NFKD", text.replace("’", "'"))
    text = "".join(char for char in text if not unicodedata.combining(char)).casefold()
    text = re.sub(r"^(?:the|la|le|el|les|los|las|l')\s+", "", text)
    return re.sub(r"[\W_]+", "-", text).strip("-")[:120]


# --- listed bodies -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Listed:
    key: str
    name: str
    kind: str
    pattern: re.Pattern[str]
    """The body's forms, without what must come before them (``edge``)."""
    edge: re.Pattern[str] | None
    literals: frozenset[str] | None
    """One of these is in every text the pattern matches (:mod:`rcphub.literals`)."""


def _matches(
    pattern: re.Pattern[str], edge: re.Pattern[str] | None, text: str
) -> Iterator[re.Match[str]]:
    """The matches of ``pattern`` in ``text`` where ``edge`` (a look-behind) holds at their
    start: what ``finditer`` of the two as one pattern gives, 5-20 times faster. A pattern that
    opens with a look-behind tries every position of the text; without it the engine skips
    ahead to the pattern's first letters, and the edge is checked only where it matches."""
    if edge is None:
        yield from pattern.finditer(text)
        return
    position = 0
    while (match := pattern.search(text, position)) is not None:
        if edge.match(text, match.start()):
            yield match
            position = max(match.end(), match.start() + 1)
        else:
            position = match.start() + 1


_CASED = frozenset({"en", "fr", "es", "ru"})


@cache
def _listed(language: str) -> tuple[_Listed, ...]:
    listed = []
    for body in read_yaml("candidate-bodies.yaml")["bodies"]:
        forms = list(body.get("forms", {}).get(language, []))
        acronyms = [re.escape(a) for a in body.get("acronyms", {}).get(language, [])]
        if language not in _CASED:
            acronyms += [re.escape(a) for a in body.get("acronyms", {}).get("en", [])]
        alternatives = [f"(?:{form})" for form in forms] + acronyms
        if not alternatives:
            continue
        edge = {"ar": r"(?:(?<![\w-])|(?<=\b[وبل]))"}.get(
            language, r"(?<![\w-])" if language in _CASED else ""
        )
        tail = r"(?![\w-])" if language in _CASED else ""
        pattern = re.compile(f"(?:{'|'.join(alternatives)}){tail}")
        listed.append(
            _Listed(
                body["key"],
                body["name"],
                body["kind"],
                pattern,
                re.compile(edge) if edge else None,
                required_literals(pattern),
            )
        )
    return tuple(listed)


# --- bodies by pattern -------------------------------------------------------------------------

_HEADS_EN = {
    "Committee": "organ", "Commission": "organ", "Council": "organ", "Assembly": "organ",
    "Parliament": "organ", "Court": "court", "Tribunal": "court", "Summit": "summit",
    "Forum": "forum", "Ministry": "ministry", "Department": "agency", "Agency": "agency",
    "Office": "agency", "Authority": "agency", "Directorate": "agency", "Service": "agency",
    "Board": "organ", "Secretariat": "secretariat", "Group": "group", "Task Force": "group",
    "Fund": "organisation", "Programme": "organisation", "Organization": "organisation",
    "Organisation": "organisation", "Association": "organisation", "Community": "organisation",
    "Union": "organisation", "Bank": "organisation", "Centre": "organisation",
    "Center": "organisation", "Institute": "organisation",
}  # fmt: skip
_HEADS_ES = {
    "Organización": "organisation", "Organismo": "organisation", "Corte": "court",
    "Tribunal": "court", "Comisión": "organ", "Comité": "organ", "Consejo": "organ",
    "Asamblea": "organ", "Cumbre": "summit", "Secretaría": "secretariat",
    "Ministerio": "ministry", "Oficina": "agency", "Fondo": "organisation",
    "Programa": "organisation", "Comunidad": "organisation", "Unión": "organisation",
    "Grupo": "group", "Foro": "forum", "Centro": "organisation", "Banco": "organisation",
    "Dirección": "agency", "Instituto": "organisation", "Servicio": "agency",
    "Agencia": "agency", "Parlamento": "organ",
}  # fmt: skip
_HEADS_FR = {
    "Organisation": "organisation", "Organisme": "organisation", "Cour": "court",
    "Tribunal": "court", "Commission": "organ", "Comité": "organ", "Conseil": "organ",
    "Assemblée": "organ", "Sommet": "summit", "Secrétariat": "secretariat",
    "Ministère": "ministry", "Office": "agency", "Bureau": "agency", "Fonds": "organisation",
    "Programme": "organisation", "Communauté": "organisation", "Union": "organisation",
    "Groupe": "group", "Forum": "forum", "Centre": "organisation", "Banque": "organisation",
    "Direction": "agency", "Institut": "organisation", "Service": "agency",
    "Agence": "agency", "Parlement": "organ",
}  # fmt: skip
_HEADS_RU = {
    "Организаци": "organisation", "Совет": "organ", "Комисси": "organ", "Комитет": "organ",
    "Ассамбле": "organ", "Программ": "organisation", "Фонд": "organisation",
    "Управлени": "agency", "Содружеств": "organisation", "Министерств": "ministry",
    "Служб": "agency", "Агентств": "agency", "Союз": "organisation",
    "Сообществ": "organisation", "Групп": "group", "Суд": "court",
    "Секретариат": "secretariat", "Исполком": "organ", "Бюро": "agency", "Центр": "organisation",
    "Банк": "organisation", "Форум": "forum", "Саммит": "summit",
}  # fmt: skip
_HEADS_AR = {
    "مجلس": "organ", "لجنة": "organ", "اللجنة": "organ", "منظمة": "organisation",
    "المنظمة": "organisation", "وزارة": "ministry", "مركز": "organisation",
    "المركز": "organisation", "المنتدى": "forum", "منتدى": "forum", "هيئة": "agency",
    "الهيئة": "agency", "صندوق": "organisation", "برنامج": "organisation", "مكتب": "agency",
    "مفوضية": "organisation", "اتحاد": "organisation", "الاتحاد": "organisation",
    "جماعة": "organisation", "مجموعة": "group", "محكمة": "court", "الأمانة": "secretariat",
}  # fmt: skip
_HEADS_ZH = {
    "委员会": "organ", "理事会": "organ", "组织": "organisation", "共同体": "organisation",
    "联盟": "organisation", "论坛": "forum", "中心": "organisation", "基金": "organisation",
    "法院": "court", "秘书处": "secretariat", "工作组": "group", "小组": "group",
}  # fmt: skip

_NOT_BODIES = re.compile(
    r"^(?:Programme|Programa|Programme|Plan|Platform|Programm\w*|برنامج) "
    r"(?:of Action|de Acción|d['’]action|действий|عمل)"
    r"|Table of Contents|Pro Tempore|in Office|Member States?$|^Heads? of",
    re.IGNORECASE,
)
_UPPER = r"[A-ZÀ-ÖØ-ÞА-ЯЁ]"
_WORD_CAP = rf"{_UPPER}[\w'’-]*"
_CONNECT_EN = r"(?:(?:of|for|on|in|to|against)(?: the)?|and)"
_EN = re.compile(
    rf"(?:(?:{_WORD_CAP}) ){{0,6}}(?:{'|'.join(sorted(_HEADS_EN, key=len, reverse=True))})\b"
    rf"(?: {_CONNECT_EN} {_WORD_CAP}(?: {_WORD_CAP})*)*"
)
_LEADING_ARTICLE = re.compile(r"^(?:The|La|El|Le|Les|Los|Las|L['’])\s*")
_CONNECT_ES = r"(?:de|del|de la|de las|de los|para|para la|para el|sobre|y|e|contra|en)"
_CONNECT_FR = r"(?:de|des|du|d['’]|de la|de l['’]|pour|pour la|pour le|sur|contre|et|en)"
_LOWER_WORD = r"[a-zà-öø-ÿа-яё][\w'’-]*"


def _romance(heads: dict[str, str], connect: str) -> re.Pattern[str]:
    head = "|".join(sorted(heads, key=len, reverse=True))
    return re.compile(
        rf"\b({head})\b"
        rf"(?: {_LOWER_WORD}(?= |,|\.|;|$))?"  # one adjective: "Assemblée générale"
        rf"(?:(?: {connect})(?: ?{_LOWER_WORD}){{1,2}}){{0,2}}"  # "des droits de l'homme"
        rf"(?:(?: {connect} ?| ){_WORD_CAP}(?: [a-zà-öø-ÿ][\w-]{{2,}}(?=[ ,.;)]))?)*"
    )


_ES = _romance(_HEADS_ES, _CONNECT_ES)
_FR = _romance(_HEADS_FR, _CONNECT_FR)
_RU = re.compile(
    rf"\b(?:{'|'.join(sorted(_HEADS_RU, key=len, reverse=True))})[а-яё]{{0,3}}\b"
    r"(?: (?:по|в|на|для|и)?\s?(?:[а-яёА-ЯЁ][а-яё-]*|[А-ЯЁ]{2,8})){1,6}"
)
_AR_STOP_WORDS = "في من عن على إلى مع بشأن التي الذي و أو هذا هذه ذلك تلك أكثر التابع التابعة كلمة"
_AR_STOP = frozenset(_AR_STOP_WORDS.split())
_AR_WORD = re.compile(r"[\u0621-\u064a\u0660-\u0669]+")
_ZH = re.compile(
    r"(?:^|(?<=[，。、；：（）《》〈〉“”\s的和与及由在同向对]))"
    rf"([\u4e00-\u9fff]{{2,12}}?(?:{'|'.join(_HEADS_ZH)}))"
)
_ZH_LEAD = re.compile(
    r"^(?:根据|铭记着|铭记|注意到|回顾|重申|通过|认识到|欢迎|邀请|请|又|还|并|由|在|和|与|及|向|对)+"
)
_TRAILING = re.compile(
    r"(?:\s+(?:and|et|y|e|и|of|de|del|des|du|la|le|les|the|a|en|in|for|pour|para|по|в))+\s*$"
)
_ACRONYM = re.compile(r"([A-ZА-ЯЁ][A-ZА-ЯЁ0-9-]{1,7})(?![\w/-])")
_ACRONYM_EDGE = re.compile(r"(?<![\w/.-])")
_ACRONYM_STOP_WORDS = """
I II III IV V VI VII VIII IX X XI XII XIII XIV XV XVI XVII XVIII XIX XX XXI XXII XXIII
XXIV XXV XXX A RES HRC GE DC TS PPT DRC UMC SDG SDGS GCM GCR IDP IDPS NGO NGOS CSO CSOS
GDP COVID HIV AIDS ICT ID MDG MDGS OC REV PDF USA UK US RCP RCPS ISCM IRF IRFS OK CV CEO
AM PM TV ODD ODS ONG ONGS CP E F S AC OMD PIB ООН РФ США СССР ОДР ЦУР НПО ВВДЛ
"""
_ACRONYM_STOP = frozenset(_ACRONYM_STOP_WORDS.split())
_ROMAN = re.compile(r"^[IVXLC]+$")


_HEAD_LITERALS = {
    language: required_literals(pattern)
    for language, pattern in (("en", _EN), ("es", _ES), ("fr", _FR), ("ru", _RU), ("zh", _ZH))
}


_AR_HEAD_LITERALS = frozenset(head[2:] if head.startswith("ال") else head for head in _HEADS_AR)
"""In every word :func:`_ar_head` reads as a head ("للمنتدى" holds "منتدى")."""


def _ar_head(word: str) -> str | None:
    """The head noun in a word, with a clitic ("للمنتدى" = "ل" + "المنتدى")."""
    if word in _HEADS_AR:
        return word
    if word.startswith("لل") and f"ال{word[2:]}" in _HEADS_AR:
        return f"ال{word[2:]}"
    if word[:1] in ("و", "ب", "ل") and word[1:] in _HEADS_AR:
        return word[1:]
    return None


def _ar_bodies(text: str) -> Iterable[tuple[int, int, str, str]]:
    if not may_match(_AR_HEAD_LITERALS, text):
        return
    words = list(_AR_WORD.finditer(text))
    for index, match in enumerate(words):
        head = _ar_head(match.group(0))
        if head is None:
            continue
        end = match.end()
        taken = 0
        for following in words[index + 1 : index + 8]:
            gap = text[end : following.start()]
            if any(mark in gap for mark in "،,.;:()؛\n") or following.group(0) in _AR_STOP:
                break
            end = following.end()
            taken += 1
        if taken:
            word = match.group(0)
            clitic = len(word) - len(head) if not word.startswith("لل") else 1
            start = match.start() + max(clitic, 0)
            name = head + text[match.end() : end]
            yield start, end, _HEADS_AR[head], name


def _pattern_bodies(text: str, language: str) -> Iterable[tuple[int, int, str, str | None]]:
    """(start, end, kind, name or None: the surface) of the names built like body names."""
    if language == "ar":
        yield from _ar_bodies(text)
        return
    if not may_match(_HEAD_LITERALS[language], text):  # every name has a head noun
        return
    if language == "zh":
        for match in _ZH.finditer(text):
            head = next(h for h in _HEADS_ZH if match.group(1).endswith(h))
            start = match.start(1)
            lead = _ZH_LEAD.match(match.group(1))
            if lead:
                start += lead.end()
            if match.end(1) - start > len(head):
                yield start, match.end(1), _HEADS_ZH[head], None
        return
    if language == "en":
        for match in _EN.finditer(text):
            surface = match.group(0)
            head = next((h for h in _HEADS_EN if re.search(rf"\b{h}\b", surface)), None)
            # a bare head ("Council") or a head with only an article is no name
            if head and len(surface.split()) >= 2:
                yield match.start(), match.end(), _HEADS_EN[head], None
        return
    pattern, heads = {"es": (_ES, _HEADS_ES), "fr": (_FR, _HEADS_FR), "ru": (_RU, _HEADS_RU)}[
        language
    ]
    for match in pattern.finditer(text):
        surface = match.group(0).rstrip(" ,.;")
        if len(surface.split()) < 2:
            continue
        head = next(h for h in heads if surface.startswith(h))
        yield match.start(), match.start() + len(surface), heads[head], None


# --- the finder --------------------------------------------------------------------------------


class CandidateFinder:
    """Finds candidate bodies in passages. ``known_acronyms``: acronyms of registry entries
    (never candidates); build once, then call :meth:`find` per passage (thread-safe)."""

    def __init__(self, known_acronyms: Iterable[str] = ()) -> None:
        self.known_acronyms = frozenset(known_acronyms)

    def find(
        self, text: str, language: str, known: Iterable[tuple[int, int]] = ()
    ) -> list[Candidate]:
        """Candidates in ``text`` (in ``language``), none inside a ``known`` span."""
        text = text[:MAX_TEXT]
        if language not in ("en", "fr", "es", "ru", "ar", "zh") or not text:
            return []
        spans = sorted(known)
        found: list[Candidate] = []
        taken: list[tuple[int, int]] = []

        def inside_known(start: int, end: int) -> bool:
            return any(s <= start and end <= e for s, e in spans)

        def overlaps_taken(start: int, end: int) -> bool:
            return any(start < e and s < end for s, e in taken)

        def add(key: str, name: str, kind: str, start: int, end: int) -> None:
            surface = text[start:end]
            if (
                len(found) >= MAX_PER_TEXT
                or end - start > MAX_NAME
                or inside_known(start, end)
                or overlaps_taken(start, end)
                or _NOT_BODIES.search(surface)
            ):
                return
            taken.append((start, end))
            found.append(Candidate(key, name, kind, start, end, surface))

        contains = text.__contains__
        for listed in _listed(language):
            # most passages name no listed body: a substring test instead of a search
            if listed.literals is not None and not any(map(contains, listed.literals)):
                continue
            for match in _matches(listed.pattern, listed.edge, text):
                add(listed.key, listed.name, listed.kind, match.start(), match.end())
        for start, end, kind, name in _pattern_bodies(text, language):
            trailing = _TRAILING.search(text[start:end])
            if trailing:
                end = start + trailing.start()
            article = _LEADING_ARTICLE.match(text[start:end])
            if article and language in _CASED:
                start += article.end()
            surface = text[start:end]
            if (
                overlaps_taken(start, end)
                or _preceded_by_in(text, start)
                or (language in _CASED and len(surface.split()) < 2)
            ):
                continue
            add(fold_key(name or surface), name or surface, kind, start, end)
        if language in _CASED and not _mostly_caps(text):
            self._acronyms(text, found, add)
        found.sort(key=lambda candidate: candidate.start)
        return found

    def _acronyms(self, text: str, found: list[Candidate], add) -> None:  # type: ignore[no-untyped-def]
        owners: dict[str, Candidate] = {}
        for match in _matches(_ACRONYM, _ACRONYM_EDGE, text):
            token = match.group(1)
            bare = token.replace("-", "")
            if (
                token in self.known_acronyms
                or token.upper() in _ACRONYM_STOP
                or _ROMAN.match(token)
                or sum(char.isalpha() for char in bare) < 2
                or any(c.start <= match.start() < c.end for c in found)
                or _caps_neighbour(text, match.start(1), match.end(1))
            ):
                continue
            # "… Regional Cooperation (SAARC)": the acronym of the name before it
            before = text[max(0, match.start() - 2) : match.start()]
            owner = owners.get(token) or next(
                (c for c in reversed(found) if before.endswith("(") and c.end >= match.start() - 3),
                None,
            )
            if owner is not None:
                owners[token] = owner
                add(owner.key, owner.name, owner.kind, match.start(1), match.end(1))
            else:
                add(fold_key(token), token, "acronym", match.start(1), match.end(1))


def _preceded_by_in(text: str, start: int) -> bool:
    """ "the Chair in Office of MIDSA": "Office" there is no body."""
    return text[max(0, start - 3) : start] == "in "


def _caps_neighbour(text: str, start: int, end: int) -> bool:
    """Is the token next to another word in capitals ("DECLARACIÓN DE QUITO")?"""
    before = re.search(r"(\S+) $", text[max(0, start - 30) : start])
    after = re.match(r" (\S+)", text[end : end + 30])
    return any(
        word is not None and len(word.group(1)) >= 2 and word.group(1).isupper()
        for word in (before, after)
    )


def _mostly_caps(text: str) -> bool:
    """Whether more than 60 % of the letters of the first 400 characters are capitals
    (counted by C loops: this runs on every passage)."""
    letters = "".join(filter(str.isalpha, text[:400]))
    return bool(letters) and sum(map(str.isupper, letters)) > 0.6 * len(letters)


__all__ = ["Candidate", "CandidateFinder", "fold_key"]
