"""Golden tests on the two reference pages in ../shared/corpus/seeds.

Each assertion is what a careful reader of the page would write down: the
"must contain / must not contain" style of trafilatura's real-world tests.
"""

from __future__ import annotations

import pytest

from counterpoint.extract import extract
from counterpoint.schema import Document, RawItem
from tests.shared import shared_path

ANALYSIS = "000_65b1ef5a0d5ea50e.txt"
COMMENT = "002_c08222278913e595.txt"


def _extract(name: str) -> Document:
    path = shared_path("corpus", "seeds", name)
    return extract(RawItem(source=str(path), text=path.read_text("utf-8"), format="text"))


@pytest.fixture(scope="module")
def analysis() -> Document:
    return _extract(ANALYSIS)


@pytest.fixture(scope="module")
def comment() -> Document:
    return _extract(COMMENT)


def test_analysis_header(analysis: Document) -> None:
    assert analysis.title == "What’s Behind Xi Jinping’s Visit to Moscow?"
    assert analysis.subtitle is not None
    assert analysis.subtitle.startswith("Chinese president Xi Jinping has visited Moscow")
    assert [a.name for a in analysis.authors] == ["Wolfgang Mandelbaum"]
    assert analysis.published == "2023-03-23"
    assert analysis.published_estimated is False
    assert analysis.language == "en"


def test_analysis_body_bounds(analysis: Document) -> None:
    body = analysis.body
    assert body.startswith("Chinese president Xi Jinping has just completed his first visit")
    assert body.endswith("within the framework of these international frictions and tensions.")
    for chrome in ("Facebook", "Image: AFP", "Share", "Berlinale", "Olivia Wood",
                   "originally appeared", "March 23, 2023"):
        assert chrome not in body


def test_analysis_headings(analysis: Document) -> None:
    headings = [s.heading for s in analysis.sections if s.heading]
    assert headings == ["A Visit amid the Specter of War in Ukraine",
                        "Strengthening Bilateral Trade Relations and a Geopolitical Alliance"]
    assert analysis.sections[0].heading is None
    assert analysis.sections[0].text.startswith("Chinese president Xi Jinping")


def test_analysis_footnote_leaves_body(analysis: Document) -> None:
    assert len(analysis.footnotes) == 1
    note = analysis.footnotes[0]
    assert note.marker == "1"
    assert note.text.startswith("On March 10, 2023, in a deal brokered by China")
    assert note.text.endswith("non-interference in internal affairs.”")
    # the note's text was inlined after the marker by the scraper; it leaves the body
    assert "in a deal brokered by China" not in analysis.body
    assert "Iran and Saudi Arabia,[1] China would like to do the same" in analysis.body


def test_analysis_provenance(analysis: Document) -> None:
    assert len(analysis.provenance) == 1
    record = analysis.provenance[0]
    assert record.relation == "translation"
    assert record.language == "French"
    assert record.date == "2023-03-21"
    assert record.source == "Révolution Permanente"


def test_analysis_related_teasers(analysis: Document) -> None:
    titles = [r.title for r in analysis.related]
    assert len(titles) == 8
    assert titles[0] == "Berlinale: Filmmakers Say What the Rest of the World is Saying"
    assert titles[-1] == "U.S. Higher Education Is Being Gutted, but We Can Fight Back"
    assert analysis.related[0].author == "Nathaniel Flakin"
    assert analysis.related[0].date == "2024-02-28"
    # image captions above a teaser are not its title
    assert not any(t.startswith(("Black UAW workers", "A banner reads")) for t in titles)


def test_comment_header(comment: Document) -> None:
    assert comment.title == "Xi Jinping’s Visit to Moscow in March 2023"
    assert comment.series == "Quick Comment"
    assert comment.publisher == "SCEEUS"
    assert comment.published is None  # the page prints no date; none is invented
    assert comment.authors == []


def test_comment_body_bounds(comment: Document) -> None:
    body = comment.body
    assert body.startswith("On March 20, 2023, Chinese President Xi made his first visit")
    assert body.endswith("China will continue to facilitate the Russian war efforts.")
    for chrome in ("Start / Publikationer", "Quick Comment", "Relaterade inlägg"):
        assert chrome not in body


def test_comment_expert_voices(comment: Document) -> None:
    voices = [(s.voice.name, s.voice.role, s.voice.affiliation)
              for s in comment.sections if s.voice]
    assert voices == [
        ("Hugo von Essen", "analyst", "SCEEUS"),
        ("Christopher Weidacher Hsiung", "China analyst", "FOI"),
        ("Patrik Andersson", "analyst", "NKK"),
    ]
    intro = comment.sections[0]
    assert intro.voice is None and intro.text.startswith("On March 20, 2023")
    by_name = {s.voice.name: s.text for s in comment.sections if s.voice}
    assert by_name["Hugo von Essen"].startswith("For Russia, Xi’s visit plays a crucial role")
    assert by_name["Patrik Andersson"].endswith("facilitate the Russian war efforts.")
    assert "12-point position paper" in by_name["Christopher Weidacher Hsiung"]


def test_comment_has_no_notes_or_teasers(comment: Document) -> None:
    assert comment.footnotes == []
    assert comment.provenance == []
    assert comment.related == []


def test_a_headline_alone_is_its_own_body() -> None:
    """Regression: a one-line JSONL item (a headline) came out as "no article text found"."""
    doc = extract(RawItem(source="h.jsonl:1", id="h1", format="text",
                          text="Xi arrives in Moscow for talks with Putin"))
    assert doc.body == "Xi arrives in Moscow for talks with Putin"
    assert doc.id == "h1"
