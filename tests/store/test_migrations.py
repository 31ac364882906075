"""Opening a store migrates it to head with Alembic; reopening is free; models match."""

from __future__ import annotations

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from counterpoint.errors import StoreError
from counterpoint.schema import Analysis
from counterpoint.store import Store
from counterpoint.store import migrate as store_migrate
from counterpoint.store.migrate import (
    alembic_config,
    current_revision,
    head_revision,
    include_name,
)
from counterpoint.store.models import Base

TABLES = {"documents", "authors", "sections", "footnotes", "provenance", "related", "actors",
          "document_actors", "dates", "events", "claims", "document_tones", "analysis_runs",
          "document_vectors", "claim_vectors"}


def test_fresh_database_reaches_head(store: Store) -> None:
    assert head_revision() == "0003"
    with store.engine.connect() as conn:
        assert current_revision(conn) == head_revision()
        assert TABLES | {"alembic_version"} <= set(inspect(conn).get_table_names())
    # What the alembic command itself reports.
    with store.engine.connect() as conn:
        config = alembic_config(conn)
        command.check(config)  # raises when models and database differ


def test_migration_matches_the_models(store: Store) -> None:
    with store.engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "include_name": include_name})
        diff = compare_metadata(context, Base.metadata)
    assert diff == []
    indexes = {i["name"] for i in inspect(store.engine).get_indexes("events")}
    assert {"ix_events_date", "ix_events_type", "ix_events_source_id",
            "ix_events_target_id"} <= indexes


def test_reopening_is_a_no_op(db_url: str, full: Analysis,
                              monkeypatch: pytest.MonkeyPatch) -> None:
    with Store.open(db_url) as store:
        store.add(full, analyzer_version="0.1.0")

    def must_not_run(*args: object, **kwargs: object) -> None:
        raise AssertionError("upgrade ran on a database already at head")

    monkeypatch.setattr(store_migrate.command, "upgrade", must_not_run)
    with Store.open(db_url) as store:
        assert store.get(full.id).model_dump() == full.model_dump()


def test_downgrade_and_upgrade_again(store: Store) -> None:
    with store.engine.begin() as conn:
        command.downgrade(alembic_config(conn), "base")
    with store.engine.connect() as conn:
        assert current_revision(conn) is None
        assert not TABLES & set(inspect(conn).get_table_names())
    store_migrate.upgrade(store.engine)
    with store.engine.connect() as conn:
        assert current_revision(conn) == head_revision()


def test_a_newer_schema_is_refused(db_url: str) -> None:
    with Store.open(db_url) as store, store.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(StoreError, match="newer than this counterpoint"):
        Store.open(db_url)
