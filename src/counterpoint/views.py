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

__all__ = ["comparison_view"]

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
