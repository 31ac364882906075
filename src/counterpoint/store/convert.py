"""Between the contract (:class:`~counterpoint.schema.Analysis`) and the tables.

:func:`document_values` and :func:`child_rows` flatten an analysis into plain
dicts ready for bulk inserts; :func:`analysis_from_row` rebuilds the very same
analysis (``model_dump()`` equal) from a :class:`DocumentRow` whose lists are
loaded. Nested optional objects are stored as their columns, with a required
column standing for the object itself: a section's ``voice_name`` is NULL when
it has no voice, an event's ``source_name`` when it has no source, the
document's ``main_event_type`` when it has no main event.

:data:`STORED_FIELDS` lists every contract field this module maps; a test
compares it with the pydantic models, so a field added to the contract cannot
be dropped silently by the store.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from typing import Any

from counterpoint.schema import (
    Actor,
    ActorRef,
    Analysis,
    Author,
    Claim,
    DateMention,
    Event,
    Footnote,
    Holder,
    MainEvent,
    Provenance,
    Related,
    Section,
    Tone,
    Voice,
)
from counterpoint.schema import CertaintyOut as Certainty
from counterpoint.store.models import (
    AuthorRow,
    Base,
    ClaimRow,
    DateRow,
    DocumentActorRow,
    DocumentRow,
    EventRow,
    FootnoteRow,
    ProvenanceRow,
    RelatedRow,
    SectionRow,
    ToneRow,
)

__all__ = ["STORED_FIELDS", "analysis_from_row", "child_rows", "content_hash",
           "document_values"]

Rows = dict[type[Base], list[dict[str, Any]]]

STORED_FIELDS: dict[str, frozenset[str]] = {
    "Analysis": frozenset({
        "path", "id", "title", "subtitle", "series", "publisher", "url", "authors",
        "published", "published_estimated", "language", "body", "sections", "footnotes",
        "provenance", "related", "format", "actors", "dates", "events", "claims", "tone",
        "main_event", "analysis_notes"}),
    "Author": frozenset({"name", "role", "affiliation"}),
    "Voice": frozenset({"name", "role", "affiliation"}),
    "Section": frozenset({"heading", "voice", "text"}),
    "Footnote": frozenset({"marker", "text"}),
    "Provenance": frozenset({"relation", "language", "date", "source"}),
    "Related": frozenset({"title", "author", "date"}),
    "Actor": frozenset({"id", "name", "type", "country", "aliases_seen", "mentions"}),
    "DateMention": frozenset({"text", "value", "precision", "start", "end", "reason"}),
    "ActorRef": frozenset({"id", "name"}),
    "Event": frozenset({"type", "mode", "source", "target", "date", "date_precision",
                        "location", "negated", "modality", "sentence", "start", "end",
                        "holder", "trigger", "footnote"}),
    "Holder": frozenset({"name", "kind", "actor_id"}),
    "CertaintyOut": frozenset({"label", "probability", "cue"}),
    "Claim": frozenset({"text", "holder", "attribution", "certainty", "tone", "start", "end",
                        "footnote"}),
    "Tone": frozenset({"by_actor"}),
    "MainEvent": frozenset({"type", "mode"}),
}


def sha256(text: str) -> str:
    """Hex SHA-256 of a text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def content_hash(analysis: Analysis) -> str:
    """The hash that makes ``add`` idempotent: same analysis, same hash."""
    return sha256(analysis.model_dump_json())


def document_values(analysis: Analysis, *, analyzer_version: str) -> dict[str, Any]:
    """The ``documents`` row of an analysis (timestamps excepted)."""
    main = analysis.main_event
    return {
        "id": analysis.id,
        "content_hash": content_hash(analysis),
        "body_hash": sha256(analysis.body),
        "path": analysis.path,
        "url": analysis.url,
        "title": analysis.title,
        "subtitle": analysis.subtitle,
        "series": analysis.series,
        "publisher": analysis.publisher,
        "published": analysis.published,
        "published_estimated": analysis.published_estimated,
        "language": analysis.language,
        "body": analysis.body,
        "format": analysis.format,
        "main_event_type": main.type if main else None,
        "main_event_mode": main.mode if main else None,
        "analysis_notes": list(analysis.analysis_notes),
        "analyzer_version": analyzer_version,
    }


def actor_values(analysis: Analysis) -> list[dict[str, Any]]:
    """The corpus-wide ``actors`` rows of an analysis, one per id, sorted by id.

    Sorted so concurrent writers upsert shared actors in the same order and
    cannot deadlock each other.
    """
    by_id = {a.id: {"id": a.id, "name": a.name, "type": a.type, "country": a.country}
             for a in analysis.actors}
    return [by_id[key] for key in sorted(by_id)]


def child_rows(analysis: Analysis) -> Rows:
    """Every child row of an analysis, by model, each list in order."""
    doc = analysis.id

    def rows(items: list[Any], convert: Any) -> list[dict[str, Any]]:
        return [{"document_id": doc, "position": i, **convert(item)}
                for i, item in enumerate(items)]

    name_counts = Counter(a.name for a in analysis.actors)
    actor_by_name = {a.name: a.id for a in analysis.actors if name_counts[a.name] == 1}
    return {
        AuthorRow: rows(analysis.authors, _author),
        SectionRow: rows(analysis.sections, _section),
        FootnoteRow: rows(analysis.footnotes, lambda f: {"marker": f.marker, "text": f.text}),
        ProvenanceRow: rows(analysis.provenance, lambda p: {
            "relation": p.relation, "language": p.language, "date": p.date,
            "source": p.source}),
        RelatedRow: rows(analysis.related, lambda r: {
            "title": r.title, "author": r.author, "date": r.date}),
        DocumentActorRow: rows(analysis.actors, _document_actor),
        DateRow: rows(analysis.dates, _date),
        EventRow: rows(analysis.events, _event),
        ClaimRow: rows(analysis.claims, _claim),
        ToneRow: rows(list(analysis.tone.by_actor.items()), lambda kv: {
            "actor_name": kv[0], "actor_id": actor_by_name.get(kv[0]), "score": kv[1]}),
    }


def _author(author: Author) -> dict[str, Any]:
    return {"name": author.name, "role": author.role, "affiliation": author.affiliation}


def _section(section: Section) -> dict[str, Any]:
    voice = section.voice
    return {"heading": section.heading, "text": section.text,
            "voice_name": voice.name if voice else None,
            "voice_role": voice.role if voice else None,
            "voice_affiliation": voice.affiliation if voice else None}


def _document_actor(actor: Actor) -> dict[str, Any]:
    return {"actor_id": actor.id, "name": actor.name, "type": actor.type,
            "country": actor.country, "aliases_seen": list(actor.aliases_seen),
            "mentions": actor.mentions}


def _date(mention: DateMention) -> dict[str, Any]:
    return {"text": mention.text, "value": mention.value, "precision": mention.precision,
            "start_offset": mention.start, "end_offset": mention.end, "reason": mention.reason}


def _event(event: Event) -> dict[str, Any]:
    source, target = event.source, event.target
    return {
        "type": event.type, "mode": event.mode,
        "source_id": source.id if source else None,
        "source_name": source.name if source else None,
        "target_id": target.id if target else None,
        "target_name": target.name if target else None,
        "date": event.date, "date_precision": event.date_precision,
        "location": event.location, "negated": event.negated, "modality": event.modality,
        "sentence": event.sentence, "start_offset": event.start, "end_offset": event.end,
        "holder": event.holder, "trigger": event.trigger, "footnote": event.footnote,
    }


def _claim(claim: Claim) -> dict[str, Any]:
    return {
        "text": claim.text,
        "holder_name": claim.holder.name, "holder_kind": claim.holder.kind,
        "holder_actor_id": claim.holder.actor_id,
        "attribution": claim.attribution,
        "certainty_label": claim.certainty.label,
        "certainty_probability": claim.certainty.probability,
        "certainty_cue": claim.certainty.cue,
        "tone": claim.tone, "start_offset": claim.start, "end_offset": claim.end,
        "footnote": claim.footnote,
    }


# --- back to the contract ---------------------------------------------------------------


def analysis_from_row(row: DocumentRow) -> Analysis:
    """Rebuild the stored :class:`Analysis` from a document row and its loaded lists."""
    main = (MainEvent(type=row.main_event_type, mode=row.main_event_mode)
            if row.main_event_type is not None else None)
    return Analysis(
        path=row.path, id=row.id, title=row.title, subtitle=row.subtitle, series=row.series,
        publisher=row.publisher, url=row.url,
        authors=[Author(name=a.name, role=a.role, affiliation=a.affiliation)
                 for a in row.authors],
        published=row.published, published_estimated=row.published_estimated,
        language=row.language, body=row.body,
        sections=[_section_of(s) for s in row.sections],
        footnotes=[Footnote(marker=f.marker, text=f.text) for f in row.footnotes],
        provenance=[Provenance(relation=p.relation, language=p.language, date=p.date,
                               source=p.source) for p in row.provenance],
        related=[Related(title=r.title, author=r.author, date=r.date) for r in row.related],
        format=row.format,  # type: ignore[arg-type]  # written from the Literal
        actors=[Actor(id=a.actor_id, name=a.name, type=a.type,  # type: ignore[arg-type]
                      country=a.country, aliases_seen=list(a.aliases_seen),
                      mentions=a.mentions) for a in row.actors],
        dates=[DateMention(text=d.text, value=d.value, precision=d.precision,
                           start=d.start_offset, end=d.end_offset, reason=d.reason)
               for d in row.dates],
        events=[_event_of(e) for e in row.events],
        claims=[_claim_of(c) for c in row.claims],
        tone=Tone(by_actor={t.actor_name: t.score for t in row.tones}),
        main_event=main,
        analysis_notes=list(row.analysis_notes),
    )


def _section_of(row: SectionRow) -> Section:
    voice = (Voice(name=row.voice_name, role=row.voice_role, affiliation=row.voice_affiliation)
             if row.voice_name is not None else None)
    return Section(heading=row.heading, voice=voice, text=row.text)


def _ref(actor_id: str | None, name: str | None) -> ActorRef | None:
    return ActorRef(id=actor_id, name=name) if name is not None else None


def _event_of(row: EventRow) -> Event:
    return Event(
        type=row.type, mode=row.mode, source=_ref(row.source_id, row.source_name),
        target=_ref(row.target_id, row.target_name), date=row.date,
        date_precision=row.date_precision, location=row.location, negated=row.negated,
        modality=row.modality,  # type: ignore[arg-type]  # written from the Literal
        sentence=row.sentence, start=row.start_offset, end=row.end_offset,
        holder=row.holder, trigger=row.trigger, footnote=row.footnote,
    )


def _claim_of(row: ClaimRow) -> Claim:
    return Claim(
        text=row.text,
        holder=Holder(name=row.holder_name, kind=row.holder_kind,  # type: ignore[arg-type]
                      actor_id=row.holder_actor_id),
        attribution=row.attribution,  # type: ignore[arg-type]  # written from the Literal
        certainty=Certainty(label=row.certainty_label, probability=row.certainty_probability,
                            cue=row.certainty_cue),
        tone=row.tone, start=row.start_offset, end=row.end_offset, footnote=row.footnote,
    )
