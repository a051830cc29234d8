"""Helpers for tests that sign in: users made through the services, clients signed in through
the real sign-in form (with its CSRF token), API tokens."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from rcphub.accounts import SYSTEM
from rcphub.accounts.tokens import create_token
from rcphub.accounts.users import create_user, grant
from rcphub.db import Database

PASSWORD = "a long test password"
CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]+)"')


def make_user(database: Database, username: str, *grants: str, password: str = PASSWORD) -> str:
    """A user with roles given as ``admin``, ``reader`` or ``secretariat@bali-process``."""
    with database.session() as session:
        create_user(session, SYSTEM, username, password)
        for spec in grants:
            role, _, process = spec.partition("@")
            grant(session, SYSTEM, username, role, process or None)
    return username


def make_token(database: Database, username: str, scope: str = "write") -> str:
    with database.session() as session:
        return create_token(session, SYSTEM, username, "tests", scope).secret


def csrf_from(html: str) -> str:
    found = CSRF_INPUT.search(html)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


def sign_in(client: TestClient, username: str, password: str = PASSWORD) -> str:
    """Sign ``client`` in through the form; return the session's CSRF token."""
    page = client.get("/sign-in?lang=en")
    assert page.status_code == 200, page.text
    response = client.post(
        "/sign-in",
        data={"username": username, "password": password, "csrf_token": csrf_from(page.text)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    token = csrf_from(client.get("/account").text)
    client.csrf = token  # type: ignore[attr-defined]
    return token


def signed_in_client(app, username: str, password: str = PASSWORD, **kwargs) -> TestClient:  # type: ignore[no-untyped-def]
    client = TestClient(app, **kwargs)
    client.__enter__()
    sign_in(client, username, password)
    return client
