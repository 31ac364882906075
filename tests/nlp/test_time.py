"""Time: temporal expressions normalised to ISO with a precision, or left unresolved with a reason.

The anchor in the hand-written cases is Thursday 23 March 2023, the publication
date of seed 000.
"""

from __future__ import annotations

from datetime import date
from itertools import pairwise
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from counterpoint.extract import extract
from counterpoint.nlp.time import TemporalMention, find_dates, normalise, parse_anchor
from counterpoint.schema import DateMention, Document, RawItem
from tests.shared import shared_path

A = date(2023, 3, 23)  # a Thursday
NO_DATE = "no publication date"


@pytest.fixture(scope="module")
def nlp() -> Any:
    from counterpoint.nlp.pipeline import load_nlp

    return load_nlp()


def _norm(text: str, anchor: date | None = A, **kwargs: Any) -> TemporalMention:
    found = normalise(text, anchor, **kwargs)
    assert found is not None, text
    return found


def _seed(name: str) -> Document:
    path = shared_path("corpus", "seeds", name)
    return extract(RawItem(source=str(path), text=path.read_text("utf-8"), format="text"))


def _by_text(mentions: list[TemporalMention]) -> dict[str, TemporalMention]:
    return {m.text: m for m in mentions}


def _offsets_hold(mentions: list[TemporalMention], text: str) -> None:
    for m in mentions:
        assert text[m.start:m.end] == m.text
    starts = [m.start for m in mentions]
    assert starts == sorted(starts)
    for a, b in pairwise(mentions):
        assert a.end <= b.start, (a, b)


# --- absolute expressions: the same with or without an anchor ----------------------------


@pytest.mark.parametrize(("text", "value", "precision"), [
    ("March 10, 2023", "2023-03-10", "day"),
    ("On March 10, 2023", "2023-03-10", "day"),
    ("10 March 2023", "2023-03-10", "day"),
    ("the 24th of February 2022", "2022-02-24", "day"),
    ("Friday, March 10, 2023", "2023-03-10", "day"),
    ("Feb. 24th, 2022", "2022-02-24", "day"),
    ("2023-03-10", "2023-03-10", "day"),
    ("25/03/2023", "2023-03-25", "day"),
    ("10/03/2023", "2023", "year"),  # day and month order unknown: only the year is sure
    ("March 2023", "2023-03", "month"),
    ("September 2022", "2022-09", "month"),
    ("Sept. 2022", "2022-09", "month"),
    ("2023-03", "2023-03", "month"),
    ("2022", "2022", "year"),
    ("in 2002", "2002", "year"),
    ("since 2014", "2014", "year"),
    ("the 1990s", "1990", "decade"),
    ("the late 1990s", "1990", "decade"),
    ("the '90s", "1990", "decade"),
    ("the nineties", "1990", "decade"),
    ("the 20th century", "1900", "century"),
    ("the twenty-first century", "2000", "century"),
    ("early 2022", "2022", "year"),
    ("mid-2022", "2022", "year"),
    ("the end of 2023", "2023", "year"),
    ("the first half of 2023", "2023", "year"),
    ("summer 2022", "2022", "year"),
    ("Q1 2023", "2023", "year"),
])
@pytest.mark.parametrize("anchor", [A, None])
def test_absolute_expressions_resolve_without_inventing_precision(
        text: str, value: str, precision: str, anchor: date | None) -> None:
    m = _norm(text, anchor)
    assert (m.value, m.precision, m.kind, m.reason) == (value, precision, "absolute", None)
    assert (m.start, m.end, m.text) == (0, len(text), text)


@pytest.mark.parametrize(("text", "value", "precision", "value_end"), [
    ("March 20-22, 2023", "2023-03-20", "day", "2023-03-22"),
    ("20–22 March 2023", "2023-03-20", "day", "2023-03-22"),
    ("March 30 - April 2, 2023", "2023-03-30", "day", "2023-04-02"),
    ("between 2014 and 2022", "2014", "year", "2022"),
    ("from 2014 to 2022", "2014", "year", "2022"),
    ("2014-2022", "2014", "year", "2022"),
    ("2022–23", "2022", "year", "2023"),
    ("from March to May 2023", "2023-03", "month", "2023-05"),
])
def test_ranges_give_their_start_and_keep_their_end(text: str, value: str, precision: str,
                                                     value_end: str) -> None:
    m = _norm(text, None)
    assert (m.value, m.precision, m.value_end) == (value, precision, value_end)


# --- relative expressions against the anchor ---------------------------------------------


@pytest.mark.parametrize(("text", "value", "precision", "approximate"), [
    # day and month without a year: the latest one on or before the anchor
    ("February 24", "2023-02-24", "day", False),
    ("on February 24", "2023-02-24", "day", False),
    ("24 February", "2023-02-24", "day", False),
    ("December 5", "2022-12-05", "day", False),
    ("next February 24", "2024-02-24", "day", False),
    # ... unless this year's falls within the next weeks: an upcoming day
    ("March 28", "2023-03-28", "day", False),
    ("February 29", "2020-02-29", "day", False),
    # months without a year
    ("last September", "2022-09", "month", False),
    ("Last September", "2022-09", "month", False),
    ("in September", "2022-09", "month", False),
    ("this September", "2023-09", "month", False),
    ("next September", "2023-09", "month", False),
    ("last March", "2022-03", "month", False),
    ("March", "2023-03", "month", False),
    ("mid-March", "2023-03", "month", False),
    ("in April", "2023-04", "month", False),  # at most two months ahead: upcoming
    # days named by their relation to today
    ("today", "2023-03-23", "day", False),
    ("tonight", "2023-03-23", "day", False),
    ("this morning", "2023-03-23", "day", False),
    ("yesterday", "2023-03-22", "day", False),
    ("last night", "2023-03-22", "day", False),
    ("tomorrow", "2023-03-24", "day", False),
    ("the day before yesterday", "2023-03-21", "day", False),
    # weekdays: the latest on or before the anchor
    ("Tuesday", "2023-03-21", "day", False),
    ("on Tuesday", "2023-03-21", "day", False),
    ("Tuesday evening", "2023-03-21", "day", False),
    ("on Thursday", "2023-03-23", "day", False),
    ("Friday", "2023-03-17", "day", False),
    ("last Tuesday", "2023-03-21", "day", False),
    ("last Thursday", "2023-03-16", "day", False),
    ("next Tuesday", "2023-03-28", "day", False),
    ("the early hours of Thursday morning", "2023-03-23", "day", False),
    ("over the weekend", "2023-03-18", "day", True),
    ("last weekend", "2023-03-18", "day", True),
    ("this weekend", "2023-03-25", "day", True),
    # weeks, months, years, decades, centuries
    ("this week", "2023-03", "month", False),
    ("last week", "2023-03", "month", False),
    ("next week", "2023-03", "month", True),  # 27 March - 2 April spans two months
    ("this month", "2023-03", "month", False),
    ("earlier this month", "2023-03", "month", False),
    ("last month", "2023-02", "month", False),
    ("next month", "2023-04", "month", False),
    ("this year", "2023", "year", False),
    ("earlier this year", "2023", "year", False),
    ("last year", "2022", "year", False),
    ("last year's", "2022", "year", False),
    ("next year", "2024", "year", False),
    ("by the end of the year", "2023", "year", False),
    ("this decade", "2020", "decade", False),
    ("this century", "2000", "century", False),
    ("last summer", "2022", "year", False),
    # counted back from the anchor
    ("three days ago", "2023-03-20", "day", False),
    ("a day ago", "2023-03-22", "day", False),
    ("a few days ago", "2023-03-20", "day", True),
    ("Only a few days ago", "2023-03-20", "day", True),
    ("days ago", "2023-03-20", "day", True),
    ("a couple of days ago", "2023-03-21", "day", True),
    ("two weeks ago", "2023-03-09", "day", True),
    ("six months ago", "2022-09", "month", False),
    ("a year ago", "2022-03", "month", True),
    ("about a year ago", "2022-03", "month", True),
    ("two years ago", "2021-03", "month", True),
    ("ten years ago", "2013", "year", False),
    ("some 20 years ago", "2003", "year", True),
    ("two decades ago", "2000", "decade", True),
])
def test_relative_expressions_resolve_against_the_anchor(
        text: str, value: str, precision: str, approximate: bool) -> None:
    m = _norm(text)
    assert (m.value, m.precision, m.approximate) == (value, precision, approximate)
    assert m.kind == "relative"
    assert m.reason is None


@pytest.mark.parametrize("text", [
    "February 24", "last September", "in September", "a year ago", "Only a few days ago",
    "yesterday", "today", "on Tuesday", "this week", "next month", "last year",
    "the weekend", "earlier this year", "this century", "mid-March", "March 20-22",
])
def test_relative_expressions_without_an_anchor_carry_a_reason(text: str) -> None:
    m = _norm(text, None)
    assert m.value is None and m.precision is None
    assert m.kind == "relative"
    assert m.reason is not None and NO_DATE in m.reason


def test_vague_reasons_say_when_they_look_ahead() -> None:
    assert _norm("in the coming days").reason == "too vague: 'the coming days' (the future)"
    assert _norm("recently").reason == "too vague: 'recently'"


def test_day_month_reasons_say_what_is_missing() -> None:
    assert "without a year" in (_norm("February 24", None).reason or "")
    assert "month without a year" in (_norm("in September", None).reason or "")


def test_tense_decides_between_the_last_and_the_next() -> None:
    assert _norm("on Tuesday", tense="future").value == "2023-03-28"
    assert _norm("on Thursday", tense="future").value == "2023-03-23"
    assert _norm("March 28", tense="past").value == "2022-03-28"
    assert _norm("February 24", tense="future").value == "2024-02-24"
    assert _norm("in September", tense="future").value == "2023-09"
    assert _norm("in April", tense="past").value == "2022-04"
    assert _norm("the weekend", tense="future").value == "2023-03-25"


def test_a_year_from_the_sentence_wins_over_the_anchor() -> None:
    assert _norm("March 22", year_hint=2014).value == "2014-03-22"
    assert _norm("March 22", None, year_hint=2014).value == "2014-03-22"
    assert _norm("next March 22", year_hint=2014).value == "2024-03-22"  # the text says next


@pytest.mark.parametrize(("text", "kind", "reason_part"), [
    ("two days later", "relative", "another event"),
    ("the next day", "relative", "another event"),
    ("the following week", "relative", "another event"),
    ("that year", "relative", "another event"),
    ("the first day", "relative", "another event"),
    ("since the beginning of the war", "relative", "the war"),
    ("the start of the Russian invasion", "relative", "the Russian invasion"),
    ("since the war began", "relative", "the war"),
    ("For some weeks", "duration", "duration"),
    ("some weeks", "duration", "duration"),
    ("a few weeks", "duration", "duration"),
    ("a year", "duration", "duration"),
    ("almost three full days", "duration", "duration"),
    ("the past year", "duration", "duration"),
    ("over the last decade", "duration", "duration"),
    ("decades", "duration", "duration"),
    ("the next two years", "duration", "duration"),
    ("over the next few weeks", "duration", "duration"),
    ("the last 40 years", "duration", "duration"),
    ("the past few years", "duration", "duration"),
    ("the following three days", "duration", "duration"),
    ("every year", "set", "recurring"),
    ("each Monday", "set", "recurring"),
    ("annually", "set", "recurring"),
    ("Mondays", "set", "recurring"),
    ("in the coming days", "vague", "too vague"),
    ("the coming weeks", "vague", "too vague"),
    ("in the long term", "vague", "too vague: 'the long term'"),
    ("recently", "vague", "too vague"),
    ("the foreseeable future", "vague", "too vague"),
    ("in recent years", "vague", "too vague"),
    ("years ago", "vague", "too vague"),
])
@pytest.mark.parametrize("anchor", [A, None])
def test_what_is_not_a_point_in_time_says_why(text: str, kind: str, reason_part: str,
                                               anchor: date | None) -> None:
    m = _norm(text, anchor)
    assert m.value is None and m.precision is None
    assert m.kind == kind
    assert m.reason is not None and reason_part in m.reason


@pytest.mark.parametrize("text", [
    "three-day", "five-year", "12-year-old", "24-hour", "year-long", "45 years old",
    "aged 45", "his 40s", "40th", "the 40th", "first", "123", "12", "10 a.m.", "14:30", "",
])
def test_what_is_not_temporal_is_dropped(text: str) -> None:
    assert normalise(text, A) is None
    assert normalise(text, None) is None


def test_parse_anchor() -> None:
    assert parse_anchor("2023-03-23") == A
    assert parse_anchor("2023-03-23T10:00:00+01:00") == A
    assert parse_anchor(A) == A
    assert parse_anchor("2023-03") is None
    assert parse_anchor("2023-02-30") is None
    assert parse_anchor(None) is None


def test_mention_maps_to_the_contract() -> None:
    m = _norm("a year ago")
    item = m.to_schema()
    assert isinstance(item, DateMention)
    assert (item.text, item.value, item.precision, item.start, item.end) == (
        "a year ago", "2022-03", "month", 0, 10)
    assert m.as_dict()["approximate"] is True


# --- finding the expressions in a text ---------------------------------------------------


def test_plain_text_uses_the_patterns_alone() -> None:
    text = ("After the law was enacted in 2002, talks resumed on March 20-22, 2023 and again "
            "in September. For some weeks nothing happened; in the long term, who knows.")
    found = find_dates(text, A)
    _offsets_hold(found, text)
    by = _by_text(found)
    assert by["2002"].value == "2002"
    assert (by["March 20-22, 2023"].value, by["March 20-22, 2023"].value_end) == (
        "2023-03-20", "2023-03-22")
    assert by["September"].value == "2022-09"
    assert by["For some weeks"].kind == "duration"
    assert by["in the long term"].kind == "vague"


def test_numbers_that_are_not_years_are_left_alone() -> None:
    text = "It cost $2000 and affected 1500 people in 123 countries."
    assert find_dates(text, A) == []


@pytest.mark.parametrize(("sentence", "expected"), [
    ("Russia invaded Ukraine on February 24, 2022.", {"February 24, 2022": "2022-02-24"}),
    ("The summit was held March 20-22, 2023 in Moscow.", {"March 20-22, 2023": "2023-03-20"}),
    ("The talks took place between 2014 and 2022.", {"between 2014 and 2022": "2014"}),
    ("Elections were held in 2014 and 2022.", {"2014": "2014", "2022": "2022"}),
    ("In the 1990s, relations were poor.", {"the 1990s": "1990"}),
    ("Since 2014, Russia has occupied Crimea.", {"2014": "2014"}),
    ("The minister resigned yesterday.", {"yesterday": "2023-03-22"}),
    ("Last September, Putin met Xi.", {"Last September": "2022-09"}),
    ("Sanctions were imposed in early 2022 and again in mid-March.",
     {"early 2022": "2022", "mid-March": "2023-03"}),
    ("This week, officials met in Beijing; last week they met in Delhi.",
     {"This week": "2023-03", "last week": "2023-03"}),
    ("The war began in the early hours of Thursday morning.",
     {"the early hours of Thursday morning": "2023-03-23"}),
    ("Over the weekend, protests spread.", {"Over the weekend": "2023-03-18"}),
    ("Theresa May resigned in May 2019.", {"May 2019": "2019-05"}),
    ("The pandemic of 2020–21 hit hard.", {"2020–21": "2020"}),
])
def test_sentences(nlp: Any, sentence: str, expected: dict[str, str]) -> None:
    found = find_dates(nlp(sentence), A)
    _offsets_hold(found, sentence)
    assert {m.text: m.value for m in found if m.value is not None} == expected


def test_the_verb_tense_picks_the_day(nlp: Any) -> None:
    said = find_dates(nlp("He said on Tuesday that talks will resume next month."), A)
    assert [(m.text, m.value) for m in said] == [("Tuesday", "2023-03-21"),
                                                 ("next month", "2023-04")]
    travel = find_dates(nlp("The minister will travel to Beijing on Tuesday."), A)
    assert [m.value for m in travel] == ["2023-03-28"]
    expected = find_dates(nlp("The leaders are expected to meet on Friday."), A)
    assert [m.value for m in expected] == ["2023-03-24"]
    vote = find_dates(nlp("The vote took place on March 28."), A)
    assert [m.value for m in vote] == ["2022-03-28"]
    upcoming = find_dates(nlp("The vote will take place on March 28."), A)
    assert [m.value for m in upcoming] == ["2023-03-28"]


def test_a_full_date_lends_its_year_to_a_day_month_in_its_sentence(nlp: Any) -> None:
    text = "On March 20, 2014, the treaty was signed, and on March 22 the troops moved."
    by = _by_text(find_dates(nlp(text), A))
    assert by["March 20, 2014"].value == "2014-03-20"
    assert by["March 22"].value == "2014-03-22"
    # without an anchor too
    by = _by_text(find_dates(nlp(text), None))
    assert by["March 22"].value == "2014-03-22"


def test_non_temporal_date_entities_are_filtered(nlp: Any) -> None:
    text = ("The three-day meeting marked the 40th encounter. A 12-year-old boy and a man, "
            "45 years old, were hurt in the five-year plan's first year.")
    found = find_dates(nlp(text), A)
    texts = {m.text for m in found}
    assert not texts & {"three-day", "40th", "12-year-old", "45 years", "45 years old",
                        "five-year"}


def test_spans_and_lists_of_spans(nlp: Any) -> None:
    doc = nlp("Nothing happened in 2001. The law was enacted in 2002. Talks began yesterday.")
    sents = list(doc.sents)
    in_second = find_dates(sents[1], A)
    assert [(m.text, m.value) for m in in_second] == [("2002", "2002")]
    m = in_second[0]
    assert doc.text[m.start:m.end] == "2002"  # offsets into the document
    every = find_dates(sents, A)
    assert [m.value for m in every] == ["2001", "2002", "2023-03-22"]
    assert every == find_dates(doc, A)


def test_offsets_and_no_overlaps_on_a_dense_text(nlp: Any) -> None:
    text = ("On Tuesday, March 21, 2023, a year after the invasion of February 24, 2022, "
            "ministers met for three days; two days later, on March 23, they left. Since the "
            "beginning of the war, in the 2020s, every year, the summit has met in June or "
            "July, last year in Q1 2022, and next week, or in the coming days, perhaps.")
    found = find_dates(nlp(text), A)
    _offsets_hold(found, text)
    by = _by_text(found)
    assert by["Tuesday, March 21, 2023"].value == "2023-03-21"
    assert by["February 24, 2022"].value == "2022-02-24"
    assert by["March 23"].value == "2023-03-23"
    assert by["Q1 2022"].value == "2022"


# --- the seeds ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def analysis() -> Document:
    return _seed("000_65b1ef5a0d5ea50e.txt")


@pytest.fixture(scope="module")
def comment() -> Document:
    return _seed("002_c08222278913e595.txt")


def test_seed_analysis_resolves_against_its_publication_date(nlp: Any,
                                                             analysis: Document) -> None:
    anchor = parse_anchor(analysis.published)
    assert anchor == A
    body = analysis.body
    found = find_dates(nlp(body), anchor)
    _offsets_hold(found, body)
    by = _by_text(found)

    year_ago = by["a year ago"]  # "since the Russian invasion of Ukraine a year ago"
    assert year_ago.value is not None and year_ago.value.startswith("2022")
    assert "2022-02" <= year_ago.value <= "2022-04"
    assert year_ago.approximate

    days_ago = by["Only a few days ago"]  # the ICC warrant: 17 March 2023
    assert days_ago.precision == "day" and days_ago.value is not None
    assert "2023-03-13" <= days_ago.value < "2023-03-23"
    assert days_ago.approximate

    assert (by["February 24"].value, by["February 24"].precision) == ("2023-02-24", "day")
    assert (by["2002"].value, by["2002"].precision) == ("2002", "year")

    assert by["almost three full days"].kind == "duration"
    assert by["For some weeks"].kind == "duration"
    assert by["in the coming days"].kind == "vague"
    assert by["in the long term"].kind == "vague"
    assert by["since the beginning of the war"].reason is not None
    assert not any(m.text in {"first", "First", "two", "123"} for m in found)


def test_seed_analysis_footnote_date(nlp: Any, analysis: Document) -> None:
    note = analysis.footnotes[0].text
    found = find_dates(nlp(note), parse_anchor(analysis.published))
    _offsets_hold(found, note)
    by = _by_text(found)
    assert (by["March 10, 2023"].value, by["March 10, 2023"].precision) == ("2023-03-10", "day")
    assert by["seven years"].kind == "duration"


def test_seed_analysis_raw_text() -> None:
    path = shared_path("corpus", "seeds", "000_65b1ef5a0d5ea50e.txt")
    text = path.read_text("utf-8")
    found = find_dates(text, A)
    _offsets_hold(found, text)
    values = {m.text: m.value for m in found}
    assert values["March 10, 2023"] == "2023-03-10"
    assert values["March 23, 2023"] == "2023-03-23"
    assert values["February 24"] == "2023-02-24"


def test_seed_comment_has_no_publication_date(nlp: Any, comment: Document) -> None:
    assert comment.published is None
    body = comment.body
    found = find_dates(nlp(body), parse_anchor(comment.published))
    _offsets_hold(found, body)
    by = _by_text(found)
    assert (by["March 20, 2023"].value, by["March 20, 2023"].precision) == ("2023-03-20", "day")
    assert (by["2022"].value, by["2022"].precision) == ("2022", "year")
    assert (by["September 2022"].value, by["September 2022"].precision) == ("2022-09", "month")
    # "The three-day meeting – marking the 40th physical encounter": not dates
    assert not {"three-day", "40th"} & set(by)
    assert by["the first day"].value is None and by["the first day"].reason
    assert by["the foreseeable future"].kind == "vague"
    for m in found:
        if m.kind != "absolute":
            assert m.value is None and m.reason


def test_seed_comment_relative_expressions_without_anchor() -> None:
    for text in ("a year ago", "February 24", "last September", "yesterday"):
        m = _norm(text, None)
        assert m.value is None and NO_DATE in (m.reason or "")


# --- properties --------------------------------------------------------------------------

_ISO = r"\d{4}(-\d{2}(-\d{2})?)?"
_PIECES = ["March", "May", "Sept.", "24", "2022", "1990s", "'90s", "last", "next", "this",
           "ago", "a", "few", "days", "year", "weeks", "Tuesday", "the", "of", "end", "early",
           "mid-", "-", "–", "to", "and", "between", "since", ",", "in", "on", "30", "31", "2",
           "Feb", "29", "century", "21st", "old", "three-day", "weekend", "yesterday", "."]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=7),
       st.sampled_from([A, date(2024, 2, 29), date(2023, 1, 1), date(2022, 12, 31), None]))
def test_normalise_never_fails_and_values_are_iso(words: list[str], anchor: date | None) -> None:
    import re

    text = " ".join(words)
    m = normalise(text, anchor)
    if m is None:
        return
    assert (m.value is None) == (m.precision is None)
    assert (m.value is None) == (m.reason is not None)
    if m.value is not None:
        assert re.fullmatch(_ISO, m.value)
        if len(m.value) == 10:
            date.fromisoformat(m.value)
    if m.value_end is not None:
        assert m.value is not None and m.value <= m.value_end


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from([*_PIECES, "Putin", "said", "will", "meet", "\n"]),
                max_size=25))
def test_found_offsets_always_point_at_the_text(words: list[str]) -> None:
    text = " ".join(words)
    found = find_dates(text, A)
    _offsets_hold(found, text)
