"""The gazetteer: what it takes from the registry and from gazetteer.yaml."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from rcphub.db import Body, State
from rcphub.linking import Gazetteer, load_rules, yaml_entries
from rcphub.linking.gazetteer import body_forms
from rcphub.linking.normalise import LANGUAGES
from rcphub.refdata import party_ref
from rcphub.refdata.files import read_yaml


def test_every_yaml_entry_names_a_registry_entity_and_its_source(session) -> None:
    states = {f"state:{iso3}" for iso3 in session.scalars(select(State.iso3))}
    bodies = {party_ref(b.kind, b.id) for b in session.scalars(select(Body))}
    for spec in read_yaml("gazetteer.yaml")["entries"]:
        assert spec["ref"] in states | bodies, spec["ref"]
        assert spec.get("source"), spec["ref"]
        assert spec.get("names") or spec.get("acronyms"), spec["ref"]


LOWER_CASE_NAMES = {
    "межправительственные консультации по вопросам миграции, убежища и беженцев",
    "the former Yugoslav Republic of Macedonia",
    "l'ex-République yougoslave de Macédoine",
    "la ex República Yugoslava de Macedonia",
    "бывшая югославская Республика Македония",
}


def test_yaml_names_are_whole_names() -> None:
    """An unquoted comma in a YAML flow list cuts a name in two ('Migration, Asylum ...'):
    the second piece starts lower-case or is one word."""
    for entry in yaml_entries():
        for language, names in entry.names.items():
            assert language in LANGUAGES
            for name in names:
                if language in ("ar", "zh") or name in LOWER_CASE_NAMES:
                    continue
                assert name[:1].isupper() or name[:1].isdigit(), (entry.ref, name)


def entry_of(gazetteer: Gazetteer, ref: str, kind: str):
    entry = gazetteer.entry(ref)
    assert entry is not None, ref
    assert entry.kind == kind
    return entry


def test_from_session_has_states_and_bodies_in_six_languages(gazetteer: Gazetteer) -> None:
    peru = entry_of(gazetteer, "state:PER", "state")
    assert {lang: peru.names[lang][0] for lang in LANGUAGES} == {
        "en": "Peru", "fr": "Pérou", "es": "Perú", "ru": "Перу", "ar": "بيرو", "zh": "秘鲁",
    }  # fmt: skip
    iom = entry_of(gazetteer, "org:iom", "org")
    assert set(iom.names) == set(LANGUAGES)
    assert "МОМ" in iom.acronyms["ru"]
    assert "IOM" in iom.acronyms["en"]
    gfmd = entry_of(gazetteer, "process:gfmd", "process")
    assert set(gfmd.names) == set(LANGUAGES)
    assert "Bolivia" in entry_of(gazetteer, "state:BOL", "state").names["en"]


def test_registry_acronyms_too_ambiguous_are_left_out(gazetteer: Gazetteer) -> None:
    colombo = entry_of(gazetteer, "process:colombo-process", "process")
    assert all("CP" not in values for values in colombo.acronyms.values())
    andean = entry_of(gazetteer, "org:andean-community", "org")
    assert andean.acronyms == {"es": ["CAN"], "fr": ["CAN"]}
    assert "CP" in load_rules().acronyms_never


@pytest.mark.parametrize(
    ("value", "names", "acronyms"),
    [
        ("Organisation internationale pour les migrations (OIM)",
         ["Organisation internationale pour les migrations"], ["OIM"]),
        ("Conferencia Regional sobre Migración (CRM) / Proceso Puebla",
         ["Conferencia Regional sobre Migración", "Proceso Puebla"], ["CRM"]),
        ("Regional Consultative Process on Overseas Employment (Colombo Process)",
         ["Regional Consultative Process on Overseas Employment", "Colombo Process"], []),
        ("Migration Dialogue for COMESA Member States (formerly COMESA RCP)",
         ["Migration Dialogue for COMESA Member States", "COMESA RCP"], []),
        ("UN High-level Dialogue (repurposed from 2022 as the IMRF)",
         ["UN High-level Dialogue"], []),
    ],
)  # fmt: skip
def test_body_forms(value: str, names: list[str], acronyms: list[str]) -> None:
    assert body_forms(value) == (names, acronyms)
