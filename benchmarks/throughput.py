"""Analysis throughput against bare spaCy on the same texts, printed as JSON.

Runs, on the same bodies (the bundled sample corpus repeated to ``--docs``
documents), first ``nlp.pipe`` alone and then the whole ``analyze_many``;
reports documents and tokens per second, peak memory of each phase, and the
ratio analyze / bare spaCy (the goal is ≥ 0.6).

Usage::

    python benchmarks/throughput.py [--docs 200] [--out benchmarks/results/throughput.json]
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as `python benchmarks/NAME.py`
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._report import emit
from counterpoint.extract import extract
from counterpoint.ingest import iter_items
from counterpoint.nlp.analyze import analyze_many
from counterpoint.nlp.pipeline import load_nlp, parse_many
from counterpoint.schema import Document, RawItem

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "examples" / "corpus"


def corpus(n: int) -> list[Document]:
    """The sample corpus's documents, repeated (with distinct ids) to ``n`` documents."""
    base = [extract(item) for item in iter_items([str(CORPUS)]) if isinstance(item, RawItem)]
    return [base[i % len(base)].model_copy(update={"id": f"{base[i % len(base)].id}-{i}"})
            for i in range(n)]


def _measure(label: str, work: Any) -> dict[str, Any]:
    # Peak memory is the process's maximum resident set after the phase
    # (tracemalloc would slow spaCy down several times and distort the ratio).
    started = time.perf_counter()
    count, tokens = work()
    elapsed = time.perf_counter() - started
    return {"phase": label, "docs": count, "seconds": round(elapsed, 2),
            "docs_per_second": round(count / elapsed, 1),
            "tokens_per_second": round(tokens / elapsed),
            "max_rss_mb_after": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                                      1)}


def run(n: int) -> dict[str, Any]:
    """Measure bare spaCy, then analyze, on the same ``n`` documents."""
    documents = corpus(n)
    load_nlp()
    list(analyze_many(documents[:2]))  # warm the gazetteer and lexicons outside the timing

    def bare() -> tuple[int, int]:
        docs = list(parse_many(d.body for d in documents))
        return len(docs), sum(len(doc) for doc in docs)

    def full() -> tuple[int, int]:
        results = list(analyze_many(documents))
        return len(results), sum(len(d.body.split()) for d in documents)

    spacy_only = _measure("spacy nlp.pipe", bare)
    analysis = _measure("analyze", full)
    analysis["tokens_per_second"] = round(
        spacy_only["tokens_per_second"] * analysis["docs_per_second"]
        / spacy_only["docs_per_second"])
    return {"docs": n, "phases": [spacy_only, analysis],
            "ratio": round(analysis["docs_per_second"] / spacy_only["docs_per_second"], 3)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=200)
    parser.add_argument("--out", type=Path, help="also write the JSON report to this file")
    args = parser.parse_args()
    emit(run(args.docs), args.out)


if __name__ == "__main__":
    main()
