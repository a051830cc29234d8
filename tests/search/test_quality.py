"""Cross-lingual ranking on real text: queries in five languages (written by hand for this
test, each about one paragraph of the Russian Lima 2013 Chair's summary, read for the purpose)
must find that paragraph near the top, through the real ingest, index and search path.

Floor: mean reciprocal rank >= 0.5 and the right paragraph in the first five for at least 11
of the 15 queries. Measured at the time of writing: MRR 0.72 (semantic; 10 of 15 first) with
passages embedded clause by clause and headings not embedded; 0.64 with headings embedded;
embedding each passage whole gave 0.23-0.25 and fails this test (one theme among four in
paragraph 7 drowns, and two-word headings outrank whole paragraphs).
"""

from __future__ import annotations

import pytest

from rcphub.bootstrap import ingest_bundled_documents
from rcphub.search import SearchQuery

# query -> the ref of the paragraph it is about (hand-made; see the module docstring)
GOLD = {
    "movilidad laboral": "7",
    "labour mobility": "7",
    "mobilité de la main-d'œuvre": "7",
    "protección de los derechos de los migrantes": "7",
    "劳动力流动": "7",
    "تنقل العمالة": "7",
    "حماية حقوق المهاجرين": "7",
    "post-2015 development agenda": "8.e",
    "programme de développement pour l'après-2015": "8.e",
    "IOM as the leading global migration agency": "8.f",
    "exchange of information between regional processes": "6",
    "intercambio de información entre procesos regionales": "6",
    "信息交流": "6",
    "in-depth study on regional inter-state consultation mechanisms": "4",
    "Global Forum on Migration and Development preparation": "8.d",
}


@pytest.mark.slow
def test_cross_lingual_queries_find_the_russian_paragraph(search_database, service_for) -> None:  # type: ignore[no-untyped-def]
    ingest_bundled_documents(search_database)
    # The ordering by meaning alone: the match floor (MATCH_FLOOR, calibrated on the real-text
    # set, tests/search/test_realtext.py) is lowered here, because a two-word query scores
    # below it against a four-theme paragraph (0.21 for "labour mobility" and paragraph 7).
    # Centring is off too: this test measures embedding passages clause by clause; centring
    # (measured on the real-text set) over an index of one document takes off that document's
    # own subject and moves 信息交流 from 4th to 9th here (MRR 0.715 -> 0.700).
    service = service_for(search_database, min_similarity=0.05, centring=0.0)
    service.prepare(search_database)
    ranks = {}
    with search_database.session() as session:
        for query, ref in GOLD.items():
            result = service.search(
                session, SearchQuery(q=query, mode="semantic", lang=["ru"], limit=50)
            )
            refs = [hit.ref for hit in result.hits]
            ranks[query] = refs.index(ref) + 1 if ref in refs else 1000
    mrr = sum(1 / rank for rank in ranks.values()) / len(ranks)
    in_top5 = sum(rank <= 5 for rank in ranks.values())
    assert mrr >= 0.5, (round(mrr, 3), ranks)
    assert in_top5 >= 11, (in_top5, ranks)


def test_headings_are_found_by_their_words_not_by_meaning(search_database, service_for) -> None:  # type: ignore[no-untyped-def]
    """A two-word heading ("Резюме Председателя") is close to almost any query; before headings
    were left unembedded it came second for "movilidad laboral"."""
    ingest_bundled_documents(search_database)
    service = service_for(search_database)
    service.prepare(search_database)
    with search_database.session() as session:
        loose = service_for(search_database, min_similarity=0.05).search(
            session, SearchQuery(q="movilidad laboral", mode="semantic", lang=["ru"], limit=50)
        )
        semantic = service.search(
            session, SearchQuery(q="movilidad laboral", mode="semantic", lang=["ru"], limit=50)
        )
        keyword = service.search(
            session, SearchQuery(q="Резюме Председателя", mode="keyword", lang=["ru"])
        )
    # Below the match floor for a two-word cross-lingual query, the paragraphs come as related
    # passages; headings are in neither list, nor in a search without the floor.
    assert not semantic.hits
    assert semantic.total == 0
    assert semantic.related
    assert all(hit.matched == ["related"] for hit in semantic.related)
    assert loose.hits
    for hits in (semantic.related, loose.hits):
        assert not [hit.ref for hit in hits if hit.ref.startswith("h")]
    assert "h5" in [hit.ref for hit in keyword.hits]
    assert all(hit.matched == ["words"] for hit in keyword.hits)
