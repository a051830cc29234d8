"""Index lifecycle: the queue is written in the ingest transaction, applied by the indexer
(never by a search), survives crashes, and a rebuild equals the incremental index. Runs on
SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, func, select

from rcphub.db.models import Document, Passage, SearchNode
from rcphub.search import SearchQuery, SearchQueueEntry, queue
from rcphub.search.indexer import BackgroundIndexer
from rcphub.search.queue import enqueue_document

from .conftest import Doc, store


def doc(number: int, text: str, language: str = "en") -> Doc:
    return Doc(f"dddd{number:012d}", language, [("1", text), ("2", f"{text} (again)")])


def hits(service, database, q: str, *, index: bool = True) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """The hits of a keyword query, after the indexer has applied what waits (unless not)."""
    if index:
        BackgroundIndexer(database, service).catch_up()
    with database.session() as session:
        result = service.search(session, SearchQuery(q=q, mode="keyword", limit=100))
    return sorted((h.document, h.ref) for h in result.hits)


def search_result(service, database, q: str):  # type: ignore[no-untyped-def]
    with database.session() as session:
        return service.search(session, SearchQuery(q=q, mode="keyword", limit=100))


def waiting(service, database) -> int:  # type: ignore[no-untyped-def]
    """Log entries this service's index has not applied."""
    with database.session() as session:
        return len(queue.pending(session, service.cursor))


def queued(database) -> int:  # type: ignore[no-untyped-def]
    """Entries in the search log (applied or not: it is pruned, not emptied)."""
    with database.session() as session:
        return session.scalar(select(func.count()).select_from(SearchQueueEntry)) or 0


def test_a_rolled_back_ingest_queues_nothing(search_database, service_for) -> None:  # type: ignore[no-untyped-def]
    class Boom(Exception):
        pass

    def ingest_then_fail() -> None:
        with search_database.session() as session:
            store(session, [doc(1, "remittances corridor")])
            raise Boom

    with pytest.raises(Boom):
        ingest_then_fail()
    assert queued(search_database) == 0
    service = service_for(search_database)
    assert hits(service, search_database, "remittances") == []


def test_a_search_never_applies_the_queue_and_says_what_waits(search_database, service_for) -> None:  # type: ignore[no-untyped-def]
    service = service_for(search_database)
    BackgroundIndexer(search_database, service).catch_up()  # an index, up to date
    with search_database.session() as session:
        store(session, [doc(1, "remittances corridor"), doc(2, "remittances fees")])
    with search_database.session() as session:
        store(session, [doc(3, "diaspora bonds")])
    assert queued(search_database) == 2 + 1
    result = search_result(service, search_database, "remittances")
    assert result.hits == []
    assert result.pending_documents == 3
    assert queued(search_database) == 3  # the search applied nothing
    assert hits(service, search_database, "remittances") == [
        ("dddd000000000001", "1"),
        ("dddd000000000001", "2"),
        ("dddd000000000002", "1"),
        ("dddd000000000002", "2"),
    ]
    assert search_result(service, search_database, "remittances").pending_documents == 0
    assert waiting(service, search_database) == 0


def test_log_is_applied_by_the_indexer(search_database, service_for) -> None:  # type: ignore[no-untyped-def]
    service = service_for(search_database)
    with search_database.session() as session:
        store(session, [doc(1, "remittances corridor")])
    assert queued(search_database) == 1
    assert hits(service, search_database, "remittances") == [
        ("dddd000000000001", "1"),
        ("dddd000000000001", "2"),
    ]
    assert waiting(service, search_database) == 0
    assert service.status()["last_applied"] >= 1


def test_applying_the_log_survives_a_writer_that_commits_meanwhile(
    search_database, service_for
) -> None:  # type: ignore[no-untyped-def]
    """What `serve --workers 2` does: one worker applies the log after an upload while the
    other commits a write. On SQLite a transaction that has read then fails to write at once
    ("database is locked"); applying the log writes nothing in its transaction but vectors
    (a cache), and the node's position is recorded in a transaction of its own."""
    service = service_for(search_database)
    BackgroundIndexer(search_database, service).catch_up()  # an index, up to date
    with search_database.session() as session:
        store(session, [doc(1, "remittances corridor")])  # passages without vectors yet
    with search_database.session() as reading:
        assert service.pending_documents(reading) == 1  # this transaction has read
        with search_database.session() as other:  # another worker commits an upload
            store(other, [doc(2, "diaspora bonds")])
        assert service.sync(reading) >= 1  # 2 on PostgreSQL (it reads what is committed)
    assert hits(service, search_database, "remittances", index=False) == [
        ("dddd000000000001", "1"),
        ("dddd000000000001", "2"),
    ]
    assert hits(service, search_database, "remittances OR diaspora") == [
        ("dddd000000000001", "1"),
        ("dddd000000000001", "2"),
        ("dddd000000000002", "1"),
        ("dddd000000000002", "2"),
    ]
    with search_database.session() as session:
        position = session.scalar(
            select(SearchNode.position).where(SearchNode.name == service.manifest.node)
        )
        newest = queue.latest_id(session)
    assert position == service.manifest.last_applied == newest


def test_crash_before_the_position_is_recorded_is_harmless(search_database, service_for) -> None:  # type: ignore[no-untyped-def]
    service = service_for(search_database)
    with search_database.session() as session:
        store(session, [doc(1, "remittances corridor"), doc(2, "diaspora bonds")])

    class Crash(Exception):
        pass

    # The index is written (with the node's position), then the process dies before the
    # transaction recording the position commits.
    def apply_then_die() -> None:
        with search_database.session() as session:
            service.sync(session)
            raise Crash

    with pytest.raises(Crash):
        apply_then_die()
    assert queued(search_database) == 2
    restarted = service_for(search_database)  # a new process: opens the files afresh
    assert hits(restarted, search_database, "remittances OR diaspora") == [
        ("dddd000000000001", "1"),
        ("dddd000000000001", "2"),
        ("dddd000000000002", "1"),
        ("dddd000000000002", "2"),
    ]
    assert waiting(restarted, search_database) == 0
    assert restarted.status()["passages"] == 4  # replayed, not duplicated


def test_crash_before_the_index_is_written_catches_up(search_database, service_for) -> None:  # type: ignore[no-untyped-def]
    with search_database.session() as session:
        store(session, [doc(1, "remittances corridor")])
    # the server died before applying anything; a leftover half-written segment lies around
    stray = search_database.settings.data_dir / "search" / "seg-deadbeef.tmp"
    stray.mkdir(parents=True)
    (stray / "terms.npy").write_bytes(b"garbage")
    service = service_for(search_database)
    assert len(hits(service, search_database, "remittances")) == 2
    assert not stray.exists()


def test_reingest_replaces_and_delete_removes(search_database, service_for) -> None:  # type: ignore[no-untyped-def]
    service = service_for(search_database)
    with search_database.session() as session:
        store(session, [doc(1, "remittances corridor")])
    assert len(hits(service, search_database, "remittances")) == 2
    with search_database.session() as session:  # the passages change (e.g. re-linked)
        session.execute(
            Passage.__table__.update()
            .where(Passage.document_id == "dddd000000000001", Passage.ref == "2")
            .values(text="diaspora bonds")
        )
        enqueue_document(session, "dddd000000000001")
    assert hits(service, search_database, "remittances") == [("dddd000000000001", "1")]
    assert hits(service, search_database, "diaspora") == [("dddd000000000001", "2")]
    with search_database.session() as session:  # the document is deleted
        session.execute(delete(Document).where(Document.id == "dddd000000000001"))
        enqueue_document(session, "dddd000000000001")
    assert hits(service, search_database, "remittances OR diaspora") == []
    assert service.status()["passages"] == 0


def test_remove_document_and_index_passages(search_database, service_for) -> None:  # type: ignore[no-untyped-def]
    service = service_for(search_database)
    with search_database.session() as session:
        store(session, [doc(1, "remittances corridor"), doc(2, "remittances fees")])
    assert len(hits(service, search_database, "remittances")) == 4
    service.remove_document("dddd000000000001")
    assert hits(service, search_database, "remittances") == [
        ("dddd000000000002", "1"),
        ("dddd000000000002", "2"),
    ]
    with search_database.session() as session:
        ids = session.scalars(
            select(Passage.id).where(Passage.document_id == "dddd000000000001")
        ).all()
        service.index_passages(session, ids)
    assert len(hits(service, search_database, "remittances")) == 4


def test_segments_are_merged_and_rebuild_equals_incremental(search_database, service_for) -> None:  # type: ignore[no-untyped-def]
    service = service_for(search_database, max_segments=3)
    texts = ["remittances", "diaspora", "trafficking", "smuggling", "labour", "asylum"]
    for number, word in enumerate(texts):  # one ingest (one segment) at a time
        with search_database.session() as session:
            store(session, [doc(number, f"{word} and migration", "en")])
        hits(service, search_database, "migration")
    assert service.status()["segments"] <= 3
    queries = ["migration", *texts, "state:PER", "again", '"and migration"', "-diaspora"]
    incremental = {q: hits(service, search_database, q) for q in queries}
    with search_database.session() as session:
        calls = service.embedder.inner.calls
        service.rebuild(session)
        assert service.embedder.inner.calls == calls  # vectors of unchanged text are reused
    assert service.status()["segments"] == 1
    assert {q: hits(service, search_database, q) for q in queries} == incremental
    with search_database.session() as session:
        service.rebuild(session, reuse_vectors=False)
    assert {q: hits(service, search_database, q) for q in queries} == incremental


def test_a_merge_folds_the_small_segments_and_leaves_the_large_ones(
    search_database, service_for
) -> None:  # type: ignore[no-untyped-def]
    """Folding all but the largest segment re-read the growing rest at every merge; only the
    small ones are folded now, and the search finds the same."""
    service = service_for(search_database, max_segments=3)

    def add(docs: list[Doc]) -> list[str]:
        with search_database.session() as session:
            store(session, docs)
        hits(service, search_database, "migration")
        return [segment["name"] for segment in service.manifest.segments]

    large = add([doc(n, f"word{n} migration") for n in range(5)])  # 10 rows
    middle = add([doc(n, f"word{n} migration") for n in range(5, 8)])  # 6 rows
    add([doc(8, "remittances and migration")])
    after = add([doc(9, "diaspora and migration")])  # a fourth segment: a merge
    assert len(after) == 3
    assert after[:2] == [*large, middle[-1]]  # the two small ones were folded
    assert len(hits(service, search_database, "migration")) == 20
    assert hits(service, search_database, "diaspora") == [
        ("dddd000000000009", "1"),
        ("dddd000000000009", "2"),
    ]


def test_rebuild_reports_progress_and_covers_the_queue(search_database, service_for) -> None:  # type: ignore[no-untyped-def]
    with search_database.session() as session:
        store(session, [doc(n, f"word{n} migration") for n in range(5)])
    service = service_for(search_database)
    seen: list[tuple[int, int]] = []
    with search_database.session() as session:
        service.rebuild(session, lambda done, total: seen.append((done, total)), batch=3)
    assert seen[0] == (0, 10)
    assert seen[-1] == (10, 10)
    assert waiting(service, search_database) == 0
    assert len(hits(service, search_database, "migration")) == 10


def test_another_process_sees_a_new_index(search_database, service_for) -> None:  # type: ignore[no-untyped-def]
    reader, writer = service_for(search_database), service_for(search_database)
    assert hits(reader, search_database, "remittances") == []
    with search_database.session() as session:
        store(session, [doc(1, "remittances corridor")], queue=False)
        enqueue_document(session, "dddd000000000001")
    with search_database.session() as session:
        writer.sync(session)
    with search_database.session() as session:  # the reader's search finds no queue entry
        result = reader.search(session, SearchQuery(q="remittances", mode="keyword"))
    assert result.total == 2
