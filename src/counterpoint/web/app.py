"""The FastAPI app: the REST API (``/api``), the web UI (``/``), one store.

``create_app(settings)`` opens the store named by ``settings.db`` (or takes an
open one) and serves it until shutdown. Every error reaches the client as one
clear line (JSON for the API, a page for the UI) with a 4xx status; an
unexpected one is logged with its traceback and answered with a plain 500.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from counterpoint import __version__
from counterpoint.config import Settings
from counterpoint.errors import (
    ConfigError,
    CounterpointError,
    DocumentNotFound,
    IngestError,
    InputTooLarge,
    StoreError,
    StoryNotFound,
)
from counterpoint.store import Store
from counterpoint.web.state import AppState, AuthError

__all__ = ["create_app"]

log = logging.getLogger(__name__)
HERE = Path(__file__).parent


def create_app(settings: Settings | None = None, *, store: Store | None = None) -> FastAPI:
    """The app over ``store`` (default: open ``settings.db``; closed at shutdown only
    when the app opened it). Raises :class:`ConfigError` for an unreadable token file
    and :class:`StoreError` when the store cannot be opened."""
    settings = settings or Settings.from_env()
    token = settings.token()
    owned = store is None
    opened = store if store is not None else Store.open(settings.db)
    state = AppState(store=opened, settings=settings, token=token)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        if owned:
            opened.close()

    app = FastAPI(
        title="counterpoint",
        version=__version__,
        summary="Sourced, structured intelligence from news and commentary: who did what "
                "to whom, who says what and how sure, where sources agree and differ.",
        openapi_url="/api/openapi.json", docs_url="/api/docs", redoc_url=None,
        lifespan=lifespan)
    app.state.counterpoint = state
    _limit_uploads(app, settings.max_upload)
    _handle_errors(app)
    from counterpoint.web.api import router as api_router
    from counterpoint.web.pages import router as pages_router

    app.include_router(api_router)
    app.include_router(pages_router)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    return app


def _limit_uploads(app: FastAPI, limit: int) -> None:
    """Refuse a request body over ``limit`` bytes (413) before reading it, when its
    length is declared; uploads read without a length are capped as they are read."""

    @app.middleware("http")
    async def cap(request: Request, call_next: Callable[[Request], Awaitable[Response]]
                  ) -> Response:
        declared = request.headers.get("content-length")
        # multipart framing adds a little to the files themselves
        if declared and declared.isdigit() and int(declared) > limit + 64_000:
            return _error(request, 413, f"the request is {int(declared):,} bytes; the upload "
                          f"limit is {limit:,} bytes")
        return await call_next(request)


def _status(exc: CounterpointError) -> int:
    if isinstance(exc, AuthError):
        return exc.status
    if isinstance(exc, DocumentNotFound | StoryNotFound):
        return 404
    if isinstance(exc, InputTooLarge):
        return 413
    if isinstance(exc, ConfigError | IngestError):
        return 400
    if isinstance(exc, StoreError):
        return 503
    return 422


def _handle_errors(app: FastAPI) -> None:
    @app.exception_handler(CounterpointError)
    async def known(request: Request, exc: CounterpointError) -> Response:
        status = _status(exc)
        if status >= 500:
            log.error("%s %s: %s", request.method, request.url.path, exc)
        response = _error(request, status, str(exc))
        if status == 401:
            response.headers["WWW-Authenticate"] = "Bearer"
        return response

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        problems = []
        for error in exc.errors()[:5]:
            where = ".".join(str(p) for p in error.get("loc", ()) if p != "body")
            problems.append(f"{where or 'body'}: {error.get('msg', 'invalid')}")
        return _error(request, 422, "invalid request: " + "; ".join(problems))

    @app.exception_handler(StarletteHTTPException)
    async def http(request: Request, exc: StarletteHTTPException) -> Response:
        return _error(request, exc.status_code, str(exc.detail))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("%s %s failed", request.method, request.url.path)
        return _error(request, 500, "internal error; the server log has the details")


def _error(request: Request, status: int, message: str) -> Response:
    if request.url.path.startswith("/api") or "text/html" not in request.headers.get(
            "accept", ""):
        return JSONResponse({"error": message}, status_code=status)
    from counterpoint.web.pages import error_page

    return error_page(request, status, message)
