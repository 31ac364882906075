"""Tone: VADER's lexicon-based valence, applied to the clause that mentions an actor.

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
from typing import Any

__all__ = ["clause_of", "tone", "tone_by_actor"]

# Dependency labels that open a clause of their own.
CLAUSE_DEPS = frozenset({"ccomp", "advcl", "conj", "relcl", "xcomp", "parataxis", "acl"})


@lru_cache(maxsize=1)
def _analyzer() -> Any:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def tone(text: str) -> float:
    """Return the valence of a text in [-1, 1] (VADER's compound score)."""
    if not text.strip():
        return 0.0
    return float(_analyzer().polarity_scores(text)["compound"])


def clause_of(span: Any) -> str:
    """Return the text of the smallest clause containing a spaCy span."""
    token = span.root
    verb = token
    while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
        verb = verb.head
    if verb.pos_ not in ("VERB", "AUX"):
        return str(span.sent.text)
    inside = {t.i for t in span}
    excluded: set[int] = set()
    for child in verb.children:
        if child.dep_ in CLAUSE_DEPS:
            subtree = {t.i for t in child.subtree}
            if not subtree & inside:
                excluded |= subtree
    tokens = [t for t in verb.subtree if t.i not in excluded]
    return "".join(t.text_with_ws for t in tokens).strip()


def tone_by_actor(mentions: Iterable[tuple[str, Any]]) -> dict[str, float]:
    """Average the tone of the clauses around each actor's mentions.

    ``mentions`` yields (actor name, spaCy span) pairs; the result maps each
    actor name to its mean clause tone, rounded to three decimals.
    """
    scores: dict[str, list[float]] = defaultdict(list)
    for name, span in mentions:
        scores[name].append(tone(clause_of(span)))
    return {name: round(sum(v) / len(v), 3) for name, v in scores.items() if v}
