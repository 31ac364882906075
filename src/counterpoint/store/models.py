"""SQLAlchemy 2 models: the contract of :mod:`counterpoint.schema`, normalised.

One table per list of the contract, so timeline, graph and search can filter
in SQL (events by date or type, documents by actor) instead of loading JSON.
Lists keep their order through an explicit ``position`` column; children are
keyed by ``(document_id, position)`` and deleted with their document
(``ON DELETE CASCADE``).

Only types portable to SQLite and PostgreSQL are used: strings, integers,
booleans, doubles, timestamps, bytes (embeddings as little-endian float32,
MinHash signatures), and ``JSON`` for the two leaf lists of strings (an
actor's surface forms in a document, the analysis notes) that nothing filters
by.

Full-text search lives outside these models, because it differs per backend
(migration ``0002``): SQLite has FTS5 virtual tables kept in sync by triggers;
PostgreSQL has a generated ``tsvector`` column on claims and GIN indexes.

Column names avoid SQL keywords that need quoting (offsets are
``start_offset``/``end_offset``, not ``start``/``end``), so hand-written SQL
and the full-text search migration to come stay simple.

This module is the source of truth for the *shape*; the migrations in
``migrations/versions`` create it explicitly and a test checks they agree.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Double,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

__all__ = [
    "ActorRow",
    "AnalysisRunRow",
    "AuthorRow",
    "Base",
    "ClaimRow",
    "ClaimVectorRow",
    "DateRow",
    "DocumentActorRow",
    "DocumentRow",
    "DocumentVectorRow",
    "EventRow",
    "FootnoteRow",
    "ProvenanceRow",
    "RelatedRow",
    "SectionRow",
    "ToneRow",
]

# Named constraints, so later migrations can alter them on every backend
# (SQLite's batch mode needs names to find them).
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """The current time, timezone-aware (stored as UTC)."""
    return datetime.now(UTC)


class Base(DeclarativeBase):
    """Declarative base with the naming convention and the type map."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: dict[Any, Any] = {  # noqa: RUF012 - SQLAlchemy reads it at class creation
        str: String(),
        int: Integer(),
        float: Double(),
        bool: Boolean(),
        datetime: DateTime(timezone=True),
        list[str]: JSON(),
        bytes: LargeBinary(),
    }


def _document_fk() -> Mapped[str]:
    return mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True)


def _position() -> Mapped[int]:
    return mapped_column(primary_key=True)


class DocumentRow(Base):
    """One stored document: the extracted fields plus the analysis' scalars.

    ``id`` is :attr:`Document.id` (a content hash of the input, or the id a
    JSONL line gave). ``content_hash`` is the SHA-256 of the whole stored
    analysis: adding the same analysis again is a no-op. ``body_hash`` is the
    SHA-256 of the body, for finding the same article under different ids.
    """

    __tablename__ = "documents"

    id: Mapped[str] = mapped_column(primary_key=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    body_hash: Mapped[str] = mapped_column(String(64), index=True)
    path: Mapped[str] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(Text)
    subtitle: Mapped[str | None] = mapped_column(Text)
    series: Mapped[str | None] = mapped_column(Text)
    publisher: Mapped[str | None] = mapped_column(Text)
    published: Mapped[str | None] = mapped_column(index=True)
    published_estimated: Mapped[bool]
    language: Mapped[str | None]
    body: Mapped[str] = mapped_column(Text)
    format: Mapped[str]
    main_event_type: Mapped[str | None] = mapped_column(index=True)
    main_event_mode: Mapped[str | None]
    analysis_notes: Mapped[list[str]]
    analyzer_version: Mapped[str]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The canonical document of this one's near-duplicate group (set by dedupe).
    duplicate_of: Mapped[str | None] = mapped_column(index=True)
    # The MinHash signature of the body (set by dedupe; cleared when the body changes).
    minhash: Mapped[bytes | None]

    authors: Mapped[list[AuthorRow]] = relationship(
        order_by="AuthorRow.position", cascade="all, delete-orphan", passive_deletes=True)
    sections: Mapped[list[SectionRow]] = relationship(
        order_by="SectionRow.position", cascade="all, delete-orphan", passive_deletes=True)
    footnotes: Mapped[list[FootnoteRow]] = relationship(
        order_by="FootnoteRow.position", cascade="all, delete-orphan", passive_deletes=True)
    provenance: Mapped[list[ProvenanceRow]] = relationship(
        order_by="ProvenanceRow.position", cascade="all, delete-orphan", passive_deletes=True)
    related: Mapped[list[RelatedRow]] = relationship(
        order_by="RelatedRow.position", cascade="all, delete-orphan", passive_deletes=True)
    actors: Mapped[list[DocumentActorRow]] = relationship(
        order_by="DocumentActorRow.position", cascade="all, delete-orphan",
        passive_deletes=True)
    dates: Mapped[list[DateRow]] = relationship(
        order_by="DateRow.position", cascade="all, delete-orphan", passive_deletes=True)
    events: Mapped[list[EventRow]] = relationship(
        order_by="EventRow.position", cascade="all, delete-orphan", passive_deletes=True)
    claims: Mapped[list[ClaimRow]] = relationship(
        order_by="ClaimRow.position", cascade="all, delete-orphan", passive_deletes=True)
    tones: Mapped[list[ToneRow]] = relationship(
        order_by="ToneRow.position", cascade="all, delete-orphan", passive_deletes=True)
    runs: Mapped[list[AnalysisRunRow]] = relationship(
        order_by="AnalysisRunRow.id", cascade="all, delete-orphan", passive_deletes=True)


class AuthorRow(Base):
    """A byline of a document."""

    __tablename__ = "authors"

    document_id: Mapped[str] = _document_fk()
    position: Mapped[int] = _position()
    name: Mapped[str] = mapped_column(Text)
    role: Mapped[str | None] = mapped_column(Text)
    affiliation: Mapped[str | None] = mapped_column(Text)


class SectionRow(Base):
    """A section of the body; ``voice_name`` is NULL when no voice opens it."""

    __tablename__ = "sections"

    document_id: Mapped[str] = _document_fk()
    position: Mapped[int] = _position()
    heading: Mapped[str | None] = mapped_column(Text)
    voice_name: Mapped[str | None] = mapped_column(Text)
    voice_role: Mapped[str | None] = mapped_column(Text)
    voice_affiliation: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)


class FootnoteRow(Base):
    """A footnote: its marker as printed and its text."""

    __tablename__ = "footnotes"

    document_id: Mapped[str] = _document_fk()
    position: Mapped[int] = _position()
    marker: Mapped[str]
    text: Mapped[str] = mapped_column(Text)


class ProvenanceRow(Base):
    """Where the text came from (translation, republication...)."""

    __tablename__ = "provenance"

    document_id: Mapped[str] = _document_fk()
    position: Mapped[int] = _position()
    relation: Mapped[str]
    language: Mapped[str | None]
    date: Mapped[str | None]
    source: Mapped[str | None] = mapped_column(Text)


class RelatedRow(Base):
    """A teaser for another article shown with this one."""

    __tablename__ = "related"

    document_id: Mapped[str] = _document_fk()
    position: Mapped[int] = _position()
    title: Mapped[str] = mapped_column(Text)
    author: Mapped[str | None] = mapped_column(Text)
    date: Mapped[str | None]


class ActorRow(Base):
    """A canonical actor, one row per id across the corpus (the last analysis names it).

    The graph and the actor filters join on this table; what one document said
    of the actor is in :class:`DocumentActorRow`.
    """

    __tablename__ = "actors"

    id: Mapped[str] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    type: Mapped[str] = mapped_column(index=True)
    country: Mapped[str | None] = mapped_column(index=True)


class DocumentActorRow(Base):
    """An actor as one document saw it.

    ``name``, ``type`` and ``country`` repeat the corpus row on purpose: the
    gazetteer may rename an actor in a later analyser version, and each stored
    document must still read back exactly as it was analysed.
    """

    __tablename__ = "document_actors"
    __table_args__ = (Index("ix_document_actors_actor_document", "actor_id", "document_id"),)

    document_id: Mapped[str] = _document_fk()
    position: Mapped[int] = _position()
    actor_id: Mapped[str] = mapped_column(ForeignKey("actors.id"))
    name: Mapped[str] = mapped_column(Text)
    type: Mapped[str]
    country: Mapped[str | None]
    aliases_seen: Mapped[list[str]]
    mentions: Mapped[int]


class DateRow(Base):
    """A temporal expression with its ISO value and offsets into the body."""

    __tablename__ = "dates"

    document_id: Mapped[str] = _document_fk()
    position: Mapped[int] = _position()
    text: Mapped[str] = mapped_column(Text)
    value: Mapped[str | None] = mapped_column(index=True)
    precision: Mapped[str | None]
    start_offset: Mapped[int]
    end_offset: Mapped[int]
    reason: Mapped[str | None] = mapped_column(Text)


class EventRow(Base):
    """A coded PLOVER event; ``source_name``/``target_name`` NULL means no such actor."""

    __tablename__ = "events"

    document_id: Mapped[str] = _document_fk()
    position: Mapped[int] = _position()
    type: Mapped[str] = mapped_column(index=True)
    mode: Mapped[str | None]
    source_id: Mapped[str | None] = mapped_column(index=True)
    source_name: Mapped[str | None] = mapped_column(Text)
    target_id: Mapped[str | None] = mapped_column(index=True)
    target_name: Mapped[str | None] = mapped_column(Text)
    date: Mapped[str | None] = mapped_column(index=True)
    date_precision: Mapped[str | None]
    location: Mapped[str | None] = mapped_column(Text)
    negated: Mapped[bool]
    modality: Mapped[str]
    sentence: Mapped[str] = mapped_column(Text)
    start_offset: Mapped[int]
    end_offset: Mapped[int]
    holder: Mapped[str | None] = mapped_column(Text)
    trigger: Mapped[str | None] = mapped_column(Text)
    footnote: Mapped[str | None]


class ClaimRow(Base):
    """An attributed claim with its holder, certainty and tone."""

    __tablename__ = "claims"

    document_id: Mapped[str] = _document_fk()
    position: Mapped[int] = _position()
    text: Mapped[str] = mapped_column(Text)
    holder_name: Mapped[str] = mapped_column(Text)
    holder_kind: Mapped[str]
    holder_actor_id: Mapped[str | None] = mapped_column(index=True)
    attribution: Mapped[str]
    certainty_label: Mapped[str]
    certainty_probability: Mapped[float]
    certainty_cue: Mapped[str | None] = mapped_column(Text)
    tone: Mapped[float]
    start_offset: Mapped[int]
    end_offset: Mapped[int]
    footnote: Mapped[str | None]


class ToneRow(Base):
    """The document's tone toward one actor (keyed by name, as in the contract).

    ``actor_id`` is filled when exactly one actor of the document has that
    name, so tone can be compared across documents by canonical id.
    """

    __tablename__ = "document_tones"

    document_id: Mapped[str] = _document_fk()
    position: Mapped[int] = _position()
    actor_name: Mapped[str] = mapped_column(Text)
    actor_id: Mapped[str | None] = mapped_column(index=True)
    score: Mapped[float]


class AnalysisRunRow(Base):
    """Every time a document was (re-)analysed and stored: which analyser, when."""

    __tablename__ = "analysis_runs"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    document_id: Mapped[str] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    analyzer_version: Mapped[str]
    content_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class DocumentVectorRow(Base):
    """The embedding of a document's title and lead (``stories.lead_text``).

    ``vector`` is ``dims`` little-endian float32 values; ``model`` names the
    embedding model. Semantic search compares a query only with vectors of its
    own dimension (and, when asked, of one model).
    """

    __tablename__ = "document_vectors"

    document_id: Mapped[str] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True)
    model: Mapped[str]
    dims: Mapped[int]
    vector: Mapped[bytes]


class ClaimVectorRow(Base):
    """The embedding of one claim's text (the claim at ``position`` of the document).

    Deleted with the claim, so a re-analysis never leaves vectors of old claims.
    The model and dimensions are those of the document's :class:`DocumentVectorRow`.
    """

    __tablename__ = "claim_vectors"
    __table_args__ = (
        ForeignKeyConstraint(["document_id", "position"],
                             ["claims.document_id", "claims.position"], ondelete="CASCADE",
                             name="fk_claim_vectors_document_id_claims"),
    )

    document_id: Mapped[str] = mapped_column(primary_key=True)
    position: Mapped[int] = mapped_column(primary_key=True)
    vector: Mapped[bytes]


class FailureRow(Base):
    """A document whose analysis failed (it raised, crashed or hung its worker): why,
    and by which analyser, so a later run can skip it or try it again."""

    __tablename__ = "failures"

    document_id: Mapped[str] = mapped_column(primary_key=True)
    path: Mapped[str]
    reason: Mapped[str] = mapped_column(Text())
    analyzer_version: Mapped[str]
    failed_at: Mapped[datetime] = mapped_column(default=utcnow)
