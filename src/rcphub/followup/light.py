"""The traffic light of a tracked item, computed against a given "today".

The rule, as the follow-up pages state it:

* **green** — an update was reported within the last 12 months;
* **amber** — due: no update for more than 12 and up to 24 months, or the item is past its
  due date;
* **red** — no update for more than 24 months: the item is marked *inactive*.

"Last update" is the date of the newest update; an item with none counts from the date of its
source document (when the meeting adopted it), else from the day it was confirmed. Completed
and discontinued items are *closed* and carry no light. Months are calendar months: an item
last updated on 2024-03-31 turns amber after 2025-03-31 (on 2025-04-01).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

__all__ = [
    "AMBER_AFTER_MONTHS",
    "CLOSED_STATUSES",
    "LIGHTS",
    "RED_AFTER_MONTHS",
    "STATUSES",
    "Light",
    "months_before",
    "traffic_light",
]

STATUSES = ("not_started", "in_progress", "completed", "discontinued")
CLOSED_STATUSES = frozenset({"completed", "discontinued"})
LIGHTS = ("green", "amber", "red", "closed")
AMBER_AFTER_MONTHS = 12
RED_AFTER_MONTHS = 24


@dataclass(frozen=True)
class Light:
    colour: str  # green | amber | red | closed
    reason: str  # machine-readable: recent, stale, overdue, inactive, closed
    last_activity: date
    inactive: bool
    overdue: bool


def months_before(day: date, months: int) -> date:
    """The same day ``months`` calendar months earlier (the month's last day if shorter)."""
    total = day.year * 12 + day.month - 1 - months
    year, month = divmod(total, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def traffic_light(*, status: str, last_activity: date, due_date: date | None, today: date) -> Light:
    overdue = due_date is not None and due_date < today and status not in CLOSED_STATUSES
    if status in CLOSED_STATUSES:
        return Light("closed", "closed", last_activity, False, False)
    if last_activity < months_before(today, RED_AFTER_MONTHS):
        return Light("red", "inactive", last_activity, True, overdue)
    if last_activity < months_before(today, AMBER_AFTER_MONTHS):
        return Light("amber", "stale", last_activity, False, overdue)
    if overdue:
        return Light("amber", "overdue", last_activity, False, True)
    return Light("green", "recent", last_activity, False, False)
