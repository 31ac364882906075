"""Actor graph: who acts on whom, and who is talked about together, across a corpus.

:func:`actor_graph` builds a :class:`networkx.MultiDiGraph`:

**Nodes** are actors, keyed by actor id (``state:RUS``). An event's actor that
the document could not resolve to an id is a node keyed ``name:<name in lower
case>`` when its name looks like a proper name; pronouns and common nouns
("It", "leaders") make no node. Attributes:

- ``id`` (the actor id; ``None`` for name-only actors), ``name`` (the most
  frequent name), ``type``, ``country`` (most frequent non-null values),
- ``documents``: number of documents that list the actor or name it in an event,
- ``mentions``: sum of the documents' mention counts (for name-only actors: the
  number of event reports naming them),
- ``aliases``: sorted surface forms seen.

**Event edges** go source → target, one per real event as merged by
:mod:`counterpoint.corpus.timeline` (the same event in three documents is one
edge); events with an unknown side make no edge. Key: the entry id. Attributes:
``kind="event"``, ``type``, ``mode``, ``date``, ``precision``, ``negated``,
``location``, ``docs`` (ids of the reporting documents), ``sentence`` (the first
report's), ``summary``, ``weight`` (number of reporting documents).

**Co-mention edges** join two actors that appear in the same document (listed
among its actors or named by one of its events). The weight counts *documents*,
not sentences: a document's actor list has no per-mention offsets, and a
document is the unit an analyst cites ("three outlets mention both"). They are
undirected in meaning and stored once, from the smaller node key to the larger,
with key ``co_mention`` and attributes ``kind="co_mention"``, ``weight``
(documents where both appear) and ``docs``. An actor is never co-mentioned with
itself.

``duplicates`` maps document ids to canonical ids: copies count once.

:func:`write_graph` writes GraphML, GEXF or node-link JSON.
"""

from __future__ import annotations

import io
import json
import os
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import IO, Any, Literal

import networkx as nx

from counterpoint.corpus.timeline import (
    TimelineActor,
    actor_key,
    collect_documents,
    merge_events,
)
from counterpoint.errors import ConfigError
from counterpoint.schema import Analysis

__all__ = ["GRAPH_FORMATS", "GraphFormat", "actor_graph", "write_graph"]

GraphFormat = Literal["graphml", "gexf", "json"]
GRAPH_FORMATS: tuple[GraphFormat, ...] = ("graphml", "gexf", "json")
# How lists are joined into one string for GraphML and GEXF, which hold scalars only.
LIST_SEPARATOR = "; "


@dataclass
class _Node:
    id: str | None
    names: Counter[str] = field(default_factory=Counter)
    types: Counter[str] = field(default_factory=Counter)
    countries: Counter[str] = field(default_factory=Counter)
    aliases: set[str] = field(default_factory=set)
    documents: set[str] = field(default_factory=set)
    mentions: int = 0

    def attributes(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": _most_common(self.names),
            "type": _most_common(self.types),
            "country": _most_common(self.countries),
            "documents": len(self.documents),
            "mentions": self.mentions,
            "aliases": sorted(self.aliases),
        }


def _most_common(counts: Counter[str]) -> str | None:
    return counts.most_common(1)[0][0] if counts else None


def actor_graph(analyses: Iterable[Analysis], *,
                duplicates: Mapping[str, str] | None = None) -> nx.MultiDiGraph[str]:
    """Build the actor graph of a corpus: actors, event edges and co-mention edges."""
    docs = collect_documents(analyses, duplicates)
    nodes: dict[str, _Node] = {}
    pairs: dict[tuple[str, str], list[str]] = {}
    for doc in docs:
        present: set[str] = set()
        for actor in doc.actors:
            node = nodes.setdefault(actor.id, _Node(actor.id))
            node.names[actor.name] += 1
            node.types[actor.type] += 1
            if actor.country:
                node.countries[actor.country] += 1
            node.aliases.update(actor.aliases_seen)
            node.mentions += actor.mentions
            present.add(actor.id)
        for pending in doc.reports:
            for side in (pending.source, pending.target):
                key = actor_key(side)
                if key is None or side is None:
                    continue
                node = nodes.setdefault(key, _Node(side.id))
                if key not in present:
                    _note(node, side)
                    present.add(key)
                if side.id is None:
                    node.mentions += 1
        for key in present:
            nodes[key].documents.add(doc.id)
        for pair in combinations(sorted(present), 2):
            pairs.setdefault(pair, []).append(doc.id)

    graph: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    for key, node in nodes.items():
        graph.add_node(key, **node.attributes())
    for entry in merge_events(docs):
        source, target = actor_key(entry.source), actor_key(entry.target)
        if source is None or target is None:
            continue
        doc_ids = sorted({report.doc for report in entry.reports})
        graph.add_edge(source, target, key=entry.id, kind="event", type=entry.type,
                       mode=entry.mode, date=entry.date, precision=entry.precision,
                       negated=entry.negated, location=entry.location, docs=doc_ids,
                       sentence=entry.reports[0].sentence, summary=entry.summary,
                       weight=len(doc_ids))
    for (first, second), doc_ids in pairs.items():
        graph.add_edge(first, second, key="co_mention", kind="co_mention",
                       weight=len(doc_ids), docs=doc_ids)
    return graph


def _note(node: _Node, actor: TimelineActor) -> None:
    """Record what one document's event says of an actor it did not list."""
    node.names[actor.name] += 1
    if actor.type:
        node.types[actor.type] += 1
    if actor.country:
        node.countries[actor.country] += 1


# --- writing ------------------------------------------------------------------------------

def write_graph(graph: nx.MultiDiGraph[str], path_or_stream: str | os.PathLike[str] | IO[Any],
                fmt: str = "graphml") -> None:
    """Write the graph as GraphML, GEXF or node-link JSON to a path or an open stream.

    GraphML and GEXF hold scalar attributes only: lists are joined with ``"; "``
    and ``None`` values are left out. In GEXF the edge attribute ``type`` is
    written as ``event_type`` (GEXF reserves ``type`` for the edge's direction)
    and each node gets its ``name`` as ``label``. JSON is
    :func:`networkx.node_link_data` with ``edges="edges"``; read it back with
    ``networkx.node_link_graph(data, edges="edges")``. In JSON and GEXF the node
    identifier is the node key, so a node's ``id`` attribute (equal to the key for
    actors with ids) is not written apart. A stream may be text or binary; text
    is UTF-8.
    """
    if fmt not in GRAPH_FORMATS:
        raise ConfigError(f"unknown graph format {fmt!r}: choose one of "
                          f"{', '.join(GRAPH_FORMATS)}")
    chunks: Iterable[str]
    if fmt == "json":
        data = nx.node_link_data(graph, edges="edges")
        chunks = [json.dumps(data, ensure_ascii=False, default=str), "\n"]
    elif fmt == "graphml":
        chunks = _lines(nx.generate_graphml(_scalar_graph(graph, gexf=False)))
    else:
        chunks = _lines(nx.generate_gexf(_scalar_graph(graph, gexf=True)))
    _write_text(path_or_stream, chunks)


def _lines(lines: Iterable[str]) -> Iterator[str]:
    for line in lines:
        yield line
        yield "\n"


def _scalar_graph(graph: nx.MultiDiGraph[str], *, gexf: bool) -> nx.MultiDiGraph[str]:
    """A copy whose attributes are all scalars (str, int, float, bool)."""
    out: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    for node, data in graph.nodes(data=True):
        attributes = _scalars(data)
        if gexf:
            attributes.setdefault("label", str(data.get("name") or node))
        out.add_node(node, **attributes)
    for source, target, key, data in graph.edges(keys=True, data=True):
        attributes = _scalars(data)
        if gexf and "type" in attributes:
            attributes["event_type"] = attributes.pop("type")
        out.add_edge(source, target, key=key, **attributes)
    return out


def _scalars(data: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in data.items():
        if value is None:
            continue
        if isinstance(value, list | tuple | set | frozenset):
            out[name] = LIST_SEPARATOR.join(str(item) for item in value)
        elif isinstance(value, dict):
            out[name] = json.dumps(value, ensure_ascii=False, sort_keys=True)
        elif isinstance(value, str | int | float | bool):
            out[name] = value
        else:
            out[name] = str(value)
    return out


def _write_text(target: str | os.PathLike[str] | IO[Any], chunks: Iterable[str]) -> None:
    """Write text to a path (UTF-8) or to an open text or binary stream."""
    if isinstance(target, str | os.PathLike):
        with Path(target).open("w", encoding="utf-8", newline="\n") as handle:
            handle.writelines(chunks)
        return
    if _is_binary(target):
        for chunk in chunks:
            target.write(chunk.encode("utf-8"))
    else:
        for chunk in chunks:
            target.write(chunk)
    target.flush()


def _is_binary(stream: IO[Any]) -> bool:
    if isinstance(stream, io.TextIOBase):
        return False
    if isinstance(stream, io.RawIOBase | io.BufferedIOBase):
        return True
    return "b" in str(getattr(stream, "mode", ""))
