"""Story clustering rules on hand-made documents (vectors made by hand, no model)."""

from __future__ import annotations

import numpy as np

from counterpoint.corpus import stories
from counterpoint.corpus.stories import Story, StoryDoc, cluster_stories


def _unit(seed: int, near: np.ndarray | None = None, noise: float = 0.05) -> np.ndarray:
    rng = np.random.default_rng(seed)
    v = rng.normal(size=384) if near is None else near + noise * rng.normal(size=384)
    return (v / np.linalg.norm(v)).astype(np.float32)


def _doc(ident: str, vector: np.ndarray, published: str | None, actors: list[str],
         mentioned: str | None = None) -> StoryDoc:
    return StoryDoc(id=ident, path=f"{ident}.txt", title=ident, publisher=None,
                    published=published, actors=actors, main_event="CONSULT", vector=vector,
                    mentioned_day=mentioned)


def test_same_event_clusters_and_time_separates() -> None:
    summit = _unit(1)
    docs = [_doc("a", _unit(2, summit), "2023-03-20", ["state:CHN", "state:RUS"]),
            _doc("b", _unit(3, summit), "2023-03-21", ["state:CHN", "state:RUS"]),
            # the same words a year later are another story
            _doc("c", _unit(4, summit), "2024-03-21", ["state:CHN", "state:RUS"]),
            _doc("d", _unit(5), "2023-03-21", ["state:CHN", "state:RUS"])]
    found = cluster_stories(docs)
    assert [[m.id for m in s.documents] for s in found] == [["a", "b"]]
    assert found[0].start == "2023-03-20" and found[0].end == "2023-03-21"
    assert found[0].actors == ["state:CHN", "state:RUS"]


def test_an_undated_document_is_placed_by_the_dates_it_mentions() -> None:
    summit = _unit(1)
    docs = [_doc("a", _unit(2, summit), "2023-03-20", ["state:CHN"]),
            _doc("b", _unit(3, summit), None, ["state:CHN"], mentioned="2023-03-22"),
            _doc("c", _unit(4, summit), None, ["state:CHN"], mentioned="2021-01-02")]
    found = cluster_stories(docs)
    assert [[m.id for m in s.documents] for s in found] == [["a", "b"]]


def test_documents_without_any_date_have_bounded_candidates() -> None:
    """Regression: every undated document was paired with every other one (n²)."""
    docs = [_doc(f"u{i}", _unit(i), None, ["state:CHN"]) for i in range(600)]
    pairs = list(stories._candidates(docs))
    assert len(pairs) <= 600 * stories.MAX_CANDIDATES
    assert len(set(pairs)) == len(pairs)


def test_a_busy_day_still_links_two_reports_of_one_event() -> None:
    # 600 unrelated reports naming the same actor on one day, and two reports of one
    # event at either end of it: found as each other's nearest neighbours
    day = "2024-05-01T{:02d}:00:00"
    event = _unit(99)
    docs = [_doc("first", _unit(1, near=event, noise=0.02), day.format(0), ["RUS"])]
    docs += [_doc(f"noise{n}", _unit(1000 + n), day.format(1 + n % 20), ["RUS"])
             for n in range(600)]
    docs.append(_doc("last", _unit(2, near=event, noise=0.02), day.format(23), ["RUS"]))
    stories = cluster_stories(docs)
    assert [[d.id for d in s.documents] for s in stories] == [["first", "last"]]


def test_approximate_neighbours_find_the_stories_exact_search_finds() -> None:
    # three events over five weeks among background noise; the HNSW index (forced by a
    # tiny exact limit) links the same documents as the exact search
    docs = []
    for k, (actor, start) in enumerate([("CHN", 1), ("IRN", 8), ("UKR", 20)]):
        centre = _unit(500 + k)
        docs += [_doc(f"e{k}-{n}", _unit(10 * k + n, near=centre, noise=0.03),
                      f"2024-03-{start + n % 5:02d}", [actor, "USA"]) for n in range(30)]
    docs += [_doc(f"bg{n}", _unit(2000 + n), f"2024-03-{1 + n % 28:02d}", ["USA"])
             for n in range(300)]

    def members(found: list[Story]) -> list[set[str]]:
        return sorted(({d.id for d in s.documents} for s in found), key=sorted)

    exact = members(cluster_stories(docs))
    approximate = members(cluster_stories(docs, exact_up_to=16))
    assert approximate == exact
    assert [sorted(s)[0] for s in exact] == ["e0-0", "e1-0", "e2-0"]
