"""Analyze: a :class:`Document` in, an :class:`Analysis` out.

One pure function of the document (plus read-only resources loaded once per
process: the spaCy model, the gazetteer, the lexicons), so it runs the same in
one process, a pool or on Dask. :func:`analyze_many` parses in batches with
``nlp.pipe``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from typing import Any

from counterpoint.nlp.actors import Mention, Resolver, resolve_mentions
from counterpoint.nlp.claims import VoiceSpan, extract_claims
from counterpoint.nlp.events import CodedEvent, attached, code_events, code_sentence, headline_case
from counterpoint.nlp.gazetteer import load_gazetteer
from counterpoint.nlp.pipeline import BATCH_SIZE, MAX_CHARS, parse_many
from counterpoint.nlp.time import find_dates
from counterpoint.nlp.tone import tone_by_actor
from counterpoint.schema import (
    ActorRef,
    Analysis,
    DateMention,
    Document,
    Event,
    MainEvent,
    Tone,
)

__all__ = ["ANALYZER_VERSION", "FAILED", "analyze", "analyze_many"]

ANALYZER_VERSION = "0.2.0"
# Opens the analysis note of a document whose analysis raised (an internal error).
FAILED = "analysis failed: internal error"
# Bodies in another language are reported, not mis-analysed by an English model.
SUPPORTED_LANGUAGES = frozenset({"en"})
# Without a codable title, events in the lead weigh this much more in choosing
# the main event (news puts the main event first).
LEAD_WEIGHT = 2.0
LEAD_CHARS = 600


def analyze(document: Document) -> Analysis:
    """Analyze one document."""
    return next(analyze_many([document], batch_size=1))


def analyze_many(documents: Iterable[Document], batch_size: int = BATCH_SIZE
                 ) -> Iterator[Analysis]:
    """Analyze documents in order, parsing their bodies in batches."""
    pending: list[Document] = []
    for document in documents:
        pending.append(document)
        if len(pending) >= batch_size:
            yield from _analyze_batch(pending, batch_size)
            pending = []
    if pending:
        yield from _analyze_batch(pending, batch_size)


def _texts(document: Document) -> list[str]:
    """What is parsed for one document: its body, its title, then its footnotes."""
    title = headline_case(document.title, _known_name) if document.title else ""
    return [_for_parsing(document.body), title, *(f.text for f in document.footnotes)]


def _analyze_batch(documents: list[Document], batch_size: int) -> Iterator[Analysis]:
    runnable = [d for d in documents if _skip_reason(d) is None]
    texts = [_texts(d) for d in runnable]
    docs = iter(parse_many((t for group in texts for t in group), batch_size))
    parsed = {id(d): [next(docs) for _ in group] for d, group in zip(runnable, texts,
                                                                       strict=True)}
    for document in documents:
        reason = _skip_reason(document)
        base = document.model_dump()
        if reason is not None:
            yield Analysis(**base, analysis_notes=[reason])
            continue
        body, title, *footnotes = parsed[id(document)]
        try:
            yield _analyze_parsed(document, base, body, title, footnotes)
        except Exception as exc:  # a bug on one document must not cost the others
            logging.getLogger(__name__).debug("analysis failed", exc_info=True)
            yield Analysis(**base, analysis_notes=[
                f"{FAILED} ({type(exc).__name__}: {exc}); please report it"])


# A body of one line up to this many words is a headline, often in Title Case.
HEADLINE_WORDS = 30


def _known_name(text: str) -> bool:
    return bool(load_gazetteer().lookup(text))


def _for_parsing(text: str) -> str:
    """Sentence-case a Title Case headline (same length, so offsets still hold)."""
    if "\n" in text.strip() or len(text.split()) > HEADLINE_WORDS:
        return text
    return headline_case(text, _known_name)


def _skip_reason(document: Document) -> str | None:
    if not document.body.strip():
        return "empty body: nothing to analyse"
    if document.language and document.language not in SUPPORTED_LANGUAGES:
        return (f"language '{document.language}' is not supported yet (English only): "
                "not analysed")
    return None


def _anchor(document: Document) -> date | None:
    if not document.published:
        return None
    try:
        return date.fromisoformat(document.published[:10])
    except ValueError:
        return None


def _voices(document: Document) -> list[VoiceSpan]:
    spans: list[VoiceSpan] = []
    position = 0
    for section in document.sections:
        if not section.text:
            continue
        start = document.body.find(section.text, position)
        if start < 0:
            continue
        position = start + len(section.text)
        if section.voice is not None:
            spans.append(VoiceSpan(start, position, section.voice))
    return spans


def _heading_ranges(document: Document) -> list[tuple[int, int]]:
    """Character ranges of the body's section headings (not the experts' opening lines)."""
    ranges: list[tuple[int, int]] = []
    position = 0
    for section in document.sections:
        if section.heading and section.voice is None:
            start = document.body.find(section.heading, position)
            if start >= 0:
                ranges.append((start, start + len(section.heading)))
                position = start + len(section.heading)
    return ranges


def _analyze_parsed(document: Document, base: dict[str, Any], doc: Any, title: Any,
                    footnotes: list[Any]) -> Analysis:
    anchor = _anchor(document)
    resolver = Resolver(anchor)
    headings = _heading_ranges(document)
    # NER reads Title Case headings as organisations ("Strengthening Bilateral
    # Trade Relations"); in a heading only names the gazetteer knows count.
    entities = [e for e in doc.ents
                if not any(s <= e.start_char < t for s, t in headings) or _known_name(e.text)]
    mentions, _ = resolve_mentions(entities, anchor, resolver)
    # Footnotes often carry the facts a body only alludes to ("the deal brokered
    # by China"): their actors, events and claims count, marked with the footnote.
    note_mentions = [resolve_mentions(list(f.ents), anchor, resolver)[0] for f in footnotes]
    by_token = {t.i: m for m in mentions for t in m.span}
    actors = resolver.results()
    names = {a.id: a.name for a in actors}

    def resolver_for(table: dict[int, Mention]) -> Callable[[Any], tuple[str, str | None]]:
        def resolve_span(span: Any) -> tuple[str, str | None]:
            mention = next((table[t.i] for t in span if t.i in table), None)
            if mention is None:
                return str(span.text), None
            return names.get(mention.actor_id, mention.text), mention.actor_id
        return resolve_span

    dates = [DateMention(text=m.text, value=m.value, precision=m.precision, start=m.start,
                         end=m.end, reason=m.reason) for m in find_dates(doc, anchor)]
    voices = _voices(document)
    author = (document.authors[0].name if document.authors else document.publisher)
    events = [e for sentence in doc.sents
              for e in _events(sentence, by_token, names, dates=dates, voices=voices,
                               author=author)]
    claims = extract_claims(doc, voices=voices, author=author, resolve=resolver_for(by_token))
    for note, parsed, found in zip(document.footnotes, footnotes, note_mentions, strict=True):
        table = {t.i: m for m in found for t in m.span}
        note_dates = [DateMention(text=m.text, value=m.value, precision=m.precision,
                                  start=m.start, end=m.end) for m in find_dates(parsed, anchor)]
        events += [e.model_copy(update={"footnote": note.marker})
                   for sentence in parsed.sents
                   for e in _events(sentence, table, names, dates=note_dates, voices=[],
                                    author=author)]
        claims += [c.model_copy(update={"footnote": note.marker})
                   for c in extract_claims(parsed, author=author, resolve=resolver_for(table))]
    tone = tone_by_actor((names[m.actor_id], m.span)
                         for m in [*mentions, *(m for found in note_mentions for m in found)])
    notes = []
    if len(document.body) > MAX_CHARS:
        notes.append(f"body longer than {MAX_CHARS:,} characters: analysed the first part only")
    return Analysis(**base, actors=actors, dates=dates, events=events, claims=claims,
                    tone=Tone(by_actor=tone), main_event=_main_event(title, events),
                    analysis_notes=notes)


def _ref(token: Any, by_token: dict[int, Mention], names: dict[str, str]) -> ActorRef | None:
    if token is None:
        return None
    for t in token.subtree if token.i not in by_token else [token]:
        mention = by_token.get(t.i)
        if mention is not None:
            return ActorRef(id=mention.actor_id, name=names.get(mention.actor_id, mention.text))
    words = [t for t in token.subtree if t.dep_ in ("compound", "amod") or t.i == token.i]
    return ActorRef(name=" ".join(t.text for t in sorted(words, key=lambda t: t.i)))


def _events(sentence: Any, by_token: dict[int, Mention], names: dict[str, str], *,
            dates: list[DateMention], voices: list[VoiceSpan], author: str | None
            ) -> list[Event]:
    start, end = sentence.start_char, sentence.end_char
    voice = next((v.voice.name for v in voices if v.start <= start < v.end), None)
    events = []
    for coded in code_events(sentence):
        when = _date_of(coded, sentence, dates)
        holder_ref = _ref(coded.holder, by_token, names)
        location = coded.location.text if coded.location is not None else None
        events.append(Event(
            type=coded.type, mode=coded.mode,
            source=_ref(coded.source, by_token, names),
            target=_ref(coded.target, by_token, names),
            date=when.value if when else None,
            date_precision=when.precision if when else None,
            location=location, negated=coded.negated, modality=coded.modality,
            sentence=sentence.text.strip(), start=start, end=end,
            holder=holder_ref.name if holder_ref else (voice or author),
            trigger=coded.trigger,
        ))
    return events


def _date_of(coded: CodedEvent, sentence: Any, dates: list[DateMention]) -> DateMention | None:
    """The sentence's temporal expression that hangs from this event, if any."""
    for mention in dates:
        if not (sentence.start_char <= mention.start < sentence.end_char and mention.value):
            continue
        span = sentence.doc.char_span(mention.start, mention.end, alignment_mode="expand")
        if span is not None and attached(span.root, coded.anchors):
            return mention
    return None


def _main_event(title: Any, events: list[Event]) -> MainEvent | None:
    """The most salient event: the title's, else the most weighted type in the body."""
    for sentence in title.sents:
        coded = code_sentence(sentence)
        if coded is not None:
            return MainEvent(type=coded.type, mode=coded.mode)
    weights: dict[tuple[str, str | None], float] = {}
    for event in events:
        if event.footnote is not None:
            continue
        key = (event.type, event.mode)
        weights[key] = weights.get(key, 0.0) + (LEAD_WEIGHT if event.start < LEAD_CHARS else 1.0)
    if not weights:
        return None
    kind, mode = max(weights, key=lambda k: weights[k])
    return MainEvent(type=kind, mode=mode)
