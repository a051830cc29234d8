"""SQLAlchemy models of the registry: states, regions, processes and organisations, their
memberships, meetings and the thematic taxonomies.

Portable types only (JSON becomes JSONB on PostgreSQL), so one Alembic history serves SQLite and
PostgreSQL. Multilingual names are JSON objects keyed by language code (``{"en": ..., "ru": ...}``);
a language that is missing is missing, never a copy of another language, so pages can show
the fallback as a fallback.
"""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

JSONType = JSON().with_variant(JSONB(), "postgresql")

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar = {dict[str, Any]: JSONType, list[Any]: JSONType}


class Region(Base):
    """A UN M49 region, sub-region or intermediate region."""

    __tablename__ = "regions"

    code: Mapped[str] = mapped_column(String(3), primary_key=True)
    level: Mapped[str] = mapped_column(String(16))  # region | sub-region | intermediate
    parent_code: Mapped[str | None] = mapped_column(String(3))
    names: Mapped[dict[str, Any]] = mapped_column(default=dict)


class State(Base):
    """A state or territory, identified by ISO 3166-1 alpha-3."""

    __tablename__ = "states"

    iso3: Mapped[str] = mapped_column(String(3), primary_key=True)
    iso2: Mapped[str | None] = mapped_column(String(2))
    m49: Mapped[str | None] = mapped_column(String(3), index=True)
    region_code: Mapped[str | None] = mapped_column(String(3), index=True)
    subregion_code: Mapped[str | None] = mapped_column(String(3))
    intermediate_region_code: Mapped[str | None] = mapped_column(String(3))
    un_status: Mapped[str | None] = mapped_column(String(16))  # member | observer | None
    independent: Mapped[bool | None] = mapped_column(Boolean)
    ldc: Mapped[bool] = mapped_column(Boolean, default=False)
    lldc: Mapped[bool] = mapped_column(Boolean, default=False)
    sids: Mapped[bool] = mapped_column(Boolean, default=False)
    names: Mapped[dict[str, Any]] = mapped_column(default=dict)
    formal_names: Mapped[dict[str, Any]] = mapped_column(default=dict)
    aliases: Mapped[dict[str, Any]] = mapped_column(default=dict)  # lang -> [alias, ...]
    name_sources: Mapped[dict[str, Any]] = mapped_column(default=dict)  # lang -> source key


class Body(Base):
    """A process (RCP, inter-regional forum, global process) or an organisation
    (regional body, international organisation).

    Processes are referred to as ``process:<id>``, organisations as ``org:<id>``. Organisations
    named in a membership list but absent from the reference file are kept as ``listed_only``
    bodies, so every membership points at a record.
    """

    __tablename__ = "bodies"

    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), index=True)
    acronym: Mapped[str | None] = mapped_column(String(40))
    names: Mapped[dict[str, Any]] = mapped_column(default=dict)
    established: Mapped[int | None] = mapped_column(Integer)
    established_note: Mapped[str | None] = mapped_column(Text)
    scope: Mapped[str | None] = mapped_column(Text)
    themes: Mapped[list[Any]] = mapped_column(default=list)
    secretariat: Mapped[str | None] = mapped_column(Text)
    chair_rotation: Mapped[str | None] = mapped_column(Text)
    website: Mapped[str | None] = mapped_column(String(300))
    sources: Mapped[list[Any]] = mapped_column(default=list)
    confidence: Mapped[str | None] = mapped_column(String(16))
    confidence_note: Mapped[str | None] = mapped_column(Text)
    membership_note: Mapped[str | None] = mapped_column(Text)
    region_codes: Mapped[list[Any]] = mapped_column(default=list)
    listed_only: Mapped[bool] = mapped_column(Boolean, default=False)
    # {lang: {"source": ..., "quality": ...}} for names taken from researched data
    name_sources: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # compilers' working notes moved out of the public fields: [{"field": ..., "text": ...}],
    # shown to editors only (refdata.editorial)
    editor_notes: Mapped[list[Any]] = mapped_column(default=list)

    membership_lists: Mapped[list[MembershipList]] = relationship(
        back_populates="body", cascade="all, delete-orphan", order_by="MembershipList.key"
    )


class MembershipList(Base):
    """One published list of a body's members or observers, as seen in one source at one time."""

    __tablename__ = "membership_lists"
    __table_args__ = (UniqueConstraint("body_id", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    body_id: Mapped[str] = mapped_column(ForeignKey("bodies.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(32))  # members | observers | secretariat | chair
    as_of: Mapped[str | None] = mapped_column(Text)
    as_of_year: Mapped[int | None] = mapped_column(Integer)
    complete: Mapped[bool | None] = mapped_column(Boolean)
    stated_count: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)  # the source's words where no list

    body: Mapped[Body] = relationship(back_populates="membership_lists")
    memberships: Mapped[list[Membership]] = relationship(
        back_populates="list", cascade="all, delete-orphan"
    )


class Membership(Base):
    """A state or organisation holding a role in a body (member, observer, chair, ...)."""

    __tablename__ = "memberships"
    __table_args__ = (
        UniqueConstraint("body_id", "party", "role", "subgroup", name="uq_memberships_party_role"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    body_id: Mapped[str] = mapped_column(ForeignKey("bodies.id", ondelete="CASCADE"), index=True)
    list_id: Mapped[int] = mapped_column(ForeignKey("membership_lists.id", ondelete="CASCADE"))
    party: Mapped[str] = mapped_column(String(90), index=True)  # state:AUS | org:iom
    state_iso3: Mapped[str | None] = mapped_column(ForeignKey("states.iso3"), index=True)
    org_id: Mapped[str | None] = mapped_column(ForeignKey("bodies.id"))
    role: Mapped[str] = mapped_column(String(24))
    subgroup: Mapped[str] = mapped_column(String(40), default="")  # e.g. origin, destination
    since: Mapped[str | None] = mapped_column(String(10))
    until: Mapped[str | None] = mapped_column(String(10))
    note: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(Text)
    """Where a person who added or changed the membership read it (a URL); the bundled data's
    memberships take their body's sources."""
    as_of: Mapped[str | None] = mapped_column(String(40))

    list: Mapped[MembershipList] = relationship(back_populates="memberships")


class Meeting(Base):
    """A meeting: a global meeting of RCP chairs, a GFMD summit, an HLD or an IMRF (from the
    bundled data, series ``grcp`` ``gfmd`` ``hld`` ``imrf``), or a meeting of one process that
    its secretariat added (series ``process``)."""

    __tablename__ = "meetings"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    series: Mapped[str] = mapped_column(String(16), index=True)
    body_id: Mapped[str | None] = mapped_column(ForeignKey("bodies.id"))
    number: Mapped[int | None] = mapped_column(Integer)
    year: Mapped[int] = mapped_column(Integer, index=True)
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    dates_text: Mapped[str | None] = mapped_column(Text)
    city: Mapped[str | None] = mapped_column(String(120))
    country_iso3: Mapped[str | None] = mapped_column(ForeignKey("states.iso3"))
    names: Mapped[dict[str, Any]] = mapped_column(default=dict)
    theme: Mapped[str | None] = mapped_column(Text)
    organisers: Mapped[str | None] = mapped_column(Text)
    chair: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
    sources: Mapped[list[Any]] = mapped_column(default=list)
    editor_notes: Mapped[list[Any]] = mapped_column(default=list)  # see Body.editor_notes
    languages: Mapped[list[Any] | None] = mapped_column(default=list)
    """The UN languages of the meeting (interpretation, documents), where known."""
    visibility: Mapped[str] = mapped_column(String(12), default="public", server_default="public")
    """``public`` or ``restricted`` (to the members and secretariat of its body)."""


class Scheme(Base):
    """A controlled vocabulary: HLD 2013 round tables, GCM objectives, SDG goals and targets."""

    __tablename__ = "schemes"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    names: Mapped[dict[str, Any]] = mapped_column(default=dict)
    source: Mapped[str | None] = mapped_column(Text)
    licence: Mapped[str | None] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer, default=0)


class Concept(Base):
    """One entry of a scheme (``sdg`` ``10.7``, ``gcm`` ``5``, ``hld2013`` ``RT4``)."""

    __tablename__ = "concepts"

    scheme_id: Mapped[str] = mapped_column(
        ForeignKey("schemes.id", ondelete="CASCADE"), primary_key=True
    )
    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    parent_code: Mapped[str | None] = mapped_column(String(20))
    position: Mapped[int] = mapped_column(Integer, default=0)
    labels: Mapped[dict[str, Any]] = mapped_column(default=dict)
    short_labels: Mapped[dict[str, Any]] = mapped_column(default=dict)
    notes: Mapped[dict[str, Any]] = mapped_column(default=dict)


class ConceptVectors(Base):
    """The theme tagger's concept vectors for one embedding model (:class:`rcphub.themes.
    tagger.Tagger`), computed by the first process that tags and kept, so that every other one
    (an ingest worker, a node) reads them instead of embedding ~300 concept texts."""

    __tablename__ = "concept_vectors"

    embedder: Mapped[str] = mapped_column(String(64), primary_key=True)
    key: Mapped[str] = mapped_column(String(64))
    """sha256 of the concepts and their texts, in order (:func:`rcphub.themes.tagger.
    concepts_key`): vectors of other concepts or texts are computed again."""
    vectors: Mapped[bytes] = mapped_column(LargeBinary)
    """float32 bytes, one row of the model's width per concept, in the concepts' order."""


class LoadRecord(Base):
    """What `rcphub load` last did: the checksum of the bundled data it loaded."""

    __tablename__ = "load_records"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    checksum: Mapped[str] = mapped_column(String(64))
    loaded_at: Mapped[str] = mapped_column(String(32))


class Work(Base):
    """One outcome document as a work: its language versions are :class:`Document` rows.

    Versions are grouped by document symbol (``A/68/50``) when they have one, or by hand.
    """

    __tablename__ = "works"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    symbol: Mapped[str | None] = mapped_column(String(80), unique=True)
    title: Mapped[str | None] = mapped_column(Text)


class Document(Base):
    """One file in one language: metadata, its stored source and its passages.

    ``id`` is the first 16 hex digits of the SHA-256 of the source file, so the same file is
    the same document wherever it is ingested.
    """

    __tablename__ = "documents"

    id: Mapped[str] = mapped_column(String(16), primary_key=True)
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    work_id: Mapped[int] = mapped_column(ForeignKey("works.id"), index=True)
    title: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(3), index=True)
    date: Mapped[date | None] = mapped_column(Date, index=True)
    symbol: Mapped[str | None] = mapped_column(String(80), index=True)
    doc_type: Mapped[str] = mapped_column(String(24), index=True)
    distribution: Mapped[str | None] = mapped_column(String(16))
    original_language: Mapped[str | None] = mapped_column(String(3))
    organ: Mapped[str | None] = mapped_column(String(120))
    session: Mapped[int | None] = mapped_column(Integer)
    agenda_item: Mapped[str | None] = mapped_column(String(40))
    filename: Mapped[str] = mapped_column(String(255))
    source_format: Mapped[str] = mapped_column(String(8))
    size_bytes: Mapped[int] = mapped_column(Integer)
    page_count: Mapped[int | None] = mapped_column(Integer)
    passage_count: Mapped[int] = mapped_column(Integer, default=0)
    warnings: Mapped[list[Any]] = mapped_column(default=list)
    ingested_at: Mapped[str] = mapped_column(String(32))
    visibility: Mapped[str] = mapped_column(String(12), default="public", index=True)
    """``public`` or ``restricted`` (to the members and secretariat of the processes the
    document is filed under); :mod:`rcphub.accounts.policy` decides who reads what."""
    place: Mapped[str | None] = mapped_column(String(200))
    """Where the meeting was held or the text signed, as the text prints it."""


class SourceFile(Base):
    """The bytes of a stored document's source file, by SHA-256: where source files live when
    they are kept in the database (the default on PostgreSQL, so every node serves every
    source; :mod:`rcphub.documents.store`). Written in the transaction of its document."""

    __tablename__ = "source_files"

    content_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    size_bytes: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class DocumentLink(Base):
    """A document is about a process or a meeting: ``process:bali-process``,
    ``meeting:grcp-2013``."""

    __tablename__ = "document_links"

    document_id: Mapped[str] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    target: Mapped[str] = mapped_column(String(90), primary_key=True, index=True)


class Passage(Base):
    """A citable passage of a document: paragraph ``8``, sub-paragraph ``8.b``, footnote ``fn1``."""

    __tablename__ = "passages"
    __table_args__ = (UniqueConstraint("document_id", "ref"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[str] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    ref: Mapped[str] = mapped_column(String(40))
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))
    parent_ref: Mapped[str | None] = mapped_column(String(40))
    heading: Mapped[str | None] = mapped_column(Text)
    page: Mapped[int | None] = mapped_column(Integer)
    language: Mapped[str] = mapped_column(String(3))
    text: Mapped[str] = mapped_column(Text)
    footnote_refs: Mapped[list[Any]] = mapped_column(default=list)


class Mention(Base):
    """A mention of a state, process or organisation in a passage, with its character span."""

    __tablename__ = "mentions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    passage_id: Mapped[int] = mapped_column(
        ForeignKey("passages.id", ondelete="CASCADE"), index=True
    )
    document_id: Mapped[str] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    entity: Mapped[str] = mapped_column(String(90), index=True)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    surface: Mapped[str] = mapped_column(Text)


class CandidateBody(Base):
    """A body that documents name and the registry does not hold (the General Assembly,
    SADC, a national ministry), proposed so that the registry can grow from what documents
    name. ``key`` groups its names across languages and documents; ``status`` is
    ``proposed`` or ``dismissed`` (by an admin: not a body worth registering)."""

    __tablename__ = "candidate_bodies"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(120), unique=True)
    name: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(24))
    status: Mapped[str] = mapped_column(String(12), default="proposed", index=True)
    first_seen: Mapped[str] = mapped_column(String(32))


class CandidateMention(Base):
    """Where a document names a candidate body: the passage, the span and the text as
    written."""

    __tablename__ = "candidate_mentions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    candidate_id: Mapped[int] = mapped_column(
        ForeignKey("candidate_bodies.id", ondelete="CASCADE"), index=True
    )
    document_id: Mapped[str] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    passage_ref: Mapped[str] = mapped_column(String(40))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    surface: Mapped[str] = mapped_column(Text)


class MigrantStock(Base):
    """UN DESA International Migrant Stock 2020: migrants born in ``origin`` living in
    ``destination`` in ``year`` (bilateral; "other/unknown" origins are not in the source)."""

    __tablename__ = "migrant_stock"

    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    origin: Mapped[str] = mapped_column(String(3), primary_key=True)
    destination: Mapped[str] = mapped_column(String(3), primary_key=True, index=True)
    stock: Mapped[int] = mapped_column(Integer)
    stock_male: Mapped[int | None] = mapped_column(Integer)
    stock_female: Mapped[int | None] = mapped_column(Integer)


class MigrantTotal(Base):
    """Immigrant and emigrant stock totals of a country in a year, as given in the source."""

    __tablename__ = "migrant_totals"

    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    iso3: Mapped[str] = mapped_column(String(3), primary_key=True)
    immigrants: Mapped[int] = mapped_column(Integer)
    emigrants: Mapped[int] = mapped_column(Integer)


class SearchQueueEntry(Base):
    """The search log: a document whose passages changed, to (re)index or, if it no longer
    exists, to remove from every node's index.

    Each node's index lives in files under its ``<data_dir>/search`` and is derived from the
    database. Ingest (and every other write that changes what the index holds) appends a row in
    its own transaction (:func:`rcphub.search.queue.enqueue_document`), so a change is logged
    exactly when it is committed. Every node reads the log from its own position (kept in its
    index manifest, with the IDs below it not visible yet: on PostgreSQL a transaction that took
    ``id`` 5 may commit after one that took ``id`` 6). Rows are not deleted when applied; they
    are pruned once every live node (``search_nodes``) is past them, or by age
    (:func:`rcphub.search.queue.prune`).
    """

    __tablename__ = "search_queue"
    __table_args__ = {"sqlite_autoincrement": True}  # noqa: RUF012

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    document_id: Mapped[str] = mapped_column(String(16))
    queued_at: Mapped[str] = mapped_column(String(32))


class PassageVector(Base):
    """The embedding of a passage, computed once and shared by the theme tagger and every
    node's search index (:mod:`rcphub.search.vectors`): float16 bytes of ``embedder``'s
    vector of the text whose hash is ``text_hash``, and of its clauses' vectors (a vector of
    other text or another model is computed again)."""

    __tablename__ = "passage_vectors"

    passage_id: Mapped[int] = mapped_column(
        ForeignKey("passages.id", ondelete="CASCADE"), primary_key=True
    )
    embedder: Mapped[str] = mapped_column(String(64))
    text_hash: Mapped[str] = mapped_column(String(16))
    vector: Mapped[bytes] = mapped_column(LargeBinary)
    clauses: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    """float16 bytes of the vectors of the passage's clauses, one after another (the search
    orders its best matches by them, :mod:`rcphub.search.clauses`); none for a vector stored
    before they were kept."""


class SearchNode(Base):
    """A search index (one per data directory: a node) and the last entry of the search log
    (:class:`SearchQueueEntry`) it applied, refreshed each time it looks. Nodes not seen for a
    while do not hold back pruning (:func:`rcphub.search.queue.prune`)."""

    __tablename__ = "search_nodes"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    seen_at: Mapped[str] = mapped_column(String(32))


class SearchLogPruned(Base):
    """One row (``id`` 1): the search log was pruned through entry ``through``. A node whose
    position is behind it missed entries and rebuilds its index."""

    __tablename__ = "search_log_pruned"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    through: Mapped[int] = mapped_column(Integer)


class PassageTag(Base):
    """A passage tagged with a concept of a scheme (``gcm`` ``23``), by the tagger or a person.

    ``source`` says who proposed it (``machine``, with its ``score``; or ``person``);
    ``status`` what became of it (``suggested``, ``confirmed``, ``rejected``), ``decided_by``
    and ``decided_at`` who decided and when. Retagging replaces the machine's open suggestions
    and never a person's decision (it only refreshes the score beside it).
    """

    __tablename__ = "passage_tags"
    __table_args__ = (UniqueConstraint("passage_id", "scheme_id", "code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    passage_id: Mapped[int] = mapped_column(
        ForeignKey("passages.id", ondelete="CASCADE"), index=True
    )
    document_id: Mapped[str] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    scheme_id: Mapped[str] = mapped_column(String(40), index=True)
    code: Mapped[str] = mapped_column(String(20))
    score: Mapped[float | None] = mapped_column(Float)
    source: Mapped[str] = mapped_column(String(8))  # machine | person
    status: Mapped[str] = mapped_column(String(10))  # suggested | confirmed | rejected
    created_at: Mapped[str] = mapped_column(String(32))
    decided_by: Mapped[str | None] = mapped_column(String(80))
    decided_at: Mapped[str | None] = mapped_column(String(32))


class TagQueueEntry(Base):
    """A document whose passages wait for the tagger: written by ingest in the document's own
    transaction and applied right after commit (:func:`rcphub.themes.apply_tag_queue`), so a
    crash or a failing tagger leaves the entry for the next run, never a half-tagged document.
    """

    __tablename__ = "tag_queue"
    __table_args__ = {"sqlite_autoincrement": True}  # noqa: RUF012

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    document_id: Mapped[str] = mapped_column(String(16), index=True)
    queued_at: Mapped[str] = mapped_column(String(32))


class DataVersion(Base):
    """One row whose ``version`` every committed write of the hub raises, in the writing
    transaction itself (:mod:`rcphub.db.versioning`). Caches of rendered reads are keyed by it,
    so a write on any node invalidates the caches of every node."""

    __tablename__ = "data_version"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger)
