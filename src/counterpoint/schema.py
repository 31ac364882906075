"""The public contract: pydantic models shared by every stage, the CLI and the store.

Field names follow ``DESIGN.md`` ("the output contract") and must not drift;
new fields may be added. ``RawItem`` is what ingest hands to extract;
``Document`` is what extract returns and what ``counterpoint extract --jsonl``
prints, one per line.
"""

from __future__ import annotations

import hashlib
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "Actor",
    "ActorRef",
    "Analysis",
    "Author",
    "Claim",
    "DateMention",
    "Document",
    "DocumentRef",
    "Event",
    "Footnote",
    "Format",
    "Holder",
    "MainEvent",
    "Provenance",
    "RawItem",
    "Related",
    "Section",
    "Tone",
    "Voice",
    "content_id",
]

Format = Literal["html", "text"]


def content_id(data: bytes | str) -> str:
    """Return the stable document id for some content: 16 hex digits of its SHA-256."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return hashlib.sha256(raw).hexdigest()[:16]


class RawItem(BaseModel):
    """One input document as ingest found it: text plus what the source told us.

    ``source`` names the input for people and error messages: a path, a URL,
    ``-`` for standard input, or ``PATH#N`` for the N-th record of a JSONL, WARC
    or feed file. Hints are metadata from the container (a JSONL field, an HTTP
    header, a feed entry); extraction prefers them to what it guesses.
    """

    model_config = ConfigDict(frozen=True)

    source: str
    text: str
    format: Format
    id: str | None = None
    title: str | None = None
    url: str | None = None
    published: str | None = None
    publisher: str | None = None
    authors: list[str] = Field(default_factory=list)


class Voice(BaseModel):
    """A person speaking in the document: an author or an expert opening a section."""

    name: str
    role: str | None = None
    affiliation: str | None = None


class Author(Voice):
    """A byline."""


class Section(BaseModel):
    """A part of the body under one heading, optionally spoken by one voice."""

    heading: str | None = None
    voice: Voice | None = None
    text: str


class Footnote(BaseModel):
    """A note: its marker as printed in the body (``1``, ``*``) and its text."""

    marker: str
    text: str


class Provenance(BaseModel):
    """Where this text came from: ``relation`` is e.g. ``translation`` or ``republication``."""

    relation: str
    language: str | None = None
    date: str | None = None
    source: str | None = None


class Related(BaseModel):
    """A teaser for another article shown with this one."""

    title: str
    author: str | None = None
    date: str | None = None


class Document(BaseModel):
    """A clean, described article: the output of ``counterpoint extract``."""

    path: str
    id: str
    title: str | None = None
    subtitle: str | None = None
    series: str | None = None
    publisher: str | None = None
    url: str | None = None
    authors: list[Author] = Field(default_factory=list)
    published: str | None = None
    published_estimated: bool = False
    language: str | None = None
    body: str = ""
    sections: list[Section] = Field(default_factory=list)
    footnotes: list[Footnote] = Field(default_factory=list)
    provenance: list[Provenance] = Field(default_factory=list)
    related: list[Related] = Field(default_factory=list)
    format: Format = "text"

    def as_dict(self) -> dict[str, Any]:
        """Return the JSON-ready dict printed by ``--jsonl``."""
        return self.model_dump(mode="json")


# --- analysis (``counterpoint analyze``) ------------------------------------------------

ActorType = Literal["person", "state", "igo", "ngo", "org", "armed_group", "company", "media",
                    "place", "group"]
HolderKind = Literal["author", "expert", "actor", "unnamed", "quoted"]
Attribution = Literal["authorial", "reported", "quoted"]
Modality = Literal["asserted", "planned", "hypothetical", "reported"]


class Actor(BaseModel):
    """A canonical actor found in a document, with the surface forms that named it."""

    id: str
    name: str
    type: ActorType
    country: str | None = None
    aliases_seen: list[str] = Field(default_factory=list)
    mentions: int = 0


class DateMention(BaseModel):
    """A temporal expression normalised to ISO with its precision and offsets into ``body``."""

    text: str
    value: str | None = None
    precision: str | None = None
    start: int
    end: int
    reason: str | None = None


class ActorRef(BaseModel):
    """A reference to an actor of the same document."""

    id: str | None = None
    name: str


class Event(BaseModel):
    """A coded PLOVER event with its sentence and offsets into ``body``."""

    type: str
    mode: str | None = None
    source: ActorRef | None = None
    target: ActorRef | None = None
    date: str | None = None
    date_precision: str | None = None
    location: str | None = None
    negated: bool = False
    modality: Modality = "asserted"
    sentence: str
    start: int
    end: int
    holder: str | None = None
    trigger: str | None = None
    # Marker of the footnote the sentence comes from; then start/end are offsets
    # into that footnote's text instead of ``body``.
    footnote: str | None = None


class Holder(BaseModel):
    """Who holds a claim: the author, a section's expert, a named actor, or an unnamed group."""

    name: str
    kind: HolderKind
    actor_id: str | None = None


class CertaintyOut(BaseModel):
    """A step of the words-of-estimative-probability scale and its probability."""

    label: str
    probability: float
    cue: str | None = None


class Claim(BaseModel):
    """An assertion with its holder, how it is attributed, how sure, and its tone."""

    text: str
    holder: Holder
    attribution: Attribution
    certainty: CertaintyOut
    tone: float = 0.0
    start: int
    end: int
    footnote: str | None = None


class Tone(BaseModel):
    """A document's tone toward each actor, in [-1, 1]."""

    by_actor: dict[str, float] = Field(default_factory=dict)


class DocumentRef(BaseModel):
    """How corpus results cite a document: the ``documents`` of compare and stories."""

    model_config = ConfigDict(frozen=True)

    id: str
    path: str
    title: str | None = None
    publisher: str | None = None
    published: str | None = None


class MainEvent(BaseModel):
    """The document's most salient event."""

    type: str
    mode: str | None = None


class Analysis(Document):
    """A document plus what ``counterpoint analyze`` understood of it."""

    actors: list[Actor] = Field(default_factory=list)
    dates: list[DateMention] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    claims: list[Claim] = Field(default_factory=list)
    tone: Tone = Field(default_factory=Tone)
    main_event: MainEvent | None = None
    analysis_notes: list[str] = Field(default_factory=list)
