"""Bring a database to the current schema with Alembic, configured from Python.

Opening a store calls :func:`upgrade`. The migration scripts ship inside the
package (``migrations/``); their location comes from this file, never from the
current directory or an ``alembic.ini``. A database already at head costs one
query. Concurrent openers are serialised (a PostgreSQL advisory lock, SQLite's
write lock), and the second one finds nothing left to do.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, text

from counterpoint.store.engine import WRITE
from counterpoint.store.models import Base
from counterpoint.store.search import FTS_COLUMNS, FTS_INDEXES

__all__ = ["MIGRATIONS", "SchemaTooNew", "alembic_config", "current_revision", "head_revision",
           "include_name", "upgrade"]

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# Any constant; two processes migrating the same PostgreSQL database take turns.
_PG_LOCK_KEY = 0x636F_756E


class SchemaTooNew(Exception):
    """The database was migrated by a newer counterpoint than this one."""

    def __init__(self, current: str, head: str) -> None:
        self.current = current
        self.head = head
        super().__init__(f"database schema is at revision {current}, newer than this "
                         f"counterpoint knows (head {head}); upgrade counterpoint")


def include_name(name: str | None, type_: str, parent_names: Any) -> bool:
    """Whether autogenerate compares a database object with the models.

    Full-text search is made by migrations in raw SQL, outside the models, and
    left alone: tables the models do not declare (SQLite's FTS5 virtual tables,
    their shadow tables, ``fts_keys``), PostgreSQL's GIN indexes and the
    generated ``tsvector`` column of claims.
    """
    if type_ == "index":
        return name not in FTS_INDEXES
    if type_ == "column":
        return (parent_names.get("table_name"), name) not in FTS_COLUMNS
    return type_ != "table" or name in Base.metadata.tables


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic configuration for our migrations, optionally bound to a connection."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The newest revision the package ships."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "no migrations found"  # the package always ships 0001
    return head


def current_revision(connection: Connection) -> str | None:
    """The revision the database is at; ``None`` for an empty database."""
    return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine) -> None:
    """Run ``alembic upgrade head`` on ``engine``'s database unless it is already there."""
    script = ScriptDirectory.from_config(alembic_config())
    head = script.get_current_head()
    with engine.connect() as connection:
        current = current_revision(connection)
    if current == head:
        return
    if current is not None and current not in {r.revision for r in script.walk_revisions()}:
        raise SchemaTooNew(current, str(head))
    with engine.connect().execution_options(**{WRITE: True}) as connection, connection.begin():
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"),
                               {"key": _PG_LOCK_KEY})
        command.upgrade(alembic_config(connection), "head")
