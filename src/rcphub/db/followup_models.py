"""Models of follow-up: recommendations and conclusions of outcome documents as tracked items,
and the dated updates reported on them.

Kept apart from :mod:`rcphub.db.models` (same ``Base``, same metadata) so the domain's tables
read together. An item points at its source passage by document ID and ref (``10.a``), the
citation users see; refs are stable because a stored document never changes.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rcphub.db.models import Base


class FollowupItem(Base):
    """A recommendation or conclusion: *proposed* by detection (or a person), then
    *confirmed* or *rejected* by a person; only confirmed items are followed up."""

    __tablename__ = "followup_items"
    __table_args__ = (UniqueConstraint("document_id", "passage_ref"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[str] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    passage_ref: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(16))  # followup.KINDS: recommendation, decision, ...
    review: Mapped[str] = mapped_column(String(12), index=True)  # proposed|confirmed|rejected
    text: Mapped[str] = mapped_column(Text)
    addressees: Mapped[list[Any]] = mapped_column(default=list)  # state:PER, process:x, org:y
    due_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16))  # of the latest update, else not_started
    progress: Mapped[int] = mapped_column(Integer, default=0)
    detection: Mapped[dict[str, Any] | None] = mapped_column()  # {"score", "reasons"}
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[str] = mapped_column(String(32))
    reviewed_by: Mapped[str | None] = mapped_column(String(80))
    reviewed_at: Mapped[str | None] = mapped_column(String(32))
    visibility: Mapped[str] = mapped_column(String(12), default="public")
    """``public`` or ``restricted`` to the processes of its source document (an item of a
    restricted document is never more visible than its document)."""

    updates: Mapped[list[FollowupUpdate]] = relationship(
        back_populates="item",
        cascade="all, delete-orphan",
        order_by="(FollowupUpdate.date, FollowupUpdate.id)",
    )


class FollowupUpdate(Base):
    """What was reported on an item at a date: status, % progress, a note, evidence (URLs or
    ``document:<id>#<ref>`` passages of the hub)."""

    __tablename__ = "followup_updates"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(
        ForeignKey("followup_items.id", ondelete="CASCADE"), index=True
    )
    date: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16))
    progress: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")
    evidence: Mapped[list[Any]] = mapped_column(default=list)
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[str] = mapped_column(String(32))

    item: Mapped[FollowupItem] = relationship(back_populates="updates")
