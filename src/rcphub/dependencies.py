"""FastAPI dependencies shared by the JSON API and the pages."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import TYPE_CHECKING

from fastapi import FastAPI, Request
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from rcphub.config import Settings
from rcphub.db import Database

if TYPE_CHECKING:
    from rcphub.documents import Ingestor

log = logging.getLogger(__name__)


def get_database(request: Request) -> Database:
    return request.app.state.database


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_session(request: Request) -> Iterator[Session]:
    """A read/write session for one request, committed when the handler succeeds. Routes
    depend on it with ``scope="function"``, so the commit happens before the answer is sent:
    a client never gets 201 for a write that is not committed yet, or whose commit fails. A request
    that writes (POST, PUT, PATCH, DELETE) holds a writer's transaction
    (:meth:`Database.write_session`: on SQLite it waits for the write lock at its start
    rather than failing with "database is locked" at its first write)."""
    database = request.app.state.database
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        with database.write_session() as session:
            yield session
        return
    # A read may write on the side (the search queue it applied). On SQLite such a commit
    # fails at once when another writer committed since the read began; the side writes are
    # dropped then (they are redone later, and change nothing twice), not the answer.
    session = database.sessionmaker()
    try:
        try:
            yield session
        except BaseException:
            session.rollback()
            raise
        try:
            session.commit()
        except OperationalError as error:
            session.rollback()
            if not (database.is_sqlite and "locked" in str(error.orig)):
                raise
            log.info("%s: side writes of a read dropped (database locked)", request.url.path)
    finally:
        session.close()


def get_ingestor(request: Request) -> Ingestor:
    """One ingestor per application, so the entity linker is built once."""
    return app_ingestor(request.app)


def app_ingestor(app: FastAPI) -> Ingestor:
    """The application's ingestor; its theme tagger shares the search service's embedding
    model (one copy in memory)."""
    from rcphub.documents import Ingestor

    ingestor = getattr(app.state, "ingestor", None)
    if ingestor is None:
        search = getattr(app.state, "search", None)
        embedder = search.embedder.inner if search is not None else None
        ingestor = app.state.ingestor = Ingestor(
            app.state.database,
            embedder=embedder,
            # while `rcphub serve` runs the background indexer, it tags what an upload stores
            # (before its next round): no request runs the model
            defer_tagging=lambda: app.state.indexer.state.running,
        )
    return ingestor
