"""Ingest: extracted documents in, analysed and stored documents out, resumably.

For each document, in order:

1. skip it when the store already holds it, analysed by this analyser version
   and complete (vectors written: the last step below);
2. analyse it (in batches, :func:`counterpoint.nlp.analyze.analyze_many`);
3. store the analysis (one transaction: :meth:`Store.add`);
4. record its MinHash signature and its near-duplicate group
   (:class:`counterpoint.corpus.dedupe.DuplicateIndex`, rebuilt from the stored
   signatures at the start of a run, so groups do not depend on run order);
5. store the embeddings of its title and lead and of each claim, which stories
   and semantic search read. This step comes last: a document without vectors
   is incomplete, and the next run redoes steps 3–5 for it.

So an interrupted run loses nothing already stored, and running again finishes
the rest and yields the same database as one uninterrupted run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from counterpoint.corpus.dedupe import DocText, DuplicateIndex, signature
from counterpoint.corpus.stories import lead_text
from counterpoint.nlp.analyze import ANALYZER_VERSION, FAILED, analyze_many
from counterpoint.schema import Analysis, Document

if TYPE_CHECKING:
    from counterpoint.store import Store

__all__ = ["IngestOutcome", "IngestTally", "ingest"]

# Documents analysed and embedded together (one nlp.pipe / encode batch).
BATCH = 16

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


def _index(store: Store) -> DuplicateIndex:
    """The duplicate index of what is stored, from stored signatures and metadata
    (provenance included; no re-hashing of bodies)."""
    index = DuplicateIndex()
    for doc, packed in store.dedupe_inputs():
        index.add(doc, signature=packed)
    return index


def ingest(documents: Iterable[Document], store: Store, *,
           embed: Callable[[list[str]], object] | None = None,
           batch_size: int = BATCH) -> Iterator[IngestOutcome]:
    """Analyse and store documents not yet stored (or stored by an older analyser)."""
    if embed is None:
        from counterpoint.corpus.embed import embed as default_embed

        embed = default_embed
    index = _index(store)
    pending: list[Document] = []
    for document in documents:
        if store.has(document.id, analyzer_version=ANALYZER_VERSION) and \
                store.has_vectors(document.id):
            yield IngestOutcome(document.id, document.path, "unchanged",
                                duplicate_of=index.group_id(document.id))
            continue
        pending.append(document)
        if len(pending) >= batch_size:
            yield from _store_batch(pending, store, index, embed)
            pending = []
    if pending:
        yield from _store_batch(pending, store, index, embed)


def _store_batch(documents: list[Document], store: Store, index: DuplicateIndex,
                 embed: Callable[[list[str]], object]) -> Iterator[IngestOutcome]:
    import numpy as np

    existed = {d.id: store.has(d.id) for d in documents}
    analyses = list(analyze_many(documents))
    stored = [a for a in analyses
              if not any(n.startswith(FAILED) for n in a.analysis_notes)]
    # one embedding call per batch: the model runs far faster on many texts at once
    texts = [[lead_text(a.title, a.body), *(c.text for c in a.claims)] for a in stored]
    vectors = np.asarray(embed([t for group in texts for t in group]), dtype=np.float32)
    offsets = dict(zip((a.id for a in stored),
                       np.cumsum([0] + [len(g) for g in texts])[:-1].tolist(), strict=True))
    for analysis in analyses:
        failed = [n for n in analysis.analysis_notes if n.startswith(FAILED)]
        if failed:
            yield IngestOutcome(analysis.id, analysis.path, "failed", notes=(failed[0],))
            continue
        store.add(analysis, analyzer_version=ANALYZER_VERSION)
        canonical = _dedupe(analysis, store, index)
        start = offsets[analysis.id]
        own = vectors[start:start + 1 + len(analysis.claims)]
        store.put_vectors(analysis.id, own[0], own[1:], model=_model_name())
        status: Status = "updated" if existed[analysis.id] else "stored"
        yield IngestOutcome(analysis.id, analysis.path, status, duplicate_of=canonical,
                            notes=tuple(analysis.analysis_notes))


def _dedupe(analysis: Analysis, store: Store, index: DuplicateIndex) -> str | None:
    """Record the signature and (re)write the duplicate links of the document's group."""
    packed = signature(analysis.body)
    store.set_minhash(analysis.id, packed)
    if analysis.id not in index:
        index.add(DocText.from_document(analysis), signature=packed)
    group = index.group_of(analysis.id)
    if group is None:
        store.set_duplicate(analysis.id, None)
        return None
    store.set_duplicates({member: None if member == group.canonical else group.canonical
                          for member in group.ids})
    return None if group.canonical == analysis.id else group.canonical


def _model_name() -> str:
    from counterpoint.corpus.embed import MODEL_NAME

    return MODEL_NAME
