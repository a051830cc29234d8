"""Meetings from iscm-reference.yaml: the global meetings of chairs and secretariats of RCPs
(GRCP), GFMD summits, the UN High-level Dialogues and the International Migration Review Forum.

IDs are ``<series>-<year>`` (``grcp-2013``, ``gfmd-2012``, ``hld-2013``, ``imrf-2022``).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from rcphub.refdata.editorial import Notes
from rcphub.refdata.files import read_yaml

SERIES = ("grcp", "gfmd", "hld", "imrf")
SERIES_BODY = {"gfmd": "gfmd", "hld": "un-hld-imrf", "imrf": "un-hld-imrf", "grcp": None}
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def parse_dates(text: str | None) -> tuple[date | None, date | None]:
    """``2013-05-22/2013-05-23`` → (start, end); a single ISO date is both; prose gives None."""
    found = [date(int(y), int(m), int(d)) for y, m, d in _ISO_DATE.findall(text or "")]
    if not found:
        return None, None
    return found[0], found[1] if len(found) > 1 else found[0]


def _row(series: str, item: dict[str, Any], **extra: Any) -> dict[str, Any]:
    start, end = parse_dates(item.get("dates"))
    notes = Notes()
    for key, value in list(extra.items()):
        if isinstance(value, str):
            extra[key] = notes.take(key, value)
        elif isinstance(value, list):
            kept = [notes.take(key, v) if isinstance(v, str) else v for v in value]
            extra[key] = [v for v in kept if v is not None]
    return {
        "id": f"{series}-{item['year']}",
        "series": series,
        "body_id": SERIES_BODY[series],
        "number": item.get("number"),
        "year": item["year"],
        "start_date": start,
        "end_date": end,
        "dates_text": notes.take("dates", item.get("dates")),
        "city": item.get("host_city"),
        "country_iso3": item.get("host_country"),
        "names": dict(item.get("names") or {}),
        "theme": notes.take("theme", item.get("theme")),
        "organisers": notes.take("organisers", item.get("organisers")),
        "chair": notes.take("chair", item.get("chair")),
        "notes": notes.take("notes", item.get("notes") or item.get("note")),
        "details": extra,
        "sources": list(item.get("sources") or []),
        "editor_notes": notes.items,
    }


def build_meetings() -> list[dict[str, Any]]:
    reference = read_yaml("iscm-reference.yaml")
    rows = [_row("grcp", item) for item in reference["global_meetings"]]
    dialogues = reference["global_dialogues"]
    rows += [_row("gfmd", item) for item in dialogues["gfmd_summits"]]
    for item in dialogues["un_high_level_dialogues"]:
        row = _row(
            "hld",
            item,
            mandate=item.get("mandate"),
            summary_doc=item.get("summary_doc"),
            participation=item.get("participation"),
            overarching_theme=item.get("overarching_theme"),
            round_tables=item.get("round_tables"),
            related=item.get("related"),
        )
        row["city"] = "New York"
        row["country_iso3"] = "USA"
        row["notes"] = _public(row, item.get("place"))
        rows.append(row)
    for item in dialogues["imrf"]:
        row = _row(
            "imrf",
            item,
            format=item.get("format"),
            outcome=item.get("outcome"),
            basis=item.get("basis"),
        )
        if item.get("place"):
            row["city"] = "New York"
            row["country_iso3"] = "USA"
        row["notes"] = _public(row, item.get("note") or item.get("place"))
        rows.append(row)
    return rows


def _public(row: dict[str, Any], text: str | None) -> str | None:
    notes = Notes()
    public = notes.take("notes", text)
    row["editor_notes"] += notes.items
    return public
