"""Analyzers per language: stemming, folding, Arabic normalisation, jieba, positions."""

from __future__ import annotations

import pytest

from rcphub.search.analysis import Analyzer, passage_language


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer()


def terms(analyzer: Analyzer, text: str, language: str) -> list[str]:
    return [t.term for t in analyzer.tokens(text, language)]


@pytest.mark.parametrize(
    ("language", "forms"),
    [
        ("en", ["migration", "migrations", "Migration"]),
        ("en", ["workers", "worker"]),
        ("fr", ["États", "état", "etats"]),
        ("fr", ["migrations", "migration"]),
        ("es", ["migración", "migraciones", "migracion"]),
        ("ru", ["миграции", "миграция", "Миграцию"]),
        ("ru", ["ёлка", "елка"]),
        ("ar", ["الهجرة", "للهجرة", "والهجرة", "بالهجرة"]),
        ("ar", ["المهاجرين", "المهاجرون"]),
    ],
)
def test_forms_of_a_word_meet(analyzer: Analyzer, language: str, forms: list[str]) -> None:
    keys = {analyzer.tokens(form, language).__next__().term for form in forms}
    assert len(keys) == 1, keys


def test_arabic_diacritics_and_alef_forms(analyzer: Analyzer) -> None:
    assert terms(analyzer, "الهِجْرَة", "ar") == terms(analyzer, "الهجرة", "ar")
    assert terms(analyzer, "إعلان", "ar") == terms(analyzer, "اعلان", "ar")


def test_chinese_is_segmented_with_compounds_and_their_words(analyzer: Analyzer) -> None:
    tokens = list(analyzer.tokens("国际移民组织和劳动力流动", "zh"))
    words = {t.term for t in tokens}
    assert {"国际", "移民", "组织", "劳动力", "劳动", "流动"} <= words
    by_term = {t.term: t for t in tokens}
    # positions count characters in a Han run; a term's width is its length
    assert by_term["移民"].position == 2
    assert by_term["劳动力"].width == 3
    assert by_term["流动"].position == by_term["劳动力"].position + 3


def test_spans_point_into_the_original_text(analyzer: Analyzer) -> None:
    text = "L’Organisation internationale pour les migrations (OIM) — 2013"
    for token in analyzer.tokens(text, "fr"):
        assert text[token.start : token.end].strip()
    assert terms(analyzer, text, "fr")[-1] == "2013"


def test_latin_words_in_other_scripts_use_english(analyzer: Analyzer) -> None:
    assert terms(analyzer, "IOM migrations", "ru") == terms(analyzer, "IOM migrations", "en")


def test_query_words_offer_every_latin_stem(analyzer: Analyzer) -> None:
    (term,) = analyzer.query_terms("migrations")
    assert set(term.variants) >= {terms(analyzer, "migrations", "en")[0]}
    for language in ("fr", "es"):
        assert terms(analyzer, "migrations", language)[0] in term.variants
    (han_a, han_b) = analyzer.query_terms("劳动力流动")
    assert (han_a.variants, han_a.width) == (("劳动力",), 3)
    assert han_b.variants == ("流动",)


def test_nothing_to_index(analyzer: Analyzer) -> None:
    assert terms(analyzer, "— … ; ¶ !!", "en") == []
    assert analyzer.query_terms("   ") == []


def test_passage_language() -> None:
    assert passage_language("ru", "en") == "ru"
    assert passage_language("und", "fr") == "fr"
    assert passage_language("und", "und") == "und"


def test_the_index_terms_are_the_tokens_terms_and_positions() -> None:
    """``terms`` (what the index stores, in one loop) must say what ``tokens`` says: real
    openings in the six languages, Han runs included, and no more than the limit."""
    from pathlib import Path

    import yaml

    analyzer = Analyzer()
    openings = Path(__file__).resolve().parents[1] / "realtext" / "openings"
    checked = 0
    for path in sorted(openings.glob("*.yaml")):
        for item in yaml.safe_load(path.read_text("utf-8")):
            text, language = item["text"], path.stem
            expected = [(t.term, t.position) for t in analyzer.tokens(text, language)]
            assert analyzer.terms(text, language, 100_000) == expected
            assert analyzer.terms(text, language, 7) == expected[:7]
            checked += 1
    assert checked >= 30


def test_a_long_han_run_is_segmented_a_bounded_piece_at_a_time(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A run of Han characters with no punctuation (a broken text layer, a hostile query)
    reaches the segmenter HAN_RUN_CHARS characters at a time, its words at their place in
    the run; the index, which keeps a passage's first terms, stops segmenting there."""
    import rjieba

    from rcphub.limits import HAN_RUN_CHARS
    from rcphub.search.analysis import han_words

    sentence = "国际移民组织和劳动力流动"
    run = sentence * (5 * HAN_RUN_CHARS // len(sentence))
    given: list[int] = []
    segment = rjieba.tokenize

    def counted(text: str, mode: str = "default") -> list[tuple[str, int, int]]:
        given.append(len(text))
        return segment(text, mode=mode)

    monkeypatch.setattr(rjieba, "tokenize", counted)
    words = list(han_words(run))
    assert max(given) == HAN_RUN_CHARS
    assert sum(given) == len(run)
    assert all(run[start:end] == word for word, start, end in words)
    assert words[-1][2] == len(run)

    given.clear()
    kept = Analyzer().terms(run, "zh", 20)
    assert len(kept) == 20
    assert given == [HAN_RUN_CHARS]
    assert [term for term, _ in kept[:3]] == ["国际", "移民", "组织"]


def test_query_words_are_the_plain_cut_of_a_han_run(analyzer: Analyzer) -> None:
    """A query is cut into words, not into the search mode's overlapping ones."""
    words = [term.surface for term in analyzer.query_terms("国际移民组织和劳动力流动")]
    assert "".join(words) == "国际移民组织和劳动力流动"
    assert "劳动力" in words
    assert "劳动" not in words
