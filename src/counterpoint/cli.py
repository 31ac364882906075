"""The ``counterpoint`` command line: parse options, call the library, render.

Exit codes: 0 when every input went through, 1 when any input failed (each
failure printed as one line on stderr, the others still processed), 2 for a
usage error.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

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
from counterpoint.schema import Analysis, Document, RawItem

if TYPE_CHECKING:
    from counterpoint.report import BriefFormat
    from counterpoint.store import Store

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


PathsArgument = Annotated[list[str], typer.Argument(
    help="Files, directories (read recursively), globs, http(s) URLs, or - for stdin.",
    show_default=False)]
FormatOption = Annotated[InputFormat | None, typer.Option(
    "--format", "-f", help="Read every input as this format instead of guessing from the "
    "extension and content.", case_sensitive=False)]
MaxBytesOption = Annotated[int | None, typer.Option(
    "--max-bytes", help="Refuse inputs larger than this many bytes "
    "[env: COUNTERPOINT_MAX_BYTES; default 50000000].", min=1)]
TimeoutOption = Annotated[float | None, typer.Option(
    "--timeout", help="Seconds to wait for a URL [env: COUNTERPOINT_FETCH_TIMEOUT; "
    "default 20].", min=0.1)]


def _exit_with(exc: CounterpointError, code: int) -> NoReturn:
    """Print a library error as one line and exit with ``code``."""
    err.print(f"[red]error:[/] {escape(str(exc))}", highlight=False)
    raise typer.Exit(code) from exc


def _settings(max_bytes: int | None, timeout: float | None) -> Settings:
    """Settings from the environment and the flags; a bad value exits with code 2."""
    try:
        return Settings.from_env(max_bytes=max_bytes, fetch_timeout=timeout)
    except CounterpointError as exc:
        _exit_with(exc, 2)


@app.command("extract")
def extract_command(
    paths: PathsArgument,
    jsonl: Annotated[bool, typer.Option("--jsonl", help="Print one JSON object per document "
                                        "(the contract in DESIGN.md) instead of a summary.")]
    = False,
    input_format: FormatOption = None,
    max_bytes: MaxBytesOption = None,
    timeout: TimeoutOption = None,
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
    settings = _settings(max_bytes, timeout)
    kind: Kind | None = input_format.value if input_format else None
    tally = _Tally()
    for document in _documents(paths, settings, kind, tally):
        tally.shown += 1
        if jsonl:
            sys.stdout.write(json.dumps(document.as_dict(), ensure_ascii=False) + "\n")
        else:
            out.print(_summary(document))
    _finish(tally, "extracted", quiet=jsonl)


@dataclass
class _Tally:
    shown: int = 0
    failures: int = 0


def _finish(tally: _Tally, done: str, *, quiet: bool) -> None:
    """Say how the run went (unless output is for machines) and set the exit code."""
    if not quiet:
        err.print(f"{tally.shown} document(s) {done}, {tally.failures} failed.", highlight=False)
    if tally.failures:
        raise typer.Exit(1)


def _fail(tally: _Tally, message: str) -> None:
    tally.failures += 1
    err.print(f"[red]error:[/] {escape(message)}", highlight=False)


def _documents(paths: list[str], settings: Settings, kind: Kind | None, tally: _Tally
               ) -> Iterator[Document]:
    """Ingest and extract; report each failure as one line and go on."""
    for outcome in _with_progress(paths, iter_items(paths, settings, kind)):
        if isinstance(outcome, Skipped):
            names = ", ".join(outcome.names[:5]) + (" …" if len(outcome.names) > 5 else "")
            err.print(escape(f"note: {outcome.directory}: skipped {len(outcome.names)} "
                             f"file(s) with an extension we do not read: {names}"),
                      highlight=False)
            continue
        if not isinstance(outcome, RawItem):
            _fail(tally, str(outcome))
            continue
        try:
            yield extract(outcome)
        except CounterpointError as exc:
            _fail(tally, str(exc))
        except Exception as exc:  # a bug must not cost the other inputs
            logging.getLogger(__name__).debug("extract failed", exc_info=True)
            _fail(tally, f"{outcome.source}: internal error ({type(exc).__name__}: {exc}); "
                  "please report it")


@app.command("analyze")
def analyze_command(
    paths: PathsArgument,
    jsonl: Annotated[bool, typer.Option("--jsonl", help="Print one JSON object per document: "
                                        "the extract fields plus actors, dates, events, "
                                        "claims, tone and main_event.")] = False,
    input_format: FormatOption = None,
    max_bytes: MaxBytesOption = None,
    timeout: TimeoutOption = None,
) -> None:
    """Extract, then understand each document: who did what to whom, who says what.

    Actors are resolved to canonical ids (states, organisations, leaders), dates
    normalised against the publication date, events coded in PLOVER, claims
    given their holder and certainty, tone measured toward each actor.

    Examples:

        counterpoint analyze examples/corpus/a1_wire_meridian_xi_putin_talks.txt

        counterpoint analyze headlines.jsonl --jsonl | jq -c '{id, main_event}'
    """
    from counterpoint.nlp.analyze import FAILED, analyze_many

    settings = _settings(max_bytes, timeout)
    kind: Kind | None = input_format.value if input_format else None
    tally = _Tally()
    for analysis in analyze_many(_documents(paths, settings, kind, tally)):
        failed = [n for n in analysis.analysis_notes if n.startswith(FAILED)]
        if failed:
            _fail(tally, f"{analysis.path}: {failed[0]}")
            continue
        tally.shown += 1
        for note in analysis.analysis_notes:
            err.print(escape(f"note: {analysis.path}: {note}"), highlight=False)
        if jsonl:
            sys.stdout.write(json.dumps(analysis.model_dump(mode="json"),
                                        ensure_ascii=False) + "\n")
        else:
            out.print(_analysis_summary(analysis))
    _finish(tally, "analysed", quiet=jsonl)


DbOption = Annotated[str | None, typer.Option(
    "--db", help="The store: a SQLite file or a postgresql:// URL [env: COUNTERPOINT_DB; "
    "default ~/.local/share/counterpoint/counterpoint.db].", show_default=False)]


def _is_source(item: str) -> bool:
    """A path, glob, URL or stdin, as opposed to the id of a stored document."""
    return (item == "-" or item.startswith(("http://", "https://")) or Path(item).exists()
            or any(c in item for c in "*?[") or "/" in item or "." in Path(item).name)


def _open_store(db: str | None) -> Store:
    from counterpoint.store import Store

    try:
        return Store.open(Settings.from_env(db=db).db)
    except CounterpointError as exc:
        _exit_with(exc, 2)


def _analyses_of(items: list[str], db: str | None, settings: Settings, kind: Kind | None,
                 tally: _Tally) -> list[Analysis]:
    """Stored documents by id, then files and URLs analysed; each failure is one line on
    stderr, counted in ``tally``."""
    from counterpoint.nlp.analyze import FAILED, analyze_many

    sources = [i for i in items if _is_source(i)]
    ids = [i for i in items if not _is_source(i)]
    analyses: list[Analysis] = []
    if ids:
        with _open_store(db) as store:
            for ident in ids:
                try:
                    analyses.append(store.get(ident))
                except CounterpointError as exc:
                    _fail(tally, f"{ident}: not a file, and {exc}")
    if sources:
        for analysis in analyze_many(_documents(sources, settings, kind, tally)):
            failed = [n for n in analysis.analysis_notes if n.startswith(FAILED)]
            if failed:
                _fail(tally, f"{analysis.path}: {failed[0]}")
            else:
                analyses.append(analysis)
    return analyses


@app.command("compare")
def compare_command(
    items: Annotated[list[str], typer.Argument(
        help="Two or more documents: files, URLs, or ids of stored documents "
             "(see `counterpoint stories`).", show_default=False)],
    *,
    as_json: Annotated[bool, typer.Option("--json", help="Print the comparison as one JSON "
                                          "object (the contract in DESIGN.md).")] = False,
    db: DbOption = None,
    input_format: FormatOption = None,
    max_bytes: MaxBytesOption = None,
    timeout: TimeoutOption = None,
) -> None:
    """Compare sources on one event: what they agree on, where they differ, what only
    one says, and how each treats the main actors.

    Claims are aligned across documents by meaning (sentence embeddings) and by the
    structure already extracted (actors, event type); an aligned group is a
    disagreement when one side denies or doubts what the other asserts, or frames
    the same statement with the opposite tone. Every item cites its document and
    sentence offsets.

    Examples:

        counterpoint compare examples/corpus/a2_left_redcompass_xi_moscow.html \\
            examples/corpus/a4_chinese_state_easternhorizon_xi_visit.html

        counterpoint compare 3f4fb33baf8b3011 bff93c00caa85375 --json | jq '.disagree[].basis'
    """
    from counterpoint.corpus.compare import compare

    settings = _settings(max_bytes, timeout)
    kind: Kind | None = input_format.value if input_format else None
    tally = _Tally()
    analyses = _analyses_of(items, db, settings, kind, tally)
    if len(analyses) < 2:
        err.print(f"[red]error:[/] compare needs at least two documents; got {len(analyses)}",
                  highlight=False)
        raise typer.Exit(1 if tally.failures else 2)
    try:
        result = compare(analyses)
    except CounterpointError as exc:
        _exit_with(exc, 1)
    if as_json:
        sys.stdout.write(result.model_dump_json() + "\n")
    else:
        from counterpoint.views import comparison_view

        out.print(comparison_view(result))
    if tally.failures:
        raise typer.Exit(1)


@app.command("ingest")
def ingest_command(
    paths: PathsArgument,
    *,
    db: DbOption = None,
    input_format: FormatOption = None,
    max_bytes: MaxBytesOption = None,
    timeout: TimeoutOption = None,
    batch_size: Annotated[int, typer.Option(
        "--batch-size", min=1, help="Documents analysed and embedded together (one chunk "
        "of work); larger chunks are faster and use more memory.")] = 16,
    workers: Annotated[int, typer.Option(
        "--workers", "-w", min=1, help="Worker processes analysing in parallel, each "
        "loading the models once; 1 analyses in this process. With --dask local, the "
        "number of Dask workers.")] = 1,
    dask: Annotated[str | None, typer.Option(
        "--dask", metavar="ADDRESS", help="Run the analysis on a Dask cluster: the "
        "scheduler's address (tcp://host:8786), or 'local' to start a LocalCluster of "
        "--workers processes.", show_default=False)] = None,
    out: Annotated[Path | None, typer.Option(
        "--out", metavar="DIR", help="Write Parquet tables (documents, actors, events, "
        "claims, vectors, duplicates, failures) under DIR instead of the store; for "
        "very large runs, read afterwards with DuckDB, Spark, pandas or Dask.",
        show_default=False)] = None,
    doc_timeout: Annotated[float, typer.Option(
        "--doc-timeout", min=1, metavar="SECONDS", help="A document whose analysis makes "
        "no progress for this long is stopped and recorded as failed; the run goes on.")
    ] = 120.0,
    retry_failed: Annotated[bool, typer.Option(
        "--retry-failed", help="Analyse again the documents an earlier run recorded as "
        "failed (by default they are reported and skipped).")] = False,
    device: Annotated[str | None, typer.Option(
        "--device", metavar="DEVICE", help="Where sentence embeddings run: cpu, cuda, "
        "cuda:N or auto [env: COUNTERPOINT_DEVICE; default cpu].", show_default=False)
    ] = None,
) -> None:
    """Extract, analyse and store documents, so that stories, compare, timeline, graph,
    search and export can work on the whole corpus.

    Idempotent and resumable: a document already stored (same content, same analyser
    version) is skipped; one stored by an older analyser is analysed again. Each
    document is stored in one transaction, so an interrupted run loses nothing and
    the next run resumes where it stopped. A document that makes the analyser fail,
    crash or hang is recorded as failed with the reason, and the run goes on. Copies
    and near-copies published within 30 days of each other are grouped as duplicates.

    Large inputs are streamed in chunks; memory stays flat however many documents
    come in. --workers N spreads the analysis over N processes, --dask over a
    cluster; the stored result is the same either way.

    Examples:

        counterpoint ingest examples/corpus

        counterpoint ingest feeds/*.xml --db postgresql://analyst@db.example.org/news

        counterpoint ingest archive.warc.gz --workers 2

        counterpoint ingest 'dumps/*.jsonl' --dask local --workers 8 --out parquet/
    """
    from counterpoint.corpus.ingest import IngestTally, ingest
    from counterpoint.run.executors import make_executor
    from counterpoint.run.pipeline import ParquetSink, run

    settings = _settings(max_bytes, timeout)
    kind: Kind | None = input_format.value if input_format else None
    if device:
        os.environ["COUNTERPOINT_DEVICE"] = device  # read by this process and its workers
    tally = _Tally()
    counts = IngestTally()
    documents = _documents(paths, settings, kind, tally)
    try:
        executor = make_executor(workers, dask)
    except CounterpointError as exc:
        _exit_with(exc, 2)
    with contextlib.ExitStack() as stack:
        stack.callback(executor.close)
        if out is not None:
            try:
                sink = ParquetSink(out, retry_failed=retry_failed)
            except CounterpointError as exc:
                _exit_with(exc, 2)
            outcomes = run(documents, sink, executor=executor, chunk_size=batch_size,
                           timeout=doc_timeout)
        else:
            store = stack.enter_context(_open_store(db))
            outcomes = ingest(documents, store, batch_size=batch_size, executor=executor,
                              timeout=doc_timeout, retry_failed=retry_failed)
        try:
            for outcome in outcomes:
                counts.add(outcome)
                if outcome.status == "failed":
                    _fail(tally, f"{outcome.path}: {outcome.notes[0]}")
                    continue
                tally.shown += 1
                for note in outcome.notes:
                    err.print(escape(f"note: {outcome.path}: {note}"), highlight=False)
        except CounterpointError as exc:
            _fail(tally, str(exc))
        if out is not None:
            where = f"Parquet tables under {out}"
        else:
            where = f"{store.count()} document(s) in {store.database}"
    parts = [f"{n} {status}" for status, n in sorted(counts.counts.items())]
    err.print(escape(f"{', '.join(parts) or 'nothing new'}; {where}"), highlight=False)
    _finish(tally, "ingested", quiet=True)


@app.command("stories")
def stories_command(
    *,
    as_json: Annotated[bool, typer.Option("--json", help="Print {stories: [...]} as JSON "
                                          "(the contract in DESIGN.md).")] = False,
    db: DbOption = None,
    singletons: Annotated[bool, typer.Option(
        "--all", help="Also list documents that are a story on their own.")] = False,
) -> None:
    """List the stories of the stored corpus: documents about the same real-world event.

    Documents are clustered by time (within ten days), shared principal actors,
    main event type, and the meaning of their title and lead (sentence embeddings).

    Examples:

        counterpoint stories

        counterpoint stories --json | jq -r '.stories[] | "\\(.id) \\(.title)"'
    """
    from counterpoint.corpus.queries import list_stories

    with _open_store(db) as store:
        stories = list_stories(store, singletons=singletons)
    if as_json:
        sys.stdout.write(json.dumps({"stories": [s.model_dump(mode="json") for s in stories]},
                                    ensure_ascii=False) + "\n")
        return
    from counterpoint.views import stories_view

    out.print(stories_view(stories))


class GraphFormat(StrEnum):
    """Values of ``graph --format``."""

    graphml = "graphml"
    gexf = "gexf"
    json = "json"


class ExportKind(StrEnum):
    """Values of ``export --kind``."""

    documents = "documents"
    actors = "actors"
    events = "events"
    claims = "claims"
    gdelt = "gdelt"


class ExportFormat(StrEnum):
    """Values of ``export --format``."""

    jsonl = "jsonl"
    csv = "csv"
    parquet = "parquet"


@app.command("timeline")
def timeline_command(
    *,
    actor: Annotated[str | None, typer.Option(
        "--actor", help="Only events with this actor as source or target (a name, an alias "
        "such as 'the Kremlin', or an id such as state:RUS).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON lines, one per "
                                          "event.")] = False,
    undated: Annotated[bool, typer.Option("--undated", help="Also list events without a "
                                          "date, after the dated ones.")] = False,
    db: DbOption = None,
) -> None:
    """Events across the stored corpus in date order, each with the documents that
    report it (the same event from several sources is one entry; copies count once).

    Examples:

        counterpoint timeline --actor "Xi Jinping"

        counterpoint timeline --json | jq -c '{date, type, summary}'
    """
    from counterpoint.corpus.queries import timeline_of

    with _open_store(db) as store:
        entries = timeline_of(store, actor=actor, undated=undated)
    if as_json:
        for entry in entries:
            sys.stdout.write(entry.model_dump_json() + "\n")
        return
    from counterpoint.views import timeline_view

    out.print(timeline_view(entries))


@app.command("graph")
def graph_command(
    *,
    output_format: Annotated[GraphFormat, typer.Option(
        "--format", help="graphml (Gephi, yEd, networkx), gexf (Gephi) or json "
        "(node-link).", case_sensitive=False)] = GraphFormat.graphml,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Write to this file instead of standard output.")] = None,
    db: DbOption = None,
) -> None:
    """The actor graph of the stored corpus: actors as nodes, coded events and
    co-mentions as typed, dated, weighted edges.

    Examples:

        counterpoint graph --format gexf -o actors.gexf
    """
    from counterpoint.corpus.graph import write_graph
    from counterpoint.corpus.queries import actor_graph_of

    with _open_store(db) as store:
        graph = actor_graph_of(store)
    try:
        if output is None:
            write_graph(graph, sys.stdout.buffer, output_format.value)
        else:
            write_graph(graph, output, output_format.value)
    except OSError as exc:
        err.print(f"[red]error:[/] {escape(f'{output}: {exc.strerror or exc}')}",
                  highlight=False)
        raise typer.Exit(1) from exc
    err.print(f"{graph.number_of_nodes()} actors, {graph.number_of_edges()} edges",
              highlight=False)


@app.command("export")
def export_command(
    *,
    kind: Annotated[ExportKind, typer.Option(
        "--kind", help="What to export: documents, actors, events, claims, or gdelt (one "
        "row per event with actor codes, type, date, source URL and tone).",
        case_sensitive=False)] = ExportKind.events,
    output_format: Annotated[ExportFormat, typer.Option(
        "--format", help="jsonl, csv or parquet.", case_sensitive=False)] = ExportFormat.jsonl,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Write to this file (required for parquet) instead of "
        "standard output.")] = None,
    db: DbOption = None,
) -> None:
    """Export the stored corpus for other tools.

    Examples:

        counterpoint export --kind claims --format csv -o claims.csv

        counterpoint export --kind gdelt --format parquet -o events.parquet
    """
    from counterpoint.corpus.export import export

    if output_format is ExportFormat.parquet and output is None:
        err.print("[red]error:[/] parquet needs a file: add --output FILE", highlight=False)
        raise typer.Exit(2)
    with _open_store(db) as store:
        try:
            if output is None:
                rows = export(store.iter_analyses(), kind.value, output_format.value,
                              sys.stdout, duplicates=store.duplicates())
            else:
                rows = export(store.iter_analyses(), kind.value, output_format.value, output,
                              duplicates=store.duplicates())
        except OSError as exc:
            err.print(f"[red]error:[/] {escape(f'{output}: {exc.strerror or exc}')}",
                      highlight=False)
            raise typer.Exit(1) from exc
    err.print(f"{rows} {kind.value} row(s) exported", highlight=False)


# Output suffixes of ``brief`` and the format each one means.
BRIEF_FORMATS: dict[str, BriefFormat] = {".md": "md", ".markdown": "md", ".html": "html",
                                         ".htm": "html", ".pdf": "pdf"}


@app.command("brief")
def brief_command(
    items: Annotated[list[str] | None, typer.Argument(
        help="Documents to brief on: files, URLs, or ids of stored documents (or use "
             "--story).", show_default=False)] = None,
    *,
    output: Annotated[Path, typer.Option(
        "--output", "-o", help="Write the brief to this file; its suffix picks the format: "
        ".md (Markdown), .html or .pdf.", show_default=False)],
    story: Annotated[str | None, typer.Option(
        "--story", help="Brief on a stored story: its id from `counterpoint stories`.",
        show_default=False)] = None,
    title: Annotated[str | None, typer.Option(
        "--title", help="Title of the brief [default: the story's, or the first "
        "document's].", show_default=False)] = None,
    db: DbOption = None,
    input_format: FormatOption = None,
    max_bytes: MaxBytesOption = None,
    timeout: TimeoutOption = None,
) -> None:
    """Write an analyst brief of one or two pages on a story or a set of documents.

    The brief gives the key events on a timeline, where the sources agree and where
    they disagree, notable claims with who holds them and how sure they are, the
    actors, and each source's tone toward the main ones. Nothing in it is written
    by counterpoint: every line is a source's own sentence, quoted, or a phrase
    filled from the analysis ("Xi Jinping → Russia: CONSULT (visit); reported by 3
    sources"), and carries numbered citations. The Sources list at the end gives,
    for each, the document id, the character offsets of the sentence in the stored
    text and the sentence itself. Sections are shortened until the PDF fits two A4
    pages; every format gets the same brief.

    Examples:

        counterpoint stories

        counterpoint brief --story story-1a2b3c4d5e6f -o brief.pdf

        counterpoint brief examples/corpus/a1_wire_meridian_xi_putin_talks.txt \\
            examples/corpus/a5_russian_state_severinform_putin_xi.txt -o brief.md

        counterpoint brief 3f4fb33baf8b3011 bff93c00caa85375 -o brief.html --title "Xi in Moscow"
    """
    fmt = BRIEF_FORMATS.get(output.suffix.lower())
    if fmt is None:
        _usage_error(f"{output}: cannot tell the brief's format from "
                     f"{output.suffix or 'a name without a suffix'}; end it in .md, .html "
                     "or .pdf")
    if story is not None and items:
        _usage_error("give either --story or documents, not both")
    if story is None and not items:
        _usage_error("name the documents to brief on, or a stored story with --story ID")
    if not output.parent.is_dir():
        _usage_error(f"{output.parent}: no such directory")
    from counterpoint.report import fit_brief, render

    tally = _Tally()
    origin = None
    if story is not None:
        from counterpoint.corpus.queries import find_story, story_analyses

        with _open_store(db) as store:
            try:
                found = find_story(store, story)
                analyses = story_analyses(store, found)
            except CounterpointError as exc:
                _exit_with(exc, 1)
        title = title or found.title
        origin = f"story {found.id} ({len(analyses)} documents)"
    else:
        settings = _settings(max_bytes, timeout)
        kind: Kind | None = input_format.value if input_format else None
        analyses = _analyses_of(items or [], db, settings, kind, tally)
        if not analyses:
            err.print("[red]error:[/] no document to brief on", highlight=False)
            raise typer.Exit(1 if tally.failures else 2)
    try:
        brief = fit_brief(analyses, title=title, origin=origin)
        rendered = render(brief, fmt)
    except CounterpointError as exc:
        _exit_with(exc, 1)
    try:
        _write_atomically(output, rendered.data)
    except OSError as exc:
        err.print(f"[red]error:[/] {escape(f'{output}: {exc.strerror or exc}')}",
                  highlight=False)
        raise typer.Exit(1) from exc
    pages = "" if rendered.pages is None else \
        f"{rendered.pages} page{'s' if rendered.pages != 1 else ''}, "
    err.print(escape(f"wrote {output} ({pages}{rendered.citations} citations)"),
              highlight=False)
    if tally.failures:
        raise typer.Exit(1)


def _usage_error(message: str) -> NoReturn:
    """Print a usage mistake as one line and exit with code 2."""
    err.print(f"[red]error:[/] {escape(message)}", highlight=False)
    raise typer.Exit(2)


def _write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it over ``path``:
    a failure never leaves a half-written file (nor touches an older one)."""
    import os
    import secrets

    temporary = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    try:
        with temporary.open("xb") as handle:
            handle.write(data)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)



@app.command("search")
def search_command(
    query: Annotated[str, typer.Argument(help="Words to find (\"a phrase\", or, -excluded), "
                                         "or, with --semantic, a statement to match by "
                                         "meaning.", show_default=False)],
    *,
    semantic: Annotated[bool, typer.Option(
        "--semantic", help="Match claims by meaning (sentence embeddings) instead of "
        "words.")] = False,
    actor: Annotated[str | None, typer.Option(
        "--actor", help="Only documents mentioning this actor (name, alias or id).")] = None,
    source: Annotated[str | None, typer.Option(
        "--source", help="Only documents from this publisher (part of its name) or with "
        "this id.")] = None,
    since: Annotated[str | None, typer.Option(
        "--since", help="Only documents published on or after this date (YYYY-MM-DD).")]
    = None,
    until: Annotated[str | None, typer.Option(
        "--until", help="Only documents published on or before this date.")] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="How many results.")]
    = 20,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON lines, one per "
                                          "hit.")] = False,
    db: DbOption = None,
) -> None:
    """Search the claims of the stored corpus, by words or by meaning.

    Examples:

        counterpoint search "pipeline contract" --since 2023-03-20

        counterpoint search "China is arming Russia" --semantic --actor Russia
    """
    from counterpoint.corpus.queries import search
    from counterpoint.errors import EmbeddingError

    with _open_store(db) as store:
        try:
            hits = search(store, query, semantic=semantic, actor=actor, source=source,
                          since=since, until=until, limit=limit)
        except EmbeddingError as exc:
            _exit_with(exc, 1)
        except CounterpointError as exc:
            _exit_with(exc, 2)
    if as_json:
        for hit in hits:
            sys.stdout.write(hit.model_dump_json() + "\n")
        return
    from counterpoint.views import search_view

    out.print(search_view(hits))


@app.command("serve")
def serve_command(
    *,
    host: Annotated[str, typer.Option(help="Address to listen on; 0.0.0.0 serves other "
                                      "machines too.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    db: DbOption = None,
    token_file: Annotated[Path | None, typer.Option(
        "--token-file", help="File whose first line is the API token for writes "
        "(default: COUNTERPOINT_API_TOKEN or COUNTERPOINT_API_TOKEN_FILE).",
        show_default=False)] = None,
    protect_reads: Annotated[bool | None, typer.Option(
        "--protect-reads/--public-reads", help="Require the token for reads too "
        "(default: COUNTERPOINT_PROTECT_READS, else public reads).",
        show_default=False)] = None,
    max_upload: Annotated[int | None, typer.Option(
        "--max-upload", min=1, help="Largest upload per request, in bytes "
        "(default 10000000).", show_default=False)] = None,
) -> None:
    """Serve the REST API and the web UI over the store.

    The web UI (http://HOST:PORT/) has the corpus with filters, each document with its
    actors, events and claims marked, stories with their sources side by side,
    the timeline, the actor graph, search and upload. The API lives under /api; its
    OpenAPI schema is /api/openapi.json, browsable at /api/docs.

    Writes (uploads) need the API token as 'Authorization: Bearer TOKEN' (or
    typed into the upload form); with no token configured the server refuses
    writes and says why. Reads are public unless --protect-reads.

    Examples:

        COUNTERPOINT_API_TOKEN=s3cret counterpoint serve

        counterpoint serve --db postgresql://analyst@db/news --token-file ~/.cp-token \
            --host 0.0.0.0 --port 8080 --protect-reads

        curl -H "Authorization: Bearer s3cret" -F files=@article.html \
            http://127.0.0.1:8000/api/documents
    """
    import uvicorn

    from counterpoint.web import create_app

    try:
        settings = Settings.from_env(db=db, protect_reads=protect_reads,
                                     max_upload=max_upload)
        if token_file is not None:  # the flag wins over a token in the environment
            settings = replace(settings, api_token=None, api_token_file=str(token_file))
        application = create_app(settings)
    except CounterpointError as exc:
        _exit_with(exc, 2)
    writes = "writes need the token" if settings.token() else \
        "no API token: writes are refused (set COUNTERPOINT_API_TOKEN)"
    reads = "reads need the token" if settings.protect_reads else "reads are public"
    err.print(escape(f"serving {application.state.counterpoint.store.database} on "
                     f"http://{host}:{port}/ ({writes}; {reads}); Ctrl+C stops"),
              highlight=False)
    uvicorn.run(application, host=host, port=port, log_level="warning")


def _analysis_summary(analysis: Analysis) -> Panel:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold cyan", no_wrap=True)
    grid.add_column()
    if analysis.main_event:
        grid.add_row("main event", Text(" · ".join(
            x for x in (analysis.main_event.type, analysis.main_event.mode) if x)))
    actors = ", ".join(f"{a.name} ({a.mentions})" for a in analysis.actors[:8])
    grid.add_row("actors", Text(actors or "none found"))
    for event in analysis.events[:6]:
        who = event.source.name if event.source else "?"
        whom = f" → {event.target.name}" if event.target else ""
        when = f" [{event.date}]" if event.date else ""
        flag = " (negated)" if event.negated else ""
        grid.add_row("event", Text(f"{event.type}: {who}{whom}{when}{flag} — {event.trigger}"))
    holders: dict[str, int] = {}
    for claim in analysis.claims:
        holders[f"{claim.holder.name} ({claim.holder.kind})"] = holders.get(
            f"{claim.holder.name} ({claim.holder.kind})", 0) + 1
    grid.add_row("claims", Text(f"{len(analysis.claims)} by " + ", ".join(
        f"{k} ×{v}" for k, v in sorted(holders.items(), key=lambda kv: -kv[1])[:5])))
    hedged = [c for c in analysis.claims if c.certainty.cue][:3]
    for claim in hedged:
        grid.add_row(claim.certainty.label.replace("_", " "),
                     Text(f"“{claim.certainty.cue}”: {claim.text[:120]}", style="dim"))
    return Panel(grid, title=Text(analysis.title or "(no title)", style="bold"),
                 title_align="left", subtitle=Text(analysis.path, style="dim"),
                 subtitle_align="right")


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
