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

Only candidates are scored: for each dated document, its :data:`NEIGHBOURS`
nearest documents by embedding among those published within
:data:`WINDOW_DAYS` of it that share a principal actor with it. The corpus is
walked in blocks of :data:`WINDOW_DAYS` days; each block's documents are looked
up among the documents of the days around it, exactly (one matrix product) for
up to :data:`EXACT_UP_TO` documents, beyond that through an approximate
nearest-neighbour index (faiss HNSW, built with one thread so the result does
not vary). A document without a publication date is placed by the latest full
date its text mentions; one with no date at all is paired with at most
:data:`MAX_CANDIDATES` documents sharing an actor. So the work grows with the
number of documents times the neighbours kept, near-linearly, however many
documents a busy news day brings.

A document's embedding is that of its title and lead (the first
:data:`LEAD_CHARS` characters of the body), computed once at ingest and
stored.
"""

from __future__ import annotations

import bisect
import hashlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import numpy as np
from pydantic import BaseModel, Field

from counterpoint.schema import DocumentRef

__all__ = ["LEAD_CHARS", "Story", "StoryDoc", "cluster_stories", "lead_text"]

LEAD_CHARS = 600
WINDOW_DAYS = 10
MAX_CANDIDATES = 200
# Nearest neighbours by embedding scored per dated document.
NEIGHBOURS = 50
# Documents around one block of days compared exactly; more go through HNSW.
EXACT_UP_TO = 8_192
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


def _candidates(docs: list[StoryDoc], *, exact_up_to: int = EXACT_UP_TO
                ) -> Iterable[tuple[int, int]]:
    """Pairs worth scoring: near in time, near in meaning and sharing a principal actor.

    A document with no day at all (no publication date, no dated mention) is
    paired with at most :data:`MAX_CANDIDATES` documents sharing one of its
    actors, found through an index by actor, so the work stays linear in n.
    """
    dated = sorted((i for i, d in enumerate(docs) if d.day is not None),
                   key=lambda i: (docs[i].day or date.min, i))
    yield from _neighbours(docs, dated, exact_up_to)
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


# No pair below this cosine can reach LINK_AT, whatever its actors and event.
_FLOOR = LINK_AT - ACTOR_WEIGHT - EVENT_WEIGHT


def _neighbours(docs: list[StoryDoc], dated: list[int], exact_up_to: int
                ) -> Iterator[tuple[int, int]]:
    """Each dated document's nearest neighbours within the window, in blocks of days."""
    if not dated:
        return
    days = [docs[i].day or date.min for i in dated]
    vectors = np.stack([np.asarray(docs[i].vector, dtype=np.float32) for i in dated])
    window = timedelta(days=WINDOW_DAYS)
    start = 0
    while start < len(dated):
        first = days[start]
        stop = bisect.bisect_left(days, first + window)  # this block: [first, first + W)
        low = bisect.bisect_left(days, first - window)  # looked up among [first - W,
        high = bisect.bisect_right(days, first + 2 * window)  # first + 2W]
        found = _nearest(vectors[low:high], vectors[start:stop], exact_up_to)
        for row, (scores, columns) in enumerate(found):
            i = dated[start + row]
            actors = set(docs[i].actors)
            for score, column in zip(scores, columns, strict=True):
                j = dated[low + column]
                if j == i or score < _FLOOR:
                    continue
                if abs(((docs[j].day or date.min) - (docs[i].day or date.min)).days) \
                        > WINDOW_DAYS or not actors & set(docs[j].actors):
                    continue
                yield (i, j) if i < j else (j, i)
        start = stop


def _nearest(index: np.ndarray, queries: np.ndarray, exact_up_to: int
             ) -> list[tuple[np.ndarray, np.ndarray]]:
    """For each query row, the (cosines, row numbers in ``index``) of its
    :data:`NEIGHBOURS` + 1 nearest index rows (itself included), best first."""
    k = min(NEIGHBOURS + 1, len(index))
    if len(index) <= exact_up_to:
        similarities = queries @ index.T
        top = np.argpartition(-similarities, k - 1, axis=1)[:, :k]
        found = []
        for row, columns in enumerate(top):
            order = np.argsort(-similarities[row, columns], kind="stable")
            found.append((similarities[row, columns[order]], columns[order]))
        return found
    import faiss

    threads = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(1)  # one thread: the same graph, the same stories, every time
    try:
        hnsw = faiss.IndexHNSWFlat(index.shape[1], 32, faiss.METRIC_INNER_PRODUCT)
        hnsw.hnsw.efConstruction = 80
        hnsw.add(np.ascontiguousarray(index))
        hnsw.hnsw.efSearch = max(64, 2 * k)
        scores, columns = hnsw.search(np.ascontiguousarray(queries), k)
    finally:
        faiss.omp_set_num_threads(threads)
    return [(s[c >= 0], c[c >= 0]) for s, c in zip(scores, columns, strict=True)]


def _score(a: StoryDoc, b: StoryDoc) -> float:
    cosine = float(np.dot(a.vector, b.vector))
    union = set(a.actors) | set(b.actors)
    jaccard = len(set(a.actors) & set(b.actors)) / len(union) if union else 0.0
    same_event = a.main_event is not None and a.main_event == b.main_event
    return cosine + ACTOR_WEIGHT * jaccard + (EVENT_WEIGHT if same_event else 0.0)


def cluster_stories(docs: Sequence[StoryDoc], *, min_size: int = 2,
                    exact_up_to: int = EXACT_UP_TO) -> list[Story]:
    """Cluster documents into stories; stories of fewer than ``min_size`` are dropped.

    ``exact_up_to``: how many documents around a block of days are compared
    exactly before the approximate index takes over.
    """
    items = list(docs)
    parent = list(range(len(items)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, j in _candidates(items, exact_up_to=exact_up_to):
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
