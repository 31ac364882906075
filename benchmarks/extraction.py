"""Extraction quality and speed on ../shared/eval/extraction-dev, printed as JSON.

For each path (text dumps under ``text/``, HTML pages under ``html/``) this runs
counterpoint's extractor on every page, scores the bodies with the shared
evaluator (``../shared/eval/eval_extraction.py``, the metric of the article
extraction benchmark) and measures documents per second.

Usage::

    python benchmarks/extraction.py [--paths text html] [--out benchmarks/results/extraction.json]

Nothing here is fitted to these pages; the numbers are plain held-out scores.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as `python benchmarks/NAME.py`
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._report import emit
from counterpoint.extract import extract
from counterpoint.ingest.decode import decode_bytes
from counterpoint.schema import RawItem

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
DEV = SHARED / "eval" / "extraction-dev"
EVALUATOR = SHARED / "eval" / "eval_extraction.py"
SUFFIX = {"text": ".txt", "html": ".html"}


def predict(kind: str, directory: Path = DEV) -> tuple[list[dict[str, str]], float]:
    """Extract every page of one path; return predictions and documents per second."""
    pages = sorted((directory / kind).glob(f"*{SUFFIX[kind]}"))
    rows = []
    started = time.perf_counter()
    for page in pages:
        text = decode_bytes(page.read_bytes(), str(page))
        item = RawItem(source=str(page), text=text, format="html" if kind == "html" else "text")
        try:
            body = extract(item).body
        except Exception:  # an empty prediction is scored, not hidden
            body = ""
        rows.append({"id": page.stem, "body": body})
    elapsed = time.perf_counter() - started
    return rows, len(pages) / elapsed if elapsed else 0.0


def score(rows: list[dict[str, str]], directory: Path = DEV) -> dict[str, Any]:
    """Score predictions with the shared evaluator; return its JSON result."""
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False,
                                     encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    result = subprocess.run(
        [sys.executable, str(EVALUATOR), str(directory / "truth.jsonl"), handle.name,
         "--n-bootstrap", "200"],
        capture_output=True, text=True, check=True)
    Path(handle.name).unlink()
    scored: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return scored


def run(kinds: list[str]) -> dict[str, Any]:
    """Measure each path and return one JSON-ready report."""
    report: dict[str, Any] = {"dataset": "extraction-dev", "paths": {}}
    for kind in kinds:
        rows, speed = predict(kind)
        scored = score(rows)
        report["paths"][kind] = {
            "n_docs": scored["n_docs"], "f1": scored["f1"], "f1_std": scored["f1_std"],
            "precision": scored["precision"], "recall": scored["recall"],
            "accuracy": scored["accuracy"], "docs_per_second": round(speed, 1),
        }
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--paths", nargs="+", default=["text", "html"], choices=["text", "html"])
    parser.add_argument("--out", type=Path, help="also write the JSON report to this file")
    args = parser.parse_args()
    if not EVALUATOR.exists():
        sys.exit(f"error: {EVALUATOR}: not found (the shared data must sit next to the repo)")
    emit(run(args.paths), args.out)


if __name__ == "__main__":
    main()
