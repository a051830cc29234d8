"""The real document: the Russian text of the 2013 Lima Chair's summary as sent to the UNGA."""

from __future__ import annotations

import datetime as dt

from rcphub.documents.parsing import ParsedDocument, read_document


def test_metadata(lima: ParsedDocument) -> None:
    meta = lima.metadata
    assert lima.language == "ru"
    assert meta.date == dt.date(2013, 6, 28)
    assert meta.original_language == "en"
    assert meta.version_language == "ru"
    assert meta.distribution == "general"
    assert meta.organ == "General Assembly"
    assert meta.session == 68
    assert meta.agenda_item == "21(e)"  # printed "21(е)" with a Cyrillic е
    assert meta.symbol is None  # A/68/50 is the footnote on the agenda item, not this document
    assert meta.title is not None
    assert meta.title.startswith("Письмо Постоянного представителя Перу")
    # a letter transmitting a chair's summary is filed as the chair's summary it carries
    assert meta.doc_type == "chair-summary"


def test_letter_body_and_signature(lima: ParsedDocument) -> None:
    assert lima.passage("p1").text.startswith("Имею честь информировать Вас")
    assert lima.passage("p2").text.endswith("Диалога на высоком уровне.")
    signature = lima.passage("sig1")
    assert signature.kind == "signature"
    assert signature.text == (
        "(Подпись) Энрике Роман-Морей, Посол, "
        "Постоянный представитель Перу при Организации Объединенных Наций"
    )


def test_annex_paragraphs_keep_their_own_numbers(lima: ParsedDocument) -> None:
    for number in range(1, 12):
        passage = lima.passage(str(number))
        assert passage is not None, number
        assert passage.kind == "annex-paragraph"
        assert passage.heading == "Резюме Председателя"
    assert lima.passage("1").text.startswith("Четвертое Глобальное совещание")
    assert lima.passage("11").text.startswith("Участники выразили глубокую признательность")


def test_lettered_subparagraphs(lima: ParsedDocument) -> None:
    for letter in "abcdef":
        passage = lima.passage(f"8.{letter}")
        assert passage is not None
        assert passage.kind == "subparagraph"
        assert passage.parent_ref == "8"
    assert lima.passage("8.a").text.startswith("миграция стала более важной")
    assert lima.passage("8.f").text.startswith("участники признали роль МОМ")


def test_gap_in_paragraph_10_is_preserved(lima: ParsedDocument) -> None:
    refs = [ref for ref in lima.refs if ref.startswith("10.")]
    assert refs == ["10.a", "10.b", "10.c", "10.d", "10.f"]
    assert lima.passage("10.f").text.startswith("усиление базы знаний")


def test_footnotes(lima: ParsedDocument) -> None:
    fn1, fn2, star = lima.passage("fn1"), lima.passage("fn2"), lima.passage("fn-star")
    assert fn1.kind == fn2.kind == star.kind == "footnote"
    assert fn1.text.startswith("Абу-Дабийский диалог; Балийский процесс")
    assert fn2.text.startswith("Европейский союз, Экономическое сообщество")
    assert star.text == "A/68/50."
    paragraph_2 = lima.passage("2")
    assert paragraph_2.footnote_refs == ["fn1", "fn2"]
    assert "<sup>" not in paragraph_2.text
    assert "[^" not in paragraph_2.text
    assert "консультативных процессов, региональных органов и" in paragraph_2.text


def test_paragraph_3_is_joined_across_the_page_break_and_footnotes(lima: ParsedDocument) -> None:
    text = lima.passage("3").text
    assert "Диалога по вопросам миграции для южной части Африки" in text
    assert "во-" not in text
    assert "Абу-Дабийский" not in text
    assert "Европейский союз" not in text
    assert text.endswith("с региональными консультативными процессами.")
    # the footnotes come right after the paragraph they interrupted
    refs = lima.refs
    assert refs[refs.index("3") + 1 : refs.index("3") + 3] == ["fn1", "fn2"]


def test_paragraph_9_is_joined_across_a_blank_line(lima: ParsedDocument) -> None:
    text = lima.passage("9").text
    assert "в резолюциях 65/170 и 67/219 Генеральной Ассамблеи" in text
    assert lima.passage("p3").text == "Лима, 23 мая 2013 года"


def test_every_passage_is_clean_and_ordered(lima: ParsedDocument) -> None:
    assert [p.position for p in lima.passages] == list(range(len(lima.passages)))
    assert len(set(lima.refs)) == len(lima.refs)
    for passage in lima.passages:
        assert passage.text == passage.text.strip()
        for debris in ("**", "<sup>", "[^", "\\*", "  "):
            assert debris not in passage.text, (passage.ref, debris)
        assert passage.language in ("ru", "und")


def test_raw_document(lima_bytes: bytes) -> None:
    raw = read_document(lima_bytes, "lima.txt")
    assert raw.source_format == "txt"
    assert raw.encoding == "utf-8"
    assert raw.page_count is None
    kinds = {block.kind for block in raw.blocks}
    assert {"heading", "paragraph", "footnote", "page-break"} <= kinds
    assert "\f" in raw.text
    assert "[^1]" in raw.text
