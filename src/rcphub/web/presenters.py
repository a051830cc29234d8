"""Shaping service results for the templates: grouping, ordering and map inputs.

Pure functions over the registry schemas (no session, no request), so they are easy to test
and the routes stay thin.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from rcphub import urls
from rcphub.registry.schemas import (
    MeetingOut,
    MembershipListOut,
    MembershipOut,
    ProcessSummary,
    StateSummary,
)

LIST_ORDER = ("members", "observers", "chair", "secretariat")

MAP_ROLE_PRIORITY = (
    "member",
    "associate-member",
    "founding-member",
    "participant",
    "partner",
    "observer",
    "chair",
    "secretariat",
)
"""When a state holds several roles in one process, the map shows the first of these."""

SERIES_ORDER = ("grcp", "gfmd", "hld", "imrf", "process")


def party_href(ref: str) -> str:
    """``state:PER`` → ``/countries/PER``; ``org:iom`` and ``process:igc`` → ``/processes/…``."""
    kind, _, ident = ref.partition(":")
    return urls.country(ident) if kind == "state" else urls.process(ident)


@dataclass
class ListSection:
    """One membership list of a process, with the memberships that come from it."""

    key: str
    info: MembershipListOut | None
    rows: list[MembershipOut] = field(default_factory=list)

    @property
    def named(self) -> int:
        """How many parties the list names, counted as its stated count counts them (a
        members list's stated count is a number of states, e.g. "45 Member States")."""
        if self.info is None:
            return len(self.rows)
        return self.info.named_states if self.key == "members" else self.info.named_count

    @property
    def columns(self) -> set[str]:
        """The optional columns with something to show (subgroup, since, until, note)."""
        return {
            column
            for column in ("subgroup", "since", "until", "note")
            if any(getattr(m, column) for m in self.rows)
        }

    @property
    def shows_completeness(self) -> bool:
        return self.key in ("members", "observers") and self.info is not None


def membership_sections(
    lists: Sequence[MembershipListOut], memberships: Sequence[MembershipOut]
) -> list[ListSection]:
    sections = {lst.key: ListSection(lst.key, lst) for lst in lists}
    for membership in memberships:
        key = membership.list_key
        sections.setdefault(key, ListSection(key, None)).rows.append(membership)
    order = {key: i for i, key in enumerate(LIST_ORDER)}
    return sorted(sections.values(), key=lambda s: order.get(s.key, len(order)))


def role_map(memberships: Iterable[MembershipOut]) -> dict[str, str]:
    """ISO3 → the role to colour a state by on a process's map."""
    rank = {role: i for i, role in enumerate(MAP_ROLE_PRIORITY)}
    best: dict[str, str] = {}
    for m in memberships:
        kind, _, iso3 = m.party.partition(":")
        if kind != "state":
            continue
        current = best.get(iso3)
        if current is None or rank.get(m.role, 99) < rank.get(current, 99):
            best[iso3] = m.role
    return best


@dataclass
class KindGroup:
    kind: str
    processes: list[ProcessSummary]


def group_by_kind(processes: Sequence[ProcessSummary], kinds: Sequence[str]) -> list[KindGroup]:
    groups = [KindGroup(kind, [p for p in processes if p.kind == kind]) for kind in kinds]
    return [g for g in groups if g.processes]


@dataclass
class RegionGroup:
    code: str | None
    states: list[StateSummary]


def group_by_region(
    states: Sequence[StateSummary], region_codes: Sequence[str], sort_key
) -> list[RegionGroup]:
    groups = {code: RegionGroup(code, []) for code in region_codes}
    other = RegionGroup(None, [])
    for state in states:
        groups.get(state.region or "", other).states.append(state)
    result = [g for g in groups.values() if g.states]
    if other.states:
        result.append(other)
    for group in result:
        group.states.sort(key=sort_key)
    return result


@dataclass
class SeriesGroup:
    series: str
    meetings: list[MeetingOut]


def group_by_series(meetings: Sequence[MeetingOut]) -> list[SeriesGroup]:
    order = {s: i for i, s in enumerate(SERIES_ORDER)}
    by_series: dict[str, list[MeetingOut]] = {}
    for meeting in meetings:
        by_series.setdefault(meeting.series, []).append(meeting)
    groups = [SeriesGroup(s, sorted(ms, key=meeting_sort_key)) for s, ms in by_series.items()]
    return sorted(groups, key=lambda g: order.get(g.series, len(order)))


def meeting_sort_key(meeting: MeetingOut) -> tuple[int, date]:
    return meeting.year, meeting.start_date or date(meeting.year, 12, 31)


def latest_meetings(meetings: Sequence[MeetingOut], limit: int = 5) -> list[MeetingOut]:
    """The most recent meetings (including announced ones), newest first."""
    return sorted(meetings, key=meeting_sort_key, reverse=True)[:limit]


def is_upcoming(meeting: MeetingOut, today: date) -> bool:
    if meeting.start_date is not None:
        return meeting.start_date > today
    return meeting.year > today.year


@dataclass
class ConceptNode:
    code: str
    labels: dict[str, str]
    short_labels: dict[str, str]
    children: list[ConceptNode] = field(default_factory=list)


def concept_tree(concepts: Iterable) -> list[ConceptNode]:
    """Concepts nested under their parents (SDG targets under goals), in the scheme's order."""
    nodes: dict[str, ConceptNode] = {}
    roots: list[ConceptNode] = []
    pending = []
    for concept in concepts:
        node = ConceptNode(concept.code, concept.labels, concept.short_labels)
        nodes[concept.code] = node
        pending.append((concept.parent, node))
    for parent, node in pending:
        if parent and parent in nodes:
            nodes[parent].children.append(node)
        else:
            roots.append(node)
    return roots


_ISO_DATES = re.compile(r"\d{4}-\d{2}-\d{2}(?:/\d{4}-\d{2}-\d{2})?")


def dates_note(meeting: MeetingOut) -> str | None:
    """What the source says about the dates beyond the dates themselves ("(online)",
    "postponed from ..."), or the whole text when the dates could not be read."""
    text = (meeting.dates_text or "").strip()
    if not text:
        return None
    if meeting.start_date is None:
        return text
    rest = _ISO_DATES.sub("", text).strip(" ;,")
    return text if rest else None


# ---------------------------------------------------------------- compilers' notes


def may_see_editor_notes(principal: Any, body_id: str | None) -> bool:
    """Admins see the compilers' notes of every record; a process's secretariat those of its
    process and its meetings. Nobody else (the notes are working notes, not published facts)."""
    from rcphub.accounts.policy import Role

    if principal is None or not principal.authenticated:
        return False
    if principal.is_admin:
        return True
    return body_id is not None and body_id in principal.processes_with(Role.SECRETARIAT)


def editor_notes(
    session: Any,
    principal: Any,
    *,
    body_id: str | None = None,
    meeting_id: str | None = None,
) -> list[dict[str, str]] | None:
    """The "Notes on this record" of a process or meeting page, or None for a viewer who may
    not see them."""
    from rcphub.db.models import Body, Meeting

    if not may_see_editor_notes(principal, body_id):
        return None
    record = (
        session.get(Meeting, meeting_id) if meeting_id is not None else session.get(Body, body_id)
    )
    return list(record.editor_notes or []) if record is not None else []
