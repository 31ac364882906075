"""Readable terminal views of corpus results (Rich renderables), used by the CLI.

The JSON forms are the contract; these are for a person at a terminal: short,
each line citing its document by a letter, texts cut to a readable length.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Group as RichGroup
from rich.console import RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from counterpoint.corpus.compare import Comparison, Group
from counterpoint.corpus.stories import Story
from counterpoint.corpus.timeline import TimelineEntry
from counterpoint.store.search import SearchHit

__all__ = ["comparison_view", "search_view", "stories_view", "timeline_view"]

# Longest claim shown in a terminal view (the JSON has the whole text).
CLAIM_CHARS = 220
# How many unique claims per document and how many actors the view shows.
UNIQUE_SHOWN = 6
ACTORS_SHOWN = 8


def _cut(text: str, limit: int = CLAIM_CHARS) -> str:
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _letters(comparison: Comparison) -> dict[str, str]:
    return {d.id: chr(ord("A") + i) if i < 26 else str(i)
            for i, d in enumerate(comparison.documents)}


def _group_table(groups: Sequence[Group], letters: dict[str, str], style: str) -> Table:
    table = Table(show_header=False, box=None, padding=(0, 1), expand=True)
    table.add_column(width=3, style=f"bold {style}", no_wrap=True)
    table.add_column(ratio=1)
    for group in groups:
        table.add_row("•", Text(group.basis, style=f"italic {style}"))
        for claim in group.claims:
            table.add_row(Text(letters.get(claim.doc, "?"), style="bold"),
                          Text(_cut(claim.text)))
        table.add_row("", "")
    return table


def comparison_view(comparison: Comparison) -> RenderableType:
    """Side by side: documents, what they share, where they differ, what is theirs alone."""
    letters = _letters(comparison)
    parts: list[RenderableType] = []
    sources = Table(show_header=True, header_style="bold", box=None, padding=(0, 1))
    sources.add_column("")
    sources.add_column("publisher")
    sources.add_column("title")
    sources.add_column("id", style="dim")
    for doc in comparison.documents:
        sources.add_row(letters[doc.id], doc.publisher or "—", _cut(doc.title or doc.path, 80),
                        doc.id)
    parts.append(sources)
    agree = comparison.agree
    parts.append(Panel(_group_table(agree, letters, "green") if agree
                       else Text("nothing found in common", style="dim"),
                       title=f"they agree ({len(agree)})", title_align="left",
                       border_style="green"))
    disagree = comparison.disagree
    parts.append(Panel(_group_table(disagree, letters, "red") if disagree
                       else Text("no disagreement found", style="dim"),
                       title=f"they differ ({len(disagree)})", title_align="left",
                       border_style="red"))
    unique = Table(show_header=False, box=None, padding=(0, 1), expand=True)
    unique.add_column(width=3, style="bold", no_wrap=True)
    unique.add_column(ratio=1)
    for doc in comparison.documents:
        claims = comparison.unique.get(doc.id, [])
        for claim in claims[:UNIQUE_SHOWN]:
            unique.add_row(letters[doc.id], Text(_cut(claim.text)))
        if len(claims) > UNIQUE_SHOWN:
            unique.add_row("", Text(f"… and {len(claims) - UNIQUE_SHOWN} more (--json lists "
                                    "all)", style="dim"))
    parts.append(Panel(unique, title="only one says", title_align="left", border_style="blue"))
    parts.append(_tone_table(comparison, letters))
    return RichGroup(*parts)


def _tone_table(comparison: Comparison, letters: dict[str, str]) -> RenderableType:
    """Tone toward the actors that most documents mention."""
    seen: dict[str, int] = {}
    for scores in comparison.tone.values():
        for actor in scores:
            seen[actor] = seen.get(actor, 0) + 1
    shared = [a for a, n in sorted(seen.items(), key=lambda kv: (-kv[1], kv[0])) if n > 1]
    table = Table(title="tone toward shared actors (−1 hostile … +1 warm)", title_justify="left",
                  header_style="bold", box=None, padding=(0, 1))
    table.add_column("actor")
    for doc in comparison.documents:
        table.add_column(letters[doc.id], justify="right")
    for actor in shared[:ACTORS_SHOWN]:
        cells = []
        for doc in comparison.documents:
            score = comparison.tone.get(doc.id, {}).get(actor)
            if score is None:
                cells.append(Text("—", style="dim"))
            else:
                colour = "green" if score > 0.05 else "red" if score < -0.05 else "white"
                cells.append(Text(f"{score:+.2f}", style=colour))
        table.add_row(actor, *cells)
    return table


def stories_view(stories: Sequence[Story]) -> RenderableType:
    """One block per story: its title, dates, principal actors and documents."""
    if not stories:
        return Text("No stories yet: `counterpoint ingest PATH` stores documents first "
                    "(a story needs at least two documents; --all lists single ones).",
                    style="dim")
    table = Table(show_header=True, header_style="bold", box=None, padding=(0, 1),
                  expand=True)
    table.add_column("story", style="cyan", no_wrap=True)
    table.add_column("dates", no_wrap=True)
    table.add_column("documents", ratio=1)
    for story in stories:
        dates = story.start or "undated"
        if story.end and story.end != story.start:
            dates += f" – {story.end}"
        lines = Text(story.title, style="bold")
        for doc in story.documents:
            lines.append(f"\n  {doc.publisher or '—'}: {_cut(doc.title or doc.path, 90)}",
                         style="default")
            lines.append(f"  {doc.id}", style="dim")
        table.add_row(story.id, dates, lines)
        table.add_row("", "", "")
    return table


def timeline_view(entries: Sequence[TimelineEntry]) -> RenderableType:
    """One line per event with its date, type, actors and reporting sources."""
    if not entries:
        return Text("No dated events found (try --undated, or ingest more documents).",
                    style="dim")
    table = Table(show_header=True, header_style="bold", box=None, padding=(0, 1),
                  expand=True)
    table.add_column("date", no_wrap=True)
    table.add_column("event", no_wrap=True, style="cyan")
    table.add_column("who → whom", ratio=1)
    table.add_column("reported by", ratio=1)
    for entry in entries:
        kind = entry.type + (f" ({entry.mode})" if entry.mode else "")
        if entry.negated:
            kind += " (denied)"
        who = " → ".join(x.name for x in (entry.source, entry.target) if x is not None)
        sources = sorted({r.publisher or r.path or r.doc for r in entry.reports})
        table.add_row(entry.date or "undated", kind, who or "—", _cut(", ".join(sources), 80))
    return table


def search_view(hits: Sequence[SearchHit]) -> RenderableType:
    """One block per hit: the claim, then where it comes from."""
    if not hits:
        return Text("No match.", style="dim")
    table = Table(show_header=False, box=None, padding=(0, 1), expand=True)
    table.add_column(width=6, justify="right", style="dim", no_wrap=True)
    table.add_column(ratio=1)
    for hit in hits:
        where = " · ".join(x for x in (hit.publisher, hit.published, hit.holder) if x)
        text = Text(_cut(hit.text))
        text.append(f"\n{where or hit.path}  {hit.document_id}", style="dim")
        table.add_row(f"{hit.score:.2f}", text)
    return table
