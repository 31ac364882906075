"""HTML extraction: trafilatura and htmldate, mapped to our fields.

Owner of the body-quality work on ``../shared/eval/extraction-dev/html``.

trafilatura finds the main content; we then read its output tree as blocks
(paragraphs, headings, list items, table rows) and repair what it gets wrong
on news pages, using only the page's own structure and generic page furniture:

* article bodies split over sibling containers (ads between them) are joined;
* text pulled from other ``<article>`` elements (teasers) is dropped;
* the headline, dek, byline and date lines above the body are removed (the
  dek becomes ``subtitle``);
* promotion, sharing, newsletter, "read more" and related-links furniture is
  cut from the edges (by the best-scoring prefix/suffix of junk) and, when it
  is unambiguous, from the middle.

Thresholds are named constants below; each says how it was set. Where one was
calibrated on the dev pages, ``benchmarks/html_quality.py --cv`` reports a
5-fold cross-validated score alongside the in-sample one.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from counterpoint.extract.lines import lexicon

__all__ = ["HtmlExtraction", "extract_html"]

LOGGER = logging.getLogger(__name__)
# A footnote shorter than this is a stray list item, not a note.
MIN_NOTE_CHARS = 15


@dataclass
class HtmlExtraction:
    """What the HTML path recovers from one page.

    ``body`` is plain text, paragraphs separated by a blank line; ``headings``
    lists the paragraphs of ``body`` that are section headings (same text).
    ``date`` is ISO ``YYYY-MM-DD`` or None; ``date_estimated`` is True when the
    date was inferred (e.g. from the URL or copyright) rather than printed as the
    publication date. ``subtitle`` is the dek printed under the headline, when
    the page has one; ``description`` is the page's own summary (meta tags).
    """

    body: str
    title: str | None = None
    subtitle: str | None = None
    authors: list[str] = field(default_factory=list)
    date: str | None = None
    date_estimated: bool = False
    sitename: str | None = None
    url: str | None = None
    language: str | None = None
    headings: list[str] = field(default_factory=list)
    description: str | None = None
    footnotes: list[tuple[str, str]] = field(default_factory=list)
    related: list[dict[str, str | None]] = field(default_factory=list)


# --- thresholds ------------------------------------------------------------
# Unless said otherwise, set by reading typical news markup, then checked on the
# 90 dev pages (the score is flat around each value; see benchmarks/html_quality.py
# --cv for the cross-validated check of the junk-scoring ones).

# Headline match: share of a block's distinct words found in a title candidate,
# and share of the title's words the block covers (site suffixes such as
# "| Reuters" make the title longer than the printed headline).
TITLE_MATCH = 0.8
TITLE_COVER = 0.6
# The headline sits within the first few blocks; anything above it that is this
# short is navigation (breadcrumbs, kicker, the URL).
LEAD_WINDOW = 5
LEAD_NAV_MAX_WORDS = 25
# A heading right under the headline this long is a dek, not a section title.
DEK_MIN_WORDS = 4
DEK_MAX_WORDS = 60
# Date and byline lines are short.
DATELINE_MAX_WORDS = 14
# Headline candidates read from the page (og/twitter titles, <h1>s).
MAX_TITLES = 8

# Junk scoring (cross-validated, see module docstring). A block is furniture
# when it is at most JUNK_MAX_WORDS long and mostly links or matches the
# furniture lexicon; blocks of at most TINY_WORDS lean to furniture (TINY_JUNK)
# at the edges of the body. Each block weighs its length, capped at WEIGHT_CAP
# words, so that one long paragraph outweighs a run of short links.
JUNK_MAX_WORDS = 60
JUNK_LINK_RATIO = 0.5
FULL_LINK_RATIO = 0.9
TINY_WORDS = 3
TINY_JUNK = 0.5
WEIGHT_CAP = 25
# Headline lists link the headline but not the teaser line under it.
ITEM_LINK_RATIO = 0.3
# "Follow our coverage at https://..." lines.
URL_LINE_MAX_WORDS = 20
# A short block between two furniture blocks is furniture too.
SMOOTH_MAX_WORDS = 25

# Inside the body only unambiguous furniture goes: a mostly-linked teaser
# ("Read more: ..."), a short call to act, or a short cue ("Don't miss") and the
# links under it.
INLINE_LINK_RATIO = 0.5
INLINE_MAX_WORDS = 15
MARKER_MAX_WORDS = 6

# Sibling containers: how far up the two containers must meet, how many new
# prose paragraphs one must bring, and how link-heavy they may be.
SIBLING_MAX_UP = 4
SIBLING_MIN_PARAS = 3
SIBLING_MAX_LINK = 0.3
# An element whose text is this many times longer than every block cannot be
# the source of one (whitespace in markup is the only slack).
SOURCE_SLACK = 3

# --- patterns --------------------------------------------------------------

_WS = re.compile(r"[ \t\r\n\f\v\u00a0\u200b]+")
_TOKEN = re.compile(r"\w+")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
_URL_ONLY = re.compile(r"^(https?://|www\.)\S+$")
_HAS_URL = re.compile(r"https?://")
_DATE_NUM = re.compile(r"\b\d{1,4}[./-]\d{1,2}[./-]\d{1,4}\b")
_YEAR = re.compile(r"\b(19|20)\d\d\b")
_TIME = re.compile(r"\b\d{1,2}[:h]\d\d\b")
_STAMP = re.compile(
    r"^(updated|published|posted|last modified|publicado|pubblicato|publié|"
    r"veröffentlicht|aktualisiert)\b",
    re.IGNORECASE,
)
# "By Jane Doe", not "By the time ...": checked for a capital after "by"
_BYLINE = re.compile(r"^(by|von|par|por|di|door)\s", re.IGNORECASE)
# Phrases of page furniture: promotion, navigation, sharing, credits. Generic
# web boilerplate in the languages we meet most; no site names. Words that
# also occur in news prose ("comment", "subscribers", "sign up for the
# program", "advertisement") only count in their furniture phrasing.
_BOILER = re.compile(
    r"^\W*(subscribe|sign up|join us|register)\b|"
    r"\b(subscribe (now|today|here)|newsletters?|"
    r"sign(ing)? ?up (now|here|today|for (our|free)|to (our|receive))|"
    r"all rights reserved|copyright (\d|©)|"
    r"share (this (article|story|post)|on (facebook|twitter))|"
    r"share it with (a|your) friends?|(like|enjoy)(d|ed)? this (story|article)\?|"
    r"follow (us|@|\w+ on)|like us on|"
    r"read more|see more|read also|also read|you (may|might) also like|"
    r"related (stories|articles?|posts?|coverage|content|links?|news)|"
    r"recommended (for you|stories|articles|reading|videos?)|"
    r"most (read|popular|viewed|shared)|don'?t miss|more\b.{0,25}\bstories|"
    r"click here|tap here|leave a (comment|reply)|"
    r"sponsored (content|links?|stories|posts?)|"
    r"contributed (to this report|reporting)|additional reporting|reporting by|"
    r"editing by|writing by|filed under|non-commercial use|"
    r"if you (enjoyed|liked) this|error has occurred|try again later|"
    r"thank(s| you) for (reading|signing|subscribing)|"
    r"leggi anche|lesen sie auch|lire aussi|leia também|veja também|lea también|"
    r"ver también|mehr zum thema|lees ook|czytaj też|читайте также)\b"
    r"|©|^\W*(more from|tags|source|sources|fonte|quelle)\b\s*:?",
    re.IGNORECASE,
)
# Calls to act that never belong to an article, wherever they sit.
_PROMO = re.compile(
    r"^\W*(subscribe|sign up)\b|"
    r"\b(subscribe (now|today|here)|newsletters?|"
    r"sign(ing)? ?up (now|here|today|for (our|free)|to (our|receive))|"
    r"follow us|like us on|share this|if you (enjoyed|liked) this|"
    r"click here|download (our|the) app)\b",
    re.IGNORECASE,
)
# One-word section labels of page furniture.
_MARKER = re.compile(
    r"^\W*(\d+\s+)?(comments?|tags|share|related|advertisement|ad|print|email|more|"
    r"kommentare|commentaires|comentários|comentarios|commenti)\W*$",
    re.IGNORECASE,
)
# A "see also" teaser: a cue, then (mostly) a link.
_TEASER = re.compile(
    r"^\W*((read more|see more|read also|also read|also on|see also|don'?t miss|"
    r"more on this|leggi anche|lesen sie auch|lire aussi|leia também|veja também|"
    r"lea también|ver también|lees ook)\b"
    r"|(related|more|watch|listen)\b[^\n]{0,30}?[:|\-–—»])",
    re.IGNORECASE,
)

# --- blocks ----------------------------------------------------------------


@dataclass
class _Block:
    """One paragraph-level unit of extracted text."""

    text: str
    kind: str  # "p", "head", "item", "row", "quote" or "code"
    link_chars: int = 0

    @property
    def link_ratio(self) -> float:
        """Share of the block's characters that sit inside links."""
        return self.link_chars / max(1, len(self.text))

    @cached_property
    def words(self) -> int:
        """Length in words (see :func:`_size`)."""
        return _size(self.text)


# trafilatura's output vocabulary plus the HTML it passes through from its
# fallback extractors (readability, jusText), which keep raw markup.
_BLOCK_TAGS = {
    "p", "head", "item", "row", "quote", "list", "table", "div", "section",
    "article", "main", "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6",
    "blockquote", "tr", "td", "th", "cell", "dl", "dt", "dd",
    "header", "footer", "body", "center", "address",
}
# Raw-HTML subtrees that never hold article prose.
_SKIP_TAGS = {
    "script", "style", "graphic", "img", "figure", "figcaption", "aside", "nav",
    "form", "button", "noscript", "iframe", "svg", "select", "input", "template",
}
_HEAD_TAGS = {"head", "h1", "h2", "h3", "h4", "h5", "h6"}
_ITEM_TAGS = {"item", "li", "dt", "dd"}
_ROW_TAGS = {"row", "tr"}
_CELL_TAGS = {"cell", "td", "th"}
_QUOTE_TAGS = {"quote", "blockquote"}
_LINK_TAGS = {"ref", "a"}
_CODE_TAGS = {"pre", "code"}
# where <code> is a word in a sentence rather than a block of its own
_TEXT_TAGS = {
    "p", "head", "h1", "h2", "h3", "h4", "h5", "h6", "cell", "td", "th", "hi", "ref",
    "a", "span", "em", "strong", "b", "i", "li", "item", "dd", "dt", "quote",
    "blockquote",
}
_BREAK_TAGS = {"lb", "br"}


def _is_code_block(el: Any) -> bool:
    if el.tag == "pre":
        return True
    parent = el.getparent()
    return parent is None or parent.tag not in _TEXT_TAGS or "\n" in "".join(el.itertext()).strip()


def _clean(text: str) -> str:
    lines = (_WS.sub(" ", ln).strip() for ln in text.split("\n"))
    return "\n".join(ln for ln in lines if ln)


def _kind_of(tag: str) -> str:
    if tag in _HEAD_TAGS:
        return "head"
    if tag in _ITEM_TAGS:
        return "item"
    if tag in _QUOTE_TAGS:
        return "quote"
    if tag in _CODE_TAGS:
        return "code"
    return "p"


class _BlockBuilder:
    """Flattens trafilatura's output tree (or raw HTML) into blocks."""

    def __init__(self) -> None:
        self.blocks: list[_Block] = []
        self._parts: list[str] = []
        self._link = 0
        self._kind = "p"
        self._pre = 0  # depth of code blocks, whose line breaks are kept

    def flush(self) -> None:
        """Close the block being built, if it has any text."""
        raw = "".join(self._parts)
        if self._kind == "code":  # keep the indentation of code
            text = "\n".join(ln.rstrip() for ln in raw.split("\n") if ln.strip())
        else:
            text = _clean(raw)
        if text:
            self.blocks.append(_Block(text, self._kind, min(self._link, len(text))))
        self._parts, self._link, self._kind = [], 0, "p"

    def walk(self, el: Any, in_link: bool = False) -> None:
        """Add the text under ``el`` (and its tail) to the blocks."""
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag and tag not in _SKIP_TAGS:
            if tag in _ROW_TAGS:
                self._row(el)
            elif tag in _BLOCK_TAGS or (tag in _CODE_TAGS and _is_code_block(el)):
                self.flush()
                kind = self._kind = _kind_of(tag)
                self._pre += tag in _CODE_TAGS
                if el.text:
                    self._add(el.text, in_link)
                for child in el:
                    self.walk(child, in_link)
                    if not self._parts:
                        # a nested block closed ours; what follows is still ours
                        self._kind = kind
                self.flush()
                self._pre -= tag in _CODE_TAGS
            elif tag in _BREAK_TAGS:
                self._parts.append("\n")
            else:
                # a link to a place on the same page (a heading's permalink, a
                # footnote) is not a way out of the article
                target = str(el.get("target") or el.get("href") or "")
                link = in_link or (tag in _LINK_TAGS and not target.startswith("#"))
                if el.text:
                    self._add(el.text, link)
                for child in el:
                    self.walk(child, link)
        if el.tail:
            self._add(el.tail, in_link)

    def _row(self, el: Any) -> None:
        self.flush()
        cells = [_clean(" ".join(c.itertext())) for c in el if c.tag in _CELL_TAGS]
        cells = [c.replace("\n", " ") for c in cells if c]
        if cells:
            self._kind = "row"
            self._parts.append(" | ".join(cells))
        self.flush()

    def _add(self, text: str, in_link: bool) -> None:
        # newlines in markup are spaces (only <br>/<lb> break a line), except in code
        self._parts.append(text if self._pre else text.replace("\n", " "))
        if in_link:
            self._link += len(text.strip())


def _blocks(body: Any) -> list[_Block]:
    builder = _BlockBuilder()
    if body is not None:
        builder.walk(body)
        builder.flush()
    return builder.blocks


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.casefold())


def _key(text: str) -> str:
    """Text identity that ignores spacing: markup joins and splits words differently."""
    return "".join(_tokens(text))


def _size(text: str) -> int:
    """Length in words; scripts written without spaces count two characters a word."""
    return len(_tokens(text)) + len(_CJK.findall(text)) // 2


# --- page structure ----------------------------------------------------------


def _add_sibling_chunks(tree: Any, blocks: list[_Block]) -> list[_Block]:
    """Recover body chunks that the page splits across sibling containers.

    Some sites cut the article body into several containers of the same tag and
    class, interleaved with ads; trafilatura then keeps only the first one.
    """
    have = {_key(b.text) for b in blocks}
    order: dict[Any, int] = {}
    source: dict[str, int] = {}
    parents: dict[Any, int] = {}
    for i, el in enumerate(tree.iter()):
        order[el] = i
        if el.tag == "p":
            text = _key(el.text_content())
            if text in have:
                source.setdefault(text, i)
                parent = el.getparent()
                if parent is not None:
                    parents[parent] = parents.get(parent, 0) + 1
    extra: list[tuple[int, _Block]] = []
    taken: set[Any] = set()
    headlines = [order[h] for h in tree.iter("h1")]
    for parent in parents:
        cls = parent.get("class")
        if not cls:
            continue
        lineage = set(parent.iterancestors())
        near = set(list(parent.iterancestors())[:SIBLING_MAX_UP])
        article = next(parent.iterancestors("article"), None)
        for cand in tree.iter(parent.tag):
            if cand is parent or cand in taken or cand.get("class") != cls:
                continue
            up = list(cand.iterancestors())
            # nested containers of one class are one container, not siblings
            if cand in lineage or parent in up:
                continue
            if not any(a in near for a in up[:SIBLING_MAX_UP]):
                continue
            # a different <article>, or a new headline in between, means the
            # next story of an endless-scroll page, not more of this one
            if next(cand.iterancestors("article"), None) is not article:
                continue
            lo, hi = sorted((order[parent], order[cand]))
            if any(lo < h < hi for h in headlines):
                continue
            new = [b for b in _blocks(cand) if _key(b.text) not in have]
            prose = [b for b in new if b.kind == "p" and b.link_ratio < SIBLING_MAX_LINK]
            if len(prose) < SIBLING_MIN_PARAS:
                continue
            taken.add(cand)
            extra.extend((order[cand], b) for b in new)
            have.update(_key(b.text) for b in new)
    if not extra:
        return blocks
    placed: list[tuple[int, _Block]] = []
    pos = -1
    for b in blocks:
        pos = source.get(_key(b.text), pos)
        placed.append((pos, b))
    placed.extend(extra)
    placed.sort(key=lambda pb: pb[0])
    return [b for _, b in placed]


_SOURCE_TAGS = ("p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "td", "dd",
                "pre", "div", "ul", "ol", "section", "article", "main", "body")


def _source_map(tree: Any, blocks: list[_Block]) -> dict[str, Any]:
    """Block text key -> the first (outermost) page element with exactly that text."""
    wanted = {_key(b.text) for b in blocks}
    longest = max((len(b.text) for b in blocks), default=0)
    source: dict[str, Any] = {}
    for el in tree.iter(*_SOURCE_TAGS):
        text = el.text_content()
        # markup adds whitespace, never words: much longer elements cannot match
        if len(text) > SOURCE_SLACK * longest + 200:
            continue
        key = _key(text)
        if key in wanted:
            source.setdefault(key, el)
    return source


def _repair_links(blocks: list[_Block], source: dict[str, Any]) -> list[_Block]:
    """Restore link density for blocks whose links the extractor flattened.

    trafilatura's last-resort fallback returns bare text, so a menu it falls
    back on looks like prose; its page element still shows the links.
    """
    out = []
    for b in blocks:
        el = source.get(_key(b.text)) if b.link_chars == 0 else None
        if el is None:
            out.append(b)
            continue
        linked = sum(len(a.text_content().strip()) for a in el.iter("a")
                     if not str(a.get("href") or "").startswith("#"))
        out.append(_Block(b.text, b.kind, min(len(b.text), linked)))
    return out


def _scope_to_article(blocks: list[_Block], source: dict[str, Any], several: bool,
                      own_choice: Callable[[], set[str]]) -> list[_Block]:
    """Keep one article when the extraction strays into several <article> elements.

    Listing and "more like this" sections wrap every teaser in its own
    <article>; their text is not part of the story the page is about. Live
    blogs also wrap each post in an <article>, so text that trafilatura's own
    algorithm (``own_choice``: normalised texts of its no-fallback run) picked
    stays; only what its fallback extractors added from other articles goes.
    ``several`` says whether the page has two <article> elements or more.
    """
    if not several:
        return blocks
    owners: list[Any] = []
    size: dict[Any, int] = {}
    for b in blocks:
        el = source.get(_key(b.text))
        art = next(el.iterancestors("article"), None) if el is not None else None
        owners.append(art)
        if art is not None:
            size[art] = size.get(art, 0) + len(b.text)
    if len(size) < 2:
        return blocks
    main = max(size, key=lambda a: size[a])
    keep = own_choice()
    return [
        b for b, art in zip(blocks, owners, strict=True)
        if art is None or art is main or _key(b.text) in keep
    ]


# --- the lead: headline, dek, byline ---------------------------------------------


def _same_text(block: str, ref: str) -> bool:
    """True when ``block`` says the same as ``ref``, give or take a site suffix."""
    b, r = set(_tokens(block)), set(_tokens(ref))
    if not b or not r:
        return False
    common = len(b & r)
    return common / len(b) >= TITLE_MATCH and common / len(r) >= TITLE_COVER


def _title_candidates(tree: Any, title: str | None) -> list[str]:
    """The headline as the page states it: extracted title, social titles, <h1>s."""
    found = [title] if title else []
    for meta in tree.xpath(
        '//meta[@property="og:title" or @name="twitter:title" or @name="title"]'
    )[:3]:
        found.append(meta.get("content") or "")
    for h1 in tree.iter("h1"):
        found.append(h1.text_content())
        if len(found) > MAX_TITLES:
            break
    return [t for t in found if t.strip()]


_DEK_HINT = re.compile(r"dek|standfirst|sub-?title|subhead|summary|lede|intro|teaser|excerpt",
                       re.IGNORECASE)


def _dek_under_headline(tree: Any, titles: list[str]) -> str | None:
    """The dek printed right under the headline, when trafilatura left both out."""
    for h1 in tree.iter("h1"):
        if not any(_same_text(h1.text_content(), t) for t in titles):
            continue
        # the first element after the headline that carries text of its own
        for node in h1.xpath("following::*[position() <= 30]"):
            if node.tag in _SKIP_TAGS or not (node.text or "").strip():
                continue
            text = _clean(node.text_content()).replace("\n", " ")
            hint = " ".join(str(node.get(a) or "") for a in ("class", "itemprop", "id"))
            is_dek = node.tag in ("h2", "h3") or bool(_DEK_HINT.search(hint))
            if is_dek and DEK_MIN_WORDS <= _size(text) <= DEK_MAX_WORDS:
                return text
            return None
        return None
    return None


def _is_dateline(text: str) -> bool:
    """A short line carrying a date or byline, as printed above article bodies."""
    if _size(text) > DATELINE_MAX_WORDS:
        return False
    if _STAMP.match(text) or _DATE_NUM.search(text):
        return True
    words = text.split()
    if _BYLINE.match(text) and len(words) > 1 and words[1][:1].isupper():
        return True
    return bool(_YEAR.search(text)) and (bool(_TIME.search(text)) or _size(text) <= 6)


def _trim_lead(blocks: list[_Block], titles: list[str]) -> tuple[list[_Block], str | None]:
    """Drop the headline, its dek and the byline/date lines printed above the body.

    Returns the remaining blocks and the dek, if one was found.
    """
    title_at = next(
        (i for i, b in enumerate(blocks[:LEAD_WINDOW])
         if any(_same_text(b.text, t) for t in titles)),
        None,
    )
    start = 0
    # what precedes the headline is navigation: breadcrumbs, kickers, the URL
    if title_at is not None and all(b.words <= LEAD_NAV_MAX_WORDS for b in blocks[:title_at]):
        start = title_at + 1
    dek: str | None = None
    i = start
    while i < len(blocks):
        b = blocks[i]
        if i == title_at:
            pass
        elif (title_at is not None and i == start and b.kind == "head"
              and DEK_MIN_WORDS <= b.words <= DEK_MAX_WORDS):
            dek = b.text
        elif not (
            _is_dateline(b.text)
            or _URL_ONLY.match(b.text)
            # toolbar entries ("Print", "Order reprints") and breadcrumb links
            or (title_at is not None and b.kind == "item" and b.words <= 3)
            or (b.link_ratio >= JUNK_LINK_RATIO and b.words <= 3)
        ):
            break
        i += 1
    return blocks[i:], dek


# --- furniture ---------------------------------------------------------------


def _junk(b: _Block) -> float:
    """How strongly a block looks like page furniture (0 prose, 1 furniture)."""
    n = b.words
    if b.link_ratio >= FULL_LINK_RATIO:
        return 1.0  # prose is never all links, whatever its length
    if n > JUNK_MAX_WORDS:
        return 0.0
    if b.link_ratio >= JUNK_LINK_RATIO or _BOILER.search(b.text):
        return 1.0
    if _MARKER.match(b.text) or _URL_ONLY.match(b.text):
        return 1.0
    if b.kind == "item" and b.link_ratio >= ITEM_LINK_RATIO:
        return 1.0
    if n <= URL_LINE_MAX_WORDS and _HAS_URL.search(b.text):
        return 1.0
    if n <= TINY_WORDS:
        return TINY_JUNK
    return 0.0


def _junk_scores(blocks: list[_Block]) -> list[float]:
    """Junk score per block; a short block between two furniture blocks is furniture.

    A teaser line between two links, or a promo sentence between two sign-up
    prompts, reads like prose on its own but is furniture in context.
    """
    raw = [_junk(b) for b in blocks]
    out = list(raw)
    for i in range(1, len(blocks) - 1):
        if blocks[i].words <= SMOOTH_MAX_WORDS and min(raw[i - 1], raw[i + 1]) >= 1.0:
            out[i] = 1.0
    return out


def _gain(b: _Block, score: float) -> float:
    return (score - 0.5) * min(b.words or 1, WEIGHT_CAP)


def _trim_edges(blocks: list[_Block]) -> list[_Block]:
    """Cut the prefix and the suffix of furniture that score the highest junk surplus."""
    scores = _junk_scores(blocks)
    best, end, acc = 0.0, len(blocks), 0.0
    for i in range(len(blocks) - 1, -1, -1):
        acc += _gain(blocks[i], scores[i])
        if acc > best:
            best, end = acc, i
    best, start, acc = 0.0, 0, 0.0
    for i in range(end):
        acc += _gain(blocks[i], scores[i])
        if acc > best:
            best, start = acc, i + 1
    return blocks[start:end]


def _drop_inline(blocks: list[_Block]) -> list[_Block]:
    """Drop teaser links, calls to act and link boxes that interrupt the body."""
    out: list[_Block] = []
    cue = False  # the previous block was a short furniture cue ("Don't miss")
    for b in blocks:
        n = b.words
        linked = b.link_ratio >= INLINE_LINK_RATIO
        is_cue = n <= MARKER_MAX_WORDS and bool(_BOILER.search(b.text) or _MARKER.match(b.text))
        drop = (
            is_cue
            or (linked and (cue or _TEASER.match(b.text) is not None))
            or (linked and n <= INLINE_MAX_WORDS and _BOILER.search(b.text) is not None)
            or (n <= INLINE_MAX_WORDS and _PROMO.search(b.text) is not None)
        )
        cue = is_cue
        if not drop:
            out.append(b)
    return out


def _dedupe(blocks: list[_Block]) -> list[_Block]:
    """Drop a block repeating the one before it (e.g. a table header given twice)."""
    out: list[_Block] = []
    for b in blocks:
        if not out or b.text != out[-1].text:
            out.append(b)
    return out


def _run_trafilatura(tree: Any, url: str | None, **options: Any) -> Any:
    """trafilatura's result (a ``Document``) for the page, or None."""
    import trafilatura

    try:
        return trafilatura.bare_extraction(
            tree,
            url=url,
            include_comments=False,
            include_links=True,  # link density tells teasers from prose
            include_formatting=False,
            include_tables=True,
            **options,
        )
    except (ValueError, TypeError) as exc:  # trafilatura's own "cannot parse" signals
        LOGGER.debug("trafilatura failed on %s: %s", url, exc)
        return None


def _candidate_blocks(tree: Any, doc: Any, url: str | None = None) -> list[_Block]:
    """trafilatura's blocks with the page structure repaired (threshold-free part)."""
    blocks = _blocks(doc.body) if doc is not None else []
    if not blocks:
        return []

    def own_choice() -> set[str]:
        own = _run_trafilatura(tree, url, fast=True)
        return {_key(b.text) for b in _blocks(own.body)} if own is not None else set()

    blocks = _add_sibling_chunks(tree, blocks)
    source = _source_map(tree, blocks)
    blocks = _repair_links(blocks, source)
    several = len(tree.xpath("(//article)[position() <= 2]")) >= 2
    return _scope_to_article(blocks, source, several, own_choice)


def _clean_blocks(blocks: list[_Block], titles: list[str]) -> tuple[list[_Block], str | None]:
    """Strip the lead and the furniture from candidate blocks; return them and the dek."""
    if not blocks:
        return [], None
    blocks, dek = _trim_lead(blocks, titles)
    blocks = _drop_inline(blocks)
    blocks = _trim_edges(blocks)
    return _dedupe(blocks), dek


def _render(blocks: list[_Block]) -> str:
    """Plain text: blank lines between paragraphs, a table's rows on single lines."""
    parts: list[str] = []
    for prev, b in zip([None, *blocks], blocks, strict=False):
        sep = "\n" if prev is not None and prev.kind == b.kind == "row" else "\n\n"
        parts.append(b.text if prev is None else sep + b.text)
    return "".join(parts)


# --- metadata ------------------------------------------------------------------


def _find_date(tree: Any, url: str | None) -> tuple[str | None, bool]:
    """Publication date and whether it was only estimated.

    A date found without htmldate's extensive search and without the URL comes
    from the page's own date markup; anything found later is a guess.
    """
    from htmldate import find_date

    try:
        # url="" keeps htmldate from reading the date off the (canonical) URL
        found = find_date(tree, extensive_search=False, original_date=True, url="")
        if found:
            return found, False
        guess = find_date(tree, extensive_search=True, original_date=True, url=url)
    except (ValueError, TypeError, OverflowError) as exc:  # malformed dates in htmldate
        LOGGER.debug("htmldate failed: %s", exc)
        return None, False
    return (guess, True) if guess else (None, False)


def _authors(raw: str | None) -> list[str]:
    names: list[str] = []
    for part in (raw or "").split(";"):
        name = _WS.sub(" ", part).strip()
        if name and name not in names:
            names.append(name)
    return names


def _language(tree: Any, doc: Any) -> str | None:
    lang = getattr(doc, "language", None) or tree.get("lang") or ""
    if not lang:
        for meta in tree.xpath('//meta[@property="og:locale"]/@content')[:1]:
            lang = str(meta)
    primary = re.split(r"[-_]", lang.strip())[0].lower()
    return primary if re.fullmatch(r"[a-z]{2,3}", primary) else None


def _text_or_none(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


# --- entry point ---------------------------------------------------------------


def extract_html(html: str, *, url: str | None = None) -> HtmlExtraction:
    """Extract the article from an HTML page."""
    import trafilatura

    tree = trafilatura.load_html(html) if html and html.strip() else None
    if tree is None:
        return HtmlExtraction(body="", url=url)
    notes = _footnotes(tree)
    related = _related(tree)
    doc = _run_trafilatura(tree, url, with_metadata=True)
    titles = _title_candidates(tree, getattr(doc, "title", None))
    blocks, dek = _clean_blocks(_candidate_blocks(tree, doc, url), titles)
    if dek is None:
        dek = _dek_under_headline(tree, titles)
    date, estimated = _find_date(tree, url)
    return HtmlExtraction(
        body=_render(blocks),
        title=_text_or_none(getattr(doc, "title", None)),
        subtitle=dek,
        authors=_authors(getattr(doc, "author", None)),
        date=date,
        date_estimated=estimated,
        sitename=_text_or_none(getattr(doc, "sitename", None)),
        url=url or _text_or_none(getattr(doc, "url", None)),
        language=_language(tree, doc),
        headings=[b.text for b in blocks if b.kind == "head"],
        description=_text_or_none(getattr(doc, "description", None)),
        footnotes=notes,
        related=related,
    )


_RELATED_XPATH = ("//*[self::section or self::aside or self::div or self::ul or self::nav]"
                  "[contains(translate(@class,'RELATED','related'),'related') or "
                  "contains(translate(@id,'RELATED','related'),'related')]")
# Link texts of this many words are article titles; shorter ones are "More" or tags.
RELATED_MIN_WORDS = 3
RELATED_MAX_WORDS = 30


def _related(tree: Any) -> list[dict[str, str | None]]:
    """Read teasers from the page's related-articles blocks: title, author and date."""
    containers = list(tree.xpath(_RELATED_XPATH))
    headers = lexicon().related_headers
    for heading in tree.xpath("//section/*[self::h2 or self::h3 or self::h4][1] | "
                              "//aside/*[self::h2 or self::h3 or self::h4][1]"):
        label = _clean(heading.text_content()).lower().rstrip(":")
        if any(label == h or label.startswith(h + " ") for h in headers):
            containers.append(heading.getparent())
    outermost = [c for c in containers
                 if not any(o is not c and c in o.iterdescendants() for o in containers)]
    found: list[dict[str, str | None]] = []
    seen: set[str] = set()
    for container in outermost:
        for link in container.iter("a"):
            title = _clean(link.text_content())
            if not RELATED_MIN_WORDS <= len(title.split()) <= RELATED_MAX_WORDS or title in seen:
                continue
            seen.add(title)
            item = link
            while item.getparent() is not None and item.getparent() is not container:
                item = item.getparent()
            authors = item.xpath(".//*[contains(@class,'author') or @rel='author']")
            times = item.xpath(".//time/@datetime")
            date = str(times[0])[:10] if times and re.match(r"\d{4}-\d{2}-\d{2}",
                                                              str(times[0])) else None
            found.append({"title": title,
                          "author": _clean(authors[0].text_content()) if authors else None,
                          "date": date})
    return found


# Footnote lists as publishing tools and the DPUB-ARIA roles mark them up:
# <li id="fn-1">, <li id="footnote-2">, role="doc-endnote", class="footnote(s)".
_NOTE_XPATH = ("//li[starts-with(@id,'fn') or starts-with(@id,'footnote')] | "
               "//*[@role='doc-endnote' or @role='doc-footnote']")
_BACKLINK = re.compile(r"\s*[↩↑⤴^]\ufe0e?\s*$")


def _footnotes(tree: Any) -> list[tuple[str, str]]:
    """Return (marker, text) for each note in the page's footnote list."""
    notes: list[tuple[str, str]] = []
    for position, element in enumerate(tree.xpath(_NOTE_XPATH), 1):
        text = _BACKLINK.sub("", _clean(element.text_content()))
        if len(text) < MIN_NOTE_CHARS:
            continue
        digits = re.findall(r"\d+", element.get("id") or "")
        notes.append((digits[-1] if digits else str(position), text))
    return notes
