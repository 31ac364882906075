"""Vectors, near-duplicates and full-text search.

- ``document_vectors``: the embedding of each document's title and lead;
  ``claim_vectors``: the embedding of each claim, deleted with the claim.
- ``documents.duplicate_of`` (indexed) and ``documents.minhash``: what dedupe
  finds and needs again.
- Full-text search over claims (their text) and documents (title and body),
  which differs per backend:

  *SQLite*: two contentless FTS5 tables, ``claims_fts(text)`` and
  ``documents_fts(title, body)`` (Porter stemming, diacritics folded), so no
  text is stored twice. Their rowids come from ``fts_keys`` (an ``INTEGER
  PRIMARY KEY``, which ``VACUUM`` never renumbers, unlike the implicit rowids
  of ``claims`` and ``documents``): one key per claim ``(document_id,
  position)`` and one per document (``position`` -1). Triggers on ``claims``
  and ``documents`` keep both in step on every insert, update and delete,
  cascades included, so a re-analysis (which deletes and rewrites a
  document's claims) or a deleted document leaves no stale entry.

  *PostgreSQL*: claims get a stored generated column ``tsv`` =
  ``to_tsvector('english', text)`` with a GIN index, so ranking and filtered
  searches read the vector instead of re-parsing each claim; documents get a
  GIN expression index on ``to_tsvector('english', title || ' ' || body)``
  (no stored copy of long bodies). The database keeps both current by itself.

  Both index at most the first :data:`FTS_BODY_CHARS` characters of a body
  (a ``tsvector`` cannot exceed 1 MB). The search queries in
  :mod:`counterpoint.store.search` repeat these expressions exactly.

Revision ID: 0002
Revises: 0001
Create Date: 2025-01-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None

FTS_BODY_CHARS = 200_000

# PostgreSQL: what autogenerate is told to leave alone (migrate.include_name).
PG_CLAIMS_TSV = "tsv"
PG_CLAIMS_FTS = "ix_claims_fts"
PG_DOCUMENTS_FTS = "ix_documents_fts"


def _body(row: str) -> str:
    """The indexed part of a body, in SQLite."""
    return f"substr({row}.body, 1, {FTS_BODY_CHARS})"


_TOKENIZE = "tokenize='porter unicode61 remove_diacritics 2'"
_DELETE_CLAIM = """
    INSERT INTO claims_fts (claims_fts, rowid, text)
        SELECT 'delete', id, old.text FROM fts_keys
        WHERE document_id = old.document_id AND position = old.position;
    DELETE FROM fts_keys WHERE document_id = old.document_id AND position = old.position;"""
_INSERT_CLAIM = """
    INSERT INTO fts_keys (document_id, position) VALUES (new.document_id, new.position);
    INSERT INTO claims_fts (rowid, text) VALUES (last_insert_rowid(), new.text);"""
_DELETE_DOCUMENT = f"""
    INSERT INTO documents_fts (documents_fts, rowid, title, body)
        SELECT 'delete', id, old.title, {_body("old")} FROM fts_keys
        WHERE document_id = old.id AND position = -1;
    DELETE FROM fts_keys WHERE document_id = old.id AND position = -1;"""
_INSERT_DOCUMENT = f"""
    INSERT INTO fts_keys (document_id, position) VALUES (new.id, -1);
    INSERT INTO documents_fts (rowid, title, body)
        VALUES (last_insert_rowid(), new.title, {_body("new")});"""

# name -> trigger
_SQLITE_TRIGGERS = {
    "claims_fts_insert": f"AFTER INSERT ON claims BEGIN{_INSERT_CLAIM}\nEND",
    "claims_fts_delete": f"AFTER DELETE ON claims BEGIN{_DELETE_CLAIM}\nEND",
    "claims_fts_update": ("AFTER UPDATE OF document_id, position, text ON claims BEGIN"
                          f"{_DELETE_CLAIM}{_INSERT_CLAIM}\nEND"),
    "documents_fts_insert": f"AFTER INSERT ON documents BEGIN{_INSERT_DOCUMENT}\nEND",
    "documents_fts_delete": f"AFTER DELETE ON documents BEGIN{_DELETE_DOCUMENT}\nEND",
    # Store.add rewrites every column on re-analysis: re-index only what changed.
    "documents_fts_update": ("AFTER UPDATE OF id, title, body ON documents WHEN old.id IS NOT "
                             "new.id OR old.title IS NOT new.title OR old.body IS NOT new.body "
                             f"BEGIN{_DELETE_DOCUMENT}{_INSERT_DOCUMENT}\nEND"),
}

_SQLITE_UP = (
    """CREATE TABLE fts_keys (
        id INTEGER PRIMARY KEY,
        document_id VARCHAR NOT NULL,
        position INTEGER NOT NULL,
        CONSTRAINT uq_fts_keys_document_position UNIQUE (document_id, position))""",
    f"CREATE VIRTUAL TABLE claims_fts USING fts5(text, content='', {_TOKENIZE})",
    f"CREATE VIRTUAL TABLE documents_fts USING fts5(title, body, content='', {_TOKENIZE})",
    *(f"CREATE TRIGGER {name} {trigger}" for name, trigger in _SQLITE_TRIGGERS.items()),
    # What is already stored.
    "INSERT INTO fts_keys (document_id, position) SELECT id, -1 FROM documents ORDER BY id",
    """INSERT INTO fts_keys (document_id, position)
        SELECT document_id, position FROM claims ORDER BY document_id, position""",
    f"""INSERT INTO documents_fts (rowid, title, body)
        SELECT k.id, d.title, {_body("d")} FROM documents d
        JOIN fts_keys k ON k.document_id = d.id AND k.position = -1""",
    """INSERT INTO claims_fts (rowid, text)
        SELECT k.id, c.text FROM claims c
        JOIN fts_keys k ON k.document_id = c.document_id AND k.position = c.position""",
)


def upgrade() -> None:
    """Add the vector tables, the dedupe columns and full-text search."""
    op.add_column("documents", sa.Column("duplicate_of", sa.String(), nullable=True))
    op.add_column("documents", sa.Column("minhash", sa.LargeBinary(), nullable=True))
    op.create_index("ix_documents_duplicate_of", "documents", ["duplicate_of"])

    op.create_table(
        "document_vectors",
        sa.Column("document_id", sa.String(), nullable=False),
        sa.Column("model", sa.String(), nullable=False),
        sa.Column("dims", sa.Integer(), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], ondelete="CASCADE",
                                name="fk_document_vectors_document_id_documents"),
        sa.PrimaryKeyConstraint("document_id", name="pk_document_vectors"),
    )
    op.create_table(
        "claim_vectors",
        sa.Column("document_id", sa.String(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["document_id", "position"],
                                ["claims.document_id", "claims.position"], ondelete="CASCADE",
                                name="fk_claim_vectors_document_id_claims"),
        sa.PrimaryKeyConstraint("document_id", "position", name="pk_claim_vectors"),
    )

    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"ALTER TABLE claims ADD COLUMN {PG_CLAIMS_TSV} tsvector GENERATED ALWAYS "
                   "AS (to_tsvector('english'::regconfig, text)) STORED")
        op.execute(f"CREATE INDEX {PG_CLAIMS_FTS} ON claims USING gin ({PG_CLAIMS_TSV})")
        op.execute(f"CREATE INDEX {PG_DOCUMENTS_FTS} ON documents USING gin "
                   "(to_tsvector('english'::regconfig, coalesce(title, '') || ' ' || "
                   f"substr(body, 1, {FTS_BODY_CHARS})))")
    else:
        for statement in _SQLITE_UP:
            op.execute(statement)


def downgrade() -> None:
    """Remove full-text search, the vector tables and the dedupe columns."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP INDEX IF EXISTS {PG_DOCUMENTS_FTS}")
        op.execute(f"DROP INDEX IF EXISTS {PG_CLAIMS_FTS}")
        op.execute(f"ALTER TABLE claims DROP COLUMN IF EXISTS {PG_CLAIMS_TSV}")
    else:
        for trigger in _SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        for table in ("documents_fts", "claims_fts", "fts_keys"):
            op.execute(f"DROP TABLE IF EXISTS {table}")
    op.drop_table("claim_vectors")
    op.drop_table("document_vectors")
    op.drop_index("ix_documents_duplicate_of", table_name="documents")
    if op.get_bind().dialect.name == "postgresql":
        op.drop_column("documents", "minhash")
        op.drop_column("documents", "duplicate_of")
    else:
        # Plain ALTER TABLE (SQLite 3.35+): batch mode would copy and drop
        # ``documents``, and dropping it cascades to every child table.
        op.execute("ALTER TABLE documents DROP COLUMN minhash")
        op.execute("ALTER TABLE documents DROP COLUMN duplicate_of")
