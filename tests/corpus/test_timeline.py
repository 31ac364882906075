"""Timeline: ordering across date precisions, merging reports of one event, duplicates, filters."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from counterpoint.corpus.timeline import TimelineEntry, period, timeline
from counterpoint.schema import Actor, Analysis, RawItem
from tests.corpus.factories import (
    CHINA,
    IRAN,
    PUTIN,
    RUSSIA,
    SAUDI,
    UKRAINE,
    XI,
    analysis,
    event,
)

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "corpus"


def _visit(date_value: str | None, doc_id: str, *, published: str | None = "2023-03-25",
           publisher: str | None = None) -> Analysis:
    sentence = f"Xi Jinping paid a state visit to Moscow ({doc_id})."
    return analysis(doc_id, event("CONSULT", XI, RUSSIA, date_value, mode="visit",
                                  sentence=sentence, holder="the author"),
                    published=published, publisher=publisher)


# --- dates --------------------------------------------------------------------------------

def test_period_spans_and_containment() -> None:
    day, month, year = period("2023-03-20"), period("2023-03"), period("2023")
    assert day and month and year
    assert (day.precision, month.precision, year.precision) == ("day", "month", "year")
    assert month.start == date(2023, 3, 1) and month.end == date(2023, 3, 31)
    assert year.contains(month) and month.contains(day) and day.contains(day)
    assert not day.contains(month)
    decade = period("1990", "decade")
    assert decade and decade.end == date(1999, 12, 31) and decade.label() == "1990s"
    # a precision coarser than the value cuts it; a finer one is ignored
    coarse = period("2023-03-20", "month")
    assert coarse and coarse.value == "2023-03"
    fine = period("2023-03", "day")
    assert fine and fine.precision == "month"
    assert period(None) is None and period("2023-02-30") is None and period("soon") is None
    december = period("2023-12")
    assert december and december.end == date(2023, 12, 31)


def test_order_puts_a_coarse_date_at_the_end_of_its_period() -> None:
    docs = [analysis("d1",
                     event("AGREE", IRAN, SAUDI, "2023", sentence="A year event."),
                     event("CONSULT", XI, RUSSIA, "2023-03", sentence="A month event."),
                     event("ACCUSE", UKRAINE, RUSSIA, "2023-03-31", sentence="March 31."),
                     event("SUPPORT", CHINA, RUSSIA, "2023-03-20", sentence="March 20."),
                     event("ASSAULT", RUSSIA, UKRAINE, "2023-04-01", sentence="April 1."),
                     event("REJECT", CHINA, UKRAINE, "2022-12-31", sentence="Last year."),
                     event("THREATEN", RUSSIA, UKRAINE, None, sentence="Undated."))]
    entries = timeline(docs)
    assert [(e.date, e.type) for e in entries] == [
        ("2022-12-31", "REJECT"),
        ("2023-03-20", "SUPPORT"),
        ("2023-03-31", "ACCUSE"),
        ("2023-03", "CONSULT"),
        ("2023-04-01", "ASSAULT"),
        ("2023", "AGREE"),
    ]
    assert [e.precision for e in entries][3:] == ["month", "day", "year"]
    # undated events only on request, after the dated ones
    with_undated = timeline(docs, undated=True)
    assert len(with_undated) == 7
    assert with_undated[-1].date is None and with_undated[-1].type == "THREATEN"
    assert with_undated[-1].summary.startswith("undated · THREATEN")


# --- merging ------------------------------------------------------------------------------

def test_one_visit_in_three_documents_is_one_entry_with_three_reports() -> None:
    docs = [_visit("2023-03", "wire", publisher="Meridian Wire", published="2023-03-21"),
            _visit("2023-03-20", "institute", publisher="IOSS", published=None),
            _visit(None, "magazine", publisher="Red Compass", published="2023-03-24")]
    [entry] = timeline(docs)
    assert (entry.date, entry.precision) == ("2023-03-20", "day")
    assert entry.summary == "2023-03-20 · CONSULT (visit) · Xi Jinping → Russia"
    assert entry.documents == 3 and len(entry.reports) == 3
    assert entry.source and entry.source.id == XI.id and entry.source.country == "CHN"
    assert entry.target and entry.target.type == "state"
    # reports by publication date, undated publications last; each keeps its own date
    assert [(r.doc, r.publisher, r.date) for r in entry.reports] == [
        ("wire", "Meridian Wire", "2023-03"),
        ("magazine", "Red Compass", None),
        ("institute", "IOSS", "2023-03-20"),
    ]
    report = entry.reports[0]
    assert report.sentence == "Xi Jinping paid a state visit to Moscow (wire)."
    assert (report.start, report.end) == (0, len(report.sentence))
    assert report.holder == "the author" and report.modality == "asserted"
    assert report.title == "Title of wire" and not report.negated
    assert entry.model_dump(mode="json")["reports"][0]["doc"] == "wire"


def test_reciprocal_types_merge_both_ways_directed_types_do_not() -> None:
    docs = [analysis("a", event("AGREE", IRAN, SAUDI, "2023-03-10"),
                     event("ACCUSE", RUSSIA, UKRAINE, "2023-03-10")),
            analysis("b", event("AGREE", SAUDI, IRAN, "2023-03-10"),
                     event("ACCUSE", UKRAINE, RUSSIA, "2023-03-10"))]
    entries = timeline(docs)
    agree = [e for e in entries if e.type == "AGREE"]
    accuse = [e for e in entries if e.type == "ACCUSE"]
    assert len(agree) == 1 and agree[0].documents == 2
    assert len(accuse) == 2


def test_different_modes_and_disjoint_days_stay_apart() -> None:
    docs = [analysis("a", event("CONSULT", XI, RUSSIA, "2023-03-20", mode="visit")),
            analysis("b", event("CONSULT", XI, RUSSIA, "2023-03-20", mode="phone")),
            analysis("c", event("CONSULT", XI, RUSSIA, "2023-03-20")),
            analysis("d", event("CONSULT", XI, RUSSIA, "2023-03-21", mode="visit"))]
    entries = timeline(docs)
    # the mode-less report joins the first mode it meets (documents in order: a's visit)
    assert [(e.date, e.mode, sorted(r.doc for r in e.reports)) for e in entries] == [
        ("2023-03-20", "phone", ["b"]),
        ("2023-03-20", "visit", ["a", "c"]),
        ("2023-03-21", "visit", ["d"]),
    ]


def test_a_coarse_report_joins_the_best_supported_finer_entry() -> None:
    docs = [analysis("a", event("CONSULT", XI, RUSSIA, "2023-03-20")),
            analysis("b", event("CONSULT", XI, RUSSIA, "2023-03-22")),
            analysis("c", event("CONSULT", XI, RUSSIA, "2023-03-22")),
            analysis("d", event("CONSULT", XI, RUSSIA, "2023-03")),
            analysis("e", event("CONSULT", XI, RUSSIA, "2023-04"))]
    entries = timeline(docs)
    assert [(e.date, sorted(r.doc for r in e.reports)) for e in entries] == [
        ("2023-03-20", ["a"]), ("2023-03-22", ["b", "c", "d"]), ("2023-04", ["e"])]


def test_an_undated_report_joins_only_an_unambiguous_entry() -> None:
    two_visits = [analysis("may", event("CONSULT", XI, RUSSIA, "2023-05-10")),
                  analysis("march", event("CONSULT", XI, RUSSIA, "2023-03-20"))]
    # no publication date: two candidates, so it stays undated
    undated = analysis("undated", event("CONSULT", XI, RUSSIA), published=None)
    entries = timeline([*two_visits, undated], undated=True)
    assert [sorted(r.doc for r in e.reports) for e in entries] == [
        ["march"], ["may"], ["undated"]]
    # published in April: the latest visit before publication is March's
    april = analysis("april", event("CONSULT", XI, RUSSIA), published="2023-04-02")
    entries = timeline([*two_visits, april])
    assert [sorted(r.doc for r in e.reports) for e in entries] == [["april", "march"], ["may"]]
    # an unknown side never joins a dated entry ("It visited Russia")
    vague = analysis("vague", event("CONSULT", "It", RUSSIA))
    entries = timeline([two_visits[1], vague], undated=True)
    assert [e.documents for e in entries] == [1, 1]


def test_unknown_actors_do_not_merge_and_names_resolve_through_aliases() -> None:
    docs = [analysis("a", event("SUPPORT", "leaders", None, "2023-03-21")),
            analysis("b", event("SUPPORT", "leaders", None, "2023-03-21")),
            # a bare name the document knows as an alias resolves to the actor
            analysis("c", event("CONSULT", "Xi", "Kremlin", "2023-03-20")),
            analysis("d", event("CONSULT", XI, RUSSIA, "2023-03-20"))]
    entries = timeline(docs)
    assert [(e.type, e.documents) for e in entries] == [
        ("CONSULT", 2), ("SUPPORT", 1), ("SUPPORT", 1)]
    assert entries[1].summary == "2023-03-21 · SUPPORT · leaders → ?"
    consult = next(e for e in entries if e.type == "CONSULT")
    assert consult.source and consult.source.id == XI.id
    assert consult.target and consult.target.id == RUSSIA.id


def test_negation_is_kept_per_report_and_summarised() -> None:
    docs = [analysis("a", event("AID", CHINA, RUSSIA, "2023-03", negated=True)),
            analysis("b", event("AID", CHINA, RUSSIA, "2023-03", negated=True))]
    [entry] = timeline(docs)
    assert entry.negated and not entry.contested and entry.summary.endswith("· negated")
    docs.append(analysis("c", event("AID", CHINA, RUSSIA, "2023-03")))
    [entry] = timeline(docs)
    assert not entry.negated and entry.contested
    assert entry.summary.endswith("negated by some reports")


def test_location_is_the_most_reported() -> None:
    docs = [analysis("a", event("CONSULT", XI, PUTIN, "2023-03-20", location="Moscow")),
            analysis("b", event("CONSULT", PUTIN, XI, "2023-03-20", location="the Kremlin")),
            analysis("c", event("CONSULT", XI, PUTIN, "2023-03-20", location="Moscow"))]
    [entry] = timeline(docs)
    assert entry.location == "Moscow"
    # the orientation most reports give
    assert entry.source and entry.source.id == XI.id


# --- duplicates and filters ---------------------------------------------------------------

def test_duplicates_map_collapses_copies_of_one_text() -> None:
    copies = [_visit("2023-03-20", doc_id) for doc_id in ("copy1", "orig", "copy2")]
    other = _visit("2023-03-20", "other")
    duplicates = {"copy1": "orig", "copy2": "copy1"}   # chains are followed
    [entry] = timeline([*copies, other], duplicates=duplicates)
    assert entry.documents == 2
    by_doc = {r.doc: r for r in entry.reports}
    # the canonical document is read even though a copy came first
    assert set(by_doc) == {"orig", "other"}
    assert sorted(by_doc["orig"].copies) == ["copy1", "copy2"] and by_doc["other"].copies == []
    # without the map, every copy counts
    [entry] = timeline([*copies, other])
    assert entry.documents == 4


def test_actor_filter_by_id_name_and_alias() -> None:
    docs = [analysis("a", event("CONSULT", XI, RUSSIA, "2023-03-20"),
                     event("AGREE", IRAN, SAUDI, "2023-03-10"),
                     event("ACCUSE", "Kyiv Post", None, "2023-03-11"))]

    def types(entries: list[TimelineEntry]) -> list[str]:
        return [e.type for e in entries]

    assert types(timeline(docs, actor="kremlin")) == ["CONSULT"]
    assert types(timeline(docs, actor="state:RUS")) == ["CONSULT"]
    assert types(timeline(docs, actor="  xi   JINPING ")) == ["CONSULT"]
    assert types(timeline(docs, actor="Tehran")) == ["AGREE"]
    assert types(timeline(docs, actor="Kyiv Post")) == ["ACCUSE"]
    assert timeline(docs, actor="Atlantis") == []


def test_alias_seen_in_another_document_still_filters() -> None:
    riyadh_only = Actor(id="state:SAU", name="Saudi Arabia", type="state",
                        aliases_seen=["Riyadh"], mentions=1)
    docs = [analysis("a", event("AGREE", IRAN, SAUDI, "2023-03-10"), actors=(IRAN, SAUDI)),
            analysis("b", event("REQUEST", SAUDI, None, "2023-03-12"),
                     actors=(riyadh_only,))]
    assert [e.type for e in timeline(docs, actor="riyadh")] == ["AGREE", "REQUEST"]


# --- the real analyser --------------------------------------------------------------------

@pytest.fixture(scope="module")
def xi_visit_pair() -> list[Analysis]:
    from counterpoint.extract import extract
    from counterpoint.nlp.analyze import analyze_many

    documents = []
    for name in ("a3_thinktank_ioss_quick_comment.txt", "a7_ukrainian_svitanok_kyiv_reaction.txt"):
        path = EXAMPLES / name
        documents.append(extract(RawItem(source=str(path), text=path.read_text("utf-8"),
                                         format="text")))
    return list(analyze_many(documents))


def test_real_analyses_merge_the_xi_visit_reported_by_both(
        xi_visit_pair: list[Analysis]) -> None:
    ids = {a.id for a in xi_visit_pair}
    visits = [e for e in timeline(xi_visit_pair, actor="Xi Jinping")
              if e.type == "CONSULT" and e.source and e.target
              and {e.source.id, e.target.id} == {XI.id, RUSSIA.id}]
    assert len(visits) == 1, [e.summary for e in visits]
    [visit] = visits
    assert visit.date is not None and visit.date.startswith("2023-03")
    assert len(visit.reports) == 2 and {r.doc for r in visit.reports} == ids
    assert all("Xi" in r.sentence for r in visit.reports)
    assert "Xi Jinping → Russia" in visit.summary or "Russia → Xi Jinping" in visit.summary
