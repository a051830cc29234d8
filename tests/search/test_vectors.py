"""One embedding per passage: computed with the rest of ingest, stored in the database, used
by the theme tagger and the search index without running the model again. Runs on SQLite and
PostgreSQL."""

from __future__ import annotations

import queue
from collections.abc import Sequence

import numpy as np
from sqlalchemy import select

from rcphub.db.models import Passage, PassageTag, PassageVector
from rcphub.documents import Ingestor
from rcphub.documents import ingest as ingest_module
from rcphub.linking import Gazetteer
from rcphub.search import SearchQuery, SearchService, vectors
from rcphub.search.embedding import CachedEmbedder, clauses
from rcphub.search.indexer import BackgroundIndexer

TEXT = """Chair's summary

1. Participants discussed the protection of seasonal agricultural workers and the
portability of their social security benefits between Peru and Chile; they also asked
for a study of recruitment fees.

2. They agreed to exchange data on labour migration every year.

3. Delegations welcomed the cooperation of the International Organization for Migration.
"""


class Counting:
    """The test's model, counting the texts it is asked to embed."""

    def __init__(self, inner) -> None:  # type: ignore[no-untyped-def]
        self.inner = inner
        self.name, self.dims = inner.name, inner.dims
        self.texts = 0

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        self.texts += len(texts)
        return self.inner.embed(texts)


def stored(database) -> dict[int, tuple[str, bytes]]:  # type: ignore[no-untyped-def]
    with database.session() as session:
        return {
            pid: (name, blob)
            for pid, name, blob in session.execute(
                select(PassageVector.passage_id, PassageVector.embedder, PassageVector.vector)
            )
        }


def test_ingest_stores_one_vector_per_passage_and_nobody_embeds_it_again(
    search_database, embedder
) -> None:  # type: ignore[no-untyped-def]
    at_ingest = Counting(embedder)
    ingestor = Ingestor(search_database, embedder=at_ingest, embed=True)
    outcome = ingestor.ingest_bytes(TEXT.encode(), "summary.en.txt")
    assert outcome.error is None
    assert outcome.created
    assert at_ingest.texts > 0
    with search_database.session() as session:
        passages = session.execute(
            select(Passage.id, Passage.kind, Passage.text).where(
                Passage.document_id == outcome.document_id
            )
        ).all()
    found = stored(search_database)
    wanted = [pid for pid, kind, _ in passages if vectors.wanted(kind)]
    assert wanted
    assert sorted(found) == sorted(wanted)
    name = CachedEmbedder(embedder).name
    assert {n for n, _ in found.values()} == {name}
    # the stored vector is the passage's, names blanked out (Peru, Chile are mentions)
    items = [(pid, text, ()) for pid, kind, text in passages if "seasonal" in text]
    whole = vectors.compute(CachedEmbedder(embedder), items).means[0]
    kept = vectors.decode(found[items[0][0]][1], embedder.dims)
    assert 0.6 < float(whole @ kept) < 0.9999  # the same text, less the names
    # beside it, the vectors of its clauses (of the same text, names blanked): the passage
    # vector is their mean
    with search_database.session() as session:
        clause_rows = vectors.load_clauses(
            session, {items[0][0]: vectors.text_hash(items[0][1])}, name, embedder.dims
        )[items[0][0]]
        assert not vectors.load_clauses(  # of another text: not used
            session, {items[0][0]: vectors.text_hash("another text")}, name, embedder.dims
        )
    assert len(clause_rows) == len(clauses(items[0][1])) >= 2
    mean = clause_rows.mean(axis=0)
    assert float(mean @ kept) / float(np.linalg.norm(mean)) > 0.999

    # the tagger (ingest_bytes tagged the document) and the index use the stored vectors
    tagged_by = at_ingest.texts
    indexing = Counting(embedder)
    service = SearchService(search_database.settings.data_dir / "search", indexing)
    BackgroundIndexer(search_database, service).catch_up()
    assert indexing.texts == 0  # the index was built without running the model
    assert at_ingest.texts == tagged_by
    with search_database.session() as session:
        result = service.search(
            session, SearchQuery(q="trabajadores temporeros del campo", mode="semantic")
        )
    assert indexing.texts == 1  # the query, only
    # a short query in another language may fall under the match floor: related, then
    best = [*result.hits, *result.related][0]
    assert best.document == outcome.document_id
    assert "seasonal" in best.text


def setups(gazetteer, concepts=None):  # type: ignore[no-untyped-def]
    """What ``rcphub ingest`` hands its workers: a queue holding their setup."""
    found: queue.SimpleQueue = queue.SimpleQueue()  # type: ignore[type-arg]
    found.put(ingest_module._WorkerSetup(gazetteer, concepts))
    return found


def test_a_worker_process_embeds_what_it_prepares(search_database) -> None:  # type: ignore[no-untyped-def]
    """What each worker of ``rcphub ingest`` does (called here in-process): its own model, one
    BLAS thread, vectors sent back with the rows."""
    with search_database.session() as session:
        gazetteer = Gazetteer.from_session(session)
    ingest_module._start_worker(setups(gazetteer), 50, True)
    try:
        assert ingest_module._worker_embedder.inner.threads == 1
        prepared = ingest_module._prepare_in_worker(TEXT.encode(), "summary.en.txt")
    finally:
        ingest_module._start_worker(setups(gazetteer), 50, False)
    assert not isinstance(prepared, str)
    assert prepared.vectors is not None
    kinds = [p["kind"] for p in prepared.passages]
    assert [row["index"] for row in prepared.vectors] == [
        i for i, kind in enumerate(kinds) if vectors.wanted(kind)
    ]
    assert all(len(row["vector"]) == 512 * 2 for row in prepared.vectors)  # float16
    for row in prepared.vectors:  # and the clauses' vectors, one after another
        text = prepared.passages[row["index"]]["text"]
        assert len(row["clauses"]) == 512 * 2 * len(clauses(text))


def test_a_changed_text_gets_a_new_vector(search_database, embedder) -> None:  # type: ignore[no-untyped-def]
    ingestor = Ingestor(search_database, embedder=embedder, embed=True, tag=False)
    outcome = ingestor.ingest_bytes(TEXT.encode(), "summary.en.txt")
    service = SearchService(search_database.settings.data_dir / "search", embedder)
    with search_database.session() as session:
        pid, _text = session.execute(
            select(Passage.id, Passage.text).where(
                Passage.document_id == outcome.document_id, Passage.text.like("%data%")
            )
        ).one()
        before = stored(search_database)[pid][1]
        session.execute(
            Passage.__table__.update()
            .where(Passage.id == pid)
            .values(text="Irregular crossings at the southern border were discussed.")
        )
        from rcphub.search.queue import enqueue_document

        enqueue_document(session, outcome.document_id)
    BackgroundIndexer(search_database, service).catch_up()
    after = stored(search_database)[pid][1]
    assert after != before
    with search_database.session() as session:
        hits = service.search(
            session, SearchQuery(q="cruces fronterizos irregulares", mode="semantic")
        ).hits
    assert hits[0].passage_id == pid


def tags(database, document_id: str) -> set[tuple[int, str, str, float | None, str]]:  # type: ignore[no-untyped-def]
    with database.session() as session:
        return {
            tuple(row)
            for row in session.execute(
                select(
                    PassageTag.passage_id,
                    PassageTag.scheme_id,
                    PassageTag.code,
                    PassageTag.score,
                    PassageTag.status,
                ).where(PassageTag.document_id == document_id)
            )
        }


def test_a_batch_is_tagged_with_the_rest_from_its_vectors(
    search_database, embedder, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    """What ``rcphub ingest FOLDER`` does: the tagger runs on the vectors just computed and
    the document's transaction stores its tags; nothing is queued, the model does not run
    again for the tagger, and the tags are what tagging the stored document gives."""
    from rcphub.themes import pending_documents, retag

    (tmp_path / "summary.en.txt").write_text(TEXT, encoding="utf-8")
    counting = Counting(embedder)
    ingestor = Ingestor(search_database, embedder=counting, embed=True)
    ingestor.tagger.warm_up()  # the concepts' vectors: not the passages'
    outcomes = ingestor.ingest_paths([tmp_path])
    created = [o.document_id for o in outcomes if o.created]
    assert created
    embedded = counting.texts
    with search_database.session() as session:
        assert pending_documents(session) == []
    first = tags(search_database, created[0])
    assert first  # seasonal workers, labour migration: the tagger found themes
    assert {status for *_, status in first} == {"suggested"}
    report = ingestor.apply_tags(created)
    assert report is not None
    assert report.documents == 0
    retag(search_database, ingestor.tagger, document_id=created[0])
    assert counting.texts == embedded  # retagging read the stored vectors
    assert tags(search_database, created[0]) == first


def test_a_worker_tags_what_it_prepares(search_database, embedder) -> None:  # type: ignore[no-untyped-def]
    """A worker of ``rcphub ingest`` tags with the concepts it was given, on its own model:
    the same suggestions as the tagger of the calling process."""
    from rcphub.themes.tagger import concept_texts

    with search_database.session() as session:
        gazetteer = Gazetteer.from_session(session)
        concepts = concept_texts(session)
    ingest_module._start_worker(setups(gazetteer, concepts), 50, True)
    try:
        prepared = ingest_module._prepare_in_worker(TEXT.encode(), "summary.en.txt")
    finally:
        ingest_module._start_worker(setups(gazetteer), 50, False)
    assert not isinstance(prepared, str)
    assert prepared.tags is not None
    assert any(prepared.tags)
    ingestor = Ingestor(search_database, embed=True)
    outcome = ingestor.ingest_bytes(TEXT.encode(), "summary.en.txt")
    with search_database.session() as session:
        ids = list(
            session.scalars(
                select(Passage.id)
                .where(Passage.document_id == outcome.document_id)
                .order_by(Passage.position)
            )
        )
    assert tags(search_database, outcome.document_id) == {
        (ids[index], s.scheme, s.code, s.score, "suggested")
        for index, found in enumerate(prepared.tags)
        for s in found
    }


def test_a_failing_tagger_leaves_the_batch_stored_and_queued(search_database, embedder) -> None:  # type: ignore[no-untyped-def]
    from rcphub.themes import pending_documents

    ingestor = Ingestor(search_database, embedder=embedder, embed=True)

    def broken() -> None:
        raise RuntimeError("no concepts")

    ingestor._tagger = type("Broken", (), {"passage_embedder": property(lambda _: broken())})()  # type: ignore[assignment]
    outcome = ingestor._ingest(TEXT.encode(), "summary.en.txt", ingest_module.IngestOptions())
    assert outcome.created
    with search_database.session() as session:
        assert pending_documents(session) == [outcome.document_id]
    assert not tags(search_database, outcome.document_id)


def test_tagging_computes_and_stores_a_missing_vector(search_database, embedder) -> None:  # type: ignore[no-untyped-def]
    """A document stored without vectors (``--no-embed``): the tagger computes them outside
    its write transaction and stores them for the search index."""
    counting = Counting(embedder)
    ingestor = Ingestor(search_database, embedder=counting, embed=False, tag=False)
    outcome = ingestor.ingest_bytes(TEXT.encode(), "summary.en.txt")
    assert outcome.created
    assert not stored(search_database)
    ingestor.tag = True
    ingestor.tagger.warm_up()
    before = counting.texts
    ingestor.apply_tags([outcome.document_id])
    assert counting.texts > before
    assert stored(search_database)


def test_tagging_embeds_no_more_passages_than_it_reads(
    search_database, embedder, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """Bounded work: a document stored without vectors gets vectors computed for the passages
    the tagger reads (the first WORK_PASSAGES), not for all of them."""
    from rcphub.themes import service as tagging
    from rcphub.themes import tagger as tagger_module

    monkeypatch.setattr(tagging, "WORK_PASSAGES", 3)  # the title and two of three paragraphs
    monkeypatch.setattr(tagger_module, "WORK_PASSAGES", 3)
    ingestor = Ingestor(search_database, embedder=embedder, embed=False, tag=False)
    outcome = ingestor.ingest_bytes(TEXT.encode(), "summary.en.txt")
    assert outcome.created
    ingestor.tag = True
    ingestor.apply_tags([outcome.document_id])
    # unbounded, all three paragraphs would get one (test_tagging_computes_and_stores_...)
    assert 0 < len(stored(search_database)) < 3


def test_the_concept_vectors_are_computed_once_and_kept(
    search_database, embedder, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """The first tagger of a hub embeds the concept texts and the ingestor keeps their
    vectors in the database; the workers' setup and every later tagger read them there (the
    model sees no concept text again); vectors kept for other concepts are not used."""
    from rcphub.themes import tagger as tagger_module
    from rcphub.themes.tagger import concept_texts, stored_vectors

    monkeypatch.setattr(tagger_module, "_CONCEPT_VECTORS", {})  # nothing computed before
    first = Counting(embedder)
    computed = Ingestor(search_database, embedder=first, embed=True).tagger.vectors
    assert first.texts > 100  # the concepts' texts

    setup = Ingestor(search_database, embed=True)._worker_setup()
    assert setup.vectors is not None
    assert np.array_equal(setup.vectors, computed)

    monkeypatch.setattr(tagger_module, "_CONCEPT_VECTORS", {})
    again = Counting(embedder)
    assert np.array_equal(
        Ingestor(search_database, embedder=again, embed=True).tagger.vectors, computed
    )
    assert again.texts == 0

    with search_database.session() as session:
        concepts = concept_texts(session)
        assert stored_vectors(session, embedder, concepts) is not None
        assert stored_vectors(session, embedder, concepts[:-1]) is None
        assert stored_vectors(session, embedder, list(reversed(concepts))) is None
