"""Shared fixtures: realistic samples built by hand, a CLI runner, a local web server."""

from __future__ import annotations

import html
import http.server
import json
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

# Four paragraphs of an ordinary wire story, 30+ words each.
ARTICLE_PARAGRAPHS = (
    "The foreign ministers of both countries met in Geneva on Monday for talks that officials "
    "described as frank and constructive, the first such meeting in almost two years of rising "
    "tension along their shared border.",
    "According to a statement released after the meeting, the two sides agreed to restore "
    "direct flights, reopen the consulates that had been closed last spring and resume regular "
    "consultations on trade, energy and security.",
    "Observers cautioned that the agreement leaves the most contentious questions unresolved, "
    "including the status of the disputed border region and the fate of prisoners held by both "
    "sides since the clashes of last year.",
    "A spokesperson for the foreign ministry said further rounds of talks were planned for the "
    "autumn, and that both delegations had asked the United Nations to help monitor the "
    "ceasefire in the meantime.",
)


@pytest.fixture
def paragraphs() -> tuple[str, ...]:
    """Article paragraphs of 30+ words each."""
    return ARTICLE_PARAGRAPHS


def make_text_dump(title: str, body: tuple[str, ...] | list[str], *,
                   byline: str = "By Maria Rossi", date: str = "May 13, 2024") -> str:
    """A scraped page as a text dump: menu, headline, byline, date, article, footer."""
    lines = ["Home", "World", "Europe", "Subscribe", "", title, byline, date, "", *body,
             "", "Share this article", "Facebook", "Twitter", "Email",
             "© 2024 Daily Ledger. All rights reserved."]
    return "\n".join(lines) + "\n"


def make_news_html(title: str, body: tuple[str, ...] | list[str], *,
                   site: str = "Daily Ledger", charset: str = "utf-8") -> str:
    """A small news page: <title>, nav, an <article> with <h1>, byline and <p>s, a footer."""
    paras = "\n".join(f"    <p>{html.escape(p)}</p>" for p in body)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="{charset}">
  <title>{html.escape(title)} | {site}</title>
</head>
<body>
  <nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
  <article>
    <h1>{html.escape(title)}</h1>
    <p class="byline">By Maria Rossi</p>
    <time datetime="2024-05-13">May 13, 2024</time>
{paras}
  </article>
  <footer><p>Copyright 2024 {site}. All rights reserved.</p></footer>
</body>
</html>
"""


@pytest.fixture
def text_dump() -> Callable[..., str]:
    """Builder for a text dump (see :func:`make_text_dump`)."""
    return make_text_dump


@pytest.fixture
def news_html() -> Callable[..., str]:
    """Builder for a news page (see :func:`make_news_html`)."""
    return make_news_html


# --- the CLI ----------------------------------------------------------------------------

# Settings read from the environment that would change what these tests see.
_ENV_VARS = ("COUNTERPOINT_MAX_BYTES", "COUNTERPOINT_FETCH_TIMEOUT", "COUNTERPOINT_USER_AGENT",
             "COUNTERPOINT_ALLOW_URLS", "COUNTERPOINT_DB", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY",
             "http_proxy", "https_proxy", "all_proxy")


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Remove the settings and proxies the environment may carry."""
    for name in _ENV_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")


@dataclass
class CliResult:
    """What a user sees after running ``counterpoint extract``."""

    exit_code: int
    stdout: str
    stderr: str
    exception: BaseException | None
    docs: list[dict[str, Any]] = field(default_factory=list)

    @property
    def errors(self) -> list[str]:
        """The error lines on stderr."""
        return [ln for ln in self.stderr.splitlines() if ln.startswith("error:")]

    @property
    def notes(self) -> list[str]:
        """The note lines on stderr."""
        return [ln for ln in self.stderr.splitlines() if ln.startswith("note:")]

    def doc(self, path_part: str) -> dict[str, Any]:
        """The one document whose ``path`` contains ``path_part``."""
        found = [d for d in self.docs if path_part in d["path"]]
        assert len(found) == 1, f"{path_part!r} in {[d['path'] for d in self.docs]}"
        return found[0]


@pytest.fixture
def cli(clean_env: None) -> Callable[..., CliResult]:
    """Run ``counterpoint ARGS...`` in-process; parse stdout as JSON lines when ``--jsonl``."""
    from typer.testing import CliRunner

    from counterpoint.cli import app

    def run(*args: str, input: str | bytes | None = None) -> CliResult:
        result = CliRunner().invoke(app, list(args), input=input)
        out = CliResult(result.exit_code, result.stdout, result.stderr, result.exception)
        # Whatever goes wrong, the user never sees a traceback and no exception escapes.
        assert "Traceback" not in result.stdout + result.stderr
        assert result.exception is None or isinstance(result.exception, SystemExit), (
            repr(result.exception))
        if "--jsonl" in args:
            out.docs = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
        return out

    return run


# --- a local web server -----------------------------------------------------------------


@dataclass
class Route:
    """What the server answers on one path."""

    status: int = 200
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    delay: float = 0.0


@dataclass
class LocalServer:
    """A web server on 127.0.0.1 in a thread; add routes with :meth:`route`."""

    base: str
    routes: dict[str, Route]
    stop: threading.Event

    def route(self, path: str, body: bytes | str = b"", **kwargs: Any) -> str:
        """Serve ``body`` at ``path``; return its full URL."""
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.routes[path] = Route(body=data, **kwargs)
        return self.base + path


@pytest.fixture
def local_server(clean_env: None) -> Iterator[LocalServer]:
    """Start an HTTP server on 127.0.0.1 (port chosen by the OS) for the test."""
    routes: dict[str, Route] = {}
    stop = threading.Event()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            route = routes.get(self.path)
            if route is None:
                self.send_error(404, "Not Found")
                return
            if route.delay and stop.wait(route.delay):
                return  # the test is over; do not answer
            self.send_response(route.status)
            self.send_header("Content-Type", route.content_type)
            self.send_header("Content-Length", str(len(route.body)))
            self.end_headers()
            self.wfile.write(route.body)

        def log_message(self, format: str, *args: Any) -> None:
            pass  # keep the test output clean

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield LocalServer(f"http://127.0.0.1:{server.server_address[1]}", routes, stop)
    finally:
        stop.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
