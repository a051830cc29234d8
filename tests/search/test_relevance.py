"""Relevance: title lines, symbols and lead-ins do not compete by meaning; a match floor
separates matches from related passages; every hit says why it is there. Real model, both
databases."""

from __future__ import annotations

import pytest

from rcphub.search import SearchQuery
from rcphub.search.relevance import RELATED_SHOWN, is_content

from .conftest import Doc, store

EN = Doc(
    "aaaa000000000011",
    "en",
    [
        ("pp1", "BALI DECLARATION ON PEOPLE SMUGGLING AND MIGRATION"),
        ("pp2", "A/RES/71/1"),
        ("pp3", "The Ministers agreed to:"),
        ("pp4", "Bali, Indonesia, 23 March 2016"),
        (
            "1",
            "We are particularly concerned by the tragic loss of life at sea and by the "
            "exploitation of migrants at the hands of people smugglers.",
        ),
        (
            "2",
            "Ministers encouraged members to open regular labour migration channels and to "
            "protect the rights of migrant workers and their families.",
        ),
    ],
    doc_type="declaration",
)
ES = Doc(
    "aaaa000000000012",
    "es",
    [
        ("h1", "DECLARACIÓN DE QUITO"),
        (
            "1",
            "Los Estados acuerdan fortalecer la protección consular de los migrantes en "
            "tránsito y el intercambio de información entre sus consulados.",
        ),
    ],
)
NOT_CONTENT = {"pp1", "pp2", "pp3", "pp4", "h1"}


@pytest.mark.parametrize(
    ("kind", "text", "expected"),
    [
        ("text", "DECLARACIÓN DE QUITO", False),
        ("text", "Les Etats d’Afrique de l’Ouest débattent des enjeux de la migration", False),
        ("preamble", "A/RES/71/1", False),
        ("text", "Los Países Miembros de la CSM:", False),
        ("text", "通过解决难民和移民大规模流动问题高级别全体会议的成果文件如下:", False),
        ("text", "LA PAZ, BOLIVIA, 25 Y 26 DE NOVIEMBRE DE 2004", False),
        ("heading", "Migration and development in the region of the Andes today.", False),
        ("signature", "Signed in Bali by the Ministers of the participating states.", False),
        ("subparagraph", "exprimé leur profonde solidarité avec les personnes contraintes ;", True),
        ("paragraph", "2. 我们今天审议了国际社会应如何应对难民和移民大规模流动。", True),
        ("paragraph", "Encourage countries to expedite ratification of the SADC Protocol.", True),
        ("paragraph", "By 2030, eradicate extreme poverty for all people everywhere", True),
        ("text", "By 2030, eradicate extreme poverty for all people everywhere", False),
        ("paragraph", "SIXTH MINISTERIAL CONFERENCE OF THE BALI PROCESS ON SMUGGLING", False),
        ("paragraph", "Los Representantes de los Gobiernos de Argentina, Bolivia, Brasil, "
         "Colombia, Chile, Ecuador, Paraguay, Perú, Uruguay y Venezuela, reunidos en la Quinta "
         "Conferencia Sudamericana sobre Migraciones, adoptan la siguiente Declaración Final:",
         False),  # a lead-in: ends with a colon, under 300 characters
        ("paragraph", "Los Representantes de los Gobiernos de Argentina, Bolivia, Brasil, "
         "Colombia, Chile, Ecuador, Paraguay, Perú, Uruguay y Venezuela, reunidos en la Quinta "
         "Conferencia Sudamericana sobre Migraciones, y comprometidos con la integración regional,",
         True),
        # six words at least, a Han character counting as half of one
        ("paragraph", "one two three four five 中", False),
        ("paragraph", "one two three four five 中文", True),
        ("paragraph", "one中文 two three four five", False),  # a word with Han: its Han only
        ("paragraph", "一二三四五六七八九十十一", True),
    ],
)  # fmt: skip
def test_what_counts_as_content(kind: str, text: str, expected: bool) -> None:
    assert is_content(kind, text) is expected


@pytest.fixture
def service(search_database, service_for):  # type: ignore[no-untyped-def]
    with search_database.session() as session:
        store(session, [EN, ES])
    service = service_for(search_database)
    with search_database.session() as session:
        service.sync(session)
    return service


def search(database, service, **params):  # type: ignore[no-untyped-def]
    with database.session() as session:
        return service.search(session, SearchQuery(**params))


def test_titles_symbols_and_lead_ins_are_found_by_words_only(search_database, service) -> None:  # type: ignore[no-untyped-def]
    for q in ("migration", "migración", "declaración sobre migración", "移民"):
        for mode in ("semantic", "hybrid"):
            result = search(search_database, service, q=q, mode=mode)
            shown = [*result.hits, *result.related]
            assert shown, (q, mode)
            # a title may match by its words ("migration"), never by meaning
            by_meaning = [hit.ref for hit in shown if hit.matched != ["words"]]
            assert not NOT_CONTENT & set(by_meaning), (q, mode, by_meaning)
            if mode == "semantic":
                assert not NOT_CONTENT & {hit.ref for hit in shown}, (q, mode)
    words = search(search_database, service, q="Bali declaration", mode="hybrid")
    assert [hit.ref for hit in words.hits] == ["pp1"]
    assert words.hits[0].matched == ["words"]


def test_hits_say_why_they_matched(search_database, service) -> None:  # type: ignore[no-untyped-def]
    both = search(
        search_database,
        service,
        q="tragic loss of life at sea and exploitation by smugglers",
        mode="hybrid",
    )
    assert both.hits[0].ref == "1"
    assert both.hits[0].document == EN.id
    assert both.hits[0].matched == ["words", "meaning"]
    meaning = search(
        search_database,
        service,
        q="muertes trágicas en el mar y explotación de migrantes por traficantes",
        mode="hybrid",
    )
    assert meaning.hits[0].ref == "1"
    assert meaning.hits[0].document == EN.id
    assert meaning.hits[0].matched == ["meaning"]
    keyword = search(search_database, service, q="consulados", mode="keyword")
    assert [hit.matched for hit in keyword.hits] == [["words"]]


def test_nothing_matches_an_absent_topic_and_related_passages_are_apart(  # type: ignore[no-untyped-def]
    search_database, service
) -> None:
    for mode in ("hybrid", "semantic"):
        result = search(search_database, service, q="biometric passports at airports", mode=mode)
        assert result.total == 0
        assert result.hits == []
        assert len(result.related) <= RELATED_SHOWN
        assert all(hit.matched == ["related"] for hit in result.related)
        assert not NOT_CONTENT & {hit.ref for hit in result.related}
        assert result.facets["language"] == []
    # related passages are offered only when few passages match, never on later pages
    many = search(search_database, service, q="migrants", mode="hybrid")
    assert many.total >= 3
    assert many.related == []
