"""FastAPI dependencies shared by the JSON API and the pages."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from fastapi import Request
from sqlalchemy.orm import Session

from rcphub.config import Settings
from rcphub.db import Database

if TYPE_CHECKING:
    from rcphub.documents import Ingestor


def get_database(request: Request) -> Database:
    return request.app.state.database


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_session(request: Request) -> Iterator[Session]:
    """A read/write session for one request, committed when the handler succeeds."""
    with request.app.state.database.session() as session:
        yield session


def get_ingestor(request: Request) -> Ingestor:
    """One ingestor per application, so the entity linker is built once."""
    from rcphub.documents import Ingestor

    ingestor = getattr(request.app.state, "ingestor", None)
    if ingestor is None:
        ingestor = request.app.state.ingestor = Ingestor(request.app.state.database)
    return ingestor


ANONYMOUS_ACTOR = "anonymous"


def get_actor(request: Request) -> str:
    """Who is acting, as recorded on follow-up items and updates. There are no accounts yet:
    everyone is ``anonymous``. Authentication and permission checks belong here (and CSRF
    checks in :func:`rcphub.web.followup_routes.read_form`)."""
    return ANONYMOUS_ACTOR
