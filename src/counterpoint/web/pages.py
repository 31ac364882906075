"""The web UI: server-rendered pages (Jinja2) over the same store and queries as the API.

Pages: the corpus (documents with filters, stories), a document (its clean text with
actors, events and claims marked; holder and certainty on hover and beside), a
story (its sources side by side: agreements, disagreements, unique claims, tone),
the timeline, the actor graph, search, upload and sign-in. Every claim links to
its sentence: ``/documents/ID?hl=START-END#focus`` (``&fn=MARKER`` for a footnote).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from counterpoint import __version__
from counterpoint.corpus import queries
from counterpoint.corpus.compare import ClaimRef, Comparison
from counterpoint.errors import CounterpointError, InputTooLarge
from counterpoint.web import service
from counterpoint.web.render import Mark, draw_graph, draw_timeline, marked_text, marks_of
from counterpoint.web.state import COOKIE, AppState, AuthError, state_of

__all__ = ["error_page", "router"]

templates = Jinja2Templates(directory=Path(__file__).parent / "templates")
templates.env.globals["version"] = __version__
router = APIRouter(include_in_schema=False)
PAGE = 50


def sentence_url(doc: str, start: int | None, end: int | None,
                 footnote: str | None = None) -> str:
    """Where a cited sentence is shown highlighted."""
    if start is None or end is None:
        return f"/documents/{doc}"
    query = {"hl": f"{start}-{end}"}
    if footnote:
        query["fn"] = footnote
    return f"/documents/{doc}?{urlencode(query)}#focus"


def claim_url(claim: ClaimRef) -> str:
    return sentence_url(claim.doc, claim.start, claim.end, claim.footnote)


templates.env.globals["sentence_url"] = sentence_url
templates.env.globals["claim_url"] = claim_url


def _page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    state = state_of(request)
    context.setdefault("signed_in", state.valid(state.presented(request)))
    context.setdefault("writes", state.token is not None)
    return templates.TemplateResponse(request, name, context, status_code=status)


def error_page(request: Request, status: int, message: str) -> Response:
    """An error as a page: the status, one line saying why, a way on."""
    return _page(request, "error.html.j2", status=status, status_code=status,
                 message=message)


def _reader(request: Request) -> AppState:
    state = state_of(request)
    state.check_read(request)
    return state


@router.get("/", response_class=HTMLResponse)
def corpus(request: Request, *, actor: str = "", source: str = "", since: str = "",
           until: str = "", page: Annotated[int, Query(ge=1)] = 1) -> Response:
    state = _reader(request)
    filters = {"actor": actor.strip() or None, "source": source.strip() or None,
               "since": since.strip() or None, "until": until.strip() or None}
    documents = state.store.documents(**filters, limit=PAGE + 1, offset=(page - 1) * PAGE)
    stories = service.stories(state)
    query = {k: v for k, v in filters.items() if v}
    return _page(request, "corpus.html.j2", documents=documents[:PAGE],
                 more=len(documents) > PAGE, page=page, filters=filters,
                 query=urlencode(query), total=state.store.count(), stories=stories)


@router.get("/documents/{document_id}", response_class=HTMLResponse)
def document(request: Request, document_id: str, hl: str = "", fn: str = "") -> Response:
    state = _reader(request)
    analysis = state.store.get(document_id)
    focus = _focus(hl)
    body_marks = marks_of(analysis)
    if focus and not fn:
        body_marks.append(Mark(focus[0], focus[1], "focus", "the cited sentence",
                               anchor="focus"))
    body = marked_text(analysis.body, body_marks)
    footnotes = []
    for note in analysis.footnotes:
        marks = marks_of(analysis, note.marker)
        if focus and fn == note.marker:
            marks.append(Mark(focus[0], focus[1], "focus", "the cited sentence",
                              anchor="focus"))
        footnotes.append((note.marker, marked_text(note.text, marks)))
    actors = sorted(analysis.actors, key=lambda a: (-a.mentions, a.name))
    return _page(request, "document.html.j2", doc=analysis, body=body, footnotes=footnotes,
                 actors=actors, focused=focus is not None)


def _focus(value: str) -> tuple[int, int] | None:
    start, _, end = value.partition("-")
    if start.isdigit() and end.isdigit() and int(start) < int(end):
        return int(start), int(end)
    return None


@router.get("/stories", response_class=HTMLResponse)
def stories(request: Request) -> Response:
    state = _reader(request)
    return _page(request, "stories.html.j2", stories=service.stories(state))


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story(request: Request, story_id: str) -> Response:
    state = _reader(request)
    found, result = service.comparison_of_story(state, story_id)
    return _page(request, "story.html.j2", story=found, cmp=result, **_sides(result))


def _sides(result: Comparison) -> dict[str, Any]:
    """What the story page lays out in columns: documents, the actors of the tone table."""
    names: dict[str, str] = {d.id: d.publisher or d.title or d.path for d in result.documents}
    counts: dict[str, int] = {}
    for tones in result.tone.values():
        for actor in tones:
            counts[actor] = counts.get(actor, 0) + 1
    shared = [a for a, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
              if n >= 2][:8]
    return {"names": names, "tone_actors": shared}


@router.get("/timeline", response_class=HTMLResponse)
def timeline(request: Request, actor: str = "") -> Response:
    state = _reader(request)
    entries = service.timeline(state, actor.strip() or None)
    return _page(request, "timeline.html.j2", entries=entries, actor=actor,
                 drawing=draw_timeline(entries))


@router.get("/graph", response_class=HTMLResponse)
def graph(request: Request) -> Response:
    state = _reader(request)
    built = service.graph(state)
    return _page(request, "graph.html.j2", drawing=draw_graph(built),
                 nodes=built.number_of_nodes(), edges=built.number_of_edges())


@router.get("/search", response_class=HTMLResponse)
def search(request: Request, *, q: str = "", semantic: bool = False, actor: str = "",
           source: str = "", since: str = "", until: str = "") -> Response:
    state = _reader(request)
    hits = []
    error = None
    if q.strip():
        try:
            hits = queries.search(state.store, q, semantic=semantic, actor=actor or None,
                                  source=source or None, since=since or None,
                                  until=until or None, limit=50)
        except CounterpointError as exc:
            error = str(exc)
    return _page(request, "search.html.j2", q=q, semantic=semantic, hits=hits, error=error,
                 filters={"actor": actor, "source": source, "since": since, "until": until})


@router.get("/upload", response_class=HTMLResponse)
def upload_form(request: Request) -> Response:
    return _page(request, "upload.html.j2", results=None)


@router.post("/upload", response_class=HTMLResponse)
async def upload(request: Request,
                 files: Annotated[list[UploadFile], File()],
                 token: Annotated[str, Form()] = "") -> Response:
    state = state_of(request)
    try:
        state.check_write(request, token.strip() or None)
    except AuthError as exc:
        return _page(request, "upload.html.j2", status=exc.status, results=None,
                     error=str(exc))
    try:
        read = await service.read_uploads(files, state.settings.max_upload)
    except InputTooLarge as exc:
        return _page(request, "upload.html.j2", status=413, results=None, error=str(exc))
    if not read:
        return _page(request, "upload.html.j2", status=400, results=None,
                     error="choose at least one file")
    results = await run_in_threadpool(service.upload_files, state, read)
    response = _page(request, "upload.html.j2", results=results,
                     status=422 if all(r.status == "failed" for r in results) else 200)
    if token.strip():
        _remember(response, token.strip())
    return response


def _remember(response: Response, token: str) -> None:
    response.set_cookie(COOKIE, token, httponly=True, samesite="strict", max_age=8 * 3600)


@router.get("/signin", response_class=HTMLResponse)
def signin_form(request: Request) -> Response:
    return _page(request, "signin.html.j2")


@router.post("/signin", response_class=HTMLResponse)
def signin(request: Request, token: Annotated[str, Form()] = "") -> Response:
    state = state_of(request)
    if not state.valid(token.strip()):
        return _page(request, "signin.html.j2", status=401,
                     error="that token is not valid" if state.token else
                     "this server has no API token: nothing to sign in to")
    response = RedirectResponse("/", status_code=303)
    _remember(response, token.strip())
    return response


@router.post("/signout")
def signout() -> Response:
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(COOKIE)
    return response
