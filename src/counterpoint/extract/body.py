"""Find the article body among the lines of a text dump.

The cascade:

1. score every line for how much it looks like article prose (:func:`line_score`);
2. take the contiguous run of lines with the largest total score (the article is
   one block of a page; menus before it and teasers after it score below zero);
3. inside that run, drop chrome that interrupts the article (ad labels, photo
   credits, repeated captions) and keep short lines only as headings that open
   prose.

Weights were set by hand on the two seed pages and checked on the 90 text
dumps of ``extraction-dev`` (``benchmarks/extraction.py``); nothing is fitted.
"""

from __future__ import annotations

from dataclasses import dataclass

from counterpoint.extract.lines import Line

__all__ = ["BodySpan", "find_body", "is_heading", "line_score"]

# Words a line needs before it counts as prose. News paragraphs run 25-60 words;
# menu items, labels and teaser titles run 1-12.
PROSE_WORDS = 10.0
# Long lines are capped so that one huge block (a comment dump, a legal notice)
# cannot outweigh a well-formed article of ordinary paragraphs.
WORD_CAP = 60.0
WORD_SCALE = 6.0
CHROME_PENALTY = -3.0
DATE_PENALTY = -2.5
NAME_PENALTY = -2.0
URL_PENALTY = -1.5
REPEAT_PENALTY = -1.5
SENTENCE_BONUS = 1.0
# A paragraph alone between two non-prose lines is the signature of a teaser list
# (title, summary, title, summary); article paragraphs come in runs. Its score is
# scaled down so that a list of teasers cannot outweigh the article.
ISOLATED_FACTOR = 0.35
# A neighbour scoring below this is not article prose (a teaser title scores
# around 0, an article paragraph 3 or more).
ISOLATION_NEIGHBOUR = 1.5
HEADING_MAX_WORDS = 16
# Articles are broken by inline chrome (a photo credit, a repeated interview
# question, an ad slot). A further run of prose is joined to the article when
# the gap is at most this many lines, holds no date line (dates mark teasers and
# comments) and the run carries at least this share of the article's score.
MERGE_GAP = 8
MERGE_SHARE = 0.15
MERGE_MIN = 4.0


@dataclass(frozen=True)
class BodySpan:
    """The body as positions in the list of lines: the run and the lines kept in it."""

    start: int
    end: int  # inclusive
    kept: tuple[int, ...]


def line_score(line: Line) -> float:
    """How much a line looks like article prose (> 0) or like page chrome (< 0)."""
    if line.chrome:
        return CHROME_PENALTY
    if line.date:
        return DATE_PENALTY
    if line.name:
        return NAME_PENALTY
    score = (min(line.words, WORD_CAP) - PROSE_WORDS) / WORD_SCALE
    if line.url and line.words < 2 * PROSE_WORDS:
        score = min(score, 0.0) + URL_PENALTY
    if line.repeated:
        score = min(score, 0.0) + REPEAT_PENALTY
    if line.sentence_end and line.words >= 6:
        score += SENTENCE_BONUS
    return score


def damp_isolated(scores: list[float]) -> list[float]:
    """Scale down positive scores of lines neither of whose neighbours is prose."""
    damped = list(scores)
    for i in range(1, len(scores) - 1):
        if scores[i] > 0 and max(scores[i - 1], scores[i + 1]) < ISOLATION_NEIGHBOUR:
            damped[i] = scores[i] * ISOLATED_FACTOR
    return damped


def best_run(scores: list[float]) -> tuple[int, int]:
    """Return (start, end) of the contiguous run with the largest sum (Kadane)."""
    best, best_start, best_end = float("-inf"), 0, -1
    total, start = 0.0, 0
    for i, score in enumerate(scores):
        if total <= 0:
            total, start = score, i
        else:
            total += score
        if total > best:
            best, best_start, best_end = total, start, i
    return best_start, best_end


def merge_runs(scores: list[float], lines: list[Line], start: int, end: int
               ) -> tuple[int, int]:
    """Grow the article run over short gaps to neighbouring runs of prose."""
    core = sum(scores[start:end + 1])
    need = max(MERGE_MIN, MERGE_SHARE * core)
    grown = True
    while grown:
        grown = False
        after = end + 1
        if after < len(scores):
            s, e = best_run(scores[after:after + MERGE_GAP + 1] + scores[after + MERGE_GAP + 1:])
            s, e = s + after, e + after
            if e >= s and s - end - 1 <= MERGE_GAP and sum(scores[s:e + 1]) >= need \
                    and not any(line.date for line in lines[end + 1:s]):
                end, grown = e, True
        if start > 0:
            reversed_scores = scores[:start][::-1]
            s, e = best_run(reversed_scores)
            s, e = start - 1 - e, start - 1 - s
            if e >= s and start - e - 1 <= MERGE_GAP and sum(scores[s:e + 1]) >= need \
                    and not any(line.date for line in lines[e + 1:start]):
                start, grown = s, True
    return start, end


def is_heading(line: Line, following: Line | None) -> bool:
    """True for a short line that opens the prose after it ("NISSAN SENTRA", "Background")."""
    if following is None or line.chrome or line.date or line.url or line.repeated:
        return False
    if line.words > HEADING_MAX_WORDS or line.words < 1:
        return False
    if line.sentence_end and not line.text.endswith((":", "?")):
        return False
    return following.words >= PROSE_WORDS and not following.chrome


def is_prose(line: Line) -> bool:
    """True for a line that reads as part of the article's running text."""
    if line.chrome or line.date or line.repeated:
        return False
    if line.name:
        return False
    if line.sentence_end:
        return line.words >= 4
    # Without closing punctuation a line of headline length is a teaser or a
    # heading (kept only when it opens prose, see is_heading); a long one is a
    # paragraph whose last sentence lost its full stop.
    return line.words >= 2 * PROSE_WORDS


def find_body(lines: list[Line]) -> BodySpan | None:
    """Locate the article among ``lines``; None when nothing looks like prose."""
    if not lines:
        return None
    scores = [line_score(line) for line in lines]
    scores = damp_isolated(scores)
    start, end = best_run(scores)
    if end < start or max(scores[start:end + 1]) <= 0:
        return None
    start, end = merge_runs(scores, lines, start, end)
    kept = []
    for i in range(start, end + 1):
        line = lines[i]
        following = lines[i + 1] if i + 1 <= end else None
        if is_prose(line) or is_heading(line, following):
            kept.append(i)
    # A short line cut off from the article by dropped lines at its very end is a
    # footer remark ("Our Standards: …"), not the article's last paragraph.
    while len(kept) > 1 and kept[-1] - 1 not in kept and lines[kept[-1]].words < PROSE_WORDS:
        kept.pop()
    return BodySpan(start, end, tuple(kept)) if kept else None
