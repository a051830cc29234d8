"""Timestamps as the schema keeps them: ISO 8601 in UTC, to the second."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


def now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def stamp(moment: datetime | None = None) -> str:
    return (moment or now()).astimezone(UTC).isoformat(timespec="seconds")


def ago(**delta: float) -> str:
    return stamp(now() - timedelta(**delta))


def ahead(**delta: float) -> str:
    return stamp(now() + timedelta(**delta))
