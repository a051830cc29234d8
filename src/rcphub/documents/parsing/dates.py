"""Dates as UN documents print them in the six languages.

"28 June 2013", "June 28, 2013", "22nd and 23rd November 2018", "July 10th and 11th 2006",
"28 juin 2013", "1er juillet 2013", "28 de junio de 2013", "28 июня 2013 года",
"28 حزيران/يونيه 2013" (either half of the Arabic month pair is enough), "2013年6月28日",
"2013-06-28". Ranges ("22 and 23 May 2013", "22-23 mai 2013", "May 30-31, 2002",
"2013年5月22日和23日") give their last day. Every pattern is anchored on digits and bounded, so
matching is linear in the length of the text.
"""

from __future__ import annotations

import datetime as dt
import re

_MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        "january janvier enero января январь",
        "february février fevrier febrero февраля февраль",
        "march mars marzo марта март",
        "april avril abril апреля апрель",
        "may mai mayo мая май",
        "june juin junio июня июнь",
        "july juillet julio июля июль",
        "august août aout agosto августа август",
        "september septembre septiembre setiembre сентября сентябрь",
        "october octobre octubre октября октябрь",
        "november novembre noviembre ноября ноябрь",
        "december décembre decembre diciembre декабря декабрь",
    ),
    start=1,
):
    for _name in _names.split():
        _MONTHS[_name] = _number

_ARABIC_MONTHS = {
    "كانون الثاني": 1, "يناير": 1, "شباط": 2, "فبراير": 2, "آذار": 3, "مارس": 3,
    "نيسان": 4, "أبريل": 4, "ابريل": 4, "أيار": 5, "مايو": 5, "حزيران": 6, "يونيه": 6,
    "يونيو": 6, "تموز": 7, "يوليه": 7, "يوليو": 7, "آب": 8, "أغسطس": 8, "أيلول": 9,
    "سبتمبر": 9, "تشرين الأول": 10, "أكتوبر": 10, "تشرين الثاني": 11, "نوفمبر": 11,
    "كانون الأول": 12, "ديسمبر": 12,
}  # fmt: skip

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_CONJ = r"(?:\s*(?:and|et|y|и|و|to|au|al|-|–|—)\s*)"
_ORD = r"(?:st|nd|rd|th|º|°)?"
_DAY = rf"(?:(?:\d{{1,2}}{_ORD}|1er){_CONJ})?(\d{{1,2}}|1er){_ORD}"
_LATIN_CYR_MONTH = r"([A-Za-zÀ-ÿА-Яа-яё]{3,10})"
_PATTERNS = (
    # 28 June 2013 / 28 juin 2013 / 28 июня 2013 года / 28 de junio de 2013
    (re.compile(rf"{_DAY}\s+(?:de\s+)?{_LATIN_CYR_MONTH}\s+(?:de\s+|del\s+)?(\d{{4}})"), "dmy"),
    # June 28, 2013
    (
        re.compile(
            rf"{_LATIN_CYR_MONTH}\s+(?:\d{{1,2}}{_ORD}{_CONJ})?(\d{{1,2}}){_ORD},?\s+(\d{{4}})"
        ),
        "mdy",
    ),
    # 28 حزيران/يونيه 2013
    (re.compile(rf"{_DAY}\s+([\u0621-\u064a/ ]{{3,30}}?)\s*(\d{{4}})"), "arabic"),
    # 2013年6月28日, 2013年5月22日和23日
    (
        re.compile(
            r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日(?:\s*(?:和|至|-|–)\s*(\d{1,2})\s*日)?"
        ),
        "zh",
    ),
    (re.compile(r"(\d{4})-(\d{2})-(\d{2})"), "iso"),
)  # fmt: skip


def _make(year: str, month: int, day: str) -> dt.date | None:
    try:
        return dt.date(int(year), month, 1 if day == "1er" else int(day))
    except ValueError:
        return None


def _arabic_month(text: str) -> int | None:
    for part in text.split("/"):
        part = part.strip()
        if part in _ARABIC_MONTHS:
            return _ARABIC_MONTHS[part]
    return None


def find_dates(text: str) -> list[tuple[dt.date, int, int]]:
    """Every date in ``text`` as ``(date, start, end)``, in order of appearance."""
    text = text.translate(_DIGITS)
    found: list[tuple[dt.date, int, int]] = []
    for pattern, kind in _PATTERNS:
        for match in pattern.finditer(text):
            date: dt.date | None = None
            if kind == "dmy":
                month = _MONTHS.get(match.group(2).lower())
                date = _make(match.group(3), month, match.group(1)) if month else None
            elif kind == "mdy":
                month = _MONTHS.get(match.group(1).lower())
                date = _make(match.group(3), month, match.group(2)) if month else None
            elif kind == "arabic":
                month = _arabic_month(match.group(2))
                date = _make(match.group(3), month, match.group(1)) if month else None
            elif kind == "zh":
                date = _make(match.group(1), int(match.group(2)), match.group(4) or match.group(3))
            else:
                date = _make(match.group(1), int(match.group(2)), match.group(3))
            if date is not None and 1900 <= date.year <= 2200:
                found.append((date, match.start(), match.end()))
    found.sort(key=lambda item: item[1])
    return found


_DATE_LINE_REST = re.compile(r"^[\s,.:;]*(?:года|г\.|год)?[\s.]*$")


def parse_date_line(line: str) -> dt.date | None:
    """The date if ``line`` is nothing but a date (as in a masthead), else ``None``."""
    if len(line) > 60:
        return None
    dates = find_dates(line)
    if len(dates) != 1:
        return None
    date, start, end = dates[0]
    if line[:start].strip(" ,.") or not _DATE_LINE_REST.match(line.translate(_DIGITS)[end:]):
        return None
    return date
