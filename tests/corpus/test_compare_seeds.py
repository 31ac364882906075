"""Compare on the two seeds: what a careful reader of both lists, written down first.

A careful reading of 000 (a left-activist magazine) and 002 (a Swedish
institute's three-expert comment):

Both say
- Xi's visit to Moscow in March 2023 was his first since Russia's invasion of
  Ukraine, and it meant talks with Putin over about three days;
- China had put forward a peace plan for the war before the visit;
- the visit was about deepening economic cooperation between the two.
They differ on
- Chinese military help to Russia: 002 says China has supported Russia
  "diplomatically, politically, economically, and militarily"; 000 says Chinese
  arms shipments "may not take place" (certainty, explicitly);
- the relationship: 000 calls it an "alliance of circumstance", a
  "pseudo-alliance"; 002 a "robust strategic partnership" that will "endure" and
  "deepen" (framing).
Only 000: the ICC arrest warrant against Putin; the Iran–Saudi deal China
brokered; China's oil imports replacing Germany's; the Power of Siberia II
pipeline; the "anti-worker powers" conclusion.
Only 002: Putin repeating his September 2022 statements; the power imbalance on
display (Putin's "excessive praise"); the joint statements' restraint
("limitlessness"); the call on all parties to stop actions that prolong the fighting.
Tone: 000 is hostile to the United States ("doing everything to prolong the war"),
002 is not.

No rule below names these pages: the machinery is general (see
test_compare.py for hand-written pairs exercising the same rules).
"""

from __future__ import annotations

import pytest

from counterpoint.corpus.compare import Comparison, Group, compare
from counterpoint.extract import extract
from counterpoint.nlp.analyze import analyze_many
from counterpoint.schema import Analysis, RawItem
from tests.shared import shared_path

LEFT = "000_65b1ef5a0d5ea50e.txt"
INSTITUTE = "002_c08222278913e595.txt"


@pytest.fixture(scope="module")
def seeds() -> list[Analysis]:
    items = []
    for name in (LEFT, INSTITUTE):
        path = shared_path("corpus", "seeds", name)
        items.append(extract(RawItem(source=str(path), text=path.read_text("utf-8"),
                                     format="text")))
    return list(analyze_many(items))


@pytest.fixture(scope="module")
def result(seeds: list[Analysis]) -> Comparison:
    return compare(seeds)


def _find(groups: list[Group], left: str, right: str, seeds: list[Analysis]) -> Group | None:
    left_id, right_id = seeds[0].id, seeds[1].id
    for group in groups:
        texts = {c.doc: [] for c in group.claims}
        for claim in group.claims:
            texts[claim.doc].append(claim.text.lower())
        if any(left in t for t in texts.get(left_id, [])) and any(
                right in t for t in texts.get(right_id, [])):
            return group
    return None


def test_both_report_the_first_visit_since_the_invasion(result: Comparison,
                                                        seeds: list[Analysis]) -> None:
    group = _find(result.agree, "first visit to moscow", "first visit to moscow", seeds)
    assert group is not None
    assert "similarity" in group.basis


def test_both_mention_the_peace_plan(result: Comparison, seeds: list[Analysis]) -> None:
    groups = result.agree + result.disagree
    assert _find(groups, "peace plan", "peace plan", seeds) is not None


def test_both_tie_the_visit_to_economic_cooperation(result: Comparison,
                                                    seeds: list[Analysis]) -> None:
    groups = result.agree + result.disagree
    assert _find(groups, "economic cooperation", "cooperation", seeds) is not None


def test_military_support_is_an_explicit_disagreement(result: Comparison,
                                                      seeds: list[Analysis]) -> None:
    group = _find(result.disagree, "arms shipments", "support", seeds)
    assert group is not None, [g.basis for g in result.disagree]
    assert group.kind in ("certainty", "negation")


def test_the_nature_of_the_relationship_is_disputed(result: Comparison,
                                                    seeds: list[Analysis]) -> None:
    group = (_find(result.disagree, "circumstance", "partnership", seeds)
             or _find(result.disagree, "circumstance", "relationship", seeds))
    assert group is not None, [(g.basis, [c.text[:60] for c in g.claims])
                               for g in result.disagree]


def test_claims_only_one_side_makes(result: Comparison, seeds: list[Analysis]) -> None:
    left = [c.text for c in result.unique[seeds[0].id]]
    right = [c.text for c in result.unique[seeds[1].id]]
    assert any("arrest warrant" in t for t in left)
    assert any("Power of Siberia" in t for t in left)
    assert any("September 2022" in t for t in right)
    assert any("excessive praise" in t for t in right)
    for claim in result.unique[seeds[0].id]:
        source = seeds[0].body if claim.footnote is None else seeds[0].footnotes[0].text
        assert source[claim.start:claim.end] == claim.text


def test_tone_toward_the_united_states(result: Comparison, seeds: list[Analysis]) -> None:
    left, right = result.tone[seeds[0].id], result.tone[seeds[1].id]
    assert {"China", "Russia"} <= left.keys() & right.keys()
    assert left["United States"] < 0
    assert left["United States"] < right.get("United States", 0.0)
