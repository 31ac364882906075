"""Alembic environment for the counterpoint store.

The store runs migrations itself when it opens a database
(:func:`counterpoint.store.migrate.upgrade`): it hands its open connection to
this script through ``config.attributes["connection"]``, so nothing depends on
the current directory or an ``alembic.ini``. For writing a new migration by
hand, ``alembic -c src/counterpoint/store/alembic.ini revision -m "..."``
works too; then the database comes from ``sqlalchemy.url`` or, when that is
empty, from ``COUNTERPOINT_DB`` and the per-user default.

Autogenerate compares against :data:`counterpoint.store.models.Base.metadata`.
What migrations create with raw SQL for full-text search is left alone (see
:func:`counterpoint.store.migrate.include_name`).
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import URL, Connection

from counterpoint.store.migrate import include_name
from counterpoint.store.models import Base

target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        include_name=include_name,
        # SQLite cannot ALTER most things; batch mode rebuilds the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def _run_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    # Run from the alembic command line: open the database the way the store does.
    from counterpoint.store.engine import WRITE, create_store_engine

    engine = create_store_engine(_url())
    try:
        with engine.connect().execution_options(**{WRITE: True}) as conn, conn.begin():
            _run(conn)
    finally:
        engine.dispose()


def _url() -> URL:
    from counterpoint.store.url import resolve_url

    return resolve_url(context.config.get_main_option("sqlalchemy.url") or None)


if context.is_offline_mode():
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    _run_online()
