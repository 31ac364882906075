"""Store search at corpus scale: writes, full-text and semantic search, story inputs, as JSON.

Builds a synthetic corpus (``--docs`` documents of ``--claims`` claims each,
words drawn from a fixed vocabulary, random 384-dimension unit vectors) in a
fresh database, then times: ``add`` (with the full-text index kept by the
database), ``put_vectors``, full-text queries with and without filters,
semantic search over every claim vector, and reading every story input.

Usage::

    python benchmarks/store_search.py [--docs 10000] [--claims 20] [--db URL]
        [--out benchmarks/results/store_search.json]

Without ``--db`` a temporary SQLite file is used. A PostgreSQL ``--db`` must
be an empty database (or schema, via ``?options=-csearch_path%3D...``).
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

if __package__ in (None, ""):  # run as `python benchmarks/NAME.py`
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._report import emit
from counterpoint.schema import Actor, Analysis, CertaintyOut, Claim, Holder
from counterpoint.store import Store

DIMS = 384
VOCABULARY = [f"word{i}" for i in range(5000)] + [
    "sanctions", "Russia", "China", "summit", "peace", "plan", "warrant", "energy", "trade",
    "tariffs", "election", "protest", "ceasefire", "talks", "visit", "Moscow", "Beijing"]
PUBLISHERS = ["Meridian Wire", "Revue Rouge", "Utrikespolitiska institutet", "Daily Planet",
              "Harbour Times"]
ACTORS = [Actor(id=f"person:p{i}", name=f"Person {i}", type="person",
                aliases_seen=[f"P{i}", f"Person {i}"], mentions=1) for i in range(200)]


def synthetic(n: int, claims: int, seed: int = 7) -> list[Analysis]:
    """``n`` analyses with ``claims`` claims of 12-30 words each."""
    rng = random.Random(seed)
    docs = []
    for i in range(n):
        texts = [" ".join(rng.choices(VOCABULARY, k=rng.randint(12, 30))) + "."
                 for _ in range(claims)]
        body = " ".join(texts)
        offsets = [0]
        for text in texts[:-1]:
            offsets.append(offsets[-1] + len(text) + 1)
        actors = [a.model_copy(update={"mentions": rng.randint(1, 9)})
                  for a in rng.sample(ACTORS, 6)]
        docs.append(Analysis(
            path=f"synthetic/{i}.txt", id=f"doc-{i:06d}", title=" ".join(rng.choices(
                VOCABULARY, k=8)), publisher=PUBLISHERS[i % len(PUBLISHERS)],
            published=f"2023-{1 + i % 12:02d}-{1 + i % 28:02d}", body=body, actors=actors,
            claims=[Claim(text=t, holder=Holder(name="the author", kind="author"),
                          attribution="authorial",
                          certainty=CertaintyOut(label="certain", probability=1.0),
                          start=o, end=o + len(t)) for t, o in zip(texts, offsets, strict=True)]))
    return docs


def _unit(rows: int, rng: np.random.Generator) -> np.ndarray:
    matrix = rng.standard_normal((rows, DIMS)).astype(np.float32)
    unit: np.ndarray = matrix / np.linalg.norm(matrix, axis=1, keepdims=True)
    return unit


def _time(work: Any, repeat: int = 3) -> float:
    """The best of ``repeat`` runs, in milliseconds."""
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - started)
    return round(best * 1000, 1)


def run(n: int, claims: int, db: str) -> dict[str, Any]:
    """Fill the store and time what search and stories need."""
    docs = synthetic(n, claims)
    rng = np.random.default_rng(0)
    report: dict[str, Any] = {"docs": n, "claims_per_doc": claims, "dims": DIMS}
    with Store.open(db) as store:
        report["backend"] = store.dialect
        started = time.perf_counter()
        for doc in docs:
            store.add(doc, analyzer_version="0.1.0")
        elapsed = time.perf_counter() - started
        report["add_docs_per_second"] = round(n / elapsed, 1)
        started = time.perf_counter()
        for doc in docs:
            store.put_vectors(doc.id, _unit(1, rng)[0], _unit(claims, rng), model="random")
        elapsed = time.perf_counter() - started
        report["put_vectors_docs_per_second"] = round(n / elapsed, 1)

        queries = {
            "fts_rare_word": lambda: store.search("word4242"),
            "fts_common_word": lambda: store.search("sanctions"),
            "fts_two_words": lambda: store.search("sanctions Russia"),
            "fts_phrase": lambda: store.search('"peace plan"'),
            "fts_filtered_source_dates": lambda: store.search(
                "sanctions", source="rouge", since="2023-03-01", until="2023-06-30"),
            "fts_filtered_actor_alias": lambda: store.search("sanctions", actor="p17"),
            "fts_documents": lambda: store.search("sanctions Russia", kind="document"),
        }
        report["search_ms"] = {name: _time(work) for name, work in queries.items()}
        query = _unit(1, rng)[0]
        report["search_ms"]["semantic_all_claims"] = _time(
            lambda: store.search("", semantic=True, query_vector=query), repeat=2)
        report["search_ms"]["semantic_filtered_source"] = _time(
            lambda: store.search("", semantic=True, query_vector=query, source="rouge"),
            repeat=2)
        report["search_ms"]["semantic_documents"] = _time(
            lambda: store.search("", semantic=True, query_vector=query, kind="document"))
        started = time.perf_counter()
        count = sum(1 for _ in store.story_inputs())
        report["story_inputs"] = {"docs": count,
                                  "seconds": round(time.perf_counter() - started, 2)}
    report["max_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--claims", type=int, default=20)
    parser.add_argument("--db", default=None, help="database URL (default: a temporary SQLite)")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or str(Path(tmp) / "bench.db")
        emit(run(args.docs, args.claims, db), args.out)


if __name__ == "__main__":
    main()
