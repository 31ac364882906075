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
from counterpoint.schema import Author, Document, Footnote, RawItem, Related, content_id

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
    body = _without_html_notes(_without_dek(page.body, page.subtitle), page.footnotes)
    structured = structure_body(body)
    notes = [Footnote(marker=m, text=t) for m, t in page.footnotes]
    return TextExtraction(
        body=structured.body, title=page.title, subtitle=page.subtitle,
        authors=[Author(name=a) for a in page.authors], published=page.date,
        published_estimated=page.date_estimated, url=page.url,
        related=[Related(title=str(r["title"]), author=r["author"], date=r["date"])
                 for r in page.related],
        sections=structured.sections, footnotes=notes or structured.footnotes,
        provenance=structured.provenance, publisher=page.sitename,
    )


def _paragraphs(body: str) -> list[str]:
    return [p for p in body.split("\n\n") if p.strip()]


def _norm(text: str) -> str:
    return " ".join(text.split()).rstrip(" ↩↑^")


def _without_dek(body: str, dek: str | None) -> str:
    """Drop a first paragraph that repeats the dek (it is the subtitle, not the article)."""
    paragraphs = _paragraphs(body)
    if dek and len(paragraphs) > 1 and _norm(paragraphs[0]) == _norm(dek):
        paragraphs = paragraphs[1:]
    return "\n\n".join(paragraphs)


def _without_html_notes(body: str, notes: list[tuple[str, str]]) -> str:
    """Take footnote texts out of the body and mark each note's call as ``[N]``."""
    if not notes:
        return body
    texts = {_norm(text) for _, text in notes}
    paragraphs = [p for p in _paragraphs(body) if _norm(p) not in texts]
    body = "\n\n".join(paragraphs)
    for marker, _ in notes:
        # trafilatura flattens <sup>1</sup> into "document1 that"
        body = re.sub(rf"(?<=[^\W\d_]){re.escape(marker)}(?=[\s.,;:)]|$)", f"[{marker}]",
                      body, count=1)
    return body


def extract_many(items: Iterable[RawItem]) -> Iterator[Document | CounterpointError]:
    """Extract each item; yield its document, or the error that stopped it."""
    for item in items:
        try:
            yield extract(item)
        except CounterpointError as exc:
            yield exc
