"""Ingest: extracted documents in, analysed and stored documents out, resumably.

For each document, in order:

1. skip it when the store already holds it, analysed by this analyser version
   and complete (vectors written: the last step below), or when this analyser
   version already failed on it (unless asked to retry);
2. prepare it — analysis, embeddings of its title and lead and of each claim,
   MinHash signature — in chunks, here or in worker processes
   (:mod:`counterpoint.run`);
3. store the analysis (one transaction: :meth:`Store.add`), or record why it
   failed (:meth:`Store.record_failure`);
4. record its signature and its near-duplicate group, found among the documents
   published within a time window of it (:mod:`counterpoint.corpus.windows`);
5. store the embeddings, which stories and semantic search read. This step comes
   last: a document without vectors is incomplete, and the next run redoes
   steps 2–5 for it.

So an interrupted run loses nothing already stored, and running again finishes
the rest and yields the same database as one uninterrupted run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from functools import partial
from typing import TYPE_CHECKING

from counterpoint.run.executors import DEFAULT_TIMEOUT, Executor
from counterpoint.run.pipeline import CHUNK, IngestOutcome, IngestTally, StoreSink, run
from counterpoint.run.prepare import Stage, prepare
from counterpoint.schema import Document

if TYPE_CHECKING:
    from counterpoint.store import Store

__all__ = ["BATCH", "IngestOutcome", "IngestTally", "ingest"]

# Documents analysed and embedded together (one nlp.pipe / encode batch).
BATCH = CHUNK


def ingest(documents: Iterable[Document], store: Store, *,
           embed: Callable[[list[str]], object] | None = None,
           batch_size: int = BATCH, executor: Executor | None = None,
           timeout: float = DEFAULT_TIMEOUT, retry_failed: bool = False,
           stage: Stage | None = None) -> Iterator[IngestOutcome]:
    """Analyse and store documents not yet stored (or stored by an older analyser).

    ``executor`` runs the analysis (this process by default; see
    :func:`counterpoint.run.executors.make_executor`); ``embed`` replaces the
    sentence encoder; ``stage`` the whole per-document work
    (:func:`counterpoint.run.prepare.prepare`); ``timeout`` is how long a document
    may go without progress before it is recorded as failed.
    """
    if stage is None:
        stage = prepare if embed is None else partial(prepare, embed=embed)
    yield from run(documents, StoreSink(store, retry_failed=retry_failed), executor=executor,
                   stage=stage, chunk_size=batch_size, timeout=timeout)
