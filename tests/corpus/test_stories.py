"""Story clustering rules on hand-made documents (vectors made by hand, no model)."""

from __future__ import annotations

import numpy as np

from counterpoint.corpus import stories
from counterpoint.corpus.stories import StoryDoc, cluster_stories


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
