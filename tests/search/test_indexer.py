"""Indexing off the request path: ``rcphub serve`` listens whatever the backlog, the background
indexer applies the queue, no request embeds a document, and ``/readyz`` and the search results
say how far behind the index is. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Sequence

import numpy as np
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from rcphub.app import _indexer, create_app
from rcphub.search import SearchService
from rcphub.search.indexer import BackgroundIndexer
from tests.browser_support import free_port

from .conftest import Doc, store


class ThreadRecorder:
    """The test's embedder, recording which thread asked for each text."""

    def __init__(self, inner) -> None:  # type: ignore[no-untyped-def]
        self.inner = inner
        self.name, self.dims = inner.name, inner.dims
        self.threads: list[str] = []
        self.texts: list[tuple[str, str]] = []

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        self.threads.extend(threading.current_thread().name for _ in texts)
        self.texts.extend((threading.current_thread().name, text) for text in texts)
        return self.inner.embed(texts)


def _hits_and_related(result: dict) -> list:  # type: ignore[type-arg]
    """Matches and related passages: a two-word query may fall under the match floor."""
    return [*result["hits"], *result.get("related", [])]


def wait_for(predicate, timeout: float, what: str):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def test_readyz_reports_lag_and_the_indexer_catches_up_without_a_request_embedding(
    search_database, embedder
) -> None:  # type: ignore[no-untyped-def]
    recorder = ThreadRecorder(embedder)
    app = create_app(search_database.settings, database=search_database)
    app.state.search = SearchService.from_settings(search_database.settings, recorder)
    app.state.indexer = BackgroundIndexer(search_database, app.state.search, interval=0.2)
    with TestClient(app) as client:
        assert client.get("/healthz").json() == {"status": "alive", "pid": os.getpid()}
        not_built = client.get("/readyz")
        assert not_built.status_code == 503  # no index yet on this node
        assert not_built.headers["Retry-After"]
        assert not_built.json()["index"]["built"] is False
        app.state.indexer.catch_up()
        ready = client.get("/readyz")
        assert ready.status_code == 200, ready.json()
        assert ready.json()["index"]["pending_documents"] == 0
        assert ready.json()["migrations"]["status"] == "ok"

        with search_database.session() as session:  # two documents arrive (another process)
            store(
                session,
                [
                    Doc(
                        "ffff000000000001",
                        "en",
                        [
                            (
                                "1",
                                "Seasonal agricultural workers need social protection that"
                                " travels with them between the countries of the region.",
                            )
                        ],
                    ),
                    Doc(
                        "ffff000000000002",
                        "fr",
                        [
                            (
                                "1",
                                "Les travailleurs saisonniers ont besoin d'une protection"
                                " sociale qui les suive d'un pays à l'autre de la région.",
                            )
                        ],
                    ),
                ],
            )
        behind = client.get("/readyz")
        assert behind.status_code == 200  # behind, but serving
        assert behind.json()["index"]["pending_documents"] == 2
        assert behind.json()["index"]["up_to_date"] is False
        search = client.get("/api/v1/search", params={"q": "seasonal workers"})
        assert search.json()["pending_documents"] == 2
        assert search.json()["hits"] == []  # the search did not index them
        page = client.get("/search", params={"q": "seasonal workers", "lang": "en"})
        assert "documents waiting to be indexed: 2" in page.text

        recorder.threads.clear()
        app.state.indexer.start()
        try:
            found = wait_for(
                lambda: _hits_and_related(
                    client.get(
                        "/api/v1/search", params={"q": "seasonal workers", "mode": "semantic"}
                    ).json()
                ),
                60,
                "the documents to become searchable",
            )
            assert {hit["document"] for hit in found} >= {"ffff000000000001"}
            caught_up = client.get("/readyz").json()
            assert caught_up["index"]["pending_documents"] == 0
            assert caught_up["index"]["indexer"] == "running"
        finally:
            app.state.indexer.stop()
        # the passages were embedded, and only by the indexer's thread, never a request's
        assert recorder.threads
        assert set(recorder.threads) == {"rcphub-indexer"}


def test_an_upload_runs_no_model_while_the_background_indexer_runs(
    search_database, embedder
) -> None:  # type: ignore[no-untyped-def]
    """Issue 12: no request embeds documents. With the indexer running, an upload stores the
    document and answers; its theme tags and its vectors are computed by the indexer's thread,
    after which it is tagged and searchable by meaning."""
    from rcphub.db.models import PassageTag
    from tests.accounts_support import make_token, make_user

    recorder = ThreadRecorder(embedder)
    app = create_app(search_database.settings, database=search_database)
    app.state.search = SearchService.from_settings(search_database.settings, recorder)
    app.state.indexer = _indexer(app)  # the server's: it tags what waits before each round
    app.state.search.embedder.embed_query("warm up")  # the tagger's concepts: embedded below
    make_user(search_database, "uploader", "admin")
    headers = {"Authorization": f"Bearer {make_token(search_database, 'uploader')}"}
    text = (
        "Chair's summary\n\n1. Participants discussed the protection of seasonal"
        " agricultural workers and the portability of their social security benefits between"
        " the countries of the region.\n"
    )
    with TestClient(app, headers=headers) as client:
        app.state.indexer.catch_up()  # the first build, before the upload
        app.state.indexer.start()
        try:
            recorder.texts.clear()
            upload = client.post(
                "/api/v1/documents", files={"files": ("summary.en.txt", text.encode())}
            )
            assert upload.status_code == 201, upload.text
            document = upload.json()["created"][0]
            asked = {"q": "social protection of seasonal workers", "mode": "semantic"}
            found = wait_for(
                lambda: _hits_and_related(client.get("/api/v1/search", params=asked).json()),
                60,
                "the upload to become searchable by meaning",
            )
            assert {hit["document"] for hit in found} == {document}

            def tags() -> list[str]:
                with search_database.session() as session:  # a fresh snapshot each time
                    return list(
                        session.scalars(
                            select(PassageTag.code).where(PassageTag.document_id == document)
                        )
                    )

            assert wait_for(tags, 30, "the upload to be tagged")
        finally:
            app.state.indexer.stop()
    by_indexer = {t for thread, t in recorder.texts if thread == "rcphub-indexer"}
    by_requests = {t for thread, t in recorder.texts if thread != "rcphub-indexer"}
    assert any("seasonal" in t for t in by_indexer)  # the passage's clauses
    assert by_requests == {asked["q"]}  # a request embedded the query, nothing else


def test_readyz_is_503_when_the_database_is_unreachable(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from rcphub.config import Settings
    from rcphub.db import Database

    settings = Settings(
        data_dir=tmp_path, database_url="postgresql+psycopg://nobody@127.0.0.1:1/none"
    )
    app = create_app(settings, database=Database(settings))
    with TestClient(app) as client:
        assert client.get("/healthz").status_code == 200  # alive: it needs no database
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["database"]["status"] == "unreachable"
    assert response.headers["Retry-After"]


def _get(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (http://127.0.0.1)
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return 0, {}


def test_serve_listens_at_once_with_a_backlog_and_indexes_it_in_the_background(
    search_database,
) -> None:  # type: ignore[no-untyped-def]
    words = ["harvest", "fisheries", "remittance", "diaspora", "border", "asylum", "visa"]
    docs = [
        Doc(
            f"abcd{number:012d}",
            "en",
            [
                (
                    str(p),
                    " ".join(
                        f"Sentence {s} of paragraph {p} of report {number}: "
                        f"{words[(number + p + s) % 7]} policy cooperation among states "
                        f"number {number * 1000 + p * 20 + s}."
                        for s in range(36)
                    ),
                )
                for p in range(1, 16)
            ],
        )
        for number in range(60)
    ]
    # 900 passages of 36 distinct sentences (~3,600 characters, under the embedding's bound)
    # nobody has embedded: ~600,000 tokens, many times what `serve` needs to start even on a
    # busy machine (with one sentence each, then twelve, the indexer had caught up before the
    # first request in a full test run once the model got faster)
    with search_database.session() as session:
        store(session, docs)
    port = free_port()
    env = {
        **os.environ,
        "RCPHUB_DATA_DIR": str(search_database.settings.data_dir),
        "RCPHUB_DATABASE_URL": search_database.settings.resolved_database_url,
    }
    started = time.monotonic()
    server = subprocess.Popen(
        [sys.executable, "-m", "rcphub", "serve", "--port", str(port), "--no-warm-up"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: _get(f"{base}/healthz")[0] == 200, 30, "the server to listen")
        listened = time.monotonic() - started
        status, first = _get(f"{base}/readyz")
        # it listens before the backlog is indexed: the first answer still sees it waiting
        # (60, and the bundled documents `serve` stores on the first start)
        assert first["index"]["pending_documents"] >= 60, first
        assert status == 503 or not first["index"]["up_to_date"]
        assert listened < 30

        def caught_up():  # type: ignore[no-untyped-def]
            code, body = _get(f"{base}/readyz")
            return code == 200 and body["index"]["pending_documents"] == 0 and body

        done = wait_for(caught_up, 240, "the backlog to be indexed")
        assert done["index"]["passages"] >= 900
        code, result = _get(f"{base}/api/v1/search?q=fisheries&mode=keyword&limit=1")
        assert code == 200
        assert result["total"] > 0
        assert result["pending_documents"] == 0
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_two_serve_nodes_on_one_database_each_find_what_the_other_ingested(
    backend, search_database, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    """Two real `rcphub serve` processes, each with its own data directory (its own index), on
    one database; a document ingested through node A (`rcphub ingest` with A's data
    directory) becomes searchable on node B, by B's background indexer."""
    if backend != "postgresql":
        pytest.skip("several nodes share a PostgreSQL database")
    url = search_database.settings.resolved_database_url
    servers, bases = [], []
    try:
        for name in ("a", "b"):
            port = free_port()
            env = {
                **os.environ,
                "RCPHUB_DATA_DIR": str(tmp_path / name),
                "RCPHUB_DATABASE_URL": url,
            }
            servers.append(
                subprocess.Popen(
                    [sys.executable, "-m", "rcphub", "serve", "--port", str(port), "--no-warm-up"],
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
            bases.append(f"http://127.0.0.1:{port}")
            # one after the other: the first start prepares the database (migrations,
            # reference data, bundled documents)
            wait_for(lambda: _get(f"{bases[-1]}/readyz")[0] == 200, 240, "a node ready")
        source = tmp_path / "incoming" / "note.en.txt"
        source.parent.mkdir()
        source.write_text(
            "Note on pastoralist mobility\n\n"
            "1. Transhumant pastoralists cross borders with their herds every season.\n"
        )
        subprocess.run(
            [sys.executable, "-m", "rcphub", "ingest", str(source), "--no-tag"],
            env={**os.environ, "RCPHUB_DATA_DIR": str(tmp_path / "a"), "RCPHUB_DATABASE_URL": url},
            check=True,
            capture_output=True,
        )
        query = "/api/v1/search?q=transhumant&mode=keyword"
        for base in reversed(bases):  # B first: it never saw the ingest
            found = wait_for(
                lambda base=base: _get(base + query)[1].get("total"), 120, "the document on a node"
            )
            assert found == 1
        # the log was not emptied by the first node to apply it: both nodes are recorded
        with search_database.session() as session:
            from rcphub.db.models import SearchNode

            assert len(session.scalars(select(SearchNode.name)).all()) == 2
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=30)


NOTES = {
    "mobility.en.txt": "Note on mobility\n\n1. Transhumant pastoralists cross borders with their"
    " herds every season.\n",
    "remittances.fr.txt": "Note sur les transferts\n\n1. Les envois de fonds des travailleurs"
    " migrants coûtent encore trop cher.\n",
    "returns.es.txt": "Nota sobre el retorno\n\n1. La reintegración de los migrantes que regresan"
    " necesita apoyo de las comunidades.\n",
    "camps.en.txt": "Note on camps\n\n1. Displaced families in camps need schools for their"
    " children.\n",
}


def test_indexing_alongside_an_ingest_takes_in_documents_as_they_are_stored(
    search_database, embedder, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """What ``rcphub ingest`` runs beside its workers: a round applies once enough documents
    wait, while the ingest goes on; the thread never runs the model, so a document stored
    without its vectors waits for the catch-up at the end."""
    from rcphub.documents import Ingestor
    from rcphub.search import indexer as indexer_module
    from rcphub.search.indexer import indexing_alongside

    monkeypatch.setattr(indexer_module, "ALONGSIDE_DOCUMENTS", 2)
    recorder = ThreadRecorder(embedder)
    service = SearchService.from_settings(search_database.settings, recorder)
    BackgroundIndexer(search_database, service).catch_up()  # this node's index
    before = service.status()["passages"]
    embedding = Ingestor(search_database, embedder=embedder, tag=False, embed=True)
    plain = Ingestor(search_database, embedder=embedder, tag=False, embed=False)
    names = list(NOTES)

    def ingest(ingestor, name: str) -> None:  # type: ignore[no-untyped-def]
        assert ingestor.ingest_bytes(NOTES[name].encode(), name).created

    with indexing_alongside(search_database, service):
        ingest(embedding, names[0])
        time.sleep(2.5)  # rounds pass: one document waiting is not enough
        assert service.status()["passages"] == before
        ingest(embedding, names[1])
        wait_for(lambda: service.status()["passages"] == before + 4, 30, "two documents indexed")
        ingest(plain, names[2])  # no stored vectors
        ingest(embedding, names[3])
        time.sleep(2.5)
        assert service.status()["passages"] == before + 4  # waits for a model
    assert "rcphub-indexer" not in recorder.threads
    BackgroundIndexer(search_database, service).catch_up()
    assert service.status()["passages"] == before + 8


def test_rcphub_ingest_leaves_the_nodes_index_up_to_date(search_database, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """After ``rcphub ingest`` the new documents are searchable on this node without
    ``rcphub index``; ``--no-index`` leaves them waiting for it (or for ``serve``)."""
    from click.testing import CliRunner

    from rcphub.cli import main
    from rcphub.search import SearchQuery

    settings = search_database.settings
    base = ["--database-url", settings.resolved_database_url, "--data-dir", str(settings.data_dir)]
    runner = CliRunner()
    assert runner.invoke(main, [*base, "index"]).exit_code == 0  # this node's index
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "mobility.en.txt").write_text(NOTES["mobility.en.txt"], encoding="utf-8")
    (tmp_path / "camps.en.txt").write_text(NOTES["camps.en.txt"], encoding="utf-8")

    def found(query: str) -> set[str]:
        service = SearchService.from_settings(settings)
        with search_database.session() as session:
            result = service.search(session, SearchQuery(q=query, mode="semantic"))
        return {hit.document for hit in [*result.hits, *result.related]}

    ingested = runner.invoke(main, [*base, "ingest", str(folder), "--workers", "1", "--json"])
    assert ingested.exit_code == 0, ingested.output
    (doc,) = json.loads(ingested.stdout)["documents"]
    assert doc["id"] in found("herders crossing borders with their animals")

    waiting = runner.invoke(
        main,
        [*base, "ingest", str(tmp_path / "camps.en.txt"), "--workers", "1", "--no-index", "--json"],
    )
    assert waiting.exit_code == 0, waiting.output
    (later,) = json.loads(waiting.stdout)["documents"]
    assert later["id"] not in found("schools for displaced children in camps")
    assert runner.invoke(main, [*base, "index"]).exit_code == 0
    assert later["id"] in found("schools for displaced children in camps")
