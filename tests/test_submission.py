"""One upload rule, three faces: the upload page, ``POST /api/v1/documents`` and ``rcphub
ingest`` take the same decision and keep the same file name for the same input, because all
three call :mod:`rcphub.documents.submission`. Each test sends the same input through every
face and fails if one of them decides or names differently. On SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from rcphub.accounts.users import principal_for
from rcphub.app import create_app
from rcphub.bootstrap import ingest_bundled_documents
from rcphub.cli import main
from rcphub.db import Database, Document, Proposal, User
from rcphub.documents import IngestOptions, Ingestor, submission
from rcphub.documents.ingest import SUPPORTED_SUFFIXES
from rcphub.errors import Forbidden, InvalidInput, NotFound
from tests.accounts_support import make_token, make_user, sign_in

HOSTILE = [
    # (the name sent, the name kept): names a file on disk may have too
    ("C:\\Users\\me\\notes.txt", "notes.txt"),
    ("..\\..\\boot.ini.txt", "boot.ini.txt"),
    ("\x1b[31mred\x1b[0m.txt", "[31mred[0m.txt"),  # a terminal escape
    ("report\u202etxt.exe.md", "reporttxt.exe.md"),  # a right-to-left override
    ("  spaced out.txt \t", "spaced out.txt"),
    ("x" * 250 + ".txt", "x" * 200),
    ("résumé du président.txt", "résumé du président.txt"),
    ("<img src=x onerror=alert(1)>.txt", "<img src=x onerror=alert(1)>.txt"),
    ("\u200b\u2066.txt", ".txt"),  # invisible format characters
]
HOSTILE_SENT_ONLY = [
    # names no file on disk has: only the page and the API receive them
    ("../../etc/passwd.txt", "passwd.txt"),
    ("reports/", "upload"),
]


def text(marker: str) -> bytes:
    return (
        f"Declaration\n\n1. Peru and Mexico agree to exchange information ({marker}).\n"
    ).encode()


def doc_id(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def multipart(files: list[tuple[str, bytes]], fields: dict[str, str]) -> tuple[bytes, str]:
    """A multipart body with each file name as its raw UTF-8 bytes (httpx would percent-encode
    control characters, so the server would not see the name the test means)."""
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        )
    body = "".join(parts).encode()
    for filename, data in files:
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="files"; '
            f'filename="{filename}"\r\nContent-Type: text/plain\r\n\r\n'
        )
        body += head.encode() + data + b"\r\n"
    return body + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


@dataclass
class Answer:
    """What a face answered, in its own medium."""

    status: int  # HTTP status, or the CLI's exit code
    text: str


# ---------------------------------------------------------------------------- the faces


def via_page(app, user: str, files, processes=(), visibility: str = "public") -> Answer:
    with TestClient(app, raise_server_exceptions=False) as client:
        sign_in(client, user)
        fields = {"csrf_token": client.csrf}  # type: ignore[attr-defined]
        if visibility == "restricted":
            fields["visibility"] = "restricted"
        body, content_type = multipart(files, fields)
        # the form sends one "process" field per choice: add them by hand
        for process in processes:
            body = _with_field(body, content_type, "process", process)
        response = client.post(
            "/documents/upload?lang=en", content=body, headers={"Content-Type": content_type}
        )
    return Answer(response.status_code, response.text)


def via_api(app, database, user: str, files, processes=(), visibility: str = "public") -> Answer:
    headers = {"Authorization": f"Bearer {make_token(database, user)}"}
    with TestClient(app, headers=headers, raise_server_exceptions=False) as client:
        body, content_type = multipart(files, {"visibility": visibility})
        for process in processes:
            body = _with_field(body, content_type, "process", process)
        response = client.post(
            "/api/v1/documents", content=body, headers={"Content-Type": content_type}
        )
    return Answer(response.status_code, response.text)


def via_cli(
    database: Database, folder: Path, files, processes=(), restricted=False, env=None
) -> Answer:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, data in files:
        path = folder / name
        path.write_bytes(data)
        paths.append(str(path))
    settings = database.settings
    args = ["--database-url", settings.resolved_database_url, "--data-dir", str(settings.data_dir)]
    args += ["ingest", *paths, "--no-tag", "--workers", "1", "--json"]
    for process in processes:
        args += ["--process", process]
    if restricted:
        args.append("--restricted")
    result = CliRunner().invoke(main, args, env=env)
    return Answer(result.exit_code, result.output)


def _with_field(body: bytes, content_type: str, name: str, value: str) -> bytes:
    boundary = content_type.rsplit("=", 1)[1]
    field = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
    return field.encode() + body


def kept_name(database: Database, data: bytes) -> str | None:
    """The name the document of these bytes was stored under (None: not stored)."""
    with database.session() as session:
        return session.scalar(select(Document.filename).where(Document.id == doc_id(data)))


def proposed_name(database: Database, data: bytes) -> str | None:
    digest = hashlib.sha256(data).hexdigest()
    with database.session() as session:
        return session.scalar(select(Proposal.filename).where(Proposal.content_hash == digest))


def count(database: Database, model) -> int:  # type: ignore[no-untyped-def]
    with database.session() as session:
        return session.scalar(select(func.count()).select_from(model))


# ---------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def hub(database_factory) -> Database:
    database = database_factory.new()
    # what `rcphub ingest` does first: a test that counts documents must not count these
    ingest_bundled_documents(database)
    make_user(database, "admin", "admin")
    make_user(database, "sec", "secretariat@bali-process")
    make_user(database, "contrib", "contributor@bali-process")
    return database


@pytest.fixture(scope="module")
def hub_app(hub):
    return create_app(hub.settings, database=hub)


# ---------------------------------------------------------------------------- file names


def test_the_filename_rule():
    for sent, kept in HOSTILE + HOSTILE_SENT_ONLY:
        assert submission.clean_filename(sent) == kept, repr(sent)
    assert submission.clean_filename(None) == "upload"
    assert submission.clean_filename("\x00\x07") == "upload"
    assert submission.clean_filename("a" * 199 + " " + "b") == "a" * 199  # trimmed again


def test_every_face_keeps_the_same_name_for_hostile_names(hub, hub_app, tmp_path):
    def batch(face: str, names: list[tuple[str, str]]) -> list[tuple[str, str, bytes]]:
        return [(sent, kept, text(f"{face} {i}")) for i, (sent, kept) in enumerate(names)]

    page = batch("page", HOSTILE + HOSTILE_SENT_ONLY)
    api = batch("api", HOSTILE + HOSTILE_SENT_ONLY)
    cli = batch("cli", HOSTILE)
    answers = {
        "page": via_page(hub_app, "admin", [(sent, data) for sent, _, data in page]),
        "api": via_api(hub_app, hub, "admin", [(sent, data) for sent, _, data in api]),
        "cli": via_cli(hub, tmp_path / "files", [(sent, data) for sent, _, data in cli]),
    }
    assert (answers["page"].status, answers["api"].status, answers["cli"].status) == (200, 201, 0)
    for face, sent_files in (("page", page), ("api", api), ("cli", cli)):
        for sent, kept, data in sent_files:
            assert kept_name(hub, data) == kept, (face, sent)
    # the page shows the name it kept (escaped), never the one sent
    assert "&lt;img src=x onerror=alert(1)&gt;.txt" in answers["page"].text
    assert "\x1b" not in answers["page"].text
    assert "\x1b" not in answers["api"].text
    assert "\x1b" not in answers["cli"].text


# ---------------------------------------------------------------------------- decisions


REFUSALS = [
    # (user, processes, visibility, what the service raises, page, API status, CLI exit)
    ("sec", ["midsa"], "public", Forbidden, 403, 403, None),
    ("sec", [], "public", Forbidden, 403, 403, None),
    # the policy before the links: no learning which IDs exist without the right to file
    ("sec", ["no-such-process"], "public", Forbidden, 403, 403, None),
    ("admin", ["no-such-process"], "public", NotFound, 422, 404, 3),
    ("admin", [], "restricted", InvalidInput, 422, 422, 2),
    ("contrib", ["bali-process"], "restricted", submission.ProposalNotPublic, 403, 403, None),
]


@pytest.mark.parametrize(
    ("user", "processes", "visibility", "error", "page_status", "api_status", "cli_exit"),
    REFUSALS,
)
def test_every_face_refuses_alike(
    hub, hub_app, tmp_path, user, processes, visibility, error, page_status, api_status, cli_exit
):
    documents, proposals = count(hub, Document), count(hub, Proposal)
    name = f"{user}-{'-'.join(processes)}-{visibility}.txt"
    data = text(name)
    with hub.session() as session:
        account = session.scalars(select(User).where(User.username == user)).one()
        actor = principal_for(session, account, via="token")
    options = IngestOptions(processes=list(processes), actor=actor, visibility=visibility)
    (tmp_path / name).write_bytes(data)
    with pytest.raises(error):  # what `rcphub ingest` calls, as this user
        submission.submit_paths(Ingestor(hub, tag=False), options, [tmp_path / name])
    page = via_page(hub_app, user, [(name, data)], processes, visibility)
    assert page.status == page_status, page.text[-600:]
    assert 'role="alert"' in page.text
    api = via_api(hub_app, hub, user, [(name, data)], processes, visibility)
    assert api.status == api_status, api.text
    if cli_exit is not None:  # the command line acts as the operator, who may file anything
        cli = via_cli(hub, tmp_path / "cli", [(name, data)], processes, visibility == "restricted")
        assert cli.status == cli_exit, cli.text
        assert cli.text.startswith("error: ")
    assert (count(hub, Document), count(hub, Proposal)) == (documents, proposals)


def test_a_restricted_proposal_is_refused_in_words_of_each_face(hub, hub_app):
    data = text("restricted proposal")
    page = via_page(hub_app, "contrib", [("p.txt", data)], ["bali-process"], "restricted")
    assert "A proposal is public" in page.text
    api = via_api(hub_app, hub, "contrib", [("p.txt", data)], ["bali-process"], "restricted")
    assert '"code":"forbidden"' in api.text
    assert "a proposal is public" in api.text


def test_a_public_proposal_keeps_the_same_name_on_every_face(hub, hub_app, tmp_path):
    sent, kept = HOSTILE[2]  # the terminal escape
    page_data, api_data, cli_data = (text(f"proposal via {face}") for face in "pac")
    page = via_page(hub_app, "contrib", [(sent, page_data)], ["bali-process"])
    assert page.status == 200
    assert "proposed for approval" in page.text
    api = via_api(hub_app, hub, "contrib", [(sent, api_data)], ["bali-process"])
    assert api.status == 202
    with hub.session() as session:
        account = session.scalars(select(User).where(User.username == "contrib")).one()
        actor = principal_for(session, account, via="token")
    (tmp_path / sent).write_bytes(cli_data)
    (result,) = submission.submit_paths(
        Ingestor(hub, tag=False),
        IngestOptions(processes=["bali-process"], actor=actor),
        [tmp_path / sent],
    )
    assert result.status == "proposed"
    for data in (page_data, api_data, cli_data):
        assert proposed_name(hub, data) == kept
        assert kept_name(hub, data) is None  # nothing stored before a secretariat approves


def test_more_files_than_an_upload_carries_are_refused(hub, hub_app):
    files = [(f"f{i}.txt", text(f"many {i}")) for i in range(submission.MAX_FILES + 1)]
    before = count(hub, Document)
    page = via_page(hub_app, "admin", files)
    assert page.status == 422
    assert "Send at most 20 files at a time." in page.text
    api = via_api(hub_app, hub, "admin", files)
    assert api.status == 422
    assert "at most 20 files" in api.text
    assert count(hub, Document) == before


# ---------------------------------------------------------------------------- the size limit


@pytest.fixture(scope="module")
def small_hub(database_factory) -> Database:
    """A hub that takes files of 1 MB at most."""
    database = database_factory.new()
    database.settings = database.settings.model_copy(update={"max_upload_mb": 1})
    make_user(database, "admin", "admin")
    return database


def test_a_file_over_the_limit_is_refused_alike(small_hub, tmp_path):
    app = create_app(small_hub.settings, database=small_hub)
    big = b"1. Peru. " * 120_000  # 1.03 MB
    env = {"RCPHUB_MAX_UPLOAD_MB": "1"}
    # alone: not one file stored, so each face says the upload failed
    page = via_page(app, "admin", [("big.txt", big)])
    assert page.status == 422
    assert "The file is larger than the limit of 1 MB." in page.text
    api = via_api(app, small_hub, "admin", [("big.txt", big)])
    assert api.status == 413
    assert '"code":"too_large"' in api.text
    cli = via_cli(small_hub, tmp_path / "alone", [("big.txt", big)], env=env)
    assert cli.status == 1
    assert "big.txt" in cli.text
    assert "1 MB" in cli.text
    assert kept_name(small_hub, big) is None
    # beside a good file: the good one is stored, the big one is listed as refused
    for face in ("page", "api", "cli"):
        good = text(f"good beside a big file, {face}")
        files = [("good.txt", good), ("big.txt", big)]
        if face == "page":
            answer = via_page(app, "admin", files)
            assert answer.status == 200
            assert "The file is larger than the limit of 1 MB." in answer.text
        elif face == "api":
            answer = via_api(app, small_hub, "admin", files)
            assert answer.status == 201  # was 413 with good.txt stored all the same
            assert '"path":"big.txt"' in answer.text
        else:
            answer = via_cli(small_hub, tmp_path / face, files, env=env)
            assert answer.status == 1  # a file failed
            assert "big.txt" in answer.text
        assert kept_name(small_hub, good) == "good.txt", face
    assert kept_name(small_hub, big) is None


def test_the_file_chooser_offers_what_ingest_reads():
    assert set(submission.ACCEPTED_SUFFIXES) == SUPPORTED_SUFFIXES
