"""Briefs: built by hand to check each rule, then on the two seeds in every format."""

from __future__ import annotations

import re

import pytest

from counterpoint.corpus.compare import ClaimRef, Comparison, Group
from counterpoint.errors import ReportError
from counterpoint.report import (
    MAX_PAGES,
    Brief,
    Citation,
    Limits,
    QuotedClaim,
    SourceClaims,
    build_brief,
    fit_brief,
    render,
    render_html,
    render_markdown,
)
from counterpoint.schema import (
    Analysis,
    CertaintyOut,
    Claim,
    DocumentRef,
    Footnote,
    Holder,
)
from tests.corpus import test_compare_seeds
from tests.corpus.factories import CHINA, PUTIN, RUSSIA, XI, analysis, event
from tests.report.citations import TextOf, check_html, check_markdown

# --- hand-built documents ----------------------------------------------------------------

ARRIVAL = "Xi Jinping arrived in Moscow on March 20 for talks with Vladimir Putin."
ARMS = "Beijing may not send weapons to Russia at all."
SUPPORT = "China has given Russia military support since the war began."
PRAISE = "Putin lavished praise on Xi."
NOTE = "The deal was brokered by China."


def _claim(text: str, body: str, *, holder: str = "the author", kind: str = "author",
           probability: float = 0.97, tone: float = 0.0, footnote: str | None = None) -> Claim:
    start = body.index(text)
    label = "almost_certain" if probability > 0.9 else "roughly_even_chance"
    return Claim(text=text, holder=Holder.model_validate({"name": holder, "kind": kind}),
                 attribution="authorial", certainty=CertaintyOut(label=label,
                                                                 probability=probability),
                 tone=tone, start=start, end=start + len(text), footnote=footnote)


def _ref(doc: Analysis, claim: Claim) -> ClaimRef:
    return ClaimRef(doc=doc.id, text=claim.text, start=claim.start, end=claim.end,
                    footnote=claim.footnote, holder=claim.holder.name,
                    certainty=claim.certainty.label, probability=claim.certainty.probability,
                    tone=claim.tone)


@pytest.fixture(scope="module")
def pair() -> tuple[list[Analysis], Comparison]:
    """A wire report and an expert comment on the same visit, and how they compare."""
    wire_body = f"{ARRIVAL}\n\n{ARMS}"
    # spaCy's sentence spans end after the paragraph break
    arrival = event("CONSULT", XI, RUSSIA, "2023-03-20", mode="visit", sentence=ARRIVAL)
    wire = analysis(
        "wire1", arrival.model_copy(update={"end": len(ARRIVAL) + 2}),
        body=wire_body, publisher="Wire", published="2023-03-20",
        claims=[_claim(ARRIVAL, wire_body), _claim(ARMS, wire_body, probability=0.5, tone=-0.2)],
        tone={"China": -0.2, "Russia": 0.0, "Xi Jinping": 0.1})
    comment_body = f"{ARRIVAL} {SUPPORT} {PRAISE}"
    comment = analysis(
        "comment2",
        event("CONSULT", XI, RUSSIA, "2023-03-20", mode="visit", sentence=ARRIVAL, start=0),
        body=comment_body, publisher="Institute", published=None,
        footnotes=[Footnote(marker="1", text=NOTE)],
        claims=[_claim(ARRIVAL, comment_body), _claim(SUPPORT, comment_body, holder="Ann Expert",
                                                      kind="expert", tone=0.4),
                _claim(PRAISE, comment_body, holder="Ann Expert", kind="expert", tone=0.7),
                Claim(text=NOTE, holder=Holder(name="the author", kind="author"),
                      attribution="authorial",
                      certainty=CertaintyOut(label="likely", probability=0.68),
                      start=0, end=len(NOTE), footnote="1")],
        tone={"China": 0.4, "Russia": 0.3, "Xi Jinping": 0.7, "Vladimir Putin": 0.7})
    docs = [wire, comment]
    refs = {(d.id, c.text): _ref(d, c) for d in docs for c in d.claims}
    comparison = Comparison(
        documents=[DocumentRef(id=d.id, path=d.path, title=d.title, publisher=d.publisher)
                   for d in docs],
        agree=[Group(claims=[refs["wire1", ARRIVAL], refs["comment2", ARRIVAL]],
                     basis="same statement (similarity 0.98; shared actors: Xi Jinping)",
                     score=1.1, kind="agreement")],
        disagree=[Group(claims=[refs["wire1", ARMS], refs["comment2", SUPPORT]],
                        basis="Ann Expert (comment2) is almost certain; the author (wire1) "
                              "says roughly even chance", score=0.8, kind="certainty")],
        unique={"wire1": [], "comment2": [refs["comment2", PRAISE], refs["comment2", NOTE]]},
        tone={d.id: dict(d.tone.by_actor) for d in docs})
    return docs, comparison


def _text_of(docs: list[Analysis]) -> TextOf:
    by_id = {d.id: d for d in docs}

    def text_of(doc: str, footnote: str | None) -> str:
        if footnote is None:
            return by_id[doc].body
        return next(f.text for f in by_id[doc].footnotes if f.marker == footnote)

    return text_of


def test_a_span_is_trimmed_to_its_sentence(pair: tuple[list[Analysis], Comparison]) -> None:
    """Event offsets from spaCy run past the paragraph break; a citation's offsets are
    the sentence's own, so that body[start:end] is exactly the quoted text."""
    docs, comparison = pair
    brief = build_brief(docs, comparison=comparison)
    arrival = [c for c in brief.citations if c.doc_id == "wire1" and c.text == ARRIVAL]
    assert [(c.start, c.end) for c in arrival] == [(0, len(ARRIVAL))]


def test_the_same_sentence_keeps_one_number(pair: tuple[list[Analysis], Comparison]) -> None:
    docs, comparison = pair
    brief = build_brief(docs, comparison=comparison)
    spans = [(c.doc_id, c.footnote, c.start, c.end) for c in brief.citations]
    assert len(spans) == len(set(spans))
    assert [c.number for c in brief.citations] == list(range(1, len(spans) + 1))
    [visit] = brief.events
    assert visit.sources == ["A", "B"] and visit.type == "CONSULT" and visit.mode == "visit"
    # the agreement quotes the very sentences the event cites
    assert [q.cite for q in brief.agreements[0].claims] == visit.cites


def test_groups_quote_claims_and_name_documents_by_letter(
        pair: tuple[list[Analysis], Comparison]) -> None:
    docs, comparison = pair
    brief = build_brief(docs, comparison=comparison)
    [conflict] = brief.disagreements
    assert conflict.kind == "certainty"
    assert conflict.basis == "Ann Expert (B) is almost certain; the author (A) says roughly " \
                             "even chance"
    assert [(q.source, q.holder, q.holder_kind, q.certainty, q.text) for q in conflict.claims] \
        == [("A", "the author", "author", "roughly even chance", ARMS),
            ("B", "Ann Expert", "expert", "almost certain", SUPPORT)]


def test_notable_claims_are_held_by_someone_named(pair: tuple[list[Analysis], Comparison]
                                                  ) -> None:
    """The expert's claim is notable; the author's hedged footnote comes after it."""
    docs, comparison = pair
    brief = build_brief(docs, comparison=comparison)
    [notes] = brief.notable
    assert notes.source == "B"
    assert [(q.holder_kind, q.text) for q in notes.claims] == [("expert", PRAISE),
                                                               ("author", NOTE)]
    cited = {c.number: c for c in brief.citations}
    assert cited[notes.claims[1].cite].footnote == "1"
    assert cited[notes.claims[1].cite].start == 0


def test_actors_and_tone_cite_a_sentence_naming_them(pair: tuple[list[Analysis], Comparison]
                                                     ) -> None:
    docs, comparison = pair
    brief = build_brief(docs, comparison=comparison)
    cited = {c.number: c for c in brief.citations}
    names = {a.name: a for a in brief.actors}
    assert {"Russia", "Xi Jinping", "China", "Vladimir Putin"} <= set(names)
    actors = {a.name: a for a in (XI, PUTIN, RUSSIA, CHINA)}
    for name, shown in names.items():
        text = cited[shown.cites[0]].text
        assert any(alias in text for alias in actors[name].aliases_seen), (name, text)
    assert names["Xi Jinping"].sources == ["A", "B"]
    assert brief.tone_actors == ["Russia", "Xi Jinping", "China", "Vladimir Putin"]
    rows = {row.source: row for row in brief.tone}
    assert rows["A"].scores == [0.0, 0.1, -0.2, None]  # A has no tone toward Putin
    assert rows["B"].scores == [0.3, 0.7, 0.4, 0.7]
    # the most charged sentence of each about them
    assert (cited[rows["A"].cite].text, cited[rows["B"].cite].text) == (ARMS, PRAISE)


def test_shorter_limits_show_less(pair: tuple[list[Analysis], Comparison]) -> None:
    docs, comparison = pair
    full = build_brief(docs, comparison=comparison)
    short = build_brief(docs, comparison=comparison, limits=Limits(notable=1, actors=2))
    assert len(short.notable[0].claims) == 1 < len(full.notable[0].claims)
    assert len(short.actors) == 2 < len(full.actors)
    assert len(short.citations) < len(full.citations)
    assert [c.number for c in short.citations] == list(range(1, len(short.citations) + 1))


def test_no_documents_is_an_error() -> None:
    with pytest.raises(ReportError, match="at least one document"):
        build_brief([], comparison=Comparison(documents=[]))


def test_markdown_escapes_and_keeps_every_character() -> None:
    """Quotes may hold Markdown's own characters (a footnote marker [1], asterisks, a
    pipe inside a table); they are escaped, and reading them back gives the sentence."""
    sentence = "Prices *rose* by 5% [1] in Q1 | Q2 <b>as_expected</b> & more\nlater."
    brief = Brief(title="T <x>", origin="1 document", generated="2024-01-01",
                  sources=[], citations=[Citation(number=1, doc_id="d", source="A", start=0,
                                                  end=len(sentence), text=sentence)],
                  notable=[SourceClaims(source="A", claims=[QuotedClaim(
                      source="A", holder="Bo", holder_kind="expert", certainty="likely",
                      text=sentence, cite=1)])])
    markdown = render_markdown(brief)
    cited = check_markdown(markdown, lambda doc, footnote: sentence)
    assert cited[1].text == " ".join(sentence.split())
    page = render_html(brief)
    assert "<b>as_expected</b>" not in page and "&lt;b&gt;as_expected&lt;/b&gt;" in page
    assert "<title>T &lt;x&gt;</title>" in page


# --- the seeds ---------------------------------------------------------------------------

# The two seeds extracted and analysed (the compare tests' module-scoped fixture).
seeds = test_compare_seeds.seeds

@pytest.fixture(scope="module")
def seed_brief(seeds: list[Analysis]) -> Brief:
    return fit_brief(seeds)


def test_seed_brief_covers_what_both_say_and_where_they_differ(seed_brief: Brief) -> None:
    """The careful reading of tests/corpus/test_compare_seeds.py: both report Xi's first
    visit to Moscow since the invasion; they differ on Chinese military help."""
    visits = [e for e in seed_brief.events if e.type == "CONSULT" and e.source == "Xi Jinping"]
    assert visits and visits[0].date == "2023-03-20" and visits[0].sources == ["A", "B"]
    agreed = [" ".join(q.text for q in g.claims).lower() for g in seed_brief.agreements]
    assert any(t.count("first visit to moscow") == 2 for t in agreed), agreed
    assert {g.kind for g in seed_brief.disagreements} & {"certainty", "negation"}
    experts = {q.holder for g in seed_brief.notable for q in g.claims
               if q.holder_kind == "expert"}
    assert experts, "the institute's experts are its notable voices"
    assert {a.name for a in seed_brief.actors[:4]} == {"China", "Russia", "Xi Jinping",
                                                       "Vladimir Putin"}


def test_seed_brief_in_markdown_cites_every_statement(seed_brief: Brief,
                                                      seeds: list[Analysis]) -> None:
    cited = check_markdown(render_markdown(seed_brief), _text_of(seeds))
    assert len(cited) == len(seed_brief.citations)


def test_seed_brief_in_html_links_every_citation(seed_brief: Brief,
                                                 seeds: list[Analysis]) -> None:
    page = render(seed_brief, "html").data.decode("utf-8")
    assert "<style>" in page and "@page" in page
    assert "http://" not in page and "https://" not in page  # self-contained
    assert len(check_html(page, _text_of(seeds))) == len(seed_brief.citations)


def test_seed_brief_in_pdf_fits_two_pages(seed_brief: Brief) -> None:
    rendered = render(seed_brief, "pdf")
    assert rendered.data.startswith(b"%PDF")
    assert rendered.pages is not None and 1 <= rendered.pages <= MAX_PAGES
    assert rendered.citations == len(seed_brief.citations)


def test_the_citation_check_catches_what_it_must(pair: tuple[list[Analysis], Comparison]
                                                 ) -> None:
    """The checker used on every brief fails on an uncited statement, an offset that
    points elsewhere, and a quote that is not its source's sentence."""
    docs, comparison = pair
    markdown = render_markdown(build_brief(docs, comparison=comparison))
    check_markdown(markdown, _text_of(docs))
    event_line = next(line for line in markdown.splitlines() if "CONSULT" in line)
    uncited = markdown.replace(event_line, event_line.split("[^")[0])
    moved = re.sub(r"`body\[0:(\d+)\]`", lambda m: f"`body[1:{m[1]}]`", markdown, count=1)
    misquoted = markdown.replace("lavished praise", "heaped praise", 1)
    for broken in (uncited, moved, misquoted):
        assert broken != markdown
        with pytest.raises(AssertionError):
            check_markdown(broken, _text_of(docs))
