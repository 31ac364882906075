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
