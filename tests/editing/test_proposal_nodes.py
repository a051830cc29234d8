"""A proposed document is kept in the database, not in the data directory of the node that
took it: another node of the hub (another data directory, the same database) approves it, and
nothing is left behind once it is decided. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import json

from click.testing import CliRunner
from fastapi.testclient import TestClient
from sqlalchemy import select

from rcphub.app import create_app
from rcphub.cli import main
from rcphub.db import Document, Proposal
from rcphub.documents import proposals
from tests.accounts_support import make_token, make_user

NOTE = b"Note of the meeting\n\n1. Participants discussed seasonal workers in the region.\n"


def propose(database) -> int:  # type: ignore[no-untyped-def]
    """A contributor of MIDSA proposes a note through the API; the proposal's ID."""
    make_user(database, "contrib", "contributor@midsa")
    headers = {"Authorization": f"Bearer {make_token(database, 'contrib')}"}
    with TestClient(create_app(database.settings, database=database)) as client:
        made = client.post(
            "/api/v1/documents",
            headers=headers,
            files=[("files", ("note.en.txt", NOTE, "text/plain"))],
            data={"process": "midsa"},
        )
    assert made.status_code == 202, made.text
    with database.session() as session:
        return session.scalars(select(Proposal.id).order_by(Proposal.id.desc())).first()


def test_a_document_proposed_on_one_node_is_approved_on_another(database_factory, tmp_path):  # type: ignore[no-untyped-def]
    database = database_factory.new()
    pid = propose(database)  # through node A
    assert not any(p.is_file() for p in database.settings.data_dir.glob("proposals/**/*"))

    node_b = tmp_path / "node-b"
    approved = CliRunner().invoke(
        main,
        [
            *("--database-url", database.settings.database_url, "--data-dir", str(node_b)),
            *("proposals", "approve", str(pid), "--json"),
        ],
    )
    assert approved.exit_code == 0, approved.output
    document_id = json.loads(approved.output)["document_id"]
    with database.session() as session:
        assert session.get(Document, document_id) is not None
        assert session.get(Proposal, pid).content is None  # decided: the bytes are not kept


def test_a_proposal_made_before_keeps_its_file_on_the_node_and_is_approved(database_factory):  # type: ignore[no-untyped-def]
    """Proposals made before the bytes were kept in the database have them under
    ``<data_dir>/proposals``: approved from there, and the file goes with the decision."""
    database = database_factory.new()
    pid = propose(database)
    with database.session() as session:
        proposal = session.get(Proposal, pid)
        content_hash = proposal.content_hash
        proposal.content = None  # as migration 0015 left it
    legacy = proposals.legacy_store(database)
    legacy.put(content_hash, NOTE)
    assert legacy.get(content_hash) == NOTE
    approved = CliRunner().invoke(
        main,
        [
            *("--database-url", database.settings.database_url),
            *("--data-dir", str(database.settings.data_dir)),
            *("proposals", "approve", str(pid), "--json"),
        ],
    )
    assert approved.exit_code == 0, approved.output
    assert not any(p.is_file() for p in database.settings.data_dir.glob("proposals/**/*"))
