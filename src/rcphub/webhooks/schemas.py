"""What the webhook services return (plain dataclasses) and the envelopes of the JSON API's
answers about webhooks (models, so that the OpenAPI document describes them)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel


@dataclass(frozen=True)
class SubscriptionOut:
    id: int
    url: str
    description: str | None
    event_types: list[str]
    process: str | None
    state: str | None
    secret_hint: str
    active: bool
    created_by: str
    created_at: str
    removed_at: str | None
    pending: int = 0
    failed: int = 0


@dataclass(frozen=True)
class NewSubscription:
    """A subscription just made, with its secret: the only time the secret is shown."""

    subscription: SubscriptionOut
    secret: str


@dataclass(frozen=True)
class AttemptOut:
    number: int
    started_at: str
    status_code: int | None
    error: str | None
    duration_ms: int


@dataclass(frozen=True)
class DeliveryOut:
    id: str
    subscription_id: int
    event_id: str
    event_type: str
    occurred_at: str
    status: str
    attempts: int
    next_attempt_at: str | None
    last_status: int | None
    last_error: str | None
    delivered_at: str | None
    attempt_log: list[AttemptOut] | None = None
    body: dict[str, Any] | None = None


class WebhookList(BaseModel):
    """``GET /api/v1/webhooks``."""

    webhooks: list[SubscriptionOut]


class CreatedWebhook(BaseModel):
    """``POST /api/v1/webhooks``: the webhook and its secret, shown this once."""

    webhook: SubscriptionOut
    secret: str


class RemovedWebhook(BaseModel):
    """``DELETE /api/v1/webhooks/{id}``."""

    removed: int


class DeliveryList(BaseModel):
    """``GET /api/v1/webhooks/deliveries``."""

    deliveries: list[DeliveryOut]
