"""Every request body is bounded before it is read (``rcphub.bodylimit``), on both databases:
a declared ``Content-Length`` past the bound is refused at once, a body without one (chunked)
as soon as it passes; 413 in the usual shape (the JSON error, the error page), nothing stored.
Forms and JSON bodies have the small bound (``RCPHUB_MAX_BODY_KB``); uploads and CSV imports
keep theirs.

The requests that pass a bound pad a valid body (JSON with blanks, a form with a field no route
reads): without the bound each of them would be accepted and stored.
"""

from __future__ import annotations

import json
import os
import re
import socket
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from urllib.parse import urlencode

import httpx
import pytest
from fastapi import params
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from rcphub.app import body_limits, create_app
from rcphub.db import Database
from rcphub.db.exchange_models import Follow
from rcphub.db.models import Document
from rcphub.documents.submission import request_limit
from rcphub.exchange.updates import MAX_BODY, MAX_TITLE
from tests.accounts_support import make_token, make_user, sign_in
from tests.app_support import app_routes, serve_process
from tests.test_submission import kept_name, multipart, text

BOUND_KB = 64
BOUND = BOUND_KB * 1024
FOLLOW = b'{"kind": "state", "target": "BRA"'


def follow_json(size: int) -> bytes:
    """A valid follow of Brazil, padded with blanks to ``size`` bytes."""
    return FOLLOW + b" " * (size - len(FOLLOW) - 1) + b"}"


def follows(database: Database) -> int:
    with database.session() as session:
        return session.scalar(select(func.count()).select_from(Follow))


def documents(database: Database) -> int:
    with database.session() as session:
        return session.scalar(select(func.count()).select_from(Document))


@dataclass
class Hub:
    database: Database
    app: object
    token: str  # a write token of an admin


@pytest.fixture(scope="module")
def hub(database_factory) -> Hub:
    """A hub whose forms and JSON bodies take 64 KB, and files 1 MB (uploads: 21 MB)."""
    database = database_factory.new()
    database.settings = database.settings.model_copy(
        update={"max_body_kb": BOUND_KB, "max_upload_mb": 1}
    )
    make_user(database, "admin", "admin")
    app = create_app(database.settings, database=database)
    return Hub(database, app, make_token(database, "admin"))


@pytest.fixture
def api(hub: Hub) -> Iterator[TestClient]:
    headers = {"Authorization": f"Bearer {hub.token}", "Content-Type": "application/json"}
    with TestClient(hub.app, headers=headers, raise_server_exceptions=False) as client:
        yield client


def assert_refused_json(response: httpx.Response, bound: str) -> None:
    assert response.status_code == 413, response.text
    assert response.headers["connection"] == "close"
    error = response.json()["error"]
    assert error["code"] == "too_large"
    assert f"{bound} at most" in error["message"]


# ---------------------------------------------------------------------------- JSON API


def test_a_json_body_past_the_bound_is_refused_and_nothing_stored(hub, api):
    before = follows(hub.database)
    response = api.post("/api/v1/follows", content=follow_json(BOUND + 1))
    assert_refused_json(response, "64 KB")
    assert response.headers["content-security-policy"]  # the hub's headers, like any answer
    assert follows(hub.database) == before
    # the same body one byte shorter is at the bound: stored
    stored = api.post("/api/v1/follows", content=follow_json(BOUND))
    assert stored.status_code == 201, stored.text
    assert follows(hub.database) == before + 1


def test_a_declared_length_past_the_bound_is_refused_before_reading(hub, api):
    """Only the header says how large: the body sent is small, and never read."""
    before = follows(hub.database)
    response = api.post(
        "/api/v1/follows",
        content=follow_json(200),
        headers={"Content-Length": str(2 * 2**30)},  # 2 GB
    )
    assert_refused_json(response, "64 KB")
    assert follows(hub.database) == before


def test_a_body_without_a_length_is_counted(hub, api):
    """A chunked body (no Content-Length) past the bound: 413, nothing stored."""
    before = follows(hub.database)
    body = follow_json(BOUND + 4096)
    response = api.post(
        "/api/v1/follows", content=(body[i : i + 4096] for i in range(0, len(body), 4096))
    )
    assert "content-length" not in response.request.headers
    assert_refused_json(response, "64 KB")
    assert follows(hub.database) == before


@pytest.fixture(scope="module")
def default_hub(database_factory) -> Hub:
    """A hub with the default bounds."""
    database = database_factory.new()
    assert database.settings.max_body_kb == 1024
    make_user(database, "admin", "admin")
    return Hub(
        database, create_app(database.settings, database=database), make_token(database, "admin")
    )


def test_the_default_bound_is_a_megabyte(default_hub):
    database = default_hub.database
    headers = {"Authorization": f"Bearer {default_hub.token}", "Content-Type": "application/json"}
    with TestClient(default_hub.app, headers=headers) as client:
        response = client.post("/api/v1/follows", content=follow_json(2**20 + 1))
        assert_refused_json(response, "1 MB")
        assert follows(database) == 0
        assert client.post("/api/v1/follows", content=follow_json(2**20)).status_code == 201
    assert follows(database) == 1


# the letter of each language that costs most to send (UTF-8, percent-encoded or \u-escaped)
COSTLY_LETTERS = {"en": "w", "fr": "é", "es": "ñ", "ru": "ж", "ar": "ض", "zh": "移"}


def test_the_largest_process_update_fits_the_default_bound(default_hub):
    """The largest update a secretariat may publish — a title and a text at their limits in
    each of the six languages, in its costliest letters — passes the default bound, as a form
    (percent-encoded) and as JSON (non-ASCII escaped)."""
    titles = {lang: letter * MAX_TITLE for lang, letter in COSTLY_LETTERS.items()}
    bodies = {lang: letter * MAX_BODY for lang, letter in COSTLY_LETTERS.items()}
    payload = json.dumps({"titles": titles, "bodies": bodies}).encode()  # ensure_ascii
    assert len(payload) > 512 * 1024
    headers = {"Authorization": f"Bearer {default_hub.token}", "Content-Type": "application/json"}
    with TestClient(default_hub.app) as client:
        published = client.post(
            "/api/v1/processes/bali-process/updates", content=payload, headers=headers
        )
        assert published.status_code == 201, published.text[:300]
        fields = {f"title_{lang}": title for lang, title in titles.items()}
        fields |= {f"body_{lang}": body for lang, body in bodies.items()}
        fields["csrf_token"] = sign_in(client, "admin")
        form = urlencode(fields).encode()
        assert len(form) > 512 * 1024
        page = client.post(
            "/processes/bali-process/updates",
            content=form,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            follow_redirects=False,
        )
        assert page.status_code == 303, page.text[:300]


def test_small_requests_are_unaffected(hub, api):
    assert api.post("/api/v1/follows", json={"kind": "state", "target": "PER"}).status_code == 201
    assert api.get("/api/v1/follows").status_code == 200
    with TestClient(hub.app) as client:
        assert client.get("/processes?lang=en").status_code == 200


# ---------------------------------------------------------------------------- pages


def test_a_form_past_the_bound_gets_the_error_page(hub):
    make_user(hub.database, "reader-of-forms")
    before = follows(hub.database)
    with TestClient(hub.app, raise_server_exceptions=False) as client:
        csrf = sign_in(client, "reader-of-forms")
        fields = {"csrf_token": csrf, "kind": "state", "target": "MEX"}
        response = client.post(
            "/follows?lang=fr", data={**fields, "pad": "x" * BOUND}, follow_redirects=False
        )
        assert response.status_code == 413
        assert response.headers["content-type"].startswith("text/html")
        assert "<h1>Trop volumineux</h1>" in response.text  # the error page, in its language
        assert "64 KB at most" in response.text
        assert follows(hub.database) == before
        # the same form without the padding is taken
        taken = client.post("/follows", data=fields, follow_redirects=False)
        assert taken.status_code == 303
    assert follows(hub.database) == before + 1


# ---------------------------------------------------------------------------- uploads


def test_uploads_keep_the_bound_of_their_files(hub):
    """A file just under RCPHUB_MAX_UPLOAD_MB (1 MB) passes the 64 KB bound of other bodies,
    on the page and the API alike."""
    before = documents(hub.database)
    near = 2**20 - 4096
    for face, path, fields, expected in (
        ("api", "/api/v1/documents", {}, 201),
        ("page", "/documents/upload?lang=en", None, 200),
    ):
        data = text(face) + b" " * (near - len(text(face)))
        with TestClient(hub.app, raise_server_exceptions=False) as client:
            if fields is None:
                fields = {"csrf_token": sign_in(client, "admin")}
            else:
                client.headers["Authorization"] = f"Bearer {hub.token}"
            body, content_type = multipart([(f"{face}.txt", data)], fields)
            assert BOUND < len(body) < 2**20
            response = client.post(path, content=body, headers={"Content-Type": content_type})
        assert response.status_code == expected, (face, response.text[:500])
    assert documents(hub.database) == before + 2


def test_an_upload_past_its_bound_is_refused_without_reading(hub, api):
    limit = request_limit(hub.database.settings)  # 20 files of 1 MB and a megabyte of fields
    body, content_type = multipart([("a.txt", text("declared too large"))], {})
    response = api.post(
        "/api/v1/documents",
        content=body,
        headers={"Content-Type": content_type, "Content-Length": str(limit + 1)},
    )
    assert_refused_json(response, "21 MB")
    assert kept_name(hub.database, text("declared too large")) is None


def test_a_page_upload_streamed_past_its_bound_gets_the_error_page(hub):
    """The upload form sent chunked (no length), 22 MB: counted, refused when it passes 21 MB
    (the page, the error page's 413), nothing stored."""
    data = text("streamed too large") + b" " * (22 * 2**20)
    with TestClient(hub.app, raise_server_exceptions=False) as client:
        body, content_type = multipart(
            [("big.txt", data)], {"csrf_token": sign_in(client, "admin")}
        )
        pieces = (body[i : i + 2**20] for i in range(0, len(body), 2**20))
        response = client.post(
            "/documents/upload?lang=en", content=pieces, headers={"Content-Type": content_type}
        )
    assert "content-length" not in response.request.headers
    assert response.status_code == 413
    assert "<h1>Too large</h1>" in response.text
    assert "21 MB at most" in response.text
    assert kept_name(hub.database, data) is None


def test_a_csv_import_keeps_its_20_mb(hub, api):
    """A CSV import is read (its rows are checked: 422 with the lines) well past 64 KB."""
    rows = "".join(f"nope{n:012d},{n},text\r\n" for n in range(5000))  # ~120 KB
    body = ("document,ref,text\r\n" + rows).encode()
    assert len(body) > BOUND
    response = api.post(
        "/api/v1/followup/items.csv", content=body, headers={"Content-Type": "text/csv"}
    )
    assert response.status_code == 422, response.text[:300]
    assert "line 2" in response.json()["error"]["message"]
    declared = api.post(
        "/api/v1/followup/items.csv",
        content=body,
        headers={"Content-Type": "text/csv", "Content-Length": str(20 * 2**20 + 1)},
    )
    assert_refused_json(declared, "20 MB")


def test_every_route_that_takes_files_has_the_bound_of_an_upload(hub):
    """A route with a File parameter is in the table of larger bounds, and every entry of that
    table is a route of the app (a renamed route would fall back to the small bound)."""
    limits = body_limits(hub.database.settings)
    routes = set()
    for path, original in app_routes(hub.app.routes):
        for method in getattr(original, "methods", None) or ():
            routes.add((method, path))
            dependant = getattr(original, "dependant", None)
            if dependant is None:
                continue
            takes_files = any(
                isinstance(field.field_info, params.File) for field in _body_params(dependant)
            )
            if takes_files:
                assert limits.limit(method, path) >= request_limit(hub.database.settings), path
    assert set(limits.routes) <= routes, set(limits.routes) - routes


def _body_params(dependant):  # type: ignore[no-untyped-def]
    yield from dependant.body_params
    for sub in dependant.dependencies:
        yield from _body_params(sub)


# ---------------------------------------------------------------------------- a real server


@pytest.fixture(scope="module")
def served(hub) -> Iterator[int]:
    """``rcphub serve`` on the hub's database, with the 64 KB bound, on a free port."""
    env = {**os.environ, "RCPHUB_MAX_BODY_KB": str(BOUND_KB)}
    with serve_process(hub.database.settings, env) as (port, _server):
        yield port


def exchange(port: int, head: bytes, chunks: Iterable[bytes] = ()) -> bytes:
    """Send ``head`` and ``chunks`` on one connection, then read until the server closes it
    (at most 30 s: a server that waited for the rest of the body would time out here)."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(head)
        for chunk in chunks:
            sock.sendall(chunk)
        answer = b""
        while data := sock.recv(65536):
            answer += data
    return answer


def request_head(port: int, path: str, token: str, *extra: str) -> bytes:
    lines = [
        f"POST {path} HTTP/1.1",
        f"Host: 127.0.0.1:{port}",
        f"Authorization: Bearer {token}",
        "Content-Type: application/json",
        *extra,
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def test_a_real_server_refuses_a_chunked_body_as_it_passes_the_bound(hub, served):
    """Chunks a little past the bound, and never the last chunk: the server answers 413 and
    closes without waiting for the rest."""
    before = follows(hub.database)
    body = follow_json(BOUND + 16 * 1024)
    chunks = (
        b"%x\r\n%s\r\n" % (len(piece), piece)
        for piece in (body[i : i + 8192] for i in range(0, len(body), 8192))
    )
    head = request_head(served, "/api/v1/follows", hub.token, "Transfer-Encoding: chunked")
    answer = exchange(served, head, chunks)
    status, _, rest = answer.partition(b"\r\n")
    assert status.startswith(b"HTTP/1.1 413"), answer[:500]
    assert re.search(rb"(?i)\r\nconnection: close\r\n", rest)
    assert b'"code":"too_large"' in answer
    assert follows(hub.database) == before


def test_a_real_server_refuses_a_declared_length_at_once(hub, served):
    """Two gigabytes announced (with Expect: 100-continue), not a byte sent: 413 at once, no
    "100 Continue" first."""
    head = request_head(
        served,
        "/api/v1/follows",
        hub.token,
        f"Content-Length: {2 * 2**30}",
        "Expect: 100-continue",
    )
    started = time.monotonic()
    answer = exchange(served, head)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:500]
    assert time.monotonic() - started < 10
