"""The REST API under ``/api``: documents, stories, compare, timeline, graph, search, export.

Reads may be public or need the token (``COUNTERPOINT_PROTECT_READS``); writes
always need it (``Authorization: Bearer TOKEN``). Errors are JSON
``{"error": "..."}`` with a 4xx status; a bug gives 500 with no stack trace.
"""

from __future__ import annotations

import io
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, Query, Request, UploadFile
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel

from counterpoint.corpus import queries
from counterpoint.corpus.compare import Comparison
from counterpoint.corpus.stories import Story
from counterpoint.errors import ConfigError
from counterpoint.schema import Analysis, DocumentRef
from counterpoint.store.search import SearchHit
from counterpoint.web import service
from counterpoint.web.state import AppState, state_of

__all__ = ["router"]


def readable(request: Request) -> AppState:
    state = state_of(request)
    state.check_read(request)
    return state


def writable(request: Request) -> AppState:
    state = state_of(request)
    state.check_write(request)
    return state


Reader = Annotated[AppState, Depends(readable)]
Writer = Annotated[AppState, Depends(writable)]


class ErrorBody(BaseModel):
    """Every error the API returns."""

    error: str


ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "Bad parameter"},
    401: {"model": ErrorBody, "description": "Missing or wrong token"},
    403: {"model": ErrorBody, "description": "Forbidden (no token configured)"},
    404: {"model": ErrorBody, "description": "Not found"},
    422: {"model": ErrorBody, "description": "Invalid request"},
}

router = APIRouter(prefix="/api", responses=ERRORS)


class UploadResponse(BaseModel):
    results: list[service.UploadResult]
    stored: int
    failed: int


class DocumentList(BaseModel):
    documents: list[DocumentRef]
    total: int
    offset: int
    limit: int


class StoryList(BaseModel):
    stories: list[Story]


class StoryDetail(BaseModel):
    story: Story
    comparison: Comparison


class SearchResult(BaseModel):
    query: str
    semantic: bool
    hits: list[SearchHit]


class Health(BaseModel):
    status: str
    documents: int
    writes: bool


@router.get("/health", response_model=Health, tags=["service"])
def health(state: Reader) -> Health:
    """Whether the service and its store answer, and whether it accepts writes."""
    return Health(status="ok", documents=state.store.count(), writes=state.token is not None)


@router.post("/documents", response_model=UploadResponse, tags=["documents"],
             responses={413: {"model": ErrorBody, "description": "Upload too large"}})
async def upload(request: Request, state: Writer,
                 files: Annotated[list[UploadFile] | None, File(
                     description="One or more files: .html, .txt, .jsonl, .warc, feeds.")
                 ] = None) -> Any:
    """Upload documents: multipart ``files``, or a JSON body ``{"documents": [{"text":
    …, "format": "text"|"html", "title": …, "published": …}]}``. Each is extracted,
    analysed and stored (idempotent by content). 200 when at least one document went
    through, 422 when none did; each result says what happened to its document."""
    from fastapi.concurrency import run_in_threadpool

    content_type = request.headers.get("content-type", "")
    if content_type.startswith("application/json"):
        try:
            payload = service.UploadRequest.model_validate_json(await request.body())
        except ValueError as exc:
            raise ConfigError(f"the JSON body is not a valid upload: {_first_error(exc)}"
                              ) from exc
        results = await run_in_threadpool(service.upload_items, state, payload)
    else:
        if not files:
            raise ConfigError("send files as multipart field 'files', or a JSON body "
                              "{\"documents\": [...]}")
        read = await service.read_uploads(files, state.settings.max_upload)
        results = await run_in_threadpool(service.upload_files, state, read)
    failed = sum(r.status == "failed" for r in results)
    body = UploadResponse(results=results, stored=len(results) - failed, failed=failed)
    return JSONResponse(body.model_dump(mode="json"),
                        status_code=422 if failed == len(results) else 200)


def _first_error(exc: ValueError) -> str:
    errors = getattr(exc, "errors", None)
    if callable(errors):
        first = errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ())) or "body"
        return f"{where}: {first.get('msg', 'invalid')}"
    return str(exc).splitlines()[0]


@router.get("/documents", response_model=DocumentList, tags=["documents"])
def documents(state: Reader, *,
              actor: Annotated[str | None, Query(description="Actor id or name")] = None,
              source: Annotated[str | None, Query(description="Document id or part of "
                                                  "the publisher's name")] = None,
              since: Annotated[str | None, Query(description="ISO date, inclusive")] = None,
              until: Annotated[str | None, Query(description="ISO date, inclusive")] = None,
              limit: Annotated[int, Query(ge=1, le=1000)] = 100,
              offset: Annotated[int, Query(ge=0)] = 0) -> DocumentList:
    """List stored documents, newest first, filtered by actor, source and date."""
    filters = {"actor": actor, "source": source, "since": since, "until": until}
    found = state.store.documents(**filters, limit=limit, offset=offset)
    total = state.store.count(**filters)
    return DocumentList(documents=found, total=total, offset=offset, limit=limit)


@router.get("/documents/{document_id}", response_model=Analysis, tags=["documents"])
def document(document_id: str, state: Reader) -> Analysis:
    """A stored document's whole analysis (the contract of `counterpoint analyze`)."""
    return state.store.get(document_id)


@router.get("/stories", response_model=StoryList, tags=["corpus"])
def stories(state: Reader) -> StoryList:
    """The stories of the corpus: documents about the same real-world event."""
    return StoryList(stories=service.stories(state))


@router.get("/stories/{story_id}", response_model=StoryDetail, tags=["corpus"])
def story(story_id: str, state: Reader) -> StoryDetail:
    """One story and the comparison of its sources."""
    found, result = service.comparison_of_story(state, story_id)
    return StoryDetail(story=found, comparison=result)


@router.get("/compare", response_model=Comparison, tags=["corpus"])
def compare(state: Reader,
            ids: Annotated[list[str], Query(description="Two or more document ids")]
            ) -> Comparison:
    """Compare stored documents: agreements, disagreements, unique claims, tone (the
    contract of `counterpoint compare --json`)."""
    if len(ids) < 2:
        raise ConfigError(f"compare needs at least two document ids; got {len(ids)}")
    return service.comparison(state, ids)


@router.get("/timeline", tags=["corpus"])
def timeline(state: Reader, *,
             actor: Annotated[str | None, Query(description="Only events involving this "
                                                "actor")] = None,
             undated: Annotated[bool, Query(description="Also events without a date")
                                ] = False) -> Any:
    """Events across the corpus ordered by date, the same event merged across reports."""
    entries = service.timeline(state, actor, undated)
    return {"entries": [e.model_dump(mode="json") for e in entries]}


@router.get("/graph", tags=["corpus"])
def graph(state: Reader, *,
          format: Annotated[Literal["json", "graphml", "gexf"], Query()] = "json"
          ) -> Response:
    """The actor graph: actors as nodes, events and co-mentions as typed, dated,
    weighted edges. JSON (node-link), GraphML or GEXF."""
    from counterpoint.corpus.graph import write_graph

    built = service.graph(state)
    buffer = io.BytesIO()
    write_graph(built, buffer, format)
    media = {"json": "application/json", "graphml": "application/xml",
             "gexf": "application/xml"}[format]
    return Response(buffer.getvalue(), media_type=media)


@router.get("/search", response_model=SearchResult, tags=["corpus"])
def search(state: Reader, *,
           q: Annotated[str, Query(min_length=1, max_length=500, description="Words, "
                                   "\"a phrase\", or, -excluded")],
           semantic: bool = False,
           kind: Annotated[Literal["claim", "document"], Query()] = "claim",
           actor: str | None = None, source: str | None = None,
           since: str | None = None, until: str | None = None,
           limit: Annotated[int, Query(ge=1, le=200)] = 20) -> SearchResult:
    """Full-text or semantic search over claims (or documents), with filters."""
    hits = queries.search(state.store, q, semantic=semantic, kind=kind, actor=actor,
                          source=source, since=since, until=until, limit=limit)
    return SearchResult(query=q, semantic=semantic, hits=hits)


@router.get("/export", tags=["corpus"])
def export(state: Reader, *,
           kind: Annotated[Literal["documents", "actors", "events", "claims", "gdelt"],
                           Query()] = "events",
           format: Annotated[Literal["jsonl", "csv", "parquet"], Query()] = "jsonl"
           ) -> Response:
    """Export documents, actors, events or claims (or the GDELT-style event table) as
    JSONL, CSV or Parquet."""
    from counterpoint.corpus.export import export as write

    buffer = io.BytesIO()
    write(state.store.iter_analyses(), kind, format, buffer,
          duplicates=state.store.duplicates())
    media = {"jsonl": "application/x-ndjson", "csv": "text/csv",
             "parquet": "application/vnd.apache.parquet"}[format]
    return Response(buffer.getvalue(), media_type=media, headers={
        "Content-Disposition": f'attachment; filename="{kind}.{format}"'})

