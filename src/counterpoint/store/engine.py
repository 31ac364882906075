"""Engines tuned for the store's two backends.

SQLite: write-ahead logging (readers never block the writer), foreign keys
enforced (they are off by default), a generous busy timeout, and real
transactions. Python's ``sqlite3`` starts transactions lazily, only before the
first write; we switch that off and emit ``BEGIN`` ourselves, as the
SQLAlchemy documentation recommends, so a document's check-then-write runs in
one transaction. Write transactions use ``BEGIN IMMEDIATE``: they take the
write lock up front and wait for it (busy timeout) instead of failing halfway
when another process writes at the same time.

PostgreSQL: psycopg 3, with a connect timeout so an unreachable host fails in
seconds rather than minutes.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL
from sqlalchemy.pool import StaticPool

__all__ = ["SQLITE_LOWER", "WRITE", "create_store_engine"]

# Execution option marking a connection that will write (see module docstring).
WRITE = "counterpoint_write"
SQLITE_BUSY_TIMEOUT_S = 30.0
PG_CONNECT_TIMEOUT_S = 10
# A SQL function on SQLite connections: Python's str.lower, because SQLite's own
# lower() folds ASCII only and names are compared case-insensitively in any script.
SQLITE_LOWER = "cp_lower"


def _lower(value: object) -> object:
    return value.lower() if isinstance(value, str) else value


def create_store_engine(url: URL) -> Engine:
    """Create an engine for ``url`` (from :func:`counterpoint.store.url.resolve_url`)."""
    if url.get_backend_name() == "sqlite":
        return _sqlite_engine(url)
    connect_args: dict[str, Any] = {}
    if "connect_timeout" not in url.query:
        connect_args["connect_timeout"] = PG_CONNECT_TIMEOUT_S
    return create_engine(url, connect_args=connect_args, pool_pre_ping=True)


def _sqlite_engine(url: URL) -> Engine:
    memory = url.database in (None, "", ":memory:")
    engine = create_engine(
        url,
        connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S, "check_same_thread": False},
        # One shared connection, or each checkout would see a new empty database.
        poolclass=StaticPool if memory else None,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
        cursor = dbapi_connection.cursor()
        try:
            if not memory:
                cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA synchronous=NORMAL")  # safe with WAL, much faster
        finally:
            cursor.close()
        dbapi_connection.create_function(SQLITE_LOWER, 1, _lower, deterministic=True)

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        immediate = connection.get_execution_options().get(WRITE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine
