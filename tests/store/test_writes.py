"""Idempotent, resumable writes; re-analysis recorded; one transaction per document."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from counterpoint.schema import Analysis, Claim, Event
from counterpoint.store import Store
from counterpoint.store import api as store_api
from counterpoint.store.models import DocumentRow
from tests.store.conftest import row_counts


def test_adding_twice_changes_nothing(store: Store, full: Analysis) -> None:
    store.add(full, analyzer_version="0.1.0")
    before = row_counts(store)
    assert before["documents"] == 1
    assert before["events"] == len(full.events)
    assert store.add(full, analyzer_version="0.1.0") == full.id
    assert row_counts(store) == before
    assert len(store.runs(full.id)) == 1


def test_newer_analyser_replaces_and_is_recorded(store: Store, full: Analysis) -> None:
    store.add(full, analyzer_version="0.9.0")
    newer = full.model_copy(update={
        "events": full.events[:1],
        "claims": [*full.claims, Claim.model_validate(
            {**full.claims[0].model_dump(), "text": "a new claim"})]})
    store.add(newer, analyzer_version="0.10.0")  # numerically newer, not as text
    assert store.get(full.id).model_dump() == newer.model_dump()
    counts = row_counts(store)
    assert counts["documents"] == 1
    assert counts["events"] == 1
    assert counts["claims"] == len(full.claims) + 1
    runs = store.runs(full.id)
    assert [r.analyzer_version for r in runs] == ["0.9.0", "0.10.0"]
    assert runs[0].created_at <= runs[1].created_at
    assert runs[0].created_at.tzinfo is not None
    assert store.has(full.id, analyzer_version="0.10.0")
    assert not store.has(full.id, analyzer_version="0.11")


def test_newer_version_with_the_same_output_is_still_recorded(store: Store,
                                                              full: Analysis) -> None:
    store.add(full, analyzer_version="0.1.0")
    store.add(full, analyzer_version="0.2.0")
    assert [r.analyzer_version for r in store.runs(full.id)] == ["0.1.0", "0.2.0"]
    assert row_counts(store)["events"] == len(full.events)


def test_older_analyser_never_overwrites(store: Store, full: Analysis) -> None:
    store.add(full, analyzer_version="0.2.0")
    store.add(full.model_copy(update={"events": []}), analyzer_version="0.1.9")
    assert store.get(full.id).model_dump() == full.model_dump()
    assert [r.analyzer_version for r in store.runs(full.id)] == ["0.2.0"]


def test_same_version_different_analysis_replaces(store: Store, full: Analysis) -> None:
    store.add(full, analyzer_version="0.1.0")
    moved = full.model_copy(update={"path": "elsewhere/page.txt", "main_event": None})
    store.add(moved, analyzer_version="0.1.0")
    assert store.get(full.id).model_dump() == moved.model_dump()
    assert len(store.runs(full.id)) == 2


def test_failure_mid_document_leaves_nothing_of_it(store: Store, corpus: list[Analysis],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    first, second, doomed = corpus[:3]
    store.add(first, analyzer_version="0.1.0")
    store.add(second, analyzer_version="0.1.0")
    before = row_counts(store)
    real = store_api._write_children

    def dies_after_writing(conn: Any, analysis: Analysis) -> None:
        real(conn, analysis)
        # The document row and its children are written, not yet committed.
        written = conn.scalar(select(func.count()).select_from(DocumentRow)
                              .where(DocumentRow.id == analysis.id))
        assert written == 1
        raise RuntimeError("killed mid-document")

    monkeypatch.setattr(store_api, "_write_children", dies_after_writing)
    with pytest.raises(RuntimeError, match="killed"):
        store.add(doomed, analyzer_version="0.1.0")
    assert not store.has(doomed.id)
    assert row_counts(store) == before
    assert store.get(first.id).model_dump() == first.model_dump()
    assert store.get(second.id).model_dump() == second.model_dump()


def test_failed_reanalysis_keeps_the_old_one(store: Store, full: Analysis,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    store.add(full, analyzer_version="0.1.0")
    before = row_counts(store)

    def dies(conn: Any, analysis: Analysis) -> None:
        raise RuntimeError("killed")

    monkeypatch.setattr(store_api, "_write_children", dies)
    with pytest.raises(RuntimeError):
        store.add(full.model_copy(update={"events": []}), analyzer_version="0.2.0")
    assert row_counts(store) == before
    assert store.get(full.id).model_dump() == full.model_dump()
    assert [r.analyzer_version for r in store.runs(full.id)] == ["0.1.0"]


def test_an_interrupted_run_resumes_where_it_stopped(db_url: str, corpus: list[Analysis],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    batch = corpus[:5]
    real = store_api._write_children

    def dies_on_the_fourth(conn: Any, analysis: Analysis) -> None:
        if analysis.id == batch[3].id:
            raise KeyboardInterrupt
        real(conn, analysis)

    monkeypatch.setattr(store_api, "_write_children", dies_on_the_fourth)
    with Store.open(db_url) as store, pytest.raises(KeyboardInterrupt):
        for analysis in batch:
            store.add(analysis, analyzer_version="0.1.0")
    monkeypatch.setattr(store_api, "_write_children", real)

    with Store.open(db_url) as store:
        assert [store.has(a.id) for a in batch] == [True, True, True, False, False]
        todo = [a for a in batch if not store.has(a.id, analyzer_version="0.1.0")]
        assert todo == batch[3:]
        for analysis in batch:  # adding everything again only writes what is missing
            store.add(analysis, analyzer_version="0.1.0")
        assert store.count() == len(batch)
        assert all(len(store.runs(a.id)) == 1 for a in batch)


def test_event_and_claim_footnotes_survive_replacement(store: Store, full: Analysis) -> None:
    store.add(full.model_copy(update={"events": [], "claims": []}), analyzer_version="0.1")
    store.add(full, analyzer_version="0.2")
    back = store.get(full.id)
    assert [e.footnote for e in back.events] == [None, "1"]
    assert [c.footnote for c in back.claims] == [None, "1"]
    assert isinstance(back.events[0], Event)


def test_concurrent_writers_of_the_same_documents(store: Store, full: Analysis) -> None:
    # Pool workers may store the same page at once: no duplicate-key error, no deadlock.
    from concurrent.futures import ThreadPoolExecutor

    docs = [full.model_copy(update={"id": f"same-{i}"}) for i in range(4)]

    def write(worker: int) -> None:
        for doc in docs[worker % 2:] + docs[:worker % 2]:
            store.add(doc, analyzer_version=f"0.{worker}")

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(write, range(4)))
    assert store.count() == len(docs)
    for doc in docs:
        assert store.get(doc.id).model_dump() == doc.model_dump()
        assert store.runs(doc.id)[-1].analyzer_version == "0.3"
