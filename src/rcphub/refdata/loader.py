"""`rcphub load`: put the bundled reference data into the database, idempotently.

Each table is synchronised by its natural key: a row that is missing is inserted, a row whose
values differ is updated, a row the data no longer has is deleted. Running it twice changes
nothing the second time; one transaction covers the whole load.

What a person changed through the pages, the API or the CLI (:mod:`rcphub.editing`, marked
by its edit history) is never overwritten or deleted: the load keeps it and lists the
conflicts (:attr:`LoadReport.conflicts`) for an admin to decide.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from rcphub.db.models import (
    Base,
    Body,
    Concept,
    LoadRecord,
    Meeting,
    Membership,
    MembershipList,
    Region,
    Scheme,
    State,
)
from rcphub.refdata.bodies import build_bodies
from rcphub.refdata.files import checksum
from rcphub.refdata.meetings import build_meetings
from rcphub.refdata.migration import load_migrant_stock, migrant_stock_is_current
from rcphub.refdata.provenance import Protected, as_json, person_edits
from rcphub.refdata.states import build_regions_and_states
from rcphub.refdata.taxonomies import build_taxonomies

DATA_FILES = (
    "iscm-reference.yaml",
    "curation.yaml",
    "m49/country-codes.csv",
    *(f"m49/UNSD-methodology-{lang}.csv" for lang in ("en", "fr", "es", "ru", "ar", "zh")),
    "gcm/gcm_objectives.csv",
    "gcm/gcm_guiding_principles.csv",
    "sdg/sdg_goals.csv",
    "sdg/sdg_targets.csv",
    "i18n/names.yaml",
    "i18n/un-names.yaml",
    "i18n/choices.yaml",
    "i18n/hld2013_round_tables.csv",
    "i18n/gcm_objectives_6lang.csv",
    "i18n/gcm_principles_6lang.csv",
)


@dataclass
class TableChanges:
    inserted: int = 0
    updated: int = 0
    deleted: int = 0

    @property
    def total(self) -> int:
        return self.inserted + self.updated + self.deleted


@dataclass
class Conflict:
    """A fact a person changed that the bundled data now gives otherwise: the person's value
    stays; an admin decides (edit it again, or revert the person's change)."""

    table: str
    key: str
    field: str
    bundled: Any
    current: Any

    def as_dict(self) -> dict[str, Any]:
        return {
            "table": self.table,
            "key": self.key,
            "field": self.field,
            "bundled": as_json(self.bundled),
            "current": as_json(self.current),
        }


@dataclass
class LoadReport:
    tables: dict[str, TableChanges] = field(default_factory=dict)
    conflicts: list[Conflict] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(changes.total for changes in self.tables.values())

    def as_dict(self) -> dict[str, dict[str, int]]:
        return {
            name: {"inserted": c.inserted, "updated": c.updated, "deleted": c.deleted}
            for name, c in self.tables.items()
        }


class _Sync:
    """Synchronises tables by natural key; deletions wait until all inserts are done."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.report = LoadReport()
        self.stale: list[list[Base]] = []

    def table(
        self,
        model: type[Base],
        rows: list[dict[str, Any]],
        key: tuple[str, ...],
        protected: Protected | None = None,
        keep: set[tuple[Any, ...]] | None = None,
    ) -> dict[tuple[Any, ...], Base]:
        """Synchronise ``model`` with ``rows``, except what a person set (``protected``: those
        columns keep their value, the rows are not deleted) and the rows of ``keep``."""
        protected = protected or Protected()
        keep = keep or set()
        name = model.__tablename__
        changes = self.report.tables.setdefault(name, TableChanges())
        existing = {
            tuple(getattr(obj, column) for column in key): obj
            for obj in self.session.scalars(select(model))
        }
        current: dict[tuple[Any, ...], Base] = {}
        for row in rows:
            bundled_key = tuple(row[column] for column in key)
            ident = protected.aliases.get(bundled_key, bundled_key)
            if ident in current:  # a person re-keyed a row onto one the data also has
                continue
            obj = existing.pop(ident, None)
            if obj is None:
                obj = model(**row)
                self.session.add(obj)
                changes.inserted += 1
                current[ident] = obj
                continue
            mine = protected.columns.get(ident, set())
            differs = False
            for column, value in row.items():
                if getattr(obj, column) == value:
                    continue
                if column in mine:
                    self._conflict(name, ident, column, value, obj, protected)
                    continue
                setattr(obj, column, value)
                differs = True
            changes.updated += differs
            current[ident] = obj
        for ident in [i for i in existing if protected.keeps(i) or i in keep]:
            obj = existing.pop(ident)
            current[ident] = obj
            if ident not in protected.created and ident not in keep:
                self.report.conflicts.append(
                    Conflict(name, "/".join(map(str, ident)), "*", None, "kept")
                )
        self.stale.append(list(existing.values()))
        changes.deleted += len(existing)
        self.session.flush()
        return current

    def _conflict(
        self,
        table: str,
        ident: tuple[Any, ...],
        column: str,
        bundled: Any,
        obj: Base,
        protected: Protected,
    ) -> None:
        if (ident, column) not in protected.replaced:
            return  # a column that follows from an edited field (a membership's list)
        if as_json(bundled) == protected.replaced[(ident, column)]:
            return  # the data still says what the person corrected: nothing new
        self.report.conflicts.append(
            Conflict(table, "/".join(map(str, ident)), column, bundled, getattr(obj, column))
        )

    def finish(self) -> LoadReport:
        for objects in reversed(self.stale):
            for obj in objects:
                self.session.delete(obj)
            self.session.flush()
        return self.report


def load_reference_data(session: Session) -> LoadReport:
    """Synchronise every reference table with the bundled data; return what changed."""
    regions, states = build_regions_and_states()
    state_regions = {state["iso3"]: state["region_code"] for state in states}
    body_rows = build_bodies(set(state_regions), state_regions)
    schemes, concepts = build_taxonomies()

    edits = person_edits(session)
    sync = _Sync(session)
    sync.table(Region, regions, ("code",))
    sync.table(State, states, ("iso3",))
    sync.table(Body, body_rows.bodies, ("id",), edits.bodies)
    lists = sync.table(MembershipList, body_rows.lists, ("body_id", "key"), keep=edits.lists)
    memberships = []
    for row in body_rows.memberships:
        values = dict(row)
        list_key = values.pop("list_key")
        values["list_id"] = lists[(values["body_id"], list_key)].id
        memberships.append(values)
    sync.table(Membership, memberships, ("body_id", "party", "role", "subgroup"), edits.memberships)
    sync.table(Meeting, build_meetings(), ("id",), edits.meetings)
    sync.table(Scheme, schemes, ("id",))
    sync.table(Concept, concepts, ("scheme_id", "code"))
    report = sync.finish()

    deleted, inserted = load_migrant_stock(session, _now())
    report.tables["migrant_stock"] = TableChanges(inserted=inserted, deleted=deleted)

    digest = checksum(*DATA_FILES)
    record = session.get(LoadRecord, "reference")
    if record is None:
        session.add(LoadRecord(name="reference", checksum=digest, loaded_at=_now()))
    elif report.changed or record.checksum != digest:
        record.checksum = digest
        record.loaded_at = _now()
    return report


def reference_data_is_current(session: Session) -> bool:
    """Whether the database holds the bundled reference data as it is now."""
    record = session.get(LoadRecord, "reference")
    current = record is not None and record.checksum == checksum(*DATA_FILES)
    return current and migrant_stock_is_current(session)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")  # two loads in a second differ
