"""The read cache on both databases: anonymous pages and API answers come from memory while the
data version stands, with an ETag and 304; any committed write — through another node's
connection, by the ORM or by a bulk ingest — is seen at once; a rolled-back one changes
nothing; signed-in visitors, search and answers that set cookies are never cached."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from rcphub.accounts import SYSTEM
from rcphub.db import Database
from rcphub.db.versioning import current_version
from rcphub.documents import IngestOptions, Ingestor
from rcphub.exchange.updates import publish_update
from rcphub.readcache import ReadCache
from tests.accounts_support import make_user, signed_in_client

PAGE = "/processes/bali-process?lang=en"


@pytest.fixture
def hub(database_factory, monkeypatch):  # type: ignore[no-untyped-def]
    from rcphub import readcache
    from rcphub.app import create_app

    # one ETag period throughout: a test that straddled a period's turn (every 5 minutes)
    # saw the ETag change between two reads, as a client then would
    monkeypatch.setattr(readcache, "_period", lambda: 0)
    database = database_factory.new()
    app = create_app(database.settings, database=database)
    with TestClient(app) as client:
        yield database, app, client


def other_node(database: Database) -> Database:
    """The same database through an engine of its own, as a second node would have."""
    return Database(database.settings)


def test_a_repeated_read_is_a_hit_with_an_etag(hub):
    _database, _app, client = hub
    first = client.get(PAGE)
    assert first.status_code == 200
    assert first.headers["x-cache"] == "miss"
    etag = first.headers["etag"]
    assert etag.startswith('W/"')
    second = client.get(PAGE)
    assert second.headers["x-cache"] == "hit"
    assert second.text == first.text
    assert second.headers["etag"] == etag
    assert second.headers["content-security-policy"]  # headers added around the cache
    revalidated = client.get(PAGE, headers={"If-None-Match": etag})
    assert revalidated.status_code == 304
    assert revalidated.content == b""
    api = client.get("/api/v1/processes/bali-process")
    assert client.get("/api/v1/processes/bali-process").headers["x-cache"] == "hit"
    assert api.headers["content-type"].startswith("application/json")


def test_a_write_on_another_node_is_seen_at_once(hub):
    database, _app, client = hub
    etag = client.get(PAGE).headers["etag"]
    assert client.get(PAGE).headers["x-cache"] == "hit"
    node = other_node(database)
    try:
        with node.session() as session:
            publish_update(session, SYSTEM, "bali-process", {"en": "Quarzazate workshop moved"})
    finally:
        node.dispose()
    fresh = client.get(PAGE)
    assert fresh.headers["x-cache"] == "miss"
    assert "Quarzazate workshop moved" in fresh.text
    assert fresh.headers["etag"] != etag
    assert client.get(PAGE, headers={"If-None-Match": etag}).status_code == 200


def test_a_bulk_ingest_raises_the_version(hub):
    database, _app, client = hub
    client.get("/documents?lang=en")
    with database.session() as session:
        before = current_version(session)
    outcome = Ingestor(database).ingest_bytes(
        b"Tarapaca round table\n\n1. The states agreed to exchange data on asylum.\n",
        "tarapaca.en.txt",
        IngestOptions(processes=["bali-process"]),
    )
    assert outcome.error is None, outcome.error
    with database.session() as session:
        assert current_version(session) > before
    listed = client.get("/documents?lang=en")
    assert listed.headers["x-cache"] == "miss"
    assert outcome.document_id in listed.text


def test_a_rolled_back_write_keeps_the_version(hub):
    database, _app, client = hub
    client.get(PAGE)
    with database.session() as session:
        before = current_version(session)
    with pytest.raises(RuntimeError, match="abandon"):
        _publish_then_fail(database)
    with database.session() as session:
        assert current_version(session) == before
    assert client.get(PAGE).headers["x-cache"] == "hit"


def _publish_then_fail(database: Database) -> None:
    with database.session() as session:
        publish_update(session, SYSTEM, "bali-process", {"en": "Never published"})
        raise RuntimeError("abandon the transaction")


def test_what_is_never_cached(hub):
    database, app, client = hub
    make_user(database, "reader", "reader")
    signed_in = signed_in_client(app, "reader")
    for _ in range(2):
        assert "x-cache" not in signed_in.get(PAGE).headers  # a visitor's own page
        assert "x-cache" not in client.get("/search?q=trafficking&lang=en").headers
        assert "x-cache" not in client.get("/sign-in?lang=en").headers  # sets a CSRF cookie
        missing = client.get("/processes/no-such-process")
        assert missing.status_code == 404
        assert "x-cache" not in missing.headers
    bearer = client.get(
        "/api/v1/processes/bali-process", headers={"Authorization": "Bearer nonsense"}
    )
    assert bearer.status_code == 401


def test_negotiation_is_part_of_the_key(hub):
    _database, _app, client = hub
    french = client.get("/processes/bali-process", headers={"Accept-Language": "fr"})
    russian = client.get("/processes/bali-process", headers={"Accept-Language": "ru"})
    assert french.headers["content-language"] == "fr"
    assert russian.headers["content-language"] == "ru"
    assert russian.headers["x-cache"] == "miss"
    again = client.get("/processes/bali-process", headers={"Accept-Language": "fr"})
    assert again.headers["x-cache"] == "hit"
    assert again.headers["content-language"] == "fr"


def test_the_cache_is_bounded(hub):
    _database, app, client = hub
    cache = _cache_of(app)
    cache.max_entries = 3
    for code in ("AUS", "IDN", "PER", "MEX", "FRA"):
        assert client.get(f"/countries/{code}?lang=en").status_code == 200
    assert len(cache.entries) == 3
    assert cache.size == sum(len(entry.body) for entry in cache.entries.values())
    assert client.get("/countries/AUS?lang=en").headers["x-cache"] == "miss"  # evicted first
    assert client.get("/countries/FRA?lang=en").headers["x-cache"] == "hit"


def _cache_of(app) -> ReadCache:  # type: ignore[no-untyped-def]
    """The ReadCache instance in the app's built middleware stack."""
    app.middleware_stack = app.middleware_stack or app.build_middleware_stack()
    layer = app.middleware_stack
    while layer is not None and not isinstance(layer, ReadCache):
        layer = getattr(layer, "app", None)
    assert layer is not None, "no ReadCache in the stack"
    return layer
