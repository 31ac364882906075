"""Language identification of a body (py3langid, offline)."""

from __future__ import annotations

import py3langid

__all__ = ["detect_language"]

# Below this many letters the identifier guesses; say nothing rather than guess.
MIN_LETTERS = 20
# langid's sample of a long text: the first few thousand characters decide.
SAMPLE_CHARS = 4000


def detect_language(text: str) -> str | None:
    """Return the ISO 639-1 code of ``text``'s language, or None when too short to tell."""
    sample = text[:SAMPLE_CHARS]
    if sum(c.isalpha() for c in sample) < MIN_LETTERS:
        return None
    code, _ = py3langid.classify(sample)
    return str(code)
