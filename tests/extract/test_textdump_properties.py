"""Properties of the text-dump extractor that hold for any input.

The body is made of the page's own lines: the extractor may drop lines and move
notes out, but it never invents, merges, splits or reorders text. A paragraph
with a footnote marker (``[1]``) is the one exception: the note's inlined text
was cut out of it.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from counterpoint.extract.textdump import extract_text

SETTINGS = settings(max_examples=200, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])

_WIRE = ("the minister said on Monday that talks with Moscow and Beijing would continue "
         "despite sanctions, according to officials who spoke to reporters in Geneva; "
         "analysts expect little progress before the summit in autumn while the ceasefire "
         "holds along the border region")
WORDS = _WIRE.split()
NAMES = ["Maria Rossi", "Wolfgang Mandelbaum", "Ann Lee", "Lars Berg", "Eva Holm"]
ROLES = ["senior fellow", "director", "researcher", "professor of politics"]
ORGS = ["Institute for Security Studies", "Daily Ledger", "Stockholm University"]

sentence = st.lists(st.sampled_from(WORDS), min_size=4, max_size=24).map(
    lambda ws: (" ".join(ws)).capitalize() + ".")
prose = st.lists(sentence, min_size=1, max_size=4).map(" ".join)
footnoted = st.tuples(prose, st.integers(1, 9), prose).map(
    lambda t: f"{t[0]}{t[1]} {t[2]}")
footnote = st.tuples(st.integers(1, 9), prose).map(lambda t: f"{t[0]} {t[1]}")
heading = st.lists(st.sampled_from(WORDS), min_size=1, max_size=6).map(
    lambda ws: " ".join(ws).title())
chrome = st.sampled_from(["Home", "Share", "Facebook", "Twitter", "Subscribe", "Menu",
                          "Sign in", "Read more", "Advertisement", "Share this article",
                          "Home / World / Europe", "Home > News > Politics",
                          "© 2024 Daily Ledger. All rights reserved."])
dateline = st.sampled_from(["March 23, 2023", "23 March 2023", "2023-03-21",
                            "Published 21.03.2023", "Updated 1:39 am EST, Wednesday, "
                            "March 22, 2023", "le 21 mars 2023"])
byline = st.sampled_from(NAMES).map(lambda n: f"By {n}")
name = st.sampled_from(NAMES)
voice = st.tuples(st.sampled_from(NAMES), st.sampled_from(ROLES), st.sampled_from(ORGS)).map(
    ", ".join)
provenance = st.sampled_from([
    "This article originally appeared in French on March 21, 2023 in Révolution Permanente.",
    "This piece was first published on 2023-03-20 by the Daily Ledger.",
    "Translated from the German by Ann Lee.",
])
url = st.sampled_from(["https://example.org/world/2023/03/xi-moscow",
                       "www.ledger.example/subscribe"])
series = st.sampled_from(["Quick Comment - insights from our experts on current events",
                          "Analysis | what the deal means for the region and beyond"])
noise = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)
blank = st.sampled_from(["", " ", "\t", "   "])
padding = st.sampled_from(["", " ", "  ", "\t"])

line = st.tuples(padding, st.one_of(
    prose, prose, prose, footnoted, footnote, heading, chrome, dateline, byline, name, voice,
    provenance, url, series, noise, blank), padding).map("".join)
dump = st.lists(line, max_size=40).map("\n".join)


def _normalised_lines(text: str) -> list[str]:
    return [" ".join(raw.split()) for raw in text.splitlines()]


def _paragraphs(body: str) -> list[str]:
    return body.split("\n\n") if body else []


def _check_body_is_made_of_input_lines(text: str) -> None:
    result = extract_text(text)
    lines = _normalised_lines(text)
    position = -1
    for paragraph in _paragraphs(result.body):
        assert paragraph.strip(), repr(result.body)
        if "[" in paragraph:
            continue  # a footnote marker replaced the note's inlined text
        # the paragraph is one whole input line, found after the previous one
        later = [i for i, candidate in enumerate(lines) if i > position and candidate == paragraph]
        assert later, f"{paragraph!r} is not an input line after line {position}"
        position = later[0]


@SETTINGS
@given(st.text())
def test_never_raises_on_any_text(text: str) -> None:
    result = extract_text(text)
    assert isinstance(result.body, str)
    for section in result.sections:
        assert isinstance(section.text, str)


@SETTINGS
@given(dump)
def test_never_raises_on_page_like_text(text: str) -> None:
    result = extract_text(text)
    assert isinstance(result.body, str)
    assert result.published is None or len(result.published) in (4, 7, 10)


@SETTINGS
@given(st.text())
def test_body_paragraphs_are_input_lines_in_order_any_text(text: str) -> None:
    _check_body_is_made_of_input_lines(text)


@SETTINGS
@given(dump)
def test_body_paragraphs_are_input_lines_in_order(text: str) -> None:
    _check_body_is_made_of_input_lines(text)


@SETTINGS
@given(st.lists(prose, min_size=3, max_size=8, unique=True))
def test_an_article_of_prose_lines_comes_out_whole(paragraphs: list[str]) -> None:
    # long enough paragraphs with nothing around them: all of them are the body
    long = [p for p in paragraphs if len(p.split()) >= 12]
    text = "\n".join(["Home", "World", *long, "Share this article"])
    result = extract_text(text)
    if len(long) >= 2:
        for paragraph in long:
            assert paragraph in _paragraphs(result.body)
        assert "Share this article" not in result.body


@SETTINGS
@given(dump, st.sampled_from(["\r\n", "\n\n", "\r"]))
def test_line_endings_do_not_change_the_body(text: str, newline: str) -> None:
    assert extract_text(text.replace("\n", newline)).body == extract_text(text).body
