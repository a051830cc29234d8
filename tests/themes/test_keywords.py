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
