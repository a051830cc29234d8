"""The lines above the body of a document: which is the title, which the place-and-date line.

Outcome documents arrive as plain text as often as with layout, so the title is found from what
each front line *says*, not from its style:

1. a UN resolution number line gives the title after the number ("29/2. Protection of the human
   rights of migrants: …", "52/189 | Migrations internationales …", "33/7." over the title line);
2. else the first line that names a document type ("DECLARACIÓN DE LA PAZ", "Joint Statement by
   …", "Заключение Председателя …", "البيان الصحفي …", "关于难民和移民的纽约宣言"); a bare type
   ("Declaration", "DECLARACIÓN FINAL") takes the subtitle line under it, else the line above
   it (the meeting: "Sixth Global Meeting of …: Chair's summary");
3. else the last plain title line before the body (the masthead, the place-and-date line and
   notes such as "Final Version" or "[English translation …]" are never titles);
4. a document whose opening is one run-on line (text extracted without its line breaks) is
   searched for an upper-case run naming a type, a type heading over paragraph 1, or the words
   before the opening formula ("… December 6, 2005 Protection of migrants The General
   Assembly,").

The place is read from the place-and-date line ("Asunción, Paraguay, 4 y 5 de Mayo de 2006",
"(Bruxelles, le 13 décembre 2010)", "(17 سبتمبر 2025، ليان يون قانغ، …)") or, failing that, from
"held in …" in the first paragraph. Every function looks at a bounded number of characters.
"""

from __future__ import annotations

import re

from .dates import find_dates
from .normalize import collapse_whitespace, ends_sentence
from .titleblock import ORGANS, doc_type_of

MAX_TITLE_CHARS = 400
"""A longer front line is running text, not a title."""

_FUNCTION_WORDS_TEXT = """
of the and to for in on at by with a an
de del la las los el y e en por para sobre con al
des du et à le les au aux pour sur d' l'
в и на по о об с со для к от при из
"""
FUNCTION_WORDS = frozenset(_FUNCTION_WORDS_TEXT.split())

_MEETING = re.compile(
    r"\b(?:conference|meeting|summit|session|forum|consultation|seminar|symposium|workshop|"
    r"conferencia|reuni[óo]n|cumbre|sesi[óo]n|foro|conf[ée]rence|r[ée]union|sommet|"
    r"конференци|встреч|заседани|совещани|сесси|саммит|форум)"
    r"|مؤتمر|اجتماع|قمة|الدورة|منتدى|ندوة|会议|峰会|论坛|研讨会|届会",
    re.IGNORECASE,
)
_NOISE = re.compile(
    r"^\W*(?:final version|media release|press release|table of contents|contents|rev\.?\s*\d|"
    r"original(?:\s+in)?\s*[:]?\s*\w+|\[?english translation|unofficial translation|"
    r"traduction non officielle|traducci[óo]n no oficial|неофициальный перевод|"
    r"nota a la prensa|communiqu[ée] de presse|nota de prensa|"
    r"主题|原始文本|通过日期|ge\.\d)",
    re.IGNORECASE,
)
_PLACE_LABELS = re.compile(
    r"^(?:date|fecha|дата|التاريخ|日期|通过日期|adopted|adoptée|aprobada|принята)\s*[:：]?\s*$",
    re.IGNORECASE,
)
_NUMBER_TITLE = re.compile(
    r"^(?:resolution|r[ée]solution|resoluci[óo]n|резолюция|قرار)?\s*"
    r"(\d{1,3})\s*/\s*(\d{1,4}|…|\.\.\.)\s*(?:\.(?!\d)|\s|\||$)\s*(.*)$",
    re.IGNORECASE,
)
_ORGAN_NAMES = "|".join(sorted((re.escape(name) for name in ORGANS), key=len, reverse=True))
_OPENING_FORMULA = re.compile(
    rf"^(?:the |l['’]|le |la |el |إن )?(?:{_ORGAN_NAMES})\s*[,،，]\s*$", re.IGNORECASE
)
_OPENING_FORMULA_IN_TEXT = re.compile(
    rf"(?:\bthe |\bl['’]|\ble |\bla |\bel |إن )?(?:{_ORGAN_NAMES})\s*[,،，]", re.IGNORECASE
)
_FOLLOWING_TYPE = re.compile(
    r"(?:the following|la siguiente|el siguiente|la suivante|le suivant|следующ\w+|التالي|以下)"
    r"\s+(\w+(?:\s+\w+)?)",
    re.IGNORECASE,
)
_HELD_IN = re.compile(
    r"(?:held|took place|met|gathered|convened|celebr[óo]|realizad[ao]s?|reunid[oa]s|"
    r"tenue|r[ée]unis|se sont r[ée]unis|состоял\w*|собравш\w+)\s+(?:\w+\s+){0,6}?"
    r"(?:in|at|en|à|в)\s+(?:the city of |la ciudad de |la ville de |г\.\s*)?"
    r"([A-ZÀ-ÖØ-ÞА-ЯЁ][\w'’-]+(?:\s+[A-ZÀ-ÖØ-ÞА-ЯЁ][\w'’-]+)?)"
)
_CAPS_RUN = re.compile(r"(?:\b[A-ZÀ-ÖØ-ÞА-ЯЁ][A-ZÀ-ÖØ-ÞА-ЯЁ'’-]+\b\s*){2,12}")
_TYPE_BEFORE_ONE = re.compile(r"(?:^|\s)([^\s.]+(?:\s+[^\s.]+){0,5})\s+1\.\s")


def is_caps(text: str) -> bool:
    """Whether the text is written in capitals: at least three letters of a cased script
    (Latin, Cyrillic, Greek ...), most of its letters cased, none of them lower case. A script
    without case (Arabic, Chinese) is never "in capitals": else every Arabic paragraph would
    pass for a title line in capitals and be taken for front matter."""
    letters = [char for char in text if char.isalpha()]
    cased = [char for char in letters if char.isupper() or char.islower()]
    return (
        len(cased) >= 3
        and 2 * len(cased) >= len(letters)
        and not any(char.islower() for char in cased)
    )


def _last_word(text: str) -> str:
    words = text.rstrip(" ,;").split()
    return words[-1].casefold() if words else ""


def logical_lines(lines: list[str]) -> list[str]:
    """Source lines joined where one continues into the next: a line that ends with a comma,
    a hyphen or a function word, or a next line that starts in lower case or with a function
    word ("ДОКЛАД И РЕКОМЕНДАЦИИ" / "ДЛЯ ПОСЛЕДУЮЩЕЙ …")."""
    result: list[str] = []
    for raw in lines:
        line = collapse_whitespace(raw)
        if not line:
            continue
        if result:
            previous = result[-1]
            first_word = line.split()[0].casefold()
            if (
                previous.endswith((",", "،", "-", "–"))
                or _last_word(previous) in FUNCTION_WORDS
                or line[0].islower()
                or (
                    first_word in FUNCTION_WORDS
                    and is_caps(previous)
                    and is_caps(line)
                    and not previous.endswith((".", ":"))
                )
            ):
                result[-1] = f"{previous} {line}"
                continue
        result.append(line)
    return result


def is_opening_formula(text: str) -> bool:
    """ "The General Assembly,", "L'Assemblée générale,", "إن الجمعية العامة،", "大会,"."""
    return len(text) <= 60 and bool(_OPENING_FORMULA.match(text.strip()))


def opening_formula_in(text: str) -> bool:
    """Does the text open an organ's decision ("… The General Assembly, Recalling …")?"""
    return bool(_OPENING_FORMULA_IN_TEXT.search(text[:4000]))


def is_lead_in(text: str) -> bool:
    """ "CONSIDERANDO:", "REITERANDO:", "DECLARE:": a short line ending with a colon."""
    stripped = text.strip()
    return stripped.endswith((":", "：")) and len(stripped.split()) <= 3


def is_front_line(text: str) -> bool:
    """Could this line be part of a title block (title, place and date, meeting, note)?"""
    text = text.strip()
    if not text or len(text) > MAX_TITLE_CHARS:
        return False
    if is_opening_formula(text) or is_lead_in(text):
        return False
    if len(text) >= 160 and ends_sentence(text) and not is_caps(text):
        return False
    return not (text.endswith((",", "،")) and len(text) > 60)


def date_line(text: str) -> tuple[object, str | None] | None:
    """(date, place or None) if the line is a place-and-date line, else None."""
    if len(text) > 200:
        return None
    dates = find_dates(text)
    if not dates:
        return None
    date, start, end = dates[0]
    before = text[:start]
    after = text[end:]
    tail = re.split(r"\s[-–—]\s?|\s?[-–—]\s|[“”\"]", before)[-1]
    rest = collapse_whitespace(re.sub(r"[\W\d_]+", " ", tail + " " + after))
    if len(rest) > 70:
        return None
    return date, _place_from(before, after)


def _place_from(before: str, after: str) -> str | None:
    parts = re.split(r"\s[-–—]\s?|\s?[-–—]\s|[“”\"]", before)
    before = next((p for p in reversed(parts) if p.strip(" ,،.:;()[]")), "")
    for side in (before, after):
        cleaned = side.strip(" ()[],،.:;-–—|").strip()
        cleaned = re.sub(r"^(?:le|el|la|the|du|del|de)\s+|\s+(?:le|el|la|the|du|del|de|on)$", "",
                         cleaned, flags=re.IGNORECASE).strip(" ,،")  # fmt: skip
        cleaned = re.sub(r"^(?:года|год|г\.)\s*,?\s*", "", cleaned)
        if not cleaned or _PLACE_LABELS.match(cleaned):
            continue
        parts = [p.strip() for p in re.split(r"[,،]", cleaned) if p.strip()]
        if not parts:
            continue
        place = re.sub(r"^г\.\s*", "", parts[0]).strip()
        if len(parts) > 1 and re.fullmatch(r"[A-Z]{2}", parts[1]):
            place = f"{place}, {parts[1]}"
        words = place.split()
        if not words or len(words) > 4 or doc_type_of(place) or _MEETING.search(place):
            continue
        if place[0].isalpha() and (place[0].isupper() or not place[0].islower()):
            return place
    return None


def number_title(text: str) -> tuple[bool, str] | None:
    """(matched, title after the number) for a UN resolution number line, else None."""
    if len(text) > MAX_TITLE_CHARS:
        return None
    match = _NUMBER_TITLE.match(text.strip())
    if not match:
        return None
    rest = match.group(3).strip(" |.").strip()
    rest = re.sub(r"\s*\|.*$", "", rest).strip()
    return True, rest


def is_noise(text: str) -> bool:
    return bool(_NOISE.match(text.strip()))


def is_meeting_line(text: str) -> bool:
    return bool(_MEETING.search(text)) and doc_type_of(text) is None


def _generic_type_line(text: str) -> bool:
    """ "Declaration", "DECLARACIÓN FINAL", "JOINT COMMUNIQUÉ": the type and nothing else."""
    return len(text.split()) <= 2 and doc_type_of(text) is not None


def choose_title(lines: list[str]) -> str | None:
    """The title among the front lines (see the module docs), or None."""
    lines = [collapse_whitespace(line) for line in lines if line.strip()]
    joined: list[str] = []
    for line in lines:  # "XXI REGIONAL CONFERENCE … (RCM):" + "MIGRATION, A SHARED …"
        if joined and joined[-1].endswith(":") and not is_lead_in(joined[-1]):
            joined[-1] = f"{joined[-1]} {line}"
        else:
            joined.append(line)
    lines = joined
    for index, line in enumerate(lines):
        found = number_title(line)
        if found is None:
            continue
        rest = found[1]
        if rest:
            return rest
        following = [x for x in lines[index + 1 :] if not date_line(x) and not is_noise(x)]
        if following:
            return following[0]
    for index, line in enumerate(lines):
        if is_noise(line) or doc_type_of(line) is None:
            continue
        if date_line(line) is not None and len(line) < 80:
            continue
        if _generic_type_line(line):
            # a bare type takes its subtitle ("Declaration: Partnership for Growth …"), else
            # the line above it ("Sixth Global Meeting of …: Chair's summary")
            if index + 1 < len(lines):
                subtitle = lines[index + 1]
                if not (date_line(subtitle) or is_noise(subtitle) or is_meeting_line(subtitle)):
                    return f"{line}: {subtitle}"
            above = [x for x in lines[:index] if not (date_line(x) or is_noise(x))]
            if above:
                return f"{above[-1]}: {line}"
        return line
    plain = [
        line
        for line in lines
        if not (is_noise(line) or date_line(line) is not None or len(line) < 4)
    ]
    return plain[-1] if plain else None


def flat_title(text: str) -> str | None:
    """The title inside a run-on opening (no line breaks), or None."""
    head = text[:1500]
    formula = _OPENING_FORMULA_IN_TEXT.search(head)
    if formula:
        before = head[: formula.start()]
        cut = 0
        for _date, _start, end in find_dates(before):
            cut = max(cut, end)
        for match in re.finditer(r"[\])]|\d{1,3}\s*/\s*(?:\d{1,4}|…)\s*\.?", before):
            cut = max(cut, match.end())
        candidate = before[cut:].strip(" .,:;|")
        words = candidate.split()
        if candidate and (1 <= len(words) <= 15 or (len(candidate) <= 40 and len(words) == 1)):
            return candidate
    for match in _CAPS_RUN.finditer(head[:600]):
        run = match.group(0).strip()
        if doc_type_of(run) and len(run.split()) <= 10:
            return run
    match = _TYPE_BEFORE_ONE.search(head)
    if match and doc_type_of(match.group(1)):
        return match.group(1).strip()
    return None


def type_from_body(paragraphs: list[str]) -> str | None:
    """ "… and the following declaration was approved:" → declaration."""
    for paragraph in paragraphs[:3]:
        for match in _FOLLOWING_TYPE.finditer(paragraph[:2000]):
            found = doc_type_of(match.group(1))
            if found:
                return found
    return None


def place_after_date(lines: list[str]) -> str | None:
    """ "… held on 13 October 2017, Jakarta, Indonesia": a place that ends a front line after
    its date."""
    for line in lines:
        dates = find_dates(line[:MAX_TITLE_CHARS])
        if not dates:
            continue
        after = line[dates[-1][2] :]
        match = re.fullmatch(
            r"[\s,،]+([^\W\d_][\w .'’-]{1,40}?)(?:[,،]\s*[^,،]{1,40})?[\s.)]*", after
        )
        if match and match.group(1)[0].isupper():
            return match.group(1).strip()
    return None


def place_from_body(paragraphs: list[str]) -> str | None:
    for paragraph in paragraphs[:2]:
        match = _HELD_IN.search(paragraph[:1500])
        if match:
            return match.group(1)
    return None


__all__ = [
    "choose_title",
    "date_line",
    "flat_title",
    "is_front_line",
    "is_lead_in",
    "is_opening_formula",
    "logical_lines",
    "number_title",
    "opening_formula_in",
    "place_after_date",
    "place_from_body",
    "type_from_body",
]
