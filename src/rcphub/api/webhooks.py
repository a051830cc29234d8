"""JSON routes of webhooks under /api/v1/webhooks: register, list, remove, the delivery log,
redelivery. Admins manage every webhook; a secretariat those filtered to its processes."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from rcphub.config import Settings
from rcphub.dependencies import get_session, get_settings
from rcphub.security import CurrentPrincipal
from rcphub.webhooks import service
from rcphub.webhooks.schemas import (
    CreatedWebhook,
    DeliveryList,
    DeliveryOut,
    RemovedWebhook,
    WebhookList,
)

router = APIRouter(tags=["webhooks"])
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
SettingsDep = Annotated[Settings, Depends(get_settings)]


class NewWebhook(BaseModel):
    url: str = Field(max_length=2000)
    events: list[Annotated[str, Field(max_length=60)]] = Field(default_factory=list, max_length=20)
    process: str | None = Field(default=None, max_length=80)
    state: str | None = Field(default=None, max_length=3)
    description: str | None = Field(default=None, max_length=200)


@router.get("/webhooks", summary="Webhooks the caller manages")
def list_webhooks(
    session: SessionDep, principal: CurrentPrincipal, removed: bool = False
) -> WebhookList:
    found = service.list_subscriptions(session, principal, include_removed=removed)
    return WebhookList(webhooks=found)


@router.post("/webhooks", status_code=201, summary="Register a webhook (its secret, once)")
def add_webhook(
    body: NewWebhook, session: SessionDep, settings: SettingsDep, principal: CurrentPrincipal
) -> CreatedWebhook:
    made = service.add_subscription(
        session,
        settings,
        principal,
        body.url,
        event_types=body.events,
        process=body.process,
        state=body.state,
        description=body.description,
    )
    return CreatedWebhook(webhook=made.subscription, secret=made.secret)


@router.delete("/webhooks/{webhook_id}", summary="Remove a webhook")
def remove_webhook(
    webhook_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
    session: SessionDep,
    principal: CurrentPrincipal,
) -> RemovedWebhook:
    service.remove_subscription(session, principal, webhook_id)
    return RemovedWebhook(removed=webhook_id)


@router.get("/webhooks/deliveries", summary="The delivery log, newest first")
def deliveries(
    session: SessionDep,
    principal: CurrentPrincipal,
    webhook: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
    status: Annotated[str | None, Query(max_length=20)] = None,
    limit: Annotated[int, Query(ge=1, le=10_000)] = 100,
) -> DeliveryList:
    found = service.list_deliveries(
        session, principal, subscription_id=webhook, status=status, limit=limit
    )
    return DeliveryList(deliveries=found)


@router.get("/webhooks/deliveries/{delivery_id}", summary="One delivery, its body, attempts")
def delivery(delivery_id: str, session: SessionDep, principal: CurrentPrincipal) -> DeliveryOut:
    return service.get_delivery(session, principal, delivery_id)


@router.post("/webhooks/deliveries/{delivery_id}/redeliver", summary="Send a delivery again")
def redeliver(delivery_id: str, session: SessionDep, principal: CurrentPrincipal) -> DeliveryOut:
    return service.redeliver(session, principal, delivery_id)
