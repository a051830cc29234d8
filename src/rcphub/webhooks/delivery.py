"""The deliverer: claims due deliveries from the outbox, POSTs them, logs every attempt.

At least once, never lost:

* a delivery is *claimed* by a conditional UPDATE (status and due time unchanged since it was
  read), so two deliverers never both claim it; the claim is a *lease* that expires;
* the POST happens outside any transaction; its outcome is written afterwards, with the
  attempt, in one transaction;
* if the deliverer dies between the claim and that write, the lease runs out and the delivery
  is due again: the receiver may get it twice (same ``X-Rcphub-Delivery``), never zero times.

A 2xx answer is delivered. Anything else (another status, a refused connection, a timeout, a
redirect) is retried after an exponential backoff — ``backoff × 2^(attempts-1)``, capped, with
jitter (a random 50–100 % of it) so receivers that come back are not hit by every hub at once —
until ``max_attempts``, then the delivery is ``failed`` (and can be redelivered by hand).
"""

from __future__ import annotations

import logging
import random
import threading
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass

from sqlalchemy import and_, or_, select, update
from sqlalchemy.exc import InterfaceError, OperationalError

from rcphub import __version__
from rcphub.config import Settings
from rcphub.db import Database, WebhookAttempt, WebhookDelivery, WebhookSubscription
from rcphub.errors import DataError
from rcphub.webhooks.secrets import load_key, sign, unseal
from rcphub.webhooks.timing import after, moment, utcnow

__all__ = ["Deliverer", "DeliveryPolicy", "RunReport", "start_in_background"]

log = logging.getLogger(__name__)
MAX_ERROR = 500


@dataclass(frozen=True)
class DeliveryPolicy:
    max_attempts: int = 12
    backoff: float = 30.0
    backoff_max: float = 3600.0
    timeout: float = 10.0
    lease: float = 120.0
    jitter: bool = True

    @classmethod
    def from_settings(cls, settings: Settings) -> DeliveryPolicy:
        return cls(
            max_attempts=settings.webhook_max_attempts,
            backoff=settings.webhook_backoff_seconds,
            backoff_max=settings.webhook_backoff_max_seconds,
            timeout=settings.webhook_timeout_seconds,
            lease=max(settings.webhook_lease_seconds, settings.webhook_timeout_seconds + 5),
        )

    def delay(self, attempts: int) -> float:
        """Seconds to wait after the ``attempts``-th failed attempt."""
        full = min(self.backoff_max, self.backoff * 2 ** max(0, attempts - 1))
        return full * random.uniform(0.5, 1.0) if self.jitter else full


@dataclass(frozen=True)
class Claimed:
    id: str
    url: str
    event_type: str
    body: str
    secret_sealed: str
    attempts: int


@dataclass
class RunReport:
    delivered: int = 0
    retrying: int = 0
    failed: int = 0

    @property
    def attempted(self) -> int:
        return self.delivered + self.retrying + self.failed


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None  # a redirect is an answer that is not 2xx: retried, never followed


_OPENER = urllib.request.build_opener(_NoRedirect)


def post(
    url: str, body: bytes, headers: dict[str, str], timeout: float
) -> tuple[int | None, str | None]:
    """POST and return (HTTP status or None, error or None). Never raises for the network."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            response.read(65536)
            return response.status, None
    except urllib.error.HTTPError as exc:
        exc.close()
        return exc.code, f"HTTP {exc.code} {exc.reason}"[:MAX_ERROR]
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        return None, f"{type(exc).__name__}: {reason}"[:MAX_ERROR]


class Deliverer:
    """Delivers the outbox of one database; safe to run in several processes at once."""

    def __init__(self, database: Database, policy: DeliveryPolicy | None = None) -> None:
        self.database = database
        self.policy = policy or DeliveryPolicy.from_settings(database.settings)
        self.owner = str(uuid.uuid4())
        self._key: bytes | None = None

    def _due(self, now: str):  # type: ignore[no-untyped-def]
        return or_(
            and_(WebhookDelivery.status == "pending", WebhookDelivery.next_attempt_at <= now),
            and_(WebhookDelivery.status == "delivering", WebhookDelivery.lease_until < now),
        )

    def claim(self, limit: int = 20) -> list[Claimed]:
        """Claim up to ``limit`` due deliveries of active subscriptions, oldest due first."""
        now = moment(utcnow())
        with self.database.session() as session:
            candidates = list(
                session.scalars(
                    select(WebhookDelivery.id)
                    .where(self._due(now))
                    .order_by(WebhookDelivery.next_attempt_at)
                    .limit(limit)
                )
            )
        claimed: list[Claimed] = []
        for delivery_id in candidates:
            lease_until = after(self.policy.lease)
            with self.database.session() as session:
                result = session.execute(
                    update(WebhookDelivery)
                    .where(WebhookDelivery.id == delivery_id, self._due(moment(utcnow())))
                    .values(status="delivering", lease_until=lease_until, lease_owner=self.owner)
                    .execution_options(synchronize_session=False)
                )
                if result.rowcount != 1:
                    continue  # another deliverer took it
                row = session.execute(
                    select(WebhookDelivery, WebhookSubscription)
                    .join(WebhookSubscription)
                    .where(WebhookDelivery.id == delivery_id)
                ).one()
                delivery, subscription = row
                claimed.append(
                    Claimed(
                        id=delivery.id,
                        url=subscription.url,
                        event_type=delivery.event_type,
                        body=delivery.body,
                        secret_sealed=subscription.secret_sealed,
                        attempts=delivery.attempts,
                    )
                )
        return claimed

    def attempt(self, claimed: Claimed) -> str:
        """POST one claimed delivery and record the outcome; its new status."""
        if self._key is None:
            self._key = load_key(self.database.settings)
        body = claimed.body.encode()
        started = utcnow()
        try:
            secret = unseal(claimed.secret_sealed, self._key)
        except DataError as exc:
            status_code, error = None, exc.message[:MAX_ERROR]
        else:
            headers = {
                "Content-Type": "application/json; charset=utf-8",
                "User-Agent": f"rcphub-webhooks/{__version__}",
                "X-Rcphub-Event": claimed.event_type,
                "X-Rcphub-Delivery": claimed.id,
                "X-Rcphub-Signature": sign(secret, body),
            }
            status_code, error = post(claimed.url, body, headers, self.policy.timeout)
        elapsed = int((utcnow() - started).total_seconds() * 1000)
        ok = status_code is not None and 200 <= status_code < 300
        number = claimed.attempts + 1
        if ok:
            values = {"status": "delivered", "delivered_at": moment(utcnow()), "last_error": None}
        elif number >= self.policy.max_attempts:
            values = {"status": "failed", "last_error": error}
        else:
            values = {
                "status": "pending",
                "next_attempt_at": after(self.policy.delay(number)),
                "last_error": error,
            }
        with self.database.session() as session:
            session.add(
                WebhookAttempt(
                    delivery_id=claimed.id,
                    number=number,
                    started_at=moment(started),
                    status_code=status_code,
                    error=error,
                    duration_ms=elapsed,
                )
            )
            # only while the lease is ours: a delivery removed or taken over meanwhile is left
            # to whoever holds it now (the attempt stays in the log)
            session.execute(
                update(WebhookDelivery)
                .where(
                    WebhookDelivery.id == claimed.id,
                    WebhookDelivery.status == "delivering",
                    WebhookDelivery.lease_owner == self.owner,
                )
                .values(
                    **values,
                    attempts=number,
                    last_status=status_code,
                    lease_until=None,
                    lease_owner=None,
                )
                .execution_options(synchronize_session=False)
            )
        if not ok:
            log.info("webhook delivery %s attempt %d: %s", claimed.id, number, error)
        return str(values["status"])

    def run_once(self, limit: int = 20) -> RunReport:
        """Attempt every delivery due now (in batches of ``limit``), once each."""
        report = RunReport()
        seen: set[str] = set()
        while True:
            batch = [c for c in self.claim(limit) if c.id not in seen]
            if not batch:
                return report
            for claimed in batch:
                seen.add(claimed.id)
                outcome = self.attempt(claimed)
                if outcome == "delivered":
                    report.delivered += 1
                elif outcome == "failed":
                    report.failed += 1
                else:
                    report.retrying += 1

    def run(self, stop: threading.Event, poll: float | None = None) -> None:
        """Deliver until ``stop`` is set, looking for due deliveries every ``poll`` seconds."""
        poll = poll if poll is not None else self.database.settings.webhook_poll_seconds
        unavailable = False
        while not stop.is_set():
            try:
                report = self.run_once()
                if unavailable:
                    log.info("webhook deliverer: the database is back")
                unavailable = False
            except (OperationalError, InterfaceError) as exc:
                # a database outage must not end the deliverer, nor fill the log: one line
                # when it starts, one when it ends
                if not unavailable:
                    reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0][:200]
                    log.warning("webhook deliverer: database unavailable (%s); retrying", reason)
                unavailable = True
                report = RunReport()
            except Exception:
                log.exception("webhook deliverer: error, retrying in %.0f s", poll)
                report = RunReport()
            if not report.attempted:
                stop.wait(poll)


def start_in_background(database: Database) -> tuple[threading.Thread, threading.Event]:
    """The deliverer in a daemon thread (``rcphub serve``); set the event to stop it."""
    stop = threading.Event()
    thread = threading.Thread(
        target=Deliverer(database).run, args=(stop,), name="rcphub-webhooks", daemon=True
    )
    thread.start()
    return thread, stop
