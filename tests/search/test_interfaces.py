"""The thin skins: ``GET /api/v1/search`` and ``rcphub search`` / ``rcphub reindex`` print the
same JSON; bad input is a 422 / exit 2 with a message, never a 500 or a traceback."""

from __future__ import annotations

import json
from types import SimpleNamespace

import click
import pytest
from click.testing import CliRunner

from rcphub.api.search import router
from rcphub.cli.search import reindex_command, search_command
from rcphub.search import SearchService
from rcphub.search.indexer import BackgroundIndexer

from .conftest import Doc, store

DOC = Doc(
    "eeee000000000001",
    "es",
    [("1", "La movilidad laboral y los derechos de los trabajadores migrantes.")],
    mentions={"1": ["state:PER"]},
)


@pytest.fixture(scope="module")
def setup(database_factory, embedder):  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    from rcphub.app import create_app

    database = database_factory.new()
    with database.session() as session:
        store(session, [DOC])
    app = create_app(database.settings, database=database)
    app.state.search = SearchService.from_settings(database.settings, embedder)
    app.include_router(router, prefix="/api/v1")
    BackgroundIndexer(database, app.state.search).catch_up()  # what `serve` does in a thread
    group = click.Group("rcphub", commands=[search_command, reindex_command])
    obj = SimpleNamespace(settings=database.settings, database=database)
    with TestClient(app) as client:
        yield client, group, obj


def test_api_and_cli_print_the_same_json(setup) -> None:  # type: ignore[no-untyped-def]
    client, group, obj = setup
    response = client.get(
        "/api/v1/search", params={"q": "movilidad", "mode": "keyword", "state": "PER"}
    )
    assert response.status_code == 200
    payload = response.json()
    assert payload["total"] == 1
    hit = payload["hits"][0]
    assert {"document", "ref", "language", "text", "score", "highlight", "citation"} <= set(hit)
    assert "<mark>movilidad</mark>" in hit["highlight"]
    assert set(payload["facets"]) == {
        "process", "state", "org", "theme", "language", "type", "year"
    }  # fmt: skip
    result = CliRunner().invoke(
        group, ["search", "movilidad", "--mode", "keyword", "--state", "PER", "--json"], obj=obj
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == payload


def test_text_output_and_reindex(setup) -> None:  # type: ignore[no-untyped-def]
    _client, group, obj = setup
    result = CliRunner().invoke(group, ["search", "trabajadores", "--mode", "keyword"], obj=obj)
    assert result.exit_code == 0, result.output
    assert "1 passages" in result.output
    assert f"/documents/{DOC.id}#p-1" in result.output
    result = CliRunner().invoke(group, ["reindex"], obj=obj)
    assert result.exit_code == 0, result.output
    assert "indexed 1 passages" in result.output


@pytest.mark.parametrize(
    "params",
    [
        {"q": "lang:xx"},
        {"q": "year:soon"},
        {"mode": "fuzzy"},
        {"limit": "0"},
        {"state": "Peru"},
        {"q": "x" * 2001},
    ],
)
def test_bad_input_is_a_clear_422(setup, params) -> None:  # type: ignore[no-untyped-def]
    client, _group, _obj = setup
    response = client.get("/api/v1/search", params=params)
    assert response.status_code == 422
    assert response.json()["error"]["message"]


def test_cli_refuses_bad_syntax(setup) -> None:  # type: ignore[no-untyped-def]
    _client, group, obj = setup
    result = CliRunner().invoke(group, ["search", "year:abc"], obj=obj)
    assert result.exit_code == 2
    assert "error: year:abc is not a year" in result.output
