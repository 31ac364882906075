"""Estimative words are read onto the seven-step scale."""

from __future__ import annotations

import pytest

from counterpoint.nlp.certainty import LABELS, read_certainty


@pytest.mark.parametrize(("sentence", "label", "cue"), [
    ("Chinese arms shipments to Russia may not take place.", "roughly_even_chance", "may not"),
    ("The Sino-Russian relationship will continue to deepen.", "very_likely", "will"),
    ("This is likely for the foreseeable future.", "likely", "is likely"),
    ("It remains to be seen what implications the visit will have.", "roughly_even_chance",
     "it remains to be seen"),
    ("A ceasefire is highly unlikely before the summer.", "very_unlikely", "highly unlikely"),
    ("A deal is unlikely this year.", "unlikely", "unlikely"),
    ("Beijing will almost certainly keep buying Russian oil.", "almost_certain",
     "almost certainly"),
    ("The next step could be a discussion with Zelenskyy.", "roughly_even_chance", "could"),
    ("Putin might therefore hope for more Chinese backing.", "roughly_even_chance", "might"),
    ("Officials are not expected to sign a pipeline contract.", "unlikely", "not expected to"),
])
def test_estimative_words(sentence: str, label: str, cue: str | None) -> None:
    found = read_certainty(sentence)
    assert found.label == label
    if cue is not None:
        assert found.cue == cue
    assert 0 < found.probability < 1


def test_unhedged_statement_is_stated_as_fact() -> None:
    found = read_certainty("The International Criminal Court issued an arrest warrant.")
    assert found.label == "almost_certain"
    assert found.cue is None


def test_scale_is_ordered() -> None:
    probabilities = [read_certainty(s).probability for s in (
        "There is no chance of that.", "That is very unlikely.", "That is unlikely.",
        "That may happen.", "That is likely.", "That is very likely.",
        "That will almost certainly happen.")]
    assert probabilities == sorted(probabilities)
    assert len(set(probabilities)) == len(LABELS)


def test_curly_apostrophe_is_read() -> None:
    assert read_certainty("Kyiv won’t accept a frozen front.").label == "very_likely"
