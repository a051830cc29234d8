"""Ingest with worker processes gives what one process gives: the same outcomes in the same
order, the same rows, one transaction per file, on both databases."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest
from sqlalchemy import select

from rcphub.db.models import Document, DocumentLink, Mention, Passage
from rcphub.documents import IngestOptions, Ingestor
from rcphub.documents import ingest as ingest_module
from tests.documents.corpus import VERSIONS
from tests.documents.render import render

LIMA = resources.files("rcphub.refdata").joinpath(
    "data", "documents", "lima-2013-chairs-summary.ru.txt"
)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The test corpus in its six languages and four formats, the Lima document, a copy of
    one file under another name and two broken files in the middle of the batch."""
    folder = tmp_path_factory.mktemp("corpus")
    for language, spec in VERSIONS.items():
        for fmt in ("txt", "md", "html", "docx"):
            (folder / f"{language}-{fmt}.{fmt}").write_bytes(render(spec, language, fmt))
    (folder / "lima.txt").write_bytes(LIMA.read_bytes())
    (folder / "lima_copy.txt").write_bytes(LIMA.read_bytes())  # the same bytes twice
    (folder / "fr-broken.pdf").write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 10)
    (folder / "fr-empty.txt").write_bytes(b"")
    return folder


@pytest.fixture
def pooled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Small batches normally stay in-process; these tests want the pool."""
    monkeypatch.setattr(ingest_module, "FILES_PER_WORKER", 2)
    monkeypatch.setattr(ingest_module, "IN_FLIGHT_PER_WORKER", 2)  # refills mid-batch


def _snapshot(database) -> dict[str, list[tuple]]:
    """Every stored row that ingest wrote, without the ones that depend on time or on the
    order of inserts across documents (ingested_at, row IDs)."""
    with database.session() as session:
        documents = session.execute(
            select(
                Document.id,
                Document.title,
                Document.language,
                Document.date,
                Document.doc_type,
                Document.filename,
                Document.source_format,
                Document.passage_count,
                Document.page_count,
            ).order_by(Document.id)
        ).all()
        passages = session.execute(
            select(
                Passage.document_id,
                Passage.ref,
                Passage.position,
                Passage.kind,
                Passage.parent_ref,
                Passage.heading,
                Passage.page,
                Passage.language,
                Passage.text,
                Passage.footnote_refs,
            ).order_by(Passage.document_id, Passage.position)
        ).all()
        mentions = session.execute(
            select(
                Mention.document_id,
                Passage.ref,
                Mention.entity,
                Mention.start,
                Mention.end,
                Mention.surface,
            )
            .join(Passage, Passage.id == Mention.passage_id)
            .order_by(Mention.document_id, Passage.position, Mention.start)
        ).all()
        links = session.execute(
            select(DocumentLink.document_id, DocumentLink.target).order_by(
                DocumentLink.document_id, DocumentLink.target
            )
        ).all()
    return {
        "documents": [tuple(row) for row in documents],
        "passages": [tuple(row) for row in passages],
        "mentions": [tuple(row) for row in mentions],
        "links": [tuple(row) for row in links],
    }


def _outcomes(outcomes) -> list[tuple]:
    return [(Path(o.path).name, o.document_id, o.created, o.error) for o in outcomes]


def _stored_files(ingestor: Ingestor) -> set[str]:
    return ingestor.store.hashes()


def test_workers_give_what_one_process_gives(database_factory, corpus, pooled):
    options = IngestOptions(processes=["bali-process"])
    serial = Ingestor(database_factory.new(loaded=True))
    parallel = Ingestor(database_factory.new(loaded=True))
    seen = []

    expected = serial.ingest_paths([corpus], options)
    got = parallel.ingest_paths([corpus], options, progress=seen.append, workers=2)

    assert _outcomes(got) == _outcomes(expected)
    assert seen == got  # one progress call per file, in the order of the files
    by_name = {Path(o.path).name: o for o in got}
    assert by_name["lima.txt"].created
    assert not by_name["lima_copy.txt"].created  # stored once, found the second time
    assert by_name["lima_copy.txt"].document_id == by_name["lima.txt"].document_id
    assert by_name["fr-broken.pdf"].error.startswith("fr-broken.pdf")
    assert by_name["fr-empty.txt"].error.startswith("fr-empty.txt")
    assert sum(o.created for o in got) == len(VERSIONS) * 4 + 1
    assert _snapshot(parallel.database) == _snapshot(serial.database)
    # a failed file leaves nothing behind, not even its source file
    assert _stored_files(parallel) == _stored_files(serial)
    assert len(_stored_files(parallel)) == sum(o.created for o in got)


def test_stored_files_are_not_parsed_again(database_factory, corpus, pooled, monkeypatch):
    ingestor = Ingestor(database_factory.new(loaded=True))
    first = ingestor.ingest_paths([corpus], workers=2)
    before = _snapshot(ingestor.database)

    def no_parsing(*args, **kwargs):
        raise AssertionError("a stored file was parsed again")

    monkeypatch.setattr(ingest_module, "prepare_document", no_parsing)
    again = ingestor.ingest_paths(
        [corpus], IngestOptions(meetings=["grcp-2013"]), workers=2
    )  # the workers are new processes: the patch is for this one, which must not parse

    assert [o.document_id for o in again] == [o.document_id for o in first]
    assert not any(o.created for o in again)
    after = _snapshot(ingestor.database)
    assert after["passages"] == before["passages"]
    assert after["mentions"] == before["mentions"]
    linked = {
        document_id for document_id, target in after["links"] if target == "meeting:grcp-2013"
    }
    assert linked == {o.document_id for o in first if o.document_id}


def test_small_batches_stay_in_process(database_factory, corpus, monkeypatch):
    def no_pool(*args, **kwargs):
        raise AssertionError("a pool was started for a small batch")

    monkeypatch.setattr(ingest_module, "ProcessPoolExecutor", no_pool)
    ingestor = Ingestor(database_factory.new(loaded=True))
    files = sorted(corpus.glob("en-*"))
    outcomes = ingestor.ingest_paths(files, workers=8)
    assert [o.created for o in outcomes] == [True] * len(files)


def _blas_threads() -> list[int]:
    import threadpoolctl

    return [
        lib["num_threads"] for lib in threadpoolctl.threadpool_info() if lib["user_api"] == "blas"
    ]


def test_a_worker_process_runs_all_its_numpy_on_one_blas_thread() -> None:
    """The workers are as many as the cores: a second BLAS thread in each busy-waits after
    every product (the tagger's, the clause vectors' norms), on the core the other worker needs.
    A real worker process, started as ``rcphub ingest`` starts it."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from rcphub.linking.gazetteer import Gazetteer

    context = multiprocessing.get_context("spawn")
    setups = context.Queue()
    setups.put(ingest_module._WorkerSetup(Gazetteer.from_entries([])))
    with ProcessPoolExecutor(
        1, mp_context=context, initializer=ingest_module._start_worker, initargs=(setups, 50)
    ) as pool:
        assert pool.submit(_blas_threads).result() == [1]


def test_a_worker_without_its_setup_fails_instead_of_waiting(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A worker whose setup never comes gives up after _SETUP_WAIT_S (here in-process, with
    the wait shortened): the batch then sees a broken pool, not a hang."""
    import queue

    monkeypatch.setattr(ingest_module, "_SETUP_WAIT_S", 0.05)
    with pytest.raises(queue.Empty):
        ingest_module._start_worker(queue.SimpleQueue(), 50)
