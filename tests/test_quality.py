"""Quality gate: extraction F1 on ../shared/eval/extraction-dev must not fall below the floors.

The floors are the acceptance criteria of the extraction issue; the measured
numbers (``benchmarks/extraction.py``) sit above them and are in the README.
"""

from __future__ import annotations

import pytest
from benchmarks.extraction import predict, score

from tests.shared import shared_path

pytestmark = pytest.mark.quality

FLOORS = {"text": 0.90, "html": 0.955}


@pytest.mark.parametrize("kind", ["text", "html"])
def test_body_f1_above_floor(kind: str) -> None:
    shared_path("eval", "extraction-dev", kind)
    rows, _ = predict(kind)
    scored = score(rows)
    assert scored["n_docs"] == 90
    assert scored["f1"] >= FLOORS[kind], scored


# Floors a little under the measured numbers (benchmarks/results/events.json:
# headlines macro-F1 0.779, GSR macro-F1 0.599, GSR source+target 0.304), so
# that a regression fails CI. The target for headlines is 0.75.
EVENT_FLOORS = {"headlines": 0.75, "gsr": 0.58}
GSR_ACTORS_FLOOR = 0.30


def test_event_coding_above_floor() -> None:
    shared_path("eval", "events-dev.jsonl")
    from benchmarks.events import _analyse, _rows, score_actors, score_types

    for name, floor in EVENT_FLOORS.items():
        rows = _rows(name)
        results, _ = _analyse(rows)
        assert [r.id for r in results] == [row["id"] for row in rows]
        scored = score_types(name, results)
        assert scored["macro_f1"] >= floor, (name, scored)
        if name == "gsr":
            assert score_actors(rows, results)["source_and_target"] >= GSR_ACTORS_FLOOR
