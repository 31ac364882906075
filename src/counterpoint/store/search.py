"""Full-text and semantic search over stored claims (and documents), on both backends.

Full text (migration ``0002`` builds the indexes):

- SQLite: FTS5 tables ``claims_fts`` / ``documents_fts`` (Porter stemming),
  ranked by ``bm25``. The user's words never reach FTS5 as syntax:
  :func:`fts5_query` rebuilds the query from quoted terms, understanding the
  same little language as PostgreSQL's ``websearch_to_tsquery`` (words are
  ANDed, ``"a phrase"``, ``or`` between terms, ``-word`` to exclude) and
  dropping the same English stop words, so both backends find the same things.
- PostgreSQL: ``tsvector @@ websearch_to_tsquery('english', q)`` on GIN indexes
  (claims: the stored column ``claims.tsv``; documents: an expression index),
  ranked by ``ts_rank``; ``websearch_to_tsquery``
  accepts any text without a syntax error.

Semantic: the caller embeds the query (the store never loads a model); claim
(or document) vectors are streamed from the database in batches of
:data:`SEMANTIC_BATCH` rows, scored by cosine with numpy, and only the best
``limit`` are kept, so memory stays bounded and time is linear in the corpus.

Filters (actor, source, date range) are applied in SQL, in the same query that
ranks or streams, so ranking only ever sees matching documents.
Scores order the hits of one search; they are not comparable across backends
or between full-text and semantic search.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict
from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    bindparam,
    column,
    exists,
    func,
    literal_column,
    or_,
    select,
    table,
    text,
)

from counterpoint.errors import ConfigError
from counterpoint.store.engine import SQLITE_LOWER
from counterpoint.store.models import (
    ActorRow,
    ClaimRow,
    ClaimVectorRow,
    DocumentActorRow,
    DocumentRow,
    DocumentVectorRow,
)

__all__ = ["FTS_BODY_CHARS", "FTS_COLUMNS", "FTS_INDEXES", "SEMANTIC_BATCH", "STOP_WORDS",
           "SearchFilters", "SearchHit", "SearchKind", "decode_vector", "document_filters",
           "encode_vector", "fts5_query", "resolve_actor", "run_search"]

SearchKind = Literal["claim", "document"]

# Must match migration 0002: how much of a body the document index holds.
FTS_BODY_CHARS = 200_000
# PostgreSQL objects of migration 0002 outside the models (autogenerate ignores them):
# the GIN indexes, and claims.tsv, the stored tsvector of each claim.
FTS_INDEXES = frozenset({"ix_claims_fts", "ix_documents_fts"})
FTS_COLUMNS = frozenset({("claims", "tsv")})
SEMANTIC_BATCH = 20_000
# A document hit shows the beginning of its body.
DOCUMENT_HIT_CHARS = 300

# PostgreSQL's ``english`` stop words (the Snowball list), dropped from SQLite
# queries too so a query means the same on both backends.
_STOP_WORDS = """
i me my myself we our ours ourselves you your yours yourself yourselves he him his himself
she her hers herself it its itself they them their theirs themselves what which who whom
this that these those am is are was were be been being have has had having do does did
doing a an the and but if or because as until while of at by for with about against
between into through during before after above below to from up down in out on off over
under again further then once here there when where why how all any both each few more
most other some such no nor not only own same so than too very s t can will just don
should now
"""
STOP_WORDS = frozenset(_STOP_WORDS.split())

_PG_CONFIG = "'english'::regconfig"
# What the GIN indexes index (the document one exactly as written, so it is used).
_PG_CLAIM_VECTOR: ColumnElement[Any] = literal_column("claims.tsv")
_PG_DOCUMENT_VECTOR: ColumnElement[Any] = literal_column(
    f"to_tsvector({_PG_CONFIG}, coalesce(documents.title, '') || ' ' || "
    f"substr(documents.body, 1, {FTS_BODY_CHARS}))")
_FTS_KEYS = table("fts_keys", column("id"), column("document_id"), column("position"))
_CLAIMS_FTS = table("claims_fts", column("rowid"))
_DOCUMENTS_FTS = table("documents_fts", column("rowid"))
_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_WORD = re.compile(r"\w+")
_ISO_BOUND = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")


class SearchHit(BaseModel):
    """One result: a claim (or a document) with where it comes from and its score.

    For a claim, ``text`` is the claim, ``start``/``end`` its offsets into the
    body (or into footnote ``footnote``), ``holder`` who holds it and
    ``position`` its index in the document's claims. For a document, ``text``
    is the beginning of its body and those fields are ``None``.
    """

    model_config = ConfigDict(frozen=True)

    document_id: str
    path: str
    title: str | None = None
    publisher: str | None = None
    published: str | None = None
    text: str
    start: int | None = None
    end: int | None = None
    footnote: str | None = None
    holder: str | None = None
    score: float
    kind: SearchKind = "claim"
    position: int | None = None


@dataclass(frozen=True)
class SearchFilters:
    """Which documents a search may return (``None``: no constraint).

    ``actor``: an actor id, or a name or alias (case-insensitive) of an actor
    the document mentions. ``source``: a document id, or part of the publisher's
    name (case-insensitive). ``since``/``until``: ISO dates (``YYYY``,
    ``YYYY-MM`` or ``YYYY-MM-DD``) bounding the publication date, both
    inclusive, compared at the bound's precision (``until="2023-03"`` keeps all
    of March); documents without a date are left out when a bound is given.
    """

    actor: str | None = None
    source: str | None = None
    since: str | None = None
    until: str | None = None

    def __post_init__(self) -> None:
        for name in ("since", "until"):
            value = getattr(self, name)
            if value is not None and not _valid_bound(value):
                raise ConfigError(f"{name}: {value!r} is not an ISO date (YYYY, YYYY-MM or "
                                  "YYYY-MM-DD)")


def _valid_bound(value: str) -> bool:
    if not _ISO_BOUND.fullmatch(value):
        return False
    parts = [*value.split("-"), "01", "01"][:3]
    try:
        date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        return False
    return True


# --- vectors ------------------------------------------------------------------------------


def encode_vector(vector: np.ndarray) -> bytes:
    """A vector as stored: little-endian float32 bytes."""
    return np.ascontiguousarray(vector, dtype="<f4").tobytes()


def decode_vector(data: bytes) -> np.ndarray:
    """A stored vector back as a (writable, native) float32 array."""
    return np.frombuffer(data, dtype="<f4").astype(np.float32)


# --- the SQLite query language ------------------------------------------------------------


def fts5_query(query: str) -> str | None:
    """An FTS5 MATCH expression for what a user typed; ``None`` when nothing is searchable.

    Follows ``websearch_to_tsquery``: words are ANDed; ``"..."`` is a phrase
    (an unclosed quote runs to the end); ``or`` between two terms makes them
    alternatives; a leading ``-`` excludes a term. Stop words are dropped
    outside phrases. Every word reaches FTS5 inside double quotes, so no input
    can be read as FTS5 syntax (``AND``, ``NEAR``, ``*``, ``:``, parentheses).
    """
    groups: list[list[str]] = []  # ANDed groups of ORed items
    excluded: list[str] = []
    pending_or = False
    for match in _TOKEN.finditer(query):
        minus, quoted, bare = match.groups()
        if quoted is not None:
            negated = bool(minus)
            words = _WORD.findall(quoted.lower())
            item = f'"{" ".join(words)}"' if words else None
        else:
            if bare.lower() == "or":
                pending_or = bool(groups)
                continue
            negated = bare.startswith("-")
            words = [w for w in _WORD.findall(bare.lower()) if w not in STOP_WORDS]
            item = " AND ".join(f'"{w}"' for w in words) if words else None
            if item and len(words) > 1:
                item = f"({item})"
        if item is None:
            continue
        if negated:
            excluded.append(item)
        elif pending_or and groups:
            groups[-1].append(item)
        else:
            groups.append([item])
        pending_or = False
    if not groups:
        return None
    expr = " AND ".join(f"({' OR '.join(g)})" if len(g) > 1 else g[0] for g in groups)
    if excluded:
        expr = f"({expr})" + "".join(f" NOT {item}" for item in excluded)
    return expr


# --- filters --------------------------------------------------------------------------------


def _lower(conn: Connection, value: Any) -> ColumnElement[Any]:
    name = SQLITE_LOWER if conn.dialect.name == "sqlite" else "lower"
    return getattr(func, name)(value)  # type: ignore[no-any-return]


def resolve_actor(conn: Connection, actor: str) -> list[str]:
    """The actor ids ``actor`` may mean: an id, or every actor with that name or alias.

    Names and aliases are compared without case: the corpus-wide name, the name
    a document gave the actor, and the surface forms it was seen under ("Xi"
    finds Xi Jinping; "Kremlin" finds both the organisation and the state
    documents called so). The alias lookup reads every ``document_actors`` row
    (a scan; about 0.1 s for 10,000 documents).
    """
    wanted = actor.strip()
    folded = wanted.lower()
    if conn.scalar(select(ActorRow.id).where(ActorRow.id == wanted)) is not None:
        return [wanted]
    ids = set(conn.scalars(select(ActorRow.id).where(_lower(conn, ActorRow.name) == folded)))
    if conn.dialect.name == "sqlite":
        aliases = text(f"EXISTS (SELECT 1 FROM json_each(document_actors.aliases_seen) AS a "
                       f"WHERE {SQLITE_LOWER}(a.value) = :folded)")
    else:
        aliases = text("EXISTS (SELECT 1 FROM json_array_elements_text("
                       "document_actors.aliases_seen) AS a(value) "
                       "WHERE lower(a.value) = :folded)")
    stmt = (select(DocumentActorRow.actor_id).distinct()
            .where(or_(_lower(conn, DocumentActorRow.name) == folded,
                       aliases.bindparams(folded=folded))))
    return sorted(ids | set(conn.scalars(stmt)))


def document_filters(conn: Connection, filters: SearchFilters) -> list[ColumnElement[bool]] | None:
    """SQL conditions on ``documents`` for ``filters``; ``None`` when nothing can match."""
    conditions: list[ColumnElement[bool]] = []
    if filters.actor is not None and filters.actor.strip():
        ids = resolve_actor(conn, filters.actor)
        if not ids:
            return None
        conditions.append(exists().where(DocumentActorRow.document_id == DocumentRow.id,
                                         DocumentActorRow.actor_id.in_(ids)))
    if filters.source is not None and filters.source.strip():
        source = filters.source.strip()
        conditions.append(or_(
            DocumentRow.id == source,
            _lower(conn, DocumentRow.publisher).contains(source.lower(), autoescape=True)))
    if filters.since is not None:
        conditions.append(DocumentRow.published >= filters.since)
    if filters.until is not None:
        conditions.append(func.substr(DocumentRow.published, 1, len(filters.until))
                          <= filters.until)
    return conditions


# --- search -------------------------------------------------------------------------------

Ranked = list[tuple[str, int | None, float]]  # (document id, claim position, score)


def run_search(conn: Connection, query: str, *, kind: SearchKind, semantic: bool,
               filters: SearchFilters, limit: int, query_vector: np.ndarray | None,
               model: str | None, batch_size: int = SEMANTIC_BATCH) -> list[SearchHit]:
    """Search in one connection; see :meth:`counterpoint.store.Store.search`."""
    conditions = document_filters(conn, filters)
    if conditions is None:
        return []
    if semantic:
        if query_vector is None:
            raise ValueError("semantic search needs query_vector (the embedded query)")
        ranked = _semantic(conn, query_vector, kind=kind, conditions=conditions, limit=limit,
                           model=model, batch_size=batch_size)
    elif not query.strip():
        return []
    elif conn.dialect.name == "postgresql":
        ranked = _postgres_text(conn, query, kind=kind, conditions=conditions, limit=limit)
    else:
        ranked = _sqlite_text(conn, query, kind=kind, conditions=conditions, limit=limit)
    if kind == "claim":
        return _claim_hits(conn, ranked)
    return _document_hits(conn, ranked)


def _sqlite_text(conn: Connection, query: str, *, kind: SearchKind,
                 conditions: Sequence[ColumnElement[bool]], limit: int) -> Ranked:
    expression = fts5_query(query)
    if expression is None:
        return []
    keys = _FTS_KEYS.c
    if kind == "claim":
        index, rank = _CLAIMS_FTS, func.bm25(literal_column("claims_fts"))
        match = literal_column("claims_fts").op("MATCH")(bindparam("match", expression))
    else:
        # Title words weigh twice as much as body words.
        index, rank = _DOCUMENTS_FTS, func.bm25(literal_column("documents_fts"), 2.0, 1.0)
        match = literal_column("documents_fts").op("MATCH")(bindparam("match", expression))
    stmt = (select(keys.document_id, keys.position, rank)
            .select_from(index.join(_FTS_KEYS, keys.id == index.c.rowid)
                         .join(DocumentRow.__table__, DocumentRow.id == keys.document_id))
            .where(match, *conditions)
            .order_by(rank, keys.document_id, keys.position)
            .limit(limit))
    return [(doc, position if kind == "claim" else None, -float(score))
            for doc, position, score in conn.execute(stmt)]


def _postgres_text(conn: Connection, query: str, *, kind: SearchKind,
                   conditions: Sequence[ColumnElement[bool]], limit: int) -> Ranked:
    tsquery = func.websearch_to_tsquery(literal_column(_PG_CONFIG), bindparam("q", query))
    if kind == "claim":
        # Matches first (GIN index), then the document filters: left to itself the
        # planner may misjudge how many documents pass the filters and probe the
        # index once per document, which is far slower than reading the matches once.
        matches = (select(ClaimRow.document_id, ClaimRow.position,
                          func.ts_rank(_PG_CLAIM_VECTOR, tsquery).label("score"))
                   .where(_PG_CLAIM_VECTOR.op("@@")(tsquery))
                   .cte("matches").prefix_with("MATERIALIZED"))
        stmt: Select[Any] = (
            select(matches.c.document_id, matches.c.position, matches.c.score)
            .join(DocumentRow, DocumentRow.id == matches.c.document_id)
            .where(*conditions)
            .order_by(matches.c.score.desc(), matches.c.document_id, matches.c.position))
    else:
        matches = (select(DocumentRow.id.label("document_id"),
                          func.ts_rank(_PG_DOCUMENT_VECTOR, tsquery).label("score"))
                   .where(_PG_DOCUMENT_VECTOR.op("@@")(tsquery))
                   .cte("matches").prefix_with("MATERIALIZED"))
        stmt = (select(matches.c.document_id, literal_column("NULL"), matches.c.score)
                .join(DocumentRow, DocumentRow.id == matches.c.document_id)
                .where(*conditions)
                .order_by(matches.c.score.desc(), matches.c.document_id))
    return [(doc, position, float(score))
            for doc, position, score in conn.execute(stmt.limit(limit))]


def _semantic(conn: Connection, query_vector: np.ndarray, *, kind: SearchKind,
              conditions: Sequence[ColumnElement[bool]], limit: int, model: str | None,
              batch_size: int) -> Ranked:
    query = np.asarray(query_vector, dtype=np.float32).reshape(-1)
    dims = int(query.shape[0])
    if dims == 0:
        raise ValueError("query_vector is empty")
    norm = float(np.linalg.norm(query))
    if norm == 0.0:
        return []
    query = query / norm
    same_space = [DocumentVectorRow.dims == dims]
    if model is not None:
        same_space.append(DocumentVectorRow.model == model)
    if kind == "claim":
        stmt: Any = (
            select(ClaimVectorRow.document_id, ClaimVectorRow.position, ClaimVectorRow.vector)
            .join(DocumentVectorRow, DocumentVectorRow.document_id == ClaimVectorRow.document_id)
            .join(DocumentRow, DocumentRow.id == ClaimVectorRow.document_id))
    else:
        stmt = (select(DocumentVectorRow.document_id, literal_column("NULL"),
                       DocumentVectorRow.vector)
                .join(DocumentRow, DocumentRow.id == DocumentVectorRow.document_id))
    stmt = stmt.where(*same_space, *conditions)

    best_scores = np.zeros(0, dtype=np.float32)
    best_keys: list[tuple[str, int | None]] = []
    result = conn.execution_options(stream_results=True, max_row_buffer=batch_size).execute(stmt)
    for part in result.partitions(batch_size):
        matrix = np.frombuffer(b"".join(row[2] for row in part), dtype="<f4")
        matrix = matrix.reshape(len(part), dims)
        norms = np.maximum(np.sqrt(np.einsum("ij,ij->i", matrix, matrix)), 1e-12)
        scores = (matrix @ query) / norms
        keep = _top(scores, limit)
        candidates = np.concatenate([best_scores, scores[keep]])
        keys = best_keys + [(part[i][0], part[i][1]) for i in keep]
        chosen = _top(candidates, limit)
        best_scores = candidates[chosen]
        best_keys = [keys[i] for i in chosen]
    ranked = [(doc, position, float(score))
              for (doc, position), score in zip(best_keys, best_scores, strict=True)]
    ranked.sort(key=lambda hit: (-hit[2], hit[0], -1 if hit[1] is None else hit[1]))
    return ranked


def _top(scores: np.ndarray, limit: int) -> np.ndarray:
    """Indexes of the ``limit`` highest scores (in no particular order)."""
    if len(scores) <= limit:
        return np.arange(len(scores))
    return np.argpartition(-scores, limit - 1)[:limit]


def _claim_hits(conn: Connection, ranked: Ranked) -> list[SearchHit]:
    if not ranked:
        return []
    # Not ``(document_id, position) IN (...)``: SQLite scans the table for row values.
    stmt = (select(ClaimRow.document_id, ClaimRow.position, ClaimRow.text,
                   ClaimRow.start_offset, ClaimRow.end_offset, ClaimRow.footnote,
                   ClaimRow.holder_name, DocumentRow.path, DocumentRow.title,
                   DocumentRow.publisher, DocumentRow.published)
            .join(DocumentRow, DocumentRow.id == ClaimRow.document_id)
            .where(ClaimRow.document_id.in_({doc for doc, _, _ in ranked}),
                   ClaimRow.position.in_({position for _, position, _ in ranked})))
    rows = {(r.document_id, r.position): r for r in conn.execute(stmt)}
    hits = []
    for doc, position, score in ranked:
        row = rows.get((doc, position))
        if row is None:  # deleted between the two queries
            continue
        hits.append(SearchHit(
            document_id=doc, path=row.path, title=row.title, publisher=row.publisher,
            published=row.published, text=row.text, start=row.start_offset,
            end=row.end_offset, footnote=row.footnote, holder=row.holder_name, score=score,
            kind="claim", position=position))
    return hits


def _document_hits(conn: Connection, ranked: Ranked) -> list[SearchHit]:
    if not ranked:
        return []
    stmt = select(DocumentRow.id, DocumentRow.path, DocumentRow.title, DocumentRow.publisher,
                  DocumentRow.published,
                  func.substr(DocumentRow.body, 1, DOCUMENT_HIT_CHARS).label("lead")
                  ).where(DocumentRow.id.in_([doc for doc, _, _ in ranked]))
    rows = {r.id: r for r in conn.execute(stmt)}
    return [SearchHit(document_id=doc, path=row.path, title=row.title, publisher=row.publisher,
                      published=row.published, text=row.lead or "", score=score,
                      kind="document")
            for doc, _, score in ranked if (row := rows.get(doc)) is not None]
