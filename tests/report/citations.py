"""Read a rendered brief back and check that every statement is cited and every citation
resolves to the sentence it quotes.

The rules a brief's Markdown follows (``templates/brief.md.j2``):

- the Documents section lists the sources (metadata, not statements);
- headings, blank lines and table header and separator rows state nothing;
- a line wholly in ``_italics_`` is counterpoint's note about the brief itself;
- a line ending with ``:`` is a label ("Same statement (similarity 0.78 …):") for the
  quotes under it, and must be followed by at least one cited line;
- every other line states something and carries at least one ``[^n]`` marker;
- each marker ``n`` has a definition under Sources naming a document id and offsets,
  ``[^n]: **A** `doc-id` `body[start:end]`: “sentence”`` (or ``footnote M[start:end]``),
  and the sentence is exactly the document's text at those offsets (whitespace runs
  collapsed, Markdown escapes removed);
- a quote in a line (“…”[^n]) is exactly its citation's sentence: nothing is
  paraphrased.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import lxml.html

# (document id, footnote marker or None) -> the text offsets point into
TextOf = Callable[[str, str | None], str]

MARKER = re.compile(r"\[\^(\d+)\]")
DEFINITION = re.compile(
    r"^\[\^(?P<n>\d+)\]: \*\*(?P<letter>[A-Z]+)\*\* `(?P<doc>[^`]+)` "
    r"`(?:body|footnote (?P<footnote>[^\[`]+))\[(?P<start>\d+):(?P<end>\d+)\]`: "
    r"“(?P<text>.*)”$")
QUOTE = re.compile(r"“(?P<text>.*)”\[\^(?P<n>\d+)\]$")
UNESCAPE = re.compile(r"\\([\\`*_\[\]<>&|])")


@dataclass(frozen=True)
class Cited:
    """A citation as the brief prints it."""

    number: int
    doc: str
    footnote: str | None
    start: int
    end: int
    text: str


def unescape(text: str) -> str:
    """Markdown text back to plain text."""
    return UNESCAPE.sub(r"\1", text)


def collapse(text: str) -> str:
    return " ".join(text.split())


def sections(markdown: str) -> dict[str, list[str]]:
    """The lines under each ``## `` heading (the title block under "")."""
    found: dict[str, list[str]] = {"": []}
    current = ""
    for line in markdown.splitlines():
        if line.startswith("## "):
            current = line[3:].strip()
            found[current] = []
        else:
            found[current].append(line)
    return found


def check_markdown(markdown: str, text_of: TextOf) -> dict[int, Cited]:
    """Check a Markdown brief against the rules above; return its citations by number."""
    parts = sections(markdown)
    assert "Sources" in parts, "no Sources section"
    cited: dict[int, Cited] = {}
    for line in parts["Sources"]:
        if not line.strip():
            continue
        match = DEFINITION.match(line)
        assert match, f"not a citation: {line!r}"
        citation = Cited(int(match["n"]), match["doc"], match["footnote"],
                         int(match["start"]), int(match["end"]), unescape(match["text"]))
        source = text_of(citation.doc, citation.footnote)
        assert collapse(source[citation.start:citation.end]) == citation.text, line
        assert source[citation.start:citation.end].strip() == source[citation.start:citation.end]
        cited[citation.number] = citation
    assert sorted(cited) == list(range(1, len(cited) + 1)), "citations are not numbered 1..n"
    used: list[int] = []
    statements = 0
    for name, lines in parts.items():
        if name in ("Sources", "Documents"):
            continue
        for k, line in enumerate(lines):
            text = line.strip()
            if not text or text.startswith("#") or re.fullmatch(r"\|(?:-+\|)+", text):
                continue
            if text.startswith("|") and k + 1 < len(lines) and lines[k + 1].startswith("|-"):
                continue  # a table's header row
            if text.startswith("_") and text.endswith("_"):
                continue  # a note about the brief
            if text.endswith(":"):
                following = lines[k + 1] if k + 1 < len(lines) else ""
                assert following.startswith("  - ") and MARKER.search(following), (
                    f"label without cited lines under it: {line!r}")
                continue
            markers = [int(n) for n in MARKER.findall(text)]
            assert markers, f"statement without a citation in {name}: {line!r}"
            statements += 1
            for number in markers:
                assert number in cited, f"[^{number}] has no definition"
            used += markers
            quote = QUOTE.search(text)
            if quote:
                assert unescape(quote["text"]) == cited[int(quote["n"])].text, line
    assert statements, "the brief states nothing"
    assert set(used) == set(cited), f"cited but never used: {set(cited) - set(used)}"
    first_seen = list(dict.fromkeys(used))
    assert first_seen == sorted(first_seen), "numbers do not follow the order of first use"
    return cited


def check_html(page: str, text_of: TextOf) -> dict[int, Cited]:
    """Check an HTML brief: every statement (list item, table row outside Documents) links
    to a citation; every link resolves to a Sources item whose data attributes and quote
    match the document's text."""
    tree = lxml.html.fromstring(page)
    cited: dict[int, Cited] = {}
    for item in tree.xpath("//ol[@class='sources']/li"):
        number = int(item.get("id").removeprefix("cite-"))
        assert int(item.get("value")) == number
        quote = item.xpath(".//span[@class='quote']")[0].text_content()
        assert quote.startswith("“") and quote.endswith("”")
        citation = Cited(number, item.get("data-doc"), item.get("data-footnote"),
                         int(item.get("data-start")), int(item.get("data-end")), quote[1:-1])
        assert text_of(citation.doc, citation.footnote)[citation.start:citation.end] == \
            citation.text, number
        cited[citation.number] = citation
    assert cited and sorted(cited) == list(range(1, len(cited) + 1))
    links = [int(a.get("href").removeprefix("#cite-")) for a in tree.xpath("//a[@href]")
             if a.get("href").startswith("#cite-")]
    assert links and set(links) == set(cited)
    for element in tree.xpath("//section[not(@id='sources') and not(@id='documents')]"
                              "//li[not(@class='group')] | "
                              "//section[not(@id='documents')]//tbody/tr"):
        assert element.xpath(".//sup[@class='cite']/a"), lxml.html.tostring(element)[:200]
    for quoted in tree.xpath("//li[not(@class='group') and sup[@class='cite']]"):
        text = quoted.text_content()
        match = re.search(r"“(.*)”[\d,]+$", text)
        if match:
            number = int(quoted.xpath("sup[@class='cite']/a")[0].text)
            assert match[1] == cited[number].text
    return cited
