"""Ingest at scale: documents per second and peak memory by corpus size and executor.

Each configuration — a corpus size from the synthetic generator
(:mod:`benchmarks.synthetic`), an executor (``pool``: the process pool;
``dask``: a Dask LocalCluster; ``inprocess``) and a number of workers — runs in
a fresh child process that ingests the documents into a new store (SQLite by
default, ``--sink parquet`` for ``--out DIR`` Parquet tables). The parent
samples the resident memory of the child and all its descendants (workers,
Dask nannies) every 0.2 s and reports the peak of their sum.

Reported per run: wall seconds, documents per second over the whole run
(``docs_per_second``, model loading included) and after the first chunk is
stored (``steady_docs_per_second``, what more workers speed up), and peak
memory. Then the speed-up of each extra worker (steady rates), and the peak
memory of the largest size over the one before. ``--profile`` adds where the
time of a one-worker in-process run goes (cProfile, top functions by
cumulative time).

Usage::

    python benchmarks/scale.py --sizes 1000 10000 --executors pool dask --workers 1 2 \\
        --out benchmarks/results/scale.json
    python benchmarks/scale.py --sizes 100000 --executors pool --workers 2
    python benchmarks/scale.py --embed-only --device cuda   # encoder throughput on a GPU
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as `python benchmarks/NAME.py`
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._report import emit

REPO = Path(__file__).resolve().parents[1]


# --- one run, in a child process ----------------------------------------------------------


def pipeline_only(documents: Any, tick: Any) -> list[Any]:
    """A stage without the models: each document with an empty analysis, its real
    MinHash signature and a stand-in lead vector. What is left to measure is the run
    itself — input, executor, store writes, duplicate windows — at any size."""
    import hashlib

    import numpy as np

    from counterpoint.corpus.dedupe import signature
    from counterpoint.run.prepare import Prepared
    from counterpoint.schema import Analysis

    results = []
    for document in documents:
        seed = int.from_bytes(hashlib.sha256(document.id.encode()).digest()[:4], "little")
        lead = np.random.default_rng(seed).normal(size=384).astype(np.float32)
        results.append(Prepared(id=document.id, path=document.path,
                                analysis=Analysis(**document.model_dump()),
                                signature=signature(document.body),
                                lead=lead / np.linalg.norm(lead),
                                claims=np.zeros((0, 384), dtype=np.float32)))
        tick()
    return results


def one(size: int, executor: str, workers: int, *, sink: str, where: Path,
        chunk: int, stage: str = "full") -> dict[str, Any]:
    """Ingest ``size`` synthetic documents; called in the child process."""
    from benchmarks.synthetic import documents
    from counterpoint.run.executors import DaskExecutor, InProcess, ProcessPool
    from counterpoint.run.pipeline import ParquetSink, StoreSink, run
    from counterpoint.run.prepare import prepare
    from counterpoint.store import Store

    started = time.perf_counter()
    runner: Any
    if executor == "dask":
        runner = DaskExecutor("local", workers=workers)
    elif executor == "pool":
        runner = ProcessPool(workers)
    else:
        runner = InProcess()
    store = None
    if sink == "parquet":
        target: Any = ParquetSink(where / "parquet")
    else:
        store = Store.open(str(where / "store.db"))
        target = StoreSink(store)
    first = None
    counts: dict[str, int] = {}
    try:
        work = pipeline_only if stage == "pipeline" else prepare
        for n, outcome in enumerate(run(documents(size), target, executor=runner,
                                        stage=work, chunk_size=chunk), start=1):
            counts[outcome.status] = counts.get(outcome.status, 0) + 1
            if first is None and n >= chunk:
                first = (time.perf_counter(), n)
    finally:
        runner.close()
        if store is not None:
            store.close()
    ended = time.perf_counter()
    steady = (size - first[1]) / (ended - first[0]) if first and ended > first[0] else None
    return {"seconds": round(ended - started, 1),
            "docs_per_second": round(size / (ended - started), 2),
            "steady_docs_per_second": round(steady, 2) if steady else None,
            "outcomes": counts}


def _child(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory(prefix="counterpoint-scale-") as tmp:
        result = one(args.size, args.executor, args.workers[0], sink=args.sink,
                     where=Path(tmp), chunk=args.chunk, stage=args.stage)
    sys.stdout.write(json.dumps(result) + "\n")


# --- the parent: runs and memory ----------------------------------------------------------


def _tree_rss(pid: int) -> int:
    import psutil

    try:
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0
    total = 0
    for proc in procs:
        try:
            total += proc.memory_info().rss
        except psutil.NoSuchProcess:
            continue
    return total


def measure(size: int, executor: str, workers: int, *, sink: str, chunk: int,
            stage: str = "full") -> dict[str, Any]:
    """Run one configuration in a child process; its result plus peak memory of the
    child's whole process tree and of the child alone (the writer)."""
    command = [sys.executable, str(Path(__file__).resolve()), "--child", "--size", str(size),
               "--executor", executor, "--workers", str(workers), "--sink", sink,
               "--chunk", str(chunk), "--stage", stage]
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, cwd=REPO)
    peak = parent_peak = 0
    done = threading.Event()

    def sample() -> None:
        import psutil

        nonlocal peak, parent_peak
        while not done.is_set():
            peak = max(peak, _tree_rss(child.pid))
            with contextlib.suppress(psutil.NoSuchProcess):
                parent_peak = max(parent_peak, psutil.Process(child.pid).memory_info().rss)
            done.wait(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = child.communicate()
    done.set()
    sampler.join()
    if child.returncode != 0:
        raise SystemExit(f"run {executor} × {workers} on {size} failed:\n{err[-3000:]}")
    result = json.loads(out.strip().splitlines()[-1])
    return {"docs": size, "executor": executor, "workers": workers, "sink": sink,
            "stage": stage, **result, "peak_memory_mb": round(peak / 2**20),
            "writer_peak_memory_mb": round(parent_peak / 2**20)}


def _like(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Same executor, sink and stage."""
    return all(a.get(k, "full") == b.get(k, "full") for k in ("executor", "sink", "stage"))


def speedups(runs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Steady throughput of each worker count over one worker, per size and executor."""
    found = []
    for run in runs:
        base = next((r for r in runs if r["docs"] == run["docs"] and _like(r, run)
                     and r["workers"] == 1), None)
        if base is None or run["workers"] == 1:
            continue
        found.append({"docs": run["docs"], "executor": run["executor"],
                      "workers": run["workers"], "stage": run.get("stage", "full"),
                      "speedup": round(run["steady_docs_per_second"]
                                       / base["steady_docs_per_second"], 2),
                      "speedup_wall": round(run["docs_per_second"] / base["docs_per_second"],
                                            2)})
    return found


def memory_growth(runs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Peak memory of each size over the next smaller size, same executor and workers."""
    found = []
    for run in runs:
        smaller = [r for r in runs if _like(r, run) and r["workers"] == run["workers"]
                   and r["docs"] < run["docs"]]
        if not smaller:
            continue
        base = max(smaller, key=lambda r: r["docs"])
        found.append({"executor": run["executor"], "workers": run["workers"],
                      "stage": run.get("stage", "full"),
                      "from_docs": base["docs"], "to_docs": run["docs"],
                      "peak_ratio": round(run["peak_memory_mb"] / base["peak_memory_mb"], 3),
                      "writer_peak_ratio": round(run["writer_peak_memory_mb"]
                                                 / base["writer_peak_memory_mb"], 3)})
    return found


def profile(size: int, chunk: int) -> list[dict[str, Any]]:
    """Where the time of an in-process run goes: top functions by cumulative time."""
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    with tempfile.TemporaryDirectory(prefix="counterpoint-scale-") as tmp:
        profiler.enable()
        one(size, "inprocess", 1, sink="store", where=Path(tmp), chunk=chunk)
        profiler.disable()
    stats = pstats.Stats(profiler)
    total = max(stats.total_tt, 1e-9)  # type: ignore[attr-defined]
    wanted = {
        "parse (spaCy nlp.pipe)": "language.py:pipe",
        "analysis after parsing": "analyze.py:_analyze_parsed",
        "embed (MiniLM)": "embed.py:embed",
        "MinHash signature": "dedupe.py:signature",
        "store: add": "api.py:add",
        "store: vectors": "api.py:put_vectors",
        "dedupe windows": "windows.py:add",
        "skip check": "pipeline.py:skip",
    }
    rows = []
    for label, key in wanted.items():
        file_part, name = key.split(":")
        cumulative = sum(value[3] for func, value in stats.stats.items()  # type: ignore[attr-defined]
                         if func[0].endswith(file_part) and func[2] == name)
        rows.append({"stage": label, "seconds": round(cumulative, 2),
                     "share": round(cumulative / total, 3)})
    return rows


def embed_only(device: str, texts: int) -> dict[str, Any]:
    """Encoder throughput (sentences per second) on a device, over sample sentences."""
    os.environ["COUNTERPOINT_DEVICE"] = device
    from benchmarks.synthetic import documents
    from counterpoint.corpus.embed import _device, embed, load_model

    sentences = [s for d in documents(texts // 5 + 1) for s in d.body.split(". ")][:texts]
    load_model()
    embed(sentences[:64])
    started = time.perf_counter()
    embed(sentences, batch_size=128)
    elapsed = time.perf_counter() - started
    return {"device": _device(), "sentences": len(sentences),
            "sentences_per_second": round(len(sentences) / elapsed, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--executors", nargs="+", default=["pool", "dask"],
                        choices=["pool", "dask", "inprocess"])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--sink", choices=["store", "parquet"], default="store")
    parser.add_argument("--chunk", type=int, default=16)
    parser.add_argument("--stage", choices=["full", "pipeline"], default="full",
                        help="full: the real analysis and embeddings; pipeline: no models "
                        "(empty analyses), to measure the run's own memory at large sizes")
    parser.add_argument("--profile", type=int, metavar="DOCS", default=0,
                        help="also profile an in-process run of this many documents")
    parser.add_argument("--embed-only", action="store_true",
                        help="only measure encoder throughput on --device")
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--texts", type=int, default=20000)
    parser.add_argument("--out", type=Path, help="also write the JSON report to this file")
    parser.add_argument("--merge", action="store_true",
                        help="add these runs to those already in --out (a run of the same "
                        "configuration is replaced; an earlier profile is kept)")
    # a child process runs one configuration
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--executor", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args)
        return
    if args.embed_only:
        emit({"embedding": [embed_only(args.device, args.texts)]}, args.out)
        return
    runs: list[dict[str, Any]] = []
    earlier: dict[str, Any] = {}
    if args.merge and args.out and args.out.exists():
        earlier = json.loads(args.out.read_text())
        runs = earlier["runs"]
    for size in args.sizes:
        for executor in args.executors:
            for workers in args.workers:
                result = measure(size, executor, workers, sink=args.sink, chunk=args.chunk,
                                 stage=args.stage)
                key = (size, executor, workers, args.sink, args.stage)
                runs = [r for r in runs if (r["docs"], r["executor"], r["workers"], r["sink"],
                                            r.get("stage", "full")) != key] + [result]
                print(json.dumps(result), file=sys.stderr, flush=True)
    report: dict[str, Any] = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "platform": platform.platform()},
        "runs": sorted(runs, key=lambda r: (r["docs"], r["executor"], r["workers"])),
    }
    report["speedup"] = speedups(report["runs"])
    report["memory_growth"] = memory_growth(report["runs"])
    if args.profile:
        report["profile"] = {"docs": args.profile, "stages": profile(args.profile, args.chunk)}
    elif "profile" in earlier:
        report["profile"] = earlier["profile"]
    emit(report, args.out)


if __name__ == "__main__":
    main()
