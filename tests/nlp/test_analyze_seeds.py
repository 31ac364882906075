"""What an analyst reads in the two seed pages, found by the general rules.

Issue 3's golden criteria: canonical actors, relative dates, the visit, the
court's warrant, the brokered Iran–Saudi agreement (told in a footnote), the
peace plan and the invasion as events with their parties and dates, expert and
unnamed holders, estimative words. The rules behind each are exercised on
hand-written sentences in test_events.py and test_claims.py.
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


def test_brokered_agreement_is_read_from_the_footnote(analysis: Analysis) -> None:
    deal = next(e for e in analysis.events if e.footnote == "1" and e.type == "AGREE")
    assert deal.source is not None and deal.target is not None
    assert {deal.source.id, deal.target.id} == {"state:IRN", "state:SAU"}
    assert deal.date == "2023-03-10" and deal.date_precision == "day"
    assert "brokered by China" in deal.sentence
    note = analysis.footnotes[0].text
    assert note[deal.start:deal.end].strip() == deal.sentence
    # a footnote's event never decides what the document is about
    assert analysis.main_event is not None and analysis.main_event.type == "CONSULT"


def test_peace_plan_is_chinas_proposal(analysis: Analysis) -> None:
    plans = [e for e in analysis.events if e.type == "AGREE" and "plan" in e.sentence
             and e.source is not None]
    assert {e.source.id for e in plans} >= {"state:CHN", "person:xi-jinping"}
    dated = next(e for e in plans if e.source is not None and e.source.id == "state:CHN")
    assert dated.date == "2023-02-24"


def test_invasion_is_russia_against_ukraine_a_year_before(analysis: Analysis) -> None:
    invasion = next(e for e in analysis.events if e.trigger == "invasion"
                    and "Xi Jinping has just completed" in e.sentence)
    assert invasion.type == "ASSAULT"
    assert invasion.source is not None and invasion.source.id == "state:RUS"
    assert invasion.target is not None and invasion.target.id == "state:UKR"
    assert invasion.date == "2022-03"


def test_invasion_in_the_comment_is_an_event_too(comment: Analysis) -> None:
    visit = next(e for e in comment.events if e.type == "CONSULT")
    assert visit.source is not None and visit.source.id == "person:xi-jinping"
    assert visit.date == "2023-03-20"
    invasion = next(e for e in comment.events if e.trigger == "invasion")
    assert invasion.type == "ASSAULT"
    assert invasion.source is not None and invasion.source.id == "state:RUS"
    assert invasion.target is not None and invasion.target.id == "state:UKR"
    assert invasion.date == "2022" and invasion.date_precision == "year"


def test_a_belief_in_a_relative_clause_has_its_holder(analysis: Analysis) -> None:
    belief = next(c for c in analysis.claims if c.holder.actor_id == "state:USA")
    assert belief.text.startswith("Chinese arms shipments to Russia")
    assert belief.attribution == "reported"
    assert analysis.body[belief.start:belief.end] == belief.text
