"""How many names and titles the loaded reference data has in each language (``rcphub load``
prints it; the README's data section and docs/data.md quote it, and a test keeps them true)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from rcphub.config import LANGUAGES
from rcphub.db.models import Body, Concept

GROUPS = (
    ("entries", "registry entries (processes and organisations)"),
    ("listed-only", "organisations named only in lists"),
    ("hld2013", "HLD 2013 round tables"),
    ("gcm", "GCM objectives (titles)"),
    ("gcm-principles", "GCM guiding principles"),
    ("sdg", "SDG goals and targets"),
)


def language_coverage(session: Session) -> dict[str, dict[str, int]]:
    """``{group: {"total": n, "en": n, "fr": n, ...}}`` for the groups of :data:`GROUPS`."""
    out: dict[str, dict[str, int]] = {}
    bodies = list(session.execute(select(Body.listed_only, Body.names)))
    for group, listed in (("entries", False), ("listed-only", True)):
        names = [n or {} for flag, n in bodies if bool(flag) == listed]
        out[group] = {"total": len(names)} | {
            lang: sum(1 for n in names if n.get(lang)) for lang in LANGUAGES
        }
    concepts = list(session.execute(select(Concept.scheme_id, Concept.labels)))
    for group, _label in GROUPS[2:]:
        labels = [lab or {} for scheme, lab in concepts if scheme == group]
        out[group] = {"total": len(labels)} | {
            lang: sum(1 for lab in labels if lab.get(lang)) for lang in LANGUAGES
        }
    return out


def coverage_table(coverage: dict[str, dict[str, int]]) -> list[str]:
    """The coverage as the Markdown table the README and docs/data.md show."""
    lines = [
        "| names and titles | total | " + " | ".join(LANGUAGES) + " |",
        "| --- | ---: | " + " | ".join("---:" for _ in LANGUAGES) + " |",
    ]
    for group, label in GROUPS:
        counts = coverage[group]
        cells = " | ".join(str(counts[lang]) for lang in LANGUAGES)
        lines.append(f"| {label} | {counts['total']} | {cells} |")
    return lines
