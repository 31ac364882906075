"""Unit tests of the HTML path on small hand-written pages.

Each page is the smallest thing that shows one behaviour: metadata read from
the usual tags, the headline and furniture kept out of the body, headings kept
in it, and no exception on pages without an article or cut off mid-tag.
"""

from __future__ import annotations

import pytest

from counterpoint.extract.html import HtmlExtraction, extract_html

PARAS = [
    "The finance ministers of the two countries met in Geneva on Tuesday to discuss "
    "the new trade agreement, which has been under negotiation for more than three years.",
    "Officials said the talks focused on agricultural tariffs and on the rules that will "
    "govern investment in energy projects along the shared border region.",
    "Neither side gave details of the compromise, but both delegations described the "
    "atmosphere as constructive and said a further round would follow next month.",
    "Analysts in both capitals expect the agreement to be signed before the end of the "
    "year, although parliamentary approval could take considerably longer than that.",
]
SECTION = "Reactions from industry"
LATER = [
    "Business groups welcomed the progress, saying that uncertainty over tariffs had "
    "delayed several large investment decisions during the past eighteen months.",
    "Farmers' unions were more cautious and asked for a detailed impact study before "
    "any text is submitted to the national parliaments for ratification next year.",
]
TITLE = "Ministers edge closer to trade deal after Geneva talks"
DEK = "Both sides describe the atmosphere as constructive but give no details"


def _page(*, head: str = "", article: str = "", after: str = "") -> str:
    return f"""<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8">
<title>{TITLE} | The Daily Example</title>
{head}
</head><body>
<header><nav><ul>
  <li><a href="/">Home</a></li><li><a href="/world">World</a></li>
  <li><a href="/business">Business</a></li><li><a href="/sport">Sport</a></li>
</ul></nav></header>
<main>{article}</main>
{after}
<footer><p>Copyright 2019 The Daily Example. All rights reserved.</p>
<ul><li><a href="/about">About us</a></li><li><a href="/contact">Contact</a></li></ul>
</footer>
</body></html>"""


def _article(*, paras: list[str] = PARAS, extra: str = "") -> str:
    body = "\n".join(f"<p>{p}</p>" for p in paras)
    later = "\n".join(f"<p>{p}</p>" for p in LATER)
    return f"""<article>
<h1>{TITLE}</h1>
<h2>{DEK}</h2>
<p class="byline">By Jane Doe</p>
<div class="article-body">
{body}
<p>Read more: <a href="/world/other-story">Ministers to meet again in Paris next month</a></p>
<h2>{SECTION}</h2>
{later}
{extra}
</div>
</article>"""


META = """
<meta name="author" content="Jane Doe">
<meta property="article:published_time" content="2019-11-19T08:30:00Z">
<meta property="og:site_name" content="The Daily Example">
<meta name="description" content="Finance ministers met in Geneva to discuss a trade deal.">
"""

FURNITURE = """
<div class="newsletter"><h3>Sign up for our newsletter</h3>
<p>Get the day's top headlines delivered to your inbox every morning.</p></div>
<div class="related"><h3>Related stories</h3><ul>
<li><a href="/a">Markets rally as trade fears ease in Asia</a></li>
<li><a href="/b">Geneva hosts record number of summits this year</a></li>
<li><a href="/c">Opinion: why this trade deal matters for farmers</a></li>
</ul></div>
<p>Like this story? Share it with a friend!</p>
"""


@pytest.fixture(scope="module")
def news() -> HtmlExtraction:
    return extract_html(_page(head=META, article=_article(extra=FURNITURE)),
                        url="https://example.com/world/trade-deal")


def test_metadata(news: HtmlExtraction) -> None:
    assert news.title is not None and news.title.startswith(TITLE)
    assert news.authors == ["Jane Doe"]
    assert news.date == "2019-11-19"
    assert news.date_estimated is False
    assert news.sitename == "The Daily Example"
    assert news.language == "en"
    assert news.url == "https://example.com/world/trade-deal"
    assert news.description == "Finance ministers met in Geneva to discuss a trade deal."


def test_body_has_every_paragraph_in_order(news: HtmlExtraction) -> None:
    positions = [news.body.find(p) for p in [*PARAS, *LATER]]
    assert all(pos >= 0 for pos in positions), news.body
    assert positions == sorted(positions)


def test_paragraphs_separated_by_blank_line(news: HtmlExtraction) -> None:
    paragraphs = news.body.split("\n\n")
    assert PARAS[0] in paragraphs and PARAS[1] in paragraphs
    assert all(p.strip() == p and p for p in paragraphs)


def test_headline_and_dek_kept_out_of_body(news: HtmlExtraction) -> None:
    assert TITLE not in news.body
    assert DEK not in news.body
    assert news.subtitle == DEK
    assert news.body.startswith(PARAS[0])


def test_headings_listed_and_in_body(news: HtmlExtraction) -> None:
    assert news.headings == [SECTION]
    assert f"\n\n{SECTION}\n\n" in news.body


@pytest.mark.parametrize("furniture", [
    "Read more", "newsletter", "Related stories", "Markets rally", "Share it with a friend",
    "Copyright", "About us", "Home", "By Jane Doe",
])
def test_boilerplate_removed(news: HtmlExtraction, furniture: str) -> None:
    assert furniture not in news.body


def test_date_estimated_when_only_guessed() -> None:
    page = _page(article=_article())
    found = extract_html(page, url="https://example.com/2018/03/05/trade-deal")
    assert found.date == "2018-03-05"
    assert found.date_estimated is True


def test_body_split_over_sibling_containers() -> None:
    first = "\n".join(f"<p>{p}</p>" for p in PARAS)
    second = "\n".join(f"<p>{p}</p>" for p in [*LATER, PARAS[0].replace("Geneva", "Bern")])
    article = f"""<article><h1>{TITLE}</h1>
<div class="grid"><div class="body chunk">{first}</div></div>
<div class="ad"><span>Advertisement</span></div>
<div class="grid"><div class="body chunk">{second}</div></div>
</article>"""
    found = extract_html(_page(head=META, article=article))
    for p in [*PARAS, *LATER]:
        assert p in found.body


def test_page_without_article_gives_empty_body() -> None:
    links = "".join(f'<li><a href="/s/{i}">Section {i}</a></li>' for i in range(30))
    found = extract_html(f"<html><head><title>Index</title></head><body><ul>{links}</ul>"
                         "</body></html>")
    assert found.body == ""
    assert found.headings == []


@pytest.mark.parametrize("html", ["", "   ", "<html></html>", "<<<>>>", "<p></p><div>"])
def test_degenerate_input_does_not_raise(html: str) -> None:
    found = extract_html(html)
    assert isinstance(found, HtmlExtraction)
    assert found.body == ""


def test_truncated_html_does_not_raise() -> None:
    page = _page(head=META, article=_article())
    cut = page[: page.index(LATER[0]) + 40]  # ends inside a paragraph, tags left open
    found = extract_html(cut)
    assert PARAS[0] in found.body
    assert LATER[0] not in found.body


def test_table_rows_stay_together() -> None:
    rows = "".join(f"<tr><td>Team {i}</td><td>{i * 3}</td><td>{20 - i}</td></tr>"
                   for i in range(1, 6))
    extra = f"<table><tr><th>Team</th><th>Points</th><th>Games</th></tr>{rows}</table>"
    found = extract_html(_page(head=META, article=_article(extra=extra)))
    assert "Team | Points | Games\nTeam 1 | 3 | 19\nTeam 2 | 6 | 18" in found.body


def test_stamp_line_dropped_but_by_phrase_kept() -> None:
    first = "By the time the talks ended, both sides had agreed on a timetable."
    article = f"""<article><h1>{TITLE}</h1>
<p class="meta">Updated: Nov. 19, 2019 10:30 a.m.</p>
<p>{first}</p>
{"".join(f"<p>{p}</p>" for p in PARAS)}
</article>"""
    found = extract_html(_page(head=META, article=article))
    assert found.body.startswith(first)
    assert "Updated" not in found.body


def test_html_footnote_list_leaves_body_and_call_becomes_marker() -> None:
    """A DPUB-style footnote list is a note, not the article's last paragraph."""
    from counterpoint.extract import extract
    from counterpoint.schema import RawItem

    prose = ("The talks lasted three days and ended with two joint statements on trade, "
             "energy and security that both governments described as historic. ")
    page = f"""<html><head><title>Summit ends</title></head><body><article>
    <h1>Summit ends</h1>
    <p>{prose}</p>
    <p>The plan is a twelve-point document<sup><a href="#fn-1">1</a></sup> that avoids the
    question of troop withdrawal entirely, critics said on Tuesday after the meeting.</p>
    <p>{prose}</p>
    <ol class="footnotes"><li id="fn-1">Published by the foreign ministry on February 24,
    2023, the first anniversary of the invasion. <a href="#fnref-1">↩</a></li></ol>
    </article></body></html>"""
    doc = extract(RawItem(source="page.html", text=page, format="html"))
    assert [(n.marker, n.text[:24]) for n in doc.footnotes] == [("1", "Published by the foreign")]
    assert "document[1] that" in doc.body
    assert "first anniversary" not in doc.body
