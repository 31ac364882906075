"""Questions asked of a stored corpus, shared by the CLI, the web app and briefings.

Each function takes an open :class:`~counterpoint.store.Store` and returns the
library's own models, so every interface shows the same answer to the same
question.
"""

from __future__ import annotations

from collections.abc import Sequence

from counterpoint.corpus.compare import Comparison, compare
from counterpoint.corpus.stories import Story, cluster_stories
from counterpoint.errors import StoryNotFound
from counterpoint.schema import Analysis
from counterpoint.store import Store

__all__ = ["compare_stored", "find_story", "list_stories", "story_analyses"]


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
