"""Passage tags: tagged at ingest, decided by a person (service, API, page form, CLI), kept
across retagging, and read by the search index; errors are clear 4xx, never half-written."""

from __future__ import annotations

import getpass
import json

import numpy as np
import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from rcphub.accounts import cli_operator
from rcphub.app import create_app
from rcphub.cli import main
from rcphub.db.models import PassageTag, SearchQueueEntry, TagQueueEntry
from rcphub.documents import IngestOptions, Ingestor
from rcphub.errors import InvalidInput, NotFound
from rcphub.search.source import rows_for_documents
from rcphub.themes import (
    apply_tag_queue,
    decide_tag,
    document_tags,
    passage_tags,
    pending_documents,
    retag,
)
from tests.accounts_support import make_token, make_user, sign_in
from tests.themes.conftest import ROOT

ACTOR = cli_operator("maria")
"""May decide any tag; who else may is tests/test_access_writes.py's matter."""
LIMA_RU = ROOT / "src/rcphub/refdata/data/documents/lima-2013-chairs-summary.ru.txt"


@pytest.fixture
def tagged(database_factory):
    """A database of its own with the Russian Lima summary ingested and tagged."""
    database = database_factory.new()
    ingestor = Ingestor(database)
    outcome = ingestor.ingest_bytes(LIMA_RU.read_bytes(), LIMA_RU.name, IngestOptions())
    assert outcome.created
    return database, ingestor, outcome.document_id


def tags_of(session, document_id, ref):
    return {t.tag: t for t in passage_tags(session, document_id, ref).tags}


def test_ingest_tags_the_document_and_empties_its_queue(tagged):
    database, _, doc = tagged
    with database.session() as session:
        assert pending_documents(session) == []
        rt3 = tags_of(session, doc, "10.a")["hld2013-rt3"]
        assert rt3.source == "machine"
        assert rt3.status == "suggested"
        assert 0 < rt3.score <= 1.25
        assert rt3.labels["en"].startswith("Strengthening partnerships")
        # procedure carries no theme
        assert tags_of(session, doc, "11") == {}


def test_a_failing_tagger_leaves_the_document_stored_and_queued(database_factory):
    class Broken:
        name, dims = "broken", 512

        def embed(self, texts):
            raise RuntimeError("model missing")

    database = database_factory.new()
    ingestor = Ingestor(database, embedder=Broken())
    outcome = ingestor.ingest_bytes(LIMA_RU.read_bytes(), LIMA_RU.name, IngestOptions())
    assert outcome.created
    assert outcome.error is None
    with database.session() as session:
        assert pending_documents(session) == [outcome.document_id]
        assert session.scalar(select(func.count()).select_from(PassageTag)) == 0
    # the next run with a working model tags it and empties the queue
    report = apply_tag_queue(database, Ingestor(database).tagger)
    assert report.documents == 1
    assert report.suggestions > 0
    with database.session() as session:
        assert pending_documents(session) == []


def test_confirm_reject_and_retag_keeps_a_persons_decisions(tagged):
    database, ingestor, doc = tagged
    with database.session() as session:
        suggested = sorted(tags_of(session, doc, "10.d"))
        assert "hld2013-rt2" in suggested
        decide_tag(session, doc, "10.d", "hld2013-rt2", "confirm", actor=ACTOR)
        decide_tag(
            session,
            doc,
            "10.d",
            suggested[0] if suggested[0] != "hld2013-rt2" else suggested[1],
            "reject",
            actor=ACTOR,
        )
        # a person adds a concept the tagger did not suggest
        added = decide_tag(session, doc, "10.d", "sdg-10.7", "confirm", actor=ACTOR)
        assert added.source == "person"
        assert added.score is None
    retag(database, ingestor.tagger)
    with database.session() as session:
        after = tags_of(session, doc, "10.d")
        assert after["hld2013-rt2"].status == "confirmed"
        assert after["hld2013-rt2"].decided_by == "cli:maria"
        assert after["hld2013-rt2"].decided_at
        assert [t for t in after.values() if t.status == "rejected"]
        assert after["sdg-10.7"].source == "person"


def test_decision_errors_change_nothing(tagged):
    database, _, doc = tagged
    with database.session() as session:
        before = session.scalar(select(func.count()).select_from(PassageTag))
        with pytest.raises(InvalidInput):
            decide_tag(session, doc, "10.d", "gcm-23", "maybe", actor=ACTOR)
        with pytest.raises(InvalidInput):
            decide_tag(session, doc, "10.d", "nonsense", "confirm", actor=ACTOR)
        with pytest.raises(NotFound):
            decide_tag(session, doc, "10.d", "gcm-99", "confirm", actor=ACTOR)
        with pytest.raises(NotFound):
            decide_tag(session, doc, "99.z", "gcm-23", "confirm", actor=ACTOR)
        with pytest.raises(NotFound):
            decide_tag(session, "ffffffffffffffff", "10.d", "gcm-23", "confirm", actor=ACTOR)
        with pytest.raises(NotFound):  # nothing to reject
            decide_tag(session, doc, "11", "gcm-23", "reject", actor=ACTOR)
        assert session.scalar(select(func.count()).select_from(PassageTag)) == before


def test_search_rows_carry_suggested_and_confirmed_tags_not_rejected(tagged):
    database, _, doc = tagged
    with database.session() as session:
        rows = {r.passage_id: r for r in rows_for_documents(session, [doc])}
        tagged_rows = [r for r in rows.values() if r.theme]
        assert tagged_rows
        assert all("-" in t for r in tagged_rows for t in r.theme)
        queued = session.scalar(select(func.count()).select_from(SearchQueueEntry))
        decide_tag(session, doc, "10.a", "hld2013-rt3", "reject", actor=ACTOR)
    with database.session() as session:
        # the decision queued the document for the search index
        assert session.scalar(select(func.count()).select_from(SearchQueueEntry)) == queued + 1
        row = next(
            r
            for r in rows_for_documents(session, [doc])
            if "gcm-23" in r.theme
            and r.text.startswith("региональные консультативные процессы и проводимые")
        )
        assert "hld2013-rt3" not in row.theme


def test_retag_one_scheme_leaves_the_others(tagged):
    database, ingestor, doc = tagged
    with database.session() as session:
        before = {(t.passage_id, t.scheme_id, t.code) for t in session.scalars(select(PassageTag))}
        session.execute(PassageTag.__table__.delete().where(PassageTag.scheme_id == "gcm"))
    report = retag(database, ingestor.tagger, scheme="gcm", document_id=doc[:8])
    assert report.documents == 1
    with database.session() as session:
        after = {(t.passage_id, t.scheme_id, t.code) for t in session.scalars(select(PassageTag))}
        assert after == before
        assert session.scalar(select(func.count()).select_from(TagQueueEntry)) == 0


# ---------------------------------------------------------------------------- API and page


@pytest.fixture
def web(tagged):
    """A client of an admin (the document is filed under no process): signed in for the
    pages, with a write token for the API."""
    database, ingestor, doc = tagged
    make_user(database, "tagger", "admin")
    app = create_app(database.settings, database=database)
    app.state.ingestor = ingestor
    headers = {"Authorization": f"Bearer {make_token(database, 'tagger')}"}
    with TestClient(app, headers=headers) as client:
        sign_in(client, "tagger")
        yield client, doc


def test_api_reads_and_decides(web):
    client, doc = web
    passages = client.get(f"/api/v1/documents/{doc}/tags").json()["passages"]
    assert any(p["ref"] == "10.a" and p["tags"] for p in passages)
    one = client.get(f"/api/v1/documents/{doc[:8]}/passages/10.a/tags").json()
    assert one["document_id"] == doc
    assert one["tags"][0]["tag"] == "hld2013-rt3"
    decided = client.post(f"/api/v1/documents/{doc}/passages/10.a/tags/hld2013-rt3/confirm")
    assert decided.status_code == 200
    assert decided.json()["status"] == "confirmed"
    assert decided.json()["decided_by"].startswith("tagger (token ")


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/documents/{doc}/passages/10.a/tags/hld2013-rt3/maybe", 422),
        ("/documents/{doc}/passages/10.a/tags/foo/confirm", 422),
        ("/documents/{doc}/passages/10.a/tags/gcm-24/confirm", 404),
        ("/documents/{doc}/passages/nope/tags/gcm-23/confirm", 404),
        ("/documents/0000000000000000/passages/10.a/tags/gcm-23/confirm", 404),
        ("/documents/{doc}/passages/11/tags/gcm-23/reject", 404),
    ],
)
def test_api_errors_are_clear(web, path, status):
    client, doc = web
    response = client.post("/api/v1" + path.format(doc=doc))
    assert response.status_code == status
    assert set(response.json()["error"]) == {"code", "message"}


def test_api_unknown_document_tags_is_404(web):
    client, _ = web
    assert client.get("/api/v1/documents/zzzz/tags").status_code == 404
    assert client.get("/api/v1/documents/0000000000000000/passages/1/tags").status_code == 404


def test_page_shows_tags_and_the_form_confirms(web):
    client, doc = web
    page = client.get(f"/documents/{doc}")
    assert page.status_code == 200
    assert 'data-tag="hld2013-rt3"' in page.text
    assert f'action="/documents/{doc}/tags"' in page.text
    response = client.post(
        f"/documents/{doc}/tags",
        data={
            "ref": "10.a",
            "tag": "hld2013-rt3",
            "decision": "confirm",
            "csrf_token": client.csrf,
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"/documents/{doc}#p-10.a"
    page = client.get(f"/documents/{doc}")
    assert 'class="tag tag--confirmed" data-tag="hld2013-rt3"' in page.text


@pytest.mark.parametrize(
    "form",
    [
        {"ref": "10.a", "tag": "hld2013-rt3", "decision": "perhaps"},
        {"ref": "10.a", "tag": "hld2013-rt3"},
        {"ref": "10.a", "tag": "x" * 500, "decision": "confirm"},
    ],
)
def test_page_form_refuses_bad_input_with_a_page(web, form):
    client, doc = web
    data = {**form, "csrf_token": client.csrf}
    response = client.post(f"/documents/{doc}/tags", data=data, follow_redirects=False)
    assert response.status_code == 422
    assert "text/html" in response.headers["content-type"]


# ---------------------------------------------------------------------------- CLI


def test_cli_retag_tags_and_decide(tagged):
    database, _, doc = tagged
    base = ["--database-url", database.settings.resolved_database_url]
    base += ["--data-dir", str(database.settings.data_dir)]
    runner = CliRunner()
    result = runner.invoke(main, [*base, "themes", "retag", "--document", doc[:8], "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["documents"] == 1
    assert report["passages"] == 34
    result = runner.invoke(main, [*base, "themes", "tags", doc, "--ref", "10.a"])
    assert "hld2013-rt3" in result.output
    assert "machine" in result.output
    result = runner.invoke(main, [*base, "themes", "confirm", doc, "10.a", "gcm-23"])
    assert result.exit_code == 0
    assert f"confirmed by cli:{getpass.getuser()}" in result.output
    result = runner.invoke(main, [*base, "themes", "retag", "--scheme", "xyz"])
    assert result.exit_code == 2
    assert "does not tag scheme" in result.output
    result = runner.invoke(main, [*base, "themes", "reject", doc, "10.a", "gcm-99"])
    assert result.exit_code == 3


def test_tag_scores_are_plain_floats(tagged):
    database, _, doc = tagged
    with database.session() as session:
        scores = [t.score for p in document_tags(session, doc).passages for t in p.tags]
    assert scores
    assert all(isinstance(s, float) and np.isfinite(s) for s in scores)
