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
        "OHCHR and UN DESA pages; zh, ru, es from i18n/hld2013_round_tables.csv (each title with "
        "its source: OHCHR Chinese page as read on a test mirror of ohchr.org, the Lima 2013 "
        "Chair's summary in Russian, a Mexican government release)",
        "licence": "UN document text",
    },
    "gcm": {
        "name": "Objectives of the Global Compact for Safe, Orderly and Regular Migration",
        "source": "A/RES/73/195, transcribed (gcm/gcm_objectives.csv, see SOURCES.md); French and "
        "Spanish titles from i18n/gcm_objectives_6lang.csv (UN Network on Migration and IOM pages)",
        "licence": "UN General Assembly document text",
    },
    "gcm-principles": {
        "name": "Guiding principles of the Global Compact for Migration (para. 15)",
        "source": "UN Network on Migration hub filter lists (gcm/gcm_guiding_principles.csv); "
        "Chinese from A/RES/76/266, para. 3 (i18n/gcm_principles_6lang.csv)",
        "licence": "UN Network on Migration labels",
    },
    "sdg": {
        "name": "Sustainable Development Goals and targets",
        "source": "open-sdg/sdg-translations (A/RES/70/1 wording)",
        "licence": "MIT (translations repository); UN wording",
    },
}
_ROUND_TABLE = re.compile(r"^(RT\d):\s*(.+)$")
# titles in i18n/gcm_objectives_6lang.csv whose note starts with this are left out (the one
# Russian title is a draft's wording, not checked against the adopted text)
_UNCERTAIN = "UNCERTAIN"


def _researched(name: str, key: str, column: str) -> dict[str, dict[str, str]]:
    """``{code: {lang: text}}`` from one of the i18n CSV files, sourced rows only."""
    out: dict[str, dict[str, str]] = {}
    for row in read_csv(name):
        text = (row.get(column) or "").strip()
        source = (row.get("source") or row.get("source_url") or "").strip()
        if not text or not source or row["lang"] == "en" or row["lang"] not in LANGUAGES:
            continue
        if (row.get("note") or "").startswith(_UNCERTAIN):
            continue
        out.setdefault(row[key], {})[row["lang"]] = text
    return out


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
    hld_titles = _researched("i18n/hld2013_round_tables.csv", "number", "title")
    for text in hld2013["round_tables"]:
        match = _ROUND_TABLE.match(text)
        if match:
            labels = {"en": match[2], **hld_titles.get(match[1].removeprefix("RT"), {})}
            notes = {}
            if "ru" in labels:
                notes["en"] = (
                    "The Russian title is the short label of the Lima 2013 Chair's summary "
                    "(para. 7), not the full title of A/RES/67/219."
                )
            concept("hld2013", match[1], labels=labels, notes=notes)

    gcm_titles = _researched("i18n/gcm_objectives_6lang.csv", "objective", "title")
    principles = _researched("i18n/gcm_principles_6lang.csv", "item", "label")
    for row in read_csv("gcm/gcm_objectives.csv"):
        labels = {
            lang: row[f"title_{lang}"] for lang in ("en", "fr", "es") if row.get(f"title_{lang}")
        }
        for lang, title in gcm_titles.get(row["objective"], {}).items():
            labels.setdefault(lang, title)
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
        for lang, label in principles.get(row["para15_item"], {}).items():
            labels.setdefault(lang, label)
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
