"""Searching: modes, filters, multi-valued facets over the full match set, phrases, exclusions,
highlighting that escapes HTML, citations, and a fuzzer over the whole search path. Runs on
SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rcphub.errors import InvalidInput
from rcphub.search import SearchQuery, SearchService

from .conftest import Doc, store

LIMA_EN = Doc(
    "aaaa000000000001",
    "en",
    [
        ("1", "Regional consultative processes on migration met in Lima, Peru, in 2013."),
        ("2", "Labour mobility and the protection of migrant workers were discussed."),
        ("3", "Participants stressed cooperation between Peru, Mexico and Chile."),
        ("4", "The <script>alert('x')</script> tag & other markup stay text."),
    ],
    links=["grcp"],
    mentions={
        "1": ["state:PER", "process:puebla-process"],
        "3": ["state:PER", "state:MEX", "state:CHL"],
    },
    symbol="A/68/50",
    title="Chair's summary",
)
LIMA_RU = Doc(
    "aaaa000000000002",
    "ru",
    [
        ("1", "Региональные консультативные процессы по вопросам миграции встретились в Лиме."),
        ("2", "Обсуждалась региональная и глобальная мобильность трудовых ресурсов."),
    ],
    links=["grcp"],
    mentions={"1": ["state:PER"]},
)
BALI_FR = Doc(
    "bbbb000000000001",
    "fr",
    [
        ("1", "Le Processus de Bali lutte contre la traite des personnes et les migrations."),
        ("2", "Les États membres ont adopté un plan d'action sur la migration de main-d'œuvre."),
    ],
    doc_type="declaration",
    year=2016,
    links=["bali-process"],
    mentions={"1": ["process:bali-process", "org:iom"], "2": ["state:IDN", "state:AUS"]},
)
ZH = Doc(
    "cccc000000000001",
    "zh",
    [("1", "区域协商进程讨论了劳动力流动和移徙工人的权利。")],
    doc_type="report",
    year=2010,
    mentions={"1": ["state:CHN"]},
)
DOCS = [LIMA_EN, LIMA_RU, BALI_FR, ZH]


@pytest.fixture(scope="module")
def indexed(database_factory, embedder):  # type: ignore[no-untyped-def]
    database = database_factory.new()
    with database.session() as session:
        store(session, DOCS)
    service = SearchService(database.settings.data_dir / "search", embedder)
    with database.session() as session:
        assert service.sync(session) == len(DOCS)
    return database, service


def search(indexed, q: str = "", **options):  # type: ignore[no-untyped-def]
    database, service = indexed
    with database.session() as session:
        return service.search(session, SearchQuery(q=q, **options))


def refs(result) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return [(hit.document[-1], hit.ref) for hit in result.hits]


def test_keyword_matches_word_forms_and_ranks(indexed) -> None:  # type: ignore[no-untyped-def]
    result = search(indexed, "migrations", mode="keyword")
    # English "migration", French "migrations"/"migration" (the Latin stems of the query)
    assert {(h.document, h.ref) for h in result.hits} >= {
        (LIMA_EN.id, "1"),
        (BALI_FR.id, "1"),
        (BALI_FR.id, "2"),
    }
    assert result.total == len(result.hits)
    assert all(h.score > 0 for h in result.hits)
    assert [h.score for h in result.hits] == sorted((h.score for h in result.hits), reverse=True)


def test_russian_and_chinese_keywords(indexed) -> None:  # type: ignore[no-untyped-def]
    assert refs(search(indexed, "миграция", mode="keyword")) == [("2", "1")]
    assert refs(search(indexed, "мобильности трудовых", mode="keyword")) == [("2", "2")]
    assert refs(search(indexed, "劳动力流动", mode="keyword")) == [("1", "1")]
    assert refs(search(indexed, "劳动", mode="keyword")) == [("1", "1")]  # inside 劳动力


def test_phrase_exclusion_and_or(indexed) -> None:  # type: ignore[no-untyped-def]
    assert refs(search(indexed, '"labour mobility"', mode="keyword")) == [("1", "2")]
    assert refs(search(indexed, '"mobility labour"', mode="keyword")) == []
    assert refs(search(indexed, '"劳动力流动"', mode="keyword")) == [("1", "1")]
    both = search(indexed, "peru -mexico", mode="keyword")
    assert refs(both) == [("1", "1")]
    either = search(indexed, "mobility OR traite", mode="keyword")
    assert {(h.document, h.ref) for h in either.hits} == {(LIMA_EN.id, "2"), (BALI_FR.id, "1")}


def test_filters_in_the_query_and_as_parameters(indexed) -> None:  # type: ignore[no-untyped-def]
    in_query = search(indexed, "state:PER", mode="keyword")
    assert {(h.document, h.ref) for h in in_query.hits} == {
        (LIMA_EN.id, "1"),
        (LIMA_EN.id, "3"),
        (LIMA_RU.id, "1"),
    }
    as_param = search(indexed, "", state=["per"], lang=["ru"], mode="keyword")
    assert {(h.document, h.ref) for h in as_param.hits} == {(LIMA_RU.id, "1")}
    assert search(indexed, "process:bali-process", mode="keyword").total == 2
    assert search(indexed, "type:declaration year:2015..2020", mode="keyword").total == 2
    assert search(indexed, "year:..2012", mode="keyword").total == 1
    assert search(indexed, "-lang:en -lang:ru", mode="keyword").total == 3
    assert search(indexed, "org:iom", mode="keyword").total == 1
    assert search(indexed, "theme:gcm-5", mode="keyword").total == 0


def test_facets_are_multi_valued_and_count_the_whole_match_set(indexed) -> None:  # type: ignore[no-untyped-def]
    result = search(indexed, "", mode="keyword", limit=1)
    assert result.total == 9
    assert len(result.hits) == 1
    facets = {name: {f.value: f.count for f in values} for name, values in result.facets.items()}
    assert facets["state"] == {"PER": 3, "MEX": 1, "CHL": 1, "IDN": 1, "AUS": 1, "CHN": 1}
    # a process counts where the document is linked to it or the passage mentions it
    assert facets["process"] == {"grcp": 6, "puebla-process": 1, "bali-process": 2}
    assert facets["org"] == {"iom": 1}
    assert facets["language"] == {"en": 4, "ru": 2, "fr": 2, "zh": 1}
    assert facets["type"] == {"chair-summary": 6, "declaration": 2, "report": 1}
    assert facets["year"] == {"2016": 2, "2013": 6, "2010": 1}
    assert facets["theme"] == {}
    narrowed = search(indexed, "state:PER", mode="keyword", limit=1)
    counts = {f.value: f.count for f in narrowed.facets["state"]}
    assert counts == {"PER": 3, "MEX": 1, "CHL": 1}


def test_highlight_escapes_markup_and_marks_matches(indexed) -> None:  # type: ignore[no-untyped-def]
    (hit,) = search(indexed, "script markup", mode="keyword").hits
    assert "<script>" not in hit.highlight
    assert "&lt;<mark>script</mark>&gt;alert(&#x27;x&#x27;)&lt;/<mark>script</mark>&gt;" in (
        hit.highlight
    )
    assert "<mark>markup</mark>" in hit.highlight
    assert "&amp;" in hit.highlight
    (zh,) = search(indexed, "劳动力", mode="keyword").hits
    assert "<mark>劳动力</mark>" in zh.highlight


def test_citation(indexed) -> None:  # type: ignore[no-untyped-def]
    hit = search(indexed, '"labour mobility"', mode="keyword").hits[0]
    assert hit.citation.model_dump() == {
        "title": "Chair's summary",
        "symbol": "A/68/50",
        "ref": "2",
        "url": f"/documents/{LIMA_EN.id}#p-2",
    }
    assert hit.language == "en"
    assert hit.text.startswith("Labour mobility")


def test_semantic_and_hybrid_cross_languages(indexed) -> None:  # type: ignore[no-untyped-def]
    semantic = search(
        indexed, "movilidad laboral de los trabajadores", mode="semantic", lang=["ru"]
    )
    assert semantic.hits[0].document == LIMA_RU.id
    assert semantic.hits[0].ref == "2"
    assert all(h.language == "ru" for h in semantic.hits)
    hybrid = search(indexed, "movilidad laboral de los trabajadores", lang=["ru"])
    assert hybrid.mode == "hybrid"
    assert (hybrid.hits[0].document, hybrid.hits[0].ref) == (LIMA_RU.id, "2")
    assert hybrid.total == len({(h.document, h.ref) for h in hybrid.hits})


def test_paging_and_limits(indexed) -> None:  # type: ignore[no-untyped-def]
    first = search(indexed, "", mode="keyword", limit=2)
    second = search(indexed, "", mode="keyword", limit=2, offset=2)
    assert {h.passage_id for h in first.hits}.isdisjoint(h.passage_id for h in second.hits)
    for bad in ({"limit": 0}, {"limit": 101}, {"offset": -1}, {"offset": 995, "limit": 10}):
        with pytest.raises(InvalidInput):
            search(indexed, "migration", **bad)
    with pytest.raises(InvalidInput, match="alpha-3"):
        search(indexed, "", state=["Peru"])


QUERY_TEXT = st.lists(
    st.one_of(
        st.sampled_from(
            ['"', "-", "OR", "lang:ru", "lang:", "year:2013", "state:PER", "process:grcp",
             "labour", "migración", "миграция", "移民", "劳动力", "الهجرة", "<script>", "(", ":",
             " ", "-state:PER", "year:..2014", "type:report", "\\", "%", "_", "'"]
        ),
        st.text(max_size=8),
    ),
    max_size=12,
).map("".join)  # fmt: skip


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(query=QUERY_TEXT, mode=st.sampled_from(["keyword", "semantic", "hybrid"]))
def test_any_query_gives_results_or_a_clear_refusal(indexed, query: str, mode: str) -> None:  # type: ignore[no-untyped-def]
    try:
        result = search(indexed, query, mode=mode, limit=5)
    except InvalidInput as exc:
        assert exc.message  # noqa: PT017
    else:
        assert result.total >= len(result.hits)
        for hit in result.hits:
            assert "<script>" not in hit.highlight
