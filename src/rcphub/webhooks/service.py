"""Subscriptions and the delivery log: the services behind the API, the CLI and the page.

Who may: an admin manages every subscription; a secretariat manages subscriptions filtered to
one of its processes (policy action ``webhooks.manage``). Every change is audited in its own
transaction. Services return plain dataclasses.
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rcphub import audit
from rcphub.accounts.policy import Action, Principal, authorize, processes_for
from rcphub.config import Settings
from rcphub.db import Body, State, WebhookAttempt, WebhookDelivery, WebhookSubscription
from rcphub.errors import InvalidInput, NotFound
from rcphub.webhooks.events import EVENT_TYPES
from rcphub.webhooks.schemas import AttemptOut, DeliveryOut, NewSubscription, SubscriptionOut
from rcphub.webhooks.secrets import load_key, new_secret, seal
from rcphub.webhooks.timing import moment, utcnow

__all__ = [
    "AttemptOut",
    "DeliveryOut",
    "NewSubscription",
    "SubscriptionOut",
    "add_subscription",
    "get_delivery",
    "list_deliveries",
    "list_subscriptions",
    "redeliver",
    "remove_subscription",
]

STATUSES = ("pending", "delivering", "delivered", "failed", "cancelled")
MAX_URL = 2000


def _subscription_out(
    subscription: WebhookSubscription, counts: dict[tuple[int, str], int] | None = None
) -> SubscriptionOut:
    counts = counts or {}
    return SubscriptionOut(
        id=subscription.id,
        url=subscription.url,
        description=subscription.description,
        event_types=list(subscription.event_types or []),
        process=subscription.process_id,
        state=subscription.state_iso3,
        secret_hint=subscription.secret_hint + "…",
        active=subscription.active,
        created_by=subscription.created_by,
        created_at=subscription.created_at,
        removed_at=subscription.removed_at,
        pending=counts.get((subscription.id, "pending"), 0),
        failed=counts.get((subscription.id, "failed"), 0),
    )


def check_url(url: str) -> str:
    url = (url or "").strip()
    if not url:
        raise InvalidInput("a webhook needs a target URL")
    if len(url) > MAX_URL:
        raise InvalidInput(f"the target URL is longer than {MAX_URL} characters")
    if any(ord(c) < 33 or ord(c) == 127 for c in url):
        raise InvalidInput("the target URL must not contain spaces or control characters")
    try:
        parts = urlsplit(url)
        port_ok = parts.port is None or parts.port > 0
    except ValueError:  # "http://[::1", "http://host:99999"
        parts, port_ok = None, False
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname or not port_ok:
        raise InvalidInput(f"the target URL must be an http:// or https:// address: {url[:80]!r}")
    if parts.username or parts.password:
        raise InvalidInput("the target URL must not carry a user name or password")
    return url


def check_event_types(event_types: list[str] | None) -> list[str]:
    chosen = [t.strip() for t in (event_types or []) if t and t.strip()]
    if not chosen:
        return list(EVENT_TYPES)
    unknown = [t for t in chosen if t not in EVENT_TYPES]
    if unknown:
        raise InvalidInput(
            f"unknown event type {unknown[0][:60]!r}; known: " + ", ".join(EVENT_TYPES)
        )
    return list(dict.fromkeys(chosen))


def add_subscription(
    session: Session,
    settings: Settings,
    actor: Principal,
    url: str,
    *,
    event_types: list[str] | None = None,
    process: str | None = None,
    state: str | None = None,
    description: str | None = None,
) -> NewSubscription:
    """Register a webhook; its secret is generated here and returned once."""
    process = (process or "").strip() or None
    state = (state or "").strip().upper() or None
    authorize(actor, Action.WEBHOOKS_MANAGE, [process] if process else [])
    url = check_url(url)
    types = check_event_types(event_types)
    if process and session.get(Body, process) is None:
        raise NotFound("process", process)
    if state and (len(state) != 3 or session.get(State, state) is None):
        raise NotFound("state", state[:10])
    description = (description or "").strip()[:200] or None
    secret = new_secret()
    subscription = WebhookSubscription(
        url=url,
        description=description,
        event_types=types,
        process_id=process,
        state_iso3=state,
        secret_sealed=seal(secret, load_key(settings)),
        secret_hint=secret[:10],
        active=True,
        created_by=actor.label[:120],
        created_at=utcnow().isoformat(timespec="seconds"),
    )
    session.add(subscription)
    session.flush()
    audit.record(
        session,
        actor,
        "webhook.add",
        "webhook",
        subscription.id,
        {"url": url, "events": types, "process": process, "state": state},
    )
    return NewSubscription(_subscription_out(subscription), secret)


def _visible_query(actor: Principal):  # type: ignore[no-untyped-def]
    allowed = processes_for(actor, Action.WEBHOOKS_MANAGE)
    query = select(WebhookSubscription)
    if allowed is not None:
        if not allowed:  # manages none: say why (sign in, or not allowed)
            authorize(actor, Action.WEBHOOKS_MANAGE)
        query = query.where(WebhookSubscription.process_id.in_(sorted(allowed)))
    return query


def list_subscriptions(
    session: Session, actor: Principal, *, include_removed: bool = False
) -> list[SubscriptionOut]:
    """The subscriptions ``actor`` manages, with their pending and failed deliveries."""
    query = _visible_query(actor)
    if not include_removed:
        query = query.where(WebhookSubscription.active.is_(True))
    subscriptions = list(session.scalars(query.order_by(WebhookSubscription.id)))
    counts: dict[tuple[int, str], int] = {}
    if subscriptions:
        rows = session.execute(
            select(WebhookDelivery.subscription_id, WebhookDelivery.status, func.count())
            .where(WebhookDelivery.subscription_id.in_([s.id for s in subscriptions]))
            .group_by(WebhookDelivery.subscription_id, WebhookDelivery.status)
        )
        counts = {(sid, status): n for sid, status, n in rows}
    return [_subscription_out(s, counts) for s in subscriptions]


def _subscription(session: Session, actor: Principal, subscription_id: int) -> WebhookSubscription:
    subscription = session.get(WebhookSubscription, subscription_id)
    if subscription is None:
        raise NotFound("webhook", str(subscription_id))
    authorize(
        actor,
        Action.WEBHOOKS_MANAGE,
        [subscription.process_id] if subscription.process_id else [],
    )
    return subscription


def remove_subscription(session: Session, actor: Principal, subscription_id: int) -> None:
    """Deactivate a webhook; its deliveries not yet made are cancelled, its log is kept."""
    subscription = _subscription(session, actor, subscription_id)
    if not subscription.active:
        raise InvalidInput(f"webhook {subscription_id} is already removed")
    subscription.active = False
    subscription.removed_at = utcnow().isoformat(timespec="seconds")
    cancelled = 0
    for delivery in session.scalars(
        select(WebhookDelivery).where(
            WebhookDelivery.subscription_id == subscription.id,
            WebhookDelivery.status.in_(("pending", "delivering")),
        )
    ):
        delivery.status = "cancelled"
        delivery.lease_until = delivery.lease_owner = None
        cancelled += 1
    audit.record(
        session, actor, "webhook.remove", "webhook", subscription.id, {"cancelled": cancelled}
    )


def _delivery_out(delivery: WebhookDelivery, attempts: list[WebhookAttempt] | None = None):  # type: ignore[no-untyped-def]
    return DeliveryOut(
        id=delivery.id,
        subscription_id=delivery.subscription_id,
        event_id=delivery.event_id,
        event_type=delivery.event_type,
        occurred_at=delivery.occurred_at,
        status=delivery.status,
        attempts=delivery.attempts,
        next_attempt_at=delivery.next_attempt_at if delivery.status == "pending" else None,
        last_status=delivery.last_status,
        last_error=delivery.last_error,
        delivered_at=delivery.delivered_at,
        attempt_log=None
        if attempts is None
        else [
            AttemptOut(a.number, a.started_at, a.status_code, a.error, a.duration_ms)
            for a in attempts
        ],
        body=None if attempts is None else json.loads(delivery.body),
    )


def list_deliveries(
    session: Session,
    actor: Principal,
    *,
    subscription_id: int | None = None,
    status: str | None = None,
    limit: int = 100,
) -> list[DeliveryOut]:
    """The delivery log, newest first."""
    if status is not None and status not in STATUSES:
        raise InvalidInput(
            f"unknown delivery status {status[:20]!r}; one of " + ", ".join(STATUSES)
        )
    query = select(WebhookDelivery)
    if subscription_id is not None:
        _subscription(session, actor, subscription_id)
        query = query.where(WebhookDelivery.subscription_id == subscription_id)
    else:
        visible = _visible_query(actor).with_only_columns(WebhookSubscription.id)
        query = query.where(WebhookDelivery.subscription_id.in_(visible))
    if status:
        query = query.where(WebhookDelivery.status == status)
    query = query.order_by(WebhookDelivery.created_at.desc(), WebhookDelivery.id).limit(
        max(1, min(limit, 10_000))
    )
    return [_delivery_out(d) for d in session.scalars(query)]


def get_delivery(session: Session, actor: Principal, delivery_id: str) -> DeliveryOut:
    """One delivery with its body and every attempt."""
    delivery = session.get(WebhookDelivery, (delivery_id or "")[:36])
    if delivery is None:
        raise NotFound("delivery", (delivery_id or "")[:40])
    _subscription(session, actor, delivery.subscription_id)
    attempts = list(
        session.scalars(
            select(WebhookAttempt)
            .where(WebhookAttempt.delivery_id == delivery.id)
            .order_by(WebhookAttempt.number, WebhookAttempt.id)
        )
    )
    return _delivery_out(delivery, attempts)


def redeliver(session: Session, actor: Principal, delivery_id: str) -> DeliveryOut:
    """Send a delivery again, whatever became of it: back to ``pending``, due now, with a fresh
    count of attempts. Its ID (``X-Rcphub-Delivery``) and body stay the same."""
    delivery = session.get(WebhookDelivery, (delivery_id or "")[:36])
    if delivery is None:
        raise NotFound("delivery", (delivery_id or "")[:40])
    subscription = _subscription(session, actor, delivery.subscription_id)
    if not subscription.active:
        raise InvalidInput(f"webhook {subscription.id} is removed: nothing to redeliver to")
    if delivery.status in ("pending", "delivering"):
        raise InvalidInput(f"delivery {delivery.id} is {delivery.status} already")
    previous = delivery.status
    delivery.status = "pending"
    delivery.attempts = 0
    delivery.next_attempt_at = moment(utcnow())
    delivery.lease_until = delivery.lease_owner = None
    audit.record(
        session,
        actor,
        "webhook.redeliver",
        "webhook_delivery",
        delivery.id,
        {"webhook": subscription.id, "was": previous},
    )
    return _delivery_out(delivery)
