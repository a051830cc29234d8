"""The hard cases of entity linking, one behaviour per test, over the real registry."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from rcphub.db import State
from rcphub.linking import EntityLinker, Gazetteer, LinkingRules, Mention

from .conftest import SMALL_ENTRIES


def links(linker: EntityLinker, text: str, language: str) -> list[tuple[str, str]]:
    mentions = linker.find(text, language)
    for mention in mentions:
        assert text[mention.start : mention.end] == mention.surface
    return [(m.entity, m.surface) for m in mentions]


LAS = "org:league-of-arab-states"


# -- inflection and clitics ----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Представители Балийского процесса", [("process:bali-process", "Балийского процесса")]),
        ("Балийский процесс провёл", [("process:bali-process", "Балийский процесс")]),
        ("участие Лиги арабских государств", [(LAS, "Лиги арабских государств")]),
        ("Лига арабских государств", [(LAS, "Лига арабских государств")]),
        ("проводившейся Организацией американских государств",
         [("org:oas", "Организацией американских государств")]),
        ("эксперты Международной организации по миграции",
         [("org:iom", "Международной организации по миграции")]),
        ("правительство Перу обращается", [("state:PER", "Перу")]),
        ("правительство Ботсваны распространило", [("state:BWA", "Ботсваны")]),
        ("вместе с Соединенными Штатами Америки", [("state:USA", "Соединенными Штатами Америки")]),
    ],
)  # fmt: skip
def test_russian_cases(linker: EntityLinker, text: str, expected: list) -> None:
    assert links(linker, text, "ru") == expected


def test_russian_togo_is_not_the_pronoun(linker: EntityLinker) -> None:
    text = (
        "Кроме того, важно то, что сказано. Того, что сделано, мало. Того же мнения. "
        "Того и Бенин. Того, Бенин и Гана."
    )
    assert links(linker, text, "ru") == [
        ("state:TGO", "Того"),
        ("state:BEN", "Бенин"),
        ("state:TGO", "Того"),
        ("state:BEN", "Бенин"),
        ("state:GHA", "Гана"),
    ]


def test_russian_short_state_names_need_a_capital(linker: EntityLinker) -> None:
    text = "малых островных государств; делегации Мали, Чада и Перу; мали; чад"
    assert links(linker, text, "ru") == [
        ("state:MLI", "Мали"),
        ("state:TCD", "Чада"),
        ("state:PER", "Перу"),
    ]


def test_russian_niger_is_not_nigeria(linker: EntityLinker) -> None:
    assert links(linker, "Нигера и Нигерии", "ru") == [
        ("state:NER", "Нигера"),
        ("state:NGA", "Нигерии"),
    ]


def test_arabic_prefixes_and_article(linker: EntityLinker) -> None:
    text = (
        "والمنظمة الدولية للهجرة، بالمنظمة الدولية للهجرة، وللمنظمة الدولية للهجرة، لبيرو، وللأردن"
    )
    assert links(linker, text, "ar") == [
        ("org:iom", "والمنظمة الدولية للهجرة"),
        ("org:iom", "بالمنظمة الدولية للهجرة"),
        ("org:iom", "وللمنظمة الدولية للهجرة"),
        ("state:PER", "لبيرو"),
        ("state:JOR", "وللأردن"),
    ]


def test_arabic_mali_is_not_financial(linker: EntityLinker) -> None:
    text = "دعم تقني ومالي ودعم مالي للبرنامج؛ وفي مالي والسنغال، مالي"
    assert links(linker, text, "ar") == [
        ("state:MLI", "مالي"),
        ("state:SEN", "والسنغال"),
        ("state:MLI", "مالي"),
    ]


def test_french_and_spanish_elision_and_articles(linker: EntityLinker) -> None:
    french = "l'Organisation internationale pour les migrations, l'OIM et l’Union européenne"
    assert links(linker, french, "fr") == [
        ("org:iom", "Organisation internationale pour les migrations"),
        ("org:iom", "OIM"),
        ("org:european-union", "Union européenne"),
    ]
    spanish = "de la OIM, del Perú y de la Organización de Estados Americanos"
    assert links(linker, spanish, "es") == [
        ("org:iom", "OIM"),
        ("state:PER", "Perú"),
        ("org:oas", "Organización de Estados Americanos"),
    ]


def test_article_that_belongs_to_the_name(linker: EntityLinker) -> None:
    assert links(linker, "el Gobierno de El Salvador y San Salvador", "es") == [
        ("state:SLV", "El Salvador")
    ]


def test_chinese_longest_substring(linker: EntityLinker) -> None:
    text = "巴布亚新几内亚、几内亚比绍和几内亚；尼日尔和尼日利亚；国际移民组织（移民组织）"
    assert links(linker, text, "zh") == [
        ("state:PNG", "巴布亚新几内亚"),
        ("state:GNB", "几内亚比绍"),
        ("state:GIN", "几内亚"),
        ("state:NER", "尼日尔"),
        ("state:NGA", "尼日利亚"),
        ("org:iom", "国际移民组织"),
        ("org:iom", "移民组织"),
    ]


def test_chinese_words_that_contain_a_state_name(linker: EntityLinker) -> None:
    text = "发展中国家、合法国家和欧美国家支持中国和法国"
    assert links(linker, text, "zh") == [("state:CHN", "中国"), ("state:FRA", "法国")]


# -- acronyms --------------------------------------------------------------------------------------
def test_acronyms_are_case_sensitive_whole_words(linker: EntityLinker) -> None:
    assert links(linker, "la OIM; la oim; zoim; OIMs", "es") == [("org:iom", "OIM")]
    assert links(linker, "the EU, EURO, eu and EU-wide", "en") == [
        ("org:european-union", "EU"),
        ("org:european-union", "EU"),
    ]
    assert links(linker, "МОМ, УВКБ, ОАГ и ИГАД; мом", "ru") == [
        ("org:iom", "МОМ"),
        ("org:unhcr", "УВКБ"),
        ("org:oas", "ОАГ"),
        ("org:igad", "ИГАД"),
    ]


def test_acronyms_in_a_heading_in_capitals_are_words(linker: EntityLinker) -> None:
    assert links(linker, "PLEASE ADD EU FUNDS. The EU agreed.", "en") == [
        ("org:european-union", "EU")
    ]


def test_ambiguous_short_strings_are_not_linked(linker: EntityLinker) -> None:
    assert links(linker, "We CAN do it; CP; PER; 5+5 = 10; the ADD", "en") == []
    assert links(linker, "la Comunidad Andina (CAN)", "es") == [
        ("org:andean-community", "Comunidad Andina"),
        ("org:andean-community", "CAN"),
    ]
    assert links(linker, "the 5+5 Dialogue", "en") == [
        ("process:five-plus-five-dialogue", "5+5 Dialogue")
    ]


# -- overlaps and longest match ----------------------------------------------------------------
def test_longest_state_name_wins(linker: EntityLinker) -> None:
    text = (
        "Papua New Guinea, Equatorial Guinea, Guinea-Bissau, Guinea Bissau and Guinea; "
        "the Niger and Nigeria; the Republic of Korea and the Democratic People's Republic of "
        "Korea; the Gulf of Guinea"
    )
    assert links(linker, text, "en") == [
        ("state:PNG", "Papua New Guinea"),
        ("state:GNQ", "Equatorial Guinea"),
        ("state:GNB", "Guinea-Bissau"),
        ("state:GNB", "Guinea Bissau"),
        ("state:GIN", "Guinea"),
        ("state:NER", "Niger"),
        ("state:NGA", "Nigeria"),
        ("state:KOR", "Republic of Korea"),
        ("state:PRK", "Democratic People's Republic of Korea"),
    ]


def test_process_names_that_contain_places(linker: EntityLinker) -> None:
    text = "the Colombo Process, the Abu Dhabi Dialogue and the Budapest Process met in Lima"
    assert links(linker, text, "en") == [
        ("process:colombo-process", "Colombo Process"),
        ("process:abu-dhabi-dialogue", "Abu Dhabi Dialogue"),
        ("process:budapest-process", "Budapest Process"),
    ]
    russian = "Диалог по вопросам миграции для южной части Африки и Южная Африка"
    assert links(linker, russian, "ru") == [
        ("process:midsa", "Диалог по вопросам миграции для южной части Африки"),
        ("state:ZAF", "Южная Африка"),
    ]


def test_processes_by_their_short_names(linker: EntityLinker) -> None:
    text = (
        "Пуэблский процесс, или Региональная конференция по миграции; "
        "другая региональная конференция по вопросам миграции"
    )
    assert links(linker, text, "ru") == [
        ("process:rcm-puebla-process", "Пуэблский процесс"),
        ("process:rcm-puebla-process", "Региональная конференция по миграции"),
    ]
    assert links(linker, "the Puebla Process", "en") == [
        ("process:rcm-puebla-process", "Puebla Process")
    ]


def test_high_level_dialogue_only_as_a_proper_name(linker: EntityLinker) -> None:
    text = "вклад в диалог на высоком уровне и в Диалог на высоком уровне"
    assert links(linker, text, "ru") == [("process:un-hld-imrf", "Диалог на высоком уровне")]


def test_reunion_the_meeting_is_not_the_island(linker: EntityLinker) -> None:
    text = "La Réunion, présidée par le Pérou, s'est tenue à La Réunion."
    mentions = links(linker, text, "fr")
    assert mentions == [("state:PER", "Pérou"), ("state:REU", "La Réunion")]
    assert linker.find(text, "fr")[-1].start == text.rindex("La Réunion")


# -- the registry ------------------------------------------------------------------------------
CONTEXT_ONLY = {("REU", "fr"), ("REU", "es"), ("MLI", "ar")}  # rules.context in gazetteer.yaml


def test_every_m49_name_links_to_its_state(linker: EntityLinker, session) -> None:
    misses = []
    for state in session.scalars(select(State)):
        for language, name in state.names.items():
            if (state.iso3, language) in CONTEXT_ONLY:
                continue
            if links(linker, name, language) != [(f"state:{state.iso3}", name)]:
                misses.append((state.iso3, language, name))
    assert misses == []


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("ru", "Перу"),
        ("zh", "秘鲁"),
        ("ar", "بيرو"),
        ("fr", "Pérou"),
        ("es", "Perú"),
        ("en", "Peru"),
    ],
)
def test_peru_in_six_languages(linker: EntityLinker, language: str, text: str) -> None:
    assert links(linker, f"({text})", language) == [("state:PER", text)]


def test_registry_names_in_chinese_are_kept(linker: EntityLinker) -> None:
    """Chinese names have no spaces: not taken for one-word fragments."""
    assert links(linker, "欧洲联盟和非洲联盟", "zh") == [
        ("org:european-union", "欧洲联盟"),
        ("org:african-union", "非洲联盟"),
    ]


def test_state_aliases_from_the_gazetteer_file(linker: EntityLinker) -> None:
    assert links(linker, "Turkey, Türkiye", "en") == [
        ("state:TUR", "Turkey"),
        ("state:TUR", "Türkiye"),
    ]
    assert links(linker, "США и Россия", "ru") == [("state:USA", "США"), ("state:RUS", "Россия")]
    assert links(linker, "Estados Unidos", "es") == [("state:USA", "Estados Unidos")]
    assert links(linker, "le Royaume-Uni", "fr") == [("state:GBR", "Royaume-Uni")]


# -- contract --------------------------------------------------------------------------------------
def test_unknown_language(linker: EntityLinker) -> None:
    with pytest.raises(ValueError, match="unknown language"):
        linker.find("Peru", "de")


def test_rules_come_from_the_gazetteer(small_linker: EntityLinker) -> None:
    text = "Того, что сказано. Того и Венгрия."
    assert links(small_linker, text, "ru") == [("state:TGO", "Того"), ("state:HUN", "Венгрия")]
    assert small_linker.find(text, "ru")[0].start == text.rindex("Того")
    bare = EntityLinker(Gazetteer.from_entries(SMALL_ENTRIES, rules=LinkingRules()))
    assert links(bare, text, "ru")[0] == ("state:TGO", "Того")
    assert bare.find(text, "ru")[0].start == 0


def test_entries_alone(small_linker: EntityLinker) -> None:
    assert links(small_linker, "the Budapest Process, Hungary and Papua New Guinea", "en") == [
        ("process:budapest-process", "Budapest Process"),
        ("state:HUN", "Hungary"),
        ("state:PNG", "Papua New Guinea"),
    ]


SCRIPTS = st.sampled_from(
    ["Перу", "МОМ", " ", ",", "-", "'", "Guinea", "Papua", "New", "的", "国际移民组织", "移民",
     "والمنظمة", "الدولية", "للهجرة", "5+5", "Dialogue", "Того", "\u0301", "é", "\n", "l'", "OIM"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(SCRIPTS, max_size=30), st.sampled_from(["en", "fr", "es", "ru", "ar", "zh"]))
def test_mentions_are_exact_sorted_and_disjoint(small_linker, parts, language) -> None:
    text = "".join(parts)
    mentions = small_linker.find(text, language)
    previous_end = 0
    for mention in mentions:
        assert isinstance(mention, Mention)
        assert text[mention.start : mention.end] == mention.surface
        assert previous_end <= mention.start < mention.end
        previous_end = mention.end


def test_thread_safe(linker: EntityLinker) -> None:
    texts = [
        ("ru", "Балийского процесса, правительство Перу и МОМ " * 20),
        ("ar", "والمنظمة الدولية للهجرة ولبيرو " * 20),
        ("zh", "国际移民组织和秘鲁、巴布亚新几内亚" * 20),
        ("fr", "l'OIM et le Pérou, la Ligue des États arabes " * 20),
    ] * 10
    expected = [linker.find(text, language) for language, text in texts]
    fresh = EntityLinker(linker.gazetteer)  # empty token caches, filled by the threads at once
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda item: fresh.find(item[1], item[0]), texts))
    assert results == expected


# -- fast forms of the tokeniser and the key functions, against their plain definitions ------
_CHARS = st.sampled_from(
    [*"aZé9_ .,'’-‐\n\t", "\u0301", "\u0640", "\u064b", "\u0670", "\u00ad", "\u200c",
     "\u200d", "Ж", "ё", "ب", "ـ", "国", "豈", "㐀", "（", "\u3000", "²", "Ⅷ", "ǅ", "𝐀"]
)  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(st.text(_CHARS, max_size=40) | st.text(max_size=40))
def test_tokens_are_runs_of_letters_and_marks(text: str) -> None:
    """TOKEN, written as runs of letters and runs of marks, cuts a text as its plain
    definition does: a Han character, ``(?:letter|mark)+``, or one other non-space symbol."""
    import re

    from rcphub.linking import normalise

    han, marks, skipped = normalise._HAN, normalise._MARKS, normalise._SKIPPED
    plain = re.compile(rf"[{han}]|(?:[^\W_{han}]|[{marks}])+|[^\s{skipped}]")
    spans = [(m.start(), m.end()) for m in normalise.TOKEN.finditer(text)]
    assert spans == [(m.start(), m.end()) for m in plain.finditer(text)]


@settings(max_examples=300, deadline=None)
@given(st.text(_CHARS, max_size=30) | st.text(max_size=30))
def test_fold_accents_is_nfkd_without_combining_marks(text: str) -> None:
    import unicodedata

    from rcphub.linking.normalise import fold_accents

    decomposed = unicodedata.normalize("NFKD", text)
    assert fold_accents(text) == "".join(c for c in decomposed if not unicodedata.combining(c))
