"""What a worker does with a chunk of documents: everything that depends on one
document alone.

:func:`prepare` analyses the chunk (spaCy, in batches), embeds each analysed
document's title and lead and its claims (one encoder call for the chunk), and
computes the MinHash signature of each body. It is a pure function of the
chunk, so the same chunk gives the same result in this process, in a pool
worker or on a Dask worker. Models load once per process, on first use
(:func:`counterpoint.nlp.pipeline.load_nlp`, :func:`counterpoint.corpus.embed.load_model`),
never once per document.

A *stage* is any function with :func:`prepare`'s signature; the executors run
whichever stage they are given (tests give one that misbehaves on purpose).
The ``tick`` argument is a heartbeat: a stage calls it whenever it finished a
piece of work, and the executors treat a worker that has not ticked for the
run's timeout as hung.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from counterpoint.schema import Analysis, Document

if TYPE_CHECKING:
    import numpy as np

__all__ = ["Prepared", "Stage", "Tick", "prepare", "warm", "worker_setup"]

Tick = Callable[[], None]


@dataclass(frozen=True)
class Prepared:
    """One document, ready to store: its analysis, signature and vectors, or why it failed."""

    id: str
    path: str
    analysis: Analysis | None = None
    failure: str | None = None
    signature: bytes = b""
    lead: np.ndarray | None = None  # (384,) unit vector of title and lead
    claims: np.ndarray | None = None  # (n_claims, 384)

    @classmethod
    def failed(cls, document: Document, reason: str) -> Prepared:
        """A document whose analysis failed, with the reason."""
        return cls(id=document.id, path=document.path, failure=reason)


Stage = Callable[[Sequence[Document], Tick], list[Prepared]]


def _no_tick() -> None:
    return None


def prepare(documents: Sequence[Document], tick: Tick = _no_tick, *,
            embed: Callable[[list[str]], object] | None = None) -> list[Prepared]:
    """Analyse, embed and sign a chunk of documents; results in the order given.

    ``embed`` replaces the sentence encoder (texts in, one vector per text out).
    """
    import numpy as np

    from counterpoint.corpus.dedupe import signature
    from counterpoint.corpus.stories import lead_text
    from counterpoint.nlp.analyze import FAILED, analyze_many

    if embed is None:
        from counterpoint.corpus.embed import embed as default_embed

        embed = default_embed
    analyses: list[Analysis] = []
    for analysis in analyze_many(documents):
        analyses.append(analysis)
        tick()
    done = [a for a in analyses if not any(n.startswith(FAILED) for n in a.analysis_notes)]
    texts = [[lead_text(a.title, a.body), *(c.text for c in a.claims)] for a in done]
    vectors = np.asarray(embed([t for group in texts for t in group]), dtype=np.float32)
    tick()
    results: list[Prepared] = []
    start = 0
    by_id: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    for analysis, group in zip(done, texts, strict=True):
        own = vectors[start:start + len(group)]
        by_id[id(analysis)] = (own[0].copy(), own[1:].copy())
        start += len(group)
    for analysis in analyses:
        failed = [n for n in analysis.analysis_notes if n.startswith(FAILED)]
        if failed:
            results.append(Prepared(id=analysis.id, path=analysis.path, failure=failed[0]))
            continue
        lead, claims = by_id[id(analysis)]
        results.append(Prepared(id=analysis.id, path=analysis.path, analysis=analysis,
                                signature=signature(analysis.body), lead=lead, claims=claims))
    return results


def worker_setup(threads: int = 1) -> None:
    """Prepare a worker process: one compute thread per worker (workers, not threads,
    use the cores), then the models, so the first chunk does not pay for loading."""
    import os

    for name in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS",
                 "TOKENIZERS_PARALLELISM"):
        os.environ.setdefault(name, "false" if name == "TOKENIZERS_PARALLELISM" else str(threads))
    import torch

    torch.set_num_threads(threads)
    warm()


def warm() -> None:
    """Load the models and everything the analyser reads on first use (gazetteer,
    lexicons, date parser), so that the first document does not pay for them."""
    from counterpoint.corpus.embed import embed
    from counterpoint.nlp.analyze import analyze

    analyze(Document(path="warm-up", id="warm-up", title="Talks in Geneva",
                     published="2024-01-02", body="Officials met in Geneva on Monday, "
                     "and the minister said the talks would resume next week."))
    embed(["warm-up"])
