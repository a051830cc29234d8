"""Times of the outbox: ISO 8601 in UTC with microseconds, one fixed width (see the models)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


def utcnow() -> datetime:
    return datetime.now(UTC)


def moment(when: datetime) -> str:
    return when.astimezone(UTC).isoformat(timespec="microseconds")


def after(seconds: float, start: datetime | None = None) -> str:
    return moment((start or utcnow()) + timedelta(seconds=seconds))


def parse(text: str) -> datetime:
    return datetime.fromisoformat(text)
