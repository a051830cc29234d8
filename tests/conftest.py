"""Shared fixtures: every database-backed test runs on SQLite and on PostgreSQL.

PostgreSQL comes from ``RCPHUB_TEST_POSTGRES_URL`` (``make test`` starts a throwaway cluster and
sets it). Without it the PostgreSQL half is skipped, except under CI, where that is an error.
Each test session creates its own databases and drops them afterwards.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from rcphub.config import Settings
from rcphub.db import Database
from rcphub.refdata import load_reference_data

BACKENDS = ("sqlite", "postgresql")

# Every Database the tests open, whatever fixture made it: their pools are emptied after each
# test (a disposed engine reconnects when used again), so idle connections never pile up past
# PostgreSQL's max_connections over a long session.
_OPEN_DATABASES: list[Database] = []


class DatabaseFactory:
    """Creates empty databases on one backend and drops them at the end of the session."""

    def __init__(self, backend: str, tmp_dir: Path) -> None:
        self.backend = backend
        self.tmp_dir = tmp_dir
        self.created: list[Database] = []
        self.server_url = os.environ.get("RCPHUB_TEST_POSTGRES_URL")
        self.template_url: str | None = None

    def url(self) -> str:
        name = f"rcphub_t_{uuid.uuid4().hex[:12]}"
        if self.backend == "sqlite":
            return f"sqlite:///{self.tmp_dir / name}.sqlite3"
        if not self.server_url:
            if os.environ.get("CI"):
                pytest.fail("RCPHUB_TEST_POSTGRES_URL is not set: run the tests with `make test`")
            pytest.skip("PostgreSQL tests need RCPHUB_TEST_POSTGRES_URL (make test sets it)")
        admin = create_engine(self.server_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        return make_url(self.server_url).set(database=name).render_as_string(hide_password=False)

    def new(self, *, loaded: bool = True) -> Database:
        """A migrated database of its own; ``loaded`` ones are copies of a template loaded
        once per session (loading the reference data takes seconds, copying it does not)."""
        data_dir = self.tmp_dir / uuid.uuid4().hex[:8]
        url = self._copy_of_template() if loaded else self.url()
        database = Database(Settings(database_url=url, data_dir=data_dir))
        if not loaded:
            database.migrate()
        self.created.append(database)
        _OPEN_DATABASES.append(database)
        return database

    def _copy_of_template(self) -> str:
        if self.template_url is None:
            template = Database(Settings(database_url=self.url(), data_dir=self.tmp_dir))
            template.migrate()
            with template.session() as session:
                load_reference_data(session)
            template.dispose()  # no open connection: SQLite checkpoints, PostgreSQL can copy
            self.template_url = template.engine.url.render_as_string(hide_password=False)
        template = make_url(self.template_url)
        name = f"rcphub_t_{uuid.uuid4().hex[:12]}"
        if self.backend == "sqlite":
            target = self.tmp_dir / f"{name}.sqlite3"
            shutil.copyfile(template.database, target)
            return f"sqlite:///{target}"
        admin = create_engine(self.server_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template.database}"'))
        admin.dispose()
        return template.set(database=name).render_as_string(hide_password=False)

    def close(self) -> None:
        names = []
        for database in self.created:
            names.append(database.engine.url.database)
            database.dispose()
        if self.backend == "postgresql" and self.server_url:
            if self.template_url:
                names.append(make_url(self.template_url).database)
            admin = create_engine(self.server_url, isolation_level="AUTOCOMMIT")
            with admin.connect() as connection:
                for name in dict.fromkeys(names):
                    connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()


@pytest.fixture(autouse=True)
def _release_connections() -> Iterator[None]:
    yield
    for database in _OPEN_DATABASES:
        if database.engine.pool.checkedin():  # type: ignore[attr-defined]
            database.dispose()


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture(scope="session")
def database_factory(
    backend: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[DatabaseFactory]:
    factory = DatabaseFactory(backend, tmp_path_factory.mktemp(f"db-{backend}"))
    yield factory
    factory.close()


@pytest.fixture(scope="session")
def loaded_database(database_factory: DatabaseFactory) -> Database:
    """A database with the reference data, shared by the tests that only read it."""
    return database_factory.new()


@pytest.fixture(scope="session")
def lima_id(loaded_database: Database) -> str:
    """The bundled Lima summary, ingested into the shared database (idempotent, and harmless to
    the tests that only read that database)."""
    from rcphub.bootstrap import ingest_bundled_documents
    from rcphub.documents import list_documents

    ingest_bundled_documents(loaded_database)
    with loaded_database.session() as session:
        _, found = list_documents(session, link="meeting:grcp-2013")
    return next(d.id for d in found if d.filename == "lima-2013-chairs-summary.ru.txt")


@pytest.fixture
def fresh_database(database_factory: DatabaseFactory) -> Database:
    """An empty, migrated database of its own, for tests that write."""
    return database_factory.new(loaded=False)


@pytest.fixture
def session(loaded_database: Database):
    with loaded_database.session() as session:
        yield session


@pytest.fixture(scope="session")
def app(loaded_database: Database):
    from rcphub.app import create_app

    return create_app(loaded_database.settings, database=loaded_database)


@pytest.fixture(scope="session")
def client(app):
    from fastapi.testclient import TestClient

    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def browser():
    """One Chromium for every browser test of the session: Playwright's sync API allows one
    running instance per thread, so test modules must not each start their own."""
    from tests.browser_support import CHROMIUM, CHROMIUM_ARGS

    if not CHROMIUM.exists():
        pytest.fail("Chromium is missing: `make test` installs it (apt package chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()
