"""``RCPHUB_LOG_FORMAT=json``: a real ``rcphub serve`` writes its log as JSON lines on stderr,
requests with their method, path and status."""

from __future__ import annotations

import json
import os

import httpx
import pytest

from rcphub.config import Settings
from rcphub.logs import JsonFormatter, log_config
from tests.app_support import serve_process


def test_the_text_format_stays_uvicorns():
    config = log_config(Settings())
    assert config["formatters"]["access"]["()"] == "uvicorn.logging.AccessFormatter"
    assert log_config(Settings(log_format="json"))["formatters"]["access"]["()"] is JsonFormatter


def test_an_unknown_format_is_refused():
    with pytest.raises(ValueError, match="text or json"):
        Settings(log_format="xml")


def test_serve_logs_json_lines(database_factory, backend):
    if backend != "sqlite":
        pytest.skip("the log format does not depend on the database")
    database = database_factory.new()
    env = {**os.environ, "RCPHUB_LOG_FORMAT": "json"}
    with serve_process(database.settings, env, ready="/processes") as (port, server):
        assert httpx.get(f"http://127.0.0.1:{port}/no/such/page").status_code == 404
        server.terminate()
        _out, err = server.communicate(timeout=30)
    lines = [line for line in err.splitlines() if line.strip()]
    records = [json.loads(line) for line in lines]  # every line of stderr is one JSON object
    requests = {
        (r.get("path"), r.get("status")) for r in records if r["logger"] == "uvicorn.access"
    }
    assert ("/processes", 200) in requests
    assert ("/no/such/page", 404) in requests
    assert all({"time", "level", "logger", "message"} <= set(r) for r in records)
    assert any(
        r["logger"] == "uvicorn.error" and "Uvicorn running" in r["message"] for r in records
    )
