"""Text-dump extraction: recover an article and its description from a scraped page.

A text dump has one block of the page per line, with everything around the
article still in it. The stages, each a function of the lines:

1. :func:`~counterpoint.extract.body.find_body` finds the article's run of lines;
2. provenance lines and footnotes are taken out of it (:func:`take_provenance`,
   :func:`take_footnotes`);
3. headings and "Name, role, Organisation" lines split it into sections with
   their voices (:func:`split_sections`);
4. the lines before it give title, subtitle, series, byline and date
   (:func:`read_header`); the lines after it give related-article teasers
   (:func:`read_related`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from counterpoint.extract.body import BodySpan, find_body, is_heading
from counterpoint.extract.dates import parse_printed_date
from counterpoint.extract.lines import (
    CREDIT,
    DATE,
    SENTENCE_END,
    Line,
    is_name_line,
    lexicon,
    make_lines,
)
from counterpoint.schema import Author, Footnote, Provenance, Related, Section, Voice

__all__ = ["TextExtraction", "extract_text", "structure_body"]

# How far above the body the header (title, dek, byline, date) may sit, in lines.
HEADER_REACH = 14
TITLE_MAX_WORDS = 30
# Inputs of at most this many lines (a headline, a sentence) are their own body.
SNIPPET_LINES = 3
SUBTITLE_MIN_WORDS = 8

PROVENANCE = re.compile(
    r"^(?:this|the)\s+(?:article|piece|text|essay|interview|commentary|post|op-ed)\s+"
    r"(?:was\s+)?(?:originally|first)\s+(?:appeared|published|ran|posted)"
    r"(?:\s+in\s+(?P<language>[A-Z][a-zé]+))?"
    r"(?:\s+(?:on|in)\s+(?P<date>(?:[A-Z][a-zé]+\.?\s+\d{1,2},?\s+|\d{1,2}\.?\s+[A-Za-zé]+\s+)?\d{4}"
    r"(?:-\d{2}-\d{2})?))?"
    r"(?:,)?(?:\s+(?:on|in|at|by)\s+(?P<source>.+?))?\.?$",
    re.IGNORECASE,
)
TRANSLATED = re.compile(
    r"^translated\s+(?:from\s+(?:the\s+)?(?P<language>[A-Z][a-zé]+)\s+)?by\s+(?P<source>.+?)\.?$",
    re.IGNORECASE,
)
FOOTNOTE = re.compile(r"^(?P<marker>\d{1,3}|[*†‡])[.)]?\s*(?P<text>\S.{15,})$")
BREADCRUMB_SEPARATORS = re.compile(r"\s+(?:/|>|›|»|\|)\s+")
SERIES = re.compile(r"^(?P<label>[^\W\d][\w’'&. ]{1,40}?)\s+[-–—|:]\s+(?P<rest>.{8,})$")
VOICE = re.compile(r"^(?P<name>[^,]{3,60}),\s*(?P<role>[^,]{2,80})(?:,\s*(?P<org>[^,]{2,100}))?$")
BYLINE = re.compile(r"^(?:by|von|par|por|av|de)\s+(?P<names>.+)$", re.IGNORECASE)
COPYRIGHT = re.compile(
    r"(?:©|\(c\)|copyright)\s*(?:\d{4}\s*[-–]?\s*(?:\d{4})?)?\s*(?P<holder>[^.|]+)", re.IGNORECASE)
ACRONYM = re.compile(r"\b[A-Z]{3,8}\b")
LANGUAGES = {"french", "english", "spanish", "german", "italian", "portuguese", "russian",
             "chinese", "arabic", "swedish", "ukrainian", "japanese", "turkish", "polish",
             "dutch", "persian", "korean", "greek", "catalan", "norwegian", "danish", "finnish"}


@dataclass
class TextExtraction:
    """Everything the text-dump path recovers from one page."""

    body: str = ""
    title: str | None = None
    subtitle: str | None = None
    series: str | None = None
    publisher: str | None = None
    authors: list[Author] = field(default_factory=list)
    published: str | None = None
    published_estimated: bool = False
    url: str | None = None
    sections: list[Section] = field(default_factory=list)
    footnotes: list[Footnote] = field(default_factory=list)
    provenance: list[Provenance] = field(default_factory=list)
    related: list[Related] = field(default_factory=list)


@dataclass
class _Paragraph:
    text: str
    line: Line
    kind: str = "prose"  # prose | heading | voice
    voice: Voice | None = None


def extract_text(text: str) -> TextExtraction:
    """Extract the article and its metadata from a text dump. Never raises on text."""
    lines = make_lines(text)
    span = find_body(lines)
    if span is None and 0 < len(lines) <= SNIPPET_LINES and not all(
            line.chrome or line.date or line.url for line in lines):
        # A headline, a tweet or a single sentence from a JSONL feed: nothing
        # around it to strip, so the text is the body.
        body = "\n\n".join(line.text for line in lines)
        return TextExtraction(body=body, sections=[Section(text=body)])
    if span is None:
        header = read_header(lines, len(lines))
        return TextExtraction(title=header.title, subtitle=header.subtitle,
                              series=header.series, authors=header.authors,
                              published=header.published)
    kept = list(span.kept)
    # A series label or a headline right above the first paragraph belongs to the
    # header (the body run starts at the first line that scores as prose).
    while len(kept) > 1 and (_series_label(lines[kept[0]]) or _is_headline(lines[kept[0]])):
        kept.pop(0)
    paragraphs = [_Paragraph(lines[i].text, lines[i]) for i in kept]
    tail = lines[span.end + 1:]
    paragraphs, provenance = take_provenance(paragraphs, tail)
    paragraphs, footnotes = take_footnotes(paragraphs, tail)
    sections, paragraphs = split_sections(paragraphs, lines, span)
    header = read_header(lines, kept[0])
    result = TextExtraction(
        body="\n\n".join(p.text for p in paragraphs),
        title=header.title, subtitle=header.subtitle, series=header.series,
        authors=header.authors, published=header.published, sections=sections,
        footnotes=footnotes, provenance=provenance,
        related=read_related(lines[span.end + 1:]),
    )
    result.publisher = guess_publisher(lines, span, header, sections)
    return result


def structure_body(body: str) -> TextExtraction:
    """Find provenance, footnotes, headings and voices in an already clean body.

    Used by the HTML path, whose extractor returns the article's paragraphs but
    leaves notes, "originally appeared in" lines and expert openers in them.
    """
    lines = make_lines(body)
    if not lines:
        return TextExtraction()
    span = BodySpan(0, len(lines) - 1, tuple(range(len(lines))))
    paragraphs = [_Paragraph(line.text, line) for line in lines]
    paragraphs, provenance = take_provenance(paragraphs, [])
    paragraphs, footnotes = take_footnotes(paragraphs, [])
    sections, paragraphs = split_sections(paragraphs, lines, span)
    return TextExtraction(body="\n\n".join(p.text for p in paragraphs), sections=sections,
                          footnotes=footnotes, provenance=provenance)


# --- provenance and footnotes ---------------------------------------------------------


def parse_provenance(text: str) -> Provenance | None:
    """Read a line such as "This article originally appeared in French on <date> on <outlet>."."""
    match = PROVENANCE.match(text) or TRANSLATED.match(text)
    if not match:
        return None
    groups = match.groupdict()
    language = groups.get("language")
    if language and language.lower() not in LANGUAGES:
        language = None
    date_text = groups.get("date")
    source = (groups.get("source") or "").strip().rstrip(".") or None
    relation = "translation" if language or match.re is TRANSLATED else "republication"
    return Provenance(relation=relation, language=language,
                      date=parse_printed_date(date_text) if date_text else None, source=source)


def take_provenance(paragraphs: list[_Paragraph], tail: list[Line]
                    ) -> tuple[list[_Paragraph], list[Provenance]]:
    """Move provenance lines out of the body (and read those just after it)."""
    found: list[Provenance] = []
    kept = []
    for paragraph in paragraphs:
        record = parse_provenance(paragraph.text)
        if record:
            found.append(record)
        else:
            kept.append(paragraph)
    for line in tail[:HEADER_REACH]:
        record = parse_provenance(line.text)
        if record:
            found.append(record)
    return kept, found


def take_footnotes(paragraphs: list[_Paragraph], tail: list[Line]
                   ) -> tuple[list[_Paragraph], list[Footnote]]:
    """Move the notes at the end of the article out of the body.

    A note is a line "1 Text…" at the end of the body or just after it whose
    marker is also printed in the body. Scrapers often inline the note's text
    right after the marker ("…Saudi Arabia,1On March 10…"); that copy leaves the
    body too and the marker stays as ``[1]``.
    """
    candidates: list[tuple[int | None, str, str]] = []
    i = len(paragraphs) - 1
    while i >= 0 and (match := FOOTNOTE.match(paragraphs[i].text)):
        candidates.insert(0, (i, match["marker"], match["text"].strip()))
        i -= 1
    for line in tail[:HEADER_REACH]:
        match = FOOTNOTE.match(line.text)
        if match and not DATE.match(line.text):
            candidates.append((None, match["marker"], match["text"].strip()))
    notes: list[Footnote] = []
    drop: set[int] = set()
    body_end = min((c[0] for c in candidates if c[0] is not None), default=len(paragraphs))
    for index, marker, note in candidates:
        if any(n.marker == marker for n in notes):
            continue
        inline = re.compile(re.escape(marker) + r"\s?" + re.escape(note[:40]))
        hit = False
        for paragraph in paragraphs[:body_end]:
            m = inline.search(paragraph.text)
            if m:
                end = _common_prefix_end(paragraph.text, m.start() + len(marker), note)
                paragraph.text = (paragraph.text[:m.start()] + f"[{marker}]"
                                  + paragraph.text[end:]).strip()
                hit = True
                break
            if re.search(rf"\w[.,;:”\"’)]?{re.escape(marker)}(?:\s|$)", paragraph.text):
                hit = True
        if hit:
            notes.append(Footnote(marker=marker, text=note))
            if index is not None:
                drop.add(index)
    return [p for j, p in enumerate(paragraphs) if j not in drop], notes


def _common_prefix_end(text: str, start: int, note: str) -> int:
    """Index in ``text`` where the inlined copy of ``note`` starting at ``start`` ends."""
    pos = start
    while pos < len(text) and text[pos] == " ":
        pos += 1
    k = 0
    while pos + k < len(text) and k < len(note) and text[pos + k] == note[k]:
        k += 1
    return pos + k


# --- sections and voices ------------------------------------------------------------------


def parse_voice(text: str) -> Voice | None:
    """Read "Name, role, Organisation" (or "Name, role") into a voice; None otherwise."""
    if SENTENCE_END.search(text) or len(text.split()) > 16:
        return None
    match = VOICE.match(text)
    if not match or not is_name_line(match["name"]):
        return None
    role = match["role"].strip()
    org = (match["org"] or "").strip() or None
    if org is None and " at " in role:
        role, _, org = role.partition(" at ")
    return Voice(name=match["name"].strip(), role=role, affiliation=org)


def split_sections(paragraphs: list[_Paragraph], lines: list[Line], span: BodySpan
                   ) -> tuple[list[Section], list[_Paragraph]]:
    """Split the body at headings and voice lines; return sections and the paragraphs."""
    following = {lines[i].index: (lines[i + 1] if i + 1 < len(lines) else None)
                 for i in range(span.start, span.end + 1)}
    for paragraph in paragraphs:
        opener = parse_voice(paragraph.text)
        nxt = following.get(paragraph.line.index)
        if opener and nxt is not None and nxt.words >= 8:
            paragraph.kind, paragraph.voice = "voice", opener
        elif paragraph.text == paragraph.line.text and is_heading(paragraph.line, nxt):
            paragraph.kind = "heading"
    sections: list[Section] = []
    heading: str | None = None
    voice: Voice | None = None
    texts: list[str] = []

    def close() -> None:
        if texts or heading or voice:
            sections.append(Section(heading=heading, voice=voice, text="\n\n".join(texts)))

    for paragraph in paragraphs:
        if paragraph.kind == "prose":
            texts.append(paragraph.text)
            continue
        close()
        texts = []
        if paragraph.kind == "voice":
            heading, voice = paragraph.text, paragraph.voice
        elif voice is not None and heading is not None:
            heading = paragraph.text  # a heading inside an expert's part keeps the voice
        else:
            heading, voice = paragraph.text, None
    close()
    return [s for s in sections if s.text or s.voice], paragraphs


# --- header -----------------------------------------------------------------------------------


@dataclass
class _Header:
    title: str | None = None
    subtitle: str | None = None
    series: str | None = None
    published: str | None = None
    authors: list[Author] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)


def read_header(lines: list[Line], body_start: int) -> _Header:
    """Read title, subtitle, series, byline and date from the lines above the body.

    Pages print ``[kicker] title [dek] byline date [share bar] [image, credit]``
    in some order. The byline or date line anchors the header: the one or two
    headline-like lines right above it are the title and the dek. Without an
    anchor, the nearest headline-like line above the body is the title. Bylines
    count only below the title, so a brand name in the masthead is no author.
    """
    header = _Header()
    first = max(0, body_start - HEADER_REACH)
    window = lines[first:body_start]
    header.lines = window
    kinds: list[str] = []
    breadcrumb_title: str | None = None
    for pos, line in enumerate(window):
        nxt = window[pos + 1] if pos + 1 < len(window) else None
        if line.date:
            kinds.append("date")
        elif line.chrome or line.url:
            kinds.append("chrome")
        elif _byline(line):
            kinds.append("byline")
        elif len(BREADCRUMB_SEPARATORS.split(line.text)) >= 2 and line.words <= 12 \
                and not line.sentence_end:
            kinds.append("breadcrumb")
            breadcrumb_title = BREADCRUMB_SEPARATORS.split(line.text)[-1].strip()
        elif _series_label(line):
            kinds.append("series")
            header.series = header.series or _series_label(line)
        elif nxt is not None and _is_credit(nxt):
            kinds.append("caption")
        elif 1 < line.words <= TITLE_MAX_WORDS or (line.sentence_end and line.words > 1):
            kinds.append("candidate")
        else:
            kinds.append("other")
    anchor = next((i for i, kind in enumerate(kinds)
                   if kind in ("byline", "date") and "candidate" in kinds[:i]), None)
    title_at: int | None = None
    if anchor is not None:
        block_end = anchor
        while block_end > 0 and kinds[block_end - 1] != "candidate":
            block_end -= 1
            if kinds[block_end] not in ("series", "other", "chrome"):
                break
        block = [i for i in range(max(0, block_end - 2), block_end) if kinds[i] == "candidate"]
        while block and any(kinds[j] != "candidate" for j in range(block[0], block_end)):
            block.pop(0)
        if block:
            title_at = block[0]
            if len(block) == 2:
                header.subtitle = window[block[1]].text
    if title_at is None:
        for pos in range(len(window) - 1, -1, -1):
            if kinds[pos] != "candidate":
                continue
            line = window[pos]
            if header.subtitle is None and line.words >= SUBTITLE_MIN_WORDS \
                    and line.sentence_end and not line.text.endswith(("?", "!")):
                header.subtitle = line.text
                continue
            title_at = pos
            break
    if title_at is not None:
        header.title = window[title_at].text
    if breadcrumb_title and (header.title is None or (title_at is not None and title_at < 2)) \
            and len(breadcrumb_title.split()) > 1:
        header.title = breadcrumb_title
    if header.title is None and header.subtitle is not None:
        header.title, header.subtitle = header.subtitle, None
    below = title_at + 1 if title_at is not None else 0
    for pos in range(below, len(window)):
        if kinds[pos] == "byline":
            header.authors.extend(_byline(window[pos]))
        elif kinds[pos] == "date" and header.published is None:
            header.published = parse_printed_date(window[pos].text)
    return header


def _is_headline(line: Line) -> bool:
    """True for a line that reads as a title rather than as a paragraph."""
    return not line.sentence_end and 1 < line.words <= TITLE_MAX_WORDS and not line.upper


def _is_credit(line: Line) -> bool:
    """True for an image credit line, which makes the line above it a caption."""
    lower = line.text.lower()
    return bool(CREDIT.search(line.text)) or lower.startswith(
        ("image", "photo", "picture", "foto", "bild", "credit", "фото"))


def _series_label(line: Line) -> str | None:
    """Return the label of a series line: a short name before a description
    ("Quick Comment - insights from …", "Analysis | what the deal means")."""
    match = SERIES.match(line.text)
    if not match or line.sentence_end:
        return None
    label, rest, words = match["label"].strip(), match["rest"], len(match["label"].split())
    if len(rest.split()) < 4:
        return None
    if 1 <= words <= 4 and rest[:1].islower():
        return label
    # "Kurzkommentar – Einschätzungen …": one or two words before a dash
    if words <= 2 and re.match(r"^[^\W\d][\w’'&. ]+\s+[-–—|]\s", line.text):
        return label
    return None
    return None


def _byline(line: Line) -> list[Author]:
    """Authors named on a byline line ("By A and B", "Ann Lee", "Tom Krisher, Ap Auto Writer")."""
    text = line.text
    match = BYLINE.match(text)
    if match:
        text = match["names"]
        voice = parse_voice(text)
        if voice:
            return [Author(name=voice.name, role=voice.role, affiliation=voice.affiliation)]
    elif line.name:
        return [Author(name=text)]
    else:
        voice = parse_voice(text)
        if voice and len(text.split()) <= 8:
            return [Author(name=voice.name, role=voice.role, affiliation=voice.affiliation)]
        return []
    names = [n.strip() for n in re.split(r",\s*|\s+(?:and|und|et|y|och|&)\s+", text) if n.strip()]
    if names and all(is_name_line(n) for n in names):
        return [Author(name=n) for n in names]
    return []


# --- related and publisher ------------------------------------------------------------------


def read_related(tail: list[Line]) -> list[Related]:
    """Read teasers of other articles after the body: title, author and date when printed.

    A teaser is anchored on its date line: above it an author line, above that
    an optional summary, above that the title. Without dates, the heading-like
    lines under a "Related …" header are taken as titles.
    """
    related: list[Related] = []
    used: set[int] = set()
    for pos, line in enumerate(tail):
        if not line.date:
            continue
        k = pos - 1
        author = None
        if k >= 0 and tail[k].name and k not in used:
            author, k = tail[k].text, k - 1
        if k >= 0 and tail[k].words >= SUBTITLE_MIN_WORDS and tail[k].sentence_end:
            k -= 1  # the teaser's summary
        if k < 0 or k in used or tail[k].chrome or tail[k].date or \
                not 1 < tail[k].words <= TITLE_MAX_WORDS:
            continue
        related.append(Related(title=tail[k].text, author=author,
                               date=parse_printed_date(line.text)))
        used.update(range(k, pos + 1))
    if related:
        return related
    headers = lexicon().related_headers
    for pos, line in enumerate(tail):
        if line.text.lower().rstrip(":") in headers:
            gaps: list[int] = []
            previous = line.index
            for item in tail[pos + 1:pos + 1 + 12]:
                gaps.append(item.index - previous)
                previous = item.index
                if len(related) >= 2 and gaps[-1] > 1 and max(gaps[:-1]) == 1:
                    break  # a blank line after a tight list ends it
                if item.date or item.name:
                    continue
                if item.chrome or item.url or len(BREADCRUMB_SEPARATORS.split(item.text)) > 2:
                    break  # the list ends where the footer starts
                if 2 < item.words <= TITLE_MAX_WORDS:
                    related.append(Related(title=item.text))
            break
    return related


def guess_publisher(lines: list[Line], span: BodySpan, header: _Header,
                    sections: list[Section]) -> str | None:
    """Name the publisher only when the page says it: a copyright line, or an
    organisation named both in the header and as an expert's affiliation."""
    affiliations = [s.voice.affiliation for s in sections if s.voice and s.voice.affiliation]
    header_text = " ".join(line.text for line in header.lines)
    for org in affiliations:
        if org and re.search(rf"\b{re.escape(org)}\b", header_text):
            return org
    for line in lines[span.end + 1:]:
        if line.text.startswith(("©", "Copyright", "(c)")):
            match = COPYRIGHT.search(line.text)
            if match:
                holder = match["holder"].strip(" ,-–")
                holder = re.sub(r"\s*all rights reserved.*$", "", holder, flags=re.IGNORECASE)
                if 1 <= len(holder.split()) <= 6:
                    return holder
    return None
