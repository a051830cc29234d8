"""Keyword rules of the tagger: matched case-insensitively by lower-casing the passage, so the
patterns themselves must be lower case."""

from __future__ import annotations

import numpy as np
import pytest

from rcphub.themes.tagger import ConceptText, PassageInput, Rules, Tagger, default_rules


class Zero:
    name, dims = "zero", 4

    def embed(self, texts):  # type: ignore[no-untyped-def]
        return np.zeros((len(texts), 4), dtype=np.float32)


def rules(patterns: list[str]) -> Rules:
    return Rules.from_data(
        {
            "keyword_bonus": 0.25,
            "schemes": {"hld2013": {"threshold": 0.2}},
            "concepts": {"hld2013-rt2": {"keywords": {"en": patterns}}},
        }
    )


def test_keywords_match_whatever_the_case_of_the_passage() -> None:
    tagger = Tagger(
        [ConceptText("hld2013", "rt2", ("x",))], Zero(), rules(["trafficking in persons"])
    )
    passages = [
        PassageInput("Combating TRAFFICKING In Persons and smuggling", "en"),
        PassageInput("Trafficking of persons", "en"),
        PassageInput("trafficking in persons", "fr"),  # English keywords, French passage
    ]
    scores = tagger.scores(passages, np.zeros((3, 4), dtype=np.float32))
    assert scores[:, 0].tolist() == [0.25, 0.0, 0.0]


def test_a_names_span_is_blanked_before_matching() -> None:
    tagger = Tagger([ConceptText("hld2013", "rt2", ("x",))], Zero(), rules(["trafficking"]))
    text = "Bali Process on People Smuggling, Trafficking in Persons"
    passage = PassageInput(text, "en", spans=((0, len(text)),))
    assert tagger.scores([passage], np.zeros((1, 4), dtype=np.float32))[0, 0] == 0.0


@pytest.mark.parametrize("pattern", ["Trafficking", r"\Wtrafficking", "OSCE"])
def test_an_upper_case_keyword_is_refused(pattern: str) -> None:
    with pytest.raises(ValueError, match="lower case"):
        rules([pattern])


def test_the_bundled_keywords_load() -> None:
    default_rules.cache_clear()
    loaded = default_rules()
    assert len(loaded.keywords) >= 30
    assert all(len(by_language) == 6 for by_language in loaded.keywords.values())


# -- the literal prefilter: the same matches as searching every pattern -----------------------


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("trafficking in persons", {"trafficking in persons"}),
        (r"\bdata\b|knowledge base", {"data", "knowledge base"}),
        ("migrants? in (a )?vulnerable", {"vulnerable"}),  # the longest mandatory run
        ("(alpha|beta) gamma", {" gamma"}),
        ("(alpha|beta)x", {"alpha", "beta"}),
        ("(ab)+c", {"ab"}),
        ("droits (de l.homme )?des migrants", {"des migrants"}),
    ],
)
def test_required_literals_read_the_mandatory_strings(pattern: str, expected: set[str]) -> None:
    import re

    from rcphub.literals import required_literals

    assert required_literals(re.compile(pattern)) == expected


@pytest.mark.parametrize(
    "pattern", ["", "a?", "x*", ".+", "[ab]", "(?i:data)", "(?i)data", "data|.", "(data)?"]
)
def test_no_literals_when_a_match_may_have_none(pattern: str) -> None:
    import re

    from rcphub.literals import required_literals

    assert required_literals(re.compile(pattern)) is None


def test_every_bundled_keyword_pattern_has_literals_that_its_matches_contain() -> None:
    """Each match of a concept's pattern contains one of its literals (strings drawn from the
    pattern itself), and no bundled pattern goes without a prefilter."""
    import re

    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from rcphub.literals import required_literals

    keywords = default_rules().keywords.values()
    patterns = [pattern for by_language in keywords for pattern in by_language.values()]
    literals = {p.pattern: required_literals(p) for p in patterns}
    assert all(literals.values())

    @settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.sampled_from(patterns).flatmap(lambda p: st.tuples(st.just(p), st.from_regex(p))))
    def sound(case: tuple[re.Pattern[str], str]) -> None:
        pattern, text = case
        match = pattern.search(text)
        assert match is not None
        assert any(literal in match.group() for literal in literals[pattern.pattern])

    sound()


def test_scores_equal_a_search_of_every_pattern_on_real_text() -> None:
    """The tagger's keyword bonus is what a search of every concept's pattern gives, on the
    Lima summary in six languages and the real openings of tests/realtext."""
    from tests.realtext import paragraphs

    texts = paragraphs()
    loaded = default_rules()
    tags = sorted(loaded.keywords)
    concepts = [ConceptText(*tag.split("-", 1), ("x",)) for tag in tags]
    tagger = Tagger(concepts, Zero(), loaded)
    passages = [PassageInput(text, language) for text, language in texts]
    scores = tagger.scores(passages, np.zeros((len(passages), 4), dtype=np.float32))
    expected = np.zeros_like(scores)
    for row, (text, language) in enumerate(texts):
        for column, tag in enumerate(tags):
            pattern = loaded.keywords[tag].get(language)
            if pattern is not None and pattern.search(text.lower()):
                expected[row, column] = loaded.keyword_bonus
    assert len(texts) > 300
    assert expected.any()
    assert np.array_equal(scores, expected)


def test_pick_takes_per_scheme_the_best_at_or_above_the_threshold() -> None:
    """Ties keep column order; a score equal to the threshold (as float32) is taken."""
    loaded = Rules.from_data(
        {
            "schemes": {"hld2013": {"threshold": 0.44, "max_tags": 2}, "gcm": {"threshold": 0.5}},
        }
    )
    concepts = [
        ConceptText("gcm", "1", ("x",)),
        ConceptText("hld2013", "rt1", ("x",)),
        ConceptText("hld2013", "rt2", ("x",)),
        ConceptText("gcm", "2", ("x",)),
        ConceptText("hld2013", "rt3", ("x",)),
    ]
    tagger = Tagger(concepts, Zero(), loaded)
    row = np.asarray([0.5, 0.44, 0.9, 0.7, 0.44], dtype=np.float32)
    picked = [(s.scheme, s.code, s.score) for s in tagger.pick(row)]
    assert picked == [("hld2013", "rt2", 0.9), ("hld2013", "rt1", 0.44), ("gcm", "2", 0.7),
                      ("gcm", "1", 0.5)]  # fmt: skip
    assert tagger.pick(np.asarray([0.49, 0.43, 0.43, 0.1, 0.2], dtype=np.float32)) == []


@pytest.mark.parametrize(
    ("spans", "expected"),
    [
        ((), "Bali Process, Peru"),
        (((0, 12),), "            , Peru"),
        (((14, 99), (-3, 2)), "  li Process,     "),
        (((5, 12), (0, 7), (9, 3)), "            , Peru"),
    ],
)
def test_blank_spans_keeps_offsets(spans: tuple[tuple[int, int], ...], expected: str) -> None:
    from rcphub.themes.tagger import blank_spans

    assert blank_spans("Bali Process, Peru", spans) == expected
