"""Find inputs: paths, directories (recursive), globs, ``-`` for stdin, URLs."""

from __future__ import annotations

import glob
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from counterpoint.config import Settings
from counterpoint.errors import (
    EmptyInput,
    IngestError,
    InputNotFound,
    InputTooLarge,
    ParseError,
    UnsupportedInput,
)
from counterpoint.ingest.fetch import fetch_url
from counterpoint.ingest.readers import (
    KIND_BY_EXTENSION,
    Kind,
    Outcome,
    extension_of,
    read_bytes,
    sniff_kind,
)

__all__ = ["Skipped", "count_inputs", "expand_sources", "iter_items"]

_GLOB_CHARS = set("*?[")


@dataclass(frozen=True)
class Skipped:
    """Files of a directory that were passed over, so the caller can say so."""

    directory: str
    names: tuple[str, ...]


def _is_url(source: str) -> bool:
    return source.lower().startswith(("http://", "https://"))


def expand_sources(sources: list[str]) -> Iterator[str | Skipped | IngestError]:
    """Expand the user's arguments into single inputs, in a stable order.

    Directories are walked recursively (hidden entries skipped); only files with
    an extension we read are taken from them, and the rest are reported as
    :class:`Skipped`. A file named explicitly is always attempted.
    """
    for source in sources:
        if source == "-" or _is_url(source):
            yield source
        elif os.path.isdir(source):
            yield from _walk(source)
        elif os.path.exists(source):
            yield source
        elif _GLOB_CHARS & set(source):
            matches = sorted(glob.glob(source, recursive=True))
            if not matches:
                yield InputNotFound(source, "the pattern matched no file")
            for match in matches:
                yield from (_walk(match) if os.path.isdir(match) else [match])
        else:
            yield InputNotFound(source, "no such file or directory")


def _walk(directory: str) -> Iterator[str | Skipped]:
    skipped: list[str] = []
    for root, dirs, files in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith("."):
                continue
            path = os.path.join(root, name)
            if extension_of(name) in KIND_BY_EXTENSION:
                yield path
            else:
                skipped.append(os.path.relpath(path, directory))
    if skipped:
        yield Skipped(directory, tuple(skipped))


def count_inputs(sources: list[str]) -> int:
    """Count the single inputs the arguments expand to (for a progress bar)."""
    return sum(1 for s in expand_sources(sources) if isinstance(s, str))


def iter_items(sources: list[str], settings: Settings | None = None,
               kind: Kind | None = None, stdin: BinaryIO | None = None
               ) -> Iterator[Outcome | Skipped]:
    """Yield a raw item or an error for every document found in ``sources``.

    ``kind`` forces how every input is read (``--format``); otherwise it is
    sniffed from content and name. Errors are yielded, never raised, so one bad
    input cannot stop the others.
    """
    settings = settings or Settings.from_env()
    for source in expand_sources(sources):
        if isinstance(source, (IngestError, Skipped)):
            yield source
            continue
        try:
            yield from _read_one(source, settings, kind, stdin)
        except IngestError as exc:
            yield exc
        except Exception as exc:  # a library quirk on odd bytes must not cost the others
            detail = (str(exc).strip().splitlines() or [""])[0]
            yield ParseError(source, f"could not be read ({type(exc).__name__}: {detail})")


def _read_one(source: str, settings: Settings, kind: Kind | None,
              stdin: BinaryIO | None) -> Iterator[Outcome]:
    charset: str | None = None
    url: str | None = None
    name = source
    if source == "-":
        stream = stdin or sys.stdin.buffer
        data = stream.read(settings.max_bytes + 1)
        if len(data) > settings.max_bytes:
            raise InputTooLarge("-", f"standard input is over the {settings.max_bytes:,}-byte "
                                "limit")
        name = "stdin"
    elif _is_url(source):
        if not settings.allow_urls:
            raise UnsupportedInput(source, "URL inputs are disabled (COUNTERPOINT_ALLOW_URLS=0)")
        fetched = fetch_url(source, settings)
        data, charset, url = fetched.data, fetched.charset, fetched.url
        name = _name_for_content_type(fetched.url, fetched.content_type)
    else:
        data = _read_file(Path(source), settings)
    if not data.strip():
        raise EmptyInput(source, "empty input" if name == "stdin" else
                         "empty response" if _is_url(source) else "empty file")
    chosen = kind or sniff_kind(data, name)
    if chosen is None:
        if source == "-" or _is_url(source):
            chosen = "text"
        else:
            ext = extension_of(source) or "(none)"
            raise UnsupportedInput(source, f"unknown extension {ext} and content not recognised; "
                                   "use --format html|text|jsonl|warc|feed")
    yield from read_bytes(data, source, chosen, charset=charset, url=url)


def _read_file(path: Path, settings: Settings) -> bytes:
    try:
        size = path.stat().st_size
        if size > settings.max_bytes:
            raise InputTooLarge(str(path), f"{size:,} bytes is over the "
                                f"{settings.max_bytes:,}-byte limit (raise it with "
                                "--max-bytes or COUNTERPOINT_MAX_BYTES)")
        return path.read_bytes()
    except PermissionError as exc:
        raise UnsupportedInput(str(path), "permission denied") from exc
    except IsADirectoryError as exc:
        raise UnsupportedInput(str(path), "is a directory") from exc
    except OSError as exc:
        raise UnsupportedInput(str(path), exc.strerror or str(exc)) from exc


_EXT_BY_CONTENT_TYPE = {
    "text/html": ".html", "application/xhtml+xml": ".html", "text/plain": ".txt",
    "application/rss+xml": ".rss", "application/atom+xml": ".atom",
    "application/xml": ".xml", "text/xml": ".xml", "application/x-ndjson": ".jsonl",
    "application/warc": ".warc",
}


def _name_for_content_type(url: str, content_type: str) -> str:
    ext = _EXT_BY_CONTENT_TYPE.get(content_type)
    return f"download{ext}" if ext else url.split("?", maxsplit=1)[0]
