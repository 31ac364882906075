"""Certainty: estimative language read onto the seven-step scale of words of
estimative probability (``data/certainty.yaml``).

``read_certainty("Chinese arms shipments may not take place")`` gives
``Certainty(label="roughly_even_chance", probability=0.5, cue="may not")``.
An unhedged statement gets the scale's ``unhedged`` step and no cue.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from counterpoint.errors import ConfigError

__all__ = ["LABELS", "Certainty", "read_certainty"]

LABELS = ("almost_no_chance", "very_unlikely", "unlikely", "roughly_even_chance", "likely",
          "very_likely", "almost_certain")


@dataclass(frozen=True)
class Certainty:
    """How sure the holder is: a step of the scale, its probability and the words that said so."""

    label: str
    probability: float
    cue: str | None = None


@dataclass(frozen=True)
class _Lexicon:
    scale: dict[str, float]
    unhedged: str
    pattern: re.Pattern[str]
    label_of: dict[str, str]


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    text = resources.files("counterpoint.data").joinpath("certainty.yaml").read_text("utf-8")
    data: dict[str, Any] = yaml.safe_load(text) or {}
    scale = data.get("scale") or {}
    phrases = data.get("phrases") or {}
    if set(scale) != set(LABELS) or set(phrases) - set(LABELS) or not phrases:
        raise ConfigError(f"data/certainty.yaml: 'scale' must list exactly {', '.join(LABELS)} "
                          "and 'phrases' only those labels")
    unhedged = str(data.get("unhedged", ""))
    if unhedged not in LABELS:
        raise ConfigError(f"data/certainty.yaml: 'unhedged' must be one of {', '.join(LABELS)}")
    label_of: dict[str, str] = {}
    for label, words in phrases.items():
        for phrase in words or []:
            key = _normalise(str(phrase))
            if key in label_of and label_of[key] != label:
                raise ConfigError(f"data/certainty.yaml: '{phrase}' is listed under both "
                                  f"{label_of[key]} and {label}")
            label_of[key] = label
    alternatives = sorted(label_of, key=len, reverse=True)  # longest phrase first
    pattern = re.compile(r"(?<![\w'’])(?:" + "|".join(re.escape(a) for a in alternatives)
                         + r")(?![\w'’])")
    return _Lexicon({k: float(v) for k, v in scale.items()}, unhedged, pattern, label_of)


def _normalise(text: str) -> str:
    return " ".join(text.lower().replace("’", "'").split())


def read_certainty(text: str) -> Certainty:
    """Return the certainty expressed in a clause or sentence.

    The longest estimative phrase found wins; when several phrases of the same
    length appear, the first one does (it usually governs the main verb).
    """
    lexicon = _lexicon()
    matches = list(lexicon.pattern.finditer(_normalise(text)))
    if not matches:
        return Certainty(lexicon.unhedged, lexicon.scale[lexicon.unhedged])
    best = max(matches, key=lambda m: (len(m.group(0)), -m.start()))
    label = lexicon.label_of[best.group(0)]
    return Certainty(label, lexicon.scale[label], best.group(0))
