"""Thematic schemes: the four round tables of the 2013 High-level Dialogue, the 23 GCM
objectives and 10 guiding principles, the 17 SDGs and their 169 targets."""

from __future__ import annotations

import re
from typing import Any

from rcphub.config import LANGUAGES
from rcphub.refdata.files import read_csv, read_yaml

SCHEMES: dict[str, dict[str, str]] = {
    "hld2013": {
        "name": "Round tables of the 2013 High-level Dialogue on International Migration and "
        "Development",
        "source": "iscm-reference.yaml (global_dialogues.un_high_level_dialogues, 2013), from "
        "OHCHR and UN DESA pages",
        "licence": "UN document text",
    },
    "gcm": {
        "name": "Objectives of the Global Compact for Safe, Orderly and Regular Migration",
        "source": "A/RES/73/195, transcribed (gcm/gcm_objectives.csv, see SOURCES.md)",
        "licence": "UN General Assembly document text",
    },
    "gcm-principles": {
        "name": "Guiding principles of the Global Compact for Migration (para. 15)",
        "source": "UN Network on Migration hub filter lists (gcm/gcm_guiding_principles.csv)",
        "licence": "UN Network on Migration labels",
    },
    "sdg": {
        "name": "Sustainable Development Goals and targets",
        "source": "open-sdg/sdg-translations (A/RES/70/1 wording)",
        "licence": "MIT (translations repository); UN wording",
    },
}
_ROUND_TABLE = re.compile(r"^(RT\d):\s*(.+)$")


def build_taxonomies() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    schemes = [
        {
            "id": scheme_id,
            "names": {"en": spec["name"]},
            "source": spec["source"],
            "licence": spec["licence"],
            "position": position,
        }
        for position, (scheme_id, spec) in enumerate(SCHEMES.items())
    ]
    concepts: list[dict[str, Any]] = []

    def concept(scheme: str, code: str, **values: Any) -> None:
        concepts.append(
            {
                "scheme_id": scheme,
                "code": code,
                "parent_code": values.get("parent_code"),
                "position": len(concepts),
                "labels": values.get("labels", {}),
                "short_labels": values.get("short_labels", {}),
                "notes": values.get("notes", {}),
            }
        )

    hld = read_yaml("iscm-reference.yaml")["global_dialogues"]["un_high_level_dialogues"]
    hld2013 = next(item for item in hld if item["year"] == 2013)
    for text in hld2013["round_tables"]:
        match = _ROUND_TABLE.match(text)
        if match:
            concept("hld2013", match[1], labels={"en": match[2]})

    for row in read_csv("gcm/gcm_objectives.csv"):
        labels = {
            lang: row[f"title_{lang}"] for lang in ("en", "fr", "es") if row.get(f"title_{lang}")
        }
        short = {
            lang: row[f"short_{lang}"] for lang in ("en", "fr", "es") if row.get(f"short_{lang}")
        }
        concept(
            "gcm",
            row["objective"],
            labels=labels,
            short_labels=short,
            notes={"en": f"A/RES/73/195, paragraph {row['gcm_paragraph']}"},
        )
    for row in read_csv("gcm/gcm_guiding_principles.csv"):
        labels = {
            lang: row[f"label_{lang}"] for lang in ("en", "fr", "es") if row.get(f"label_{lang}")
        }
        concept("gcm-principles", row["para15_item"], labels=labels, short_labels=labels)

    for row in read_csv("sdg/sdg_goals.csv"):
        concept(
            "sdg",
            row["goal"],
            labels={lang: row[f"title_{lang}"] for lang in LANGUAGES if row.get(f"title_{lang}")},
            short_labels={
                lang: row[f"short_{lang}"] for lang in LANGUAGES if row.get(f"short_{lang}")
            },
        )
    for row in read_csv("sdg/sdg_targets.csv"):
        concept(
            "sdg",
            row["code"],
            parent_code=row["goal"],
            labels={lang: row[f"title_{lang}"] for lang in LANGUAGES if row.get(f"title_{lang}")},
        )
    return schemes, concepts
