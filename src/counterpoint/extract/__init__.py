"""Extract: turn a :class:`RawItem` into a clean, described :class:`Document`.

HTML goes through trafilatura and htmldate (:mod:`.html`); text dumps through
our own line-based extractor (:mod:`.textdump`). Both end in the same
post-processing for notes, provenance and voices, and in the same mapping to
the contract.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from counterpoint.errors import CounterpointError, ExtractError
from counterpoint.extract.html import extract_html
from counterpoint.extract.language import detect_language
from counterpoint.extract.textdump import TextExtraction, extract_text, structure_body
from counterpoint.schema import Author, Document, RawItem, content_id

__all__ = ["extract", "extract_html", "extract_many", "extract_text"]

_MARKUP = re.compile(r"<[A-Za-z/!]")


def extract(item: RawItem) -> Document:
    """Extract one document; raise :class:`ExtractError` when no article text is found."""
    # Text declared as HTML (a JSONL "html" field, a text/html WARC record) that
    # carries no markup at all is read as the text it is.
    as_html = item.format == "html" and _MARKUP.search(item.text) is not None
    found = _from_html(item) if as_html else extract_text(item.text)
    if not found.body.strip():
        raise ExtractError(item.source, "no article text found")
    authors = [Author(name=a) for a in item.authors] or found.authors
    return Document(
        path=item.source,
        id=item.id or content_id(item.text),
        title=item.title or found.title,
        subtitle=found.subtitle,
        series=found.series,
        publisher=item.publisher or found.publisher,
        url=item.url or found.url,
        authors=authors,
        published=item.published or found.published,
        published_estimated=found.published_estimated and not item.published,
        language=detect_language(found.body),
        body=found.body,
        sections=found.sections,
        footnotes=found.footnotes,
        provenance=found.provenance,
        related=found.related,
        format=item.format,
    )


def _from_html(item: RawItem) -> TextExtraction:
    page = extract_html(item.text, url=item.url)
    structured = structure_body(page.body)
    return TextExtraction(
        body=structured.body, title=page.title, subtitle=page.subtitle,
        authors=[Author(name=a) for a in page.authors], published=page.date,
        published_estimated=page.date_estimated, url=page.url,
        sections=structured.sections, footnotes=structured.footnotes,
        provenance=structured.provenance, publisher=page.sitename,
    )


def extract_many(items: Iterable[RawItem]) -> Iterator[Document | CounterpointError]:
    """Extract each item; yield its document, or the error that stopped it."""
    for item in items:
        try:
            yield extract(item)
        except CounterpointError as exc:
            yield exc
