"""Stories: documents about the same real-world event, clustered.

Two documents tell the same story when they are close in time, name the same
principal actors, code the same main event, and read alike. Each pair of
candidates gets a score:

    score = cosine(document embeddings)
          + ACTOR_WEIGHT × Jaccard(principal actors)
          + EVENT_WEIGHT × [same main event type]

and pairs at :data:`LINK_AT` or above are linked; a story is a connected set of
linked documents. (Single linkage can chain two stories through one bridging
document; the threshold is set high enough that this needs a document close to
both.)

Only candidates are scored: documents published within :data:`WINDOW_DAYS` of
each other that share a principal actor, at most :data:`MAX_CANDIDATES` nearest
in time per document. A document without a publication date is placed by the
latest full date its text mentions; one with no date at all is paired with at
most :data:`MAX_CANDIDATES` documents sharing an actor. Cost grows with
n log n (one sort by date, then a bounded number of comparisons per
document), not n².

A document's embedding is that of its title and lead (the first
:data:`LEAD_CHARS` characters of the body), computed once at ingest and
stored.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
from pydantic import BaseModel, Field

from counterpoint.schema import DocumentRef

__all__ = ["LEAD_CHARS", "Story", "StoryDoc", "cluster_stories", "lead_text"]

LEAD_CHARS = 600
WINDOW_DAYS = 10
MAX_CANDIDATES = 200
ACTOR_WEIGHT = 0.25
EVENT_WEIGHT = 0.05
# Documents on one news event: MiniLM cosines of title+lead ~0.55-0.85; on the
# same actors but another event ~0.35-0.55.
LINK_AT = 0.6
# Principal actors: the most mentioned ones, at most this many.
PRINCIPALS = 5


@dataclass
class StoryDoc:
    """What clustering needs of one document."""

    id: str
    path: str
    title: str | None
    publisher: str | None
    published: str | None
    actors: Sequence[str]  # principal actor ids, most mentioned first
    main_event: str | None
    vector: Any  # L2-normalised embedding (numpy array)
    # Without a publication date, the latest full date the text mentions stands in.
    mentioned_day: str | None = None
    day: date | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        self.day = _day(self.published) or _day(self.mentioned_day)


class Story(BaseModel):
    """The contract of ``counterpoint stories --json`` (DESIGN.md), plus dates and actors."""

    id: str
    title: str
    documents: list[DocumentRef]
    start: str | None = None
    end: str | None = None
    actors: list[str] = Field(default_factory=list)


def lead_text(title: str | None, body: str) -> str:
    """The text a document is embedded by: its title and lead."""
    lead = body[:LEAD_CHARS]
    return f"{title}. {lead}" if title else lead


def principal_actors(mentions: Iterable[tuple[str, int]]) -> list[str]:
    """The most mentioned actor ids, at most :data:`PRINCIPALS`."""
    ranked = sorted(mentions, key=lambda item: (-item[1], item[0]))
    return [actor for actor, _ in ranked[:PRINCIPALS]]


def _day(published: str | None) -> date | None:
    if not published:
        return None
    try:
        return date.fromisoformat(published[:10])
    except ValueError:
        return None


def _candidates(docs: list[StoryDoc]) -> Iterable[tuple[int, int]]:
    """Pairs worth scoring: near in time and sharing a principal actor.

    A document with no day at all (no publication date, no dated mention) is
    paired with at most :data:`MAX_CANDIDATES` documents sharing one of its
    actors, found through an index by actor, so the work stays linear in n.
    """
    dated = sorted((i for i, d in enumerate(docs) if d.day is not None),
                   key=lambda i: docs[i].day or date.min)
    for position, i in enumerate(dated):
        day = docs[i].day
        assert day is not None
        taken = 0
        for j in dated[position + 1:]:
            other = docs[j].day
            assert other is not None
            if (other - day).days > WINDOW_DAYS or taken >= MAX_CANDIDATES:
                break
            if set(docs[i].actors) & set(docs[j].actors):
                taken += 1
                yield i, j
    by_actor: dict[str, list[int]] = {}
    for i, doc in enumerate(docs):
        for actor in doc.actors:
            by_actor.setdefault(actor, []).append(i)
    for i, doc in enumerate(docs):
        if doc.day is not None:
            continue
        seen: set[int] = {i}
        for actor in doc.actors:
            for j in by_actor[actor]:
                if len(seen) > MAX_CANDIDATES:
                    break
                if j not in seen and (docs[j].day is not None or j > i):
                    seen.add(j)
                    yield i, j


def _score(a: StoryDoc, b: StoryDoc) -> float:
    cosine = float(np.dot(a.vector, b.vector))
    union = set(a.actors) | set(b.actors)
    jaccard = len(set(a.actors) & set(b.actors)) / len(union) if union else 0.0
    same_event = a.main_event is not None and a.main_event == b.main_event
    return cosine + ACTOR_WEIGHT * jaccard + (EVENT_WEIGHT if same_event else 0.0)


def cluster_stories(docs: Sequence[StoryDoc], *, min_size: int = 2) -> list[Story]:
    """Cluster documents into stories; stories of fewer than ``min_size`` are dropped."""
    items = list(docs)
    parent = list(range(len(items)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, j in _candidates(items):
        if _score(items[i], items[j]) >= LINK_AT:
            parent[find(i)] = find(j)
    groups: dict[int, list[int]] = {}
    for i in range(len(items)):
        groups.setdefault(find(i), []).append(i)
    stories = [_story([items[i] for i in members]) for members in groups.values()
               if len(members) >= min_size]
    stories.sort(key=lambda s: (-len(s.documents), s.start or "", s.id))
    return stories


def _story(members: list[StoryDoc]) -> Story:
    members.sort(key=lambda d: (d.day or date.max, d.id))
    centre = np.mean([m.vector for m in members], axis=0)
    central = max(members, key=lambda m: float(np.dot(m.vector, centre)))
    days = [m.day for m in members if m.day is not None]
    counts: dict[str, int] = {}
    for member in members:
        for actor in member.actors:
            counts[actor] = counts.get(actor, 0) + 1
    actors = [a for a, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
              if n * 2 >= len(members)]
    ident = hashlib.sha1(members[0].id.encode()).hexdigest()[:12]
    return Story(
        id=f"story-{ident}", title=central.title or central.path,
        documents=[DocumentRef(id=m.id, path=m.path, title=m.title, publisher=m.publisher,
                               published=m.published) for m in members],
        start=min(days).isoformat() if days else None,
        end=max(days).isoformat() if days else None,
        actors=actors)
