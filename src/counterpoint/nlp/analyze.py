"""Analyze: a :class:`Document` in, an :class:`Analysis` out.

One pure function of the document (plus read-only resources loaded once per
process: the spaCy model, the gazetteer, the lexicons), so it runs the same in
one process, a pool or on Dask. :func:`analyze_many` parses in batches with
``nlp.pipe``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

from counterpoint.nlp.actors import Mention, Resolver, resolve_mentions
from counterpoint.nlp.claims import VoiceSpan, extract_claims
from counterpoint.nlp.events import CodedEvent, attached, code_sentence, headline_case
from counterpoint.nlp.gazetteer import load_gazetteer
from counterpoint.nlp.pipeline import BATCH_SIZE, MAX_CHARS, parse, parse_many
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

__all__ = ["ANALYZER_VERSION", "analyze", "analyze_many"]

ANALYZER_VERSION = "0.1.0"
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


def _analyze_batch(documents: list[Document], batch_size: int) -> Iterator[Analysis]:
    runnable = [d for d in documents if _skip_reason(d) is None]
    parsed = dict(zip((id(d) for d in runnable),
                      parse_many((_for_parsing(d.body) for d in runnable), batch_size),
                      strict=True))
    for document in documents:
        reason = _skip_reason(document)
        base = document.model_dump()
        if reason is not None:
            yield Analysis(**base, analysis_notes=[reason])
            continue
        yield _analyze_parsed(document, parsed[id(document)], base)


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


def _analyze_parsed(document: Document, doc: Any, base: dict[str, Any]) -> Analysis:
    anchor = _anchor(document)
    resolver = Resolver(anchor)
    headings = _heading_ranges(document)
    # NER reads Title Case headings as organisations ("Strengthening Bilateral
    # Trade Relations"); in a heading only names the gazetteer knows count.
    entities = [e for e in doc.ents
                if not any(s <= e.start_char < t for s, t in headings) or _known_name(e.text)]
    mentions, _ = resolve_mentions(entities, anchor, resolver)
    by_token = {t.i: m for m in mentions for t in m.span}
    actors = resolver.results()
    names = {a.id: a.name for a in actors}

    def resolve_span(span: Any) -> tuple[str, str | None]:
        mention = next((by_token[t.i] for t in span if t.i in by_token), None)
        if mention is None:
            return str(span.text), None
        return names.get(mention.actor_id, mention.text), mention.actor_id

    dates = [DateMention(text=m.text, value=m.value, precision=m.precision, start=m.start,
                         end=m.end, reason=m.reason) for m in find_dates(doc, anchor)]
    voices = _voices(document)
    author = (document.authors[0].name if document.authors else document.publisher)
    events = [e for e in (_event(sentence, by_token, names, dates=dates, voices=voices,
                                 author=author) for sentence in doc.sents) if e is not None]
    claims = extract_claims(doc, voices=voices, author=author, resolve=resolve_span)
    tone = tone_by_actor((names[m.actor_id], m.span) for m in mentions)
    notes = []
    if len(document.body) > MAX_CHARS:
        notes.append(f"body longer than {MAX_CHARS:,} characters: analysed the first part only")
    return Analysis(**base, actors=actors, dates=dates, events=events, claims=claims,
                    tone=Tone(by_actor=tone), main_event=_main_event(document, events),
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


def _event(sentence: Any, by_token: dict[int, Mention], names: dict[str, str], *,
           dates: list[DateMention], voices: list[VoiceSpan], author: str | None
           ) -> Event | None:
    coded: CodedEvent | None = code_sentence(sentence)
    if coded is None:
        return None
    start, end = sentence.start_char, sentence.end_char
    when = None
    for mention in dates:
        if not (start <= mention.start < end and mention.value):
            continue
        span = sentence.doc.char_span(mention.start, mention.end, alignment_mode="expand")
        if span is not None and attached(span.root, coded.anchors):
            when = mention
            break
    voice = next((v.voice.name for v in voices if v.start <= start < v.end), None)
    holder_ref = _ref(coded.holder, by_token, names)
    location = coded.location.text if coded.location is not None else None
    return Event(
        type=coded.type, mode=coded.mode,
        source=_ref(coded.source, by_token, names), target=_ref(coded.target, by_token, names),
        date=when.value if when else None, date_precision=when.precision if when else None,
        location=location, negated=coded.negated, modality=coded.modality,
        sentence=sentence.text.strip(), start=start, end=end,
        holder=holder_ref.name if holder_ref else (voice or author),
        trigger=coded.trigger,
    )


def _main_event(document: Document, events: list[Event]) -> MainEvent | None:
    """The most salient event: the title's, else the most weighted type in the text."""
    if document.title:
        for sentence in parse(headline_case(document.title, _known_name)).sents:
            coded = code_sentence(sentence)
            if coded is not None:
                return MainEvent(type=coded.type, mode=coded.mode)
    if not events:
        return None
    weights: dict[tuple[str, str | None], float] = {}
    for event in events:
        key = (event.type, event.mode)
        weights[key] = weights.get(key, 0.0) + (LEAD_WEIGHT if event.start < LEAD_CHARS else 1.0)
    kind, mode = max(weights, key=lambda k: weights[k])
    return MainEvent(type=kind, mode=mode)
