"""SQLAlchemy models of webhooks: subscriptions, the outbox of deliveries, and the attempts.

The outbox is :class:`WebhookDelivery`: one row per (event, subscription that wants it),
written in the transaction of the change the event describes, so an event exists if and only
if its change was committed. The body is kept as the exact bytes that are signed and sent, so a
redelivery sends the same body with the same signature.

Times that the deliverer compares (``next_attempt_at``, ``lease_until``) are ISO 8601 in UTC
with microseconds (``2026-11-28T10:00:00.000000+00:00``): one fixed width, so they sort and
compare as text on both engines, and backoffs shorter than a second stay exact.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from rcphub.db.models import Base


class WebhookSubscription(Base):
    """A target URL that receives events of some types, optionally only those about one
    process or one state. ``secret_sealed`` is the signing secret encrypted with the hub's
    webhook key (:mod:`rcphub.webhooks.secrets`); the secret itself is shown once."""

    __tablename__ = "webhook_subscriptions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(String(2000))
    description: Mapped[str | None] = mapped_column(String(200))
    event_types: Mapped[list[Any]] = mapped_column(default=list)
    process_id: Mapped[str | None] = mapped_column(ForeignKey("bodies.id"))
    state_iso3: Mapped[str | None] = mapped_column(ForeignKey("states.iso3"))
    secret_sealed: Mapped[str] = mapped_column(String(400))
    secret_hint: Mapped[str] = mapped_column(String(12))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[str] = mapped_column(String(32))
    removed_at: Mapped[str | None] = mapped_column(String(32))


class WebhookDelivery(Base):
    """One event for one subscription: the outbox row, then its delivery state.

    ``status``: ``pending`` (waiting for ``next_attempt_at``), ``delivering`` (claimed by a
    deliverer until ``lease_until``; past it, any deliverer may claim it again), ``delivered``
    or ``failed`` (gave up after the most attempts). ``id`` is the ``X-Rcphub-Delivery``
    header: stable across retries and redeliveries, for the receiver to deduplicate."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (Index("ix_webhook_deliveries_due", "status", "next_attempt_at"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    subscription_id: Mapped[int] = mapped_column(
        ForeignKey("webhook_subscriptions.id", ondelete="CASCADE"), index=True
    )
    event_id: Mapped[str] = mapped_column(String(36), index=True)
    event_type: Mapped[str] = mapped_column(String(60))
    occurred_at: Mapped[str] = mapped_column(String(32))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[str] = mapped_column(String(40))
    lease_until: Mapped[str | None] = mapped_column(String(40))
    lease_owner: Mapped[str | None] = mapped_column(String(36))
    last_status: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(String(500))
    delivered_at: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[str] = mapped_column(String(40))


class WebhookAttempt(Base):
    """One POST of a delivery: when, the HTTP status (None: no answer), the error, how long."""

    __tablename__ = "webhook_attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    delivery_id: Mapped[str] = mapped_column(
        ForeignKey("webhook_deliveries.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[str] = mapped_column(String(40))
    status_code: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(String(500))
    duration_ms: Mapped[int] = mapped_column(Integer)
