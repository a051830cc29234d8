"""Multilingual gazetteer and entity linker over the registry.

Finds mentions of states (``state:PER``), processes (``process:bali-process``) and
organisations (``org:iom``) in text of the six UN languages, with exact character spans::

    gazetteer = Gazetteer.from_session(session)  # registry + refdata/data/gazetteer.yaml
    linker = EntityLinker(gazetteer)              # build once; thread-safe afterwards
    linker.find("правительство Перу и МОМ", "ru")
    # [Mention('state:PER', 14, 18, 'Перу'), Mention('org:iom', 21, 24, 'МОМ')]

See :mod:`rcphub.linking.normalise` for the keys per language and :mod:`rcphub.linking.linker`
for the matching and ambiguity rules.
"""

from rcphub.linking.gazetteer import Gazetteer, load_rules, yaml_entries
from rcphub.linking.linker import EntityLinker
from rcphub.linking.model import ContextRule, GazetteerEntry, LinkingRules, Mention

__all__ = [
    "ContextRule",
    "EntityLinker",
    "Gazetteer",
    "GazetteerEntry",
    "LinkingRules",
    "Mention",
    "load_rules",
    "yaml_entries",
]
