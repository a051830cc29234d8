"""Paragraph and sub-paragraph labels in the six languages, and how they become refs.

Refs must be the same in every language version of a document, so every script's lettering
is mapped onto the English one (a, b, c ... z, then aa, bb ... as the UN does):

* Latin ``(a)`` / ``a)`` / ``（a）``: the letter itself. ``(i)``, ``(v)``, ``(x)`` are read as
  letters when they continue a run of letters ((h) then (i)) and as roman numerals of the next
  level otherwise ((a) then (i) -> ``8.a.i``).
* Cyrillic ``а)`` ``б)`` ``в)`` ...: the UN Russian convention letters sub-paragraphs with the
  Russian alphabet minus ё, й, ъ, ы, ь, so the *position* in that sequence is the Latin letter:
  а=a б=b в=c г=d д=e е=f ж=g з=h и=i к=j л=k м=l н=m о=n п=o р=p с=q т=r у=s ф=t х=u ц=v
  ч=w ш=x щ=y э=z ю=aa я=bb. The ref follows the letter actually printed: when a translation
  skips one (the Russian Lima summary goes а) б) в) г) е) in paragraph 10) the refs keep the
  gap (10.a 10.b 10.c 10.d 10.f) rather than silently renumbering.
* Arabic ``(أ)`` ``(ب)`` ``(ج)`` ``(د)`` ``(هـ)`` ``(و)`` ...: the abjad order the UN uses,
  أ ب ج د هـ و ز ح ط ي ك ل م ن س ع ف ص ق ر ش ت ث خ ذ ض ظ غ -> a ... z, aa, bb. UN Arabic
  prints roman sub-sub-paragraphs as ``’1‘``, ``’2‘``: those become i, ii.
* Chinese ``（一）`` ``㈠`` ``一、``: the numeral's value is the letter's position (一 = a) when
  they letter sub-paragraphs; inside a lettered sub-paragraph (UN Chinese letters with (a)
  and uses ㈠ ㈡ for (i) (ii)) they are the roman level instead.
* Numbered paragraphs: ``1.``, ``1．``, ``1)`` and the Arabic ``1 -``; Arabic-Indic digits are
  read as digits.
* ``I.`` / ``A.`` at the start of a short line are chapter/section headings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CYRILLIC_SEQUENCE = "абвгдежзиклмнопрстуфхцчшщэюя"
ARABIC_SEQUENCE = ("أ", "ب", "ج", "د", "هـ", "و", "ز", "ح", "ط", "ي", "ك", "ل", "م", "ن")
ARABIC_SEQUENCE += ("س", "ع", "ف", "ص", "ق", "ر", "ش", "ت", "ث", "خ", "ذ", "ض", "ظ", "غ")
_ARABIC_VARIANTS = {"ا": "أ", "إ": "أ", "آ": "أ", "ه": "هـ", "ى": "ي"}
_CHINESE_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")

_NUMBER = re.compile(r"^\s*(\d{1,3})(?:\s*[.．](?!\d)|\)|\s+[-–](?=\s))\s*(?=\S)")
_LATIN = re.compile(r"^\s*(?:[(（]([a-z]{1,4})[)）]|([a-z]{1,4})[)）])\s*(?=\S)")
_CYRILLIC = re.compile(r"^\s*[(（]?([а-яё])[)）]\s*(?=\S)")
_ARABIC = re.compile(r"^\s*[(（]\s*([\u0621-\u064a]ـ?)\s*[)）]\s*(?=\S)")
_ARABIC_ROMAN = re.compile(r"^\s*[’‘'`]\s*(\d{1,2})\s*[’‘'`]\s*(?=\S)")
_CHINESE = re.compile(
    r"^\s*(?:[(（]([一二三四五六七八九十]{1,3})[)）]|([\u3220-\u3229])|([一二三四五六七八九十]{1,3})、)\s*(?=\S)"
)
_SECTION = re.compile(r"^\s*([IVXLC]{1,6}|[A-Z])\.\s+(?=\S)")
_ROMAN = re.compile(r"^(?:x{0,3})(?:ix|iv|v?i{0,3})$")


@dataclass(frozen=True, slots=True)
class Label:
    """A label at the start of a line.

    ``kind`` is "number" (``8.``), "letter" (a lettered sub-paragraph, ``index`` is the
    letter's position), "latin" (a Latin ``(x)`` that may be a letter or a roman numeral:
    ``index`` is the letter position or 0, ``roman`` the numeral's value or 0), "roman"
    (known to be the roman level), "cjk" (a Chinese numeral: letter or roman level, decided
    by context) or "section" (``I.``, ``A.``). ``end`` is where the text after it starts.
    """

    kind: str
    value: str
    index: int
    end: int
    roman: int = 0


def roman_value(text: str) -> int:
    """Value of a lower-case roman numeral up to xxxix, else 0."""
    if not text or not _ROMAN.match(text):
        return 0
    values = {"i": 1, "v": 5, "x": 10}
    total = 0
    for position, char in enumerate(text):
        value = values[char]
        if position + 1 < len(text) and values[text[position + 1]] > value:
            total -= value
        else:
            total += value
    return total


def to_roman(number: int) -> str:
    """Lower-case roman numeral for 1..39."""
    tens, units = divmod(number, 10)
    ones = ("", "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix")
    return "x" * tens + ones[units]


def letter_for(index: int) -> str:
    """1 -> "a", 26 -> "z", 27 -> "aa", 28 -> "bb" (the UN's way of going past z)."""
    if index <= 0:
        return "?"
    repeat, position = divmod(index - 1, 26)
    return chr(ord("a") + position) * (repeat + 1)


def _letter_index(text: str) -> int:
    if len(set(text)) != 1:
        return 0
    return (ord(text[0]) - ord("a") + 1) + 26 * (len(text) - 1)


def _chinese_value(text: str) -> int:
    if text == "十":
        return 10
    if "十" in text:
        tens, _, units = text.partition("十")
        return _CHINESE_DIGITS.get(tens, 1) * 10 + _CHINESE_DIGITS.get(units, 0)
    return _CHINESE_DIGITS.get(text, 0)


def parse_label(line: str) -> Label | None:
    """The label at the start of ``line``, if there is one."""
    head = line[:24].translate(_DIGITS)
    match = _NUMBER.match(head)
    if match:
        return Label("number", str(int(match.group(1))), int(match.group(1)), match.end())
    match = _LATIN.match(head)
    if match:
        value = match.group(1) or match.group(2)
        index = _letter_index(value)
        roman = roman_value(value)
        if index or roman:
            return Label("latin", value, index, match.end(), roman)
        return None
    match = _CYRILLIC.match(head)
    if match:
        position = CYRILLIC_SEQUENCE.find(match.group(1))
        if position < 0:
            return None
        return Label("letter", letter_for(position + 1), position + 1, match.end())
    match = _ARABIC.match(head)
    if match:
        letter = match.group(1).rstrip("ـ")
        letter = _ARABIC_VARIANTS.get(letter, letter)
        letter = "هـ" if letter == "ه" else letter
        if letter in ARABIC_SEQUENCE:
            position = ARABIC_SEQUENCE.index(letter) + 1
            return Label("letter", letter_for(position), position, match.end())
        return None
    match = _ARABIC_ROMAN.match(head)
    if match:
        value = int(match.group(1))
        return Label("roman", to_roman(value), value, match.end(), value) if value else None
    match = _CHINESE.match(head)
    if match:
        if match.group(2):
            value = ord(match.group(2)) - 0x3220 + 1
        else:
            value = _chinese_value(match.group(1) or match.group(3))
        return Label("cjk", str(value), value, match.end()) if value else None
    match = _SECTION.match(head)
    if match:
        return Label("section", match.group(1), 0, match.end())
    return None
