"""Processes and organisations from iscm-reference.yaml, normalised into one model.

The source file describes each membership list in its own shape (``iso3``,
``countries_of_origin``, ``eu_iso3``, ``member_organisations``, a sentence instead of a list,
...). :data:`MEMBER_KEYS` and :data:`OBSERVER_KEYS` say what each shape means; curation.yaml adds
the judgements the file leaves in prose (which organisation a name means, who the secretariat
and the chair are). Every membership row keeps the as-of date, completeness flag and sources of
the list it comes from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from rcphub.config import LANGUAGES
from rcphub.errors import DataError
from rcphub.refdata.editorial import Notes
from rcphub.refdata.files import read_yaml
from rcphub.refdata.names import add_researched_names
from rcphub.refdata.process_themes import check as check_themes

PROCESS_KINDS = ("rcp", "irf", "global")
ORGANISATION_KINDS = ("regional-body", "intl-org")
KINDS = PROCESS_KINDS + ORGANISATION_KINDS
ROLES = (
    "member",
    "associate-member",
    "observer",
    "participant",
    "partner",
    "founding-member",
    "secretariat",
    "chair",
)

# key in the source's `members` mapping -> (role, subgroup, party type)
MEMBER_KEYS: dict[str, tuple[str, str, str]] = {
    "iso3": ("member", "", "state"),
    "countries_of_origin": ("member", "origin", "state"),
    "countries_of_destination": ("member", "destination", "state"),
    "eu_iso3": ("member", "eu", "state"),
    "non_eu_iso3": ("member", "non-eu", "state"),
    "african_iso3": ("member", "african", "state"),
    "european_iso3": ("member", "european", "state"),
    "founding": ("founding-member", "", "state"),
    "silk_routes_participating": ("participant", "silk-routes", "state"),
    "member_organisations": ("member", "", "org"),
    "participating_organisations": ("participant", "", "org"),
    "partner_organisations": ("partner", "", "org"),
}
OBSERVER_KEYS: dict[str, tuple[str, str, str]] = {
    "states": ("observer", "", "state"),
    "observer_states": ("observer", "", "state"),
    "organisations": ("observer", "", "org"),
    "associate_members": ("associate-member", "", "state"),
}
# keys that describe a list rather than name its parties
DESCRIPTIVE_KEYS = {
    "as_of",
    "complete",
    "note",
    "count",
    "count_member_states",
    "count_observer_states",
    "count_observer_organisations",
    "joined",
    "withdrawn",
    "unverified_remaining_GK",
}
_YEAR = re.compile(r"\b(19[5-9]\d|20\d\d)\b")


def party_ref(kind: str, ident: str) -> str:
    """The entity reference of a body: ``process:<id>`` or ``org:<id>``."""
    return f"{'org' if kind in ORGANISATION_KINDS else 'process'}:{ident}"


@dataclass
class BodyRows:
    bodies: list[dict[str, Any]] = field(default_factory=list)
    lists: list[dict[str, Any]] = field(default_factory=list)
    memberships: list[dict[str, Any]] = field(default_factory=list)


class _Normaliser:
    def __init__(self, known_states: set[str]) -> None:
        self.reference = read_yaml("iscm-reference.yaml")
        self.curation = read_yaml("curation.yaml")
        self.known_states = known_states
        self.rows = BodyRows()
        self.kinds: dict[str, str] = {}
        self.org_alias: dict[str, str] = {}
        self._seen: set[tuple[str, str, str, str]] = set()
        self.notes: dict[str, Notes] = {}

    def _notes(self, body_id: str) -> Notes:
        return self.notes.setdefault(body_id, Notes())

    def run(self) -> BodyRows:
        entries = self.reference["processes"]
        for entry in entries:
            self.kinds[entry["id"]] = entry["kind"]
        for org_id, spec in self.curation["organisations"].items():
            for alias in spec.get("aliases", []):
                self.org_alias[alias] = org_id
            if org_id not in self.kinds:
                self.kinds[org_id] = "intl-org"
                self.rows.bodies.append(self._listed_only(org_id, spec))
        for entry in entries:
            self._body(entry)
        for key, role in (("secretariats", "secretariat"), ("chairs", "chair")):
            for body_id, spec in self.curation[key].items():
                self._curated(body_id, role, spec)
        for body in self.rows.bodies:
            body["editor_notes"] = self._notes(body["id"]).items
        add_researched_names(self.rows.bodies)
        return self.rows

    def _listed_only(self, org_id: str, spec: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": org_id,
            "kind": "intl-org",
            "acronym": spec.get("acronym"),
            "names": dict(spec.get("names", {})),
            "established": None,
            "established_note": None,
            "scope": None,
            "themes": [],
            "secretariat": None,
            "chair_rotation": None,
            "website": None,
            "sources": [],
            "confidence": None,
            "confidence_note": None,
            "membership_note": None,
            "region_codes": [],
            "listed_only": True,
            "name_sources": {},
            "editor_notes": [],
        }

    def _body(self, entry: dict[str, Any]) -> None:
        body_id = entry["id"]
        if entry["kind"] not in KINDS:
            raise DataError(f"{body_id}: unknown kind {entry['kind']!r}")
        names = {"en": entry["name_en"]}
        # the file keeps a few names in other languages (an Italian one) for reference only
        names.update({k: v for k, v in (entry.get("names") or {}).items() if v and k in LANGUAGES})
        notes = self._notes(body_id)
        self.rows.bodies.append(
            {
                "id": body_id,
                "kind": entry["kind"],
                "acronym": entry.get("acronym"),
                "names": names,
                "established": entry.get("established"),
                "established_note": None,
                "scope": notes.take("scope", entry.get("scope")),
                "themes": list(entry.get("themes") or []),
                "secretariat": notes.take("secretariat", entry.get("secretariat")),
                "chair_rotation": notes.take("chair_rotation", entry.get("chair_rotation")),
                "website": entry.get("website"),
                "sources": list(entry.get("sources") or []),
                "confidence": entry.get("confidence"),
                "confidence_note": None,
                "membership_note": None,
                "region_codes": [],
                "listed_only": False,
            }
        )
        self._list(body_id, "members", entry.get("members"), MEMBER_KEYS)
        self._list(body_id, "observers", entry.get("observers"), OBSERVER_KEYS)

    def _list(
        self,
        body_id: str,
        key: str,
        spec: Any,
        keys: dict[str, tuple[str, str, str]],
    ) -> None:
        if spec is None:
            return
        as_of = None
        notes = self._notes(body_id)
        if isinstance(spec, str):
            description = notes.take(f"{key}.description", spec)
            self.rows.lists.append(self._list_row(body_id, key, description=description))
            return
        unknown = set(spec) - set(keys) - DESCRIPTIVE_KEYS
        if unknown:
            raise DataError(f"{body_id}.{key}: unknown keys {sorted(unknown)}")
        as_of = notes.take(f"{key}.as_of", spec.get("as_of"))
        note = notes.take(f"{key}.note", spec.get("note"))
        if spec.get("unverified_remaining_GK"):
            notes.add(
                f"{key}.note",
                "Not listed here (general knowledge, unverified): "
                + ", ".join(spec["unverified_remaining_GK"]),
            )
        description = None
        if isinstance(spec.get("organisations"), str):
            description = notes.take(f"{key}.description", spec["organisations"])
        count = spec.get("count") or spec.get("count_member_states")
        self.rows.lists.append(
            self._list_row(
                body_id,
                key,
                as_of=as_of,
                complete=spec.get("complete"),
                stated_count=count,
                note=note,
                description=description,
            )
        )
        if key == "members" and (
            spec.get("count_observer_states") or spec.get("count_observer_organisations")
        ):
            self.rows.lists.append(
                self._list_row(
                    body_id,
                    "observers",
                    as_of=as_of,
                    complete=False,
                    stated_count=(spec.get("count_observer_states") or 0)
                    + (spec.get("count_observer_organisations") or 0),
                    description=(
                        f"{spec.get('count_observer_states') or 0} observer states and "
                        f"{spec.get('count_observer_organisations') or 0} observer "
                        "organisations (not named in the source)"
                    ),
                )
            )
        excluded = set(self.curation["not_members"].get(body_id, {}).get("states", []))
        joined = spec.get("joined") or {}
        withdrawn = spec.get("withdrawn") or {}
        for source_key, (role, subgroup, party_type) in keys.items():
            values = spec.get(source_key)
            if not isinstance(values, list):
                continue
            for value in values:
                if party_type == "state" and role == "member" and value in excluded:
                    continue
                party = self._party(body_id, party_type, value)
                since = joined.get(value) if party_type == "state" else None
                until = withdrawn.get(value) if party_type == "state" else None
                self._membership(
                    body_id,
                    key,
                    party,
                    role,
                    subgroup,
                    since=str(since) if since else None,
                    until=str(until) if until else None,
                    note=None if party_type == "state" else f"named in the source as {value!r}",
                )

    def _list_row(self, body_id: str, key: str, **values: Any) -> dict[str, Any]:
        as_of = values.get("as_of")
        years = [int(y) for y in _YEAR.findall(as_of or "")]
        return {
            "body_id": body_id,
            "key": key,
            "as_of": as_of,
            "as_of_year": max(years) if years else None,
            "complete": values.get("complete"),
            "stated_count": values.get("stated_count"),
            "note": values.get("note"),
            "description": values.get("description"),
        }

    def _party(self, body_id: str, party_type: str, value: str) -> str:
        if party_type == "state":
            if value not in self.known_states:
                raise DataError(f"{body_id}: unknown state code {value!r}")
            return f"state:{value}"
        org_id = self.org_alias.get(value)
        if org_id is None:
            raise DataError(f"{body_id}: organisation {value!r} is not in curation.yaml")
        return party_ref(self.kinds[org_id], org_id)

    def _membership(
        self,
        body_id: str,
        list_key: str,
        party: str,
        role: str,
        subgroup: str,
        *,
        since: str | None = None,
        until: str | None = None,
        note: str | None = None,
    ) -> None:
        key = (body_id, party, role, subgroup)
        if key in self._seen:
            return
        self._seen.add(key)
        party_type, _, ident = party.partition(":")
        self.rows.memberships.append(
            {
                "body_id": body_id,
                "list_key": list_key,
                "party": party,
                "state_iso3": ident if party_type == "state" else None,
                "org_id": None if party_type == "state" else ident,
                "role": role,
                "subgroup": subgroup,
                "since": since,
                "until": until,
                "note": note,
            }
        )

    def _curated(self, body_id: str, role: str, spec: dict[str, Any]) -> None:
        if body_id not in self.kinds:
            raise DataError(f"curation.yaml names unknown body {body_id!r}")
        list_key = "secretariat" if role == "secretariat" else "chair"
        basis = self._notes(body_id).take(f"{list_key}.basis", spec["basis"])
        self.rows.lists.append(
            self._list_row(body_id, list_key, as_of=spec.get("since"), note=basis)
        )
        for party in spec["parties"]:
            party_type, _, ident = party.partition(":")
            if party_type == "state":
                party = self._party(body_id, "state", ident)
            elif ident in self.kinds:
                party = party_ref(self.kinds[ident], ident)
            else:
                raise DataError(f"curation.yaml: {body_id} names unknown party {party!r}")
            self._membership(
                body_id, list_key, party, role, spec.get("subgroup", ""), since=spec.get("since")
            )


def build_bodies(known_states: set[str], state_regions: dict[str, str | None]) -> BodyRows:
    """Rows for ``bodies``, ``membership_lists`` and ``memberships``.

    ``state_regions`` maps ISO3 to M49 region code, to record which UN regions a process's
    members come from (the region filter of the process list).
    """
    rows = _Normaliser(known_states).run()
    check_themes([tag for body in rows.bodies for tag in body["themes"]])
    regions: dict[str, set[str]] = {}
    for membership in rows.memberships:
        if membership["role"] == "member" and membership["state_iso3"]:
            region = state_regions.get(membership["state_iso3"])
            if region:
                regions.setdefault(membership["body_id"], set()).add(region)
    for body in rows.bodies:
        body["region_codes"] = sorted(regions.get(body["id"], ()))
    return rows
