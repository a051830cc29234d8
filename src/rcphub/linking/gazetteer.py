"""The gazetteer: every state, process and organisation of the registry with the ways it is
written in the six UN languages.

Two sources, merged per entity reference:

- the registry (``states``: UNSD M49 names, UNTERM short and formal names, official and CLDR
  names; ``bodies``: names, mostly English only, and acronyms such as ``SACM / CSM``), cleaned
  into plain names (``Bolivia (Plurinational State of)`` also gives ``Bolivia``;
  ``Conferencia Regional sobre Migración (CRM) / Proceso Puebla`` gives two names and an
  acronym);
- ``refdata/data/gazetteer.yaml``: names, short names and acronyms of processes and
  organisations as UN documents write them in each language, aliases of states that documents
  use and the registry lacks, and the ambiguity rules (:class:`LinkingRules`).

Entries of the YAML file whose reference is not in the registry are left out: the registry
decides what exists.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from rcphub.db.models import Body, State
from rcphub.linking.model import ContextRule, GazetteerEntry, LinkingRules
from rcphub.linking.normalise import LANGUAGES
from rcphub.refdata import party_ref
from rcphub.refdata.files import read_yaml

GAZETTEER_FILE = "gazetteer.yaml"
_TRAILING_PARENS = re.compile(r"^(?P<head>.*?)\s*[(（](?P<inner>[^()（）]*)[)）]\s*$")
_ACRONYM_SHAPE = re.compile(r"^[\w+.\-]{1,16}$")


class Gazetteer:
    """Entries to link (built once, then read only) and the rules for ambiguous forms."""

    def __init__(self, entries: Iterable[GazetteerEntry], rules: LinkingRules) -> None:
        self.entries: tuple[GazetteerEntry, ...] = tuple(entries)
        self.rules = rules

    def __len__(self) -> int:
        return len(self.entries)

    def entry(self, ref: str) -> GazetteerEntry | None:
        return next((e for e in self.entries if e.ref == ref), None)

    @classmethod
    def from_entries(
        cls, entries: Iterable[GazetteerEntry], rules: LinkingRules | None = None
    ) -> Gazetteer:
        """A gazetteer of exactly these entries; the packaged rules unless ``rules`` is given."""
        return cls(entries, load_rules() if rules is None else rules)

    @classmethod
    def from_session(cls, session: Session) -> Gazetteer:
        """States and bodies of the registry, completed by gazetteer.yaml."""
        data = read_yaml(GAZETTEER_FILE)
        rules = _rules(data.get("rules") or {})
        entries: dict[str, GazetteerEntry] = {}
        for state in session.scalars(select(State).order_by(State.iso3)):
            entry = _state_entry(state)
            entries[entry.ref] = entry
        for body in session.scalars(select(Body).order_by(Body.id)):
            entry = _body_entry(body, rules.acronyms_never)
            entries[entry.ref] = entry
        for spec in data.get("entries", []):
            ref = spec["ref"]
            if ref in entries:
                entries[ref] = merge_entries(entries[ref], _yaml_entry(spec))
        return cls(entries.values(), rules)


def load_rules() -> LinkingRules:
    """The ambiguity rules of the packaged gazetteer.yaml."""
    return _rules(read_yaml(GAZETTEER_FILE).get("rules") or {})


def merge_entries(first: GazetteerEntry, second: GazetteerEntry) -> GazetteerEntry:
    """The names and acronyms of both, in order, without repeats."""

    def union(a: dict[str, list[str]], b: dict[str, list[str]]) -> dict[str, list[str]]:
        out = {lang: list(values) for lang, values in a.items()}
        for lang, values in b.items():
            target = out.setdefault(lang, [])
            target.extend(v for v in values if v not in target)
        return out

    return GazetteerEntry(
        ref=first.ref,
        names=union(first.names, second.names),
        acronyms=union(first.acronyms, second.acronyms),
        kind=first.kind,
    )


def _add(target: dict[str, list[str]], lang: str, value: str | None) -> None:
    value = (value or "").strip()
    if value and value not in target.setdefault(lang, []):
        target[lang].append(value)


def _state_entry(state: State) -> GazetteerEntry:
    names: dict[str, list[str]] = {}
    for lang in LANGUAGES:
        values = [state.names.get(lang), state.formal_names.get(lang)]
        values += list((state.aliases or {}).get(lang) or [])
        for value in values:
            if not value:
                continue
            _add(names, lang, value)
            match = _TRAILING_PARENS.match(value)
            if match and len(match.group("inner")) > 2:
                # 'Bolivia (Plurinational State of)' is also written 'Bolivia'; '刚果（金）' is
                # not written '刚果'
                _add(names, lang, match.group("head"))
    return GazetteerEntry(ref=f"state:{state.iso3}", names=names, acronyms={}, kind="state")


def body_forms(value: str) -> tuple[list[str], list[str]]:
    """Names and acronyms in one registry name: ``A (B) / C`` → names A, C and acronym B
    (or name B when B is a name: ``... (Colombo Process)``, ``(formerly COMESA RCP)``)."""
    names: list[str] = []
    acronyms: list[str] = []
    for part in value.split(" / "):
        part = part.strip()
        match = _TRAILING_PARENS.match(part)
        if not match:
            names.append(part)
            continue
        names.append(match.group("head"))
        inner = match.group("inner").strip()
        if inner.startswith("formerly "):
            inner = inner.removeprefix("formerly ").strip()
        if _ACRONYM_SHAPE.match(inner) and any(c.isupper() or c.isdigit() for c in inner):
            acronyms.append(inner)
        elif inner[:1].isupper():
            names.append(inner)
    return [n for n in names if n], acronyms


def _body_entry(body: Body, acronyms_never: frozenset[str]) -> GazetteerEntry:
    ref = party_ref(body.kind, body.id)
    names: dict[str, list[str]] = {}
    acronyms: dict[str, list[str]] = {}
    for lang, value in (body.names or {}).items():
        if lang not in LANGUAGES or not value:
            continue
        found, inner_acronyms = body_forms(value)
        for name in found:
            # a one-word name is an acronym or a fragment (curation.yaml's MARRI reads
            # 'Migration'): never safe to link as a name (Chinese writes no spaces)
            if lang == "zh" or len(name.split()) > 1:
                _add(names, lang, name)
        for acronym in inner_acronyms:
            _add(acronyms, lang, acronym)
    for acronym in (body.acronym or "").split(" / "):
        if acronym in acronyms_never:
            continue
        for lang in LANGUAGES:  # a Latin acronym is written so in any language's text
            _add(acronyms, lang, acronym)
    return GazetteerEntry(ref=ref, names=names, acronyms=acronyms, kind=ref.partition(":")[0])


def _yaml_entry(spec: dict[str, Any]) -> GazetteerEntry:
    def per_language(value: Any) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for lang, values in (value or {}).items():
            if lang not in LANGUAGES:
                raise ValueError(f"gazetteer.yaml {spec['ref']}: unknown language {lang!r}")
            for item in [values] if isinstance(values, str) else values:
                _add(out, lang, str(item))
        return out

    ref = spec["ref"]
    return GazetteerEntry(
        ref=ref,
        names=per_language(spec.get("names")),
        acronyms=per_language(spec.get("acronyms")),
        kind=ref.partition(":")[0],
    )


def yaml_entries() -> list[GazetteerEntry]:
    """The entries of gazetteer.yaml alone (for tests and tools)."""
    return [_yaml_entry(spec) for spec in read_yaml(GAZETTEER_FILE).get("entries", [])]


def _rules(spec: dict[str, Any]) -> LinkingRules:
    context = tuple(
        ContextRule(
            language=item["language"],
            form=item["form"],
            not_followed_by=frozenset(str(v) for v in item.get("not_followed_by") or ()),
            preceded_by=frozenset(str(v) for v in item.get("preceded_by") or ()),
        )
        for item in spec.get("context") or ()
    )
    return LinkingRules(
        capitalised={
            lang: frozenset(values) for lang, values in (spec.get("capitalised") or {}).items()
        },
        blockers={lang: tuple(values) for lang, values in (spec.get("blockers") or {}).items()},
        acronyms_never=frozenset(spec.get("acronyms_never") or ()),
        context=context,
    )
