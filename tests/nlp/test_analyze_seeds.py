"""What an analyst reads in the two seed pages, found by the general rules.

Issue 3's golden criteria that the current analyser meets; the rest (events'
actors on every sentence, the brokered agreement as AGREE) are in progress.
"""

from __future__ import annotations

import pytest

from counterpoint.extract import extract
from counterpoint.nlp.analyze import analyze
from counterpoint.schema import Analysis, RawItem
from tests.shared import shared_path


def _analyse(name: str) -> Analysis:
    path = shared_path("corpus", "seeds", name)
    return analyze(extract(RawItem(source=str(path), text=path.read_text("utf-8"),
                                   format="text")))


@pytest.fixture(scope="module")
def analysis() -> Analysis:
    return _analyse("000_65b1ef5a0d5ea50e.txt")


@pytest.fixture(scope="module")
def comment() -> Analysis:
    return _analyse("002_c08222278913e595.txt")


def test_main_actors_resolve_to_one_canonical_id(analysis: Analysis) -> None:
    by_id = {a.id: a for a in analysis.actors}
    assert {"Vladimir Putin", "Putin"} <= set(by_id["person:vladimir-putin"].aliases_seen)
    assert {"Xi Jinping", "Xi"} <= set(by_id["person:xi-jinping"].aliases_seen)
    assert {"Moscow", "Kremlin"} <= set(by_id["state:RUS"].aliases_seen)
    assert {"Beijing", "China"} <= set(by_id["state:CHN"].aliases_seen)
    assert by_id["igo:icc"].type == "igo"
    assert by_id["person:volodymyr-zelensky"].country == "UKR"


def test_relative_dates_resolve_against_publication(analysis: Analysis) -> None:
    values = {d.text.lower(): d.value for d in analysis.dates}
    assert values["a year ago"] == "2022-03"
    assert values["february 24"] == "2023-02-24"
    assert values["only a few days ago"].startswith("2023-03")
    for mention in analysis.dates:
        assert analysis.body[mention.start:mention.end] == mention.text


def test_visit_and_warrant_are_coded(analysis: Analysis) -> None:
    coded = {(e.type, e.mode) for e in analysis.events}
    assert ("CONSULT", "visit") in coded
    warrant = next(e for e in analysis.events if "arrest warrant" in e.sentence)
    assert warrant.source is not None and warrant.source.id == "igo:icc"
    assert analysis.main_event is not None and analysis.main_event.type == "CONSULT"


def test_unnamed_analysts_and_estimative_words(analysis: Analysis) -> None:
    holders = {(c.holder.kind, c.holder.name) for c in analysis.claims}
    assert ("unnamed", "analysts") in holders or ("unnamed", "some analysts") in holders
    shipments = next(c for c in analysis.claims if "arms shipments" in c.text)
    assert shipments.certainty.label == "roughly_even_chance"


def test_expert_voices_hold_their_claims(comment: Analysis) -> None:
    experts = {c.holder.name for c in comment.claims if c.holder.kind == "expert"}
    assert experts == {"Hugo von Essen", "Christopher Weidacher Hsiung", "Patrik Andersson"}
    seen = next(c for c in comment.claims if c.text.startswith("It remains to be seen"))
    assert seen.certainty.label == "roughly_even_chance"
    assert seen.holder.name == "Patrik Andersson"


def test_other_languages_are_reported_not_misanalysed() -> None:
    from counterpoint.schema import Document

    doc = Document(path="de.txt", id="x", language="de",
                   body="Die Bundesregierung hat heute neue Sanktionen beschlossen.")
    result = analyze(doc)
    assert result.events == [] and result.claims == []
    assert "not supported" in result.analysis_notes[0]


def test_empty_and_one_word_bodies_do_not_raise() -> None:
    from counterpoint.schema import Document

    assert analyze(Document(path="e", id="e", body="")).analysis_notes
    assert analyze(Document(path="w", id="w", body="Moscow", language="en")).events == []


def test_headings_do_not_become_actors(analysis: Analysis) -> None:
    """Regression: NER made "Strengthening Bilateral Trade Relations" an organisation."""
    names = {a.name for a in analysis.actors}
    assert not any(name.startswith("Strengthening") for name in names)
    assert "China" in names


def test_dates_attach_to_the_event_they_modify(analysis: Analysis) -> None:
    """Regression: the visit took the date of the invasion ("a year ago") because
    the first date of the sentence was used."""
    visit = next(e for e in analysis.events if e.type == "CONSULT")
    assert visit.date != "2022-03"
    plan = next(e for e in analysis.events if "peace plan on February 24" in e.sentence)
    assert plan.date == "2023-02-24"
    warrant = next(e for e in analysis.events if "arrest warrant" in e.sentence)
    assert warrant.date is not None and warrant.date.startswith("2023-03")
