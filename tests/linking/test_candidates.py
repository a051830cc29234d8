"""Candidate bodies: bodies a text names that the registry does not hold, in six languages."""

from __future__ import annotations

import re

import pytest

from rcphub.linking.candidates import CandidateFinder, fold_key
from tests.realtext import paragraphs

FINDER = CandidateFinder(known_acronyms={"IOM", "OIM", "МОМ", "RCM", "SACM", "CSM", "EU"})


def names(text: str, language: str, known=()) -> list[tuple[str, str]]:
    return [(c.key, c.surface) for c in FINDER.find(text, language, known)]


@pytest.mark.parametrize(
    ("text", "language", "key", "surface"),
    [
        ("Recalling General Assembly resolution 60/251,", "en", "general-assembly",
         "General Assembly"),
        ("les résolutions de l’Assemblée générale et ses propres résolutions", "fr",
         "general-assembly", "Assemblée générale"),
        ("ссылаясь на резолюции, ранее принятые Генеральной Ассамблеей,", "ru",
         "general-assembly", "Генеральной Ассамблеей"),
        ("وقرارات الجمعية العامة ومجلس حقوق الإنسان", "ar", "general-assembly", "الجمعية العامة"),
        ("وقرارات الجمعية العامة ومجلس حقوق الإنسان", "ar", "human-rights-council",
         "مجلس حقوق الإنسان"),
        ("回顾大会第73/195号决议,并注意到人权理事会的报告", "zh", "human-rights-council",
         "人权理事会"),
        ("encourage ratification of the SADC Protocol on Facilitation", "en", "sadc", "SADC"),
        ("los compromisos asumidos en la IV Cumbre de las Américas", "es",
         "summit-of-the-americas", "Cumbre de las Américas"),
        ("Исполкома СНГ, ЕврАзЭС, ОБСЕ и УВКБ ООН", "ru", "osce", "ОБСЕ"),
    ],
)  # fmt: skip
def test_listed_bodies(text: str, language: str, key: str, surface: str) -> None:
    assert (key, surface) in names(text, language)


def test_names_built_like_body_names() -> None:
    found = names("the Inter-Agency Task Force on the Implementation of the Plan, and the "
                  "Ministry of Foreign Employment of Sri Lanka", "en")  # fmt: skip
    surfaces = [surface for _key, surface in found]
    assert "Inter-Agency Task Force on the Implementation of the Plan" in surfaces
    assert "Ministry of Foreign Employment of Sri Lanka" in surfaces
    found = names("las Opiniones consultivas de la Corte Interamericana de Derechos Humanos;", "es")
    assert ("corte-interamericana-de-derechos-humanos",
            "Corte Interamericana de Derechos Humanos") in found  # fmt: skip


def test_an_acronym_takes_the_name_it_abbreviates() -> None:
    found = FINDER.find(
        "met with the South Asian Forum for Regional Dialogue (SAFRD) in Colombo. "
        "The SAFRD Charter was recalled.", "en"
    )  # fmt: skip
    keys = {c.surface: c.key for c in found}
    assert keys["SAFRD"] == fold_key("South Asian Forum for Regional Dialogue")


def test_known_entities_and_headings_are_no_candidates() -> None:
    text = "The International Organization for Migration (IOM) and the RCM met."
    span = (text.index("International"), text.index(" (IOM)"))
    assert names(text, "en", [span]) == []
    assert names("DECLARACIÓN DE QUITO Los Representantes de la República", "es") == []
    assert names("the Programme of Action of the Conference", "en") == []


def test_bounded_by_the_length_of_the_text() -> None:
    text = "the Council of Ministers and the Group of Experts. " * 2000
    found = FINDER.find(text, "en")
    assert found
    assert all(c.end <= 20_000 for c in found)


@pytest.mark.parametrize(
    ("edge", "pattern", "text"),
    [
        (r"(?<![\w-])", r"General Assembly(?![\w-])", "XGeneral Assembly, the General Assembly"),
        (r"(?<![\w-])", r"(?:ab|b)", "aab-ab b"),  # a refused start, then a shorter match
        (r"(?:(?<![\w-])|(?<=\b[وبل]))", r"الجمعية العامة", "والجمعية العامة كالجمعية العامة"),
        (r"(?<![\w/.-])", r"([A-Z][A-Z0-9-]{1,7})(?![\w/-])", "A/RES SADC.OSCE (SAARC) X-IOM"),
    ],
)
def test_an_edge_checked_apart_finds_what_the_look_behind_finds(
    edge: str, pattern: str, text: str
) -> None:
    from rcphub.linking.candidates import _matches

    whole = [m.span() for m in re.finditer(edge + pattern, text)]
    apart = [m.span() for m in _matches(re.compile(pattern), re.compile(edge), text)]
    assert apart == whole
    assert whole  # each case has matches to find


@pytest.mark.parametrize(
    "text",
    ["", "123 456", "DECLARACIÓN DE QUITO", "Declaración de Quito", "ⅧⅧⅧ ab", "AB cd", "ABC de",
     "ОБСЕ и СНГ", "ǅǅǅ ab", "x" * 500 + "Y" * 500, "A" * 399 + "bb"],
)  # fmt: skip
def test_mostly_caps_counts_capitals_among_the_letters_of_the_opening(text: str) -> None:
    from rcphub.linking.candidates import _mostly_caps

    letters = [char for char in text[:400] if char.isalpha()]
    expected = bool(letters) and sum(char.isupper() for char in letters) > 0.6 * len(letters)
    assert _mostly_caps(text) is expected


def test_the_literal_prefilters_never_skip_a_passage_a_pattern_matches() -> None:
    """On real text in six languages: wherever a listed body's pattern, a head pattern or an
    Arabic head matches, the literals the finder tests first are in the passage."""
    from rcphub.linking import candidates
    from rcphub.literals import may_match

    passages = paragraphs()
    checked = 0
    for text, language in passages:
        for listed in candidates._listed(language):
            if next(candidates._matches(listed.pattern, listed.edge, text), None) is not None:
                assert may_match(listed.literals, text), (listed.key, text)
                checked += 1
        if language == "ar":
            if any(candidates._ar_head(w) for w in candidates._AR_WORD.findall(text)):
                assert may_match(candidates._AR_HEAD_LITERALS, text)
                checked += 1
        else:
            pattern = {"en": candidates._EN, "es": candidates._ES, "fr": candidates._FR,
                       "ru": candidates._RU, "zh": candidates._ZH}[language]  # fmt: skip
            if pattern.search(text):
                assert may_match(candidates._HEAD_LITERALS[language], text)
                checked += 1
    assert len(passages) > 300
    assert checked > 200
    languages = ("en", "fr", "es", "ru", "ar", "zh")
    assert all(listed.literals for lang in languages for listed in candidates._listed(lang))
