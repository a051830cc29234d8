"""Settings, declared once.

Every setting has a name, a default and a help text; the CLI (`rcphub settings`), the docs
(docs/settings.md) and a docs test all read :data:`SETTINGS_HELP` so they cannot drift apart.
Nothing here is built at import time: call :func:`load_settings` (or build :class:`Settings`
directly in tests) and pass the object on.
"""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

LANGUAGES: tuple[str, ...] = ("en", "fr", "es", "ru", "ar", "zh")
"""The six official UN languages, in the UN's usual order of listing them in the hub."""

RTL_LANGUAGES = frozenset({"ar"})

HELP_OPTIONS = {"help_option_names": ["-h", "--help"]}
"""click context settings of every command: click keeps a command's help option from its
first use, so a command also run on its own (tests) must say ``-h`` itself."""


def default_data_dir() -> Path:
    """The per-user data directory: ``$XDG_DATA_HOME/rcphub``, else ``~/.local/share/rcphub``
    (so ``make run`` and the ``rcphub`` command find one hub whatever the directory)."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "rcphub"


DEFAULT_DATA_DIR_SHOWN = "$XDG_DATA_HOME/rcphub"
"""How the docs and ``rcphub settings`` show the data directory's default (it depends on the
user)."""


class Settings(BaseSettings):
    """Run-time settings, read from ``RCPHUB_*`` environment variables."""

    model_config = SettingsConfigDict(env_prefix="RCPHUB_", extra="ignore")

    data_dir: Path = Field(
        default_factory=default_data_dir,
        description=(
            "Directory for the embedded SQLite database and stored files. The default is the"
            " same from any working directory: `$XDG_DATA_HOME/rcphub`, else"
            " `~/.local/share/rcphub`."
        ),
    )
    database_url: str | None = Field(
        default=None,
        description=(
            "SQLAlchemy database URL. Empty means a SQLite file `rcphub.sqlite3` in the data"
            " directory; use `postgresql+psycopg://user:pass@host/db` for PostgreSQL."
        ),
    )
    host: str = Field(default="127.0.0.1", description="Address `rcphub serve` listens on.")
    port: int = Field(default=8000, description="Port `rcphub serve` listens on.")
    default_language: str = Field(
        default="en",
        description="Interface language when neither ?lang=, cookie nor Accept-Language decide.",
    )

    public_url: str | None = Field(
        default=None,
        description=(
            "The hub's public address (`https://hub.example.org`): absolute links in Atom"
            " feeds and iCalendar files, and the name in their entry IDs (`tag:` URIs, UIDs)."
            " Empty means the address each request came to."
        ),
    )

    read_cache_entries: int = Field(
        default=2000,
        ge=0,
        description=(
            "Anonymous page and API answers each server process keeps in memory while the data"
            " is unchanged (at most 64 MB); 0 turns the read cache off."
        ),
    )
    log_format: str = Field(
        default="text",
        description=(
            "How `rcphub serve` writes its log: `text` (lines for people) or `json` (one JSON"
            " object a line: time, level, logger, message; requests with method, path, status)."
        ),
    )
    source_store: str = Field(
        default="auto",
        description=(
            "Where the source files of documents are kept: `database` (in the database, so"
            " every node of a PostgreSQL hub serves every source), `directory` (in"
            " RCPHUB_SOURCE_DIR), or `auto`: the database on PostgreSQL, the directory on"
            " SQLite."
        ),
    )
    source_dir: Path | None = Field(
        default=None,
        description=(
            "Directory of the source files when they are kept in a directory; with several"
            " nodes, one that every node reaches. Empty means `files` in the data directory."
        ),
    )
    trusted_proxies: str = Field(
        default="",
        description=(
            "Addresses of the reverse proxies whose X-Forwarded-For and X-Forwarded-Proto are"
            " believed (comma-separated IPs or networks, `*` for any). Empty: none; the"
            " client address is the connection's."
        ),
    )

    max_upload_mb: int = Field(
        default=50, description="Largest document file accepted for ingest, in megabytes."
    )
    max_body_kb: int = Field(
        default=1024,
        ge=1,
        description=(
            "Largest request body accepted, in kilobytes: every form and JSON body. Document"
            " uploads (20 files of RCPHUB_MAX_UPLOAD_MB) and CSV imports (20 MB) have bounds"
            " of their own. A larger body is refused (413) before it is read."
        ),
    )
    max_pages: int = Field(
        default=500, description="Most pages a PDF document may have to be ingested."
    )

    session_hours: int = Field(
        default=336,
        ge=1,
        description="How long a sign-in session lasts, in hours (it can be revoked sooner).",
    )
    secure_cookies: str = Field(
        default="auto",
        description=(
            "Mark the session cookie Secure: `auto` when the request came over https (behind a"
            " proxy, set by uvicorn from X-Forwarded-Proto), `always`, or `never`."
        ),
    )
    sign_in_max_failures: int = Field(
        default=5,
        ge=1,
        description="Wrong passwords in a row that lock an account for the lockout period.",
    )
    sign_in_address_max_failures: int = Field(
        default=20,
        ge=1,
        description="Failed sign-ins from one client address that pause it for the period.",
    )
    sign_in_lockout_minutes: int = Field(
        default=15,
        ge=1,
        description="The period over which sign-in failures count, and how long a lock lasts.",
    )

    webhook_key: str | None = Field(
        default=None,
        description=(
            "Key that encrypts the webhook signing secrets in the database (any long random"
            " text). Empty means a key file `webhook.key` made in the data directory."
        ),
    )
    webhook_max_attempts: int = Field(
        default=12, ge=1, le=100, description="Attempts of a webhook delivery before it fails."
    )
    webhook_backoff_seconds: float = Field(
        default=30.0,
        gt=0,
        description="Wait before the second attempt of a webhook delivery; doubles each time.",
    )
    webhook_backoff_max_seconds: float = Field(
        default=3600.0, gt=0, description="Longest wait between two attempts of a delivery."
    )
    webhook_timeout_seconds: float = Field(
        default=10.0, gt=0, description="How long a webhook receiver has to answer a POST."
    )
    webhook_lease_seconds: float = Field(
        default=120.0,
        gt=0,
        description=(
            "How long a deliverer holds a delivery it claimed; past it (a crash) another"
            " deliverer sends it again."
        ),
    )
    webhook_poll_seconds: float = Field(
        default=5.0, gt=0, description="How often the webhook deliverer looks for due events."
    )
    webhook_deliverer: bool = Field(
        default=True, description="Run the webhook deliverer in a thread of `rcphub serve`."
    )

    smtp_host: str | None = Field(
        default=None,
        description=(
            "SMTP server that sends the e-mail digests (`rcphub digests send`). Empty: no"
            " digest is sent (the command says so)."
        ),
    )
    smtp_port: int = Field(default=25, ge=1, le=65535, description="Port of the SMTP server.")
    smtp_security: str = Field(
        default="none",
        description=(
            "How to reach the SMTP server: `none` (plain, e.g. a local relay), `starttls`"
            " (upgrade, usually port 587) or `ssl` (TLS from the start, usually port 465)."
        ),
    )
    smtp_user: str | None = Field(
        default=None, description="User name for SMTP authentication; empty: none."
    )
    smtp_password: str | None = Field(
        default=None, description="Password for SMTP authentication (never logged)."
    )
    smtp_from: str = Field(
        default="rcphub@localhost",
        description="The From address of the digests (`RCP Hub <hub@example.org>` will do).",
    )
    smtp_timeout: int = Field(
        default=30, ge=1, description="Seconds to wait for the SMTP server before giving up."
    )

    @field_validator("smtp_security")
    @classmethod
    def _smtp_security(cls, value: str) -> str:
        if value not in ("none", "starttls", "ssl"):
            raise ValueError("must be none, starttls or ssl")
        return value

    @field_validator("log_format")
    @classmethod
    def _log_format(cls, value: str) -> str:
        if value not in ("text", "json"):
            raise ValueError("must be text or json")
        return value

    @field_validator("source_store")
    @classmethod
    def _source_store(cls, value: str) -> str:
        if value not in ("auto", "database", "directory"):
            raise ValueError("must be auto, database or directory")
        return value

    @field_validator("secure_cookies")
    @classmethod
    def _cookie_mode(cls, value: str) -> str:
        if value not in ("auto", "always", "never"):
            raise ValueError("must be auto, always or never")
        return value

    @field_validator("default_language")
    @classmethod
    def _known_language(cls, value: str) -> str:
        if value not in LANGUAGES:
            raise ValueError(f"must be one of {', '.join(LANGUAGES)}")
        return value

    @field_validator("public_url")
    @classmethod
    def _absolute_url(cls, value: str | None) -> str | None:
        if not value:
            return None
        from urllib.parse import urlsplit

        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("must be an http:// or https:// address with a host name")
        return value.rstrip("/")

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'rcphub.sqlite3').resolve()}"

    @property
    def files_dir(self) -> Path:
        """Where ingested source files are kept in a directory, named by their SHA-256."""
        return self.source_dir or self.data_dir / "files"

    @property
    def sources_in_database(self) -> bool:
        """Whether source files are kept in the database (``source_store``)."""
        if self.source_store == "auto":
            return self.resolved_database_url.startswith("postgresql")
        return self.source_store == "database"

    @property
    def safe_database_url(self) -> str:
        """The database URL with any password masked, for logs and messages."""
        from sqlalchemy.engine import make_url

        return make_url(self.resolved_database_url).render_as_string(hide_password=True)


SETTINGS_HELP: dict[str, tuple[str, str]] = {
    f"RCPHUB_{name.upper()}": (
        DEFAULT_DATA_DIR_SHOWN
        if name == "data_dir"
        else ("" if field.default is None else str(field.default)),
        field.description or "",
    )
    for name, field in Settings.model_fields.items()
}
"""Environment variable → (default, help), for the CLI help, the docs and their test."""


def load_settings(**overrides: object) -> Settings:
    """Settings from the environment, with explicit overrides (e.g. from CLI options) on top."""
    clean = {key: value for key, value in overrides.items() if value is not None}
    return Settings(**clean)
