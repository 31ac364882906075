"""Render a :class:`~counterpoint.report.brief.Brief` as Markdown, HTML or PDF.

The layout lives in Jinja2 templates shipped with the package
(``templates/brief.md.j2``, ``templates/brief.html.j2``); PDF is the HTML laid out
on A4 by WeasyPrint. Templates only arrange what the brief holds: the few phrases
they add are labels ("reported by 2 sources") filled from its fields.

Citation markers: Markdown footnotes (``[^3]``, defined under "Sources" as
``[^3]: **B** SCEEUS — `3f4fb33baf8b3011` body[967:1154]: “…”``), and in HTML
links to ``#cite-3``, the list item that carries the same document id, offsets and
sentence (also as ``data-doc``, ``data-start``, ``data-end`` and ``data-footnote``).
Quotes in Markdown have their whitespace runs collapsed to one space and
Markdown's special characters backslash-escaped; nothing else changes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any, Literal

from jinja2 import Environment, PackageLoader, StrictUndefined

from counterpoint.corpus.compare import Comparison
from counterpoint.errors import ReportError
from counterpoint.report.brief import SHORTER, Brief, KeyEvent, QuotedClaim, build_brief
from counterpoint.schema import Analysis

__all__ = ["MAX_PAGES", "BriefFormat", "RenderedBrief", "fit_brief", "render", "render_html",
           "render_markdown", "render_pdf"]

BriefFormat = Literal["md", "html", "pdf"]
# What a brief is for: read in a few minutes, printed on one sheet.
MAX_PAGES = 2

# Characters that would change a Markdown line's meaning (emphasis, links, HTML,
# entities, table cells, code), escaped with a backslash as CommonMark allows.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>&|])")


@dataclass(frozen=True)
class RenderedBrief:
    """A rendered brief: its bytes and, for PDF, how many pages it takes."""

    data: bytes
    pages: int | None
    citations: int


def _markdown_text(value: object) -> str:
    """Text for one Markdown line: whitespace collapsed, special characters escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(str(value).split()))


def _signed(value: float | None) -> str:
    """A tone score for a table: ``+0.24``, ``-0.41``, ``0.00``; ``—`` for none."""
    if value is None:
        return "—"
    return "0.00" if round(value, 2) == 0 else f"{value:+.2f}"


def _event_phrase(event: KeyEvent) -> str:
    """``Xi Jinping → Russia: CONSULT (visit)``, from the entry's coded fields."""
    phrase = f"{event.source or '?'} → {event.target or '?'}: {event.type}"
    if event.mode:
        phrase += f" ({event.mode})"
    if event.negated:
        phrase += ", reported as not happening"
    elif event.contested:
        phrase += ", denied by some reports"
    return phrase


def _holder(claim: QuotedClaim) -> str:
    """``Hugo von Essen (expert), almost certain``."""
    kind = f" ({claim.holder_kind})" if claim.holder_kind else ""
    return f"{claim.holder}{kind}, {claim.certainty}"


def _capfirst(value: str) -> str:
    return value[:1].upper() + value[1:]


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


@cache
def _environment() -> Environment:
    env = Environment(loader=PackageLoader("counterpoint.report", "templates"),
                      autoescape=lambda name: bool(name and name.endswith(".html.j2")),
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                      undefined=StrictUndefined)
    env.filters.update(md=_markdown_text, signed=_signed, event_phrase=_event_phrase,
                       holder=_holder, capfirst=_capfirst, plural=_plural)
    return env


def _context(brief: Brief) -> dict[str, Any]:
    return {"brief": brief, "letters": {s.letter: s for s in brief.sources}}


def render_markdown(brief: Brief) -> str:
    """The brief as Markdown (GitHub-flavoured: tables and ``[^n]`` footnotes)."""
    return _environment().get_template("brief.md.j2").render(_context(brief))


def render_html(brief: Brief) -> str:
    """The brief as one self-contained HTML page (inline CSS, A4 print styles)."""
    return _environment().get_template("brief.html.j2").render(_context(brief))


def _layout(brief: Brief) -> Any:
    """The HTML laid out on pages by WeasyPrint (a ``weasyprint.Document``)."""
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:  # OSError: Pango missing
        raise ReportError(f"PDF output needs WeasyPrint and Pango: {exc}") from exc
    return HTML(string=render_html(brief)).render()


def render_pdf(brief: Brief) -> bytes:
    """The brief as a PDF (A4)."""
    return bytes(_layout(brief).write_pdf())


def render(brief: Brief, fmt: BriefFormat) -> RenderedBrief:
    """The brief in a format: ``md``, ``html`` or ``pdf`` (with its page count)."""
    if fmt == "pdf":
        document = _layout(brief)
        return RenderedBrief(bytes(document.write_pdf()), len(document.pages),
                             len(brief.citations))
    text = render_markdown(brief) if fmt == "md" else render_html(brief)
    return RenderedBrief(text.encode("utf-8"), None, len(brief.citations))


def fit_brief(analyses: Sequence[Analysis], *, comparison: Comparison | None = None,
              title: str | None = None, origin: str | None = None,
              generated: date | None = None, pages: int = MAX_PAGES) -> Brief:
    """The fullest brief (of :data:`~counterpoint.report.brief.SHORTER`) whose PDF takes at
    most ``pages`` A4 pages; the shortest one when none does (many sources: the document
    list and the tone table grow with them).

    Every format gets the same brief, so a Markdown brief says what the PDF says.
    Without WeasyPrint the default brief is returned unmeasured.
    """
    if comparison is None:
        from counterpoint.corpus.compare import compare

        comparison = compare(list({a.id: a for a in analyses}.values()))
    brief = None
    for limits in SHORTER:
        brief = build_brief(analyses, comparison=comparison, title=title, origin=origin,
                            generated=generated, limits=limits)
        try:
            if len(_layout(brief).pages) <= pages:
                break
        except ReportError:
            break
    assert brief is not None
    return brief
