"""HTML extraction: trafilatura and htmldate, mapped to our fields.

Owner of the body-quality work on ``../shared/eval/extraction-dev/html``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import trafilatura
from lxml import etree
from lxml.html import HtmlElement

__all__ = ["HtmlExtraction", "extract_html"]


@dataclass
class HtmlExtraction:
    """What the HTML path recovers from one page.

    ``body`` is plain text, paragraphs separated by a blank line; ``headings``
    lists the paragraphs of ``body`` that are section headings (same text).
    ``date`` is ISO ``YYYY-MM-DD`` or None; ``date_estimated`` is True when the
    date was inferred (e.g. from the URL or copyright) rather than printed as the
    publication date.
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


@dataclass
class _Block:
    """One paragraph-level unit of extracted text."""

    text: str
    kind: str  # "p", "head", "item", "row", "quote"
    link_chars: int = 0

    @property
    def link_ratio(self) -> float:
        """Share of the block's characters that sit inside links."""
        return self.link_chars / max(1, len(self.text))


TITLE_MATCH = 0.8
TITLE_COVER = 0.6
DATELINE_MAX_WORDS = 14
LEAD_WINDOW = 5
LEAD_NAV_MAX_WORDS = 25
DEK_MIN_WORDS = 6
MAX_TITLES = 8
JUNK_LINK_RATIO = 0.5
JUNK_MAX_WORDS = 40
TINY_WORDS = 3
TINY_JUNK = 0.6
WEIGHT_CAP = 50
INLINE_LINK_RATIO = 0.5
INLINE_MAX_WORDS = 15
MARKER_MAX_WORDS = 6
SMOOTH_MAX_WORDS = 25
ITEM_LINK_RATIO = 0.3
URL_LINE_MAX_WORDS = 20
OPT: dict[str, Any] = {}
SIBLING_MAX_UP = 4
SIBLING_MIN_PARAS = 3
SIBLING_MAX_LINK = 0.3

_WS = re.compile(r"[ \t\r\f\v\u00a0\u200b]+")
_BLOCK_TAGS = {
    "p", "head", "item", "row", "quote", "list", "table", "div", "section",
    "article", "main", "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6",
    "blockquote", "pre", "code", "tr", "td", "th", "cell", "dl", "dt", "dd",
    "figure", "figcaption", "header", "footer", "aside", "form", "body",
}
# raw-HTML subtrees that never hold article prose (trafilatura output has none)
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
_BREAK_TAGS = {"lb", "br"}


def _clean(text: str) -> str:
    lines = (_WS.sub(" ", ln).strip() for ln in text.split("\n"))
    return "\n".join(ln for ln in lines if ln)


class _BlockBuilder:
    """Flattens trafilatura's output tree (or raw HTML) into blocks."""

    def __init__(self) -> None:
        self.blocks: list[_Block] = []
        self._parts: list[str] = []
        self._link = 0
        self._kind = "p"

    def flush(self) -> None:
        text = _clean("".join(self._parts))
        if text:
            link = min(self._link, len(text))
            self.blocks.append(_Block(text, self._kind, link))
        self._parts, self._link, self._kind = [], 0, "p"

    def walk(self, el: Any, in_link: bool = False) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in _SKIP_TAGS or not tag:
            if el.tail:
                self._add(el.tail, in_link)
            return
        if tag in _ROW_TAGS:
            self.flush()
            cells = [_clean(" ".join(c.itertext())) for c in el if c.tag in _CELL_TAGS]
            cells = [c.replace("\n", " ") for c in cells if c]
            if cells:
                self._kind = "row"
                self._parts.append(" | ".join(cells))
            self.flush()
        elif tag in _BLOCK_TAGS:
            self.flush()
            kind = (
                "head" if tag in _HEAD_TAGS
                else "item" if tag in _ITEM_TAGS
                else "quote" if tag in _QUOTE_TAGS
                else "p"
            )
            self._kind = kind
            if el.text:
                self._add(el.text, in_link)
            for child in el:
                self.walk(child, in_link)
                if self._kind == "p" and not self._parts:
                    self._kind = kind
            self.flush()
        elif tag in _BREAK_TAGS:
            self._parts.append("\n")
        else:
            link = in_link or tag in _LINK_TAGS
            if el.text:
                self._add(el.text, link)
            for child in el:
                self.walk(child, link)
        if el.tail and tag not in _ROW_TAGS:
            self._add(el.tail, in_link)

    def _add(self, text: str, in_link: bool) -> None:
        self._parts.append(text)
        if in_link:
            self._link += len(text.strip())


def _blocks(body: Any) -> list[_Block]:
    builder = _BlockBuilder()
    if body is not None:
        builder.walk(body)
        builder.flush()
    return builder.blocks


def _run(tree: HtmlElement, url: str | None, **kwargs: Any) -> Any:
    return trafilatura.bare_extraction(
        tree,
        url=url,
        include_comments=False,
        include_links=True,
        include_formatting=False,
        **kwargs,
    )


_TOKEN = re.compile(r"\w+")


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.casefold())


def _same_text(block: str, ref: str | None) -> bool:
    """True when ``block`` says the same as ``ref`` (title, dek) give or take a site suffix."""
    if not ref:
        return False
    b, r = set(_tokens(block)), set(_tokens(ref))
    if not b or not r:
        return False
    common = len(b & r)
    return common / len(b) >= TITLE_MATCH and common / len(r) >= TITLE_COVER


_URL_ONLY = re.compile(r"^(https?://|www\.)\S+$")
_DATE_NUM = re.compile(r"\b\d{1,4}[./-]\d{1,2}[./-]\d{1,4}\b")
_YEAR = re.compile(r"\b(19|20)\d\d\b")
_TIME = re.compile(r"\b\d{1,2}[:h]\d\d\b")
_BYLINE = re.compile(
    r"^(by|von|par|por|di|door|updated|published|posted|publicado|"
    r"pubblicato|veröffentlicht|aktualisiert)\b[\s:]",
    re.IGNORECASE,
)


def _is_dateline(text: str) -> bool:
    """A short line carrying a date or byline, as printed above article bodies."""
    words = _tokens(text)
    if _size(text) > DATELINE_MAX_WORDS:
        return False
    if _BYLINE.match(text):
        return True
    return bool(_DATE_NUM.search(text)) or (
        bool(_YEAR.search(text)) and (bool(_TIME.search(text)) or len(words) <= 6)
    )


def _title_candidates(tree: HtmlElement, title: str | None) -> list[str]:
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


def _is_title(text: str, titles: list[str]) -> bool:
    return any(_same_text(text, t) for t in titles)


def _trim_lead(blocks: list[_Block], titles: list[str]) -> tuple[list[_Block], str | None]:
    """Drop the headline, its dek and the byline/date lines printed above the body.

    Returns the remaining blocks and the dek, if one was found.
    """
    window = blocks[:LEAD_WINDOW]
    title_at = next((i for i, b in enumerate(window) if _is_title(b.text, titles)), None)
    start = 0
    dek: str | None = None
    if title_at is not None:
        # what precedes the headline is navigation: breadcrumbs, kickers, the URL
        if all(len(_tokens(b.text)) <= LEAD_NAV_MAX_WORDS for b in blocks[:title_at]):
            start = title_at + 1
    i = start
    while i < len(blocks):
        b = blocks[i]
        if i == title_at:
            i += 1
        elif title_at is not None and b.kind == "head" and dek is None and i == start and len(_tokens(b.text)) >= DEK_MIN_WORDS:
            dek = b.text
            i += 1
        elif _is_dateline(b.text) or _URL_ONLY.match(b.text) or (b.kind == "item" and len(_tokens(b.text)) <= 3 and title_at is not None) or (b.link_ratio >= 0.5 and len(_tokens(b.text)) <= 3):
            i += 1
        else:
            break
    return blocks[i:], dek


def _norm(text: str) -> str:
    return " ".join(_tokens(text))


def _add_sibling_chunks(tree: HtmlElement, blocks: list[_Block]) -> list[_Block]:
    """Recover body chunks that the page splits across sibling containers.

    Some sites cut the article body into several containers of the same tag and
    class, interleaved with ads; trafilatura then keeps only the first one.
    """
    have = {_norm(b.text) for b in blocks}
    order: dict[Any, int] = {}
    source: dict[str, int] = {}
    parents: dict[Any, int] = {}
    for i, el in enumerate(tree.iter()):
        order[el] = i
        if el.tag == "p":
            t = _norm(el.text_content())
            if t in have:
                source.setdefault(t, i)
                parent = el.getparent()
                if parent is not None:
                    parents[parent] = parents.get(parent, 0) + 1
    extra: list[tuple[int, _Block]] = []
    taken: set[Any] = set()
    for parent in parents:
        cls = parent.get("class")
        if not cls:
            continue
        near = set(list(parent.iterancestors())[:SIBLING_MAX_UP])
        for cand in tree.iter(parent.tag):
            if cand is parent or cand in taken or cand.get("class") != cls:
                continue
            if not any(a in near for a in list(cand.iterancestors())[:SIBLING_MAX_UP]):
                continue
            new = [b for b in _blocks(cand) if _norm(b.text) not in have]
            paras = [b for b in new if b.kind == "p" and b.link_ratio < SIBLING_MAX_LINK]
            if len(paras) < SIBLING_MIN_PARAS:
                continue
            taken.add(cand)
            base = order[cand]
            extra.extend((base, b) for b in new)
            have.update(_norm(b.text) for b in new)
    if not extra:
        return blocks
    placed: list[tuple[int, _Block]] = []
    pos = -1
    for b in blocks:
        pos = source.get(_norm(b.text), pos)
        placed.append((pos, b))
    placed.extend(extra)
    placed.sort(key=lambda pb: pb[0])
    return [b for _, b in placed]


# Phrases of page furniture: promotion, navigation, sharing, credits. Generic web
# boilerplate in the languages we meet most, no site names.
_BOILER = re.compile(
    r"\b(subscrib\w*|newsletters?|sign(ing)? ?up|all rights reserved|copyright|"
    r"share (this|it|on|via)|follow (us|@|\w+ on)|like us on|"
    r"read more|see more|read also|also read|more from|you (may|might) also like|"
    r"related (stories|articles?|posts?|coverage|content|links?|news)|"
    r"recommended|most (read|popular|viewed|shared)|don'?t miss|more stories|"
    r"click here|tap here|leave a (comment|reply)|"
    r"advertisement|sponsored|contributed (to this report|reporting)|"
    r"additional reporting|reporting by|editing by|writing by|filed under|tags|"
    r"non-commercial use|if you (enjoyed|liked) this|more\b.{0,25}\bstories|"
    r"^(source|sources|fonte|quelle)\s*:|"
    r"error has occurred|try again later|thank you for|thanks for (reading|signing)|"
    r"leggi anche|lesen sie auch|lire aussi|leia também|veja também|lea también|"
    r"ver también|mehr zum thema|lees ook|czytaj też|читайте также)\b"
    r"|©",
    re.IGNORECASE,
)
_HAS_URL = re.compile(r"https?://|www\.\w")
# calls to act that never belong to an article, wherever they sit
_PROMO = re.compile(
    r"\b(subscrib\w*|newsletters?|sign(ing)? ?up|follow us|like us on|share this|"
    r"if you (enjoyed|liked) this|click here|download (our|the) app)\b",
    re.IGNORECASE,
)
# one-word section labels of page furniture
_MARKER = re.compile(
    r"^\W*(\d+\s+)?(comments?|tags|share|related|advertisement|ad|print|email|more|"
    r"kommentare|commentaires|comentários|comentarios|commenti)\W*$",
    re.IGNORECASE,
)
# a "see also" teaser: a cue, then (mostly) a link
_TEASER = re.compile(
    r"^\W*((read more|see more|read also|also read|also on|see also|don'?t miss|"
    r"more on this|leggi anche|lesen sie auch|lire aussi|leia também|veja também|"
    r"lea también|ver también|lees ook)\b"
    r"|(related|more|watch|listen)\b[^\n]{0,30}?[:|\-–—»])",
    re.IGNORECASE,
)


_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")


def _size(text: str) -> int:
    """Length in words; scripts written without spaces count two characters a word."""
    return len(_tokens(text)) + len(_CJK.findall(text)) // 2


def _words(b: _Block) -> int:
    return _size(b.text)


def _junk(b: _Block) -> float:
    """How strongly a block looks like page furniture (0 prose, 1 furniture)."""
    n = _words(b)
    if n > JUNK_MAX_WORDS:
        return 0.0
    if b.link_ratio >= JUNK_LINK_RATIO or _BOILER.search(b.text):
        return 1.0
    # headline lists link only the headline, not its teaser line
    if b.kind == "item" and b.link_ratio >= ITEM_LINK_RATIO:
        return 1.0
    if n <= URL_LINE_MAX_WORDS and _HAS_URL.search(b.text):
        return 1.0
    if _MARKER.match(b.text) or _URL_ONLY.match(b.text):
        return 1.0
    if n <= TINY_WORDS:
        return TINY_JUNK
    return 0.0


def _junk_scores(blocks: list[_Block]) -> list[float]:
    """Junk score per block, with short blocks taking the colour of their neighbours.

    A teaser line between two links, or a promo sentence between two sign-up
    prompts, reads like prose on its own but is furniture in context.
    """
    raw = [_junk(b) for b in blocks]
    out = list(raw)
    for i in range(1, len(blocks) - 1):
        if _words(blocks[i]) <= SMOOTH_MAX_WORDS and min(raw[i - 1], raw[i + 1]) >= 1.0:
            out[i] = 1.0
    return out


def _weight(b: _Block) -> int:
    return min(_words(b) or 1, WEIGHT_CAP)


def _trim_tail(blocks: list[_Block]) -> list[_Block]:
    """Cut the trailing run of furniture: the suffix with the most junk surplus."""
    scores = _junk_scores(blocks)
    best, best_at, acc = 0.0, len(blocks), 0.0
    for i in range(len(blocks) - 1, -1, -1):
        acc += (scores[i] - 0.5) * _weight(blocks[i])
        if acc > best:
            best, best_at = acc, i
    return blocks[:best_at]


def _trim_head(blocks: list[_Block]) -> list[_Block]:
    """Cut the leading run of furniture: the prefix with the most junk surplus."""
    scores = _junk_scores(blocks)
    best, best_at, acc = 0.0, 0, 0.0
    for i, b in enumerate(blocks):
        acc += (scores[i] - 0.5) * _weight(b)
        if acc > best:
            best, best_at = acc, i + 1
    return blocks[best_at:]


def _drop_inline(blocks: list[_Block]) -> list[_Block]:
    """Drop teaser links and promotion boxes that interrupt the body."""
    out = []
    for i, b in enumerate(blocks):
        n = _words(b)
        if b.link_ratio >= INLINE_LINK_RATIO and (
            _TEASER.match(b.text) or (n <= INLINE_MAX_WORDS and _BOILER.search(b.text))
        ):
            continue
        if n <= INLINE_MAX_WORDS and _PROMO.search(b.text):
            continue
        # a short cue such as "Most read" or "Don't miss" heads a box of links
        if n <= MARKER_MAX_WORDS and (_BOILER.search(b.text) or _MARKER.match(b.text)):
            continue
        # ...and the links that follow such a cue go with it
        if (
            out is not None
            and i > 0
            and b.link_ratio >= INLINE_LINK_RATIO
            and _words(blocks[i - 1]) <= MARKER_MAX_WORDS
            and _BOILER.search(blocks[i - 1].text)
        ):
            continue
        out.append(b)
    return out


_SOURCE_TAGS = ("p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "td", "dd", "pre", "div")


def _article_of(el: Any) -> Any:
    return next(el.iterancestors("article"), None)


def _scope_to_article(tree: HtmlElement, blocks: list[_Block]) -> list[_Block]:
    """Keep one article when the extraction strays into several <article> elements.

    Listing and "more like this" pages wrap every teaser in its own <article>;
    text from the teasers is not part of the story the page is about.
    """
    if len(tree.xpath("//article[1]|//article[2]")) < 2:
        return blocks
    source: dict[str, Any] = {}
    for el in tree.iter(*_SOURCE_TAGS):
        source.setdefault(_norm(el.text_content()), el)
    owner: list[Any] = []
    size: dict[Any, int] = {}
    for b in blocks:
        el = source.get(_norm(b.text))
        art = _article_of(el) if el is not None else None
        owner.append(art)
        if art is not None:
            size[art] = size.get(art, 0) + len(b.text)
    if len(size) < 2:
        return blocks
    main = max(size, key=lambda a: size[a])
    return [b for b, art in zip(blocks, owner, strict=True) if art is None or art is main]


def extract_html(html: str, *, url: str | None = None) -> HtmlExtraction:
    """Extract the article from an HTML page."""
    tree = trafilatura.load_html(html)
    if tree is None:
        return HtmlExtraction(body="", url=url)
    doc = _run(tree, url, with_metadata=True)
    blocks = _blocks(doc.body) if doc is not None else []
    if blocks:
        blocks = _add_sibling_chunks(tree, blocks)
        blocks = _scope_to_article(tree, blocks)
    title = getattr(doc, "title", None)
    blocks, dek = _trim_lead(blocks, _title_candidates(tree, title))
    if OPT.get("inline", True):
        blocks = _drop_inline(blocks)
    if OPT.get("tail", True):
        blocks = _trim_tail(blocks)
    if OPT.get("head", True):
        blocks = _trim_head(blocks)
    body = "\n\n".join(b.text for b in blocks)
    headings = [b.text for b in blocks if b.kind == "head"]
    return HtmlExtraction(
        body=body,
        title=getattr(doc, "title", None),
        headings=headings,
        subtitle=dek,
        url=url,
    )


_ = etree
