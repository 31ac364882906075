"""Tone: VADER's lexicon-based valence, applied to the clause that mentions an actor.

VADER's general lexicon is extended with the words in which news and commentary
praise or condemn states and leaders ("imperialist", "regime", "peacemaker"),
kept in ``data/tone.yaml``.

A sentence often carries several judgements ("Moscow found a partner, while
the West's sanctions failed"); scoring the whole sentence for every actor in it
would blur them. We score the smallest clause around each mention instead: the
subtree of the mention's governing verb without the other clauses hanging off
it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from counterpoint.errors import ConfigError

__all__ = ["clause_of", "tone", "tone_by_actor", "without_names"]

# Dependency labels that open a clause of their own.
CLAUSE_DEPS = frozenset({"ccomp", "advcl", "conj", "relcl", "xcomp", "parataxis", "acl"})


@lru_cache(maxsize=1)
def _analyzer() -> Any:
    """VADER, with our political-news words (``data/tone.yaml``) added to its lexicon."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyzer = SentimentIntensityAnalyzer()
    analyzer.lexicon.update(_news_lexicon())
    return analyzer


def _news_lexicon() -> dict[str, float]:
    text = resources.files("counterpoint.data").joinpath("tone.yaml").read_text("utf-8")
    data = yaml.safe_load(text) or {}
    words = data.get("words") if isinstance(data, dict) else None
    if not isinstance(words, dict):
        raise ConfigError("data/tone.yaml: 'words' must map words to valences")
    lexicon = {}
    for word, value in words.items():
        if not isinstance(value, int | float) or not -4 <= value <= 4:
            raise ConfigError(f"data/tone.yaml: '{word}' needs a valence between -4 and 4")
        lexicon[str(word).lower()] = float(value)
    return lexicon


def tone(text: str) -> float:
    """Return the valence of a text in [-1, 1] (VADER's compound score)."""
    if not text.strip():
        return 0.0
    return float(_analyzer().polarity_scores(text)["compound"])


def clause_of(span: Any) -> str:
    """Return the text of the smallest clause containing a spaCy span, without names."""
    token = span.root
    verb = token
    while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
        verb = verb.head
    if verb.pos_ not in ("VERB", "AUX"):
        return without_names(span.sent)
    inside = {t.i for t in span}
    excluded: set[int] = set()
    for child in verb.children:
        if child.dep_ in CLAUSE_DEPS:
            subtree = {t.i for t in child.subtree}
            if not subtree & inside:
                excluded |= subtree
    return without_names(t for t in verb.subtree if t.i not in excluded)


def without_names(tokens: Iterable[Any]) -> str:
    """The text of spaCy tokens with named entities left out: names carry no
    judgement, but VADER reads "United" in "United States" as praise."""
    return "".join(t.whitespace_ if t.ent_type_ else t.text_with_ws for t in tokens).strip()


def tone_by_actor(mentions: Iterable[tuple[str, Any]]) -> dict[str, float]:
    """Average the tone of the clauses around each actor's mentions.

    ``mentions`` yields (actor name, spaCy span) pairs; the result maps each
    actor name to its mean clause tone, rounded to three decimals.
    """
    scores: dict[str, list[float]] = defaultdict(list)
    for name, span in mentions:
        scores[name].append(tone(clause_of(span)))
    return {name: round(sum(v) / len(v), 3) for name, v in scores.items() if v}
