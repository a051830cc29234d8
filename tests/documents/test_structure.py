"""The structure parser's building blocks, and its speed on adversarial input."""

from __future__ import annotations

import contextlib
import datetime as dt
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rcphub.documents.parsing import DocumentReadError, parse_document, read_document
from rcphub.documents.parsing.dates import find_dates, parse_date_line
from rcphub.documents.parsing.labels import parse_label
from rcphub.documents.parsing.markers import footnote_ref
from rcphub.documents.parsing.normalize import (
    collapse_whitespace,
    normalize_text,
    repair_arabic_line,
)
from rcphub.documents.parsing.numerals import ordinal_value
from rcphub.documents.parsing.titleblock import agenda_item, doc_type_of, symbol

from .pdfgen import shape_arabic, visual_order


@pytest.mark.parametrize(
    ("line", "kind", "value"),
    [
        ("8. Text", "number", "8"),
        ("10 - نص", "number", "10"),
        ("١٢ - نص", "number", "12"),
        ("１．文本", "number", "1"),
        ("а) миграция", "letter", "a"),
        ("д) x", "letter", "e"),
        ("е) x", "letter", "f"),
        ("к) x", "letter", "j"),
        ("я) x", "letter", "bb"),
        ("(أ) نص", "letter", "a"),
        ("(هـ) نص", "letter", "e"),
        ("(ي) نص", "letter", "j"),
        ("(ك) نص", "letter", "k"),
        ("’3‘ نص", "roman", "iii"),
        ("（三）文本", "cjk", "3"),
        ("㈣文本", "cjk", "4"),
        ("十一、文本", "cjk", "11"),
        ("(b) text", "latin", "b"),
        ("b) texte", "latin", "b"),
        ("(iv) text", "latin", "iv"),
        ("II. Introduction", "section", "II"),
    ],
)
def test_labels(line: str, kind: str, value: str) -> None:
    label = parse_label(line)
    assert label is not None
    assert (label.kind, label.value) == (kind, value)


@pytest.mark.parametrize("line", ["2013 год", "й) x", "ь) x", "21(е)", "1.5 million", "(ab) x"])
def test_not_labels(line: str) -> None:
    assert parse_label(line) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("28 June 2013", dt.date(2013, 6, 28)),
        ("June 28, 2013", dt.date(2013, 6, 28)),
        ("28 juin 2013", dt.date(2013, 6, 28)),
        ("1er juillet 2013", dt.date(2013, 7, 1)),
        ("28 de junio de 2013", dt.date(2013, 6, 28)),
        ("28 июня 2013 года", dt.date(2013, 6, 28)),
        ("28 حزيران/يونيه 2013", dt.date(2013, 6, 28)),
        ("٢٨ يونيه ٢٠١٣", dt.date(2013, 6, 28)),
        ("2013年6月28日", dt.date(2013, 6, 28)),
        ("2013-06-28", dt.date(2013, 6, 28)),
    ],
)
def test_dates(text: str, expected: dt.date) -> None:
    assert parse_date_line(text) == expected


def test_date_ranges_give_the_last_day() -> None:
    assert find_dates("Lima, 22 and 23 May 2013")[0][0] == dt.date(2013, 5, 23)
    assert find_dates("2013年5月22日和23日")[0][0] == dt.date(2013, 5, 23)
    assert parse_date_line("Лима, 23 мая 2013 года") is None  # not a masthead date line


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Sixty-eighth", 68),
        ("Soixante-huitième", 68),
        ("Sexagésimo octavo", 68),
        ("Шестьдесят восьмая", 68),
        ("الثامنة والستون", 68),
        ("六十八", 68),
        ("Seventieth", 70),
        ("Soixante et onzième", 71),
        ("Семьдесят первая", 71),
    ],
)
def test_session_ordinals(text: str, value: int) -> None:
    assert ordinal_value(text) == value


def test_title_block_recognisers() -> None:
    assert agenda_item("Пункт 21(е) первоначального перечня") == "21(e)"
    assert agenda_item("Пункт 21(д) повестки дня") == "21(e)"
    assert agenda_item("البند 21 (هـ) من القائمة الأولية") == "21(e)"
    assert agenda_item("Tema 21 e) de la lista preliminar") == "21(e)"
    assert agenda_item("Point 5 de l’ordre du jour") == "5"
    for value in ("A/68/190", "A/CONF.231/3", "S/2013/123", "E/2013/45", "A/RES/68/4"):
        assert symbol(value) == value
    assert symbol("A/HRC/23/46/Add.1") == "A/HRC/23/46/Add.1"
    assert doc_type_of("Bali Declaration on People Smuggling") == "declaration"
    assert doc_type_of("Plan de acción de Brasil") == "action-plan"
    assert doc_type_of("Резолюция, принятая Генеральной Ассамблеей") == "resolution"
    assert doc_type_of("Rapport du Secrétaire général") == "report"
    assert doc_type_of("主席的总结") == "chair-summary"


def test_footnote_refs() -> None:
    assert [footnote_ref(x) for x in ("1", "01", "*", "**", "†", "a")] == [
        "fn1",
        "fn1",
        "fn-star",
        "fn-star2",
        "fn-dagger",
        "fn-a",
    ]


def test_normalisation_keeps_cjk_punctuation() -> None:
    assert normalize_text("１．会议（一）：是，\u00a0ﬁ\u00ad") == "1．会议（一）：是， fi"


@pytest.mark.parametrize(
    "line",
    [
        "(أ) أصبحت الهجرة مجالا أكثر أهمية في عام 2013؛",
        "عُقد الاجتماع في ليما يومي 22 و 23 أيار/مايو 2013.",
        "البند 21 (هـ) من القائمة الأولية[^*]",
        "في الأمم المتحدة",
    ],
)
def test_arabic_visual_order_is_repaired(line: str) -> None:
    assert repair_arabic_line(visual_order(shape_arabic(line))) == line
    assert repair_arabic_line(shape_arabic(line)) == line  # logical order stays logical


def test_roman_or_letter_by_context() -> None:
    text = "1. Intro:\n\n(a) one;\n\n(b) two:\n\n(i) sub one;\n\n(ii) sub two;\n\n" + "".join(
        f"({c}) item;\n\n" for c in "cdefgh"
    )
    text += "(i) the ninth letter;\n\n(j) tenth.\n"
    doc = parse_document(read_document(text.encode(), "a.txt"))
    assert [r for r in doc.refs if r.startswith("1.")] == [
        "1.a", "1.b", "1.b.i", "1.b.ii", "1.c", "1.d", "1.e", "1.f", "1.g", "1.h", "1.i", "1.j",
    ]  # fmt: skip


def test_preamble_and_letter_body() -> None:
    text = (
        "**Bali Declaration**\n\nWe, the Ministers, meeting in Bali on 2 March 2016 to discuss "
        "people smuggling, trafficking in persons and related transnational crime in the "
        "region,\n\nRecalling the Bali Process,\n\n1. Declare our commitment.\n\n2. Agree.\n"
    )
    doc = parse_document(read_document(text.encode(), "bali.txt"))
    assert doc.refs == ["h1", "pp1", "pp2", "1", "2"]
    assert doc.passage("pp2").kind == "preamble"
    assert doc.metadata.doc_type == "declaration"
    assert doc.metadata.date == dt.date(2016, 3, 2)


ADVERSARIAL = [
    "(" * 200_000,
    "a) " * 100_000,
    "1. " * 100_000,
    "**" * 100_000 + "x",
    "*a " * 100_000,
    "<sup>" * 50_000,
    "[^" * 100_000,
    "22 and " * 50_000 + "May",
    "Distr.: " * 50_000,
    "A/" * 100_000,
    "\\" * 100_000,
    "- " * 100_000,
    "ل" * 200_000,
    "-\n" * 100_000,
    "word-\nword-\n" * 50_000,
    "ﻻ ﺪﻗﻋ " * 50_000,
    "年" * 100_000 + "月",
    "1 " * 100_000,
]


@pytest.mark.parametrize("text", ADVERSARIAL, ids=range(len(ADVERSARIAL)))
def test_adversarial_lines_are_linear(text: str) -> None:
    started = time.perf_counter()
    with contextlib.suppress(DocumentReadError):  # the only error that may come out
        parse_document(read_document(text.encode(), "evil.txt"))
    # A hang guard, not a speed test: a quadratic pattern on these 100k-character lines takes
    # many minutes; linear parsing takes well under a second even on a loaded machine.
    assert time.perf_counter() - started < 60


_SPACES = st.sampled_from(
    [" ", "  ", "\n", "\t", "\r", "\x0b", "\x0c", "\x1c", "\x85", "\xa0", "\u1680", "\u2000",
     "\u2028", "\u2029", "\u202f", "\u205f", "\u3000", "\u200b", "\ufeff", "a", "é", "国", "."]
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(_SPACES, max_size=20).map("".join) | st.text(max_size=30))
def test_collapse_whitespace_is_split_and_join(text: str) -> None:
    """Its shortcut for a line already collapsed gives what splitting on whitespace and
    joining with one space gives, whatever the kind of whitespace."""
    assert collapse_whitespace(text) == " ".join(text.split())
    assert collapse_whitespace(text * 800) == " ".join((text * 800).split())  # the long path
