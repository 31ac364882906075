"""Readers: turn the bytes of one input into raw items, one per document.

Each reader yields :class:`RawItem` for what it could read and an
:class:`IngestError` (yielded, not raised) for each record it could not, so one
bad line of a JSONL file never hides the good ones.
"""

from __future__ import annotations

import io
import json
import re
import time
from collections.abc import Callable, Iterator
from typing import Any, Literal

import feedparser
from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from counterpoint.errors import IngestError, ParseError, UnsupportedInput
from counterpoint.ingest.decode import decode_bytes, repair_text
from counterpoint.schema import Format, RawItem

__all__ = ["KIND_BY_EXTENSION", "Kind", "read_bytes", "sniff_kind"]

Kind = Literal["html", "text", "jsonl", "warc", "feed"]
Outcome = RawItem | IngestError

KIND_BY_EXTENSION: dict[str, Kind] = {
    ".html": "html", ".htm": "html", ".xhtml": "html", ".shtml": "html",
    ".txt": "text", ".text": "text",
    ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".warc": "warc", ".warc.gz": "warc", ".arc": "warc", ".arc.gz": "warc",
    ".rss": "feed", ".atom": "feed", ".xml": "feed",
}


def extension_of(name: str) -> str:
    """Return the lower-cased extension, keeping double ones like ``.warc.gz``."""
    lower = name.lower().rsplit("/", 1)[-1]
    for ext in (".warc.gz", ".arc.gz"):
        if lower.endswith(ext):
            return ext
    dot = lower.rfind(".")
    return lower[dot:] if dot > 0 else ""


def sniff_kind(data: bytes, name: str = "") -> Kind | None:
    """Guess the kind of input from its first bytes, then its name; None if unknown.

    Content wins over the name for markup, because ``.xml`` files are sometimes
    XHTML pages and ``.html`` URLs are sometimes feeds.
    """
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"warc/"):
        return "warc"
    if head.startswith(b"\x1f\x8b") and extension_of(name) in (".warc.gz", ".arc.gz"):
        return "warc"
    if b"<rss" in head or b"<feed" in head or b"<rdf:rdf" in head:
        return "feed"
    if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head[:512]:
        return "html"
    by_name = KIND_BY_EXTENSION.get(extension_of(name))
    if by_name:
        return by_name
    if head.startswith(b"{") and head.rstrip().endswith((b"}", b'"', b",")):
        return "jsonl"
    if head.startswith(b"<") and (b"<body" in head or b"<div" in head or b"<p" in head):
        return "html"
    return None


def read_bytes(data: bytes, source: str, kind: Kind, *, charset: str | None = None,
               url: str | None = None) -> Iterator[Outcome]:
    """Read one input of a known kind and yield its documents or errors."""
    reader = _READERS[kind]
    yield from reader(data, source, charset, url)


def _read_page(fmt: Format) -> Callable[[bytes, str, str | None, str | None], Iterator[Outcome]]:
    def read(data: bytes, source: str, charset: str | None, url: str | None) -> Iterator[Outcome]:
        try:
            text = decode_bytes(data, source, charset)
        except IngestError as exc:
            yield exc
            return
        yield RawItem(source=source, text=text, format=fmt, url=url)
    return read


_JSONL_HINTS = ("title", "url", "published", "id")


def _read_jsonl(data: bytes, source: str, charset: str | None,
                url: str | None) -> Iterator[Outcome]:
    try:
        # Not repaired as a whole: ftfy turns U+2028 inside a JSON string into a
        # raw newline, and \u-escaped mojibake is only visible after parsing.
        text = decode_bytes(data, source, charset, repair=False)
    except IngestError as exc:
        yield exc
        return
    # Records end at "\n" only: str.splitlines() also breaks at U+2028, U+0085 and
    # others, which json.dumps(ensure_ascii=False) leaves unescaped inside strings.
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        where = f"{source}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield ParseError(where, f"not valid JSON ({exc.msg} at column {exc.colno})")
            continue
        if not isinstance(record, dict):
            yield ParseError(where, "each line must be a JSON object")
            continue
        html = record.get("html")
        body_field = "html" if isinstance(html, str) and html.strip() else "text"
        body = record.get(body_field)
        if not isinstance(body, str) or not body.strip():
            yield ParseError(where, "no non-empty 'text' or 'html' field")
            continue
        body = repair_text(body)
        hints = {k: _as_str(record.get(k)) for k in _JSONL_HINTS}
        if hints["title"]:
            hints["title"] = repair_text(hints["title"])
        if hints["published"]:
            # the contract's "published" is an ISO date: "2024-05-13T09:30:00Z" and
            # "Mon, 13 May 2024 09:30:00 GMT" give "2024-05-13"; what is no date, None
            from counterpoint.extract.dates import parse_printed_date
            hints["published"] = parse_printed_date(hints["published"])
        authors = record.get("authors") or record.get("author") or []
        yield RawItem(source=where, text=body, format="html" if body_field == "html" else "text",
                      publisher=_as_str(record.get("source") or record.get("publisher")),
                      authors=[str(a) for a in (authors if isinstance(authors, list)
                                                else [authors])],
                      **hints)


def _as_str(value: Any) -> str | None:
    if value is None or value == "":
        return None
    return str(value)


_WARC_TEXT_TYPES = ("text/html", "application/xhtml+xml", "text/plain")


def _read_warc(data: bytes, source: str, charset: str | None,
               url: str | None) -> Iterator[Outcome]:
    found = 0
    try:
        for number, record in enumerate(ArchiveIterator(io.BytesIO(data)), 1):
            if record.rec_type not in ("response", "resource"):
                continue
            target = record.rec_headers.get_header("WARC-Target-URI") or None
            where = f"{source}#{number}" + (f" ({target})" if target else "")
            if record.rec_type == "response":
                if record.http_headers is None:
                    continue
                status = record.http_headers.get_statuscode()
                content_type = record.http_headers.get_header("Content-Type") or ""
                if status and not status.startswith("2"):
                    continue
            else:
                content_type = record.rec_headers.get_header("Content-Type") or ""
            mime = content_type.split(";")[0].strip().lower()
            if mime and mime not in _WARC_TEXT_TYPES:
                continue
            payload = record.content_stream().read()
            found += 1
            declared = _charset_of(content_type)
            page: Format = "text" if mime == "text/plain" else "html"
            yield from _read_page(page)(payload, where, declared, target)
    except (ArchiveLoadFailed, ValueError, OSError, EOFError) as exc:
        yield ParseError(source, f"not a readable WARC file ({_first_line(exc)})")
        return
    if not found:
        yield UnsupportedInput(source, "WARC file holds no HTML or text responses")


def _charset_of(content_type: str) -> str | None:
    for part in content_type.split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            return value.strip().strip('"')
    return None


def _read_feed(data: bytes, source: str, charset: str | None,
               url: str | None) -> Iterator[Outcome]:
    try:
        # A stream, never bytes: feedparser opens bytes that name a file as that file.
        parsed = feedparser.parse(io.BytesIO(data))
    except Exception as exc:  # feedparser fails on some broken XML declarations
        yield ParseError(source, f"not a usable RSS/Atom feed ({_first_line(exc)})")
        return
    entries = parsed.get("entries") or []
    if not entries:
        reason = _first_line(parsed.get("bozo_exception")) if parsed.get("bozo") else "no entries"
        yield ParseError(source, f"not a usable RSS/Atom feed ({reason})")
        return
    publisher = parsed.feed.get("title") or None
    for number, entry in enumerate(entries, 1):
        where = f"{source}#{number}"
        content = entry.get("content") or []
        value, mime = "", "text/html"
        if content:
            value = content[0].get("value") or ""
            mime = content[0].get("type") or "text/html"
        if not value.strip():
            value = entry.get("summary") or ""
            mime = (entry.get("summary_detail") or {}).get("type") or "text/html"
        if not value.strip():
            yield ParseError(where, "feed entry has no content or summary")
            continue
        if "html" in mime and not _MARKUP.search(value):
            mime = "text/plain"  # RSS <description> is "text/html" even when plain prose
        authors = [a.get("name") for a in entry.get("authors", []) if a.get("name")]
        if not authors and entry.get("author"):
            authors = [entry["author"]]
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        published = time.strftime("%Y-%m-%d", stamp) if stamp else None
        fmt: Format = "html" if "html" in mime else "text"
        yield RawItem(source=where, text=value, format=fmt, id=entry.get("id") or None,
                      title=entry.get("title") or None, url=entry.get("link") or None,
                      published=published, publisher=publisher, authors=authors)


_MARKUP = re.compile(r"<[A-Za-z/!]")


def _first_line(exc: object) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


_READERS: dict[Kind, Callable[[bytes, str, str | None, str | None], Iterator[Outcome]]] = {
    "html": _read_page("html"),
    "text": _read_page("text"),
    "jsonl": _read_jsonl,
    "warc": _read_warc,
    "feed": _read_feed,
}
