"""Duplicate detection in time windows, with bounded memory.

A copy of an article appears close in time to its original: republications,
syndicated wire copy and translations within days or weeks. So a document is
only looked for among documents published within :data:`WINDOW_DAYS` of it,
and an ingest run holds only the days around the documents it is reading, not
the whole corpus: :class:`WindowedDuplicates` keeps a
:class:`~counterpoint.corpus.dedupe.DuplicateIndex` of the held days, loads the
days it needs from the store (signatures and metadata, never bodies) and lets
go of the days more than :data:`KEEP_DAYS` from the current document (and of the
farthest days whenever it holds more than :data:`CAPACITY` documents). Memory is
bounded by the busiest stretch of ``2 × KEEP_DAYS`` days, not by the size of the
corpus, and each document costs one LSH query among its neighbours in time
(near-linear in all).

Documents without a publication date form one more window, held throughout.
Groups that chain across more than a window (A ~ B ~ C, A and C months apart)
are seen as they are within the held days.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, timedelta

from counterpoint.corpus.dedupe import DocText, DuplicateGroup, DuplicateIndex

__all__ = ["CAPACITY", "KEEP_DAYS", "WINDOW_DAYS", "Loader", "WindowedDuplicates", "day_of"]

WINDOW_DAYS = 30
# Days held around the current document; farther ones are let go (and read again
# from the store if a later document needs them).
KEEP_DAYS = WINDOW_DAYS
# Documents held before the farthest days are let go (~3 kB each: a signature,
# LSH keys and metadata).
CAPACITY = 50_000

# Reads the stored documents published in [since, until) — or, given None for
# both, the undated ones — as duplicate detection reads them, with signatures.
Loader = Callable[[date | None, date | None], Iterable[tuple[DocText, bytes]]]


def day_of(published: str | None) -> date | None:
    """The day of an ISO publication date, or ``None``."""
    if not published:
        return None
    try:
        return date.fromisoformat(published[:10])
    except ValueError:
        return None


class WindowedDuplicates:
    """Duplicate groups among documents published within ``window_days`` of each other."""

    def __init__(self, load: Loader | None = None, *, window_days: int = WINDOW_DAYS,
                 capacity: int = CAPACITY, keep_days: int | None = None) -> None:
        self._load = load
        self.window = timedelta(days=window_days)
        self.keep = timedelta(days=keep_days if keep_days is not None else window_days)
        self.capacity = capacity
        self._swept: date | None = None
        self._days: dict[date | None, dict[str, tuple[DocText, bytes]]] = {}
        self._covered: set[date] = set()
        self._index = DuplicateIndex()
        self._held = 0
        self._undated_loaded = False

    def __len__(self) -> int:
        return self._held

    def add(self, doc: DocText, signature: bytes) -> DuplicateGroup | None:
        """Add a document (its body may be empty: the signature stands for it) and
        return its duplicate group, or ``None`` when it has no copy in its window."""
        day = day_of(doc.published)
        self._cover(day)
        self._hold(DocText(id=doc.id, body="", title=doc.title, published=doc.published,
                           language=doc.language, provenance=list(doc.provenance),
                           url=doc.url, publisher=doc.publisher), signature, day)
        group = self._index.group_of(doc.id)
        if day is not None:
            if self._held > self.capacity:
                self._let_go(day, self.capacity // 2)
            elif self._swept is None or abs(day - self._swept) >= max(self.window / 4,
                                                                      timedelta(days=1)):
                # every quarter window of days: drop the days far behind (or ahead)
                self._swept = day
                if any(d is not None and abs(d - day) > self.keep for d in self._days):
                    self._let_go(day, 0)
        return group

    def _hold(self, doc: DocText, signature: bytes, day: date | None) -> None:
        held = self._days.setdefault(day, {})
        if doc.id in held:
            return
        held[doc.id] = (doc, signature)
        self._held += 1
        self._index.add(doc, signature=signature)

    def _cover(self, day: date | None) -> None:
        """Load the stored documents of the days around ``day`` not loaded yet."""
        if self._load is None:
            return
        if day is None:
            if not self._undated_loaded:
                self._undated_loaded = True
                for doc, signature in self._load(None, None):
                    self._hold(doc, signature, None)
            return
        missing = [day + timedelta(days=k)
                   for k in range(-self.window.days, self.window.days + 1)
                   if day + timedelta(days=k) not in self._covered]
        # consecutive missing days are read in one query
        runs: list[list[date]] = []
        for d in missing:
            if runs and (d - runs[-1][-1]).days == 1:
                runs[-1].append(d)
            else:
                runs.append([d])
        for run in runs:
            for doc, signature in self._load(run[0], run[-1] + timedelta(days=1)):
                self._hold(doc, signature, day_of(doc.published))
            self._covered.update(run)

    def _let_go(self, day: date, room: int) -> None:
        """Keep the days within :attr:`keep` of ``day`` — or, to make ``room``, only the
        nearest ones (never those within the window) — and rebuild the index of them."""
        dated = sorted((d for d in self._days if d is not None), key=lambda d: abs(d - day))
        keep: set[date | None] = {None}
        kept = len(self._days.get(None, {}))
        for d in dated:
            if abs(d - day) > self.keep or (room and kept >= room and abs(d - day) > self.window):
                break
            keep.add(d)
            kept += len(self._days[d])
        self._days = {d: docs for d, docs in self._days.items() if d in keep}
        self._covered = {d for d in self._covered if d in keep}
        self._index = DuplicateIndex()
        self._held = 0
        for docs in self._days.values():
            for doc, signature in docs.values():
                self._index.add(doc, signature=signature)
                self._held += 1
