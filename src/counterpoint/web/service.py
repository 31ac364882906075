"""Work the API and the pages share: uploads into the store, and cached corpus answers."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Literal

from fastapi import UploadFile
from pydantic import BaseModel, Field

from counterpoint.corpus.compare import Comparison
from counterpoint.corpus.queries import (
    actor_graph_of,
    compare_stored,
    find_story,
    list_stories,
    story_analyses,
    timeline_of,
)
from counterpoint.corpus.stories import Story
from counterpoint.errors import CounterpointError, EmptyInput, InputTooLarge, UnsupportedInput
from counterpoint.extract import extract
from counterpoint.ingest.readers import extension_of, read_bytes, sniff_kind
from counterpoint.schema import Document, RawItem
from counterpoint.web.state import AppState

if TYPE_CHECKING:
    import networkx as nx

    from counterpoint.corpus.timeline import TimelineEntry

__all__ = [
    "UploadDocument",
    "UploadRequest",
    "UploadResult",
    "comparison",
    "comparison_of_story",
    "stories",
    "story",
    "upload_files",
    "upload_items",
]

log = logging.getLogger(__name__)


class UploadDocument(BaseModel):
    """One document sent as JSON: its text and what is known about it."""

    text: str = Field(min_length=1, description="The page's HTML or the article's text.")
    format: Literal["text", "html"] = "text"
    source: str | None = Field(None, description="A name for the document in messages "
                               "(default upload#N).")
    id: str | None = None
    title: str | None = None
    url: str | None = None
    published: str | None = Field(None, description="ISO date, if known.")
    publisher: str | None = None


class UploadRequest(BaseModel):
    """``POST /api/documents`` with a JSON body."""

    documents: list[UploadDocument] = Field(min_length=1, max_length=200)


class UploadResult(BaseModel):
    """What became of one uploaded document."""

    source: str
    status: Literal["stored", "updated", "unchanged", "failed"]
    id: str | None = None
    title: str | None = None
    duplicate_of: str | None = None
    error: str | None = None


async def read_uploads(files: Sequence[UploadFile], limit: int) -> list[tuple[str, bytes]]:
    """The uploaded files' names and bytes, each read up to ``limit`` bytes; a larger
    one raises :class:`InputTooLarge` (413) before anything is stored."""
    read: list[tuple[str, bytes]] = []
    for upload in files:
        data = await upload.read(limit + 1)
        name = upload.filename or "upload"
        if len(data) > limit:
            raise InputTooLarge(name, f"over the {limit:,}-byte upload limit")
        if upload.filename or data:
            read.append((name, data))
    return read


def upload_files(state: AppState, files: Sequence[tuple[str, bytes]]) -> list[UploadResult]:
    """Read, extract, analyse and store uploaded files; one result per document (a
    JSONL, WARC or feed file may hold several), failures included."""
    items: list[RawItem | UploadResult] = []
    for name, data in files:
        if not data.strip():
            items.append(_failed(name, EmptyInput(name, "empty file")))
            continue
        kind = sniff_kind(data, name)
        if kind is None:
            ext = extension_of(name) or "(none)"
            items.append(_failed(name, UnsupportedInput(
                name, f"unknown extension {ext} and content not recognised; send .html, "
                ".txt, .jsonl, .warc or a feed")))
            continue
        for outcome in read_bytes(data, name, kind):
            items.append(outcome if isinstance(outcome, RawItem)
                         else _failed(name, outcome))
    return _store(state, items)


def upload_items(state: AppState, request: UploadRequest) -> list[UploadResult]:
    """Store documents sent as JSON."""
    items: list[RawItem | UploadResult] = [
        RawItem(source=doc.source or f"upload#{n}", text=doc.text, format=doc.format,
                id=doc.id, title=doc.title, url=doc.url, published=doc.published,
                publisher=doc.publisher)
        for n, doc in enumerate(request.documents, start=1)]
    return _store(state, items)


def _failed(source: str, exc: BaseException) -> UploadResult:
    reason = str(exc)
    prefix = f"{source}: "
    return UploadResult(source=source, status="failed",
                        error=reason[len(prefix):] if reason.startswith(prefix) else reason)


def _store(state: AppState, items: Iterable[RawItem | UploadResult]) -> list[UploadResult]:
    from counterpoint.corpus.ingest import ingest

    results: list[UploadResult] = []
    documents: list[Document] = []
    slots: dict[str, list[int]] = {}
    for item in items:
        if isinstance(item, UploadResult):
            results.append(item)
            continue
        try:
            document = extract(item)
        except CounterpointError as exc:
            results.append(_failed(item.source, exc))
            continue
        slots.setdefault(document.id, []).append(len(results))
        results.append(UploadResult(source=item.source, status="failed", id=document.id,
                                    title=document.title, error="not stored"))
        documents.append(document)
    if not documents:
        return results
    unique = list({d.id: d for d in documents}.values())
    with state.write_lock:  # one writer at a time: analysis and storage of a batch
        try:
            for outcome in ingest(unique, state.store):
                for slot in slots.get(outcome.document_id, []):
                    results[slot] = results[slot].model_copy(update={
                        "status": outcome.status, "duplicate_of": outcome.duplicate_of,
                        "error": outcome.notes[0] if outcome.status == "failed" else None})
        finally:
            state.wrote()
    return results


def stories(state: AppState) -> list[Story]:
    return state.cached(("stories",), lambda: list_stories(state.store))


def story(state: AppState, story_id: str) -> Story:
    return state.cached(("story", story_id), lambda: find_story(state.store, story_id))


def comparison_of_story(state: AppState, story_id: str) -> tuple[Story, Comparison]:
    """A story and the comparison of its documents (each copy once)."""
    found = story(state, story_id)

    def run() -> Comparison:
        from counterpoint.corpus.compare import compare

        return compare(story_analyses(state.store, found))
    return found, state.cached(("story-compare", story_id), run)


def comparison(state: AppState, ids: Sequence[str]) -> Comparison:
    return state.cached(("compare", *ids), lambda: compare_stored(state.store, ids))



def timeline(state: AppState, actor: str | None, undated: bool = False) -> list[TimelineEntry]:
    return state.cached(("timeline", actor, undated),
                        lambda: timeline_of(state.store, actor=actor, undated=undated))


def graph(state: AppState) -> nx.MultiDiGraph[str]:
    return state.cached(("graph",), lambda: actor_graph_of(state.store))
