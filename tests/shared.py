"""Where the shared data lives: ``../shared`` next to the repository root."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEEDS = SHARED / "corpus" / "seeds"
EXTRACTION_DEV = SHARED / "eval" / "extraction-dev"


def shared_path(*parts: str) -> Path:
    """Return a path under ../shared, skipping the test when that data is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"shared data not found: {path}")
    return path
