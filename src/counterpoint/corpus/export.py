"""Export a corpus as tables: documents, actors, events, claims, and a GDELT-style event table.

``export(analyses, kind, fmt, out)`` writes one table and returns the number of
rows written. Formats:

- ``jsonl``: one JSON object per row, UTF-8; nested fields stay nested.
- ``csv``: UTF-8, a header row, RFC 4180 quoting (fields holding commas, quotes
  or newlines are quoted, quotes doubled), ``\\r\\n`` line ends. Nested fields
  (lists and objects: ``authors``, ``sections``, ``aliases_seen``, ``doc_ids``)
  are JSON-encoded into one cell; booleans are ``true``/``false``; ``None`` is an
  empty cell. Actor references and holders are flattened into columns
  (``source_id``, ``source_name``, ``holder_kind``), in every format.
- ``parquet``: typed columns (nested fields as Arrow lists and structs), written
  in row groups of :data:`ROW_GROUP` rows; reading it back gives the JSONL rows.

JSONL and CSV stream: rows are written as the analyses are read. The GDELT
table must merge events across documents first, so it reads all analyses before
writing, keeping only their events (no bodies). Parquet holds one row group at a
time. ``out`` is a path, or an open stream (text or binary for JSONL and CSV,
binary for Parquet); a stream is flushed, not closed.

Tables (one row per …; columns in order)
----------------------------------------
``documents`` — document. The fields of :class:`counterpoint.schema.Document`
(``path``, ``id``, ``title``, ``subtitle``, ``series``, ``publisher``, ``url``,
``authors``, ``published``, ``published_estimated``, ``language``, ``body``,
``sections``, ``footnotes``, ``provenance``, ``related``, ``format``), then
``canonical`` (the canonical id under ``duplicates``; the id itself when not a
copy), ``main_event_type``, ``main_event_mode``, ``n_actors``, ``n_events``,
``n_claims``.

``actors`` — actor of a document. ``doc``, ``id``, ``name``, ``type``,
``country`` (ISO 3166 alpha-3), ``aliases_seen``, ``mentions``, ``tone`` (the
document's tone toward the actor in [-1, 1], empty when not scored).

``events`` — event of a document. ``doc``, ``id`` (stable: 16 hex digits of a
hash of doc id, footnote, offsets, type, mode and actors), ``index`` (position in
the document's events), ``type``, ``mode``, ``source_id``, ``source_name``,
``target_id``, ``target_name``, ``date``, ``date_precision``, ``location``,
``negated``, ``modality``, ``sentence``, ``start``, ``end`` (offsets into the
body, or into the footnote's text when ``footnote`` is set), ``footnote``,
``holder``, ``trigger``, ``is_root`` (the document's main event).

``claims`` — claim of a document. ``doc``, ``id`` (hash of doc id, footnote,
offsets), ``index``, ``text``, ``holder_name``, ``holder_kind``,
``holder_actor_id``, ``attribution``, ``certainty_label``,
``certainty_probability``, ``certainty_cue``, ``tone``, ``start``, ``end``,
``footnote``.

``gdelt`` — *real* event, after merging the reports of all documents (see
:mod:`counterpoint.corpus.timeline`; near-duplicate copies count once), dated
events in timeline order, then undated ones. GDELT 2.0 column names, our
meanings:

==========================  ============================================================
``GLOBALEVENTID``           integer: the first 60 bits of the hash behind the first
                            report's event ``id`` (stable across runs)
``SQLDATE``                 YYYYMMDD integer: the first day of the event's date period
                            (``2023-03`` gives 20230301); empty when undated
``MonthYear``, ``Year``     YYYYMM and YYYY integers (``MonthYear`` empty when the date is
                            coarser than a month)
``DatePrecision``           ``day``, ``month``, ``year``, ``decade``, ``century``, or empty
``Actor1Code``              the source actor's id (``state:RUS``), empty when unresolved
``Actor1Name``              its name
``Actor1CountryCode``       its ISO 3166 alpha-3 country (GDELT uses CAMEO's, mostly
                            the same)
``Actor1Type1Code``         its type (``person``, ``state``, ``igo``, …)
``Actor2…``                 the same for the target
``IsRootEvent``             1 when a reporting document has it as its main event
``EventCode``               PLOVER type and mode: ``CONSULT.visit``, or ``CONSULT``
``EventRootCode``           PLOVER type
``QuadClass``               1 verbal cooperation, 2 material cooperation, 3 verbal
                            conflict, 4 material conflict (:data:`QUAD_CLASS`)
``NumMentions``             reports of the event (a document may report it twice)
``NumSources``              distinct publishers among the reporting documents (a
                            document without a publisher counts as its own source)
``NumArticles``             distinct reporting documents
``AvgTone``                 mean tone of the reports in [-1, 1] (not GDELT's ±100
                            scale): the tone of the claim holding the sentence, else
                            the document's tone toward the event's actors; empty when
                            none is known
``ActionGeo_FullName``      where it happened, as the text names it
``ActionGeo_CountryCode``   the country of that place when a document knows it as an
                            actor (``Moscow`` → RUS)
``DATEADDED``               YYYYMMDD: earliest publication date of a reporting document
``SOURCEURL``               the first report's document URL, else its path
==========================  ============================================================

followed by our own columns: ``sentence``, ``negated`` (every report negates
it), ``modality``, ``holder`` (all of the first report), ``doc_ids``
(reporting documents), ``summary`` (the timeline's one-line summary).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import types
import typing
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any, Literal

from pydantic import BaseModel

from counterpoint.corpus.timeline import (
    TimelineEntry,
    actor_key,
    canonical_id,
    collect_documents,
    event_id,
    merge_events,
    period,
    root_event_index,
)
from counterpoint.errors import ConfigError
from counterpoint.schema import Analysis, Document

__all__ = [
    "EXPORT_FORMATS",
    "EXPORT_KINDS",
    "QUAD_CLASS",
    "ROW_GROUP",
    "ActorRow",
    "ClaimRow",
    "DocumentRow",
    "EventRow",
    "ExportFormat",
    "ExportKind",
    "GdeltRow",
    "export",
    "rows",
]

ExportKind = Literal["documents", "actors", "events", "claims", "gdelt"]
ExportFormat = Literal["jsonl", "csv", "parquet"]
EXPORT_KINDS: tuple[ExportKind, ...] = ("documents", "actors", "events", "claims", "gdelt")
EXPORT_FORMATS: tuple[ExportFormat, ...] = ("jsonl", "csv", "parquet")
# Rows per Parquet row group.
ROW_GROUP = 10_000
# PLOVER types in GDELT's four quad classes (CAMEO's split: statements of intent,
# consultation and diplomatic support are verbal cooperation; concessions, material
# cooperation, aid and retreat material; requests — PLOVER merges appeals with
# demands — accusations, rejections, threats and protests verbal conflict; the rest
# material conflict).
QUAD_CLASS: dict[str, int] = {
    "AGREE": 1, "CONSULT": 1, "SUPPORT": 1,
    "CONCEDE": 2, "COOPERATE": 2, "AID": 2, "RETREAT": 2,
    "REQUEST": 3, "ACCUSE": 3, "REJECT": 3, "THREATEN": 3, "PROTEST": 3,
    "SANCTION": 4, "MOBILIZE": 4, "COERCE": 4, "ASSAULT": 4,
}


# --- row models ---------------------------------------------------------------------------

class DocumentRow(Document):
    """A row of the ``documents`` table."""

    canonical: str
    main_event_type: str | None = None
    main_event_mode: str | None = None
    n_actors: int = 0
    n_events: int = 0
    n_claims: int = 0


class ActorRow(BaseModel):
    """A row of the ``actors`` table."""

    doc: str
    id: str
    name: str
    type: str
    country: str | None = None
    aliases_seen: list[str]
    mentions: int
    tone: float | None = None


class EventRow(BaseModel):
    """A row of the ``events`` table."""

    doc: str
    id: str
    index: int
    type: str
    mode: str | None = None
    source_id: str | None = None
    source_name: str | None = None
    target_id: str | None = None
    target_name: str | None = None
    date: str | None = None
    date_precision: str | None = None
    location: str | None = None
    negated: bool
    modality: str
    sentence: str
    start: int
    end: int
    footnote: str | None = None
    holder: str | None = None
    trigger: str | None = None
    is_root: bool


class ClaimRow(BaseModel):
    """A row of the ``claims`` table."""

    doc: str
    id: str
    index: int
    text: str
    holder_name: str
    holder_kind: str
    holder_actor_id: str | None = None
    attribution: str
    certainty_label: str
    certainty_probability: float
    certainty_cue: str | None = None
    tone: float
    start: int
    end: int
    footnote: str | None = None


class GdeltRow(BaseModel):
    """A row of the GDELT-style ``gdelt`` table (see the module docstring)."""

    GLOBALEVENTID: int
    SQLDATE: int | None = None
    MonthYear: int | None = None
    Year: int | None = None
    DatePrecision: str | None = None
    Actor1Code: str | None = None
    Actor1Name: str | None = None
    Actor1CountryCode: str | None = None
    Actor1Type1Code: str | None = None
    Actor2Code: str | None = None
    Actor2Name: str | None = None
    Actor2CountryCode: str | None = None
    Actor2Type1Code: str | None = None
    IsRootEvent: int
    EventCode: str
    EventRootCode: str
    QuadClass: int | None = None
    NumMentions: int
    NumSources: int
    NumArticles: int
    AvgTone: float | None = None
    ActionGeo_FullName: str | None = None
    ActionGeo_CountryCode: str | None = None
    DATEADDED: int | None = None
    SOURCEURL: str | None = None
    sentence: str
    negated: bool
    modality: str
    holder: str | None = None
    doc_ids: list[str]
    summary: str


_MODELS: dict[str, type[BaseModel]] = {
    "documents": DocumentRow, "actors": ActorRow, "events": EventRow, "claims": ClaimRow,
    "gdelt": GdeltRow,
}


# --- rows ---------------------------------------------------------------------------------

def rows(analyses: Iterable[Analysis], kind: str, *,
         duplicates: Mapping[str, str] | None = None) -> Iterator[dict[str, Any]]:
    """The rows of one table as JSON-ready dicts, lazily (the GDELT table merges first)."""
    _check(kind, EXPORT_KINDS, "export kind")
    if kind == "gdelt":
        for entry in merge_events(collect_documents(analyses, duplicates)):
            yield _gdelt_row(entry).model_dump(mode="json")
        return
    for analysis in analyses:
        for row in _document_rows(analysis, kind, duplicates):
            yield row.model_dump(mode="json")


def _document_rows(analysis: Analysis, kind: str,
                   duplicates: Mapping[str, str] | None) -> Iterator[BaseModel]:
    if kind == "documents":
        main = analysis.main_event
        fields = {name: getattr(analysis, name) for name in Document.model_fields}
        yield DocumentRow(**fields, canonical=canonical_id(analysis.id, duplicates),
                          main_event_type=main.type if main else None,
                          main_event_mode=main.mode if main else None,
                          n_actors=len(analysis.actors), n_events=len(analysis.events),
                          n_claims=len(analysis.claims))
    elif kind == "actors":
        for actor in analysis.actors:
            yield ActorRow(doc=analysis.id, id=actor.id, name=actor.name, type=actor.type,
                           country=actor.country, aliases_seen=list(actor.aliases_seen),
                           mentions=actor.mentions, tone=analysis.tone.by_actor.get(actor.name))
    elif kind == "events":
        root = root_event_index(analysis)
        for index, event in enumerate(analysis.events):
            yield EventRow(
                doc=analysis.id, id=event_id(analysis.id, event), index=index, type=event.type,
                mode=event.mode, source_id=event.source.id if event.source else None,
                source_name=event.source.name if event.source else None,
                target_id=event.target.id if event.target else None,
                target_name=event.target.name if event.target else None, date=event.date,
                date_precision=event.date_precision, location=event.location,
                negated=event.negated, modality=event.modality, sentence=event.sentence,
                start=event.start, end=event.end, footnote=event.footnote, holder=event.holder,
                trigger=event.trigger, is_root=index == root)
    else:
        for index, claim in enumerate(analysis.claims):
            yield ClaimRow(
                doc=analysis.id, id=_claim_id(analysis.id, claim.footnote, claim.start,
                                              claim.end),
                index=index, text=claim.text, holder_name=claim.holder.name,
                holder_kind=claim.holder.kind, holder_actor_id=claim.holder.actor_id,
                attribution=claim.attribution, certainty_label=claim.certainty.label,
                certainty_probability=claim.certainty.probability,
                certainty_cue=claim.certainty.cue, tone=claim.tone, start=claim.start,
                end=claim.end, footnote=claim.footnote)


def _claim_id(doc_id: str, footnote: str | None, start: int, end: int) -> str:
    text = "\x1f".join((doc_id, footnote or "", str(start), str(end)))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _yyyymmdd(value: str | None) -> int | None:
    found = period(value)
    if found is None:
        return None
    return int(found.start.strftime("%Y%m%d"))


def _gdelt_row(entry: TimelineEntry) -> GdeltRow:
    first = entry.reports[0]
    when = period(entry.date, entry.precision)
    tones = [report.tone for report in entry.reports if report.tone is not None]
    sources = {(report.publisher or "").casefold() or f"doc:{report.doc}"
               for report in entry.reports}
    countries = [report.location_country for report in entry.reports
                 if report.location_country and report.location == entry.location]
    added = [stamp for report in entry.reports
             if (stamp := _yyyymmdd(report.published)) is not None]
    source, target = entry.source, entry.target
    return GdeltRow(
        GLOBALEVENTID=int(entry.id[:15], 16),
        SQLDATE=int(when.start.strftime("%Y%m%d")) if when else None,
        MonthYear=int(when.start.strftime("%Y%m")) if when and when.precision in
        ("day", "month") else None,
        Year=when.start.year if when else None,
        DatePrecision=when.precision if when else None,
        Actor1Code=source.id if source and actor_key(source) else None,
        Actor1Name=source.name if source else None,
        Actor1CountryCode=source.country if source else None,
        Actor1Type1Code=source.type if source else None,
        Actor2Code=target.id if target and actor_key(target) else None,
        Actor2Name=target.name if target else None,
        Actor2CountryCode=target.country if target else None,
        Actor2Type1Code=target.type if target else None,
        IsRootEvent=int(any(report.root for report in entry.reports)),
        EventCode=f"{entry.type}.{entry.mode}" if entry.mode else entry.type,
        EventRootCode=entry.type,
        QuadClass=QUAD_CLASS.get(entry.type),
        NumMentions=len(entry.reports),
        NumSources=len(sources),
        NumArticles=entry.documents,
        AvgTone=round(sum(tones) / len(tones), 4) if tones else None,
        ActionGeo_FullName=entry.location,
        ActionGeo_CountryCode=countries[0] if countries else None,
        DATEADDED=min(added) if added else None,
        SOURCEURL=first.url or first.path,
        sentence=first.sentence, negated=entry.negated, modality=first.modality,
        holder=first.holder, doc_ids=sorted({report.doc for report in entry.reports}),
        summary=entry.summary)


# --- writing ------------------------------------------------------------------------------

def export(analyses: Iterable[Analysis], kind: str, fmt: str,
           out: str | os.PathLike[str] | IO[Any], *,
           duplicates: Mapping[str, str] | None = None, row_group: int = ROW_GROUP) -> int:
    """Write one table (``kind``) of the analyses as ``fmt`` to ``out``; return the rows written.

    ``kind`` is one of :data:`EXPORT_KINDS`, ``fmt`` one of :data:`EXPORT_FORMATS`
    (else :class:`~counterpoint.errors.ConfigError`). ``duplicates`` maps document
    ids to canonical ids: it fills the ``canonical`` column and merges copies in
    the GDELT table. See the module docstring for the tables and formats.
    """
    _check(kind, EXPORT_KINDS, "export kind")
    _check(fmt, EXPORT_FORMATS, "export format")
    model = _MODELS[kind]
    table = rows(analyses, kind, duplicates=duplicates)
    if fmt == "parquet":
        return _write_parquet(table, model, out, row_group)
    with _TextOutput(out) as handle:
        if fmt == "jsonl":
            return _write_jsonl(table, handle)
        return _write_csv(table, list(model.model_fields), handle)


def _check(value: str, allowed: tuple[str, ...], what: str) -> None:
    if value not in allowed:
        raise ConfigError(f"unknown {what} {value!r}: choose one of {', '.join(allowed)}")


def _write_jsonl(table: Iterable[dict[str, Any]], handle: IO[str]) -> int:
    count = 0
    for row in table:
        handle.write(json.dumps(row, ensure_ascii=False))
        handle.write("\n")
        count += 1
    return count


def _write_csv(table: Iterable[dict[str, Any]], header: list[str], handle: IO[str]) -> int:
    writer = csv.writer(handle)
    writer.writerow(header)
    count = 0
    for row in table:
        writer.writerow([_cell(row[name]) for name in header])
        count += 1
    return count


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


class _TextOutput:
    """A UTF-8 text handle on a path or stream; closes what it opened, flushes the rest."""

    def __init__(self, out: str | os.PathLike[str] | IO[Any]) -> None:
        self.out = out
        self.handle: IO[str] | None = None
        self.wrapper: io.TextIOWrapper | None = None

    def __enter__(self) -> IO[str]:
        if isinstance(self.out, str | os.PathLike):
            self.handle = Path(self.out).open("w", encoding="utf-8", newline="")
            return self.handle
        if _is_binary(self.out):
            self.wrapper = io.TextIOWrapper(self.out, encoding="utf-8", newline="",
                                            write_through=True)
            return self.wrapper
        return typing.cast("IO[str]", self.out)

    def __exit__(self, *exc: object) -> None:
        if self.handle is not None:
            self.handle.close()
        elif self.wrapper is not None:
            self.wrapper.flush()
            self.wrapper.detach()
        else:
            typing.cast("IO[str]", self.out).flush()


def _is_binary(stream: Any) -> bool:
    if isinstance(stream, io.TextIOBase):
        return False
    if isinstance(stream, io.RawIOBase | io.BufferedIOBase):
        return True
    return "b" in str(getattr(stream, "mode", ""))


# --- Parquet ------------------------------------------------------------------------------

def _write_parquet(table: Iterable[dict[str, Any]], model: type[BaseModel],
                   out: str | os.PathLike[str] | IO[Any], row_group: int) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    if not isinstance(out, str | os.PathLike) and not _is_binary(out):
        raise ConfigError("Parquet needs a file path or a binary stream, not a text stream")
    schema = arrow_schema(model)
    target = os.fspath(out) if isinstance(out, str | os.PathLike) else out
    count = 0
    batch: list[dict[str, Any]] = []
    with pq.ParquetWriter(target, schema) as writer:
        for row in table:
            batch.append(row)
            if len(batch) >= row_group:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                count += len(batch)
                batch = []
        if batch or count == 0:
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
            count += len(batch)
    return count


def arrow_schema(model: type[BaseModel]) -> Any:
    """The Arrow schema of a row model: its fields in order, nested models as structs."""
    import pyarrow as pa

    return pa.schema([pa.field(name, _arrow_type(info.annotation))
                      for name, info in model.model_fields.items()])


def _arrow_type(annotation: Any) -> Any:
    import pyarrow as pa

    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        inner = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        if len(inner) == 1:
            return _arrow_type(inner[0])
    elif origin is Literal:
        return pa.string()
    elif origin is list:
        return pa.list_(_arrow_type(typing.get_args(annotation)[0]))
    elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return pa.struct([pa.field(name, _arrow_type(info.annotation))
                          for name, info in annotation.model_fields.items()])
    scalars = {str: pa.string(), bool: pa.bool_(), int: pa.int64(), float: pa.float64()}
    if annotation in scalars:
        return scalars[annotation]
    raise TypeError(f"no Arrow type for {annotation!r}")
