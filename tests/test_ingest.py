"""Ingest on both databases: the Lima document end to end, idempotence, one transaction per
file, limits, folders, versions; and the API and CLI over it."""

from __future__ import annotations

import io
import json
import zipfile
from importlib import resources

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from rcphub.accounts import SYSTEM
from rcphub.app import create_app
from rcphub.bootstrap import ingest_bundled_documents
from rcphub.cli import main
from rcphub.db.models import (
    Document,
    DocumentLink,
    Mention,
    Passage,
    SearchQueueEntry,
    TagQueueEntry,
    Work,
)
from rcphub.documents import (
    IngestOptions,
    Ingestor,
    documents_mentioning,
    get_document,
    link_versions,
    list_documents,
    passages_of,
)
from tests.accounts_support import make_token, make_user

LIMA = resources.files("rcphub.refdata").joinpath(
    "data", "documents", "lima-2013-chairs-summary.ru.txt"
)
ENGLISH = """United Nations A/68/999

General Assembly

Distr.: General
3 July 2013

Original: English

**Letter on regional consultative processes**

1. The Government of Peru hosted the meeting with the support of IOM.

2. Participants from the Bali Process and the Puebla Process attended:

(a) Mexico reported on labour mobility;

(b) Indonesia reported on smuggling of migrants.
"""


@pytest.fixture
def database(database_factory):
    return database_factory.new()


@pytest.fixture(scope="session")
def linker(loaded_database):
    """The entity linker takes a second or two to build; the registry is the same in every
    test database, so one linker serves them all."""
    from rcphub.linking import EntityLinker, Gazetteer

    with loaded_database.session() as session:
        return EntityLinker(Gazetteer.from_session(session))


@pytest.fixture
def ingestor(database, linker):
    return Ingestor(database, linker=linker)


def _count(database, model) -> int:
    with database.session() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_lima_document_end_to_end(database, ingestor):
    outcome = ingestor.ingest_bytes(
        LIMA.read_bytes(), LIMA.name, IngestOptions(meetings=["grcp-2013"])
    )
    assert outcome.error is None
    assert outcome.created
    with database.session() as session:
        doc = get_document(session, outcome.document_id)
    assert doc.language == "ru"
    assert str(doc.date) == "2013-06-28"
    assert doc.links == ["meeting:grcp-2013"]
    refs = [p.ref for p in doc.passages]
    for ref in ("1", "8.b", "10.f", "11", "fn1", "fn2"):
        assert ref in refs
    by_ref = {p.ref: p for p in doc.passages}
    assert by_ref["2"].footnote_refs == ["fn1", "fn2"]
    assert "Диалога по вопросам миграции для южной части Африки" in by_ref["3"].text
    entities = {(m.passage, m.entity) for m in doc.mentions}
    assert ("2", "org:iom") in entities
    assert ("2", "org:unhcr") in entities
    assert ("fn1", "process:bali-process") in entities
    assert ("fn2", "org:league-of-arab-states") in entities
    assert ("11", "state:PER") in entities
    for mention in doc.mentions:  # offsets index the stored passage text exactly
        assert by_ref[mention.passage].text[mention.start : mention.end] == mention.surface
    stored = ingestor.store.get(doc.content_hash)
    assert stored == LIMA.read_bytes()


def test_passages_of_counts_the_passages_of_the_documents_named(database, ingestor):
    first = ingestor.ingest_bytes(LIMA.read_bytes(), LIMA.name, IngestOptions())
    second = ingestor.ingest_bytes(b"1. One.\n\n2. Two.\n", "two.txt", IngestOptions())
    with database.session() as session:
        lengths = [len(get_document(session, o.document_id).passages) for o in (first, second)]
        assert passages_of(session, [first.document_id]) == lengths[0]
        assert passages_of(session, [first.document_id, second.document_id]) == sum(lengths)
        assert passages_of(session, []) == 0


def test_documents_mentioning_an_entity(database, ingestor):
    document_id = ingestor.ingest_bytes(LIMA.read_bytes(), LIMA.name).document_id
    with database.session() as session:
        found = documents_mentioning(session, "process:bali-process")
        assert [f.document.id for f in found] == [document_id]
        assert "fn1" in found[0].passages
        total, listed = list_documents(session, mentions="state:BWA")
        assert total == 1
        assert listed[0].id == document_id
        assert documents_mentioning(session, "state:NOR") == []


def test_same_file_twice_changes_nothing(database, ingestor):
    first = ingestor.ingest_bytes(LIMA.read_bytes(), "a.txt")
    counts = [_count(database, m) for m in (Document, Passage, Mention, Work)]
    second = ingestor.ingest_bytes(LIMA.read_bytes(), "renamed.txt")
    assert second.document_id == first.document_id
    assert not second.created
    assert [_count(database, m) for m in (Document, Passage, Mention, Work)] == counts


def test_a_failing_file_stores_nothing_and_the_batch_goes_on(database, ingestor, tmp_path):
    (tmp_path / "good.md").write_text(ENGLISH, encoding="utf-8")
    (tmp_path / "bad.pdf").write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 10)
    (tmp_path / "bad.docx").write_bytes(b"PK\x03\x04 not really a zip")
    (tmp_path / "nested").mkdir()
    (tmp_path / "nested" / "lima.txt").write_bytes(LIMA.read_bytes())
    (tmp_path / ".hidden.txt").write_text("1. hidden", encoding="utf-8")
    (tmp_path / "notes.csv").write_text("a,b", encoding="utf-8")
    files_before = ingestor.store.hashes()
    outcomes = ingestor.ingest_paths([tmp_path])
    by_name = {o.path.rsplit("/", 1)[-1]: o for o in outcomes}
    assert set(by_name) == {"good.md", "bad.pdf", "bad.docx", "lima.txt"}
    assert by_name["good.md"].created
    assert by_name["lima.txt"].created
    assert "bad.pdf" in by_name["bad.pdf"].error
    assert "bad.docx" in by_name["bad.docx"].error
    assert _count(database, Document) == 2
    assert len(ingestor.store.hashes()) == 2 + len(files_before)


def test_a_failure_while_storing_rolls_back_rows_and_file(database, ingestor, monkeypatch):
    """If the database write fails half-way, neither rows nor the source file remain."""
    from rcphub.documents import ingest as ingest_module

    real_enqueue = ingest_module.enqueue_tagging

    def failing_enqueue(*args, **kwargs):  # late in the write: passages, mentions, links done
        real_enqueue(*args, **kwargs)
        raise RuntimeError("disk full")

    monkeypatch.setattr(ingest_module, "enqueue_tagging", failing_enqueue)
    with pytest.raises(RuntimeError):
        ingestor.ingest_bytes(LIMA.read_bytes(), LIMA.name, IngestOptions(meetings=["grcp-2013"]))
    assert _count(database, Document) == 0
    assert _count(database, Passage) == 0
    assert _count(database, DocumentLink) == 0
    assert _count(database, SearchQueueEntry) == 0
    assert _count(database, TagQueueEntry) == 0
    assert not ingestor.store.hashes()


def test_limits(database_factory, linker):
    database = database_factory.new()
    database.settings = database.settings.model_copy(update={"max_upload_mb": 1})
    ingestor = Ingestor(database, linker=linker)
    outcome = ingestor.ingest_bytes(b"1. " + b"a" * (1024 * 1024 + 1), "big.txt")
    assert "limit is 1 MB" in outcome.error
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\0" * (300 * 1024 * 1024))
    outcome = ingestor.ingest_bytes(bomb.getvalue(), "bomb.docx")
    assert outcome.error
    assert "bomb.docx" in outcome.error
    assert _count(database, Document) == 0


def test_unknown_process_or_meeting_is_refused_before_reading(ingestor):
    from rcphub.errors import NotFound

    with pytest.raises(NotFound):
        ingestor.check_options(IngestOptions(processes=["nope"]))
    with pytest.raises(NotFound):
        ingestor.check_options(IngestOptions(meetings=["grcp-1999"]))


def test_language_versions_by_symbol_and_by_hand(database, ingestor):
    english = ingestor.ingest_bytes(ENGLISH.encode(), "en.md").document_id
    french = ingestor.ingest_bytes(
        ENGLISH.replace("Distr.: General", "Distr. générale")
        .replace("Original: English", "Original : anglais")
        .replace("The Government of Peru hosted", "Le Gouvernement du Pérou a accueilli")
        .encode(),
        "fr.md",
    ).document_id
    lima = ingestor.ingest_bytes(LIMA.read_bytes(), LIMA.name).document_id
    with database.session() as session:
        doc = get_document(session, english)
        assert doc.symbol == "A/68/999"
        assert [v.id for v in doc.versions] == [french]  # same symbol, same work
        linked = link_versions(session, lima, english, SYSTEM)
        assert {v.id for v in linked.versions} == {english, french}
        assert session.scalar(select(func.count()).select_from(Work)) == 1


def test_bundled_documents_are_ingested_once(database):
    assert len(ingest_bundled_documents(database)) == 1
    assert ingest_bundled_documents(database) == []
    with database.session() as session:
        links = session.scalars(select(DocumentLink.target)).all()
    assert links == ["meeting:grcp-2013"]


# ---------------------------------------------------------------------------- API


@pytest.fixture
def api(database, linker):
    from fastapi.testclient import TestClient

    app = create_app(database.settings, database=database)
    app.state.ingestor = Ingestor(database, linker=linker)
    make_user(database, "machine", "admin")
    token = make_token(database, "machine", "write")
    with TestClient(app, headers={"Authorization": f"Bearer {token}"}) as client:
        yield client


def test_upload_through_the_api(api):
    response = api.post(
        "/api/v1/documents",
        files=[
            ("files", ("lima.txt", LIMA.read_bytes(), "text/plain")),
            ("files", ("broken.pdf", b"%PDF-1.4 broken", "application/pdf")),
        ],
        data={"meeting": "grcp-2013"},
    )
    assert response.status_code == 201
    body = response.json()
    (doc,) = body["documents"]
    assert doc["language"] == "ru"
    assert {"ref", "kind", "text", "language"} <= set(doc["passages"][0])
    assert {"entity", "passage", "start", "end", "surface"} <= set(doc["mentions"][0])
    assert body["errors"][0]["path"] == "broken.pdf"
    assert body["created"] == [doc["id"]]
    assert api.get(f"/api/v1/documents/{doc['id'][:8]}").json()["id"] == doc["id"]
    listed = api.get("/api/v1/documents?mentions=state:PER").json()
    assert listed["total"] == 1
    assert api.get("/api/v1/documents?process=bali-process").json()["total"] == 0


def test_the_api_keeps_the_file_name_the_upload_page_keeps(api):
    """One rule for both: the last part of a Windows path too."""
    text = b"Declaration\n\n1. The States agree to cooperate on migration.\n"
    response = api.post(
        "/api/v1/documents",
        files=[("files", ("C:\\Users\\me\\notes.txt", text, "text/plain"))],
    )
    assert response.status_code == 201, response.text
    (doc,) = response.json()["documents"]
    assert doc["filename"] == "notes.txt"


@pytest.mark.parametrize(
    ("method", "url", "kwargs", "status"),
    [
        ("get", "/api/v1/documents/ffffffffffffffff", {}, 404),
        ("get", "/api/v1/documents/%00", {}, 422),
        ("get", "/api/v1/documents?language=xx", {}, 422),
        ("get", "/api/v1/documents?limit=0", {}, 422),
        ("post", "/api/v1/documents", {}, 422),
        (
            "post",
            "/api/v1/documents",
            {
                "data": {"process": "nope"},
                "files": [("files", ("a.txt", b"1. text", "text/plain"))],
            },
            404,
        ),
    ],
)
def test_api_errors(api, method, url, kwargs, status):
    response = getattr(api, method)(url, **kwargs)
    assert response.status_code == status
    assert response.json()["error"]["message"]


def test_upload_over_the_limit_is_refused(database):
    from fastapi.testclient import TestClient

    database.settings = database.settings.model_copy(update={"max_upload_mb": 1})
    app = create_app(database.settings, database=database)
    make_user(database, "machine", "admin")
    token = make_token(database, "machine", "write")
    with TestClient(app, headers={"Authorization": f"Bearer {token}"}) as client:
        response = client.post(
            "/api/v1/documents", files=[("files", ("big.txt", b"x" * (2 * 1024 * 1024)))]
        )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"
    assert "1 MB" in response.json()["error"]["message"]
    assert _count(database, Document) == 0


# ---------------------------------------------------------------------------- CLI


def test_cli_ingest_json_and_show(database, tmp_path):
    url = database.settings.resolved_database_url
    data_dir = str(database.settings.data_dir)
    (tmp_path / "en.md").write_text(ENGLISH, encoding="utf-8")
    (tmp_path / "bad.pdf").write_bytes(b"not a pdf")
    runner = CliRunner()
    base = ["--database-url", url, "--data-dir", data_dir]
    result = runner.invoke(
        main, [*base, "ingest", str(tmp_path), "--process", "bali-process", "--json"]
    )
    assert result.exit_code == 1  # one file failed
    report = json.loads(result.stdout)
    assert [d["filename"] for d in report["documents"]] == ["en.md"]
    assert report["errors"][0]["path"].endswith("bad.pdf")
    doc = report["documents"][0]
    assert doc["links"] == ["process:bali-process"]
    assert {m["entity"] for m in doc["mentions"]} >= {"state:PER", "org:iom", "state:MEX"}
    shown = runner.invoke(main, [*base, "documents", "show", doc["id"], "--ref", "2.a"])
    assert shown.exit_code == 0
    assert "[2.a] Mexico reported on labour mobility;" in shown.output
    missing = runner.invoke(main, [*base, "documents", "show", doc["id"], "--ref", "9"])
    assert missing.exit_code != 0
    listed = runner.invoke(main, [*base, "documents", "list", "--process", "bali-process"])
    assert doc["id"] in listed.output


def test_cli_ingest_lines_say_what_the_json_report_says(database, tmp_path):
    """The text output is read in a few queries, not from each document's full report: its
    lines must agree with the report all the same."""
    base = ["--database-url", database.settings.resolved_database_url]
    base += ["--data-dir", str(database.settings.data_dir)]
    (tmp_path / "en.md").write_text(ENGLISH, encoding="utf-8")
    (tmp_path / "bad.pdf").write_bytes(b"not a pdf")
    runner = CliRunner()
    first = runner.invoke(main, [*base, "ingest", str(tmp_path / "en.md"), "--no-tag"])
    assert first.exit_code == 0
    text = runner.invoke(main, [*base, "ingest", str(tmp_path), "--no-tag"])
    assert text.exit_code == 1
    report = json.loads(
        runner.invoke(main, [*base, "ingest", str(tmp_path), "--no-tag", "--json"]).stdout
    )
    (doc,) = report["documents"]
    assert len(doc["mentions"]) >= 3
    line = (
        f"{doc['id']}  {doc['language']}  {doc['passage_count']:>4} passages  "
        f"{len(doc['mentions']):>4} mentions  already stored  en.md"
    )
    assert text.stdout.splitlines() == [line, "0 new, 1 already stored, 1 failed"]
    assert "bad.pdf" in text.stderr
    assert f"{doc['id']}  en" in first.stdout
    assert first.stdout.splitlines()[-1] == "1 new, 0 already stored, 0 failed"


def test_cli_refuses_unknown_options_and_paths(database, tmp_path):
    base = ["--database-url", database.settings.resolved_database_url]
    runner = CliRunner()
    result = runner.invoke(main, [*base, "ingest", str(tmp_path / "missing.txt")])
    assert result.exit_code == 2
    assert "no such file" in result.output
    (tmp_path / "a.txt").write_text("1. Text.", encoding="utf-8")
    result = runner.invoke(main, [*base, "ingest", str(tmp_path), "--meeting", "grcp-1999"])
    assert result.exit_code == 3
    assert "grcp-1999" in result.output


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    data=st.one_of(
        st.binary(max_size=2000),
        st.text(max_size=1500).map(lambda t: t.encode("utf-8", "surrogatepass")),
        st.sampled_from([LIMA.read_bytes()[:n] for n in (10, 500, 5000, 15000)]),
    ),
    suffix=st.sampled_from([".txt", ".md", ".html", ".docx", ".pdf", ".bin"]),
)
def test_fuzzed_files_are_stored_whole_or_not_at_all(database, ingestor, data, suffix):
    """Whatever the bytes: either an error naming the file and nothing new stored, or a
    document whose every mention indexes its passage text."""
    before = [_count(database, m) for m in (Document, Passage, Mention)]
    files_before = len(ingestor.store.hashes())
    outcome = ingestor.ingest_bytes(data, f"fuzz{suffix}")
    files_after = len(ingestor.store.hashes())
    if outcome.error:
        assert outcome.error.startswith(f"fuzz{suffix}")
        assert [_count(database, m) for m in (Document, Passage, Mention)] == before
        assert files_after == files_before
        return
    with database.session() as session:
        doc = get_document(session, outcome.document_id)
    texts = {p.ref: p.text for p in doc.passages}
    assert doc.passages
    for mention in doc.mentions:
        assert texts[mention.passage][mention.start : mention.end] == mention.surface
    assert files_after == files_before + (1 if outcome.created else 0)
