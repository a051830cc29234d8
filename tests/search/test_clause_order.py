"""The best matches by meaning are ordered by their best clause as well
(:mod:`rcphub.search.clause_order`): a query about one sentence of a long paragraph finds it
above passages about migration in general; what matches does not change. Runs on SQLite and
PostgreSQL. (Quality is measured on real text: tests/search/test_realtext.py.)"""

from __future__ import annotations

import pytest
from sqlalchemy import update

from rcphub.db.models import PassageVector
from rcphub.search import SearchQuery, clause_order
from rcphub.search.indexer import BackgroundIndexer

from .conftest import Doc, store

LONG = (
    "We agree to continue promoting safe, regular and orderly migration within the region. "
    "We welcome the regional statistics programme on labour markets and remittance costs. "
    "We take note of the progress of the working group on consular protection. "
    "We will continue to combat xenophobia, racism and discrimination against migrants "
    "through public awareness campaigns. "
    "We agree to review the visa facilitation agreements before the next meeting. "
    "We thank the Government of Honduras for hosting the twenty-first Regional Conference. "
    "The next vice-ministerial meeting will be held in Costa Rica."
)
GENERAL = [
    "Migration is a global phenomenon that requires cooperation among countries of origin, "
    "transit and destination, and respect for the human rights of migrants.",
    "The member states reaffirmed their commitment to the protection of the human rights of "
    "all migrants, regardless of their migratory status.",
    "Participants stressed that migrants contribute to the development of their countries of "
    "origin and of the countries that receive them, and deserve respect.",
    "The conference recognised the contribution of migrants to societies and the need to "
    "integrate them and to respect their dignity.",
    "Migrants in an irregular situation are particularly vulnerable to abuse and exploitation "
    "and must be protected.",
    "The integration of migrants and their families in host communities is a shared "
    "responsibility of governments and societies.",
]
WEIGHT = clause_order.CLAUSE_WEIGHT
QUERY = "medidas contra las actitudes xenófobas y racistas hacia los migrantes"


def ranking(service, database, weight: float, monkeypatch) -> list[tuple[str, float]]:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(clause_order, "CLAUSE_WEIGHT", weight)
    with database.session() as session:
        result = service.search(session, SearchQuery(q=QUERY, mode="semantic", limit=20))
    return [(hit.document, hit.score) for hit in result.hits]


@pytest.fixture
def indexed(search_database, service_for):  # type: ignore[no-untyped-def]
    docs = [Doc("eeee000000000001", "en", [("1", LONG)])] + [
        Doc(f"eeee00000000001{n}", "en", [("1", text)]) for n, text in enumerate(GENERAL)
    ]
    with search_database.session() as session:
        store(session, docs)
    service = service_for(search_database)
    BackgroundIndexer(search_database, service).catch_up()  # computes and stores the vectors
    return service


def test_a_paragraph_found_by_one_of_its_clauses_moves_up(
    search_database, indexed, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    by_mean = ranking(indexed, search_database, 0.0, monkeypatch)
    by_clause = ranking(indexed, search_database, WEIGHT, monkeypatch)
    assert sorted(d for d, _ in by_mean) == sorted(d for d, _ in by_clause)  # same matches
    documents = [d for d, _ in by_mean]
    assert "eeee000000000001" in documents
    before = documents.index("eeee000000000001")
    after = [d for d, _ in by_clause].index("eeee000000000001")
    assert before > 0  # the mean of its four clauses does not put it first
    assert after < before
    scores = [s for _, s in by_clause]
    assert scores == sorted(scores, reverse=True)


def test_a_passage_without_clause_vectors_keeps_its_place(
    search_database, indexed, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    by_mean = ranking(indexed, search_database, 0.0, monkeypatch)
    with search_database.session() as session:  # stored before clause vectors were kept
        session.execute(update(PassageVector).values(clauses=None))
    assert ranking(indexed, search_database, WEIGHT, monkeypatch) == by_mean


def test_only_the_best_are_reordered_and_the_others_stay_below_in_their_order(
    search_database, indexed, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(clause_order, "REORDERED", 2)
    by_mean = ranking(indexed, search_database, 0.0, monkeypatch)
    by_clause = ranking(indexed, search_database, 0.9, monkeypatch)
    assert len(by_mean) >= 4
    assert {d for d, _ in by_clause[:2]} == {d for d, _ in by_mean[:2]}
    assert [d for d, _ in by_clause[2:]] == [d for d, _ in by_mean[2:]]
    assert max(s for _, s in by_clause[2:]) < min(s for _, s in by_clause[:2])
