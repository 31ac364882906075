"""Event-coding quality on the shared PLOVER sets, printed as JSON.

For ``events-dev.jsonl`` (headlines) and ``events-gsr-dev.jsonl`` (sentences
from the PLOVER gold-standard records) this runs ``analyze`` on every line and
scores ``main_event.type`` with ``../shared/eval/eval_events.py``; for the GSR
set it also reports the share of sentences whose coded event has the gold
source and target (country code, or actor text contained in ours).

Usage::

    python benchmarks/events.py [--out benchmarks/results/events.json]

The coder's lexicon was written from the PLOVER codebook; nothing is fitted to
these sets.
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
from counterpoint.nlp.analyze import analyze_many
from counterpoint.schema import Analysis, Document

REPO = Path(__file__).resolve().parents[1]
EVAL = REPO.parent / "shared" / "eval"
SETS = {"headlines": "events-dev.jsonl", "gsr": "events-gsr-dev.jsonl"}
# CAMEO writes a few countries its own way.
CAMEO_CODES = {"JAP": "JPN", "GER": "DEU", "UK": "GBR"}


def _rows(name: str) -> list[dict[str, Any]]:
    with (EVAL / SETS[name]).open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _analyse(rows: list[dict[str, Any]]) -> tuple[list[Analysis], float]:
    documents = [Document(path=row["id"], id=row["id"], language="en",
                          body=row["text"].strip("{} ")) for row in rows]
    started = time.perf_counter()
    results = list(analyze_many(documents))
    return results, len(rows) / (time.perf_counter() - started)


def score_types(name: str, results: list[Analysis]) -> dict[str, Any]:
    """Score main_event types with the shared evaluator."""
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False,
                                     encoding="utf-8") as handle:
        for result in results:
            label = result.main_event.type if result.main_event else None
            handle.write(json.dumps({"id": result.id, "label": label}) + "\n")
    done = subprocess.run([sys.executable, str(EVAL / "eval_events.py"), str(EVAL / SETS[name]),
                           handle.name], capture_output=True, text=True, check=True)
    Path(handle.name).unlink()
    scored: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return scored


def _matches(gold: list[dict[str, Any]], ref: Any, analysis: Analysis) -> bool:
    if not gold:
        return ref is None
    if ref is None:
        return False
    country = next((a.country for a in analysis.actors if a.id == ref.id), None)
    for item in gold:
        code = CAMEO_CODES.get(item.get("code") or "", item.get("code"))
        if code and country == code:
            return True
        text = (item.get("text") or "").lower()
        if text and (text in ref.name.lower() or ref.name.lower() in text):
            return True
    return False


def score_actors(rows: list[dict[str, Any]], results: list[Analysis]) -> dict[str, float]:
    """Share of sentences whose first coded event has the gold source, target, and both."""
    source = target = both = 0
    for row, result in zip(rows, results, strict=True):
        event = result.events[0] if result.events else None
        s = event is not None and _matches(row.get("source") or [], event.source, result)
        t = event is not None and _matches(row.get("target") or [], event.target, result)
        source, target, both = source + s, target + t, both + (s and t)
    n = len(rows)
    return {"source": round(source / n, 4), "target": round(target / n, 4),
            "source_and_target": round(both / n, 4)}


def run() -> dict[str, Any]:
    """Measure both sets; return one JSON-ready report."""
    report: dict[str, Any] = {}
    for name in SETS:
        rows = _rows(name)
        results, speed = _analyse(rows)
        scored = score_types(name, results)
        entry = {"n": scored["n"], "accuracy": scored["accuracy"],
                 "macro_f1": scored["macro_f1"], "docs_per_second": round(speed, 1)}
        if name == "gsr":
            entry["actors"] = score_actors(rows, results)
        report[name] = entry
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, help="also write the JSON report to this file")
    args = parser.parse_args()
    emit(run(), args.out)


if __name__ == "__main__":
    main()
