"""Ordinal number words in the six languages, for "Sixty-eighth session" and its translations.

Only 1-199 are needed (session numbers); each language's words are summed, which is how
all six build ordinals of that size ("sixty" + "eighth", "soixante" + "huitième",
"sexagésimo" + "octavo", "шестьдесят" + "восьмая", "الثامنة" + "الستون", 六十八).
"""

from __future__ import annotations

import re

_WORDS: dict[str, int] = {}


def _add(value: int, words: str) -> None:
    for word in words.split():
        _WORDS[word] = value


for _value, _words in (
    (1, "one first un une premier première unième primero primer primera uno"),
    (2, "two second deux deuxième second seconde segundo segunda dos"),
    (3, "three third trois troisième tercero tercer tercera tres"),
    (4, "four fourth quatre quatrième cuarto cuarta cuatro"),
    (5, "five fifth cinq cinquième quinto quinta cinco"),
    (6, "six sixth sixième sexto sexta seis"),
    (7, "seven seventh sept septième séptimo séptima sétimo siete"),
    (8, "eight eighth huit huitième octavo octava ocho"),
    (9, "nine ninth neuf neuvième noveno novena nueve"),
    (10, "ten tenth dix dixième décimo décima diez"),
    (11, "eleven eleventh onze onzième undécimo undécima decimoprimero"),
    (12, "twelve twelfth douze douzième duodécimo duodécima decimosegundo"),
    (13, "thirteen thirteenth treize treizième decimotercero decimotercer"),
    (14, "fourteen fourteenth quatorze quatorzième decimocuarto"),
    (15, "fifteen fifteenth quinze quinzième decimoquinto"),
    (16, "sixteen sixteenth seize seizième decimosexto"),
    (17, "seventeen seventeenth decimoséptimo"),
    (18, "eighteen eighteenth decimoctavo"),
    (19, "nineteen nineteenth decimonoveno"),
    (20, "twenty twentieth vingt vingtième vigésimo vigésima"),
    (30, "thirty thirtieth trente trentième trigésimo trigésima"),
    (40, "forty fortieth quarante quarantième cuadragésimo cuadragésima"),
    (50, "fifty fiftieth cinquante cinquantième quincuagésimo quincuagésima"),
    (60, "sixty sixtieth soixante soixantième sexagésimo sexagésima"),
    (70, "seventy seventieth septuagésimo septuagésima"),
    (80, "eighty eightieth quatre-vingt quatre-vingts quatre-vingtième octogésimo octogésima"),
    (90, "ninety ninetieth nonagésimo nonagésima"),
    (100, "hundred hundredth cent centième centésimo centésima"),
):
    _add(_value, _words)

# Russian: cardinals exactly, ordinals by stem (longest first).
_RU_CARDINAL = {
    "двадцать": 20, "тридцать": 30, "сорок": 40, "пятьдесят": 50, "шестьдесят": 60,
    "семьдесят": 70, "восемьдесят": 80, "девяносто": 90, "сто": 100,
}  # fmt: skip
_RU_ORDINAL_STEMS = sorted(
    {
        "перв": 1, "втор": 2, "трет": 3, "четверт": 4, "пят": 5, "шест": 6, "седьм": 7,
        "восьм": 8, "девят": 9, "десят": 10, "одиннадцат": 11, "двенадцат": 12,
        "тринадцат": 13, "четырнадцат": 14, "пятнадцат": 15, "шестнадцат": 16,
        "семнадцат": 17, "восемнадцат": 18, "девятнадцат": 19, "двадцат": 20,
        "тридцат": 30, "сороков": 40, "пятидесят": 50, "шестидесят": 60, "семидесят": 70,
        "восьмидесят": 80, "девяност": 90, "сот": 100,
    }.items(),
    key=lambda item: -len(item[0]),
)  # fmt: skip

_AR_WORDS = {
    "أولى": 1, "اولى": 1, "حادية": 1, "حادي": 1, "أول": 1, "ثانية": 2, "ثاني": 2,
    "ثالثة": 3, "ثالث": 3, "رابعة": 4, "رابع": 4, "خامسة": 5, "خامس": 5, "سادسة": 6,
    "سادس": 6, "سابعة": 7, "سابع": 7, "ثامنة": 8, "ثامن": 8, "تاسعة": 9, "تاسع": 9,
    "عاشرة": 10, "عاشر": 10, "عشرة": 10, "عشر": 10, "عشرون": 20, "عشرين": 20,
    "ثلاثون": 30, "ثلاثين": 30, "أربعون": 40, "أربعين": 40, "اربعون": 40, "خمسون": 50,
    "خمسين": 50, "ستون": 60, "ستين": 60, "سبعون": 70, "سبعين": 70, "ثمانون": 80,
    "ثمانين": 80, "تسعون": 90, "تسعين": 90, "مائة": 100, "مئة": 100,
}  # fmt: skip
_ZH_DIGITS = {
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_DIGITS = re.compile(r"\d{1,3}")


def _latin_cyrillic(words: list[str]) -> int:
    total = 0
    for word in words:
        if word in ("et", "and", "y", "и"):
            continue
        if word in _WORDS:
            total += _WORDS[word]
        elif word in _RU_CARDINAL:
            total += _RU_CARDINAL[word]
        else:
            for stem, value in _RU_ORDINAL_STEMS:
                if word.startswith(stem):
                    total += value
                    break
            else:
                if word.startswith("decimo"):
                    rest = _WORDS.get(word[6:], 0)
                    total += 10 + rest if rest < 10 else 0
                else:
                    return 0
    return total


def _arabic(words: list[str]) -> int:
    total = 0
    for word in words:
        for candidate in (word, word.removeprefix("و")):
            bare = candidate.removeprefix("ال")
            if bare in _AR_WORDS:
                total += _AR_WORDS[bare]
                break
        else:
            return 0
    return total


def _chinese(text: str) -> int:
    if "百" in text:
        hundreds, _, text = text.partition("百")
        return _ZH_DIGITS.get(hundreds, 1) * 100 + _chinese(text.lstrip("零"))
    if "十" in text:
        tens, _, units = text.partition("十")
        return _ZH_DIGITS.get(tens, 1) * 10 + _ZH_DIGITS.get(units, 0)
    return _ZH_DIGITS.get(text, 0)


def ordinal_value(text: str) -> int | None:
    """68 for "Sixty-eighth", "soixante-huitième", "sexagésimo octavo", "Шестьдесят восьмая",
    "الثامنة والستون", "六十八" or "68th"; ``None`` when the words are not a number."""
    text = text.strip().lower()
    digits = _DIGITS.search(text)
    if digits:
        return int(digits.group())
    if re.fullmatch(r"[一二两三四五六七八九十百零]+", text):
        return _chinese(text) or None
    if re.search("[\u0600-\u06ff]", text):
        return _arabic(text.split()) or None
    text = text.replace("quatre-vingts", "quatre-vingt").replace("quatre-vingt", "quatre_vingt")
    words = [word.replace("_", "-") for word in re.split(r"[\s\-]+", text) if word]
    return _latin_cyrillic(words) or None
