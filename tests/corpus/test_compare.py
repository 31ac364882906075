"""Compare on hand-written pairs of short texts: each rule of the machinery."""

from __future__ import annotations

from counterpoint.corpus.compare import Comparison, compare, statements
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


def test_a_framed_point_is_compared_by_what_the_frame_is_about() -> None:
    """Commentary wraps its point in a frame ("the main goal of the trip is to X");
    the point is matched with the other side's X, not with another sentence that
    merely shares the frame's subject ("the trip serves as a reminder that …")."""
    goal = ("Beyond the wish to appear as a mediator, the main goal of the chancellor's "
            "trip to Beijing is to deepen trade ties between the two countries.")
    reminder = ("The chancellor's trip to Beijing serves as a clear reminder that Germany "
                "still has no coherent strategy toward China.")
    trade = ("The two governments committed to expanding cooperation in many areas, "
             "with an emphasis on trade.")
    result, _ = _pair(goal, f"{reminder} {trade}")
    [group] = result.agree
    assert [c.text for c in group.claims] == [goal, trade]
    assert [c.text for c in result.unique["d1"]] == [reminder]


def test_the_frame_and_its_point_are_read_from_the_parse() -> None:
    [analysis] = _analyse("The real aim of Modi's visit to Washington is to secure "
                          "American jet engine technology for India's air force.")
    [statement] = statements(analysis)
    assert statement.content == ("to secure American jet engine technology for "
                                 "India's air force")
    assert {"jet", "engine", "technology"} <= set(statement.content_terms)
    assert "Modi" not in statement.terms and "visit" in statement.terms


def test_shared_names_and_words_do_not_make_a_loose_pair_one_statement() -> None:
    """Two sentences about the same leaders and the same trade talk, saying different
    things: the bonuses for shared actors and words do not align them."""
    result, _ = _pair("The friendship between Brazil and Argentina, as announced in a joint "
                      "statement during Lula's visit to Buenos Aires last year, soon found "
                      "its limits over trade quotas.",
                      "During the first day of the summit, Lula repeated his statements of "
                      "respect for Argentina's trade position and its regional efforts.")
    assert not result.agree
