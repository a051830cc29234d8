"""The controlled vocabulary of process themes (``process-themes.yaml``): a dozen themes, each
related to GCM objectives, gathering the free tags the reference file gives each process.

The free tags stay on the records as labels; the themes are what the process list filters on.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from rcphub.errors import DataError
from rcphub.refdata.files import read_yaml

FILE = "process-themes.yaml"


@cache
def vocabulary() -> dict[str, dict[str, Any]]:
    """``{code: {"label": English label, "gcm": [objective codes], "tags": set of tags}}``."""
    data = read_yaml(FILE)
    out = {}
    for code, spec in data["themes"].items():
        out[code] = {
            "label": spec["label"],
            "gcm": [str(g) for g in spec.get("gcm") or []],
            "tags": frozenset(t.lower() for t in spec["tags"]),
        }
    return out


@cache
def not_themes() -> frozenset[str]:
    return frozenset(t.lower() for t in read_yaml(FILE).get("not_themes") or [])


def theme_codes(tags: list[str]) -> list[str]:
    """The controlled themes a process's free tags fall under, in vocabulary order."""
    lowered = {t.strip().lower() for t in tags}
    return [code for code, spec in vocabulary().items() if lowered & spec["tags"]]


def unmapped(tags: list[str]) -> list[str]:
    """Tags that are neither under a theme nor listed as not a theme (new data)."""
    known = not_themes().union(*(spec["tags"] for spec in vocabulary().values()))
    return sorted({t for t in tags if t.strip().lower() not in known})


def check(tags: list[str]) -> None:
    missing = unmapped(tags)
    if missing:
        raise DataError(f"{FILE}: map these process themes or list them as not themes: {missing}")
