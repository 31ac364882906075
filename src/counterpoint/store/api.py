"""The :class:`Store`: analyses in, analyses out, one transaction per document.

Writing is idempotent and resumable. ``add`` checks and writes a document and
all its lists in one transaction, so a run that dies loses at most the
document it was writing, and running it again skips what is already there.
A document already stored is left alone unless its analysis changed: a newer
analyser version (or the same version giving a different analysis) replaces
its lists and is recorded in ``analysis_runs``; an older version never
overwrites a newer one.

Every database or driver error leaves this module as a :class:`StoreError`
whose message names the database (password masked) and the reason, on one line.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from alembic.util import CommandError
from pydantic import BaseModel, ConfigDict
from sqlalchemy import Connection, Engine, delete, func, insert, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import URL
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, selectinload

from counterpoint.errors import DocumentNotFound, StoreError
from counterpoint.schema import Analysis
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
    DateRow,
    DocumentActorRow,
    DocumentRow,
    EventRow,
    FootnoteRow,
    ProvenanceRow,
    RelatedRow,
    SectionRow,
    ToneRow,
    utcnow,
)
from counterpoint.store.url import display_url, resolve_url

__all__ = ["AnalysisRun", "DocumentSummary", "Store"]

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


class DocumentSummary(BaseModel):
    """What a listing shows of a stored document (the ``documents`` of compare and stories)."""

    model_config = ConfigDict(frozen=True)

    id: str
    path: str
    title: str | None = None
    publisher: str | None = None
    published: str | None = None


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
        replaces the document's lists and records a new analysis run.
        """
        values = document_values(analysis, analyzer_version=analyzer_version)
        with self._guard(f"could not store document {analysis.id}"), self._write() as conn:
            _lock_document(conn, analysis.id)
            stored = conn.execute(
                select(DocumentRow.analyzer_version, DocumentRow.content_hash)
                .where(DocumentRow.id == analysis.id)).one_or_none()
            if stored is not None and not _replaces(stored[0], stored[1], analyzer_version,
                                                    values["content_hash"]):
                return analysis.id
            now = utcnow()
            if stored is None:
                conn.execute(insert(DocumentRow).values(**values, created_at=now,
                                                        updated_at=now))
            else:
                conn.execute(update(DocumentRow).where(DocumentRow.id == analysis.id)
                             .values(**values, updated_at=now))
                for model in reversed(CHILD_MODELS):
                    conn.execute(delete(model).where(
                        model.__table__.c.document_id == analysis.id))
            _write_children(conn, analysis)
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

    def documents(self) -> list[DocumentSummary]:
        """A light listing of every stored document, by id."""
        columns = (DocumentRow.id, DocumentRow.path, DocumentRow.title, DocumentRow.publisher,
                   DocumentRow.published)
        with self._guard("could not list documents"), Session(self._engine) as session:
            rows = session.execute(select(*columns).order_by(DocumentRow.id)).all()
        return [DocumentSummary(id=r[0], path=r[1], title=r[2], publisher=r[3],
                                published=r[4]) for r in rows]

    def count(self) -> int:
        """How many documents are stored."""
        with self._guard("could not count documents"), Session(self._engine) as session:
            return int(session.scalar(select(func.count()).select_from(DocumentRow)) or 0)

    def runs(self, document_id: str) -> list[AnalysisRun]:
        """Every stored (re-)analysis of a document, oldest first."""
        with self._guard(f"could not read the runs of {document_id}"), \
                Session(self._engine) as session:
            rows = session.scalars(select(AnalysisRunRow)
                                   .where(AnalysisRunRow.document_id == document_id)
                                   .order_by(AnalysisRunRow.id)).all()
            return [AnalysisRun(r.analyzer_version, r.content_hash, _utc(r.created_at))
                    for r in rows]

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
