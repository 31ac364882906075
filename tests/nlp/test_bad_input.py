"""Bodies that are not ordinary prose: each is analysed or reported, never raises."""

from __future__ import annotations

from counterpoint.nlp.analyze import analyze, analyze_many
from counterpoint.nlp.pipeline import MAX_CHARS
from counterpoint.schema import Document


def _doc(body: str, language: str | None = "en", **kwargs: object) -> Document:
    return Document(path="in.txt", id="in", body=body, language=language, **kwargs)


def test_empty_body_is_reported() -> None:
    result = analyze(_doc("   \n  "))
    assert result.events == [] and result.claims == [] and result.actors == []
    assert result.analysis_notes == ["empty body: nothing to analyse"]


def test_one_word_body() -> None:
    result = analyze(_doc("Ceasefire"))
    assert result.claims == []
    assert result.analysis_notes == []


def test_sentences_without_verbs() -> None:
    body = ("Moscow, March 2023. Tanks, flags and crowds. No comment. "
            "Sanctions? Perhaps. Ten dead, dozens wounded.")
    result = analyze(_doc(body))
    # verbless fragments are not claims; dates and actors are still read
    assert result.claims == []
    assert any(d.value == "2023-03" for d in result.dates)
    assert any(a.name == "Russia" for a in result.actors)
    for event in result.events:
        assert body[event.start:event.end].strip() == event.sentence


def test_other_language_is_detected_and_reported() -> None:
    result = analyze(_doc("Le gouvernement a annoncé de nouvelles sanctions contre la Russie.",
                          language="fr"))
    assert result.events == [] and result.claims == []
    assert "'fr'" in result.analysis_notes[0]


def test_hundred_thousand_sentences_are_cut_and_reported() -> None:
    body = " ".join(["The talks resumed in Geneva."] * 100_000)
    assert len(body) > MAX_CHARS
    result = analyze(_doc(body))
    assert any("analysed the first part only" in note for note in result.analysis_notes)
    assert result.events and all(e.end <= MAX_CHARS for e in result.events)
    assert result.body == body  # the stored body is never cut


def test_one_bad_document_does_not_stop_a_batch() -> None:
    docs = [_doc(""), _doc("Rebels shelled the town on Monday."), _doc("Zut.", language="fr")]
    results = list(analyze_many(docs))
    assert [bool(r.analysis_notes) for r in results] == [True, False, True]
    assert results[1].events[0].type == "ASSAULT"
