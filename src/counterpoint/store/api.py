"""The :class:`Store`: analyses in, analyses out, one transaction per document.

Writing is idempotent and resumable. ``add`` checks and writes a document and
all its lists in one transaction, so a run that dies loses at most the
document it was writing, and running it again skips what is already there.
A document already stored is left alone unless its analysis changed: a newer
analyser version (or the same version giving a different analysis) replaces
its lists and is recorded in ``analysis_runs``; an older version never
overwrites a newer one.

Besides analyses, the store keeps what corpus stages compute once per
document: embeddings (:meth:`Store.put_vectors`, read back by
:meth:`Store.story_inputs` and semantic :meth:`Store.search`) and near-duplicate
groups with their MinHash signatures (:meth:`Store.set_duplicate`,
:meth:`Store.set_minhash`). Full-text search needs no writes of its own: the
database keeps its indexes current (see :mod:`counterpoint.store.search`).

Every database or driver error leaves this module as a :class:`StoreError`
whose message names the database (password masked) and the reason, on one line.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np
from alembic.util import CommandError
from sqlalchemy import Connection, Engine, Select, delete, func, insert, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import URL
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, selectinload

from counterpoint.errors import ConfigError, DocumentNotFound, StoreError
from counterpoint.schema import Analysis, DocumentRef
from counterpoint.store.convert import (
    actor_values,
    analysis_from_row,
    child_rows,
    document_values,
)
from counterpoint.store.engine import WRITE, create_store_engine
from counterpoint.store.migrate import SchemaTooNew, upgrade
from counterpoint.store.models import (
    ActorRow,
    AnalysisRunRow,
    AuthorRow,
    Base,
    ClaimRow,
    ClaimVectorRow,
    DateRow,
    DocumentActorRow,
    DocumentRow,
    DocumentVectorRow,
    EventRow,
    FailureRow,
    FootnoteRow,
    ProvenanceRow,
    RelatedRow,
    SectionRow,
    ToneRow,
    utcnow,
)
from counterpoint.store.search import (
    SEMANTIC_BATCH,
    SearchFilters,
    SearchHit,
    SearchKind,
    decode_vector,
    document_filters,
    encode_vector,
    run_search,
)
from counterpoint.store.url import display_url, resolve_url

if TYPE_CHECKING:
    from counterpoint.corpus.dedupe import DocText
    from counterpoint.corpus.stories import StoryDoc

__all__ = ["AnalysisRun", "DocumentSummary", "SearchHit", "Store"]

T = TypeVar("T")

# Rows read per query when streaming the corpus (story inputs, MinHash signatures).
READ_BATCH = 1000

# A document's lists, in the order they are written (actors before what names them).
CHILD_MODELS: tuple[type[Base], ...] = (
    AuthorRow, SectionRow, FootnoteRow, ProvenanceRow, RelatedRow, DocumentActorRow, DateRow,
    EventRow, ClaimRow, ToneRow)
_LOAD_ALL = tuple(selectinload(rel) for rel in (
    DocumentRow.authors, DocumentRow.sections, DocumentRow.footnotes, DocumentRow.provenance,
    DocumentRow.related, DocumentRow.actors, DocumentRow.dates, DocumentRow.events,
    DocumentRow.claims, DocumentRow.tones))
_DRIVER_ERRORS: tuple[type[Exception], ...] = (SQLAlchemyError, OSError, sqlite3.Error)
# Opening also migrates (Alembic errors) and may name a driver that is not installed.
_OPEN_ERRORS: tuple[type[Exception], ...] = (*_DRIVER_ERRORS, CommandError, SchemaTooNew,
                                             ImportError)


# A light listing of a stored document: the schema's document reference.
DocumentSummary = DocumentRef


@dataclass(frozen=True)
class AnalysisRun:
    """One (re-)analysis of a document that was stored."""

    analyzer_version: str
    content_hash: str
    created_at: datetime


class Store:
    """A corpus of analyses in SQLite or PostgreSQL. Open with :meth:`Store.open`."""

    def __init__(self, engine: Engine, url: URL) -> None:
        """Wrap an engine whose database is already at the current schema."""
        self._engine = engine
        self._password = url.password
        self.database = display_url(url)
        """The database as messages name it: a file path, or the URL without password."""

    # --- opening and closing ------------------------------------------------------------

    @classmethod
    def open(cls, url: str | None = None, *, environ: Mapping[str, str] | None = None) -> Store:
        """Open (creating and migrating as needed) the database at ``url``.

        ``url`` is a SQLite file path, a ``sqlite:///`` URL or a ``postgresql://``
        URL; ``None`` means ``COUNTERPOINT_DB``, then the per-user SQLite file
        (see :func:`counterpoint.store.url.default_path`).
        """
        resolved = resolve_url(url, environ)
        database = display_url(resolved)
        engine: Engine | None = None
        try:
            if resolved.get_backend_name() == "sqlite" and resolved.database not in (
                    None, "", ":memory:"):
                Path(str(resolved.database)).parent.mkdir(parents=True, exist_ok=True)
            engine = create_store_engine(resolved)
            upgrade(engine)
        except _OPEN_ERRORS as exc:
            if engine is not None:
                engine.dispose()
            reason = _describe(exc, resolved.password)
            raise StoreError(database, f"cannot open the database: {reason}") from exc
        return cls(engine, resolved)

    def close(self) -> None:
        """Close every connection; the store can still be used and will reconnect."""
        self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({self.database!r})"

    @property
    def dialect(self) -> str:
        """``"sqlite"`` or ``"postgresql"``."""
        return self._engine.dialect.name

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine, for corpus queries the API does not cover."""
        return self._engine

    # --- writing ------------------------------------------------------------------------

    def add(self, analysis: Analysis, *, analyzer_version: str) -> str:
        """Store one analysis with all its lists in one transaction; return its id.

        Adding what is already stored changes nothing. A newer ``analyzer_version``
        than the stored one, or the same version with a different analysis,
        replaces the document's lists and records a new analysis run; it also
        drops the document's vectors (store new ones with :meth:`put_vectors`)
        and, when the body changed, its MinHash signature.
        """
        values = document_values(analysis, analyzer_version=analyzer_version)
        with self._guard(f"could not store document {analysis.id}"), self._write() as conn:
            _lock_document(conn, analysis.id)
            stored = conn.execute(
                select(DocumentRow.analyzer_version, DocumentRow.content_hash,
                       DocumentRow.body_hash)
                .where(DocumentRow.id == analysis.id)).one_or_none()
            if stored is not None and not _replaces(stored[0], stored[1], analyzer_version,
                                                    values["content_hash"]):
                return analysis.id
            now = utcnow()
            if stored is None:
                conn.execute(insert(DocumentRow).values(**values, created_at=now,
                                                        updated_at=now))
            else:
                # The signature of an old body is stale; duplicate_of is dedupe's to revise.
                stale = {"minhash": None} if stored[2] != values["body_hash"] else {}
                conn.execute(update(DocumentRow).where(DocumentRow.id == analysis.id)
                             .values(**values, **stale, updated_at=now))
                # Embeddings describe the old analysis: has_vectors() turns false.
                for vectors in (ClaimVectorRow, DocumentVectorRow):
                    conn.execute(delete(vectors).where(
                        vectors.__table__.c.document_id == analysis.id))
                for model in reversed(CHILD_MODELS):
                    conn.execute(delete(model).where(
                        model.__table__.c.document_id == analysis.id))
            _write_children(conn, analysis)
            conn.execute(delete(FailureRow).where(FailureRow.document_id == analysis.id))
            conn.execute(insert(AnalysisRunRow).values(
                document_id=analysis.id, analyzer_version=analyzer_version,
                content_hash=values["content_hash"], created_at=now))
        return analysis.id

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        """A connection in a write transaction: committed on success, rolled back on error."""
        with self._engine.connect().execution_options(**{WRITE: True}) as conn, conn.begin():
            yield conn

    # --- reading ------------------------------------------------------------------------

    def has(self, document_id: str, *, analyzer_version: str | None = None) -> bool:
        """Whether the document is stored (analysed by ``analyzer_version`` or newer, if given)."""
        with self._guard(f"could not look up document {document_id}"), \
                Session(self._engine) as session:
            stored = session.scalar(select(DocumentRow.analyzer_version)
                                    .where(DocumentRow.id == document_id))
        if stored is None:
            return False
        return analyzer_version is None or _version_key(stored) >= _version_key(analyzer_version)

    def get(self, document_id: str) -> Analysis:
        """The stored analysis, exactly as it was added; :class:`DocumentNotFound` if absent."""
        with self._guard(f"could not read document {document_id}"), \
                Session(self._engine) as session:
            row = session.scalars(select(DocumentRow).where(DocumentRow.id == document_id)
                                  .options(*_LOAD_ALL)).one_or_none()
            if row is None:
                raise DocumentNotFound(self.database, f"no stored document has id {document_id!r}")
            return analysis_from_row(row)

    def iter_analyses(self, *, batch_size: int = 50) -> Iterator[Analysis]:
        """Every stored analysis, by id, loaded ``batch_size`` documents at a time."""
        with self._guard("could not list documents"), Session(self._engine) as session:
            ids = list(session.scalars(select(DocumentRow.id).order_by(DocumentRow.id)))
        for start in range(0, len(ids), batch_size):
            chunk = ids[start:start + batch_size]
            with self._guard("could not read documents"), Session(self._engine) as session:
                rows = session.scalars(select(DocumentRow).where(DocumentRow.id.in_(chunk))
                                       .options(*_LOAD_ALL).order_by(DocumentRow.id)).all()
                analyses = [analysis_from_row(row) for row in rows]
            yield from analyses

    def documents(self, *, actor: str | None = None, source: str | None = None,
                  since: str | None = None, until: str | None = None,
                  limit: int | None = None, offset: int = 0) -> list[DocumentSummary]:
        """A light listing of the stored documents, newest first (undated last, then by
        id), with the same filters as :meth:`search` and optional paging."""
        columns = (DocumentRow.id, DocumentRow.path, DocumentRow.title, DocumentRow.publisher,
                   DocumentRow.published)
        filters = SearchFilters(actor=_typed(actor), source=_typed(source),
                                since=(since or "").strip() or None,
                                until=(until or "").strip() or None)
        with self._guard("could not list documents"), self._engine.connect() as conn:
            conditions = document_filters(conn, filters)
            if conditions is None:
                return []
            stmt = (select(*columns).where(*conditions)
                    .order_by(DocumentRow.published.is_(None), DocumentRow.published.desc(),
                              DocumentRow.id)
                    .offset(max(offset, 0)))
            if limit is not None:
                stmt = stmt.limit(max(limit, 0))
            rows = conn.execute(stmt).all()
        return [DocumentSummary(id=r[0], path=r[1], title=r[2], publisher=r[3],
                                published=r[4]) for r in rows]

    def count(self, *, actor: str | None = None, source: str | None = None,
              since: str | None = None, until: str | None = None) -> int:
        """How many documents are stored (that pass the filters of :meth:`documents`)."""
        filters = SearchFilters(actor=_typed(actor), source=_typed(source),
                                since=(since or "").strip() or None,
                                until=(until or "").strip() or None)
        with self._guard("could not count documents"), self._engine.connect() as conn:
            conditions = document_filters(conn, filters)
            if conditions is None:
                return 0
            return int(conn.scalar(select(func.count()).select_from(DocumentRow)
                                   .where(*conditions)) or 0)

    def runs(self, document_id: str) -> list[AnalysisRun]:
        """Every stored (re-)analysis of a document, oldest first."""
        with self._guard(f"could not read the runs of {document_id}"), \
                Session(self._engine) as session:
            rows = session.scalars(select(AnalysisRunRow)
                                   .where(AnalysisRunRow.document_id == document_id)
                                   .order_by(AnalysisRunRow.id)).all()
            return [AnalysisRun(r.analyzer_version, r.content_hash, _utc(r.created_at))
                    for r in rows]

    def delete(self, document_id: str) -> bool:
        """Remove a document with everything stored about it; whether it was there."""
        with self._guard(f"could not delete document {document_id}"), self._write() as conn:
            _lock_document(conn, document_id)
            result = conn.execute(delete(DocumentRow).where(DocumentRow.id == document_id))
        return bool(result.rowcount)

    # --- failures -----------------------------------------------------------------------

    def record_failure(self, document_id: str, path: str, reason: str, *,
                       analyzer_version: str) -> None:
        """Record that a document's analysis failed (replacing an earlier record of it)."""
        with self._guard(f"could not record the failure of {document_id}"), \
                self._write() as conn:
            conn.execute(delete(FailureRow).where(FailureRow.document_id == document_id))
            conn.execute(insert(FailureRow).values(
                document_id=document_id, path=path, reason=reason,
                analyzer_version=analyzer_version, failed_at=utcnow()))

    def failure(self, document_id: str, *, analyzer_version: str | None = None) -> str | None:
        """The recorded reason a document failed (with this analyser version, if given)."""
        stmt = select(FailureRow.reason).where(FailureRow.document_id == document_id)
        if analyzer_version is not None:
            stmt = stmt.where(FailureRow.analyzer_version == analyzer_version)
        with self._guard(f"could not look up the failure of {document_id}"), \
                self._engine.connect() as conn:
            return conn.scalar(stmt)

    def failures(self) -> list[tuple[str, str, str]]:
        """Every recorded failure as (document id, path, reason), by id."""
        with self._guard("could not list failed documents"), self._engine.connect() as conn:
            rows = conn.execute(select(FailureRow.document_id, FailureRow.path,
                                       FailureRow.reason).order_by(FailureRow.document_id))
            return [(str(a), str(b), str(c)) for a, b, c in rows]

    # --- vectors ------------------------------------------------------------------------

    def put_vectors(self, document_id: str, lead: np.ndarray, claims: np.ndarray, *,
                    model: str) -> None:
        """Store a document's embeddings in one transaction, replacing any it had.

        ``lead`` is the embedding of the title and lead
        (:func:`counterpoint.corpus.stories.lead_text`), shape ``(dims,)``;
        ``claims`` has one row per stored claim, in order, shape
        ``(n_claims, dims)``; ``model`` names the embedding model. Vectors are
        kept as float32. :class:`DocumentNotFound` if the document is not
        stored; ``ValueError`` if the shapes do not fit it.
        """
        lead_vector = np.asarray(lead, dtype=np.float32)
        if lead_vector.ndim != 1 or lead_vector.size == 0:
            raise ValueError(f"lead vector of {document_id} must be one non-empty row, "
                             f"got shape {lead_vector.shape}")
        dims = int(lead_vector.shape[0])
        claim_vectors = np.asarray(claims, dtype=np.float32)
        if claim_vectors.size == 0:
            claim_vectors = claim_vectors.reshape(0, dims)
        if claim_vectors.ndim != 2 or claim_vectors.shape[1] != dims:
            raise ValueError(f"claim vectors of {document_id} must have shape (n, {dims}), "
                             f"got {claim_vectors.shape}")
        with self._guard(f"could not store the vectors of {document_id}"), \
                self._write() as conn:
            _lock_document(conn, document_id)
            if conn.scalar(select(DocumentRow.id).where(DocumentRow.id == document_id)) is None:
                raise DocumentNotFound(self.database,
                                       f"no stored document has id {document_id!r}")
            stored = int(conn.scalar(select(func.count()).select_from(ClaimRow)
                                     .where(ClaimRow.document_id == document_id)) or 0)
            if stored != len(claim_vectors):
                raise ValueError(f"document {document_id} has {stored} claims, got "
                                 f"{len(claim_vectors)} claim vectors")
            for vectors in (ClaimVectorRow, DocumentVectorRow):
                conn.execute(delete(vectors).where(
                    vectors.__table__.c.document_id == document_id))
            conn.execute(insert(DocumentVectorRow).values(
                document_id=document_id, model=model, dims=dims,
                vector=encode_vector(lead_vector)))
            if len(claim_vectors):
                conn.execute(insert(ClaimVectorRow), [
                    {"document_id": document_id, "position": i, "vector": encode_vector(row)}
                    for i, row in enumerate(claim_vectors)])

    def has_vectors(self, document_id: str) -> bool:
        """Whether the document's current analysis has its vectors stored."""
        with self._guard(f"could not look up the vectors of {document_id}"), \
                self._engine.connect() as conn:
            return conn.scalar(select(DocumentVectorRow.document_id)
                               .where(DocumentVectorRow.document_id == document_id)) is not None

    def vectors(self, document_id: str) -> tuple[np.ndarray, np.ndarray] | None:
        """The stored (lead, claims) vectors of a document, or ``None`` when it has none."""
        with self._guard(f"could not read the vectors of {document_id}"), \
                self._engine.connect() as conn:
            row = conn.execute(select(DocumentVectorRow.dims, DocumentVectorRow.vector)
                               .where(DocumentVectorRow.document_id == document_id)
                               ).one_or_none()
            if row is None:
                return None
            claims = conn.scalars(select(ClaimVectorRow.vector)
                                  .where(ClaimVectorRow.document_id == document_id)
                                  .order_by(ClaimVectorRow.position)).all()
        dims = int(row[0])
        matrix = (np.stack([decode_vector(v) for v in claims]) if claims
                  else np.zeros((0, dims), dtype=np.float32))
        return decode_vector(row[1]), matrix

    def story_inputs(self, *, batch_size: int = READ_BATCH) -> Iterator[StoryDoc]:
        """What story clustering needs of every document that has a lead vector, by id.

        Read ``batch_size`` documents at a time (a few columns, the lead vector
        and the actors' mention counts), never whole analyses, so it scales to
        large corpora.
        """
        from counterpoint.corpus.stories import StoryDoc, principal_actors

        stmt = (select(DocumentRow.id, DocumentRow.path, DocumentRow.title,
                       DocumentRow.publisher, DocumentRow.published, DocumentRow.main_event_type,
                       DocumentVectorRow.vector)
                .join(DocumentVectorRow, DocumentVectorRow.document_id == DocumentRow.id))

        def details(conn: Connection, ids: list[str], undated: list[str]
                    ) -> tuple[dict[str, str | None], dict[str, dict[str, int]]]:
            mentioned: dict[str, str | None] = dict(conn.execute(
                select(DateRow.document_id, func.max(DateRow.value))
                .where(DateRow.document_id.in_(undated), DateRow.precision == "day")
                .group_by(DateRow.document_id)).all()) if undated else {}
            mentions: dict[str, dict[str, int]] = {}
            for doc, actor, count in conn.execute(
                    select(DocumentActorRow.document_id, DocumentActorRow.actor_id,
                           DocumentActorRow.mentions)
                    .where(DocumentActorRow.document_id.in_(ids))):
                counts = mentions.setdefault(doc, {})
                counts[actor] = counts.get(actor, 0) + int(count)
            return mentioned, mentions

        for rows, (mentioned, mentions) in self._pages(
                stmt, "could not read the story inputs", batch_size,
                lambda conn, rows: details(conn, [r[0] for r in rows],
                                           [r[0] for r in rows if not r[4]])):
            for doc, path, title, publisher, published, main_event, vector in rows:
                yield StoryDoc(id=doc, path=path, title=title, publisher=publisher,
                               published=published,
                               actors=principal_actors(mentions.get(doc, {}).items()),
                               main_event=main_event, vector=decode_vector(vector),
                               mentioned_day=mentioned.get(doc))

    def dedupe_inputs(self, *, since: date | None = None, until: date | None = None,
                      undated: bool = False, batch_size: int = READ_BATCH
                      ) -> Iterator[tuple[DocText, bytes]]:
        """Every document with a MinHash signature, as duplicate detection reads it
        (metadata and provenance, no body), with its signature; by id, in batches.

        ``since`` / ``until`` keep those published on or after / before a day;
        ``undated`` only those with no publication date.
        """
        from counterpoint.corpus.dedupe import DocText
        from counterpoint.schema import Provenance

        stmt = (select(DocumentRow.id, DocumentRow.title, DocumentRow.published,
                       DocumentRow.language, DocumentRow.url, DocumentRow.publisher,
                       DocumentRow.minhash)
                .where(DocumentRow.minhash.is_not(None)))
        if undated:
            stmt = stmt.where(DocumentRow.published.is_(None))
        if since is not None:
            stmt = stmt.where(DocumentRow.published >= since.isoformat())
        if until is not None:
            stmt = stmt.where(DocumentRow.published < until.isoformat())

        def provenance(conn: Connection, ids: list[str]) -> dict[str, list[Provenance]]:
            found: dict[str, list[Provenance]] = {}
            for owner, relation, language, printed, source in conn.execute(
                    select(ProvenanceRow.document_id, ProvenanceRow.relation,
                           ProvenanceRow.language, ProvenanceRow.date, ProvenanceRow.source)
                    .where(ProvenanceRow.document_id.in_(ids))
                    .order_by(ProvenanceRow.document_id, ProvenanceRow.position)):
                found.setdefault(owner, []).append(Provenance(
                    relation=relation, language=language, date=printed, source=source))
            return found

        def batches() -> Iterator[tuple[list[Any], dict[str, list[Provenance]]]]:
            if since is None and until is None and not undated:
                yield from self._pages(stmt, "could not read the duplicate signatures",
                                       batch_size,
                                       lambda conn, rows: provenance(conn, [r[0] for r in rows]))
                return
            # a window of days is small: read it in one query along the published index
            # (paging by id would make the database walk every document for each window)
            with self._guard("could not read the duplicate signatures"), \
                    self._engine.connect() as conn:
                rows = list(conn.execute(stmt.order_by(DocumentRow.published,
                                                       DocumentRow.id)).all())
                for start in range(0, len(rows), batch_size):
                    page = rows[start:start + batch_size]
                    yield page, provenance(conn, [r[0] for r in page])

        for rows, links in batches():
            for doc, title, published, language, url, publisher, minhash in rows:
                yield DocText(id=doc, body="", title=title, published=published,
                              language=language, provenance=links.get(doc, []), url=url,
                              publisher=publisher), bytes(minhash or b"")

    def _pages(self, stmt: Select[*tuple[Any, ...]], action: str, batch_size: int,
               extra: Callable[[Connection, list[Any]], T]) -> Iterator[tuple[list[Any], T]]:
        """Read ``stmt`` (whose first column is the document id) a batch at a time, by id
        (keyset pagination: each batch starts after the last id of the previous one),
        with ``extra(conn, rows)`` run on the same connection for each batch."""
        last: str | None = None
        while True:
            page = stmt.order_by(DocumentRow.id).limit(batch_size)
            if last is not None:
                page = page.where(DocumentRow.id > last)
            with self._guard(action), self._engine.connect() as conn:
                rows = list(conn.execute(page).all())
                if not rows:
                    return
                more = extra(conn, rows)
            yield rows, more
            last = rows[-1][0]

    # --- search -------------------------------------------------------------------------

    def search(self, query: str, *, semantic: bool = False, actor: str | None = None,
               source: str | None = None, since: str | None = None, until: str | None = None,
               limit: int = 20, query_vector: np.ndarray | None = None,
               kind: SearchKind = "claim", model: str | None = None) -> list[SearchHit]:
        """The ``limit`` claims (or documents, ``kind="document"``) best matching a query.

        Full text (default): the words of ``query``, as in a web search engine
        (``"a phrase"``, ``or``, ``-excluded``; punctuation never raises),
        ranked by BM25 on SQLite and ``ts_rank`` on PostgreSQL. Semantic
        (``semantic=True``): cosine between ``query_vector`` (the query embedded
        by the caller with the model the corpus was embedded with; ``model``
        restricts to vectors of that model) and every stored claim (or
        document lead) vector, streamed in bounded batches.

        Filters, applied in SQL before ranking: ``actor`` (an actor id, or a
        name or alias, any case, of an actor the document mentions), ``source``
        (a document id or part of the publisher's name, any case),
        ``since``/``until`` (ISO dates, inclusive, on the publication date;
        undated documents are left out when one is given). A bad date raises
        :class:`~counterpoint.errors.ConfigError`.
        """
        if limit < 1:
            raise ConfigError(f"limit must be at least 1, got {limit}")
        if kind not in ("claim", "document"):
            raise ConfigError(f"kind must be 'claim' or 'document', got {kind!r}")
        filters = SearchFilters(actor=_typed(actor), source=_typed(source),
                                since=(since or "").strip() or None,
                                until=(until or "").strip() or None)
        with self._guard("could not search"), self._engine.connect() as conn:
            return run_search(conn, _typed(query) or "", kind=kind, semantic=semantic,
                              filters=filters, limit=limit, query_vector=query_vector,
                              model=model, batch_size=SEMANTIC_BATCH)

    # --- near-duplicates ----------------------------------------------------------------

    def set_duplicate(self, document_id: str, canonical_id: str | None) -> None:
        """Record the canonical document of ``document_id``'s near-duplicate group (or clear it)."""
        self.set_duplicates({document_id: canonical_id})

    def set_duplicates(self, canonical: Mapping[str, str | None], *,
                       reset: bool = False) -> None:
        """Record many documents' canonical ids in one transaction.

        ``reset=True`` first clears every document's ``duplicate_of``, for a
        dedupe run that recomputes all groups. :class:`DocumentNotFound` (and
        nothing written) if a document is not stored.
        """
        with self._guard("could not record near-duplicates"), self._write() as conn:
            if reset:
                conn.execute(update(DocumentRow).where(DocumentRow.duplicate_of.is_not(None))
                             .values(duplicate_of=None))
            for document_id, canonical_id in canonical.items():
                result = conn.execute(update(DocumentRow).where(DocumentRow.id == document_id)
                                      .values(duplicate_of=canonical_id))
                if not result.rowcount:
                    raise DocumentNotFound(self.database,
                                           f"no stored document has id {document_id!r}")

    def duplicates(self) -> dict[str, str]:
        """Document id -> canonical id, for every document whose ``duplicate_of`` is set."""
        with self._guard("could not list near-duplicates"), self._engine.connect() as conn:
            rows = conn.execute(select(DocumentRow.id, DocumentRow.duplicate_of)
                                .where(DocumentRow.duplicate_of.is_not(None))
                                .order_by(DocumentRow.id)).all()
        return {doc: str(canonical) for doc, canonical in rows}

    def canonical_of(self, document_id: str) -> str | None:
        """The canonical document of a stored document's duplicate group, if it is a copy."""
        with self._guard(f"could not look up document {document_id}"), \
                self._engine.connect() as conn:
            found = conn.scalar(select(DocumentRow.duplicate_of)
                                .where(DocumentRow.id == document_id))
        return str(found) if found else None

    def set_minhash(self, document_id: str, signature: bytes | None) -> None:
        """Store (or clear, with ``None``) the MinHash signature of a document's body."""
        with self._guard(f"could not store the MinHash of {document_id}"), \
                self._write() as conn:
            result = conn.execute(update(DocumentRow).where(DocumentRow.id == document_id)
                                  .values(minhash=signature))
            if not result.rowcount:
                raise DocumentNotFound(self.database,
                                       f"no stored document has id {document_id!r}")

    def minhashes(self, *, batch_size: int = READ_BATCH) -> Iterator[tuple[str, bytes]]:
        """Every stored (document id, MinHash signature), by id, read in batches."""
        stmt = (select(DocumentRow.id, DocumentRow.minhash)
                .where(DocumentRow.minhash.is_not(None)))
        for rows, _ in self._pages(stmt, "could not read MinHash signatures", batch_size,
                                   lambda conn, rows: None):
            for doc, signature in rows:
                if signature is not None:  # excluded by the query
                    yield doc, bytes(signature)

    # --- errors -------------------------------------------------------------------------

    @contextmanager
    def _guard(self, action: str) -> Iterator[None]:
        """Turn database and driver errors into a one-line :class:`StoreError`."""
        try:
            yield
        except StoreError:
            raise
        except _DRIVER_ERRORS as exc:
            reason = _describe(exc, self._password)
            raise StoreError(self.database, f"{action}: {reason}") from exc


def _lock_document(conn: Connection, document_id: str) -> None:
    """Make concurrent writers of the same document take turns.

    SQLite needs nothing: a write transaction (``BEGIN IMMEDIATE``) holds the
    database's only write lock. On PostgreSQL, two writers could both find the
    document absent and both insert it; a transaction-scoped advisory lock on
    the id serialises them, and the second then sees the first one's commit.
    """
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:id, 0))"),
                     {"id": document_id})


def _write_children(conn: Connection, analysis: Analysis) -> None:
    """Insert the corpus actors (upserted) and every list of one document."""
    actors = actor_values(analysis)
    if actors:
        dialect_insert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
        stmt = dialect_insert(ActorRow)
        conn.execute(stmt.on_conflict_do_update(
            index_elements=["id"],
            set_={"name": stmt.excluded.name, "type": stmt.excluded.type,
                  "country": stmt.excluded.country}), actors)
    for model, rows in child_rows(analysis).items():
        if rows:
            conn.execute(insert(model), rows)


def _typed(value: str | None) -> str | None:
    """What a user typed, made safe to bind: no NUL (PostgreSQL refuses it), valid UTF-8."""
    if value is None:
        return None
    return value.replace("\x00", " ").encode("utf-8", "replace").decode("utf-8")


def _utc(moment: datetime) -> datetime:
    """A stored timestamp as aware UTC (SQLite gives it back without its zone)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _version_key(version: str) -> tuple[tuple[int, int | str], ...]:
    """Order analyser versions: numbers numerically (0.10 > 0.9), other parts as text."""
    parts = re.findall(r"\d+|[A-Za-z]+", version)
    return tuple((1, int(p)) if p.isdigit() else (0, p) for p in parts)


def _replaces(stored_version: str, stored_hash: str, version: str, new_hash: str) -> bool:
    """Whether a new analysis should replace the stored one."""
    old, new = _version_key(stored_version), _version_key(version)
    if new != old:
        return new > old
    return new_hash != stored_hash


def _describe(exc: BaseException, password: str | None = None) -> str:
    """The first line of what the driver said, without any password."""
    orig: Any = getattr(exc, "orig", None) or exc
    lines = [line.strip() for line in str(orig).splitlines() if line.strip()]
    line = lines[0] if lines else type(orig).__name__
    if password:
        line = line.replace(password, "***")
    return line
