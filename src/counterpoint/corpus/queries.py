"""Questions asked of a stored corpus, shared by the CLI, the web app and briefings.

Each function takes an open :class:`~counterpoint.store.Store` and returns the
library's own models, so every interface shows the same answer to the same
question.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from counterpoint.corpus.compare import Comparison, compare
from counterpoint.corpus.stories import Story, cluster_stories
from counterpoint.errors import StoryNotFound
from counterpoint.schema import Analysis
from counterpoint.store import Store
from counterpoint.store.search import SearchHit, SearchKind

if TYPE_CHECKING:
    import networkx as nx

    from counterpoint.corpus.timeline import TimelineEntry

__all__ = ["actor_graph_of", "compare_stored", "find_story", "list_stories", "search",
           "story_analyses", "timeline_of"]


def list_stories(store: Store, *, singletons: bool = False) -> list[Story]:
    """The stories of the stored corpus, largest first (see :mod:`.stories`)."""
    return cluster_stories(list(store.story_inputs()), min_size=1 if singletons else 2)


def find_story(store: Store, story_id: str) -> Story:
    """The story with this id (single documents included), or :class:`StoryNotFound`."""
    for story in list_stories(store, singletons=True):
        if story.id == story_id:
            return story
    raise StoryNotFound(store.database, f"no story has id {story_id!r} "
                        "(see `counterpoint stories --all`)")


def story_analyses(store: Store, story: Story) -> list[Analysis]:
    """The stored analyses of a story's documents, each copy counted once: a document
    whose original is also in the story is left out."""
    duplicates = store.duplicates()
    members = {doc.id for doc in story.documents}
    return [store.get(doc.id) for doc in story.documents
            if duplicates.get(doc.id) not in members]


def compare_stored(store: Store, document_ids: Sequence[str]) -> Comparison:
    """Compare stored documents by id (:class:`~counterpoint.errors.DocumentNotFound`
    for an unknown one)."""
    return compare([store.get(ident) for ident in document_ids])


def timeline_of(store: Store, *, actor: str | None = None,
                undated: bool = False) -> list[TimelineEntry]:
    """The corpus's timeline, copies counted once (see :mod:`.timeline`)."""
    from counterpoint.corpus.timeline import timeline

    return timeline(store.iter_analyses(), actor=actor, duplicates=store.duplicates(),
                    undated=undated)


def actor_graph_of(store: Store) -> nx.MultiDiGraph[str]:
    """The corpus's actor graph, copies counted once (see :mod:`.graph`)."""
    from counterpoint.corpus.graph import actor_graph

    return actor_graph(store.iter_analyses(), duplicates=store.duplicates())


def search(store: Store, query: str, *, semantic: bool = False, kind: SearchKind = "claim",
           actor: str | None = None, source: str | None = None, since: str | None = None,
           until: str | None = None, limit: int = 20) -> list[SearchHit]:
    """Full-text search, or semantic search with the query embedded by the model the
    corpus was embedded with (:class:`~counterpoint.errors.EmbeddingError` when it
    cannot load)."""
    vector = None
    model = None
    if semantic:
        from counterpoint.corpus.embed import MODEL_NAME, embed

        vector, model = embed([query])[0], MODEL_NAME
    return store.search(query, semantic=semantic, kind=kind, actor=actor, source=source,
                        since=since, until=until, limit=limit, query_vector=vector,
                        model=model)
