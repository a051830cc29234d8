"""Search quality on real outcome documents: the set in tests/realtext/search (excerpts of RCP, UN
and IOM documents in six languages, paraphrase queries written by hand in another language than
their paragraph, and queries about topics no excerpt discusses), loaded through the real ingest
into a fresh hub, searched in the default (hybrid) mode without filters.

Targets (issue 11), on the held-out half: cross-lingual recall@3 >= 0.85 and MRR >= 0.75 (the
target paragraph among the *matches*, not the related passages), and at least 85 % of the
no-match queries (17 of 20) with no match at all. The tuning half, which the floor, the
centring and the clause weight were chosen on, is printed beside it.
``bench/bench_realtext_search.py`` prints the same figures (see bench/README.md for the last
run).
"""

from __future__ import annotations

import pytest

from rcphub.bootstrap import ingest_bundled_documents
from tests.realtext.search.evaluation import HALVES, evaluate, ingest_set, load_set

RECALL_AT_3 = 0.85
"""Held-out recall@3 was 0.833 (20 of 24) with passages ordered by their mean vector alone,
0.875 (21 of 24) since the best matches are ordered by their best clause as well
(:mod:`rcphub.search.clause_order`; two held-out paragraphs still score under the match floor
across languages, see bench/README.md)."""
MRR = 0.75
NO_MATCH_SHARE = 0.85


def test_the_set_is_what_its_readme_says() -> None:
    data = load_set()
    paragraphs = {b["id"] for d in data["documents"] for b in d["blocks"] if "id" in b}
    languages = {d["language"] for d in data["documents"]}
    distractors = [b for d in data["documents"] for b in d["blocks"] if "id" not in b]
    cross = [q for q in data["queries"] if q["target"]]
    none = [q for q in data["queries"] if not q["target"]]
    assert len(paragraphs) >= 60
    assert len(languages) >= 4
    assert all(d["url"].startswith("http") for d in data["documents"])
    assert {b["kind"] for b in distractors} >= {"title", "heading", "date", "symbol", "lead-in"}
    assert len(cross) >= 40
    assert len(none) >= 20
    by_key = {d["key"]: d["language"] for d in data["documents"]}
    for query in cross:
        assert query["target"] in paragraphs
        assert set(query["also"]) <= paragraphs
        assert by_key[query["target"].split("#")[0]] != query["language"], query
    for half in HALVES:
        assert sum(q["half"] == half for q in cross) >= 20
        assert sum(q["half"] == half for q in none) >= 10


@pytest.mark.slow
def test_real_text_search_quality(search_database, service_for) -> None:  # type: ignore[no-untyped-def]
    ingest_bundled_documents(search_database)
    data = load_set()
    located = ingest_set(search_database, data)
    service = service_for(search_database)
    service.prepare(search_database)
    figures = evaluate(service, search_database, data, located)
    lines = [figures[half].line() for half in HALVES]
    print("\n".join(lines))
    held_out = figures["held-out"]
    assert held_out.recall_at_3 >= RECALL_AT_3, lines
    assert held_out.mrr >= MRR, lines
    assert held_out.no_match / len(held_out.none) >= NO_MATCH_SHARE, lines
