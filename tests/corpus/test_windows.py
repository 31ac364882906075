"""Duplicate detection in time windows: copies close in time are grouped, memory is
bounded by the window, and stored documents are read back only for the days needed."""

from __future__ import annotations

from datetime import date, timedelta

from counterpoint.corpus.dedupe import DocText, signature
from counterpoint.corpus.windows import WindowedDuplicates

STORY = ("The foreign ministers of both countries met in Geneva on Monday for talks that "
         "officials described as frank and constructive, the first such meeting in almost two "
         "years of rising tension along their shared border. According to a statement released "
         "after the meeting, the two sides agreed to restore direct flights and reopen the "
         "consulates that had been closed last spring.")


def doc(ident: str, day: date | None, body: str = STORY) -> tuple[DocText, bytes]:
    return (DocText(id=ident, body="", title=f"Report {ident}",
                    published=day.isoformat() if day else None), signature(body))


def unique_body(n: int) -> str:
    words = [f"w{n}x{k}" for k in range(60)]
    return " ".join(words)


def test_copies_within_the_window_are_grouped_farther_ones_are_not() -> None:
    windows = WindowedDuplicates(window_days=30)
    start = date(2024, 1, 1)
    assert windows.add(*doc("a", start)) is None
    group = windows.add(*doc("b", start + timedelta(days=3)))
    assert group is not None and set(group.ids) == {"a", "b"} and group.canonical == "a"
    windows = WindowedDuplicates(window_days=30, capacity=4)
    windows.add(*doc("a", start))
    for n in range(8):  # unrelated documents push the old days out
        windows.add(doc(f"n{n}", start + timedelta(days=40 + n), unique_body(n))[0],
                    signature(unique_body(n)))
    assert windows.add(*doc("late", start + timedelta(days=200))) is None


def test_memory_is_bounded_by_the_capacity() -> None:
    windows = WindowedDuplicates(window_days=2, capacity=50)
    start = date(2024, 1, 1)
    peak = 0
    for n in range(600):
        windows.add(*doc(f"d{n}", start + timedelta(days=n // 10), unique_body(n)))
        peak = max(peak, len(windows))
    assert peak <= 50


def test_stored_days_are_loaded_once_and_their_copies_found() -> None:
    start = date(2024, 3, 1)
    stored = [doc("old", start), doc("older", start - timedelta(days=90), unique_body(1))]
    asked: list[tuple[date | None, date | None]] = []

    def load(since: date | None, until: date | None) -> list[tuple[DocText, bytes]]:
        asked.append((since, until))
        return [(d, s) for d, s in stored
                if since is not None and until is not None and d.published is not None
                and since <= date.fromisoformat(d.published) < until]

    windows = WindowedDuplicates(load, window_days=10)
    group = windows.add(*doc("new", start + timedelta(days=2)))
    assert group is not None and group.canonical == "old"
    assert asked == [(start - timedelta(days=8), start + timedelta(days=13))]
    windows.add(*doc("next", start + timedelta(days=3), unique_body(2)))
    # one more day at the far end, nothing else read again
    assert asked[1:] == [(start + timedelta(days=13), start + timedelta(days=14))]
    # the document 90 days older lies outside every window read
    assert all(since is not None and since >= start - timedelta(days=8) for since, _ in asked)


def test_days_far_behind_are_let_go_before_the_capacity_is_reached() -> None:
    windows = WindowedDuplicates(window_days=2)  # holds the window's days around the current
    start = date(2024, 1, 1)
    peak = 0
    for n in range(600):  # ten a day for sixty days
        windows.add(*doc(f"d{n}", start + timedelta(days=n // 10), unique_body(n)))
        peak = max(peak, len(windows))
    assert peak <= 10 * (2 * 2 + 1 + 1)
