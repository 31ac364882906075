"""HTML the pages need that templates cannot say simply: a text with its actors,
events and claims marked; the timeline and the actor graph as SVG drawings."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import pairwise

from markupsafe import Markup, escape

from counterpoint.corpus.timeline import TimelineEntry, period
from counterpoint.schema import Actor, Analysis

__all__ = [
    "GraphDrawing",
    "Mark",
    "TimelineDrawing",
    "draw_graph",
    "draw_timeline",
    "marked_text",
    "marks_of",
]


@dataclass(frozen=True)
class Mark:
    """A span of a text to highlight: ``kind`` is claim, event, actor or focus."""

    start: int
    end: int
    kind: str
    note: str
    anchor: str | None = None  # element id at the span's start


def marks_of(analysis: Analysis, footnote: str | None = None) -> list[Mark]:
    """The claims, event triggers and actor mentions of the body (or of one footnote)."""
    text = analysis.body if footnote is None else next(
        (f.text for f in analysis.footnotes if f.marker == footnote), "")
    marks: list[Mark] = []
    for claim in analysis.claims:
        if claim.footnote != footnote:
            continue
        note = (f"{claim.holder.name} ({claim.holder.kind}) · "
                f"{claim.certainty.label.replace('_', ' ')} "
                f"({claim.certainty.probability:.0%}) · tone {claim.tone:+.2f}")
        marks.append(Mark(claim.start, claim.end, "claim", note))
    for event in analysis.events:
        if event.footnote != footnote or not event.trigger:
            continue
        at = event.sentence.find(event.trigger)
        if at < 0:
            continue
        parties = " → ".join(p.name if p else "?" for p in (event.source, event.target))
        when = f" · {event.date}" if event.date else ""
        flags = " · negated" if event.negated else ""
        if event.modality != "asserted":
            flags += f" · {event.modality}"
        marks.append(Mark(event.start + at, event.start + at + len(event.trigger), "event",
                          f"{event.type}: {parties}{when}{flags}"))
    marks += _actor_marks(text, analysis.actors)
    return marks


def _actor_marks(text: str, actors: Sequence[Actor]) -> list[Mark]:
    names = sorted(((alias, actor) for actor in actors
                    for alias in {actor.name, *actor.aliases_seen} if len(alias) > 1),
                   key=lambda pair: -len(pair[0]))
    if not names:
        return []
    by_alias = {alias: actor for alias, actor in names}
    pattern = re.compile("|".join(rf"(?<!\w){re.escape(a)}(?!\w)" for a, _ in names))
    marks = []
    for match in pattern.finditer(text):
        actor = by_alias[match.group(0)]
        country = f", {actor.country}" if actor.country else ""
        marks.append(Mark(match.start(), match.end(), "actor",
                          f"{actor.name} ({actor.type}{country})"))
    return marks


def marked_text(text: str, marks: Sequence[Mark]) -> Markup:
    """``text`` as HTML with each mark's span wrapped: claims as ``span.claim`` (holder
    and certainty in ``title``), events and actors as ``mark`` elements, the focus
    span as ``span.focus``. Marks may nest or overlap: the text is cut at every
    boundary and each piece carries the marks covering it."""
    bounds = sorted({0, len(text), *(m.start for m in marks), *(m.end for m in marks)})
    bounds = [b for b in bounds if 0 <= b <= len(text)]
    starts: dict[int, list[Mark]] = {}
    for mark in marks:
        if mark.anchor:
            starts.setdefault(mark.start, []).append(mark)
    out: list[str] = []
    for lo, hi in pairwise(bounds):
        for mark in starts.get(lo, []):
            out.append(f'<span class="anchor" id="{escape(mark.anchor)}"></span>')
        covering = [m for m in marks if m.start <= lo and hi <= m.end and m.start < m.end]
        piece = str(escape(text[lo:hi]))
        for kind in ("actor", "event", "claim", "focus"):
            for mark in covering:
                if mark.kind != kind:
                    continue
                if kind in ("actor", "event"):
                    piece = (f'<mark class="{kind}" title="{escape(mark.note)}">{piece}</mark>')
                else:
                    piece = (f'<span class="{kind}" title="{escape(mark.note)}">{piece}</span>')
                break
        out.append(piece)
    return Markup("".join(out))


# --- the timeline as a drawing ------------------------------------------------------------

@dataclass
class TimelineDot:
    x: float
    y: float
    r: float
    label: str
    entry_id: str
    type: str
    when: str


@dataclass
class TimelineDrawing:
    width: int
    height: int
    dots: list[TimelineDot] = field(default_factory=list)
    ticks: list[tuple[float, str]] = field(default_factory=list)
    rows: list[tuple[float, str]] = field(default_factory=list)


TYPE_ROWS = ("AGREE", "CONSULT", "SUPPORT", "COOPERATE", "AID", "CONCEDE", "RETREAT",
             "REQUEST", "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE",
             "COERCE", "ASSAULT")


def draw_timeline(entries: Sequence[TimelineEntry], *, width: int = 900) -> TimelineDrawing:
    """Dated entries placed by date (x) and event type (y, cooperative types on top);
    dot area grows with the number of reporting documents."""
    dated = [(e, period(e.date, e.precision)) for e in entries]
    placed = [(e, p) for e, p in dated if p is not None]
    types = [t for t in TYPE_ROWS if any(e.type == t for e, _ in placed)]
    left, right, top, row_h = 110, 20, 20, 26
    drawing = TimelineDrawing(width=width, height=top + row_h * max(len(types), 1) + 40)
    if not placed:
        return drawing
    first = min(p.start for _, p in placed)
    last = max(p.end for _, p in placed)
    span = max((last - first).days, 1)

    def x_of(day: date) -> float:
        return left + (width - left - right) * (day - first).days / span

    for n, name in enumerate(types):
        drawing.rows.append((top + row_h * n + row_h / 2, name))
    row_of = {name: top + row_h * n + row_h / 2 for n, name in enumerate(types)}
    for entry, when in placed:
        middle = when.start + (when.end - when.start) / 2
        drawing.dots.append(TimelineDot(
            x=round(x_of(middle), 1), y=row_of[entry.type],
            r=round(4 + 3 * math.sqrt(max(entry.documents - 1, 0)), 1),
            label=entry.summary, entry_id=entry.id, type=entry.type, when=when.label()))
    for n in range(6):
        day = date.fromordinal(first.toordinal() + round(span * n / 5))
        drawing.ticks.append((round(x_of(day), 1), day.isoformat()))
    return drawing


# --- the actor graph as a drawing ---------------------------------------------------------

@dataclass
class GraphDrawing:
    width: int
    height: int
    nodes: list[dict[str, object]] = field(default_factory=list)
    edges: list[dict[str, object]] = field(default_factory=list)


def draw_graph(graph: object, *, width: int = 900, height: int = 560, limit: int = 40
               ) -> GraphDrawing:
    """The ``limit`` most mentioned actors and the edges between them, laid out by a
    seeded spring layout (the same corpus gives the same picture)."""
    import networkx as nx

    assert isinstance(graph, nx.MultiDiGraph)
    ranked = sorted(graph.nodes(data=True), key=lambda n: (-int(n[1].get("mentions", 0) or 0),
                                                           str(n[0])))[:limit]
    keep = {node for node, _ in ranked}
    simple: nx.Graph[str] = nx.Graph()
    simple.add_nodes_from(keep)
    weights: dict[tuple[str, str], float] = {}
    kinds: dict[tuple[str, str], set[str]] = {}
    for a, b, data in graph.edges(data=True):
        if a in keep and b in keep and a != b:
            key = (a, b) if str(a) <= str(b) else (b, a)
            weights[key] = weights.get(key, 0.0) + float(data.get("weight", 1) or 1)
            found = kinds.setdefault(key, set())
            if data.get("kind") == "event" and data.get("type"):
                found.add(str(data["type"]))
    for (a, b), weight in weights.items():
        simple.add_edge(a, b, weight=weight)
    drawing = GraphDrawing(width=width, height=height)
    if not keep:
        return drawing
    layout = nx.spring_layout(simple, seed=7, k=1.6 / math.sqrt(max(len(keep), 1)))
    pad = 60

    def place(node: str) -> tuple[float, float]:
        px, py = layout[node]
        return (round(pad + (px + 1) / 2 * (width - 2 * pad), 1),
                round(pad / 2 + (py + 1) / 2 * (height - pad), 1))

    for node, data in ranked:
        x, y = place(node)
        mentions = int(data.get("mentions", 0) or 0)
        drawing.nodes.append({"id": node, "name": data.get("name") or node, "x": x, "y": y,
                              "r": round(5 + 2.5 * math.sqrt(mentions), 1),
                              "type": data.get("type") or "", "mentions": mentions})
    names = {node: str(data.get("name") or node) for node, data in ranked}
    for (a, b), weight in sorted(weights.items(), key=lambda kv: kv[1]):
        (x1, y1), (x2, y2) = place(a), place(b)
        events = sorted(kinds[(a, b)])
        drawing.edges.append({"x1": x1, "y1": y1, "x2": x2, "y2": y2,
                              "w": round(min(1 + math.log1p(weight), 6), 1),
                              "event": bool(events),
                              "label": f"{names[a]} – {names[b]}: "
                              f"{', '.join(events) if events else 'mentioned together'}"})
    return drawing
