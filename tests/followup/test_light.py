"""The traffic light rule, by date, at its boundaries."""

from __future__ import annotations

from datetime import date

import pytest

from rcphub.followup import traffic_light
from rcphub.followup.light import months_before

TODAY = date(2026, 3, 31)


@pytest.mark.parametrize(
    ("last", "colour", "reason"),
    [
        (date(2026, 3, 31), "green", "recent"),
        (date(2025, 3, 31), "green", "recent"),  # exactly 12 months: still within
        (date(2025, 3, 30), "amber", "stale"),
        (date(2024, 3, 31), "amber", "stale"),  # exactly 24 months: not yet over
        (date(2024, 3, 30), "red", "inactive"),
        (date(2013, 5, 23), "red", "inactive"),
    ],
)
def test_colour_by_months_since_the_last_update(last: date, colour: str, reason: str) -> None:
    light = traffic_light(status="in_progress", last_activity=last, due_date=None, today=TODAY)
    assert (light.colour, light.reason) == (colour, reason)
    assert light.inactive == (colour == "red")


def test_past_due_date_is_amber_even_when_recently_updated() -> None:
    light = traffic_light(
        status="in_progress", last_activity=TODAY, due_date=date(2026, 3, 30), today=TODAY
    )
    assert (light.colour, light.reason, light.overdue) == ("amber", "overdue", True)
    on_time = traffic_light(status="in_progress", last_activity=TODAY, due_date=TODAY, today=TODAY)
    assert on_time.colour == "green"


def test_red_wins_over_overdue() -> None:
    light = traffic_light(
        status="not_started", last_activity=date(2020, 1, 1), due_date=date(2021, 1, 1), today=TODAY
    )
    assert (light.colour, light.overdue, light.inactive) == ("red", True, True)


@pytest.mark.parametrize("status", ["completed", "discontinued"])
def test_closed_items_have_no_light(status: str) -> None:
    light = traffic_light(
        status=status, last_activity=date(2010, 1, 1), due_date=date(2011, 1, 1), today=TODAY
    )
    assert (light.colour, light.overdue, light.inactive) == ("closed", False, False)


def test_calendar_months_clamp_to_the_month_end() -> None:
    assert months_before(date(2026, 3, 31), 1) == date(2026, 2, 28)
    assert months_before(date(2024, 2, 29), 12) == date(2023, 2, 28)
    assert months_before(date(2026, 1, 15), 24) == date(2024, 1, 15)
