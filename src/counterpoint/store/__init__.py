"""The store: analyses kept in SQLite (default) or PostgreSQL, one transaction per document.

::

    from counterpoint.store import Store

    with Store.open() as store:              # --db / COUNTERPOINT_DB / per-user SQLite file
        store.add(analysis, analyzer_version=ANALYZER_VERSION)
        again = store.get(analysis.id)       # the same Analysis, rebuilt from the tables

Layout: :mod:`.url` (where the database is), :mod:`.engine` (SQLite and
PostgreSQL engines), :mod:`.models` (tables), :mod:`.migrate` and
``migrations/`` (Alembic, run on open), :mod:`.convert` (contract <-> rows),
:mod:`.search` (full-text and semantic search), :mod:`.api` (the :class:`Store`).
"""

from counterpoint.errors import DocumentNotFound, StoreError
from counterpoint.store.api import AnalysisRun, DocumentSummary, Store
from counterpoint.store.search import SearchHit
from counterpoint.store.url import DB_ENV, default_path, resolve_url

__all__ = ["DB_ENV", "AnalysisRun", "DocumentNotFound", "DocumentSummary", "SearchHit", "Store",
           "StoreError", "default_path", "resolve_url"]
