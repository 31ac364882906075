"""Timeline: the events of a corpus in date order, one entry per real event.

Each analysed document codes its own events (:class:`counterpoint.schema.Event`).
Several documents often report the same real event — Xi's arrival in Moscow, told
by a wire, a think tank and a state outlet — so the timeline merges their events
into one :class:`TimelineEntry` that keeps every report (document, sentence,
offsets, holder, modality, negation) and so who said it.

**Dates.** An event date is a period: ``2023-03-20`` (day), ``2023-03`` (month),
``2023`` (year), or a decade or century (``1990`` with precision ``decade``).
A value finer than its stated precision is cut to the precision; an unparsable
value counts as no date.

**Ordering rule.** Entries are ordered by the *end* of their period, then finer
before coarser, then by the start of the period, type and summary. So
``2023-03-20`` and ``2023-03-31`` come before ``2023-03``, which comes before
``2023-04-01``; ``2022`` comes after everything dated inside 2022. The reason: a
coarse date only says the event happened *by* the end of its period. Sorting by
the start would put "March 2023: X" before every day of March — telling the
reader that X preceded events it may well have followed (it may be the very
talks of March 21). Placing it at the end of its period never claims an order
the sources do not give; it reads like a chronology's "Also in March, …".

**Merge rule.** Two reports are the same real event when
1. they have the same PLOVER type;
2. they have the same actors: the same source and the same target, compared by
   actor id, else by name (case-insensitive). For the reciprocal types
   (:data:`RECIPROCAL`: AGREE, CONSULT, COOPERATE) the pair is unordered. A side
   is *unknown* when it has neither an id nor a proper name (a pronoun such as
   "It", or a common noun such as "leaders"); events with both sides unknown are
   never merged with anything;
3. their modes agree: equal, or one of them has no mode (a "visit" and a
   "phone" call of the same pair are two events);
4. their dates are compatible: one period contains the other (``2023-03``
   contains ``2023-03-20``). The merged entry takes the finest date. Reports are
   merged finest first, so an entry's date is always the date every coarser
   report contains; a coarse report that fits several finer entries (``2023-03``
   against both ``2023-03-20`` and ``2023-03-22``) joins the one with the most
   reports (then the earliest).
5. An *undated* report joins a dated entry only when both its actors are known
   and the choice is unambiguous: exactly one dated entry matches 1–3, or,
   among several, exactly one is the latest to start on or before the
   reporting document's publication date. Otherwise it stays undated.
6. Undated reports that stay undated merge with each other (rules 1–3) only
   when both their actors are known; without a date, "Russia attacked ?" in two
   documents is too thin to call one event.

Undated entries are left out of the timeline by default; ``undated=True`` puts
them after the dated ones (by type and summary). They are kept by
:func:`merge_events`, which the graph and the GDELT-style export use.

**Duplicates.** ``duplicates`` maps a document id to its canonical id (from
near-duplicate detection; chains are followed). Of each set of copies only one
document is read — the canonical one when present, else the first seen — and its
reports list the other ids in ``copies``; so one text seen three times counts
once.

The same machinery (:func:`collect_documents`, :func:`merge_events`) feeds
:mod:`counterpoint.corpus.graph` and :mod:`counterpoint.corpus.export`.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from pydantic import BaseModel, Field

from counterpoint.schema import Actor, ActorRef, Analysis, Event

__all__ = [
    "PRECISIONS",
    "RECIPROCAL",
    "DocDigest",
    "Period",
    "Report",
    "TimelineActor",
    "TimelineEntry",
    "actor_key",
    "canonical_id",
    "collect_documents",
    "event_id",
    "merge_events",
    "period",
    "root_event_index",
    "summary",
    "timeline",
]

# PLOVER types whose two actors play the same part: "A and B agreed" = "B and A agreed".
RECIPROCAL = frozenset({"AGREE", "CONSULT", "COOPERATE"})
# Date precisions, finest first.
PRECISIONS = ("day", "month", "year", "decade", "century")
_RANK = {name: rank for rank, name in enumerate(PRECISIONS)}
_YEARS = {"year": 1, "decade": 10, "century": 100}
_ISO = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
# Actor names that do not identify anyone across documents.
_PRONOUNS = frozenset({
    "i", "you", "he", "she", "it", "we", "they", "me", "him", "her", "us", "them", "this",
    "that", "these", "those", "who", "whom", "which", "what", "one", "ones", "both", "all",
    "some", "others", "other", "each", "everyone", "someone", "anyone", "nobody"})


# --- dates --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Period:
    """A date as the span of days it names, with its ISO value and precision."""

    value: str
    precision: str
    start: date
    end: date

    def contains(self, other: Period) -> bool:
        """Whether ``other`` lies inside this period (a period contains itself)."""
        return self.start <= other.start and other.end <= self.end

    def sort_key(self) -> tuple[date, int, date]:
        """End of the period, then finer first, then start: see the module's ordering rule."""
        return (self.end, _RANK[self.precision], self.start)

    def label(self) -> str:
        """The value for people: ``2023-03-20``, ``2023-03``, ``2023``, ``1990s``."""
        if self.precision == "decade":
            return f"{self.value}s"
        if self.precision == "century":
            return f"{self.value} (century)"
        return self.value


def period(value: str | None, precision: str | None = None) -> Period | None:
    """Parse an ISO date value (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``) into a period.

    ``precision`` may make the value coarser (``2023-03-20`` with ``month`` is
    ``2023-03``; ``1990`` with ``decade`` is 1990–1999) but never finer than
    the value's own shape. Returns ``None`` for no value or an invalid one.
    """
    if not value:
        return None
    match = _ISO.fullmatch(value.strip()[:10])
    if match is None:
        return None
    year_s, month_s, day_s = match.groups()
    shape = "day" if day_s else "month" if month_s else "year"
    if precision in _RANK and _RANK[precision] > _RANK[shape]:
        shape = precision
    year = int(year_s)
    try:
        if shape == "day":
            day = date(year, int(month_s), int(day_s))
            return Period(day.isoformat(), "day", day, day)
        if shape == "month":
            first = date(year, int(month_s), 1)
            after = date(year + (first.month == 12), first.month % 12 + 1, 1)
            return Period(f"{year:04d}-{first.month:02d}", "month", first,
                          date.fromordinal(after.toordinal() - 1))
        last_year = min(year + _YEARS[shape] - 1, date.max.year)
        return Period(f"{year:04d}", shape, date(year, 1, 1), date(last_year, 12, 31))
    except ValueError:
        return None


# --- the public models --------------------------------------------------------------------

class TimelineActor(ActorRef):
    """An actor of a timeline entry: the reference plus what the documents say of it."""

    type: str | None = None
    country: str | None = None


class Report(BaseModel):
    """One document's telling of an event: where, in which words, by whom, how sure."""

    doc: str
    title: str | None = None
    publisher: str | None = None
    url: str | None = None
    path: str | None = None
    published: str | None = None
    sentence: str
    start: int
    end: int
    footnote: str | None = None
    holder: str | None = None
    modality: str = "asserted"
    negated: bool = False
    date: str | None = None
    precision: str | None = None
    mode: str | None = None
    location: str | None = None
    location_country: str | None = None
    trigger: str | None = None
    source: ActorRef | None = None
    target: ActorRef | None = None
    # Stable id of this document's event: see :func:`event_id`.
    event_id: str
    # The event is the document's main event (the first in the body of that type and mode).
    root: bool = False
    # Tone of the claim holding the sentence, else the document's tone toward the actors.
    tone: float | None = None
    # Other documents with the same text (near-duplicates) that were not read.
    copies: list[str] = Field(default_factory=list)


class TimelineEntry(BaseModel):
    """A real event as the corpus reports it: merged from one or more documents."""

    id: str
    date: str | None
    precision: str | None
    type: str
    mode: str | None = None
    source: TimelineActor | None = None
    target: TimelineActor | None = None
    # Every report negates it ("did not visit"); ``contested``: some do, some do not.
    negated: bool = False
    contested: bool = False
    location: str | None = None
    # Number of distinct documents reporting it.
    documents: int
    reports: list[Report]
    summary: str


def event_id(doc_id: str, event: Event) -> str:
    """Stable id of a document's event: 16 hex digits of a hash of doc id, offsets, type, actors."""
    parts = [doc_id, event.footnote or "", str(event.start), str(event.end), event.type,
             event.mode or "", _ref_text(event.source), _ref_text(event.target)]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def _ref_text(ref: ActorRef | None) -> str:
    return "" if ref is None else ref.id or ref.name


# --- reading the documents ----------------------------------------------------------------

@dataclass
class _Pending:
    """A report waiting to be merged, with its type, resolved actors and period."""

    type: str
    report: Report
    period: Period | None
    source: TimelineActor | None
    target: TimelineActor | None
    order: tuple[int, int]
    published: date | None

    @property
    def source_key(self) -> str | None:
        return actor_key(self.source)

    @property
    def target_key(self) -> str | None:
        return actor_key(self.target)

    def key(self) -> tuple[str, str | None, str | None] | None:
        """Type and actors, unordered for reciprocal types; ``None`` when no actor is known."""
        first, second = self.source_key, self.target_key
        if first is None and second is None:
            return None
        if self.type in RECIPROCAL and (second or "") < (first or ""):
            first, second = second, first
        return (self.type, first, second)


@dataclass
class DocDigest:
    """What the corpus stages keep of a document: identity, actors and its event reports."""

    id: str
    title: str | None
    publisher: str | None
    url: str | None
    path: str
    published: str | None
    actors: list[Actor]
    reports: list[_Pending] = field(default_factory=list)
    copies: list[str] = field(default_factory=list)


def actor_key(actor: ActorRef | None) -> str | None:
    """How an actor is compared across documents: its id, else ``name:<name>``; ``None`` if unknown.

    A name counts only when it looks like a proper name: it starts with a
    capital letter and is not a pronoun ("It", "They").
    """
    if actor is None:
        return None
    if actor.id:
        return actor.id
    name = " ".join(actor.name.split())
    if not name or not name[0].isupper() or name.casefold() in _PRONOUNS:
        return None
    return f"name:{name.casefold()}"


def canonical_id(doc_id: str, duplicates: Mapping[str, str] | None) -> str:
    """The canonical id of a document, following chains of the duplicates map."""
    if not duplicates:
        return doc_id
    seen = {doc_id}
    current = doc_id
    while (nxt := duplicates.get(current)) is not None and nxt not in seen:
        seen.add(nxt)
        current = nxt
    return current


def collect_documents(analyses: Iterable[Analysis],
                      duplicates: Mapping[str, str] | None = None) -> list[DocDigest]:
    """Read the analyses once into light digests (no body), one per set of duplicates.

    Of copies, the canonical document is kept when present, else the first seen;
    the others' ids go to ``copies``.
    """
    chosen: dict[str, DocDigest] = {}
    order: list[str] = []
    for seq, analysis in enumerate(analyses):
        canon = canonical_id(analysis.id, duplicates)
        previous = chosen.get(canon)
        if previous is not None and (previous.id == canon or analysis.id != canon):
            if analysis.id != previous.id:
                previous.copies.append(analysis.id)
            continue
        digest = _digest(analysis, seq)
        if previous is None:
            order.append(canon)
        else:
            digest.copies = [*previous.copies, previous.id]
        chosen[canon] = digest
    return [chosen[canon] for canon in order]


def _digest(analysis: Analysis, seq: int) -> DocDigest:
    by_id = {actor.id: actor for actor in analysis.actors}
    by_name: dict[str, Actor] = {}
    for actor in analysis.actors:
        for name in (actor.name, *actor.aliases_seen):
            by_name.setdefault(_fold(name), actor)
    root = root_event_index(analysis)
    published = period(analysis.published)
    digest = DocDigest(id=analysis.id, title=analysis.title, publisher=analysis.publisher,
                       url=analysis.url, path=analysis.path, published=analysis.published,
                       actors=list(analysis.actors))
    for index, event in enumerate(analysis.events):
        source = _resolve(event.source, by_id, by_name)
        target = _resolve(event.target, by_id, by_name)
        when = period(event.date, event.date_precision)
        place = by_name.get(_fold(event.location)) if event.location else None
        report = Report(
            doc=analysis.id, title=analysis.title, publisher=analysis.publisher,
            url=analysis.url, path=analysis.path, published=analysis.published,
            sentence=event.sentence, start=event.start, end=event.end, footnote=event.footnote,
            holder=event.holder, modality=event.modality, negated=event.negated,
            date=when.value if when else None, precision=when.precision if when else None,
            mode=event.mode, location=event.location,
            location_country=place.country if place else None, trigger=event.trigger,
            source=event.source, target=event.target, event_id=event_id(analysis.id, event),
            root=index == root, tone=_tone(analysis, event, source, target))
        digest.reports.append(_Pending(
            type=event.type, report=report, period=when, source=source, target=target,
            order=(seq, index), published=published.start if published else None))
    return digest


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def _resolve(ref: ActorRef | None, by_id: Mapping[str, Actor],
             by_name: Mapping[str, Actor]) -> TimelineActor | None:
    """The document's actor behind a reference (by id, else by name or alias)."""
    if ref is None:
        return None
    actor = by_id.get(ref.id) if ref.id else by_name.get(_fold(ref.name))
    if actor is not None:
        return TimelineActor(id=actor.id, name=actor.name, type=actor.type,
                             country=actor.country)
    name = " ".join(ref.name.split())
    if not ref.id and not name:
        return None
    return TimelineActor(id=ref.id, name=name or (ref.id or ""))


def root_event_index(analysis: Analysis) -> int | None:
    """Index of the main event: the first event in the body with its type and mode."""
    main = analysis.main_event
    if main is None:
        return None
    candidates = [(event.start, index) for index, event in enumerate(analysis.events)
                  if event.footnote is None and event.type == main.type
                  and event.mode == main.mode]
    return min(candidates)[1] if candidates else None


def _tone(analysis: Analysis, event: Event, source: TimelineActor | None,
          target: TimelineActor | None) -> float | None:
    """The tone of the claim that holds the event's sentence; else toward its actors."""
    best: tuple[int, float] | None = None
    for claim in analysis.claims:
        if claim.footnote != event.footnote:
            continue
        overlap = min(claim.end, event.end) - max(claim.start, event.start)
        if overlap > 0 and (best is None or overlap > best[0]):
            best = (overlap, claim.tone)
    if best is not None:
        return best[1]
    scores = [analysis.tone.by_actor[actor.name] for actor in (source, target)
              if actor is not None and actor.name in analysis.tone.by_actor]
    return round(sum(scores) / len(scores), 4) if scores else None


# --- merging ------------------------------------------------------------------------------

@dataclass
class _Cluster:
    period: Period | None
    members: list[_Pending] = field(default_factory=list)
    mode: str | None = None

    def accepts(self, mode: str | None) -> bool:
        return mode is None or self.mode is None or mode == self.mode

    def add(self, pending: _Pending) -> None:
        self.members.append(pending)
        if self.mode is None:
            self.mode = pending.report.mode


def merge_events(docs: Iterable[DocDigest]) -> list[TimelineEntry]:
    """Merge the reports of the documents into entries: dated ones in timeline order, then undated.

    See the module docstring for the merge and ordering rules.
    """
    docs = list(docs)
    groups: dict[tuple[str, str | None, str | None], list[_Pending]] = {}
    clusters: list[_Cluster] = []
    for doc in docs:
        for pending in doc.reports:
            key = pending.key()
            if key is None:
                single = _Cluster(pending.period)
                single.add(pending)
                clusters.append(single)
            else:
                groups.setdefault(key, []).append(pending)
    for members in groups.values():
        clusters.extend(_cluster(members))
    copies = {doc.id: doc.copies for doc in docs}
    entries = [_entry(cluster, copies) for cluster in clusters]
    dated = [entry for entry in entries if entry.date is not None]
    undated = [entry for entry in entries if entry.date is None]
    dated.sort(key=lambda e: (_entry_period(e).sort_key(), e.type, e.summary, e.id))
    undated.sort(key=lambda e: (e.type, e.summary, e.id))
    return dated + undated


def _entry_period(entry: TimelineEntry) -> Period:
    found = period(entry.date, entry.precision)
    assert found is not None
    return found


def _cluster(members: list[_Pending]) -> list[_Cluster]:
    """Cluster the reports of one type and actor pair by mode and compatible dates."""
    dated = sorted((p for p in members if p.period is not None),
                   key=lambda p: (_RANK[p.period.precision] if p.period else 0,
                                  p.period.start if p.period else date.min, p.order))
    clusters: list[_Cluster] = []
    for pending in dated:
        assert pending.period is not None
        fits = [c for c in clusters if c.period is not None
                and c.accepts(pending.report.mode) and _compatible(c.period, pending.period)]
        if fits:
            best = min(fits, key=lambda c: (-len(c.members),
                                            c.period.start if c.period else date.min))
            best.add(pending)
        else:
            cluster = _Cluster(pending.period)
            cluster.add(pending)
            clusters.append(cluster)
    undated: list[_Cluster] = []
    for pending in (p for p in members if p.period is None):
        home = _place_undated(pending, clusters)
        if home is None:
            both_known = pending.source_key is not None and pending.target_key is not None
            home = next((c for c in undated if both_known and c.accepts(pending.report.mode)),
                        None)
            if home is None:
                home = _Cluster(None)
                undated.append(home)
        home.add(pending)
    return clusters + undated


def _compatible(first: Period, second: Period) -> bool:
    """One period contains the other (2023-03 and 2023-03-20; a day and itself)."""
    return first.contains(second) or second.contains(first)


def _place_undated(pending: _Pending, clusters: list[_Cluster]) -> _Cluster | None:
    """The dated cluster an undated report joins: both actors known and one cluster fits."""
    if pending.source_key is None or pending.target_key is None:
        return None
    fits = [c for c in clusters if c.accepts(pending.report.mode)]
    if len(fits) == 1:
        return fits[0]
    if not fits or pending.published is None:
        return None
    published = pending.published
    before = [c for c in fits if c.period is not None and c.period.start <= published]
    if not before:
        return None
    latest = max(c.period.start for c in before if c.period is not None)
    at_latest = [c for c in before if c.period is not None and c.period.start == latest]
    return at_latest[0] if len(at_latest) == 1 else None


def _report_order(pending: _Pending) -> tuple[bool, str, str, bool, int]:
    report = pending.report
    return (report.published is None, report.published or "", report.doc,
            report.footnote is not None, report.start)


def _entry(cluster: _Cluster, copies: Mapping[str, list[str]]) -> TimelineEntry:
    members = sorted(cluster.members, key=_report_order)
    first = members[0]
    event_type = first.type
    # Orientation: the most common among the reports (reciprocal types may be told both ways).
    orientations = Counter((p.source_key, p.target_key) for p in members)
    best_count = max(orientations.values())
    source_key, target_key = next((p.source_key, p.target_key) for p in members
                                  if orientations[(p.source_key, p.target_key)] == best_count)
    known: dict[str, TimelineActor] = {}
    for pending in members:
        for actor in (pending.source, pending.target):
            key = actor_key(actor)
            if key is not None and actor is not None and (
                    key not in known or (known[key].type is None and actor.type is not None)):
                known[key] = actor
    source = known[source_key] if source_key else _unknown(members, "source")
    target = known[target_key] if target_key else _unknown(members, "target")
    locations = Counter(p.report.location for p in members if p.report.location)
    location = max(locations, key=lambda loc: (locations[loc], -_first_index(members, loc))) \
        if locations else None
    negations = [p.report.negated for p in members]
    reports = [p.report.model_copy(update={"copies": list(copies[p.report.doc])})
               if copies.get(p.report.doc) else p.report for p in members]
    when = cluster.period
    entry = TimelineEntry(
        id=first.report.event_id, date=when.value if when else None,
        precision=when.precision if when else None, type=event_type, mode=cluster.mode,
        source=source, target=target, negated=all(negations),
        contested=any(negations) and not all(negations), location=location,
        documents=len({r.doc for r in reports}), reports=reports, summary="")
    entry.summary = summary(entry)
    return entry


def _first_index(members: list[_Pending], location: str) -> int:
    return next(i for i, p in enumerate(members) if p.report.location == location)


def _unknown(members: list[_Pending], side: str) -> TimelineActor | None:
    """An unknown side as the first report names it ("leaders"), or nothing."""
    for pending in members:
        actor = pending.source if side == "source" else pending.target
        if actor is not None:
            return actor
    return None


def summary(entry: TimelineEntry) -> str:
    """One line for people: ``2023-03-20 · CONSULT (visit) · Xi Jinping → Russia``."""
    when = period(entry.date, entry.precision)
    parts = [when.label() if when else "undated",
             f"{entry.type} ({entry.mode})" if entry.mode else entry.type]
    if entry.source is not None or entry.target is not None:
        source = entry.source.name if entry.source else "?"
        target = entry.target.name if entry.target else "?"
        parts.append(f"{source} → {target}")
    if entry.negated:
        parts.append("negated")
    elif entry.contested:
        parts.append("negated by some reports")
    return " · ".join(parts)


# --- the timeline -------------------------------------------------------------------------

def timeline(analyses: Iterable[Analysis], *, actor: str | None = None,
             duplicates: Mapping[str, str] | None = None,
             undated: bool = False) -> list[TimelineEntry]:
    """The corpus's events in date order, each real event once with all its reports.

    ``actor`` keeps the entries whose source or target is that actor, given by id,
    name or any alias a document saw (case-insensitive: ``kremlin`` finds
    ``state:RUS``). ``duplicates`` maps document ids to canonical ids. Undated
    events are left out unless ``undated`` is true; then they follow the dated
    ones. See the module docstring for the ordering and merge rules.
    """
    docs = collect_documents(analyses, duplicates)
    entries = merge_events(docs)
    if not undated:
        entries = [entry for entry in entries if entry.date is not None]
    if actor is not None:
        matches = _actor_matcher(actor, docs)
        entries = [entry for entry in entries if matches(entry)]
    return entries


def _actor_matcher(actor: str, docs: list[DocDigest]) -> _Matcher:
    needle = _fold(actor)
    ids = {a.id for doc in docs for a in doc.actors
           if needle in {_fold(a.id), _fold(a.name), *(_fold(s) for s in a.aliases_seen)}}
    return _Matcher(needle, ids)


@dataclass(frozen=True)
class _Matcher:
    needle: str
    ids: set[str]

    def __call__(self, entry: TimelineEntry) -> bool:
        sides: list[ActorRef | None] = [entry.source, entry.target]
        for report in entry.reports:
            sides.extend((report.source, report.target))
        for side in sides:
            if side is None:
                continue
            if side.id is not None and (side.id in self.ids or _fold(side.id) == self.needle):
                return True
            if _fold(side.name) == self.needle:
                return True
        return False
