"""Memberships a secretariat keeps: add a party (``state:MAR``, ``org:iom``) in a role, change
its role, subgroup, dates or note, and end it (``until``), each with the source and as-of date
of the change. Asks the policy (:data:`~rcphub.accounts.policy.Action.PROCESS_EDIT` on the
process) and writes history and audit in the caller's transaction.

A membership a person added sits in the process's list for its role (``members``,
``observers``, ``secretariat``, ``chair``), made if the process has none yet; it carries its
own ``source`` and ``as_of`` rather than the list's.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from rcphub import registry
from rcphub.accounts.policy import Action, Principal, authorize
from rcphub.db.models import Body, Membership, MembershipList, State
from rcphub.editing.common import clean_text, clean_url, only_fields
from rcphub.editing.history import CREATED, record_changes
from rcphub.errors import InvalidInput, NotFound
from rcphub.refdata.bodies import ROLES, party_ref
from rcphub.registry.schemas import MembershipOut

__all__ = ["FIELDS", "add_membership", "edit_membership", "end_membership"]

FIELDS = ("role", "subgroup", "since", "until", "note")
PARTY = re.compile(r"(state|org|process):([A-Za-z0-9._-]{1,80})")
PERIOD = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")
LIST_OF_ROLE = {"observer": "observers", "secretariat": "secretariat", "chair": "chair"}
MAX_AS_OF = 40


def _party(session: Session, raw: Any) -> tuple[str, str | None, str | None]:
    """``state:MAR`` → (party, state ISO3, organisation ID)."""
    text = clean_text("party", raw, limit=90, required=True) or ""
    match = PARTY.fullmatch(text)
    if match is None:
        raise InvalidInput(f"a party is state:<ISO3> or org:<id>, not {text[:40]!r}")
    kind, ident = match.groups()
    if kind == "state":
        state = session.get(State, ident.upper())
        if state is None:
            raise InvalidInput(f"no state has the ISO 3166 alpha-3 code {ident!r}")
        return f"state:{state.iso3}", state.iso3, None
    body = session.get(Body, ident.lower())
    if body is None:
        raise InvalidInput(f"no organisation or process has the ID {ident!r}")
    return party_ref(body.kind, body.id), None, body.id


def _values(fields: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for field, raw in fields.items():
        if field == "role":
            role = (clean_text("role", raw, limit=24, required=True) or "").lower()
            if role not in ROLES:
                raise InvalidInput(f"role must be one of: {', '.join(ROLES)} (got {role!r})")
            out[field] = role
        elif field == "subgroup":
            out[field] = (clean_text("subgroup", raw, limit=40) or "").lower()
        elif field in ("since", "until"):
            value = clean_text(field, raw, limit=10)
            if value is not None and not PERIOD.fullmatch(value):
                raise InvalidInput(f"{field} must be YYYY, YYYY-MM or YYYY-MM-DD")
            out[field] = value
        elif field == "note":
            out[field] = clean_text("note", raw, limit=500)
    return out


def _provenance(source: Any, as_of: Any) -> tuple[str | None, str | None]:
    return clean_url("source", source), clean_text("as_of", as_of, limit=MAX_AS_OF)


def _list(session: Session, body_id: str, role: str) -> MembershipList:
    key = LIST_OF_ROLE.get(role, "members")
    found = session.scalars(
        select(MembershipList).where(MembershipList.body_id == body_id, MembershipList.key == key)
    ).first()
    if found is None:
        found = MembershipList(body_id=body_id, key=key)
        session.add(found)
        session.flush()
    return found


def _out(session: Session, row: Membership) -> MembershipOut:
    return registry.get_membership(session, row.id)


def _current(row: Membership) -> dict[str, Any]:
    return {
        "party": row.party,
        "role": row.role,
        "subgroup": row.subgroup,
        "since": row.since,
        "until": row.until,
        "note": row.note,
        "source": row.source,
        "as_of": row.as_of,
    }


def _check_unique(session: Session, row: Membership) -> None:
    with session.no_autoflush:
        _check_unique_now(session, row)


def _check_unique_now(session: Session, row: Membership) -> None:
    clash = session.scalars(
        select(Membership.id).where(
            Membership.body_id == row.body_id,
            Membership.party == row.party,
            Membership.role == row.role,
            Membership.subgroup == row.subgroup,
            Membership.id != (row.id or 0),
        )
    ).first()
    if clash is not None:
        raise InvalidInput(
            f"{row.party} already holds the role {row.role!r}"
            + (f" ({row.subgroup})" if row.subgroup else "")
            + f" in {row.body_id} (membership {clash})"
        )


def add_membership(
    session: Session,
    actor: Principal,
    process: str,
    party: Any,
    role: Any,
    *,
    source: Any = None,
    as_of: Any = None,
    subgroup: Any = None,
    since: Any = None,
    note: Any = None,
) -> MembershipOut:
    """Add ``party`` to ``process`` in ``role``, with the source and as-of date it rests on."""
    body_id = registry.process_id(session, process)
    authorize(actor, Action.PROCESS_EDIT, [body_id])
    ref, iso3, org_id = _party(session, party)
    if org_id == body_id:
        raise InvalidInput("a process cannot be its own member")
    values = _values({"role": role, "subgroup": subgroup, "since": since, "note": note})
    source_url, as_of_text = _provenance(source, as_of)
    row = Membership(
        body_id=body_id,
        list_id=_list(session, body_id, values["role"]).id,
        party=ref,
        state_iso3=iso3,
        org_id=org_id,
        role=values["role"],
        subgroup=values["subgroup"],
        since=values["since"],
        note=values["note"],
        source=source_url,
        as_of=as_of_text,
    )
    _check_unique(session, row)
    session.add(row)
    session.flush()
    record_changes(
        session,
        actor,
        "membership.add",
        "membership",
        str(row.id),
        {CREATED: (None, _current(row))},
        process=body_id,
        source=source_url,
        as_of=as_of_text,
    )
    return _out(session, row)


def _row(session: Session, process: str, membership_id: int) -> Membership:
    body_id = registry.process_id(session, process)
    row = session.get(Membership, membership_id) if 0 < membership_id < 2**31 else None
    if row is None or row.body_id != body_id:
        raise NotFound("membership", f"{body_id} {membership_id}")
    return row


def edit_membership(
    session: Session,
    actor: Principal,
    process: str,
    membership_id: int,
    changes: Mapping[str, Any],
    *,
    source: Any = None,
    as_of: Any = None,
    reverts: int | None = None,
) -> MembershipOut:
    """Change a membership's role, subgroup, since, until (ending it) or note."""
    row = _row(session, process, membership_id)
    authorize(actor, Action.PROCESS_EDIT, [row.body_id])
    only_fields(changes, FIELDS)
    values = _values(changes)
    source_url, as_of_text = _provenance(source, as_of)
    before = _current(row)
    for field, value in values.items():
        setattr(row, field, value)
    if row.since and row.until and row.until < row.since:
        raise InvalidInput("a membership ends before it begins")
    if "role" in values and values["role"] != before["role"]:
        row.list_id = _list(session, row.body_id, row.role).id
    if source_url is not None:
        row.source = source_url
    if as_of_text is not None:
        row.as_of = as_of_text
    _check_unique(session, row)
    session.flush()
    record_changes(
        session,
        actor,
        "membership.edit",
        "membership",
        str(row.id),
        {field: (before[field], getattr(row, field)) for field in values},
        process=row.body_id,
        source=source_url,
        as_of=as_of_text,
        reverts=reverts,
    )
    return _out(session, row)


def end_membership(
    session: Session,
    actor: Principal,
    process: str,
    membership_id: int,
    until: Any,
    *,
    source: Any = None,
    as_of: Any = None,
) -> MembershipOut:
    """End a membership: ``until`` is when (YYYY, YYYY-MM or YYYY-MM-DD)."""
    if not until:
        raise InvalidInput("until is required to end a membership")
    return edit_membership(
        session, actor, process, membership_id, {"until": until}, source=source, as_of=as_of
    )
