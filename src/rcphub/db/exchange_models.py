"""SQLAlchemy models of the exchange: updates published by processes, what users follow,
their delivery preferences, and the digests sent to them.

Timestamps are ISO 8601 strings in UTC with seconds, as in the rest of the schema.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from rcphub.db.models import Base


class ProcessUpdate(Base):
    """News a process publishes: a title and a body in one or more of the six languages
    (``{"en": ..., "fr": ...}``; a language that is missing is missing), links to documents and
    meetings (``document:<id>``, ``meeting:<id>``). ``visibility`` is ``public`` or
    ``restricted`` (the process's members and secretariat); who may read what is decided in
    :mod:`rcphub.accounts.policy`."""

    __tablename__ = "process_updates"
    __table_args__ = (Index("ix_process_updates_process_published", "process_id", "published_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    process_id: Mapped[str] = mapped_column(ForeignKey("bodies.id"))
    titles: Mapped[dict[str, Any]] = mapped_column(default=dict)
    bodies: Mapped[dict[str, Any]] = mapped_column(default=dict)
    links: Mapped[list[Any]] = mapped_column(default=list)
    visibility: Mapped[str] = mapped_column(String(12), default="public", server_default="public")
    published_by: Mapped[str] = mapped_column(String(120))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    published_at: Mapped[str] = mapped_column(String(32), index=True)
    edited_at: Mapped[str | None] = mapped_column(String(32))


class Follow(Base):
    """A subject a user follows: ``process`` (a process ID), ``state`` (ISO3), ``theme``
    (``scheme/code``) or ``search`` (the query string of ``/search``)."""

    __tablename__ = "follows"
    __table_args__ = (UniqueConstraint("user_id", "kind", "target"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    target: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[str] = mapped_column(String(32))


class UserPreference(Base):
    """How a user hears of what they follow: the e-mail address and language of digests, how
    often (``off``, ``daily``, ``weekly``), and when they last looked at "What's new"."""

    __tablename__ = "user_preferences"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    email: Mapped[str | None] = mapped_column(String(254))
    language: Mapped[str | None] = mapped_column(String(2))
    digest: Mapped[str] = mapped_column(String(8), default="off", server_default="off")
    seen_at: Mapped[str | None] = mapped_column(String(32))


class DigestSend(Base):
    """One digest of one user for one period (``daily`` and the UTC date ``2026-11-28``, or
    ``weekly`` and the ISO week ``2026-W48``): ``sent``, ``empty`` (nothing new, no mail) or
    ``failed`` (tried again on the next run). It covers what came in after ``since`` up to
    ``until``."""

    __tablename__ = "digest_sends"
    __table_args__ = (UniqueConstraint("user_id", "period", "period_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    period: Mapped[str] = mapped_column(String(8))
    period_key: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(8))
    since: Mapped[str] = mapped_column(String(32))
    until: Mapped[str] = mapped_column(String(32))
    items: Mapped[int] = mapped_column(Integer, default=0)
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    recipient: Mapped[str | None] = mapped_column(String(254))
    language: Mapped[str | None] = mapped_column(String(2))
    sent_at: Mapped[str | None] = mapped_column(String(32))
    error: Mapped[str | None] = mapped_column(Text)
