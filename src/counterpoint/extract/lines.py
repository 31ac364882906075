"""Line features for text dumps: what each line of a scraped page looks like.

A text dump has one block of the page per line. Whether a line belongs to the
article is read from its own shape (length, sentence punctuation, words that
page chrome is made of) and from its neighbours (see :mod:`.body`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from counterpoint.errors import ConfigError

__all__ = ["Lexicon", "Line", "is_date_line", "is_name_line", "lexicon", "make_lines"]

WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*|\d+(?:[.,:]\d+)*", re.UNICODE)
# Scripts written without spaces: count two characters as one word.
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
SENTENCE_END = re.compile(r"[.!?。！？…:;]['\"”’»)\]]*$")
SENTENCE_INSIDE = re.compile(r"[.!?。！？][\"”’»)]?\s+\S")
# Credits and link labels that mark a caption or a teaser wherever the line is:
# "... (Image: GETTY)", "... Photo: Jane Doe, AP", "Headline [VIDEO]".
CREDIT = re.compile(
    r"\((?:image|photo|picture|pic|credit|source|foto|bild)s?\s*:[^)]*\)\s*$"
    r"|(?:^|\s)(?:photo|image|credit|foto|bild)s?\s*:\s*[^.!?]{2,60}$"
    r"|\[(?:video|insight|reaction|pics|pictures|photos|gallery|live|poll|quiz)\]\W*$"
    r"|\b(?:getty images|afp via getty|shutterstock|reuters/|ap photo)\b"
    r"|\((?:[^()]*/\s*)?(?:file|pool|handout|archive)(?: photo)?\)\s*$"
    r"|^\d+\s*(?:-\s*)?min(?:ute)?s?\.?\s+read$",
    re.IGNORECASE,
)
URL = re.compile(r"https?://\S+|www\.\S+|\S+\.(?:com|org|net)/\S*")

MONTHS = (
    "jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    "sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|"
    "januar|februar|märz|mai|juni|juli|oktober|dezember|"
    "janvier|février|mars|avril|juin|juillet|août|septembre|octobre|novembre|décembre|"
    "enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre|"
    "januari|februari|maj|augusti"
)
_DATE_PARTS = [
    rf"\b\d{{1,2}}(?:st|nd|rd|th)?\.?\s+(?:{MONTHS})\.?,?\s+\d{{4}}\b",
    rf"\b(?:{MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\b",
    r"\b\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?\b",
    r"\b\d{1,2}[./]\d{1,2}[./]\d{2,4}\b",
    r"\b\d{4}/\d{1,2}/\d{1,2}\b",
    r"\d{4}年\d{1,2}月\d{1,2}日",
]
DATE = re.compile("|".join(_DATE_PARTS), re.IGNORECASE)
# Words that may surround a date on a dateline ("Updated 1:39 am EST, Wednesday, ...").
DATE_FILLER = re.compile(
    r"\b(?:published|updated|posted|last|modified|on|at|am|pm|a\.m\.|p\.m\.|"
    r"e[sd]t|c[sd]t|p[sd]t|gmt|utc|cet|cest|bst|msk|"
    r"mon(?:day)?|tue(?:sday)?|wed(?:nesday)?|thu(?:rsday)?|fri(?:day)?|sat(?:urday)?|"
    r"sun(?:day)?|veröffentlicht|aktualisiert|publié|publicado|publicerad|uppdaterad|"
    r"le|am|um|el|den|kl|uhr|h|by|und|and|\d{1,2}[:.]\d{2}|\|)\b",
    re.IGNORECASE,
)
NAME_TOKEN = re.compile(r"^(?:[A-ZÀ-ÖØ-Þ][\w'’\-.]*|von|van|de|der|den|da|di|du|la|le|al|bin|el)$")


@dataclass(frozen=True)
class Lexicon:
    """Chrome vocabulary loaded from ``data/chrome.yaml``."""

    chrome_words: frozenset[str]
    chrome_prefixes: tuple[str, ...]
    related_headers: frozenset[str]


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """Load the chrome lexicon once; fail loudly when it is empty or malformed."""
    text = resources.files("counterpoint.data").joinpath("chrome.yaml").read_text("utf-8")
    data: dict[str, Any] = yaml.safe_load(text) or {}
    parts = {}
    for key in ("chrome_words", "chrome_prefixes", "related_headers"):
        values = data.get(key)
        if not isinstance(values, list) or not values:
            raise ConfigError(f"data/chrome.yaml: '{key}' must be a non-empty list")
        parts[key] = [str(v).lower() for v in values]
    return Lexicon(frozenset(parts["chrome_words"]), tuple(parts["chrome_prefixes"]),
                   frozenset(parts["related_headers"]))


@dataclass
class Line:
    """One non-empty line of a text dump with its features."""

    index: int          # position among the dump's lines (0-based, blank lines counted)
    text: str           # stripped
    words: float        # word count; CJK characters count half a word
    sentence_end: bool  # ends like a sentence
    sentences: int      # sentence boundaries inside the line
    chrome: bool        # made of chrome words or starts with a chrome prefix
    date: bool          # the line is essentially a date
    name: bool          # the line is essentially a person's name
    url: bool           # the line is or holds a URL
    repeated: bool      # the same text appears on another line of the dump
    upper: bool         # written in capitals (a heading or a label)


def word_count(text: str) -> float:
    """Count words; in CJK text, two characters make a word."""
    cjk = len(CJK.findall(text))
    return len(WORD.findall(CJK.sub(" ", text))) + cjk / 2


def is_chrome(text: str, lex: Lexicon | None = None) -> bool:
    """True for share bars, menus, credits and similar lines."""
    lex = lex or lexicon()
    lower = text.lower()
    if lower.startswith(lex.chrome_prefixes) or CREDIT.search(text):
        return True
    tokens = re.findall(r"[\w&@'’\-]+", lower)
    if not tokens or len(tokens) > 8:
        return False
    return sum(t in lex.chrome_words for t in tokens) / len(tokens) >= 0.75


def is_date_line(text: str) -> bool:
    """True when the line is a date, maybe with 'Published', a weekday or a time."""
    if len(text) > 80:
        return False
    match = DATE.search(text)
    if not match:
        return False
    if match.start() <= 16 and len(text.split()) <= 12:
        return True  # "March 21, 2023 8:47 PM GMT Updated 2 hours ago"
    rest = DATE.sub(" ", text)
    rest = DATE_FILLER.sub(" ", rest)
    return len(re.findall(r"[^\W\d_]{2,}", rest)) <= 1


def is_name_line(text: str) -> bool:
    """True when the line reads like a person's name ("Wolfgang Mandelbaum", "By Ann Lee")."""
    text = re.sub(r"^(?:by|von|par|por|av|de)\s+", "", text.strip(), flags=re.IGNORECASE)
    tokens = text.replace(",", " , ").split()
    if not 2 <= len(tokens) <= 5 or any(t == "," for t in tokens):
        return False
    if not tokens[0][0].isupper() or not tokens[-1][0].isupper():
        return False
    return all(NAME_TOKEN.match(t) for t in tokens) and not SENTENCE_END.search(text)


def make_lines(text: str) -> list[Line]:
    """Split a dump into non-empty lines with their features."""
    raw = text.splitlines()
    stripped = [" ".join(line.split()) for line in raw]
    counts: dict[str, int] = {}
    for line in stripped:
        if line:
            counts[line] = counts.get(line, 0) + 1
    lex = lexicon()
    lines = []
    for index, line in enumerate(stripped):
        if not line:
            continue
        letters = [c for c in line if c.isalpha()]
        lines.append(Line(
            index=index,
            text=line,
            words=word_count(line),
            sentence_end=bool(SENTENCE_END.search(line)),
            sentences=len(SENTENCE_INSIDE.findall(line)),
            chrome=is_chrome(line, lex),
            date=is_date_line(line),
            name=is_name_line(line),
            url=bool(URL.search(line)),
            repeated=counts[line] > 1,
            upper=len(letters) >= 3 and all(c.isupper() for c in letters if c.isalpha()),
        ))
    return lines
