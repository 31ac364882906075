"""An ingest run: documents streamed in chunks through an executor into a sink.

:func:`run` reads the input lazily, leaves out what the sink already holds
(same content, same analyser version: the run is resumable), cuts the rest into
chunks, lets an :class:`~counterpoint.run.executors.Executor` prepare them
(analysis, embeddings, signature: :func:`counterpoint.run.prepare.prepare`)
and writes the results, chunk by chunk and in input order, to a sink:

* :class:`StoreSink` — the store (SQLite or PostgreSQL): one transaction per
  document, vectors last (a document without them is redone by the next run),
  duplicates found in time windows (:mod:`counterpoint.corpus.windows`), failures
  recorded with their reason;
* :class:`ParquetSink` — Parquet files in a directory (``--out DIR``), one part
  per table every :data:`PART_DOCS` documents, each written whole or not at all,
  readable by DuckDB, Spark, pandas or Dask.

Only one process writes, in input order, whichever executor ran the chunks, so
the stored result does not depend on the executor.
"""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol

from counterpoint.corpus.dedupe import DocText, DuplicateGroup
from counterpoint.corpus.windows import WindowedDuplicates
from counterpoint.errors import ConfigError
from counterpoint.nlp.analyze import ANALYZER_VERSION
from counterpoint.run.executors import DEFAULT_TIMEOUT, Chunk, Executor, InProcess
from counterpoint.run.prepare import Prepared, Stage, prepare
from counterpoint.schema import Document

if TYPE_CHECKING:
    from counterpoint.store import Store

__all__ = ["CHUNK", "PART_DOCS", "IngestOutcome", "IngestTally", "ParquetSink", "Sink",
           "StoreSink", "run"]

log = logging.getLogger(__name__)

# Documents per chunk: analysed and embedded together by one worker.
CHUNK = 16
# Skipped documents carried per chunk at most (so a re-run of a large input
# that is all done still moves in bounded steps).
SKIPPED_PER_CHUNK = 256
# Documents per Parquet part file.
PART_DOCS = 2_000

Status = Literal["stored", "updated", "unchanged", "failed"]


@dataclass(frozen=True)
class IngestOutcome:
    """What happened to one document."""

    document_id: str
    path: str
    status: Status
    duplicate_of: str | None = None
    notes: tuple[str, ...] = ()


@dataclass
class IngestTally:
    """Counts over a run."""

    counts: dict[str, int] = field(default_factory=dict)

    def add(self, outcome: IngestOutcome) -> None:
        self.counts[outcome.status] = self.counts.get(outcome.status, 0) + 1
        if outcome.duplicate_of:
            self.counts["duplicates"] = self.counts.get("duplicates", 0) + 1


class Sink(Protocol):
    """Where prepared documents go."""

    def skip(self, document: Document) -> IngestOutcome | None:
        """The outcome of a document the sink already holds, or ``None`` to prepare it."""
        ...

    def write(self, prepared: Prepared) -> IngestOutcome:
        """Keep one prepared document (or its failure)."""
        ...

    def close(self) -> None:
        """Finish writing (flush what is buffered)."""
        ...


def run(documents: Iterable[Document], sink: Sink, *, executor: Executor | None = None,
        stage: Stage = prepare, chunk_size: int = CHUNK, timeout: float = DEFAULT_TIMEOUT
        ) -> Iterator[IngestOutcome]:
    """Prepare the documents the sink does not hold yet and write them to it; yield one
    outcome per document, in input order. The sink is closed at the end, also when the
    run is interrupted, so nothing prepared and handed back is lost."""
    if chunk_size < 1:
        raise ConfigError(f"the chunk size must be 1 or more, not {chunk_size}")
    executor = executor or InProcess()
    try:
        for chunk, results in executor.run(stage, _chunks(documents, sink, chunk_size),
                                           timeout=timeout):
            yield from chunk.skipped
            for prepared in results:
                yield sink.write(prepared)
    finally:
        sink.close()


def _chunks(documents: Iterable[Document], sink: Sink, size: int) -> Iterator[Chunk]:
    seq = 0
    batch: list[Document] = []
    skipped: list[IngestOutcome] = []
    seen: set[str] = set()  # an input that repeats a document within one chunk
    for document in documents:
        outcome = sink.skip(document)
        if outcome is not None:
            skipped.append(outcome)
        elif document.id in seen:
            skipped.append(IngestOutcome(document.id, document.path, "unchanged"))
        else:
            batch.append(document)
            seen.add(document.id)
        if len(batch) >= size or len(skipped) >= SKIPPED_PER_CHUNK:
            yield Chunk(seq, batch, skipped)
            seq += 1
            batch, skipped, seen = [], [], set()
    if batch or skipped:
        yield Chunk(seq, batch, skipped)


def _canonical(group: DuplicateGroup | None, doc_id: str) -> str | None:
    if group is None or group.canonical == doc_id:
        return None
    return group.canonical


def _doc_text(document: Document) -> DocText:
    """What dedupe keeps of a document: metadata, no body (the signature stands for it)."""
    return DocText(id=document.id, body="", title=document.title,
                   published=document.published, language=document.language,
                   provenance=list(document.provenance), url=document.url,
                   publisher=document.publisher)


# --- the store ----------------------------------------------------------------------------


class StoreSink:
    """Writes prepared documents to a :class:`~counterpoint.store.Store`."""

    def __init__(self, store: Store, *, retry_failed: bool = False) -> None:
        self.store = store
        self.retry_failed = retry_failed
        self.windows = WindowedDuplicates(self._load)

    def _load(self, since: date | None, until: date | None) -> Iterable[tuple[DocText, bytes]]:
        if since is None:
            return self.store.dedupe_inputs(undated=True)
        return self.store.dedupe_inputs(since=since, until=until)

    def skip(self, document: Document) -> IngestOutcome | None:
        store = self.store
        if store.has(document.id, analyzer_version=ANALYZER_VERSION) and \
                store.has_vectors(document.id):
            return IngestOutcome(document.id, document.path, "unchanged",
                                 duplicate_of=store.canonical_of(document.id))
        if not self.retry_failed:
            reason = store.failure(document.id, analyzer_version=ANALYZER_VERSION)
            if reason is not None:
                return IngestOutcome(document.id, document.path, "failed", notes=(
                    f"{reason} (in an earlier run; --retry-failed tries it again)",))
        return None

    def write(self, prepared: Prepared) -> IngestOutcome:
        from counterpoint.corpus.embed import MODEL_NAME

        store = self.store
        analysis = prepared.analysis
        if analysis is None or prepared.lead is None or prepared.claims is None:
            reason = prepared.failure or "analysis failed"
            store.record_failure(prepared.id, prepared.path, reason,
                                 analyzer_version=ANALYZER_VERSION)
            return IngestOutcome(prepared.id, prepared.path, "failed", notes=(reason,))
        existed = store.has(analysis.id)
        store.add(analysis, analyzer_version=ANALYZER_VERSION)
        store.set_minhash(analysis.id, prepared.signature)
        group = self.windows.add(_doc_text(analysis), prepared.signature)
        if group is None:
            store.set_duplicate(analysis.id, None)
        else:
            store.set_duplicates({member: None if member == group.canonical else group.canonical
                                  for member in group.ids})
        store.put_vectors(analysis.id, prepared.lead, prepared.claims, model=MODEL_NAME)
        return IngestOutcome(analysis.id, analysis.path, "updated" if existed else "stored",
                             duplicate_of=_canonical(group, analysis.id),
                             notes=tuple(analysis.analysis_notes))

    def close(self) -> None:
        return None


# --- Parquet ------------------------------------------------------------------------------


class ParquetSink:
    """Writes prepared documents as Parquet tables under ``out``:

    ``documents`` (the export's document rows, plus ``analyzer_version`` and the
    ``minhash`` signature), ``actors``, ``events``, ``claims`` (the export's rows),
    ``vectors`` (``id``, ``lead``, ``claims``: the embeddings), ``duplicates``
    (``id``, ``canonical``: each change of a document's group, in order — the last
    row of an id holds) and ``failures`` (``id``, ``path``, ``reason``). Each
    table is a directory of part files; a part is written to a temporary name and
    renamed, the documents part last, so a document counts as done only once all
    its rows are on disk.
    """

    TABLES = ("actors", "events", "claims", "vectors", "duplicates", "failures", "documents")

    def __init__(self, out: str | os.PathLike[str], *, retry_failed: bool = False,
                 part_docs: int = PART_DOCS) -> None:
        self.out = Path(out)
        if self.out.exists() and not self.out.is_dir():
            raise ConfigError(f"{self.out}: exists and is not a directory")
        for table in self.TABLES:
            (self.out / table).mkdir(parents=True, exist_ok=True)
        self.retry_failed = retry_failed
        self.part_docs = part_docs
        self._run = uuid.uuid4().hex[:8]
        self._parts = 0
        self._rows: dict[str, list[dict[str, Any]]] = {t: [] for t in self.TABLES}
        self._buffered = 0
        self._done = self._ids("documents", ANALYZER_VERSION)
        self._failed = self._ids("failures", ANALYZER_VERSION)
        earlier = any((self.out / "documents").glob("*.parquet"))
        self.windows = WindowedDuplicates(self._load if earlier else None)

    def _ids(self, table: str, version: str) -> set[str]:
        import pyarrow.dataset as ds

        files = sorted(str(p) for p in (self.out / table).glob("*.parquet"))
        if not files:
            return set()
        data = ds.dataset(files, format="parquet").to_table(
            columns=["id", "analyzer_version"])
        return {i for i, v in zip(data.column("id").to_pylist(),
                                  data.column("analyzer_version").to_pylist(), strict=True)
                if v == version}

    def _load(self, since: date | None, until: date | None
              ) -> Iterator[tuple[DocText, bytes]]:
        import pyarrow.compute as pc
        import pyarrow.dataset as ds

        from counterpoint.schema import Provenance

        files = sorted(str(p) for p in (self.out / "documents").glob("*.parquet"))
        published = pc.field("published")
        where = (published.is_null() if since is None or until is None
                 else (published >= since.isoformat()) & (published < until.isoformat()))
        columns = ["id", "title", "published", "language", "url", "publisher", "provenance",
                   "minhash"]
        for batch in ds.dataset(files, format="parquet").to_batches(columns=columns,
                                                                     filter=where):
            for row in batch.to_pylist():
                yield DocText(id=row["id"], body="", title=row["title"],
                              published=row["published"], language=row["language"],
                              provenance=[Provenance(**p) for p in row["provenance"] or []],
                              url=row["url"], publisher=row["publisher"]), row["minhash"]

    def skip(self, document: Document) -> IngestOutcome | None:
        if document.id in self._done:
            return IngestOutcome(document.id, document.path, "unchanged")
        if document.id in self._failed and not self.retry_failed:
            return IngestOutcome(document.id, document.path, "failed", notes=(
                "failed in an earlier run (--retry-failed tries it again)",))
        return None

    def write(self, prepared: Prepared) -> IngestOutcome:
        from counterpoint.corpus.export import rows

        analysis = prepared.analysis
        if analysis is None or prepared.lead is None or prepared.claims is None:
            reason = prepared.failure or "analysis failed"
            self._rows["failures"].append({"id": prepared.id, "path": prepared.path,
                                           "reason": reason,
                                           "analyzer_version": ANALYZER_VERSION})
            self._count()
            return IngestOutcome(prepared.id, prepared.path, "failed", notes=(reason,))
        group = self.windows.add(_doc_text(analysis), prepared.signature)
        members = group.ids if group is not None else [analysis.id]
        canonical = group.canonical if group is not None else analysis.id
        self._rows["duplicates"].extend(
            {"id": m, "canonical": None if m == canonical else canonical} for m in members)
        duplicates = {analysis.id: canonical} if canonical != analysis.id else {}
        for row in rows([analysis], "documents", duplicates=duplicates):
            row.update(analyzer_version=ANALYZER_VERSION, minhash=prepared.signature)
            self._rows["documents"].append(row)
        for table in ("actors", "events", "claims"):
            self._rows[table].extend(rows([analysis], table))
        self._rows["vectors"].append({"id": analysis.id, "lead": prepared.lead.tolist(),
                                      "claims": prepared.claims.tolist()})
        self._count()
        return IngestOutcome(analysis.id, analysis.path, "stored",
                             duplicate_of=_canonical(group, analysis.id),
                             notes=tuple(analysis.analysis_notes))

    def _count(self) -> None:
        self._buffered += 1
        if self._buffered >= self.part_docs:
            self.flush()

    def flush(self) -> None:
        """Write the buffered rows as one part per table (documents last)."""
        if not self._buffered:
            return
        import pyarrow as pa
        import pyarrow.parquet as pq

        name = f"part-{self._run}-{self._parts:05d}.parquet"
        for table in self.TABLES:
            batch = self._rows[table]
            if not batch:
                continue
            data = pa.Table.from_pylist(batch, schema=_schema(table))
            final = self.out / table / name
            temporary = final.with_name(f".{final.name}.tmp")
            pq.write_table(data, temporary)
            os.replace(temporary, final)
        self._parts += 1
        self._rows = {t: [] for t in self.TABLES}
        self._buffered = 0

    def close(self) -> None:
        self.flush()


def _schema(table: str) -> Any:
    import pyarrow as pa
    from pydantic import BaseModel

    from counterpoint.corpus.export import (
        ActorRow,
        ClaimRow,
        DocumentRow,
        EventRow,
        arrow_schema,
    )

    if table == "documents":
        schema = arrow_schema(DocumentRow)
        return schema.append(pa.field("analyzer_version", pa.string())).append(
            pa.field("minhash", pa.binary()))
    models: dict[str, type[BaseModel]] = {"actors": ActorRow, "events": EventRow,
                                          "claims": ClaimRow}
    if table in models:
        return arrow_schema(models[table])
    vector = pa.list_(pa.float32())
    return {
        "vectors": pa.schema([("id", pa.string()), ("lead", vector),
                              ("claims", pa.list_(vector))]),
        "duplicates": pa.schema([("id", pa.string()), ("canonical", pa.string())]),
        "failures": pa.schema([("id", pa.string()), ("path", pa.string()),
                               ("reason", pa.string()), ("analyzer_version", pa.string())]),
    }[table]

