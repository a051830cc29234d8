"""iCalendar (RFC 5545) files from plain data.

Lines end in CRLF and are folded at 75 octets (a continuation line starts with a space; a
UTF-8 character is never split); TEXT values escape backslash, semicolon, comma and newlines.
Meetings are all-day events: ``DTSTART;VALUE=DATE`` and an exclusive ``DTEND`` the day after
the last day.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

MEDIA_TYPE = "text/calendar"
LINE_OCTETS = 75
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f]")


@dataclass(frozen=True)
class Event:
    uid: str
    stamp: datetime
    start: date
    end: date | None  # the last day, inclusive; None for a one-day event
    summary: str
    summary_lang: str | None = None
    location: str | None = None
    url: str | None = None
    description: str | None = None
    categories: tuple[str, ...] = ()


@dataclass(frozen=True)
class Calendar:
    prodid: str
    name: str
    lang: str
    events: list[Event]
    url: str | None = None


def escape_text(value: str) -> str:
    """An RFC 5545 TEXT value (3.3.11)."""
    value = _CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """One content line, folded so that no physical line exceeds 75 octets (3.1)."""
    out: list[str] = []
    current: list[str] = []
    size, limit = 0, LINE_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            out.append("".join(current))
            current, size, limit = [" "], 1, LINE_OCTETS
        current.append(char)
        size += width
    out.append("".join(current))
    return "\r\n".join(out) + "\r\n"


def render(calendar: Calendar) -> bytes:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{calendar.prodid}",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{escape_text(calendar.name)}",
        f"NAME;LANGUAGE={calendar.lang}:{escape_text(calendar.name)}",
    ]
    if calendar.url:
        lines.append(f"URL;VALUE=URI:{calendar.url}")
    for event in calendar.events:
        lines += _event(event)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) for line in lines).encode("utf-8")


def _event(event: Event) -> list[str]:
    last = event.end if event.end is not None and event.end >= event.start else event.start
    language = f";LANGUAGE={event.summary_lang}" if event.summary_lang else ""
    lines = [
        "BEGIN:VEVENT",
        f"UID:{event.uid}",
        f"DTSTAMP:{_utc(event.stamp)}",
        f"DTSTART;VALUE=DATE:{event.start:%Y%m%d}",
        f"DTEND;VALUE=DATE:{last + timedelta(days=1):%Y%m%d}",
        f"SUMMARY{language}:{escape_text(event.summary)}",
        "TRANSP:TRANSPARENT",
    ]
    if event.location:
        lines.append(f"LOCATION:{escape_text(event.location)}")
    if event.url:
        lines.append(f"URL;VALUE=URI:{event.url}")
    if event.description:
        lines.append(f"DESCRIPTION:{escape_text(event.description)}")
    if event.categories:
        lines.append("CATEGORIES:" + ",".join(escape_text(c) for c in event.categories))
    lines.append("END:VEVENT")
    return lines


def _utc(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
