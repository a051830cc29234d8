"""One document in six languages and five formats: the same refs from every version."""

from __future__ import annotations

import pytest

from rcphub.documents.parsing import ParsedDocument, parse_document, read_document

from .corpus import EXPECTED_DATE, EXPECTED_REFS, VERSIONS
from .render import render

FORMATS = ("txt", "md", "html", "docx", "pdf")
JOINED = {
    "en": "Migration Dialogue for Southern Africa recalled",
    "fr": "Dialogue sur les migrations pour l’Afrique australe ont rappelé",
    "es": "Diálogo sobre la Migración para el África Meridional recordaron",
    "ru": "Диалога по вопросам миграции для южной части Африки вновь",
    "ar": "وحوار الهجرة للجنوب الأفريقي السمات",
    "zh": "南部非洲移徙问题对话的代表",
}
_CACHE: dict[tuple[str, str], ParsedDocument] = {}


def parsed(language: str, fmt: str) -> ParsedDocument:
    key = (language, fmt)
    if key not in _CACHE:
        data = render(VERSIONS[language], language, fmt)
        _CACHE[key] = parse_document(read_document(data, f"summary.{language}.{fmt}"))
    return _CACHE[key]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("language", list(VERSIONS))
def test_same_refs_in_every_language_and_format(language: str, fmt: str) -> None:
    doc = parsed(language, fmt)
    assert sorted(doc.refs) == sorted(EXPECTED_REFS)
    # footnote bodies sit where the format puts them; everything else is in document order
    body = [ref for ref in doc.refs if not ref.startswith("fn")]
    assert body == [ref for ref in EXPECTED_REFS if not ref.startswith("fn")]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("language", list(VERSIONS))
def test_metadata_and_structure(language: str, fmt: str) -> None:
    doc = parsed(language, fmt)
    meta = doc.metadata
    assert doc.language == language
    assert meta.date == EXPECTED_DATE
    assert meta.session == 68
    assert meta.agenda_item == "21(e)"
    assert meta.original_language == "en"
    assert meta.distribution == "general"
    assert meta.doc_type == "chair-summary"
    assert doc.passage("2").footnote_refs == ["fn1"]
    assert doc.passage("4.c.i").parent_ref == "4.c"
    assert doc.passage("4.d").parent_ref == "4"
    assert doc.passage("annex.1").kind == "annex-paragraph"
    assert doc.passage("sig1").kind == "signature"
    assert doc.passage("fn-star").text.startswith("A/68/50")
    assert JOINED[language] in doc.passage("3").text
    for passage in doc.passages:
        assert "[^" not in passage.text
        assert "**" not in passage.text
        assert passage.language in (language, "und"), (passage.ref, passage.language)


@pytest.mark.parametrize("language", list(VERSIONS))
def test_passage_text_is_the_same_in_every_format(language: str) -> None:
    reference = {p.ref: p.text for p in parsed(language, "txt").passages}
    for fmt in FORMATS[1:]:
        texts = {p.ref: p.text for p in parsed(language, fmt).passages}
        for ref in ("1", "2", "3", "4.a", "4.c.ii", "6", "annex.2", "fn1"):
            assert texts[ref] == reference[ref], (fmt, ref)
