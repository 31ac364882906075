"""The bundled sample corpus extracts the way its MANIFEST says a reader sees it.

``examples/corpus/MANIFEST.yaml`` was written with the articles: for each page,
its title, byline, printed date, first and last body sentence, headings,
voices, provenance and related teasers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from counterpoint.extract import extract
from counterpoint.ingest import iter_items
from counterpoint.schema import Document, RawItem
from tests.shared import REPO

CORPUS = REPO / "examples" / "corpus"
MANIFEST: list[dict[str, Any]] = yaml.safe_load(
    (CORPUS / "MANIFEST.yaml").read_text("utf-8"))["documents"]
PAGES = [d for d in MANIFEST if d["format"] in ("text", "html")]


def _documents() -> dict[str, Document]:
    found: dict[str, Document] = {}
    for item in iter_items([str(CORPUS)]):
        if isinstance(item, RawItem):
            found[item.source] = extract(item)
    return found


@pytest.fixture(scope="module")
def documents() -> dict[str, Document]:
    return _documents()


def _page(documents: dict[str, Document], entry: dict[str, Any]) -> Document:
    return documents[str(Path(CORPUS) / entry["file"])]


def _norm(text: str) -> str:
    return " ".join(text.replace("’", "'").split())


@pytest.mark.parametrize("entry", PAGES, ids=[d["file"] for d in PAGES])
def test_page_header(documents: dict[str, Document], entry: dict[str, Any]) -> None:
    doc = _page(documents, entry)
    assert _norm(doc.title or "") == _norm(entry["title"])
    assert doc.published == entry["published"]
    expected_authors = [a["name"] for a in entry.get("authors") or []]
    assert [a.name for a in doc.authors] == expected_authors
    if entry.get("series"):
        assert doc.series == entry["series"]


@pytest.mark.parametrize("entry", PAGES, ids=[d["file"] for d in PAGES])
def test_page_body_bounds(documents: dict[str, Document], entry: dict[str, Any]) -> None:
    doc = _page(documents, entry)
    body = _norm(doc.body)
    assert body.startswith(_norm(entry["body_first_sentence"]))
    assert body.endswith(_norm(entry["body_last_sentence"]))
    for teaser in entry.get("related_titles") or []:
        assert _norm(teaser) not in body


@pytest.mark.parametrize("entry", PAGES, ids=[d["file"] for d in PAGES])
def test_page_structure(documents: dict[str, Document], entry: dict[str, Any]) -> None:
    doc = _page(documents, entry)
    headings = [s.heading for s in doc.sections if s.heading and not s.voice]
    assert [_norm(h) for h in headings] == [_norm(h) for h in entry.get("headings") or []]
    voices = [s.voice.name for s in doc.sections if s.voice]
    assert voices == [v["name"] for v in entry.get("voices") or []]
    assert len(doc.footnotes) == entry.get("footnotes_count", 0)
    assert [_norm(r.title) for r in doc.related] == [
        _norm(t) for t in entry.get("related_titles") or []]
    for expected in entry.get("provenance") or []:
        assert any(p.language == expected["language"] and p.date == expected["date"]
                   for p in doc.provenance)
