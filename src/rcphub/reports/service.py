"""The facts of a synthesis report: for one framework, what each process's documents said on
each theme and what they recommended.

Which documents count for a process
-----------------------------------

* **Filed under it** — a document linked to ``process:<id>``, or to a meeting held by the
  process (``meeting:<id>`` whose meeting belongs to it): every passage counts.
* **Naming it** — when processes are chosen, a passage of any other document in scope that
  mentions ``process:<id>`` (the entity linker's mentions) counts too, marked ``via:
  mention``: a global meeting's summary saying what that process reported.
* Without chosen processes, every document in scope counts, under the process it is filed
  under; a document of a meeting series that no single process holds (the global meetings of
  chairs and secretariats of RCPs) is grouped under that series (``series:grcp``), and one
  filed nowhere under ``unfiled``.

Years are the document's date, else its meeting's year. Of the language versions of one work
the report quotes one: the version in the report language, else the one in the work's
original language, else the first stored.

Which passages count for a theme: tags of the framework that a person confirmed, then machine
suggestions at or above the tagger's calibrated threshold for the scheme; never a tag a person
rejected (on that passage in any language version of the work).
Recommendations are the *confirmed* follow-up items of those documents (any language version
of the work) whose source passage counts for the theme by the same rule.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from rcphub import registry
from rcphub.accounts.policy import ANONYMOUS, Principal, visible_documents_clause
from rcphub.config import LANGUAGES
from rcphub.db.models import Concept, Document, DocumentLink, Meeting, Mention, Passage, PassageTag
from rcphub.documents import document_summaries
from rcphub.errors import InvalidInput
from rcphub.followup import list_items
from rcphub.localize import check_language
from rcphub.reports.schemas import (
    FRAMEWORKS,
    RecommendationFacts,
    StatementFacts,
    SynthesisContent,
    SynthesisQuery,
    ThemeFacts,
    VoiceFacts,
)
from rcphub.themes.crosswalk import load_crosswalk
from rcphub.themes.schemas import TagStatus

EARLIEST_YEAR, LATEST_YEAR = 1945, 2100
UNFILED = "unfiled"


def check_query(session: Session, query: SynthesisQuery) -> SynthesisQuery:
    """The query with its processes de-duplicated; InvalidInput/NotFound for anything wrong."""
    if query.framework not in FRAMEWORKS:
        raise InvalidInput(
            f"unknown framework {query.framework!r}: use one of {', '.join(FRAMEWORKS)}"
        )
    check_language(query.lang)
    for name, year in (("from", query.year_from), ("to", query.year_to)):
        if year is not None and not EARLIEST_YEAR <= year <= LATEST_YEAR:
            raise InvalidInput(f"{name} must be a year from {EARLIEST_YEAR} to {LATEST_YEAR}")
    first, last = query.year_from, query.year_to
    if first is not None and last is not None and first > last:
        raise InvalidInput(f"the first year ({first}) is after the last ({last})")
    processes = []
    for ident in query.processes:
        process = registry.get_process(session, ident.strip())  # NotFound, with suggestions
        if process.id not in processes:
            processes.append(process.id)
    return query.model_copy(update={"processes": processes})


def _threshold(framework: str) -> float:
    from rcphub.themes.tagger import default_rules

    return default_rules().schemes[framework].threshold


def _themes(session: Session, framework: str, tagged: set[str]) -> list[Concept]:
    """The themes of the framework: the four round tables, the 23 objectives; of the SDGs the
    targets the crosswalk relates to migration (the ones the tagger looks for) and any other
    target a passage carries."""
    concepts = list(
        session.scalars(
            select(Concept).where(Concept.scheme_id == framework).order_by(Concept.position)
        )
    )
    if framework != "sdg":
        return concepts
    related = {m.code for m in load_crosswalk() if m.scheme == "sdg"}
    return [c for c in concepts if c.parent_code and (c.code in related or c.code in tagged)]


def _document_voices(
    links: list[str], meetings: dict[str, Meeting], bodies: set[str]
) -> tuple[list[str], int | None]:
    """The voices a document is filed under, and its meetings' year."""
    voices: list[str] = []
    year = None
    for target in links:
        kind, _, ident = target.partition(":")
        if kind == "process" and ident in bodies:
            voices.append(target)
        elif kind == "meeting" and ident in meetings:
            meeting = meetings[ident]
            year = year or meeting.year
            if meeting.body_id:
                voices.append(f"process:{meeting.body_id}")
            else:
                voices.append(f"series:{meeting.series}")
    return list(dict.fromkeys(voices)) or [UNFILED], year


def _pick_versions(documents: list[Document], lang: str) -> dict[int, Document]:
    """One document per work: in the report language, else the original language, else the
    first stored."""
    by_work: dict[int, list[Document]] = defaultdict(list)
    for doc in sorted(documents, key=lambda d: (d.ingested_at, d.id)):
        by_work[doc.work_id].append(doc)
    chosen = {}
    for work, versions in by_work.items():
        original = next((d.original_language for d in versions if d.original_language), None)
        chosen[work] = (
            next((d for d in versions if d.language == lang), None)
            or next((d for d in versions if d.language == original), None)
            or versions[0]
        )
    return chosen


def synthesis_content(
    session: Session,
    query: SynthesisQuery,
    *,
    today: date | None = None,
    viewer: Principal = ANONYMOUS,
) -> SynthesisContent:
    """Gather the facts of a synthesis report (see the module docstring for what counts)
    from the documents and follow-up items ``viewer`` may read: a report shown to a
    visitor quotes public content only; the ``rcphub report`` command reads everything."""
    query = check_query(session, query)
    framework = query.framework
    threshold = _threshold(framework)
    bodies = {p.id: p for p in registry.list_processes(session, include_listed_only=True)}
    meetings = {m.id: m for m in session.scalars(select(Meeting))}

    # documents in scope, with the voices they are filed under
    links: dict[str, list[str]] = defaultdict(list)
    for document_id, target in session.execute(
        select(DocumentLink.document_id, DocumentLink.target)
    ):
        links[document_id].append(target)
    in_years: list[Document] = []
    filed: dict[str, list[str]] = {}
    for doc in session.scalars(select(Document).where(visible_documents_clause(viewer))):
        voices, meeting_year = _document_voices(links.get(doc.id, []), meetings, set(bodies))
        year = doc.date.year if doc.date else meeting_year
        if year is None and (query.year_from or query.year_to):
            continue
        if query.year_from is not None and year is not None and year < query.year_from:
            continue
        if query.year_to is not None and year is not None and year > query.year_to:
            continue
        in_years.append(doc)
        filed[doc.id] = voices
    chosen = _pick_versions(in_years, query.lang)
    chosen_ids = {d.id for d in chosen.values()}
    work_of = {d.id: d.work_id for d in in_years}
    chosen_by_work = {work: d.id for work, d in chosen.items()}

    # which passages speak for which voice: (document, passage id) → voices
    selected = {f"process:{p}" for p in query.processes}
    whole: dict[str, list[str]] = {}  # document → voices for all its passages
    for doc_id in chosen_ids:
        voices = filed[doc_id]
        if selected:
            voices = [v for v in voices if v in selected]
        if voices:
            whole[doc_id] = voices
    named: dict[tuple[str, str], list[str]] = defaultdict(list)  # (document, ref) → voices
    if selected and chosen_ids:
        rows = session.execute(
            select(Mention.document_id, Passage.ref, Mention.entity)
            .join(Passage, Passage.id == Mention.passage_id)
            .where(Mention.entity.in_(sorted(selected)), Mention.document_id.in_(chosen_ids))
        )
        for doc_id, ref, entity in rows:
            if entity not in whole.get(doc_id, []) and entity not in named[(doc_id, ref)]:
                named[(doc_id, ref)].append(entity)
    speaking = set(whole) | {doc_id for doc_id, _ in named}

    # the tags of those documents' passages, and of every version's (for tracked items)
    all_versions = [d.id for d in in_years if chosen_by_work.get(d.work_id) is not None]
    tag_rows = []
    if all_versions:
        tag_rows = session.execute(
            select(
                PassageTag.document_id,
                Passage.ref,
                Passage.position,
                Passage.text,
                Passage.language,
                PassageTag.code,
                PassageTag.status,
                PassageTag.source,
                PassageTag.score,
            )
            .join(Passage, Passage.id == PassageTag.passage_id)
            .where(PassageTag.scheme_id == framework, PassageTag.document_id.in_(all_versions))
        ).all()
    documents_by_id = {d.id: d for d in in_years}
    counts: dict[tuple[str, str], set[str]] = defaultdict(set)  # (doc, ref) → codes
    rejected: dict[tuple[int, str], set[str]] = defaultdict(set)  # (work, ref) → codes
    statements: dict[str, dict[str, list[tuple[tuple, StatementFacts]]]] = defaultdict(
        lambda: defaultdict(list)
    )  # code → voice → [(order, statement)]
    for doc_id, ref, *_, code, status, _source, _score in tag_rows:
        if status == TagStatus.REJECTED:  # rejected on one version: on all of the work
            rejected[(work_of[doc_id], ref)].add(code)
    for doc_id, ref, position, text, language, code, status, source, score in tag_rows:
        if status == TagStatus.REJECTED or code in rejected.get((work_of[doc_id], ref), ()):
            continue
        if status != TagStatus.CONFIRMED and (score is None or score < threshold):
            continue
        counts[(doc_id, ref)].add(code)
        if doc_id not in speaking:
            continue
        voices = whole.get(doc_id) or named.get((doc_id, ref), [])
        doc = documents_by_id[doc_id]
        fact = StatementFacts(
            document=doc_id,
            ref=ref,
            text=text,
            language=language if language in LANGUAGES else doc.language,
            status=status,
            source=source,
            score=score,
            via="filed" if doc_id in whole else "mention",
        )
        order = (status != TagStatus.CONFIRMED, doc.date or date.min, doc_id, position)
        for voice in voices:
            statements[code][voice].append((order, fact))

    # tracked items: confirmed, on any version of a chosen work, tagged (not rejected) there
    recommendations: dict[str, dict[str, list[RecommendationFacts]]] = defaultdict(
        lambda: defaultdict(list)
    )
    cited_documents = set()
    for item in list_items(session, review="confirmed", today=today, viewer=viewer).items:
        work = work_of.get(item.document)
        if work is None or work not in chosen_by_work:
            continue
        version = chosen_by_work[work]
        codes = counts.get((item.document, item.ref), set()) | counts.get(
            (version, item.ref), set()
        )
        codes -= rejected.get((work, item.ref), set())
        if not codes:
            continue
        voices = list(whole.get(version, []))
        if selected:
            voices += [a for a in item.addressees if a in selected and a not in voices]
            voices += [v for v in named.get((version, item.ref), []) if v not in voices]
        if not voices:
            continue
        fact = RecommendationFacts(
            item=item.id,
            document=item.document,
            ref=item.ref,
            text=item.text,
            language=item.document_language,
            kind=item.kind,
            status=item.status,
            progress=item.progress,
            light=item.light.colour if item.light else None,
            last_update=item.last_update,
            due_date=item.due_date,
        )
        cited_documents.add(item.document)
        for code in codes:
            for voice in voices:
                recommendations[code][voice].append(fact)

    # the themes, each with its voices in a stable order
    tagged_codes = set(statements) | set(recommendations)
    order = _voice_order(bodies, query.processes)
    themes = []
    for concept in _themes(session, framework, tagged_codes):
        voice_keys = set(statements.get(concept.code, {})) | set(
            recommendations.get(concept.code, {})
        )
        voices = []
        for key in sorted(voice_keys, key=order):
            said = [s for _, s in sorted(statements[concept.code][key], key=lambda x: x[0])]
            cited_documents.update(s.document for s in said)
            voices.append(
                VoiceFacts(
                    key=key,
                    names=_voice_names(key, bodies),
                    statements=said,
                    recommendations=recommendations[concept.code][key],
                )
            )
        themes.append(
            ThemeFacts(
                code=concept.code,
                labels=dict(concept.labels or {}),
                short_labels=dict(concept.short_labels or {}),
                voices=voices,
            )
        )

    summaries = document_summaries(session, cited_documents, viewer)
    meeting_ids = {t[8:] for d in summaries.values() for t in d.links if t.startswith("meeting:")}
    return SynthesisContent(
        query=query,
        generated_on=today or date.today(),
        threshold=threshold,
        processes={p: dict(bodies[p].names) for p in query.processes},
        documents=summaries,
        meetings={m: registry.get_meeting(session, m) for m in sorted(meeting_ids)},
        document_count=len(chosen_ids if not selected else speaking),
        themes=themes,
    )


def _voice_names(key: str, bodies: dict) -> dict[str, str]:  # type: ignore[type-arg]
    kind, _, ident = key.partition(":")
    if kind == "process" and ident in bodies:
        return dict(bodies[ident].names)
    return {}


def _voice_order(bodies: dict, chosen: list[str]):  # type: ignore[no-untyped-def,type-arg]
    """Chosen processes in the order given; otherwise processes by English name, then the
    meeting series, then unfiled documents."""

    def key(voice: str) -> tuple[int, int, str]:
        kind, _, ident = voice.partition(":")
        if kind == "process":
            if ident in chosen:
                return (0, chosen.index(ident), "")
            names = bodies[ident].names if ident in bodies else {}
            return (0, len(chosen), (names.get("en") or ident).casefold())
        return (1 if kind == "series" else 2, 0, ident)

    return key
