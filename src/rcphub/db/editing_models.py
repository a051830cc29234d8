"""The history of what people edit: one row per field changed, written in the transaction of
the change by :func:`rcphub.editing.history.record_changes`.

``entity`` is ``document``, ``process``, ``meeting`` or ``membership``; ``entity_id`` its ID
(a membership's numeric ID as text). ``process_id`` is the process a change concerns, so a
process's history shows the changes of its memberships too. ``field`` is ``*`` for the
creation of a record (``after`` then holds all of it). ``before`` and ``after`` are JSON
values (dates as ISO text). ``reverts`` names the change a revert undid; ``proposed_by`` the
contributor whose proposal the change applied (``actor`` is then who accepted it).

The history is also the marker of who a fact came from: a field with a row here was set by a
person, and ``rcphub load`` of newer bundled data leaves it alone (see
:mod:`rcphub.editing.provenance`).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from rcphub.db.models import Base, JSONType


class EditRecord(Base):
    __tablename__ = "edit_history"
    __table_args__ = (
        Index("ix_edit_history_entity", "entity", "entity_id"),
        Index("ix_edit_history_process", "process_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entity: Mapped[str] = mapped_column(String(16))
    entity_id: Mapped[str] = mapped_column(String(120))
    process_id: Mapped[str | None] = mapped_column(String(80))
    field: Mapped[str] = mapped_column(String(40))
    before: Mapped[Any] = mapped_column(JSONType, nullable=True)
    after: Mapped[Any] = mapped_column(JSONType, nullable=True)
    actor: Mapped[str] = mapped_column(String(120))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[str] = mapped_column(String(32), index=True)
    source: Mapped[str | None] = mapped_column(Text)
    as_of: Mapped[str | None] = mapped_column(String(40))
    reverts: Mapped[int | None] = mapped_column(Integer)
    proposed_by: Mapped[str | None] = mapped_column(String(120))


class FocalPoint(Base):
    """A person to contact about a process: name, function, organisation, e-mail and phone.
    Members-only unless ``public``: seen by the process's members, its secretariat and
    admins. Kept by the secretariat with history (entity ``focal_point``)."""

    __tablename__ = "focal_points"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    process_id: Mapped[str] = mapped_column(ForeignKey("bodies.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    function: Mapped[str | None] = mapped_column(String(300))
    organisation: Mapped[str | None] = mapped_column(String(300))
    email: Mapped[str] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    public: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[str] = mapped_column(String(32))
