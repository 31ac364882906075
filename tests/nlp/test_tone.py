"""Tone toward an actor comes from the clause that mentions it."""

from __future__ import annotations

from counterpoint.nlp.pipeline import parse
from counterpoint.nlp.tone import clause_of, tone, tone_by_actor


def _span(doc, text):  # type: ignore[no-untyped-def]
    start = doc.text.index(text)
    return doc.char_span(start, start + len(text))


def test_tone_sign_follows_the_words() -> None:
    assert tone("The summit was a great success and a warm, friendly meeting.") > 0.3
    assert tone("The reactionary and hostile policy failed miserably.") < -0.3
    assert tone("") == 0.0


def test_each_actor_gets_its_own_clause() -> None:
    doc = parse("Russia praised the excellent and friendly talks, while the hostile "
                "and aggressive NATO alliance was blamed for the terrible war.")
    russia, nato = _span(doc, "Russia"), _span(doc, "NATO")
    assert "hostile" not in clause_of(russia)
    scores = tone_by_actor([("Russia", russia), ("NATO", nato)])
    assert scores["Russia"] > 0 > scores["NATO"]


def test_a_verbless_heading_does_not_hang() -> None:
    """Regression: walking up from a mention compared spaCy tokens by identity and
    never reached the root of a verbless heading."""
    doc = parse("Relaterade inlägg about China")
    span = _span(doc, "China")
    assert "inlägg about" in clause_of(span)


def test_names_carry_no_judgement() -> None:
    """Regression: VADER read "United" in "United States" as praise."""
    doc = parse("Talks were held with the United States in Geneva.")
    states = _span(doc, "United States")
    assert "United" not in clause_of(states)
    assert tone_by_actor([("United States", states)])["United States"] == 0.0


def test_political_words_are_scored() -> None:
    assert tone("The imperialist regime pursued its hegemony.") < -0.5
    assert tone("The mediator called it a constructive dialogue.") > 0.5
