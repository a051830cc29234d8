"""Webhooks end to end, on both databases, against a real HTTP receiver in its own process.

The receiver is down when the first events are due, comes back later: every event arrives (at
least once), every signature verifies, the attempt log shows the backoff, redelivery sends the
same delivery again, a subscriber filtered to one process gets only that process's events, and
a change that rolls back emits nothing.
"""

from __future__ import annotations

import itertools
import json
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from rcphub.accounts.policy import SYSTEM
from rcphub.db import Database, WebhookAttempt, WebhookDelivery
from rcphub.documents import IngestOptions, Ingestor
from rcphub.followup import add_update, create_item
from rcphub.webhooks import add_subscription, get_delivery, list_deliveries, redeliver, verify
from rcphub.webhooks.delivery import Deliverer, DeliveryPolicy
from rcphub.webhooks.timing import moment, utcnow

RECEIVER = Path(__file__).with_name("receiver.py")
FAST = DeliveryPolicy(max_attempts=30, backoff=0.2, backoff_max=1.0, timeout=3, lease=10)


def text(n: int, process: str) -> bytes:
    return (
        f"Meeting {n} of the {process} secretariat\n\n"
        f"1. The participants welcomed the work of Peru and Mexico on migration, number {n}.\n\n"
        f"2. They agreed to meet again in {2026 + n}.\n"
    ).encode()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Receiver:
    """Starts and stops the receiver process on one port; reads what it received."""

    def __init__(self, tmp_path: Path, status: int = 204) -> None:
        self.port = free_port()
        self.log = tmp_path / f"received-{self.port}.jsonl"
        self.status = status
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(RECEIVER), str(self.port), str(self.log), str(self.status)],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout.readline().strip() == "ready"

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process.stdout.close()
            self.process = None

    def received(self) -> list[dict]:
        if not self.log.exists():
            return []
        return [json.loads(line) for line in self.log.read_text().splitlines()]


@pytest.fixture
def receiver(tmp_path: Path) -> Iterator[Receiver]:
    made = Receiver(tmp_path)
    yield made
    made.stop()


@pytest.fixture
def hub(database_factory) -> Database:  # type: ignore[no-untyped-def]
    return database_factory.new()


def subscribe(database: Database, url: str, **filters):  # type: ignore[no-untyped-def]
    with database.session() as session:
        return add_subscription(session, database.settings, SYSTEM, url, **filters)


def wait_for(condition, timeout: float = 30.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.05)


def deliveries(database: Database) -> list[WebhookDelivery]:
    with database.session() as session:
        return list(session.scalars(select(WebhookDelivery)))


def test_outage_backoff_filters_and_redelivery(hub: Database, receiver: Receiver):
    everything = subscribe(hub, receiver.url)
    bali_only = subscribe(
        hub, receiver.url + "?bali", process="bali-process", event_types=["document.added"]
    )
    peru_only = subscribe(hub, receiver.url + "?peru", state="PER")
    ingestor = Ingestor(hub)
    ids = []
    for n, process in enumerate(["bali-process", "midsa", "bali-process"]):
        outcome = ingestor.ingest_bytes(text(n, process), f"{n}.txt", IngestOptions([process]))
        assert outcome.error is None, outcome.error
        ids.append(outcome.document_id)
    with hub.session() as session:
        item = create_item(
            session, ids[1], "1", addressees=["process:midsa"], confirm=True, actor=SYSTEM
        )
        add_update(
            session, item.id, status="in_progress", progress=30, note="underway", actor=SYSTEM
        )

    rows = deliveries(hub)
    by_sub = {s: [r for r in rows if r.subscription_id == s] for s in (1, 2, 3)}
    # everything: 3 documents, 1 confirmation, 1 update; bali: its 2 documents; Peru: the 3
    # documents that mention it (the item and its update are addressed to midsa only)
    assert len(by_sub[everything.subscription.id]) == 5
    assert [r.event_type for r in by_sub[peru_only.subscription.id]] == ["document.added"] * 3
    assert {r.event_type for r in by_sub[bali_only.subscription.id]} == {"document.added"}
    assert len(by_sub[bali_only.subscription.id]) == 2
    events = {r.event_id for r in rows}

    deliverer = Deliverer(hub, FAST)
    stop = threading.Event()
    thread = threading.Thread(target=deliverer.run, args=(stop, 0.05))
    thread.start()
    try:
        # the receiver is down: attempts fail and are retried, further apart each time
        wait_for(lambda: all(r.attempts >= 3 for r in deliveries(hub)))
        assert receiver.received() == []
        receiver.start()
        wait_for(lambda: all(r.status == "delivered" for r in deliveries(hub)))
    finally:
        stop.set()
        thread.join(timeout=10)

    got = receiver.received()
    by_delivery = {g["delivery"]: g for g in got}
    assert set(by_delivery) == {r.id for r in rows}  # every delivery arrived
    secrets = {
        everything.subscription.id: everything.secret,
        bali_only.subscription.id: bali_only.secret,
        peru_only.subscription.id: peru_only.secret,
    }
    for row in rows:
        message = by_delivery[row.id]
        assert verify(secrets[row.subscription_id], message["body"].encode(), message["signature"])
        assert not verify(
            secrets[row.subscription_id], message["body"].encode() + b" ", message["signature"]
        )
        body = json.loads(message["body"])
        assert set(body) == {"id", "type", "occurred_at", "data"}
        assert body["id"] == row.event_id
        assert body["type"] == message["event"] == row.event_type
    assert {json.loads(g["body"])["id"] for g in got} == events
    # the process filter: only bali-process documents reached the bali subscriber
    bali_got = [json.loads(g["body"]) for g in got if g["path"] == "/hook?bali"]
    assert len(bali_got) == 2
    assert all("bali-process" in b["data"]["processes"] for b in bali_got)
    assert {b["data"]["document"]["id"] for b in bali_got} == {ids[0], ids[2]}
    # the state filter: events about Peru (the linker finds "Peru" in each text)
    for message in (json.loads(g["body"]) for g in got if g["path"] == "/hook?peru"):
        assert "PER" in message["data"]["states"]

    # the attempt log shows the outage and the backoff: failed attempts without a status,
    # then one 204; the waits between failures grow
    with hub.session() as session:
        detail = get_delivery(session, SYSTEM, rows[0].id)
    log = detail.attempt_log
    assert log[-1].status_code == 204
    assert all(a.status_code is None for a in log[:-1])
    assert all(a.error for a in log[:-1])
    starts = [utcnow().fromisoformat(a.started_at) for a in log]
    gaps = [(b - a).total_seconds() for a, b in itertools.pairwise(starts)]
    # backoff 0.2 s doubling, jitter 50-100 %: at least 0.1, 0.2, 0.4 s
    assert [round(g, 2) >= least for g, least in zip(gaps, (0.1, 0.2, 0.4), strict=False)] == [
        True
    ] * 3, gaps

    # redelivery: the same delivery (ID, body, signature) arrives again
    with hub.session() as session:
        redeliver(session, SYSTEM, rows[0].id)
    assert Deliverer(hub, FAST).run_once().delivered == 1
    again = [g for g in receiver.received() if g["delivery"] == rows[0].id]
    assert len(again) == 2
    assert again[0]["body"] == again[1]["body"]
    with hub.session() as session:
        assert get_delivery(session, SYSTEM, rows[0].id).status == "delivered"
        assert len(list_deliveries(session, SYSTEM, status="delivered")) == len(rows)


def test_a_rolled_back_change_emits_nothing(hub: Database, receiver: Receiver):
    subscribe(hub, receiver.url)
    ingestor = Ingestor(hub)
    document = ingestor.ingest_bytes(text(7, "midsa"), "7.txt", IngestOptions(["midsa"]))
    before = len(deliveries(hub))
    assert before == 1

    class Boom(Exception):
        pass

    def confirm_then_fail() -> None:
        with hub.session() as session:
            create_item(session, document.document_id, "1", confirm=True, actor=SYSTEM)
            assert session.scalar(select(func.count()).select_from(WebhookDelivery)) == before + 1
            raise Boom

    with pytest.raises(Boom):
        confirm_then_fail()
    assert len(deliveries(hub)) == before


def test_restricted_content_is_not_sent(hub: Database, receiver: Receiver):
    """A subscriber is not known to be a member: a restricted document, and the follow-up of
    it, emit nothing; the public document beside it does."""
    subscribe(hub, receiver.url)
    ingestor = Ingestor(hub)
    closed = ingestor.ingest_bytes(
        text(8, "bali-process"),
        "8.txt",
        IngestOptions(["bali-process"], visibility="restricted"),
    )
    assert closed.document_id
    assert deliveries(hub) == []
    with hub.session() as session:
        create_item(session, closed.document_id, "1", confirm=True, actor=SYSTEM)
    assert deliveries(hub) == []
    ingestor.ingest_bytes(text(9, "bali-process"), "9.txt", IngestOptions(["bali-process"]))
    assert len(deliveries(hub)) == 1


def test_give_up_then_redeliver_to_a_receiver_that_answers_500(hub, tmp_path):  # type: ignore[no-untyped-def]
    failing = Receiver(tmp_path, status=500)
    failing.start()
    try:
        made = subscribe(hub, failing.url)
        Ingestor(hub).ingest_bytes(text(8, "midsa"), "8.txt", IngestOptions(["midsa"]))
        policy = DeliveryPolicy(max_attempts=3, backoff=0.05, backoff_max=0.1, timeout=3, lease=10)
        deliverer = Deliverer(hub, policy)
        wait_for(lambda: deliverer.run_once() is not None and deliveries(hub)[0].status == "failed")
        row = deliveries(hub)[0]
        assert row.attempts == 3
        assert row.last_status == 500
        assert "500" in row.last_error
        assert len(failing.received()) == 3
        assert all(
            verify(made.secret, g["body"].encode(), g["signature"]) for g in failing.received()
        )
        with hub.session() as session:
            redeliver(session, SYSTEM, row.id)
        assert deliveries(hub)[0].status == "pending"
    finally:
        failing.stop()


def test_a_claim_whose_deliverer_died_is_delivered_after_the_lease(hub, receiver):  # type: ignore[no-untyped-def]
    receiver.start()
    subscribe(hub, receiver.url)
    Ingestor(hub).ingest_bytes(text(9, "midsa"), "9.txt", IngestOptions(["midsa"]))
    crashed = Deliverer(hub, DeliveryPolicy(lease=0.5))
    assert len(crashed.claim()) == 1  # ... and the process dies before it POSTs
    other = Deliverer(hub, FAST)
    assert other.run_once().attempted == 0  # leased: nobody else sends it yet
    time.sleep(0.6)
    assert other.run_once().delivered == 1
    assert len(receiver.received()) == 1
    with hub.session() as session:
        attempts = session.scalars(select(WebhookAttempt)).all()
    assert [a.number for a in attempts] == [1]
    assert moment(utcnow()) > deliveries(hub)[0].delivered_at


def test_events_of_the_follow_up_review(hub: Database):
    from rcphub.followup import review_item

    subscribe(hub, "http://127.0.0.1:9/hook", event_types=["followup.item.confirmed"])
    outcome = Ingestor(hub).ingest_bytes(text(10, "midsa"), "10.txt", IngestOptions(["midsa"]))
    with hub.session() as session:
        item = create_item(
            session, outcome.document_id, "2", addressees=["state:PER"], actor=SYSTEM
        )
    assert deliveries(hub) == []  # proposed: nothing to announce yet
    with hub.session() as session:
        review_item(session, item.id, "confirm", actor=SYSTEM)
    with hub.session() as session:
        review_item(session, item.id, "confirm", actor=SYSTEM)  # confirmed already: no event
    (row,) = deliveries(hub)
    data = json.loads(row.body)["data"]
    assert data["item"]["id"] == item.id
    assert data["states"] == ["PER"]
    assert data["processes"] == ["midsa"]  # the document is filed under midsa
