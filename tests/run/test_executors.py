"""One input, three executors, one stored result; documents that raise, hang or crash
their worker are recorded as failed and the run completes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from benchmarks.synthetic import documents

from counterpoint.corpus.ingest import ingest
from counterpoint.run.executors import Chunk, DaskExecutor, Executor, InProcess, ProcessPool
from counterpoint.run.pipeline import ParquetSink, run
from counterpoint.schema import Document
from counterpoint.store import Store
from tests.run.stages import light, poison, whose


def corpus() -> list[Document]:
    """Ten synthetic news items, a near copy of the first, and an undated one."""
    docs = list(documents(11, seed=11))
    first = docs[0]
    words = first.body.split(" ")
    words[len(words) // 2] = "reportedly"
    copy = first.model_copy(update={"id": "copy-of-first", "path": "copy.txt",
                                    "title": f"{first.title} (syndicated)",
                                    "publisher": "Another Outlet",
                                    "published": "2023-01-03T09:00:00+00:00",
                                    "body": " ".join(words)})
    undated = docs[10].model_copy(update={"id": "undated", "path": "undated.txt",
                                          "published": None})
    return [*docs[:10], copy, undated]


def snapshot(path: Path) -> dict[str, Any]:
    """Everything a run stores, in comparable form."""
    with Store.open(str(path)) as store:
        analyses = {a.id: a.model_dump_json() for a in store.iter_analyses()}
        vectors = {}
        for ident in analyses:
            found = store.vectors(ident)
            assert found is not None, f"{ident} has no vectors"
            vectors[ident] = (found[0].tobytes(), found[1].tobytes())
        return {"analyses": analyses, "duplicates": store.duplicates(), "vectors": vectors,
                "failures": store.failures()}


def _executor(kind: str) -> Executor:
    if kind == "pool":
        return ProcessPool(2)
    if kind == "dask":
        return DaskExecutor("local", workers=2)
    return InProcess()


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    path = tmp_path_factory.mktemp("reference") / "store.db"
    with Store.open(str(path)) as store:
        outcomes = list(ingest(corpus(), store, batch_size=4))
    assert [o.status for o in outcomes] == ["stored"] * 12
    return snapshot(path)


def test_reference_run_groups_the_copy(reference: dict[str, Any]) -> None:
    first = corpus()[0].id
    assert reference["duplicates"] == {"copy-of-first": first}
    assert len(reference["analyses"]) == 12 and not reference["failures"]


@pytest.mark.parametrize("kind", ["pool", "dask"])
def test_same_store_whatever_the_executor(kind: str, reference: dict[str, Any],
                                          tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    executor = _executor(kind)
    try:
        with Store.open(str(path)) as store:
            outcomes = list(ingest(corpus(), store, batch_size=4, executor=executor))
    finally:
        executor.close()
    # outcomes come back in input order, whichever worker finished first
    assert [o.document_id for o in outcomes] == [d.id for d in corpus()]
    got = snapshot(path)
    assert got["analyses"] == reference["analyses"]
    assert got["duplicates"] == reference["duplicates"]
    assert got["failures"] == reference["failures"] == []
    assert got["vectors"].keys() == reference["vectors"].keys()
    for ident, (lead, claims) in reference["vectors"].items():
        other_lead, other_claims = got["vectors"][ident]
        assert np.allclose(np.frombuffer(lead, np.float32),
                           np.frombuffer(other_lead, np.float32), atol=1e-6)
        assert np.allclose(np.frombuffer(claims, np.float32),
                           np.frombuffer(other_claims, np.float32), atol=1e-6)


@pytest.mark.parametrize("kind", ["pool", "dask"])
def test_workers_are_replaced_after_their_share(kind: str) -> None:
    """A long run does not keep one worker process: after ``recycle_after`` chunks it
    is replaced by a fresh one, and no chunk is lost or reordered on the way."""
    executor: Executor = (ProcessPool(1, recycle_after=2) if kind == "pool"
                          else DaskExecutor("local", workers=1, recycle_after=2))
    docs = list(documents(6, seed=3))
    chunks = [Chunk(seq=n, documents=[d]) for n, d in enumerate(docs)]
    try:
        got = list(executor.run(whose, chunks, timeout=60))
    finally:
        executor.close()
    assert [chunk.seq for chunk, _ in got] == list(range(6))
    prepared = [p for _, results in got for p in results]
    assert [p.id for p in prepared] == [d.id for d in docs]
    assert all(p.failure is None and p.analysis is not None for p in prepared)
    pids = [p.path.rsplit("@", 1)[1] for p in prepared]
    assert len(set(pids)) == 3, pids
    assert pids[0] == pids[1] != pids[2] == pids[3] != pids[4] == pids[5]


def poisoned(kinds: tuple[str, ...]) -> list[Document]:
    """Six good documents with poison ones between them."""
    good = list(documents(6, seed=5))
    bad = [Document(path=f"poison-{kind}.txt", id=f"poison-{kind}", title="Poison",
                    published="2023-01-02", body=f"Officials met on Monday. POISON-{kind}.")
           for kind in kinds]
    return [good[0], good[1], *bad[:1], good[2], good[3], *bad[1:], good[4], good[5]]


def _ingest_poisoned(store: Store, executor: Executor, kinds: tuple[str, ...]
                     ) -> Iterator[Any]:
    try:
        yield from ingest(poisoned(kinds), store, batch_size=4, executor=executor,
                          timeout=10, stage=poison)
    finally:
        executor.close()


@pytest.mark.parametrize(("kind", "kinds"), [
    ("inprocess", ("RAISE", "HANG")),
    ("pool", ("RAISE", "HANG", "CRASH")),
    ("dask", ("RAISE", "HANG", "CRASH")),
])
def test_poison_documents_fail_alone(kind: str, kinds: tuple[str, ...], tmp_path: Path
                                     ) -> None:
    with Store.open(str(tmp_path / "store.db")) as store:
        outcomes = {o.document_id: o for o in _ingest_poisoned(store, _executor(kind), kinds)}
        assert len(outcomes) == 6 + len(kinds)
        for outcome in outcomes.values():
            expected = "failed" if outcome.document_id.startswith("poison-") else "stored"
            assert outcome.status == expected, outcome
        reasons = {k: outcomes[f"poison-{k}"].notes[0] for k in kinds}
        assert "RuntimeError: the analyser tripped over this document" in reasons["RAISE"]
        assert "did not finish within 10 s" in reasons["HANG"]
        if "CRASH" in reasons:
            assert "crashed its worker" in reasons["CRASH"]
        # recorded, with the reason, next to the six stored documents
        assert store.count() == 6
        assert {ident for ident, _, _ in store.failures()} == {f"poison-{k}" for k in kinds}
        # a later run does not try them again (unless asked) and says why
        again = list(ingest(poisoned(kinds), store, batch_size=4, timeout=10, stage=poison))
        assert {o.status for o in again if o.document_id.startswith("poison-")} == {"failed"}
        assert all("earlier run" in o.notes[0] for o in again if o.status == "failed")
        assert {o.status for o in again if not o.document_id.startswith("poison-")} == \
            {"unchanged"}


def test_parquet_sink_writes_readable_tables_and_resumes(tmp_path: Path) -> None:
    import pyarrow.dataset as ds

    out = tmp_path / "tables"
    docs = corpus()
    sink = ParquetSink(out, part_docs=5)
    first = list(run(docs[:7], sink, stage=light, chunk_size=3))
    assert {o.status for o in first} == {"stored"}
    # a second run over everything skips the seven already written
    again = list(run(docs, ParquetSink(out, part_docs=5), stage=light, chunk_size=3))
    assert [o.status for o in again] == ["unchanged"] * 7 + ["stored"] * 5
    table = ds.dataset(str(out / "documents"), format="parquet").to_table()
    assert sorted(table.column("id").to_pylist()) == sorted(d.id for d in docs)
    claims = ds.dataset(str(out / "claims"), format="parquet").to_table()
    assert claims.num_rows > 0 and set(claims.column("doc").to_pylist()) <= {d.id for d in docs}
    vectors = ds.dataset(str(out / "vectors"), format="parquet").to_table()
    assert all(len(v) == 384 for v in vectors.column("lead").to_pylist())
    # the near copy's group is written: the last row of an id holds
    duplicates = ds.dataset(str(out / "duplicates"), format="parquet").to_table().to_pylist()
    last = {row["id"]: row["canonical"] for row in duplicates}
    assert last["copy-of-first"] == docs[0].id
