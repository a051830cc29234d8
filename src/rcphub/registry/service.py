"""Queries over the registry: processes and organisations, states, meetings, taxonomies.

Every function takes a session and returns schemas from :mod:`rcphub.registry.schemas`; the
pages, the JSON API and the CLI all call these, so they show the same facts.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Iterable
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session, load_only

from rcphub.accounts.policy import ANONYMOUS, Principal, readable_processes
from rcphub.db.models import (
    Body,
    Concept,
    Meeting,
    Membership,
    MembershipList,
    Region,
    Scheme,
    State,
)
from rcphub.errors import InvalidInput, NotFound
from rcphub.ids import plausible_id
from rcphub.refdata.bodies import KINDS, PROCESS_KINDS, party_ref
from rcphub.refdata.meetings import SERIES
from rcphub.refdata.process_themes import theme_codes, vocabulary
from rcphub.registry.schemas import (
    ConceptOut,
    HubCounts,
    MeetingOut,
    MembershipListOut,
    MembershipOut,
    PartyOut,
    ProcessDetail,
    ProcessSummary,
    RegionOut,
    SchemeDetail,
    SchemeOut,
    StateDetail,
    StateMembershipOut,
    StateSummary,
)

MEMBER_ROLES = ("member",)
ROLE_ORDER = {
    role: i
    for i, role in enumerate(
        (
            "chair",
            "secretariat",
            "member",
            "associate-member",
            "participant",
            "partner",
            "observer",
            "founding-member",
        )
    )
}


def _suggest(ident: str, candidates: Iterable[str], limit: int = 3) -> list[str]:
    pool = list(candidates)
    lowered = {c.lower(): c for c in pool}
    close = difflib.get_close_matches(ident.lower(), list(lowered), n=limit, cutoff=0.5)
    hits = [lowered[c] for c in close]
    if not hits:
        hits = [c for c in pool if ident.lower() in c.lower()][:limit]
    return hits


def _check_choice(name: str, value: str | None, choices: Iterable[str]) -> None:
    choices = list(choices)
    if value is not None and value not in choices:
        raise InvalidInput(f"{name} must be one of: {', '.join(choices)} (got {value!r})")


# ---------------------------------------------------------------------------- processes


def _member_counts(session: Session, body_id: str | None = None) -> dict[str, int]:
    query = (
        select(Membership.body_id, func.count(func.distinct(Membership.party)))
        .where(Membership.role.in_(MEMBER_ROLES))
        .group_by(Membership.body_id)
    )
    if body_id is not None:
        query = query.where(Membership.body_id == body_id)
    return dict(session.execute(query).all())


def _members_complete(session: Session, body_id: str | None = None) -> dict[str, bool | None]:
    query = select(MembershipList.body_id, MembershipList.complete).where(
        MembershipList.key == "members"
    )
    if body_id is not None:
        query = query.where(MembershipList.body_id == body_id)
    return dict(session.execute(query).all())


def _summary(
    body: Body, counts: dict[str, int], complete: dict[str, bool | None]
) -> ProcessSummary:
    return ProcessSummary(
        id=body.id,
        ref=party_ref(body.kind, body.id),
        kind=body.kind,
        acronym=body.acronym,
        names=body.names,
        established=body.established,
        region_codes=body.region_codes,
        themes=body.themes,
        theme_codes=theme_codes(body.themes),
        member_count=counts.get(body.id, 0),
        members_complete=complete.get(body.id),
        listed_only=body.listed_only,
    )


def list_processes(
    session: Session,
    *,
    kind: str | None = None,
    region: str | None = None,
    theme: str | None = None,
    include_listed_only: bool = False,
) -> list[ProcessSummary]:
    """Processes and organisations of the reference data, by kind, UN region (M49 code of a
    member's region) and theme (a word or phrase in the process's themes)."""
    _check_choice("kind", kind, KINDS)
    if region is not None:
        regions = {r.code for r in session.scalars(select(Region).where(Region.level == "region"))}
        _check_choice("region", region, sorted(regions))
    query = select(Body).order_by(Body.id)
    if kind:
        query = query.where(Body.kind == kind)
    if not include_listed_only:
        query = query.where(Body.listed_only.is_(False))
    bodies = list(session.scalars(query))
    if region:
        bodies = [b for b in bodies if region in b.region_codes]
    if theme:
        needle = theme.strip().lower()
        if needle in vocabulary():  # one of the controlled themes
            bodies = [b for b in bodies if needle in theme_codes(b.themes)]
        else:  # a word or phrase of the free tags, as the sources word them
            bodies = [b for b in bodies if any(needle in t.lower() for t in b.themes)]
    counts, complete = _member_counts(session), _members_complete(session)
    summaries = [_summary(b, counts, complete) for b in bodies]
    kind_rank = {k: i for i, k in enumerate(KINDS)}
    return sorted(summaries, key=lambda s: (kind_rank[s.kind], s.names.get("en", s.id).lower()))


def list_process_themes(session: Session) -> list[tuple[str, int]]:
    """The controlled themes (``process-themes.yaml``) with the number of processes under
    each, in the vocabulary's order; themes no process falls under are left out."""
    counter: Counter[str] = Counter()
    for themes in session.scalars(select(Body.themes).where(Body.kind.in_(PROCESS_KINDS))):
        counter.update(theme_codes(themes))
    return [(code, counter[code]) for code in vocabulary() if counter[code]]


def _party(session: Session, ref: str, cache: dict[str, PartyOut]) -> PartyOut:
    if ref in cache:
        return cache[ref]
    kind, _, ident = ref.partition(":")
    if kind == "state":
        state = session.get(State, ident)
        party = PartyOut(ref=ref, kind="state", names=state.names if state else {})
    else:
        body = session.get(Body, ident)
        party = PartyOut(
            ref=ref,
            kind=body.kind if body else kind,
            names=body.names if body else {},
            acronym=body.acronym if body else None,
        )
    cache[ref] = party
    return party


def get_process(session: Session, ident: str, viewer: Principal = ANONYMOUS) -> ProcessDetail:
    """One process or organisation with its membership lists, memberships and the meetings
    ``viewer`` may see."""
    plausible_id("process", ident)
    body = session.get(Body, ident) or session.get(Body, ident.strip().lower())
    if body is None:
        all_ids = session.scalars(select(Body.id)).all()
        raise NotFound("process", ident, _suggest(ident, all_ids))
    lists = {lst.id: lst for lst in body.membership_lists}
    rows = session.scalars(select(Membership).where(Membership.body_id == body.id)).all()
    named = Counter(m.list_id for m in rows)
    named_states = Counter(m.list_id for m in rows if m.state_iso3)
    cache: dict[str, PartyOut] = {}
    memberships = []
    edited = _edited_memberships(session, body.id)
    # the parties in two queries rather than one each; held here, so that _party's gets find
    # them in the session (whose identity map holds rows only while something refers to them)
    parties = [
        *session.scalars(select(State).where(State.iso3.in_({m.state_iso3 for m in rows}))),
        *session.scalars(select(Body).where(Body.id.in_({m.org_id for m in rows}))),
    ]
    for m in rows:
        memberships.append(
            _membership_out(m, lists[m.list_id], body, _party(session, m.party, cache), edited)
        )
    del parties
    memberships.sort(
        key=lambda m: (
            ROLE_ORDER.get(m.role, 99),
            m.subgroup,
            m.party_detail.kind != "state",
            m.party_detail.names.get("en", m.party).lower(),
        )
    )
    counts, complete = _member_counts(session, body.id), _members_complete(session, body.id)
    summary = _summary(body, counts, complete)
    meetings = session.scalars(
        select(Meeting)
        .where(Meeting.body_id == body.id, visible_meetings_clause(viewer))
        .order_by(Meeting.year, Meeting.start_date, Meeting.id)
    )
    ref = party_ref(body.kind, body.id)
    return ProcessDetail(
        **summary.model_dump(),
        scope=body.scope,
        secretariat=body.secretariat,
        chair_rotation=body.chair_rotation,
        website=body.website,
        sources=body.sources,
        confidence=body.confidence,
        name_sources=body.name_sources or {},
        membership_lists=[
            MembershipListOut(
                key=lst.key,
                as_of=lst.as_of,
                as_of_year=lst.as_of_year,
                complete=lst.complete,
                stated_count=lst.stated_count,
                named_count=named.get(lst.id, 0),
                named_states=named_states.get(lst.id, 0),
                note=lst.note,
                description=lst.description,
            )
            for lst in body.membership_lists
        ],
        memberships=memberships,
        member_of=_memberships_of(session, ref),
        meetings=[_meeting(session, m) for m in meetings],
    )


def _membership_out(
    m: Membership, lst: MembershipList, body: Body, party: PartyOut, edited: set[str]
) -> MembershipOut:
    return MembershipOut(
        id=m.id,
        party=m.party,
        list_key=lst.key,
        party_detail=party,
        role=m.role,
        subgroup=m.subgroup,
        since=m.since,
        until=m.until,
        note=m.note,
        as_of=m.as_of or lst.as_of,
        as_of_year=lst.as_of_year if m.as_of is None else None,
        complete=lst.complete,
        sources=[m.source] if m.source else body.sources,
        edited=str(m.id) in edited,
    )


def get_membership(session: Session, membership_id: int) -> MembershipOut:
    """One membership, as :func:`get_process` lists it."""
    m = session.get(Membership, membership_id) if 0 < membership_id < 2**31 else None
    if m is None:
        raise NotFound("membership", str(membership_id))
    body = session.get(Body, m.body_id)
    lst = session.get(MembershipList, m.list_id)
    assert body is not None
    assert lst is not None
    return _membership_out(
        m, lst, body, _party(session, m.party, {}), _edited_memberships(session, body.id)
    )


def process_id(session: Session, ident: str) -> str:
    """The ID of a process or organisation (``Bali-Process`` → ``bali-process``), or the
    :class:`NotFound` of :func:`get_process` with its suggestions — without building the
    whole record."""
    plausible_id("process", ident)
    body = session.get(Body, ident) or session.get(Body, ident.strip().lower())
    if body is None:
        all_ids = session.scalars(select(Body.id)).all()
        raise NotFound("process", ident, _suggest(ident, all_ids))
    return body.id


def _edited_memberships(session: Session, process_id: str) -> set[str]:
    from rcphub.db.editing_models import EditRecord

    return set(
        session.scalars(
            select(EditRecord.entity_id).where(
                EditRecord.entity == "membership", EditRecord.process_id == process_id
            )
        )
    )


# ---------------------------------------------------------------------------- states


def process_counts_by_state(
    session: Session, roles: Iterable[str] = MEMBER_ROLES, kinds: Iterable[str] = PROCESS_KINDS
) -> dict[str, int]:
    """ISO3 → number of processes (of the given kinds) in which the state holds one of ``roles``."""
    rows = session.execute(
        select(Membership.state_iso3, func.count(func.distinct(Membership.body_id)))
        .join(Body, Body.id == Membership.body_id)
        .where(
            Membership.state_iso3.is_not(None),
            Membership.role.in_(list(roles)),
            Body.kind.in_(list(kinds)),
        )
        .group_by(Membership.state_iso3)
    )
    return dict(rows.all())


def shared_process_counts(session: Session, iso3: str) -> dict[str, int]:
    """ISO3 → number of processes in which that state and ``iso3`` are both members."""
    processes_of_state = (
        select(Membership.body_id)
        .join(Body, Body.id == Membership.body_id)
        .where(
            Membership.state_iso3 == iso3,
            Membership.role == "member",
            Body.kind.in_(PROCESS_KINDS),
        )
    )
    rows = session.execute(
        select(Membership.state_iso3, func.count(func.distinct(Membership.body_id)))
        .where(
            Membership.body_id.in_(processes_of_state),
            Membership.role == "member",
            Membership.state_iso3.is_not(None),
            Membership.state_iso3 != iso3,
        )
        .group_by(Membership.state_iso3)
    )
    return dict(rows.all())


def list_states(session: Session, *, region: str | None = None) -> list[StateSummary]:
    """All states and territories, with the number of processes each is a member of."""
    query = select(State).order_by(State.iso3)
    if region is not None:
        region_row = session.get(Region, plausible_id("region", region))
        if region_row is None:
            codes = session.scalars(select(Region.code)).all()
            raise NotFound("region", region, _suggest(region, codes))
        column = {
            "region": State.region_code,
            "sub-region": State.subregion_code,
            "intermediate": State.intermediate_region_code,
        }[region_row.level]
        query = query.where(column == region)
    counts = process_counts_by_state(session)
    return [
        StateSummary(
            iso3=s.iso3,
            iso2=s.iso2,
            m49=s.m49,
            names=s.names,
            region=s.region_code,
            subregion=s.subregion_code,
            un_status=s.un_status,
            process_count=counts.get(s.iso3, 0),
        )
        for s in session.scalars(
            query.options(
                load_only(
                    State.iso3,
                    State.iso2,
                    State.m49,
                    State.names,
                    State.region_code,
                    State.subregion_code,
                    State.un_status,
                )
            )
        )
    ]


def _region(session: Session, code: str | None) -> RegionOut | None:
    if not code:
        return None
    region = session.get(Region, code)
    if region is None:
        return None
    return RegionOut(
        code=region.code, level=region.level, parent=region.parent_code, names=region.names
    )


def _memberships_of(session: Session, party: str) -> list[StateMembershipOut]:
    rows = session.execute(
        select(Membership, Body, MembershipList)
        .join(Body, Body.id == Membership.body_id)
        .join(MembershipList, MembershipList.id == Membership.list_id)
        .where(Membership.party == party)
    )
    out = [
        StateMembershipOut(
            process=party_ref(body.kind, body.id),
            process_id=body.id,
            kind=body.kind,
            acronym=body.acronym,
            names=body.names,
            role=m.role,
            subgroup=m.subgroup,
            since=m.since,
            until=m.until,
            as_of=lst.as_of,
            complete=lst.complete,
            sources=body.sources,
        )
        for m, body, lst in rows
    ]
    kind_rank = {k: i for i, k in enumerate(KINDS)}
    out.sort(key=lambda m: (ROLE_ORDER.get(m.role, 99), kind_rank.get(m.kind, 9), m.process_id))
    return out


def get_state(session: Session, ident: str) -> StateDetail:
    """One state with every process it belongs to, and in which role."""
    code = plausible_id("state", ident).strip().upper()
    state = session.get(State, code)
    if state is None and len(code) == 2:
        state = session.scalars(select(State).where(State.iso2 == code)).first()
    if state is None:
        raise NotFound("state", ident, _suggest_states(session, ident))
    meetings = session.scalars(
        select(Meeting).where(Meeting.country_iso3 == state.iso3).order_by(Meeting.year)
    )
    return StateDetail(
        iso3=state.iso3,
        iso2=state.iso2,
        m49=state.m49,
        names=state.names,
        formal_names=state.formal_names,
        aliases=state.aliases,
        name_sources=state.name_sources,
        region=_region(session, state.region_code),
        subregion=_region(session, state.subregion_code),
        intermediate_region=_region(session, state.intermediate_region_code),
        un_status=state.un_status,
        ldc=state.ldc,
        lldc=state.lldc,
        sids=state.sids,
        memberships=_memberships_of(session, f"state:{state.iso3}"),
        meetings_hosted=[_meeting(session, m) for m in meetings],
    )


def _is_subsequence(needle: str, haystack: str) -> bool:
    letters = iter(haystack)
    return all(char in letters for char in needle)


def _suggest_states(session: Session, ident: str) -> list[str]:
    """ISO3 codes a mistyped code or name may mean: names that spell the code's letters in
    order (PRU → Peru, Paraguay, Portugal), then names and codes that look alike."""
    states = session.execute(select(State.iso3, State.names)).all()
    needle = ident.strip().lower()
    hits: list[str] = []
    if 2 <= len(needle) <= 3:
        spelled = [
            (len(names.get("en", "")), iso3)
            for iso3, names in states
            if names.get("en", "").lower().startswith(needle[0])
            and _is_subsequence(needle, names.get("en", "").lower())
        ]
        hits = [iso3 for _, iso3 in sorted(spelled)]
    by_name = {}
    for iso3, names in states:
        for name in names.values():
            by_name[name] = iso3
    for name in _suggest(ident, by_name):
        if by_name[name] not in hits:
            hits.append(by_name[name])
    hits += [code for code in _suggest(ident, [iso3 for iso3, _ in states]) if code not in hits]
    return hits[:3]


def list_regions(session: Session, level: str | None = "region") -> list[RegionOut]:
    query = select(Region).order_by(Region.code)
    if level:
        query = query.where(Region.level == level)
    return [
        RegionOut(code=r.code, level=r.level, parent=r.parent_code, names=r.names)
        for r in session.scalars(query)
    ]


def state_names(session: Session) -> dict[str, dict[str, str]]:
    """ISO3 → names, for maps and tables."""
    return dict(session.execute(select(State.iso3, State.names)).all())


# ---------------------------------------------------------------------------- meetings


def _meeting(session: Session, m: Meeting) -> MeetingOut:
    country = session.get(State, m.country_iso3) if m.country_iso3 else None
    return MeetingOut(
        id=m.id,
        series=m.series,
        body=m.body_id,
        number=m.number,
        year=m.year,
        start_date=m.start_date,
        end_date=m.end_date,
        dates_text=m.dates_text,
        city=m.city,
        country=m.country_iso3,
        country_names=country.names if country else {},
        names=m.names,
        theme=m.theme,
        organisers=m.organisers,
        chair=m.chair,
        notes=m.notes,
        details={k: v for k, v in m.details.items() if v},
        sources=m.sources,
        languages=list(m.languages or []),
        visibility=m.visibility,
    )


def visible_meetings_clause(viewer: Principal):  # type: ignore[no-untyped-def]
    """A WHERE clause over :class:`Meeting`: public meetings, and the members-only meetings of
    the bodies ``viewer`` is a member of (the rule of :func:`rcphub.accounts.policy.may_read`)."""
    readable = readable_processes(viewer)
    public = Meeting.visibility == "public"
    if readable is None:
        return Meeting.visibility.is_not(None)
    if not readable:
        return public
    return public | Meeting.body_id.in_(sorted(readable))


MEETING_SERIES = (*SERIES, "process")


def list_meetings(
    session: Session,
    *,
    series: str | None = None,
    year: int | None = None,
    process: str | None = None,
    since: date | None = None,
    viewer: Principal = ANONYMOUS,
) -> list[MeetingOut]:
    """Meetings ``viewer`` may see, oldest first, optionally of one series (grcp, gfmd, hld,
    imrf, process), year or process, or starting on or after ``since``."""
    _check_choice("series", series, MEETING_SERIES)
    query = select(Meeting).where(visible_meetings_clause(viewer))
    query = query.order_by(Meeting.year, Meeting.series, Meeting.start_date, Meeting.id)
    if series:
        query = query.where(Meeting.series == series)
    if year is not None:
        query = query.where(Meeting.year == year)
    if process is not None:
        body = session.get(Body, plausible_id("process", process).strip().lower())
        if body is None:
            raise NotFound("process", process, _suggest(process, session.scalars(select(Body.id))))
        query = query.where(Meeting.body_id == body.id)
    if since is not None:
        query = query.where(Meeting.start_date >= since)
    return [_meeting(session, m) for m in session.scalars(query)]


def get_meeting(session: Session, ident: str, viewer: Principal = ANONYMOUS) -> MeetingOut:
    """One meeting; a members-only meeting ``viewer`` may not see does not exist for them."""
    meeting = session.get(Meeting, plausible_id("meeting", ident).strip().lower())
    if meeting is not None and not session.scalar(
        select(Meeting.id).where(Meeting.id == meeting.id, visible_meetings_clause(viewer))
    ):
        meeting = None
    if meeting is None:
        visible = select(Meeting.id).where(visible_meetings_clause(viewer))
        raise NotFound("meeting", ident, _suggest(ident, session.scalars(visible)))
    return _meeting(session, meeting)


# ---------------------------------------------------------------------------- taxonomies


def list_schemes(session: Session) -> list[SchemeOut]:
    counts = dict(
        session.execute(select(Concept.scheme_id, func.count()).group_by(Concept.scheme_id)).all()
    )
    return [
        SchemeOut(
            id=s.id,
            names=s.names,
            source=s.source,
            licence=s.licence,
            concept_count=counts.get(s.id, 0),
        )
        for s in session.scalars(select(Scheme).order_by(Scheme.position))
    ]


def get_scheme(session: Session, ident: str) -> SchemeDetail:
    scheme = session.get(Scheme, plausible_id("taxonomy", ident).strip().lower())
    if scheme is None:
        raise NotFound("taxonomy", ident, _suggest(ident, session.scalars(select(Scheme.id))))
    concepts = [
        ConceptOut(
            scheme=c.scheme_id,
            code=c.code,
            parent=c.parent_code,
            labels=c.labels,
            short_labels=c.short_labels,
            notes=c.notes,
        )
        for c in session.scalars(
            select(Concept).where(Concept.scheme_id == scheme.id).order_by(Concept.position)
        )
    ]
    return SchemeDetail(
        id=scheme.id,
        names=scheme.names,
        source=scheme.source,
        licence=scheme.licence,
        concept_count=len(concepts),
        concepts=concepts,
    )


# ---------------------------------------------------------------------------- overview


def hub_counts(session: Session) -> HubCounts:
    by_kind = dict(
        session.execute(
            select(Body.kind, func.count()).where(Body.listed_only.is_(False)).group_by(Body.kind)
        ).all()
    )
    return HubCounts(
        processes=sum(by_kind.get(k, 0) for k in PROCESS_KINDS),
        processes_by_kind=by_kind,
        organisations=session.scalar(
            select(func.count()).select_from(Body).where(Body.kind.not_in(PROCESS_KINDS))
        )
        or 0,
        states=session.scalar(select(func.count()).select_from(State)) or 0,
        memberships=session.scalar(select(func.count()).select_from(Membership)) or 0,
        meetings=session.scalar(select(func.count()).select_from(Meeting)) or 0,
        concepts=session.scalar(select(func.count()).select_from(Concept)) or 0,
    )
