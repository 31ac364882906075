"""Every kind of input comes out as documents, through the library and through the CLI.

Each sample is a small, real-looking input written by hand into ``tmp_path``: a
scraped text dump, a news page, JSONL exports, a WARC crawl, RSS and Atom feeds.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from counterpoint.config import Settings
from counterpoint.errors import IngestError
from counterpoint.ingest import Skipped, iter_items
from counterpoint.schema import RawItem
from tests.conftest import CliResult

Cli = Callable[..., CliResult]
TITLE = "Ministers agree to restore flights after Geneva talks"


def _outcomes(*sources: str) -> tuple[list[RawItem], list[IngestError], list[Skipped]]:
    items, errors, skipped = [], [], []
    for outcome in iter_items(list(sources), Settings()):
        if isinstance(outcome, RawItem):
            items.append(outcome)
        elif isinstance(outcome, Skipped):
            skipped.append(outcome)
        else:
            errors.append(outcome)
    return items, errors, skipped


def _has_article(body: str, paragraphs: tuple[str, ...]) -> None:
    for paragraph in paragraphs:
        assert paragraph in body
    assert "Share this article" not in body
    assert "All rights reserved" not in body


# --- a text dump ------------------------------------------------------------------------


def test_text_dump_file_through_iter_items(tmp_path: Path, paragraphs, text_dump) -> None:
    path = tmp_path / "geneva-talks.txt"
    path.write_text(text_dump(TITLE, paragraphs), encoding="utf-8")
    items, errors, _ = _outcomes(str(path))
    assert errors == []
    assert len(items) == 1
    assert items[0].source == str(path)
    assert items[0].format == "text"
    assert paragraphs[0] in items[0].text


def test_text_dump_file_through_cli(tmp_path: Path, cli: Cli, paragraphs, text_dump) -> None:
    path = tmp_path / "geneva-talks.txt"
    path.write_text(text_dump(TITLE, paragraphs), encoding="utf-8")
    result = cli("extract", str(path), "--jsonl")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    [doc] = result.docs
    assert doc["path"] == str(path)
    assert doc["title"] == TITLE
    assert [a["name"] for a in doc["authors"]] == ["Maria Rossi"]
    assert doc["published"] == "2024-05-13"
    assert doc["language"] == "en"
    _has_article(doc["body"], paragraphs)
    assert "Subscribe" not in doc["body"]
    assert len(doc["id"]) == 16


def test_text_dump_summary_without_jsonl(tmp_path: Path, cli: Cli, paragraphs,
                                         text_dump) -> None:
    path = tmp_path / "geneva-talks.txt"
    path.write_text(text_dump(TITLE, paragraphs), encoding="utf-8")
    result = cli("extract", str(path))
    assert result.exit_code == 0
    assert TITLE in result.stdout
    assert "1 document(s) extracted, 0 failed." in result.stderr


# --- a directory, read recursively ------------------------------------------------------


def _corpus_dir(root: Path, paragraphs: tuple[str, ...], text_dump, news_html) -> Path:
    (root / "world" / "europe").mkdir(parents=True)
    (root / "geneva.txt").write_text(text_dump(TITLE, paragraphs), encoding="utf-8")
    (root / "world" / "europe" / "vienna.html").write_text(
        news_html("Vienna summit ends without a deal", [p.replace("Geneva", "Vienna")
                                                        for p in paragraphs]), encoding="utf-8")
    (root / "world" / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF" + bytes(64))
    (root / "world" / "europe" / "minutes.docx").write_bytes(b"PK\x03\x04" + bytes(64))
    (root / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    return root


def test_directory_through_iter_items(tmp_path: Path, paragraphs, text_dump,
                                      news_html) -> None:
    root = _corpus_dir(tmp_path / "corpus", paragraphs, text_dump, news_html)
    items, errors, skipped = _outcomes(str(root))
    assert errors == []
    assert sorted(Path(i.source).name for i in items) == ["geneva.txt", "vienna.html"]
    assert {i.format for i in items} == {"text", "html"}
    [note] = skipped
    assert sorted(note.names) == [str(Path("world/europe/minutes.docx")),
                                  str(Path("world/photo.jpg"))]


def test_directory_through_cli(tmp_path: Path, cli: Cli, paragraphs, text_dump,
                               news_html) -> None:
    root = _corpus_dir(tmp_path / "corpus", paragraphs, text_dump, news_html)
    result = cli("extract", str(root), "--jsonl")
    # files we do not read are noted, not failed
    assert result.exit_code == 0, result.stderr
    assert result.errors == []
    [note] = result.notes
    assert "photo.jpg" in note and "minutes.docx" in note
    assert ".DS_Store" not in result.stderr
    assert len(result.docs) == 2
    assert result.doc("geneva.txt")["title"] == TITLE
    nested = result.doc("vienna.html")
    assert nested["title"] == "Vienna summit ends without a deal"
    assert "met in Vienna on Monday" in nested["body"]


# --- a glob -----------------------------------------------------------------------------


def test_glob_pattern(tmp_path: Path, cli: Cli, paragraphs, text_dump, news_html) -> None:
    for name in ("monday.txt", "tuesday.txt"):
        (tmp_path / name).write_text(text_dump(f"Talks resume on {name[:-4].title()}",
                                               paragraphs), encoding="utf-8")
    (tmp_path / "page.html").write_text(news_html(TITLE, paragraphs), encoding="utf-8")
    pattern = str(tmp_path / "*.txt")

    items, errors, _ = _outcomes(pattern)
    assert errors == []
    assert [Path(i.source).name for i in items] == ["monday.txt", "tuesday.txt"]

    result = cli("extract", pattern, "--jsonl")
    assert result.exit_code == 0, result.stderr
    assert [d["title"] for d in result.docs] == ["Talks resume on Monday",
                                                 "Talks resume on Tuesday"]


# --- standard input ---------------------------------------------------------------------


def test_stdin_text_dump(cli: Cli, paragraphs, text_dump) -> None:
    result = cli("extract", "-", "--jsonl", input=text_dump(TITLE, paragraphs))
    assert result.exit_code == 0, result.stderr
    [doc] = result.docs
    assert doc["path"] == "-"
    assert doc["title"] == TITLE
    _has_article(doc["body"], paragraphs)


def test_stdin_through_iter_items(paragraphs, news_html) -> None:
    page = news_html(TITLE, paragraphs).encode("utf-8")
    [item] = list(iter_items(["-"], Settings(), stdin=io.BytesIO(page)))
    assert isinstance(item, RawItem)
    assert item.source == "-"
    assert item.format == "html"  # sniffed from the content


def test_stdin_html_sniffed(cli: Cli, paragraphs, news_html) -> None:
    result = cli("extract", "-", "--jsonl", input=news_html(TITLE, paragraphs))
    assert result.exit_code == 0, result.stderr
    [doc] = result.docs
    assert doc["format"] == "html"
    assert doc["title"] == TITLE


# --- an HTML page -----------------------------------------------------------------------


def test_html_file(tmp_path: Path, cli: Cli, paragraphs, news_html) -> None:
    path = tmp_path / "geneva.html"
    path.write_text(news_html(TITLE, paragraphs), encoding="utf-8")

    [item] = _outcomes(str(path))[0]
    assert item.format == "html"

    result = cli("extract", str(path), "--jsonl")
    assert result.exit_code == 0, result.stderr
    [doc] = result.docs
    assert doc["format"] == "html"
    assert doc["title"] == TITLE
    assert doc["language"] == "en"
    _has_article(doc["body"], paragraphs)
    for chrome in ("Home", "Sport", "Copyright"):
        assert chrome not in doc["body"]
    # paragraphs stay paragraphs
    assert doc["body"].count("\n\n") >= len(paragraphs) - 1


def test_format_flag_overrides_extension(tmp_path: Path, cli: Cli, paragraphs,
                                         news_html) -> None:
    path = tmp_path / "saved-page.txt"
    path.write_text(news_html(TITLE, paragraphs).replace("<!DOCTYPE html>\n<html lang=\"en\">",
                                                         "<div>"), encoding="utf-8")
    result = cli("extract", str(path), "--format", "html", "--jsonl")
    assert result.exit_code == 0, result.stderr
    [doc] = result.docs
    assert doc["format"] == "html"
    assert "<p>" not in doc["body"]
    assert paragraphs[1] in doc["body"]


# --- JSONL ------------------------------------------------------------------------------


def _jsonl_records(paragraphs: tuple[str, ...], news_html) -> list[dict[str, object]]:
    return [
        {"id": "wire-0001", "text": "\n".join(paragraphs), "title": "Geneva talks end in deal",
         "url": "https://wire.example/2024/05/13/geneva", "published": "2024-05-13",
         "source": "Example Wire"},
        {"id": "ledger-77", "html": news_html(TITLE, paragraphs),
         "title": "Flights to resume, ministers say", "url": "https://ledger.example/flights",
         "published": "2024-05-14", "source": "Daily Ledger"},
        {"id": "bare-3", "text": "\n".join(reversed(paragraphs))},
    ]


def test_jsonl_through_iter_items(tmp_path: Path, paragraphs, news_html) -> None:
    path = tmp_path / "export.jsonl"
    records = _jsonl_records(paragraphs, news_html)
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    items, errors, _ = _outcomes(str(path))
    assert errors == []
    assert [i.source for i in items] == [f"{path}:1", f"{path}:2", f"{path}:3"]
    assert [i.id for i in items] == ["wire-0001", "ledger-77", "bare-3"]
    assert [i.format for i in items] == ["text", "html", "text"]
    assert items[0].publisher == "Example Wire"


def test_jsonl_through_cli_echoes_ids_and_metadata(tmp_path: Path, cli: Cli, paragraphs,
                                                   news_html) -> None:
    path = tmp_path / "export.jsonl"
    records = _jsonl_records(paragraphs, news_html)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
                    encoding="utf-8")
    result = cli("extract", str(path), "--jsonl")
    assert result.exit_code == 0, result.stderr
    assert [d["id"] for d in result.docs] == ["wire-0001", "ledger-77", "bare-3"]
    for doc, record in zip(result.docs[:2], records[:2], strict=True):
        assert doc["title"] == record["title"]
        assert doc["url"] == record["url"]
        assert doc["published"] == record["published"]
        assert doc["published_estimated"] is False
        assert doc["publisher"] == record["source"]
        _has_article(doc["body"], paragraphs)
    assert result.docs[0]["format"] == "text"
    assert result.docs[1]["format"] == "html"
    assert result.docs[2]["url"] is None
    assert result.docs[2]["body"].startswith(paragraphs[-1])


def test_jsonl_numeric_ids_and_blank_lines(tmp_path: Path, cli: Cli, paragraphs) -> None:
    path = tmp_path / "export.ndjson"
    lines = [json.dumps({"id": 1042, "text": "\n".join(paragraphs)}), "",
             json.dumps({"id": "1043", "text": "\n".join(paragraphs[:2])}), ""]
    path.write_text("\r\n".join(lines), encoding="utf-8")
    result = cli("extract", str(path), "--jsonl")
    assert result.exit_code == 0, result.stderr
    assert [d["id"] for d in result.docs] == ["1042", "1043"]
    assert result.docs[1]["path"].endswith("export.ndjson:3")


def test_jsonl_published_timestamps_become_iso_dates(tmp_path: Path, cli: Cli,
                                                    paragraphs) -> None:
    path = tmp_path / "export.jsonl"
    stamps = ["2024-05-13T09:30:00Z", "Mon, 13 May 2024 09:30:00 GMT", "2024-05-13 09:30:00+02:00",
              "May 13, 2024"]
    path.write_text("".join(json.dumps({"id": f"p-{n}", "text": "\n".join(paragraphs),
                                        "published": stamp}) + "\n"
                            for n, stamp in enumerate(stamps)), encoding="utf-8")
    result = cli("extract", str(path), "--jsonl")
    assert result.exit_code == 0, result.stderr
    assert [d["published"] for d in result.docs] == ["2024-05-13"] * len(stamps)
    assert not any(d["published_estimated"] for d in result.docs)


def test_jsonl_line_separator_inside_text(tmp_path: Path, cli: Cli, paragraphs) -> None:
    # json.dumps(ensure_ascii=False) leaves U+2028 raw inside strings; it is not a new record
    path = tmp_path / "export.jsonl"
    records = [{"id": "ls-1", "text": paragraphs[0] + "\u2028" + paragraphs[1]},
               {"id": "ls-2", "text": paragraphs[2] + "\u2029" + paragraphs[3]}]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
                    encoding="utf-8")
    result = cli("extract", str(path), "--jsonl")
    assert result.exit_code == 0, result.stderr
    assert [d["id"] for d in result.docs] == ["ls-1", "ls-2"]
    assert result.docs[1]["path"].endswith("export.jsonl:2")
    assert paragraphs[1] in result.docs[0]["body"]


def test_jsonl_empty_html_falls_back_to_text(tmp_path: Path, cli: Cli, paragraphs) -> None:
    path = tmp_path / "export.jsonl"
    path.write_text(json.dumps({"id": "t-1", "html": "", "text": "\n".join(paragraphs)}) + "\n",
                    encoding="utf-8")
    result = cli("extract", str(path), "--jsonl")
    assert result.exit_code == 0, result.stderr
    [doc] = result.docs
    assert doc["id"] == "t-1"
    assert doc["format"] == "text"


# --- WARC -------------------------------------------------------------------------------


def _write_warc(path: Path, paragraphs: tuple[str, ...], news_html, *, gzip: bool) -> None:
    pages = [
        ("https://ledger.example/2024/05/13/geneva", news_html(TITLE, paragraphs),
         "text/html; charset=utf-8"),
        ("https://ledger.example/static/logo.png", b"\x89PNG\r\n\x1a\n" + bytes(40),
         "image/png"),
        ("https://ledger.example/2024/05/14/vienna",
         news_html("Vienna summit ends without a deal",
                   [p.replace("Geneva", "Vienna") for p in paragraphs]), "text/html"),
    ]
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=gzip)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "test"}))
        for uri, body, content_type in pages:
            data = body.encode("utf-8") if isinstance(body, str) else body
            headers = StatusAndHeaders("200 OK", [("Content-Type", content_type),
                                                  ("Content-Length", str(len(data)))],
                                       protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(
                uri, "response", payload=io.BytesIO(data), http_headers=headers))


def test_warc_through_iter_items(tmp_path: Path, paragraphs, news_html) -> None:
    path = tmp_path / "crawl.warc"
    _write_warc(path, paragraphs, news_html, gzip=False)
    items, errors, _ = _outcomes(str(path))
    assert errors == []
    assert [i.url for i in items] == ["https://ledger.example/2024/05/13/geneva",
                                      "https://ledger.example/2024/05/14/vienna"]
    assert all(i.format == "html" for i in items)


def test_warc_through_cli(tmp_path: Path, cli: Cli, paragraphs, news_html) -> None:
    path = tmp_path / "crawl.warc.gz"
    _write_warc(path, paragraphs, news_html, gzip=True)
    result = cli("extract", str(path), "--jsonl")
    # the PNG record is passed over, not reported
    assert result.exit_code == 0, result.stderr
    assert result.errors == []
    assert [d["url"] for d in result.docs] == ["https://ledger.example/2024/05/13/geneva",
                                               "https://ledger.example/2024/05/14/vienna"]
    assert [d["title"] for d in result.docs] == [TITLE, "Vienna summit ends without a deal"]
    assert all(d["path"].startswith(str(path)) for d in result.docs)
    assert "https://ledger.example/2024/05/13/geneva" in result.docs[0]["path"]
    _has_article(result.docs[0]["body"], paragraphs)
    assert "met in Vienna on Monday" in result.docs[1]["body"]


# --- RSS and Atom -----------------------------------------------------------------------


def _rss(paragraphs: tuple[str, ...]) -> str:
    encoded = "".join(f"<p>{p}</p>" for p in paragraphs)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"
     xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel>
  <title>The Daily Ledger - World</title>
  <link>https://ledger.example/world</link>
  <description>World news from the Daily Ledger</description>
  <item>
    <title>Ministers agree to restore flights</title>
    <link>https://ledger.example/2024/05/13/flights</link>
    <guid isPermaLink="false">ledger-2024-0513-flights</guid>
    <pubDate>Mon, 13 May 2024 09:30:00 GMT</pubDate>
    <dc:creator>Maria Rossi</dc:creator>
    <description>Ministers agreed on Monday to restore flights.</description>
    <content:encoded><![CDATA[{encoded}]]></content:encoded>
  </item>
  <item>
    <title>Border talks to continue in autumn</title>
    <link>https://ledger.example/2024/05/14/border</link>
    <pubDate>Tue, 14 May 2024 10:00:00 +0200</pubDate>
    <author>desk@ledger.example (Tom Berg)</author>
    <description>{" ".join(paragraphs[2:])}</description>
  </item>
</channel>
</rss>
"""


def _atom(paragraphs: tuple[str, ...]) -> str:
    escaped = "".join(f"&lt;p&gt;{p}&lt;/p&gt;" for p in paragraphs)
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Institute for Security Studies: Commentary</title>
  <id>urn:uuid:60a76c80-d399-11d9-b93c-0003939e0af6</id>
  <updated>2024-05-16T12:00:00Z</updated>
  <entry>
    <title>Why the Geneva deal matters</title>
    <link rel="alternate" href="https://institute.example/commentary/geneva"/>
    <id>urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a</id>
    <published>2024-05-15T08:00:00Z</published>
    <updated>2024-05-15T09:00:00Z</updated>
    <author><name>Lars Berg</name></author>
    <content type="html">{escaped}</content>
  </entry>
  <entry>
    <title>What comes after the ceasefire</title>
    <link href="https://institute.example/commentary/ceasefire"/>
    <id>urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6b</id>
    <updated>2024-05-16T08:00:00Z</updated>
    <author><name>Eva Holm</name></author>
    <summary>{" ".join(paragraphs[1:3])}</summary>
  </entry>
</feed>
"""


def test_rss_through_iter_items(tmp_path: Path, paragraphs) -> None:
    path = tmp_path / "world.rss"
    path.write_text(_rss(paragraphs), encoding="utf-8")
    items, errors, _ = _outcomes(str(path))
    assert errors == []
    assert [i.source for i in items] == [f"{path}#1", f"{path}#2"]
    first = items[0]
    assert first.title == "Ministers agree to restore flights"
    assert first.url == "https://ledger.example/2024/05/13/flights"
    assert first.published == "2024-05-13"
    assert first.publisher == "The Daily Ledger - World"
    assert first.authors == ["Maria Rossi"]
    assert first.id == "ledger-2024-0513-flights"


def test_rss_through_cli(tmp_path: Path, cli: Cli, paragraphs) -> None:
    path = tmp_path / "feed.xml"
    path.write_text(_rss(paragraphs), encoding="utf-8")
    result = cli("extract", str(path), "--jsonl")
    assert result.exit_code == 0, result.stderr
    assert len(result.docs) == 2
    first, second = result.docs
    # the full content, not the one-line description
    _has_article(first["body"], paragraphs)
    assert first["title"] == "Ministers agree to restore flights"
    assert first["url"] == "https://ledger.example/2024/05/13/flights"
    assert first["published"] == "2024-05-13"
    assert first["publisher"] == "The Daily Ledger - World"
    assert [a["name"] for a in first["authors"]] == ["Maria Rossi"]
    assert first["id"] == "ledger-2024-0513-flights"
    # a plain-prose <description> is an article too
    assert second["title"] == "Border talks to continue in autumn"
    assert second["published"] == "2024-05-14"
    assert second["publisher"] == "The Daily Ledger - World"
    assert paragraphs[2] in second["body"]
    assert second["url"] == "https://ledger.example/2024/05/14/border"


def test_atom_through_cli(tmp_path: Path, cli: Cli, paragraphs) -> None:
    path = tmp_path / "commentary.atom"
    path.write_text(_atom(paragraphs), encoding="utf-8")

    items, errors, _ = _outcomes(str(path))
    assert errors == []
    assert [i.format for i in items] == ["html", "text"]

    result = cli("extract", str(path), "--jsonl")
    assert result.exit_code == 0, result.stderr
    first, second = result.docs
    _has_article(first["body"], paragraphs)
    assert first["title"] == "Why the Geneva deal matters"
    assert first["url"] == "https://institute.example/commentary/geneva"
    assert first["published"] == "2024-05-15"
    assert first["publisher"] == "Institute for Security Studies: Commentary"
    assert [a["name"] for a in first["authors"]] == ["Lars Berg"]
    assert first["id"] == "urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a"
    # an entry with only a summary: the summary is the document, dated by <updated>
    assert second["title"] == "What comes after the ceasefire"
    assert second["published"] == "2024-05-16"
    assert [a["name"] for a in second["authors"]] == ["Eva Holm"]
    assert paragraphs[1] in second["body"] and paragraphs[2] in second["body"]


# --- URLs -------------------------------------------------------------------------------


def test_url_through_iter_items(local_server, paragraphs, news_html) -> None:
    url = local_server.route("/2024/05/13/geneva", news_html(TITLE, paragraphs))
    [item] = list(iter_items([url], Settings()))
    assert isinstance(item, RawItem)
    assert item.format == "html"
    assert item.url == url


def test_url_through_cli(local_server, cli: Cli, paragraphs, news_html) -> None:
    url = local_server.route("/2024/05/13/geneva", news_html(TITLE, paragraphs))
    result = cli("extract", url, "--jsonl")
    assert result.exit_code == 0, result.stderr
    [doc] = result.docs
    assert doc["path"] == url
    assert doc["url"] == url
    assert doc["title"] == TITLE
    _has_article(doc["body"], paragraphs)


def test_url_serving_a_feed(local_server, cli: Cli, paragraphs) -> None:
    url = local_server.route("/world/rss", _rss(paragraphs),
                             content_type="application/rss+xml; charset=utf-8")
    result = cli("extract", url, "--jsonl")
    assert result.exit_code == 0, result.stderr
    assert [d["title"] for d in result.docs] == ["Ministers agree to restore flights",
                                                 "Border talks to continue in autumn"]
    assert result.docs[0]["path"] == f"{url}#1"


def test_url_cp1252_page_declared_in_header(local_server, cli: Cli, paragraphs,
                                            news_html) -> None:
    page = news_html("Zürich café owners protest new rules",
                     [p.replace("Geneva", "Genève") for p in paragraphs], charset="windows-1252")
    url = local_server.route("/zurich", page.encode("cp1252"),
                             content_type="text/html; charset=windows-1252")
    result = cli("extract", url, "--jsonl")
    assert result.exit_code == 0, result.stderr
    [doc] = result.docs
    assert doc["title"] == "Zürich café owners protest new rules"
    assert "met in Genève on Monday" in doc["body"]
