"""Event coding rules on hand-written sentences (not from any evaluation set)."""

from __future__ import annotations

import pytest

from counterpoint.nlp.events import code_sentence, headline_case
from counterpoint.nlp.pipeline import parse


def _code(text: str):  # type: ignore[no-untyped-def]
    return code_sentence(next(iter(parse(text).sents)))


@pytest.mark.parametrize(("sentence", "kind"), [
    ("The rebels shelled the village overnight.", "ASSAULT"),
    ("Ministers held talks in Geneva on Monday.", "CONSULT"),
    ("Beijing refused to support the resolution.", "REJECT"),
    ("The government threatened to impose sanctions on the importers.", "THREATEN"),
    ("The two countries signed a ceasefire on Friday.", "RETREAT"),
    ("Kenya asked Japan for humanitarian aid after the floods.", "REQUEST"),
    ("The minister raised the possibility of a ban on opposition parties.", "THREATEN"),
    ("Police arrested dozens of students in the capital.", "COERCE"),
    ("Thousands of workers marched through the city to protest the reform.", "PROTEST"),
])
def test_types_from_general_rules(sentence: str, kind: str) -> None:
    event = _code(sentence)
    assert event is not None and event.type == kind, (sentence, event)


def test_source_target_and_negation() -> None:
    event = _code("Russia did not attack the convoy.")
    assert event is not None
    assert event.source.text == "Russia" and event.negated


def test_reported_event_keeps_its_holder() -> None:
    event = _code("Officials said the army withdrew from the town.")
    assert event is not None and event.type == "RETREAT"
    assert event.modality == "reported" and event.holder.text == "Officials"


def test_headline_case_keeps_offsets_and_names() -> None:
    text = "Saudi Arabia Leader Criticizes France's Response to Crisis"
    recased = headline_case(text, lambda w: w in {"Saudi Arabia", "France"})
    assert len(recased) == len(text)
    assert recased == "Saudi Arabia leader criticizes France's response to crisis"
    assert headline_case("An ordinary sentence about things.") == (
        "An ordinary sentence about things.")


def test_agreeing_to_withdraw_is_a_concession() -> None:
    """Agreeing to withdraw or to lift a curfew yields (CONCEDE), not a pledge to cooperate."""
    event = _code("The government agreed to withdraw its troops from the border region.")
    assert event is not None and event.type == "CONCEDE"
    event = _code("The rebels refused to support the peace plan.")
    assert event is not None and event.type == "REJECT"


@pytest.mark.parametrize(("sentence", "kind"), [
    ("The governor sent troops to the northern border.", "MOBILIZE"),
    ("Hundreds of police were called to the stadium.", "MOBILIZE"),
    ("The mayor promised to lift the curfew next week.", "CONCEDE"),
    ("Kenya asked Uganda to end its sanctions on sugar imports.", "REQUEST"),
])
def test_dispatch_and_ending_verbs(sentence: str, kind: str) -> None:
    event = _code(sentence)
    assert event is not None and event.type == kind, (sentence, event)


def _all(text: str):  # type: ignore[no-untyped-def]
    from counterpoint.nlp.events import code_events
    return code_events(next(iter(parse(text).sents)))


def test_joint_parties_become_source_and_target() -> None:
    event = _code("Ghana and Togo reached an agreement on their maritime border.")
    assert event is not None and event.type == "AGREE"
    assert (event.source.text, event.target.text) == ("Ghana", "Togo")


def test_a_proposed_plan_is_proposed_by_the_subject_of_its_verb() -> None:
    event = _code("Brazil outlined a proposed trade pact with its neighbours on Tuesday.")
    assert event is not None and event.type == "AGREE"
    assert event.source.text == "Brazil"


def test_relative_pronoun_stands_for_its_antecedent() -> None:
    events = _all("Rebels ambushed a convoy from Chad, which then attacked their camp.")
    sources = {e.source.text for e in events if e.source is not None}
    assert "which" not in sources
    assert "Chad" in sources


@pytest.mark.parametrize("sentence", [
    "According to diplomats, the weather in the capital was mild.",
    "Most European firms prefer to deal with suppliers in Asia.",
    "The ministry released a statement about the weather on Monday.",
    "The Kyoto Treaty was mentioned in the newspaper.",
    "On March 3 the museum opened a new wing.",
])
def test_non_event_senses_are_not_coded(sentence: str) -> None:
    assert _all(sentence) == [], sentence


def test_a_second_event_with_its_own_parties_is_read() -> None:
    events = _all("The president made his first trip to Kenya since the Ethiopian invasion "
                  "of Somalia.")
    assert [e.type for e in events] == ["CONSULT", "ASSAULT"]
    invasion = events[1]
    assert invasion.target.text == "Somalia"


def test_the_same_event_named_twice_is_read_once() -> None:
    events = _all("In a deal brokered by Qatar, Chad and Sudan reached an agreement.")
    assert [e.type for e in events].count("AGREE") == 1
