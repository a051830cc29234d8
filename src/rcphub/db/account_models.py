"""SQLAlchemy models of accounts, roles, sessions, API tokens, sign-in attempts, proposals and
the audit log.

Timestamps are ISO 8601 strings in UTC with seconds (``2026-11-28T10:00:00+00:00``), as in the
rest of the schema: they sort and compare as text on both engines. Secrets are never stored:
sessions and tokens are kept as the SHA-256 of the random value the client holds, passwords as
argon2id hashes.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from rcphub.db.models import Base


class User(Base):
    """A person who signs in. Users are deactivated, never deleted, so the audit log keeps
    pointing at them."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str | None] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[str] = mapped_column(String(32))
    password_changed_at: Mapped[str] = mapped_column(String(32))


class RoleGrant(Base):
    """A role held by a user: ``admin`` and ``reader`` hub-wide, ``secretariat`` and
    ``contributor`` for one process (``process_id``); ``reader`` may name a process too (a
    member of it, for the member-only content still to come)."""

    __tablename__ = "role_grants"
    __table_args__ = (UniqueConstraint("user_id", "role", "process_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    process_id: Mapped[str | None] = mapped_column(ForeignKey("bodies.id"))
    granted_at: Mapped[str] = mapped_column(String(32))


class UserSession(Base):
    """A signed-in browser. ``id`` is the SHA-256 of the cookie value; the CSRF token of every
    form of the session is ``csrf_token``."""

    __tablename__ = "user_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[str] = mapped_column(String(32))
    expires_at: Mapped[str] = mapped_column(String(32))
    last_seen_at: Mapped[str] = mapped_column(String(32))
    revoked_at: Mapped[str | None] = mapped_column(String(32))
    address: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(200))


class ApiToken(Base):
    """A token for machines: ``Authorization: Bearer rcp_…``. ``token_hash`` is the SHA-256 of
    the token, which is shown once, when it is created."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))
    scope: Mapped[str] = mapped_column(String(10))  # read | write
    created_at: Mapped[str] = mapped_column(String(32))
    last_used_at: Mapped[str | None] = mapped_column(String(32))
    revoked_at: Mapped[str | None] = mapped_column(String(32))


class SignInAttempt(Base):
    """One attempt to sign in, for the per-account lockout and the per-address limit."""

    __tablename__ = "sign_in_attempts"
    __table_args__ = (
        Index("ix_sign_in_attempts_username_at", "username", "at"),
        Index("ix_sign_in_attempts_address_at", "address", "at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64))
    address: Mapped[str] = mapped_column(String(64))
    at: Mapped[str] = mapped_column(String(32))
    succeeded: Mapped[bool] = mapped_column(Boolean)


class Proposal(Base):
    """A change proposed by a contributor, waiting for a secretariat of its processes (or an
    admin) to approve or reject it: a document to ingest (``kind`` ``document``, its file kept
    in ``content`` until the decision), or a change to the
    registry (``kind`` ``process.edit``, ``membership.add``, ``membership.edit``,
    ``membership.end``, ``meeting.create``, ``meeting.edit``, ``document.edit``: ``target``
    names the record, ``changes`` holds the fields as the editing service takes them,
    ``comment`` the contributor's why). ``note`` is the reason of a rejection."""

    __tablename__ = "proposals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # document | process.edit | membership.add…
    status: Mapped[str] = mapped_column(String(12), index=True)  # pending|approved|rejected
    proposed_by: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    proposed_at: Mapped[str] = mapped_column(String(32))
    filename: Mapped[str | None] = mapped_column(String(255))
    content_hash: Mapped[str | None] = mapped_column(String(64))
    target: Mapped[str | None] = mapped_column(String(140))
    changes: Mapped[dict[str, Any] | None] = mapped_column(nullable=True)
    comment: Mapped[str | None] = mapped_column(Text)
    processes: Mapped[list[Any]] = mapped_column(default=list)
    meetings: Mapped[list[Any]] = mapped_column(default=list)
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[str | None] = mapped_column(String(32))
    document_id: Mapped[str | None] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(Text)
    content: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True, deferred=True)
    """The proposed file's bytes, written with the proposal (so every node of the hub can
    approve it) and cleared once it is decided. A proposal made before they were kept has
    its file under ``<data_dir>/proposals``."""


class AuditEntry(Base):
    """One change: who (``actor``, and ``user_id`` when a user), what (``action``), when, on
    which object, with details. Written in the transaction of the change it records."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_object", "object_type", "object_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[str] = mapped_column(String(32), index=True)
    actor: Mapped[str] = mapped_column(String(120))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    action: Mapped[str] = mapped_column(String(60), index=True)
    object_type: Mapped[str] = mapped_column(String(30))
    object_id: Mapped[str | None] = mapped_column(String(120))
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
    address: Mapped[str | None] = mapped_column(String(64))


class Invitation(Base):
    """An invitation to open an account with a role: a link ``/invitations/<token>`` that
    works once, until ``expires_at``. Only the SHA-256 of the token is kept. ``process_id``
    is the process of the role (none for an admin or a hub-wide reader)."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    email: Mapped[str | None] = mapped_column(String(254))
    role: Mapped[str] = mapped_column(String(20))
    process_id: Mapped[str | None] = mapped_column(ForeignKey("bodies.id"))
    created_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[str] = mapped_column(String(32))
    expires_at: Mapped[str] = mapped_column(String(32))
    used_at: Mapped[str | None] = mapped_column(String(32))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    revoked_at: Mapped[str | None] = mapped_column(String(32))


class PasswordReset(Base):
    """A one-time link ``/password-reset/<token>`` an admin made for a user; only the SHA-256
    of the token is kept. Used once, or expired, it no longer works."""

    __tablename__ = "password_resets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[str] = mapped_column(String(32))
    expires_at: Mapped[str] = mapped_column(String(32))
    used_at: Mapped[str | None] = mapped_column(String(32))
