"""Many nodes on one database: each keeps its own index in step with the search log from its
own position; the log is pruned once every live node is past an entry (or by age); a node
behind the pruned log rebuilds; an entry committed late (a hole below a node's position) is
still applied. Runs on SQLite and PostgreSQL (the late commit on PostgreSQL only: SQLite
writers take turns)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from rcphub.db.models import SearchLogPruned, SearchNode, SearchQueueEntry
from rcphub.search import SearchQuery, SearchService, queue
from rcphub.search.indexer import BackgroundIndexer

from .conftest import Doc, store


def node(database, embedder, name: str) -> SearchService:  # type: ignore[no-untyped-def]
    """A node: its own index directory (its own data directory, as on another host)."""
    return SearchService(database.settings.data_dir / f"node-{name}" / "search", embedder)


def catch_up(database, service) -> int:  # type: ignore[no-untyped-def]
    return BackgroundIndexer(database, service).catch_up()


def documents_found(database, service, q: str) -> set[str]:  # type: ignore[no-untyped-def]
    with database.session() as session:
        result = service.search(session, SearchQuery(q=q, mode="keyword", limit=100))
    return {hit.document for hit in result.hits}


def doc(number: int, text: str) -> Doc:
    return Doc(f"cccc{number:012d}", "en", [("1", text)])


def test_a_document_ingested_through_one_node_is_found_on_the_other(
    search_database, embedder
) -> None:  # type: ignore[no-untyped-def]
    a, b = node(search_database, embedder, "a"), node(search_database, embedder, "b")
    catch_up(search_database, a)
    catch_up(search_database, b)  # both up to date, both started before the document
    with search_database.session() as session:
        store(session, [doc(1, "circular migration schemes")])
    catch_up(search_database, a)  # A applies it first (it used to delete the entry)
    assert documents_found(search_database, a, "circular") == {"cccc000000000001"}
    with search_database.session() as session:
        assert b.pending_documents(session) == 1
    catch_up(search_database, b)
    assert documents_found(search_database, b, "circular") == {"cccc000000000001"}
    with search_database.session() as session:  # a change reaches both as well
        store(session, [doc(2, "circular return programmes")])
    for service in (b, a):
        catch_up(search_database, service)
        assert documents_found(search_database, service, "circular") == {
            "cccc000000000001",
            "cccc000000000002",
        }
    with search_database.session() as session:
        positions = dict(session.execute(select(SearchNode.name, SearchNode.position)).all())
        newest = queue.latest_id(session)
    assert positions == {a.manifest.node: newest, b.manifest.node: newest}
    assert a.manifest.node != b.manifest.node


def _age_log(database, days: float) -> None:  # type: ignore[no-untyped-def]
    old = (datetime.now(UTC) - timedelta(days=days)).isoformat(timespec="seconds")
    with database.session() as session:
        session.execute(update(SearchQueueEntry).values(queued_at=old))


def _log_ids(database) -> list[int]:  # type: ignore[no-untyped-def]
    with database.session() as session:
        return list(session.scalars(select(SearchQueueEntry.id).order_by(SearchQueueEntry.id)))


def test_the_log_is_pruned_behind_every_live_node_and_a_node_left_behind_rebuilds(
    search_database, embedder
) -> None:  # type: ignore[no-untyped-def]
    a, b, c = (node(search_database, embedder, n) for n in "abc")
    with search_database.session() as session:
        store(session, [doc(1, "labour mobility")])
    for service in (a, b, c):
        catch_up(search_database, service)
    with search_database.session() as session:
        store(session, [doc(2, "labour migration statistics")])
    catch_up(search_database, a)
    catch_up(search_database, b)  # C stays behind: it has not seen document 2
    entries = _log_ids(search_database)
    assert len(entries) == 2

    with search_database.session() as session:  # too young to prune, whoever applied it
        assert queue.prune(session) == 0
    _age_log(search_database, 0.5)
    with search_database.session() as session:
        # C (live) has not applied the second entry: only the first goes
        assert queue.prune(session) == 1
    assert _log_ids(search_database) == entries[1:]

    # C stops (not seen for over a day): it no longer holds the log back
    stale = (datetime.now(UTC) - timedelta(days=2)).isoformat(timespec="seconds")
    with search_database.session() as session:
        session.execute(
            update(SearchNode).where(SearchNode.name == c.manifest.node).values(seen_at=stale)
        )
        assert queue.prune(session) == 1
        assert session.get(SearchLogPruned, 1).through == entries[1]
    assert _log_ids(search_database) == []

    # C comes back behind the pruned log: it rebuilds from the database, and finds both
    with search_database.session() as session:
        assert c.needs_rebuild(session)
        assert not a.needs_rebuild(session)
    with search_database.session() as session:
        store(session, [doc(3, "labour attachés")])  # a newer entry does not let C skip ahead
    with search_database.session() as session:
        assert c.sync(session) == 0
        assert c.needs_rebuild(session)
    generation = c.manifest.generation
    catch_up(search_database, c)
    assert c.manifest.generation > generation
    assert documents_found(search_database, c, "labour") == {
        "cccc000000000001",
        "cccc000000000002",
        "cccc000000000003",
    }


def test_entries_older_than_the_maximum_age_are_pruned_even_if_unapplied(
    search_database, embedder
) -> None:  # type: ignore[no-untyped-def]
    a = node(search_database, embedder, "a")
    catch_up(search_database, a)
    with search_database.session() as session:
        store(session, [doc(1, "asylum procedures")])
    _age_log(search_database, 8)
    with search_database.session() as session:
        assert queue.prune(session) == 1
        assert a.needs_rebuild(session)
    catch_up(search_database, a)
    assert documents_found(search_database, a, "asylum") == {"cccc000000000001"}


def test_cursor_watches_the_holes_below_its_position() -> None:
    cursor = queue.Cursor(2).advance([3, 6, 7], now=1000.0)
    assert cursor.position == 7
    assert sorted(cursor.holes) == [4, 5]
    filled = cursor.advance([5, 8], now=1001.0)
    assert filled.position == 8
    assert sorted(filled.holes) == [4]
    expired = filled.advance([], now=1000.0 + queue.HOLE_SECONDS + 1)
    assert expired.holes == {}
    assert expired.position == 8
    again = queue.Cursor.from_manifest(filled.position, filled.to_json())
    assert again == filled


def test_an_entry_committed_after_a_later_one_is_not_missed(
    backend, search_database, embedder
) -> None:  # type: ignore[no-untyped-def]
    if backend != "postgresql":
        pytest.skip("SQLite writers take turns: IDs become visible in order")
    a = node(search_database, embedder, "a")
    catch_up(search_database, a)
    slow = search_database.sessionmaker()
    slow.begin()
    store(slow, [doc(1, "slow transaction about remittances")])  # takes the lower ID
    slow.flush()
    with search_database.session() as session:
        store(session, [doc(2, "fast transaction about remittances")])  # commits first
    catch_up(search_database, a)
    assert documents_found(search_database, a, "remittances") == {"cccc000000000002"}
    assert a.cursor.holes  # the slow one's ID, below the position
    slow.commit()
    slow.close()
    with search_database.session() as session:
        assert a.pending_documents(session) == 1
    catch_up(search_database, a)
    assert documents_found(search_database, a, "remittances") == {
        "cccc000000000001",
        "cccc000000000002",
    }
    assert not a.cursor.holes
