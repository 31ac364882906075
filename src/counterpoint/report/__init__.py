"""Briefings: a story's key events, actors, agreements and disagreements, and notable
claims on one or two pages, every statement cited to its source sentence.

:func:`build_brief` turns analyses into a :class:`Brief` (:func:`fit_brief`: the
fullest one that fits two A4 pages); :func:`render` lays it out as Markdown, HTML
or PDF (WeasyPrint).
"""

from counterpoint.report.brief import (
    SHORTER,
    Brief,
    BriefActor,
    Citation,
    ClaimGroup,
    KeyEvent,
    Limits,
    QuotedClaim,
    Source,
    SourceClaims,
    ToneRow,
    build_brief,
)
from counterpoint.report.render import (
    MAX_PAGES,
    BriefFormat,
    RenderedBrief,
    fit_brief,
    render,
    render_html,
    render_markdown,
    render_pdf,
)

__all__ = [
    "MAX_PAGES",
    "SHORTER",
    "Brief",
    "BriefActor",
    "BriefFormat",
    "Citation",
    "ClaimGroup",
    "KeyEvent",
    "Limits",
    "QuotedClaim",
    "RenderedBrief",
    "Source",
    "SourceClaims",
    "ToneRow",
    "build_brief",
    "fit_brief",
    "render",
    "render_html",
    "render_markdown",
    "render_pdf",
]
