"""Names of registry entries in more languages, from researched data (``i18n/``).

``i18n/names.yaml`` holds names of processes and organisations in ru/ar/zh (a few fr), each
read from a named source with a quality label and variants (``alt``); ``i18n/un-names.yaml``
holds the UN names of organisations that membership lists name. For each entry and language the
registry's own name (iscm-reference.yaml, curation.yaml) is kept; where it has none, the best
researched one is taken: ``official`` before ``un-usage`` before ``press`` (the order
``i18n/README.md`` sets), the main name before its variants at equal quality.
``i18n/choices.yaml`` records where rcphub picks another variant, and why. A name seen only in
traditional Chinese characters is not used on the (simplified Chinese) pages.

Where no source gives a name, none is made up: pages show the English name, marked as English.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rcphub.config import LANGUAGES
from rcphub.errors import DataError
from rcphub.refdata.files import read_yaml

QUALITY = ("official", "un-usage", "press")
NAME_FILES = ("i18n/names.yaml", "i18n/un-names.yaml", "i18n/choices.yaml")


@dataclass(frozen=True)
class Candidate:
    name: str
    quality: str
    source: str
    order: int  # names.yaml before un-names.yaml; a main name before its variants

    def as_source(self) -> dict[str, str]:
        return {"source": self.source, "quality": self.quality}


def _traditional_only(item: dict[str, Any]) -> bool:
    return "traditional" in str(item.get("note", "")).lower()


def candidates() -> dict[str, dict[str, list[Candidate]]]:
    """Every sourced name: ``{body_id: {lang: [Candidate, ...]}}``."""
    out: dict[str, dict[str, list[Candidate]]] = {}
    for file_index, file_name in enumerate(NAME_FILES[:2]):
        for body_id, by_lang in (read_yaml(file_name) or {}).items():
            for lang, spec in by_lang.items():
                if lang not in LANGUAGES:
                    raise DataError(f"{file_name}: {body_id}: unknown language {lang!r}")
                items = [spec, *(spec.get("alt") or [])]
                found = out.setdefault(body_id, {}).setdefault(lang, [])
                for order, item in enumerate(items):
                    if item.get("quality") not in QUALITY:
                        raise DataError(
                            f"{file_name}: {body_id}.{lang}: quality must be one of {QUALITY}"
                        )
                    if not item.get("source"):
                        raise DataError(f"{file_name}: {body_id}.{lang}: a name needs a source")
                    if lang == "zh" and _traditional_only(item):
                        continue
                    found.append(
                        Candidate(
                            item["name"].strip(),
                            item["quality"],
                            item["source"],
                            file_index * 100 + order,
                        )
                    )
    return out


def researched_names() -> dict[str, dict[str, Candidate]]:
    """The chosen researched name per entry and language."""
    choices = read_yaml("i18n/choices.yaml") or {}
    chosen: dict[str, dict[str, Candidate]] = {}
    for body_id, by_lang in candidates().items():
        for lang, found in by_lang.items():
            if not found:
                continue
            pick = min(found, key=lambda c: (QUALITY.index(c.quality), c.order))
            wanted = (choices.get(body_id) or {}).get(lang)
            if wanted and wanted.get("source"):
                if wanted.get("quality") not in QUALITY:
                    raise DataError(f"i18n/choices.yaml: {body_id}.{lang}: quality missing")
                pick = Candidate(wanted["name"], wanted["quality"], wanted["source"], 0)
            elif wanted:
                matching = [c for c in found if c.name == wanted["name"]]
                if not matching:
                    raise DataError(
                        f"i18n/choices.yaml: {body_id}.{lang}: {wanted['name']!r} is not a "
                        "sourced name"
                    )
                pick = matching[0]
            chosen.setdefault(body_id, {})[lang] = pick
    return chosen


def add_researched_names(bodies: list[dict[str, Any]]) -> None:
    """Fill the languages a body has no name in from the researched names; record sources."""
    chosen = researched_names()
    known = {body["id"] for body in bodies}
    unknown = set(chosen) - known
    if unknown:
        raise DataError(f"names for unknown registry entries: {sorted(unknown)}")
    for body in bodies:
        sources: dict[str, Any] = {}
        for lang, pick in chosen.get(body["id"], {}).items():
            if body["names"].get(lang):
                continue
            body["names"][lang] = pick.name
            sources[lang] = pick.as_source()
        body["name_sources"] = sources


def name_counts(bodies: list[dict[str, Any]]) -> dict[str, dict[str, int]]:
    """How many registry entries and list-only organisations have a name in each language."""
    groups = {"entries": False, "listed-only": True}
    return {
        group: {
            lang: sum(1 for b in bodies if b["listed_only"] == listed and b["names"].get(lang))
            for lang in LANGUAGES
        }
        for group, listed in groups.items()
    }
