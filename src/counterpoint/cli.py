"""The ``counterpoint`` command line: parse options, call the library, render.

Exit codes: 0 when every input went through, 1 when any input failed (each
failure printed as one line on stderr, the others still processed), 2 for a
usage error.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterator
from enum import StrEnum
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.panel import Panel
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from counterpoint import __version__
from counterpoint.config import Settings
from counterpoint.errors import CounterpointError
from counterpoint.extract import extract
from counterpoint.ingest import Kind, Skipped, count_inputs, iter_items
from counterpoint.ingest.readers import Outcome
from counterpoint.schema import Document, RawItem

__all__ = ["app", "main"]

app = typer.Typer(
    name="counterpoint",
    help="Turn news articles and expert commentary into sourced, structured intelligence.\n\n"
         "Start with `counterpoint extract examples/corpus` to see what it reads from a page.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="markdown",
    pretty_exceptions_show_locals=False,
)
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

# Show a progress bar from this many inputs on; below it the bar is only noise.
PROGRESS_FROM = 4


class InputFormat(StrEnum):
    """Values of ``--format``."""

    html = "html"
    text = "text"
    jsonl = "jsonl"
    warc = "warc"
    feed = "feed"


def _version(value: bool) -> None:
    if value:
        out.print(f"counterpoint {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log what each stage does.")]
    = False,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    if not verbose:
        # Their parse complaints duplicate our one error line per failed input.
        for name in ("trafilatura", "htmldate"):
            logging.getLogger(name).setLevel(logging.CRITICAL)


@app.command("extract")
def extract_command(
    paths: Annotated[list[str], typer.Argument(
        help="Files, directories (read recursively), globs, http(s) URLs, or - for stdin.",
        show_default=False)],
    jsonl: Annotated[bool, typer.Option("--jsonl", help="Print one JSON object per document "
                                        "(the contract in DESIGN.md) instead of a summary.")]
    = False,
    input_format: Annotated[InputFormat | None, typer.Option(
        "--format", "-f", help="Read every input as this format instead of guessing from the "
        "extension and content.", case_sensitive=False)] = None,
    max_bytes: Annotated[int | None, typer.Option(
        "--max-bytes", help="Refuse inputs larger than this many bytes "
        "[env: COUNTERPOINT_MAX_BYTES; default 50000000].", min=1)] = None,
    timeout: Annotated[float | None, typer.Option(
        "--timeout", help="Seconds to wait for a URL [env: COUNTERPOINT_FETCH_TIMEOUT; "
        "default 20].", min=0.1)] = None,
) -> None:
    """Extract clean articles and their metadata from pages, dumps, feeds and archives.

    Reads `.html`/`.htm` through the HTML path and plain text through the text-dump
    path; `.jsonl` (one document per line with `text` or `html`), `.warc`/`.warc.gz`
    and RSS/Atom feeds are unpacked into their documents.

    Examples:

        counterpoint extract examples/corpus

        counterpoint extract page.txt --jsonl | jq .title

        curl -s https://example.org/story | counterpoint extract - --format html
    """
    try:
        settings = Settings.from_env(max_bytes=max_bytes, fetch_timeout=timeout)
    except CounterpointError as exc:
        err.print(f"[red]error:[/] {exc}", highlight=False)
        raise typer.Exit(2) from exc
    kind: Kind | None = input_format.value if input_format else None
    failures = 0
    shown = 0
    for outcome in _with_progress(paths, iter_items(paths, settings, kind)):
        if isinstance(outcome, Skipped):
            names = ", ".join(outcome.names[:5]) + (" …" if len(outcome.names) > 5 else "")
            err.print(escape(f"note: {outcome.directory}: skipped {len(outcome.names)} "
                             f"file(s) with an extension we do not read: {names}"),
                      highlight=False)
            continue
        if not isinstance(outcome, RawItem):
            failures += 1
            err.print(f"[red]error:[/] {escape(str(outcome))}", highlight=False)
            continue
        try:
            document = extract(outcome)
        except CounterpointError as exc:
            failures += 1
            err.print(f"[red]error:[/] {escape(str(exc))}", highlight=False)
            continue
        except Exception as exc:  # a bug must not cost the other inputs
            failures += 1
            logging.getLogger(__name__).debug("extract failed", exc_info=True)
            err.print("[red]error:[/] " + escape(f"{outcome.source}: internal error "
                      f"({type(exc).__name__}: {exc}); please report it"), highlight=False)
            continue
        shown += 1
        if jsonl:
            sys.stdout.write(json.dumps(document.as_dict(), ensure_ascii=False) + "\n")
        else:
            out.print(_summary(document))
    if not jsonl:
        err.print(f"{shown} document(s) extracted, {failures} failed.", highlight=False)
    if failures:
        raise typer.Exit(1)


def _with_progress(paths: list[str], items: Iterator[Outcome | Skipped]
                   ) -> Iterator[Outcome | Skipped]:
    if not err.is_terminal:
        yield from items
        return
    total = count_inputs(paths)
    if total < PROGRESS_FROM:
        yield from items
        return
    columns = (TextColumn("extracting"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True) as progress:
        task = progress.add_task("extract", total=total)
        last = None
        for item in items:
            source = getattr(item, "source", None) or getattr(item, "directory", None)
            top = str(source).split("#")[0].rsplit(":", 1)[0] if source else None
            if top != last:
                progress.advance(task)
                last = top
            yield item


def _summary(document: Document) -> Panel:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold cyan", no_wrap=True)
    grid.add_column()
    authors = "; ".join(
        ", ".join(x for x in (a.name, a.role, a.affiliation) if x) for a in document.authors)
    published = document.published or "not printed"
    if document.published and document.published_estimated:
        published += " (estimated)"
    rows = [
        ("subtitle", document.subtitle), ("series", document.series),
        ("publisher", document.publisher), ("authors", authors or None),
        ("published", published), ("language", document.language), ("url", document.url),
    ]
    for label, value in rows:
        if value:
            grid.add_row(label, Text(value))
    voices = [s.voice for s in document.sections if s.voice]
    for voice in voices:
        grid.add_row("voice", Text(", ".join(x for x in (voice.name, voice.role,
                                                          voice.affiliation) if x)))
    headings = [s.heading for s in document.sections if s.heading and not s.voice]
    if headings:
        grid.add_row("headings", Text(" · ".join(headings)))
    words = len(document.body.split())
    grid.add_row("body", Text(f"{words} words, {len(document.sections)} section(s), "
                              f"{len(document.footnotes)} footnote(s), "
                              f"{len(document.related)} related teaser(s)"))
    for item in document.provenance:
        parts = [item.relation, item.language, item.date, item.source]
        grid.add_row("provenance", Text(" · ".join(p for p in parts if p)))
    start = document.body[:280].replace("\n\n", " ¶ ")
    grid.add_row("starts", Text(start + ("…" if len(document.body) > 280 else ""), style="dim"))
    title = Text(document.title or "(no title)", style="bold")
    return Panel(grid, title=title, title_align="left", subtitle=Text(document.path, style="dim"),
                 subtitle_align="right")


def main() -> None:
    """Entry point of the ``counterpoint`` script."""
    app()
