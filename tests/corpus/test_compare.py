"""Compare on hand-written pairs of short texts: each rule of the machinery."""

from __future__ import annotations

from counterpoint.corpus.compare import Comparison, compare
from counterpoint.nlp.analyze import analyze_many
from counterpoint.schema import Analysis, Document


def _analyse(*bodies: str) -> list[Analysis]:
    docs = [Document(path=f"doc{i}.txt", id=f"d{i}", title=None, language="en",
                     published="2023-06-01", body=body, publisher=f"Outlet {i}")
            for i, body in enumerate(bodies)]
    return list(analyze_many(docs))


def _pair(left: str, right: str) -> tuple[Comparison, list[Analysis]]:
    analyses = _analyse(left, right)
    return compare(analyses), analyses


FILLER_A = "The weather in the region was unusually warm for the season this week."
FILLER_B = "Local football clubs announced their summer training schedules on Thursday."


def test_paraphrases_agree_and_cite_both_sentences() -> None:
    result, docs = _pair(
        "Iran and Saudi Arabia agreed on Friday to restore diplomatic relations after "
        "seven years. " + FILLER_A,
        "Tehran and Riyadh reached a deal on Friday to re-establish diplomatic ties "
        "broken off seven years ago. " + FILLER_B)
    assert len(result.agree) == 1 and not result.disagree
    group = result.agree[0]
    assert {c.doc for c in group.claims} == {"d0", "d1"}
    for claim in group.claims:
        body = next(d.body for d in docs if d.id == claim.doc)
        assert body[claim.start:claim.end] == claim.text
    # the unrelated sentences are each document's own
    assert [c.text for c in result.unique["d0"]] == [FILLER_A]
    assert [c.text for c in result.unique["d1"]] == [FILLER_B]


def test_denial_is_an_explicit_disagreement() -> None:
    result, _ = _pair("Turkey approved Sweden's application to join NATO on Monday.",
                      "Turkey did not approve Sweden's application to join NATO on Monday.")
    assert not result.agree
    [group] = result.disagree
    assert group.kind == "negation" and "denies" in group.basis


def test_doubt_against_certainty_is_a_disagreement() -> None:
    result, _ = _pair("Germany will deliver Leopard tanks to Ukraine next month.",
                      "Germany may not deliver Leopard tanks to Ukraine next month at all.")
    [group] = result.disagree
    assert group.kind in ("certainty", "negation")


def test_same_event_opposite_tone_is_framing() -> None:
    result, _ = _pair(
        "The government's crackdown in the capital restored calm, order and safety "
        "for grateful residents.",
        "The government's brutal crackdown in the capital crushed peaceful protesters "
        "and terrified residents.")
    [group] = result.disagree
    assert group.kind == "framing"
    assert "positively" in group.basis and "negatively" in group.basis


def test_unrelated_documents_share_nothing() -> None:
    result, _ = _pair("The central bank raised interest rates by half a point on Tuesday.",
                      "Heavy rain flooded several villages in the north of the country.")
    assert not result.agree and not result.disagree
    assert len(result.unique["d0"]) == 1 and len(result.unique["d1"]) == 1


def test_three_documents_group_once() -> None:
    analyses = _analyse(
        "Xi Jinping arrived in Moscow on Monday for a three-day state visit.",
        "Chinese President Xi Jinping began a three-day state visit to Moscow on Monday.",
        "On Monday Xi Jinping landed in Moscow to start a state visit lasting three days.")
    result = compare(analyses)
    assert len(result.agree) == 1
    assert {c.doc for c in result.agree[0].claims} == {"d0", "d1", "d2"}
    assert result.documents[2].publisher == "Outlet 2"


def test_design_example_military_support_against_doubt() -> None:
    """The example of DESIGN.md: an explicit disagreement across two sources."""
    result, _ = _pair("China has provided military support to Russia.",
                      "Chinese arms shipments to Russia may not take place.")
    [group] = result.disagree
    assert group.kind == "certainty"
    assert "roughly even chance" in group.basis


def test_litotes_and_not_only_are_not_denials() -> None:
    result, _ = _pair("Russia is not friendless: China stands by Moscow in the war.",
                      "Russia has a friend in China, which stands by Moscow in the war.")
    assert not [g for g in result.disagree if g.kind == "negation"]


def test_the_same_act_between_the_same_parties_is_compared_whatever_the_words() -> None:
    """Structure, not only wording: supplying arms and arms shipments are one kind of
    act (material help); between the same parties, sure against doubtful disagrees."""
    result, _ = _pair("Iran has supplied Russia with hundreds of attack drones this year, "
                      "officials in Kyiv say.",
                      "Iranian arms shipments to Russia may not take place at all.")
    [group] = result.disagree
    assert group.kind == "certainty"


def test_the_same_act_between_other_parties_is_not_a_disagreement() -> None:
    result, _ = _pair("Iran has supplied Russia with hundreds of attack drones this year, "
                      "officials in Kyiv say.",
                      "Turkish arms shipments to Ukraine may not take place at all.")
    assert not result.disagree
