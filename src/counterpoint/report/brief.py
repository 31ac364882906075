"""Analyst briefs: one or two pages on a set of sources, every statement cited to its sentence.

A brief is built from analyses alone and invents no text. Each line that states
something is either a source's own words, quoted verbatim, or a template phrase
filled from structured data ("2023-03-20 — Xi Jinping → Russia: CONSULT (visit);
reported by 2 sources"), and each carries citations. The sections, in the order a
reader meets them:

1. **Key events**: entries of the merged timeline (:mod:`counterpoint.corpus.timeline`),
   dated ones first and those reported by more sources first, shown in timeline
   order; cited to each reporting source's sentence.
2. **Agreements and disagreements**: the groups of
   :func:`counterpoint.corpus.compare.compare` with their basis, each claim quoted
   with its holder and certainty.
3. **Notable claims**: per source, claims no other source makes whose holder is
   named (an expert, a quoted speaker, an actor), else the author's hedged
   judgements.
4. **Actors**: the most mentioned across the sources (places left out), with type,
   country and mentions, each cited to a sentence that names it.
5. **Tone**: each source's tone toward the main actors, cited to that source's most
   charged sentence about them.

**Citations.** A citation is a span of a document: its id, character offsets into
``body`` (or into the text of footnote ``footnote`` when that is set) and the
span's text, trimmed of surrounding whitespace, so that ``body[start:end] == text``
holds exactly. A span cited twice keeps its first number; numbers follow the order
in which the brief first cites them (the order of the sections above).

**Length.** Each section is capped (:class:`Limits`) so that a brief fits one or
two A4 pages; quotes are never shortened, only fewer are shown, and the brief says
how many it left out. :func:`counterpoint.report.render.fit_brief` picks the
fullest brief of :data:`SHORTER` that fits.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from pydantic import BaseModel, Field

from counterpoint.corpus.compare import ClaimRef, Comparison, Group
from counterpoint.corpus.timeline import TimelineEntry, actor_key, period, timeline
from counterpoint.errors import ReportError
from counterpoint.schema import Actor, Analysis, Claim

__all__ = [
    "SHORTER",
    "Brief",
    "BriefActor",
    "Citation",
    "ClaimGroup",
    "KeyEvent",
    "Limits",
    "QuotedClaim",
    "Source",
    "SourceClaims",
    "ToneRow",
    "build_brief",
]



@dataclass(frozen=True)
class Limits:
    """How much of each section a brief shows.

    The defaults fill two A4 pages for two long sources (the seeds);
    :data:`SHORTER` lists successively shorter briefs for stories of many sources,
    which :func:`counterpoint.report.render.fit_brief` tries in turn.
    """

    events: int = 6
    agreements: int = 3
    disagreements: int = 3
    claims_per_group: int = 3
    notable: int = 6  # notable claims in all
    notable_per_source: int = 3  # each source's best comes before any source's second
    actors: int = 8
    tone_actors: int = 4


# Tried in order until a brief fits its pages. With WeasyPrint, the nine-document
# sample story fits at the fourth step (three pages at the defaults: its Sources
# list alone, 41 citations, takes a page and a half).
SHORTER = (
    Limits(),
    Limits(events=5, claims_per_group=2, notable=5),
    Limits(events=5, agreements=2, claims_per_group=2, notable=4, actors=7),
    Limits(events=4, agreements=2, disagreements=2, claims_per_group=2, notable=3, actors=6),
    Limits(events=3, agreements=2, disagreements=2, claims_per_group=2, notable=2, actors=5,
           tone_actors=3),
)
# Holders whose claims are notable in their own right: someone other than the
# author is named as saying it.
NAMED_HOLDERS = frozenset({"expert", "quoted", "actor"})
# An author's claim below this probability is a hedged judgement ("may not take
# place", "is likely to"), notable when a source has no named holder to show.
HEDGED_BELOW = 0.9


# --- the model ---------------------------------------------------------------------------

class Citation(BaseModel):
    """A numbered reference to a span of a source document."""

    number: int
    doc_id: str
    source: str  # the document's letter in the brief (A, B, …)
    publisher: str | None = None
    start: int
    end: int
    footnote: str | None = None  # set: offsets are into this footnote's text
    text: str


class Source(BaseModel):
    """A document the brief is drawn from."""

    letter: str
    id: str
    publisher: str | None = None
    title: str | None = None
    published: str | None = None
    path: str


class KeyEvent(BaseModel):
    """A timeline entry: when, who to whom, what (PLOVER type and mode), reported by whom."""

    date: str | None  # a label: 2023-03-20, 2023-03, 1990s; None when undated
    type: str
    mode: str | None = None
    source: str | None = None
    target: str | None = None
    negated: bool = False
    contested: bool = False
    sources: list[str]  # letters of the documents reporting it
    cites: list[int]


class QuotedClaim(BaseModel):
    """A source's claim quoted verbatim, with its holder and certainty."""

    source: str
    holder: str
    holder_kind: str | None = None
    certainty: str  # the estimative label, in words: "roughly even chance"
    text: str
    cite: int


class ClaimGroup(BaseModel):
    """Claims from several sources that say the same thing, or contradict each other."""

    kind: str  # agreement, certainty, negation or framing
    basis: str
    claims: list[QuotedClaim]


class SourceClaims(BaseModel):
    """A source's notable claims that no other source makes."""

    source: str
    claims: list[QuotedClaim]


class BriefActor(BaseModel):
    """An actor the sources name, with how often and where."""

    name: str
    type: str
    country: str | None = None
    mentions: int
    sources: list[str]
    cites: list[int]


class ToneRow(BaseModel):
    """A source's tone toward each main actor (aligned with :attr:`Brief.tone_actors`)."""

    source: str
    scores: list[float | None]
    cite: int  # the source's most charged sentence about these actors


class Brief(BaseModel):
    """Everything a rendered brief shows; the templates only lay it out."""

    title: str
    origin: str  # what the brief was generated from, for people
    generated: str  # ISO date
    period: str | None = None  # publication dates of the sources, "2023-03-20 to 2023-03-23"
    sources: list[Source]
    events: list[KeyEvent] = Field(default_factory=list)
    events_total: int = 0
    agreements: list[ClaimGroup] = Field(default_factory=list)
    agreements_total: int = 0
    disagreements: list[ClaimGroup] = Field(default_factory=list)
    disagreements_total: int = 0
    notable: list[SourceClaims] = Field(default_factory=list)
    actors: list[BriefActor] = Field(default_factory=list)
    tone_actors: list[str] = Field(default_factory=list)
    tone: list[ToneRow] = Field(default_factory=list)
    citations: list[Citation] = Field(default_factory=list)


# --- citations ---------------------------------------------------------------------------

@dataclass
class _Citations:
    """Numbers spans of the documents in the order they are first cited."""

    docs: dict[str, Analysis]
    letters: dict[str, str]
    items: list[Citation] = field(default_factory=list)
    numbers: dict[tuple[str, str | None, int, int], int] = field(default_factory=dict)

    def span(self, doc_id: str, start: int, end: int, footnote: str | None
             ) -> tuple[int, int, str] | None:
        """The span trimmed of surrounding whitespace, or None when it holds no text (or
        names a document the brief is not about)."""
        analysis = self.docs.get(doc_id)
        if analysis is None:
            return None
        if footnote is None:
            source = analysis.body
        else:
            source = next((f.text for f in analysis.footnotes if f.marker == footnote), "")
        start, end = max(0, start), min(len(source), end)
        text = source[start:end]
        stripped = text.strip()
        if not stripped:
            return None
        start += len(text) - len(text.lstrip())
        return start, start + len(stripped), stripped

    def cited(self, doc_id: str, start: int, end: int, footnote: str | None) -> bool:
        """Whether this span already has a number."""
        found = self.span(doc_id, start, end, footnote)
        return found is not None and (doc_id, footnote, found[0], found[1]) in self.numbers

    def cite(self, doc_id: str, start: int, end: int, footnote: str | None) -> Citation | None:
        """The citation of a span (numbered on first use), or None for an empty span."""
        found = self.span(doc_id, start, end, footnote)
        if found is None:
            return None
        lo, hi, text = found
        key = (doc_id, footnote, lo, hi)
        if key in self.numbers:
            return self.items[self.numbers[key] - 1]
        citation = Citation(number=len(self.items) + 1, doc_id=doc_id,
                            source=self.letters[doc_id],
                            publisher=self.docs[doc_id].publisher, start=lo, end=hi,
                            footnote=footnote, text=text)
        self.items.append(citation)
        self.numbers[key] = citation.number
        return citation


# --- building ----------------------------------------------------------------------------

def build_brief(analyses: Sequence[Analysis], *, comparison: Comparison | None = None,
                title: str | None = None, origin: str | None = None,
                generated: date | None = None, limits: Limits = Limits()) -> Brief:
    """Build the brief of some analysed documents (see the module docstring).

    Args:
        analyses: the documents, each once (a document given twice is read once).
        comparison: their comparison, when already computed; else it is computed
            here (loading the sentence-embedding model).
        title: the brief's title; by default the first document's title.
        origin: what the brief is generated from, for the reader ("story story-…");
            by default the number of documents.
        generated: the date printed on the brief (default: today).
        limits: how much of each section to show.

    Returns:
        The brief, with every statement's citations numbered in ``citations``.

    Raises:
        ReportError: no documents were given.
    """
    docs = list({a.id: a for a in analyses}.values())
    if not docs:
        raise ReportError("a brief needs at least one document")
    if comparison is None:
        from counterpoint.corpus.compare import compare

        comparison = compare(docs)
    letters = {a.id: _letter(k) for k, a in enumerate(docs)}
    cites = _Citations({a.id: a for a in docs}, letters)
    sources = [Source(letter=letters[a.id], id=a.id, publisher=a.publisher, title=a.title,
                      published=a.published, path=a.path) for a in docs]
    entries = timeline(docs, undated=True)
    brief = Brief(
        title=title or next((a.title for a in docs if a.title), None) or "Brief",
        origin=origin or f"{len(docs)} document{'s' if len(docs) != 1 else ''}",
        generated=(generated or date.today()).isoformat(), period=_period(docs),
        sources=sources, events_total=len([e for e in entries if _key(e)]),
        agreements_total=len(comparison.agree), disagreements_total=len(comparison.disagree))
    brief.events = _key_events(entries, cites, limits.events)
    brief.agreements = _groups(comparison.agree[:limits.agreements], cites,
                               limits.claims_per_group)
    brief.disagreements = _groups(comparison.disagree[:limits.disagreements], cites,
                                  limits.claims_per_group)
    brief.notable = _notable(docs, comparison, cites, limits)
    brief.actors = _actors(docs, cites, limits.actors)
    brief.tone_actors, brief.tone = _tone(docs, comparison, brief.actors, cites,
                                          limits.tone_actors)
    brief.citations = cites.items
    return brief


def _letter(index: int) -> str:
    """A, B, …, Z, AA, AB, …: how the brief names its documents."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(ord("A") + rest) + name
    return name


def _period(docs: Sequence[Analysis]) -> str | None:
    dates = sorted(a.published for a in docs if a.published)
    if not dates:
        return None
    return dates[0] if dates[0] == dates[-1] else f"{dates[0]} to {dates[-1]}"


def _known(entry: TimelineEntry) -> bool:
    """Whether an entry names at least one of its actors."""
    return entry.source is not None or entry.target is not None


def _key(entry: TimelineEntry) -> bool:
    """Whether an entry may be a key event: it names an actor, not as both sides (a
    misread "Russia → Russia"), and it is dated or more than one source reports it
    (an undated event told once is too thin to list)."""
    if not _known(entry):
        return False
    if entry.source is not None and entry.target is not None and \
            actor_key(entry.source) == actor_key(entry.target):
        return False
    return entry.date is not None or entry.documents > 1


def _key_events(entries: list[TimelineEntry], cites: _Citations, limit: int
                ) -> list[KeyEvent]:
    """The entries most sources report (dated ones first among equals), shown in timeline
    order."""
    order = {entry.id: k for k, entry in enumerate(entries)}
    ranked = sorted((e for e in entries if _key(e)),
                    key=lambda e: (-e.documents, e.date is None,
                                   not any(r.root for r in e.reports),
                                   e.source is None or e.target is None, order[e.id]))
    events = []
    for entry in sorted(ranked[:limit], key=lambda e: order[e.id]):
        numbers: list[int] = []
        letters: list[str] = []
        for report in sorted(entry.reports, key=lambda r: _letter_order(cites.letters[r.doc])):
            if cites.letters[report.doc] in letters:
                continue
            citation = cites.cite(report.doc, report.start, report.end, report.footnote)
            if citation is not None:
                numbers.append(citation.number)
                letters.append(citation.source)
        if not numbers:
            continue
        when = period(entry.date, entry.precision)
        events.append(KeyEvent(
            date=when.label() if when else None, type=entry.type, mode=entry.mode,
            source=entry.source.name if entry.source else None,
            target=entry.target.name if entry.target else None, negated=entry.negated,
            contested=entry.contested, sources=letters, cites=numbers))
    return events


def _claim_at(analysis: Analysis, ref: ClaimRef) -> Claim | None:
    """The analysed claim a compared clause comes from (it lies inside it)."""
    for claim in analysis.claims:
        if claim.footnote == ref.footnote and claim.start <= ref.start and ref.end <= claim.end:
            return claim
    return None


def _quote(ref: ClaimRef, cites: _Citations) -> QuotedClaim | None:
    citation = cites.cite(ref.doc, ref.start, ref.end, ref.footnote)
    if citation is None:
        return None
    claim = _claim_at(cites.docs[ref.doc], ref)
    return QuotedClaim(source=citation.source, holder=ref.holder,
                       holder_kind=claim.holder.kind if claim else None,
                       certainty=ref.certainty.replace("_", " "), text=citation.text,
                       cite=citation.number)


def _groups(groups: Iterable[Group], cites: _Citations, per_group: int) -> list[ClaimGroup]:
    """Comparison groups with their claims quoted; the basis names documents by letter."""
    shown = []
    for group in groups:
        basis = group.basis.removeprefix(f"{group.kind}: ")  # "framing: …" under Framing
        for doc_id, letter in cites.letters.items():
            basis = basis.replace(f"({doc_id})", f"({letter})")
        quoted = [q for q in (_quote(ref, cites) for ref in _shown_claims(group, per_group))
                  if q is not None]
        if quoted:
            shown.append(ClaimGroup(kind=group.kind, basis=basis, claims=quoted))
    return shown


def _shown_claims(group: Group, limit: int) -> list[ClaimRef]:
    """At most ``limit`` claims of a group, in the group's order: first
    the sides its basis names ("X (doc) denies what Y (doc) asserts"), each by its claim
    furthest from the group's mean certainty, then one claim of each other document."""
    refs = group.claims
    mean = sum(ref.probability for ref in refs) / len(refs) if refs else 0.0
    named: dict[str, ClaimRef] = {}
    for ref in refs:
        side = f"{ref.holder} ({ref.doc})"
        if side in group.basis and (side not in named or abs(ref.probability - mean)
                                    > abs(named[side].probability - mean)):
            named[side] = ref
    chosen = list(named.values())[:limit]
    docs = {ref.doc for ref in chosen}
    for ref in refs:
        if len(chosen) >= limit:
            break
        if ref.doc not in docs:
            chosen.append(ref)
            docs.add(ref.doc)
    position = {id(ref): k for k, ref in enumerate(refs)}
    return sorted(chosen, key=lambda ref: position[id(ref)])


def _notable(docs: Sequence[Analysis], comparison: Comparison, cites: _Citations,
             limits: Limits) -> list[SourceClaims]:
    """Claims only one source makes that someone named holds (else the author's hedged
    judgements): each source's best before any source's second, the most charged
    first; shown by source, in the order of its text."""
    pool = []
    for order, analysis in enumerate(docs):
        ranked = []
        for ref in comparison.unique.get(analysis.id, []):
            claim = _claim_at(analysis, ref)
            kind = claim.holder.kind if claim else None
            if kind in NAMED_HOLDERS:
                rank = 0
            elif kind == "author" and ref.probability < HEDGED_BELOW:
                rank = 1
            else:
                continue
            ranked.append((rank, -abs(ref.tone), ref.footnote is not None, ref.start, ref))
        ranked.sort(key=lambda r: r[:4])
        pool += [(rank, turn, order, ref) for turn, (rank, *_, ref)
                 in enumerate(ranked[:limits.notable_per_source])]
    chosen = sorted(pool, key=lambda p: p[:3])[:limits.notable]
    found = []
    for order, analysis in enumerate(docs):
        refs = sorted((p[3] for p in chosen if p[2] == order),
                      key=lambda ref: (ref.footnote is not None, ref.start))
        quoted = [q for q in (_quote(ref, cites) for ref in refs) if q is not None]
        if quoted:
            found.append(SourceClaims(source=cites.letters[analysis.id], claims=quoted))
    return found


@dataclass
class _Tally:
    """An actor across documents."""

    actor: Actor
    mentions: int = 0
    docs: list[tuple[int, str]] = field(default_factory=list)  # (mentions, doc id)


def _mentions(actor: Actor, text: str) -> bool:
    """Whether a text names the actor by its name or by a form the document used."""
    return any(re.search(rf"(?<!\w){re.escape(alias)}(?!\w)", text)
               for alias in {actor.name, *actor.aliases_seen} if alias)


def _naming(analysis: Analysis, actor: Actor) -> list[tuple[int, int, str | None]]:
    """Spans (claims and event sentences) of a document that name an actor, in text order."""
    spans = {(c.start, c.end, c.footnote) for c in analysis.claims if _mentions(actor, c.text)}
    spans |= {(e.start, e.end, e.footnote) for e in analysis.events
              if actor.id in {e.source.id if e.source else None,
                              e.target.id if e.target else None}}
    return sorted(spans, key=lambda s: (s[2] is not None, s[2] or "", s[0], s[1]))


def _actors(docs: Sequence[Analysis], cites: _Citations, limit: int) -> list[BriefActor]:
    """The most mentioned actors (places left out), each cited to a sentence naming it:
    one already cited when there is one, else the first in the source that names it most."""
    tallies: dict[str, _Tally] = {}
    for analysis in docs:
        for actor in analysis.actors:
            if actor.type == "place" or actor.mentions <= 0:
                continue
            tally = tallies.setdefault(actor.id, _Tally(actor))
            tally.mentions += actor.mentions
            tally.docs.append((actor.mentions, analysis.id))
    ranked = sorted(tallies.values(), key=lambda t: (-t.mentions, -len(t.docs), t.actor.name))
    shown: list[BriefActor] = []
    for tally in ranked:
        if len(shown) == limit:
            break
        candidates = []
        for _, doc_id in sorted(tally.docs, key=lambda d: -d[0]):
            analysis = cites.docs[doc_id]
            own = next(a for a in analysis.actors if a.id == tally.actor.id)
            candidates += [(doc_id, *span) for span in _naming(analysis, own)]
        if not candidates:
            continue
        doc_id, start, end, footnote = next(
            (c for c in candidates if cites.cited(*c)), candidates[0])
        citation = cites.cite(doc_id, start, end, footnote)
        if citation is None:
            continue
        actor = tally.actor
        shown.append(BriefActor(
            name=actor.name, type=actor.type, country=actor.country, mentions=tally.mentions,
            sources=sorted((cites.letters[d] for _, d in tally.docs), key=_letter_order),
            cites=[citation.number]))
    return shown


def _letter_order(letter: str) -> tuple[int, str]:
    return len(letter), letter


def _tone(docs: Sequence[Analysis], comparison: Comparison, actors: Sequence[BriefActor],
          cites: _Citations, limit: int) -> tuple[list[str], list[ToneRow]]:
    """Each source's tone toward the main actors (the first ``limit`` of ``actors`` that
    some source has a tone for), cited to its most charged claim naming
    one of them (a source that names none of them has no row)."""
    names = [a.name for a in actors
             if any(a.name in scores for scores in comparison.tone.values())][:limit]
    rows = []
    for analysis in docs:
        scores = comparison.tone.get(analysis.id, {})
        own = [a for a in analysis.actors if a.name in names]
        claims = [c for c in analysis.claims if any(_mentions(a, c.text) for a in own)]
        if not claims or not any(name in scores for name in names):
            continue
        strongest = max(claims, key=lambda c: (abs(c.tone), -c.start))
        citation = cites.cite(analysis.id, strongest.start, strongest.end, strongest.footnote)
        if citation is None:
            continue
        rows.append(ToneRow(source=cites.letters[analysis.id],
                            scores=[scores.get(name) for name in names], cite=citation.number))
    return (names if rows else []), rows
