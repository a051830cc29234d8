"""States, territories and UN M49 regions from the UNSD M49 tables and UNTERM names.

Display names are the UNSD M49 names in each UN language (they cover every area); UNTERM short
and formal names, official names and CLDR names (through Babel) become aliases for entity
linking. Kosovo (XKX, a user-assigned code) is not in M49 and takes its names from CLDR.
"""

from __future__ import annotations

import re
from typing import Any

from rcphub.config import LANGUAGES
from rcphub.refdata.files import read_csv, read_yaml

UNTERM_COLUMNS = {
    "en": "English",
    "fr": "French",
    "es": "Spanish",
    "ru": "Russian",
    "ar": "Arabic",
    "zh": "Chinese",
}
OFFICIAL_COLUMNS = {lang: f"official_name_{'cn' if lang == 'zh' else lang}" for lang in LANGUAGES}
EXTRA_STATES = {"XKX": "XK"}  # states named in the reference data but absent from M49
BABEL_LOCALES = {"en": "en", "fr": "fr", "es": "es", "ru": "ru", "ar": "ar", "zh": "zh_Hans"}
_TRAILING_ARTICLE = re.compile(r"\s*\((?:the|le|la|les|l'|l’|el|los|las)\)\s*\*?\s*$")
_LEADING_ARTICLE = re.compile(r"^(?:the|le|la|les|el|los|las)\s+|^l['’]")


def _clean_unterm(name: str) -> str:
    """'Bahamas (the)' → 'Bahamas'; UNTERM marks observers with '*'."""
    name = _TRAILING_ARTICLE.sub("", name).rstrip(" *").strip()
    return _LEADING_ARTICLE.sub("", name)


def _flag(value: str) -> bool:
    return value.strip().lower() == "x"


def _cldr_names(alpha2: str) -> dict[str, str]:
    from babel import Locale

    names = {}
    for lang, locale in BABEL_LOCALES.items():
        name = Locale.parse(locale).territories.get(alpha2)
        if name:
            names[lang] = name
    return names


def build_regions_and_states() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Rows for the ``regions`` and ``states`` tables."""
    codes = {row["ISO3166-1-Alpha-3"]: row for row in read_csv("m49/country-codes.csv")}
    by_lang = {
        lang: {row["ISO-alpha3 Code"]: row for row in read_csv(f"m49/UNSD-methodology-{lang}.csv")}
        for lang in LANGUAGES
    }
    un_status_fixes = read_yaml("curation.yaml").get("un_status", {})
    name_fixes = read_yaml("curation.yaml").get("m49_names", {})
    regions: dict[str, dict[str, Any]] = {}
    states: list[dict[str, Any]] = []
    for iso3, en_row in by_lang["en"].items():
        levels = (
            ("region", "Region", None),
            ("sub-region", "Sub-region", "Region"),
            ("intermediate", "Intermediate Region", "Sub-region"),
        )
        for level, column, parent in levels:
            code = en_row[f"{column} Code"]
            if not code:
                continue
            region = regions.setdefault(
                code,
                {
                    "code": code,
                    "level": level,
                    "parent_code": en_row[f"{parent} Code"] or None if parent else None,
                    "names": {},
                },
            )
            for lang in LANGUAGES:
                name = by_lang[lang].get(iso3, {}).get(f"{column} Name")
                if name:
                    region["names"][lang] = name
        code_row = codes.get(iso3, {})
        names = {
            lang: by_lang[lang][iso3]["Country or Area"]
            for lang in LANGUAGES
            if by_lang[lang].get(iso3, {}).get("Country or Area")
        }
        iso2 = en_row["ISO-alpha2 Code"] or code_row.get("ISO3166-1-Alpha-2") or None
        formal = {}
        aliases: dict[str, list[str]] = {lang: [] for lang in LANGUAGES}
        for lang, fixed in name_fixes.get(iso3, {}).items():
            if lang in LANGUAGES:
                aliases[lang].append(names[lang])  # the copy's form stays findable
                names[lang] = fixed
        for lang, column in UNTERM_COLUMNS.items():
            short = code_row.get(f"UNTERM {column} Short", "").strip()
            if short:
                aliases[lang].append(_clean_unterm(short))
            full = code_row.get(f"UNTERM {column} Formal", "").strip()
            if full:
                formal[lang] = _clean_unterm(full)
                aliases[lang].append(formal[lang])
            official = code_row.get(OFFICIAL_COLUMNS[lang], "").strip()
            if official:
                aliases[lang].append(official)
        for lang, name in (_cldr_names(iso2) if iso2 else {}).items():
            aliases[lang].append(name)
        unterm_en = code_row.get("UNTERM English Short", "")
        if unterm_en.rstrip().endswith("*") and not unterm_en.rstrip().endswith("**"):
            un_status = "observer"  # UNTERM's '*': non-member observer State
        elif code_row.get("UNTERM English Formal") and code_row.get("is_independent") == "Yes":
            un_status = "member"
        else:
            un_status = None
        un_status = un_status_fixes.get(iso3, {}).get("status", un_status)
        states.append(
            {
                "iso3": iso3,
                "iso2": iso2,
                "m49": en_row["M49 Code"],
                "region_code": en_row["Region Code"] or None,
                "subregion_code": en_row["Sub-region Code"] or None,
                "intermediate_region_code": en_row["Intermediate Region Code"] or None,
                "un_status": un_status,
                "independent": (code_row.get("is_independent") == "Yes") if code_row else None,
                "ldc": _flag(en_row["Least Developed Countries (LDC)"]),
                "lldc": _flag(en_row["Land Locked Developing Countries (LLDC)"]),
                "sids": _flag(en_row["Small Island Developing States (SIDS)"]),
                "names": names,
                "formal_names": formal,
                "aliases": _dedupe(aliases, names),
                "name_sources": dict.fromkeys(names, "unsd-m49"),
            }
        )
    for iso3, iso2 in EXTRA_STATES.items():
        names = _cldr_names(iso2)
        states.append(
            {
                "iso3": iso3,
                "iso2": None,
                "m49": None,
                "region_code": "150",
                "subregion_code": "039",
                "intermediate_region_code": None,
                "un_status": None,
                "independent": None,
                "ldc": False,
                "lldc": False,
                "sids": False,
                "names": names,
                "formal_names": {},
                "aliases": {},
                "name_sources": dict.fromkeys(names, "cldr"),
            }
        )
    return sorted(regions.values(), key=lambda r: r["code"]), states


def _dedupe(aliases: dict[str, list[str]], names: dict[str, str]) -> dict[str, list[str]]:
    out = {}
    for lang, values in aliases.items():
        seen = {names.get(lang)}
        unique = []
        for value in values:
            if value and value not in seen:
                seen.add(value)
                unique.append(value)
        if unique:
            out[lang] = unique
    return out
