"""`rcphub backup` and `rcphub restore` as a round trip on both databases: a hub with a
document, its source file and an account is backed up, restored into another database and data
directory, and serves the same document, source and search hit there; bad archives and a
database that would be overwritten are refused."""

from __future__ import annotations

import io
import json
import tarfile

from click.testing import CliRunner
from fastapi.testclient import TestClient

from rcphub.cli import main
from rcphub.db import Database
from rcphub.documents import IngestOptions, Ingestor
from tests.accounts_support import make_user

TEXT = (
    "Quillabamba consultation on seasonal labour mobility\n\n"
    "1. The participants agreed to share data on seasonal workers crossing the border.\n"
)
SOURCE_NAME = "quillabamba.en.txt"


def run(database: Database, *args: str, code: int = 0) -> str:
    settings = database.settings
    base = ["--database-url", settings.resolved_database_url, "--data-dir", str(settings.data_dir)]
    result = CliRunner().invoke(main, [*base, *args])
    assert result.exit_code == code, result.output
    return result.output


def test_round_trip(database_factory, tmp_path, backend):
    source = database_factory.new()
    outcome = Ingestor(source).ingest_bytes(
        TEXT.encode(), SOURCE_NAME, IngestOptions(processes=["bali-process"])
    )
    assert outcome.error is None, outcome.error
    document = outcome.document_id
    make_user(source, "keeper", "secretariat@bali-process")
    archive = tmp_path / "hub.tar.gz"

    summary = json.loads(run(source, "backup", str(archive), "--json"))
    assert summary["counts"]["documents"] >= 1
    assert summary["counts"]["users"] == 1
    # source files: on SQLite in the data directory (so in the archive's files/), on
    # PostgreSQL in the database (so in its dump)
    assert (summary["files"] >= 1) is (backend == "sqlite")
    with tarfile.open(archive) as opened:
        names = opened.getnames()
    assert "manifest.json" in names
    assert any(name.startswith("database.") for name in names)

    # the source hub holds documents: restoring over it needs --replace
    refused = run(source, "restore", str(archive), code=2)
    assert "--replace" in refused

    target = database_factory.new()
    assert not (target.settings.data_dir / "files").exists()
    target.dispose()
    restored = json.loads(run(target, "restore", str(archive), "--json"))
    assert restored["counts"] == summary["counts"]

    from rcphub.app import create_app

    fresh = Database(target.settings)
    run(fresh, "index")  # the search index is rebuilt from the restored database
    try:
        with TestClient(create_app(fresh.settings, database=fresh)) as client:
            shown = client.get(f"/api/v1/documents/{document}")
            assert shown.status_code == 200, shown.text
            assert shown.json()["filename"] == SOURCE_NAME
            file = client.get(f"/documents/{document}/source")
            assert file.status_code == 200
            assert file.content == TEXT.encode()
            found = client.get("/api/v1/search", params={"q": "Quillabamba", "mode": "keyword"})
            assert document in {hit["document"] for hit in found.json()["hits"]}
        assert "keeper" in run(fresh, "users", "list")
    finally:
        fresh.dispose()


def test_bad_archives_are_refused(database_factory, tmp_path, backend):
    database = database_factory.new()
    garbage = tmp_path / "garbage.tar.gz"
    garbage.write_bytes(b"not a tar at all")
    assert "not an rcphub backup" in run(database, "restore", str(garbage), code=2)
    assert "no such file" in run(database, "restore", str(tmp_path / "missing.tar.gz"), code=2)

    other = "postgresql" if backend == "sqlite" else "sqlite"
    wrong = tmp_path / "wrong.tar.gz"
    manifest = json.dumps({"format": 1, "backend": other, "counts": {}}).encode()
    with tarfile.open(wrong, "w:gz") as archive:
        info = tarfile.TarInfo("manifest.json")
        info.size = len(manifest)
        archive.addfile(info, io.BytesIO(manifest))
    assert f"backup is of a {other} database" in run(database, "restore", str(wrong), code=2)
    # nothing was written: the hub is as it was
    assert not (database.settings.data_dir / "files").exists()
