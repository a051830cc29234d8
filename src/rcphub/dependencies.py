"""FastAPI dependencies shared by the JSON API and the pages."""

from __future__ import annotations

from collections.abc import Iterator

from fastapi import Request
from sqlalchemy.orm import Session

from rcphub.config import Settings
from rcphub.db import Database


def get_database(request: Request) -> Database:
    return request.app.state.database


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_session(request: Request) -> Iterator[Session]:
    """A read/write session for one request, committed when the handler succeeds."""
    with request.app.state.database.session() as session:
        yield session
