"""Body quality and speed of :func:`counterpoint.extract.html.extract_html`, as JSON.

Runs ``extract_html`` on every ``*.html`` page of a directory (default:
``../shared/eval/extraction-dev/html``), writes the predictions as JSONL to a
temporary file, scores them with the shared evaluator
(``../shared/eval/eval_extraction.py``, the article-extraction-benchmark metric)
and prints one JSON object: f1, precision, recall, their bootstrap standard
deviations, and documents per second.

``--cv`` also runs a 5-fold cross-validation of the junk-scoring thresholds
(``JUNK_*``, ``TINY_JUNK``, ``WEIGHT_CAP``, ``SMOOTH_MAX_WORDS``, ``DEK_MIN_WORDS``):
for each fold it picks the grid point with the best F1 on the other four folds
and scores the held-out fold with it; it reports the pooled out-of-fold F1 next
to the in-sample F1 of the shipped constants. The folds are scored in-process
with a re-implementation of the evaluator's per-document counts.

Usage::

    python benchmarks/html_quality.py [HTML_DIR] [--truth TRUTH.jsonl] [--cv]
"""

from __future__ import annotations

import argparse
import importlib.util
import itertools
import json
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DEV = REPO.parent / "shared" / "eval" / "extraction-dev"
EVALUATOR = REPO.parent / "shared" / "eval" / "eval_extraction.py"

sys.path.insert(0, str(REPO / "src"))

from counterpoint.extract import html as H  # noqa: E402


def read_page(path: Path) -> str:
    """Decode one saved page: its bytes as UTF-8, else charset-normalizer's guess."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        return str(best) if best is not None else data.decode("utf-8", "replace")


def predict(html_dir: Path) -> tuple[list[dict[str, str]], float]:
    """Extract every page; return the predictions and documents per second."""
    pages = sorted(html_dir.glob("*.html"))
    texts = [(p.stem, read_page(p)) for p in pages]
    rows = []
    started = time.perf_counter()
    for stem, text in texts:
        rows.append({"id": stem, "body": H.extract_html(text).body})
    elapsed = time.perf_counter() - started
    return rows, (len(rows) / elapsed if elapsed else 0.0)


def _python_with_numpy() -> str:
    """The evaluator needs numpy; use this interpreter if it has it, else python3."""
    if importlib.util.find_spec("numpy") is not None:
        return sys.executable
    return shutil.which("python3") or shutil.which("python") or sys.executable


def evaluate(rows: list[dict[str, str]], truth: Path) -> dict[str, Any]:
    """Score predictions with the shared evaluator; return its JSON result."""
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False,
                                     encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    try:
        done = subprocess.run(
            [_python_with_numpy(), str(EVALUATOR), str(truth), handle.name],
            capture_output=True, text=True, check=True)
    finally:
        Path(handle.name).unlink()
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


# --- cross-validation ----------------------------------------------------------

_WORD = re.compile(r"\w+")
GRID: dict[str, list[Any]] = {
    "JUNK_MAX_WORDS": [40, 60, 90],
    "JUNK_LINK_RATIO": [0.4, 0.5, 0.7],
    "TINY_JUNK": [0.5, 0.6, 0.7],
    "WEIGHT_CAP": [25, 50, 100],
    "SMOOTH_MAX_WORDS": [0, 25, 40],
    "DEK_MIN_WORDS": [4, 6, 8],
}


def _shingles(text: str) -> Counter[tuple[str, ...]]:
    toks = _WORD.findall(text)
    if len(toks) < 4:
        return Counter([tuple(toks)]) if toks else Counter()
    return Counter(tuple(toks[i:i + 4]) for i in range(len(toks) - 3))


def _doc_pr(truth: Counter[tuple[str, ...]], body: str) -> tuple[float | None, float | None]:
    """Per-document precision and recall as the shared evaluator defines them."""
    pred = _shingles(body)
    tp = sum((truth & pred).values())
    fp = sum((pred - truth).values())
    fn = sum((truth - pred).values())
    if fp == 0 and fn == 0:
        p = r = 1.0
    else:
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
    return (p if tp + fp else None), (r if tp + fn else None)


def _f1(scores: list[tuple[float | None, float | None]]) -> float:
    ps = [p for p, _ in scores if p is not None]
    rs = [r for _, r in scores if r is not None]
    p = sum(ps) / len(ps) if ps else 0.0
    r = sum(rs) / len(rs) if rs else 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


def cross_validate(html_dir: Path, truth_path: Path, folds: int = 5,
                   seed: int = 0) -> dict[str, Any]:
    """5-fold CV of the junk-scoring thresholds; see the module docstring."""
    import trafilatura

    truth = {}
    for line in truth_path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            truth[str(row["id"])] = _shingles(row.get("body") or "")
    # the expensive, threshold-free part runs once per page
    prepared: dict[str, tuple[list[Any], list[str]]] = {}
    for page in sorted(html_dir.glob("*.html")):
        if page.stem not in truth:
            continue
        tree = trafilatura.load_html(read_page(page))
        if tree is None:
            prepared[page.stem] = ([], [])
            continue
        doc = H._run_trafilatura(tree, None, with_metadata=True)
        titles = H._title_candidates(tree, getattr(doc, "title", None))
        prepared[page.stem] = (H._candidate_blocks(tree, doc), titles)

    def finish(blocks: list[Any], titles: list[str]) -> str:
        kept, _ = H._clean_blocks(blocks, titles)
        return "\n\n".join(b.text for b in kept)

    names = list(GRID)
    shipped = {n: getattr(H, n) for n in names}
    per_point: list[tuple[dict[str, Any], dict[str, tuple[float | None, float | None]]]] = []
    try:
        for values in itertools.product(*(GRID[n] for n in names)):
            point = dict(zip(names, values, strict=True))
            for n, v in point.items():
                setattr(H, n, v)
            scores = {k: _doc_pr(truth[k], finish(*prepared[k])) for k in prepared}
            per_point.append((point, scores))
        for n, v in shipped.items():
            setattr(H, n, v)
        shipped_scores = {k: _doc_pr(truth[k], finish(*prepared[k])) for k in prepared}
    finally:
        for n, v in shipped.items():
            setattr(H, n, v)

    ids = sorted(prepared)
    random.Random(seed).shuffle(ids)
    fold_of = {k: i % folds for i, k in enumerate(ids)}
    out_of_fold: dict[str, tuple[float | None, float | None]] = {}
    chosen = []
    fold_f1 = []
    for f in range(folds):
        train = [k for k in ids if fold_of[k] != f]
        test = [k for k in ids if fold_of[k] == f]
        point, scores = max(per_point, key=lambda ps: _f1([ps[1][k] for k in train]))
        chosen.append(point)
        out_of_fold.update({k: scores[k] for k in test})
        fold_f1.append(round(_f1([scores[k] for k in test]), 4))
    best_point, best_scores = max(per_point, key=lambda ps: _f1(list(ps[1].values())))
    return {
        "folds": folds,
        "grid_points": len(per_point),
        "cv_f1_pooled": round(_f1(list(out_of_fold.values())), 4),
        "cv_f1_by_fold": fold_f1,
        "chosen_by_fold": chosen,
        "shipped": shipped,
        "shipped_f1_in_sample": round(_f1(list(shipped_scores.values())), 4),
        "best_in_sample": best_point,
        "best_f1_in_sample": round(_f1(list(best_scores.values())), 4),
    }


def main(argv: list[str] | None = None) -> dict[str, Any]:
    """Run the benchmark and print its JSON report."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("html_dir", nargs="?", type=Path, default=DEV / "html")
    ap.add_argument("--truth", type=Path, default=None,
                    help="truth JSONL (default: truth.jsonl next to HTML_DIR)")
    ap.add_argument("--cv", action="store_true", help="also cross-validate thresholds")
    args = ap.parse_args(argv)
    truth = args.truth or args.html_dir.parent / "truth.jsonl"

    rows, speed = predict(args.html_dir)
    scored = evaluate(rows, truth)
    report: dict[str, Any] = {
        "dataset": str(args.html_dir),
        "n_docs": scored["n_docs"],
        "f1": scored["f1"], "precision": scored["precision"], "recall": scored["recall"],
        "f1_std": scored["f1_std"], "accuracy": scored["accuracy"],
        "docs_per_second": round(speed, 1),
    }
    if args.cv:
        report["cv"] = cross_validate(args.html_dir, truth)
    print(json.dumps(report))
    return report


if __name__ == "__main__":
    main()
