"""Actor graph: nodes, event and co-mention edges, weights, and files networkx reads back."""

from __future__ import annotations

import io
import json
from pathlib import Path

import networkx as nx
import pytest

from counterpoint.corpus.graph import actor_graph, write_graph
from counterpoint.errors import ConfigError
from counterpoint.schema import Analysis
from tests.corpus.factories import CHINA, IRAN, RUSSIA, SAUDI, UKRAINE, XI, analysis, event


def _corpus() -> list[Analysis]:
    """Three documents report Xi's visit; one also the Saudi–Iran deal; one is a copy."""
    visit = "Xi Jinping paid a state visit to Moscow, a trip watched in Kyiv, on 20 March."
    return [
        analysis("wire", event("CONSULT", XI, RUSSIA, "2023-03-20", mode="visit",
                               sentence=visit, location="Moscow"),
                 actors=(XI, RUSSIA, UKRAINE)),
        analysis("tank", event("CONSULT", XI, RUSSIA, "2023-03", mode="visit", sentence=visit),
                 event("AGREE", SAUDI, IRAN, "2023-03-10", sentence="Riyadh and Tehran agreed."),
                 actors=(XI, RUSSIA, SAUDI, IRAN, CHINA)),
        analysis("mag", event("CONSULT", XI, RUSSIA, None, mode="visit", sentence=visit),
                 event("ACCUSE", "Kyiv Post", RUSSIA, None, sentence="The Kyiv Post accused."),
                 event("SUPPORT", "They", CHINA, None, sentence="They backed China."),
                 actors=(XI, RUSSIA)),
        analysis("mag-copy", event("CONSULT", XI, RUSSIA, None, mode="visit", sentence=visit),
                 actors=(XI, RUSSIA)),
    ]


@pytest.fixture
def graph() -> nx.MultiDiGraph[str]:
    return actor_graph(_corpus(), duplicates={"mag-copy": "mag"})


def test_nodes_carry_actor_attributes(graph: nx.MultiDiGraph[str]) -> None:
    xi = graph.nodes[XI.id]
    assert xi["id"] == XI.id and xi["name"] == "Xi Jinping"
    assert (xi["type"], xi["country"]) == ("person", "CHN")
    # three documents (the copy counts once), three mentions each in the factory
    assert xi["documents"] == 3 and xi["mentions"] == 3 * XI.mentions
    assert "Xi" in xi["aliases"]
    assert graph.nodes[UKRAINE.id]["documents"] == 1
    # a proper name without an id is a node; a pronoun is not
    post = graph.nodes["name:kyiv post"]
    assert post["id"] is None and post["name"] == "Kyiv Post" and post["mentions"] == 1
    assert not any(str(node).casefold().endswith("they") for node in graph.nodes)


def test_event_edges_are_merged_events_weighted_by_documents(
        graph: nx.MultiDiGraph[str]) -> None:
    events = [(u, v, d) for u, v, d in graph.edges(data=True) if d["kind"] == "event"]
    visit = [d for u, v, d in events if (u, v) == (XI.id, RUSSIA.id)]
    assert len(visit) == 1
    [data] = visit
    assert (data["type"], data["mode"]) == ("CONSULT", "visit")
    assert (data["date"], data["precision"]) == ("2023-03-20", "day")
    assert data["weight"] == 3 and data["docs"] == ["mag", "tank", "wire"]
    assert data["sentence"].startswith("Xi Jinping paid") and data["location"] == "Moscow"
    assert data["summary"] == "2023-03-20 · CONSULT (visit) · Xi Jinping → Russia"
    # an undated event with both actors known is an edge too
    assert any((u, v) == ("name:kyiv post", RUSSIA.id) for u, v, _ in events)
    # an event with an unknown side ("They") is not
    assert not any(v == CHINA.id for _, v, _ in events)
    assert {(u, v) for u, v, _ in events} == {
        (XI.id, RUSSIA.id), (SAUDI.id, IRAN.id), ("name:kyiv post", RUSSIA.id)}


def test_co_mention_edges_count_documents_once_per_pair(
        graph: nx.MultiDiGraph[str]) -> None:
    co = {(u, v): d for u, v, d in graph.edges(data=True) if d["kind"] == "co_mention"}
    # stored once, from the smaller key to the larger; no self-loops
    assert all(u < v for u, v in co)
    xi_russia = co[(XI.id, RUSSIA.id)]
    assert xi_russia["weight"] == 3 and xi_russia["docs"] == ["wire", "tank", "mag"]
    assert co[(SAUDI.id, IRAN.id) if SAUDI.id < IRAN.id else (IRAN.id, SAUDI.id)]["weight"] == 1
    assert co[("name:kyiv post", XI.id)]["weight"] == 1
    assert (UKRAINE.id, XI.id) not in co and co[("person:xi-jinping", UKRAINE.id)]["weight"] == 1
    assert all(graph.has_edge(u, v, key="co_mention") for u, v in co)


def test_without_the_duplicates_map_the_copy_counts(graph: nx.MultiDiGraph[str]) -> None:
    plain = actor_graph(_corpus())
    assert plain.nodes[XI.id]["documents"] == 4
    assert plain[XI.id][RUSSIA.id]["co_mention"]["weight"] == 4
    assert graph[XI.id][RUSSIA.id]["co_mention"]["weight"] == 3


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json"])
def test_files_round_trip_through_networkx(graph: nx.MultiDiGraph[str], tmp_path: Path,
                                           fmt: str) -> None:
    path = tmp_path / f"actors.{fmt}"
    write_graph(graph, path, fmt)
    if fmt == "graphml":
        back = nx.read_graphml(path, force_multigraph=True)
    elif fmt == "gexf":
        back = nx.read_gexf(path)
    else:
        back = nx.node_link_graph(json.loads(path.read_text("utf-8")), edges="edges")
    assert back.is_directed() and back.is_multigraph()
    assert set(back.nodes) == set(graph.nodes)
    assert back.number_of_edges() == graph.number_of_edges()
    xi = back.nodes[XI.id]
    assert xi["name"] == "Xi Jinping" and int(xi["documents"]) == 3
    [visit] = [d for d in back.get_edge_data(XI.id, RUSSIA.id).values()
               if d["kind"] == "event"]
    assert float(visit["weight"]) == 3
    assert visit.get("type", visit.get("event_type")) == "CONSULT"
    if fmt == "json":
        assert visit["docs"] == ["mag", "tank", "wire"]
        assert xi["aliases"] == graph.nodes[XI.id]["aliases"]
    else:
        # lists are joined, None left out
        assert visit["docs"] == "mag; tank; wire"
        assert "Xi" in xi["aliases"].split("; ")
        assert "country" not in back.nodes["name:kyiv post"]
    if fmt == "graphml":
        assert xi["id"] == XI.id and "id" not in back.nodes["name:kyiv post"]


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json"])
def test_streams_text_or_binary(graph: nx.MultiDiGraph[str], fmt: str) -> None:
    text, binary = io.StringIO(), io.BytesIO()
    write_graph(graph, text, fmt)
    write_graph(graph, binary, fmt)
    assert text.getvalue().encode("utf-8") == binary.getvalue()
    assert "Xi Jinping" in text.getvalue()


def test_unknown_format_is_a_config_error(graph: nx.MultiDiGraph[str]) -> None:
    with pytest.raises(ConfigError, match="graph format 'dot'"):
        write_graph(graph, io.StringIO(), "dot")


def test_empty_corpus_gives_an_empty_graph(tmp_path: Path) -> None:
    empty = actor_graph([])
    assert empty.number_of_nodes() == 0
    write_graph(empty, tmp_path / "empty.graphml", "graphml")
    assert nx.read_graphml(tmp_path / "empty.graphml").number_of_nodes() == 0
