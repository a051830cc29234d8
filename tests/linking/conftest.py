"""Linkers built once per test session: one from the loaded registry (per database backend)
and one from a few hand-made entries, for tests that need no database."""

from __future__ import annotations

import pytest

from rcphub.db import Database
from rcphub.linking import EntityLinker, Gazetteer, GazetteerEntry


@pytest.fixture(scope="session")
def gazetteer(loaded_database: Database) -> Gazetteer:
    with loaded_database.session() as session:
        return Gazetteer.from_session(session)


@pytest.fixture(scope="session")
def linker(gazetteer: Gazetteer) -> EntityLinker:
    return EntityLinker(gazetteer)


def entry(ref: str, names=None, acronyms=None) -> GazetteerEntry:
    return GazetteerEntry(
        ref=ref, names=names or {}, acronyms=acronyms or {}, kind=ref.partition(":")[0]
    )


SMALL_ENTRIES = [
    entry("state:GIN", {"en": ["Guinea"], "ru": ["Гвинея"]}),
    entry("state:PNG", {"en": ["Papua New Guinea"], "ru": ["Папуа — Новая Гвинея"]}),
    entry("state:TGO", {"en": ["Togo"], "ru": ["Того"]}),
    entry("state:HUN", {"en": ["Hungary"], "ru": ["Венгрия"]}),
    entry(
        "org:iom",
        {
            "en": ["International Organization for Migration"],
            "fr": ["Organisation internationale pour les migrations"],
            "ru": ["Международная организация по миграции"],
            "ar": ["المنظمة الدولية للهجرة"],
            "zh": ["国际移民组织", "移民组织"],
        },
        {"en": ["IOM"], "fr": ["OIM"], "es": ["OIM"], "ru": ["МОМ"]},
    ),
    entry("process:budapest-process", {"en": ["Budapest Process"], "ru": ["Будапештский процесс"]}),
]


@pytest.fixture(scope="session")
def small_linker() -> EntityLinker:
    return EntityLinker(Gazetteer.from_entries(SMALL_ENTRIES))
