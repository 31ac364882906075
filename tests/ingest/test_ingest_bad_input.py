"""Bad inputs: one clear line each on stderr, the other inputs still come out, exit 1.

Every command here also gets a good text dump; it must come out on stdout
whatever happens to the bad input beside it. No traceback ever reaches the
user (the ``cli`` fixture checks that on every run).
"""

from __future__ import annotations

import json
import os
import random
from collections.abc import Callable
from pathlib import Path

import pytest

from counterpoint.config import Settings
from counterpoint.errors import (
    EmptyInput,
    FetchError,
    IngestError,
    InputNotFound,
    InputTooLarge,
    ParseError,
    UnsupportedInput,
)
from counterpoint.ingest import iter_items
from counterpoint.schema import RawItem
from tests.conftest import CliResult

Cli = Callable[..., CliResult]
GOOD_TITLE = "Ministers agree to restore flights after Geneva talks"


@pytest.fixture
def good(tmp_path: Path, paragraphs, text_dump) -> Path:
    path = tmp_path / "good.txt"
    path.write_text(text_dump(GOOD_TITLE, paragraphs), encoding="utf-8")
    return path


def _one_error(result: CliResult, name: str, *reasons: str) -> str:
    """The run failed on ``name`` alone: one error line naming it, the good file out."""
    assert result.exit_code == 1, (result.stdout, result.stderr)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines
    [line] = lines
    assert line.startswith("error: ")
    assert name in line
    assert any(reason in line for reason in reasons), line
    assert [d["title"] for d in result.docs] == [GOOD_TITLE]
    return line


def _errors(source: str, settings: Settings | None = None) -> list[IngestError]:
    outcomes = list(iter_items([source], settings or Settings()))
    assert not any(isinstance(o, RawItem) for o in outcomes), outcomes
    return [o for o in outcomes if isinstance(o, IngestError)]


# --- empty ------------------------------------------------------------------------------


@pytest.mark.parametrize("content", [b"", b"  \n\n\t \r\n"], ids=["zero-bytes", "whitespace"])
def test_empty_file(tmp_path: Path, cli: Cli, good: Path, content: bytes) -> None:
    path = tmp_path / "draft.txt"
    path.write_bytes(content)
    [error] = _errors(str(path))
    assert isinstance(error, EmptyInput)
    _one_error(cli("extract", str(path), str(good), "--jsonl"), "draft.txt", "empty")


def test_empty_stdin(cli: Cli) -> None:
    result = cli("extract", "-", "--jsonl", input="")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == ["error: -: empty input"]


def test_html_without_article_text(tmp_path: Path, cli: Cli, good: Path) -> None:
    path = tmp_path / "shell.html"
    path.write_text("<!DOCTYPE html><html><head><title>Loading…</title></head>"
                    "<body><div id='app'></div><script>start()</script></body></html>",
                    encoding="utf-8")
    _one_error(cli("extract", str(path), str(good), "--jsonl"), "shell.html",
               "no article text")


# --- binary -----------------------------------------------------------------------------

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x02\x00\x00\x00\x01\x80\x08\x06\x00\x00"
       b"\x00\x1d\xa4\xb4\x8f\x00\x00\x00\x01sRGB\x00\xae\xce\x1c\xe9" + bytes(range(256)) * 4)


def test_png_saved_as_html(tmp_path: Path, cli: Cli, good: Path) -> None:
    path = tmp_path / "article.html"
    path.write_bytes(PNG)
    [error] = _errors(str(path))
    assert isinstance(error, UnsupportedInput)
    _one_error(cli("extract", str(path), str(good), "--jsonl"), "article.html", "PNG image")


def test_png_named_explicitly(tmp_path: Path, cli: Cli, good: Path) -> None:
    path = tmp_path / "chart.png"
    path.write_bytes(PNG)
    _one_error(cli("extract", str(path), str(good), "--jsonl"), "chart.png", ".png")


def test_random_bytes_with_nuls(tmp_path: Path, cli: Cli, good: Path) -> None:
    rng = random.Random(7)
    data = bytes(rng.randrange(256) for _ in range(4096))
    assert b"\x00" in data
    path = tmp_path / "dump.txt"
    path.write_bytes(data)
    [error] = _errors(str(path))
    assert isinstance(error, UnsupportedInput)
    _one_error(cli("extract", str(path), str(good), "--jsonl"), "dump.txt", "binary data")


def test_pdf_through_stdin(cli: Cli) -> None:
    result = cli("extract", "-", "--jsonl", input=b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == ["error: -: looks like a PDF file, not text"]


# --- too large --------------------------------------------------------------------------


def test_sparse_200mb_file_with_default_cap(tmp_path: Path, cli: Cli, good: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as fh:
        fh.truncate(200_000_000)  # sparse: no disk space, no time
    [error] = _errors(str(path))
    assert isinstance(error, InputTooLarge)
    line = _one_error(cli("extract", str(path), str(good), "--jsonl"), "huge.txt",
                      "200,000,000 bytes")
    assert "50,000,000-byte limit" in line


def test_small_cap_with_max_bytes(tmp_path: Path, cli: Cli, good: Path, paragraphs,
                                  text_dump) -> None:
    path = tmp_path / "long.txt"
    path.write_text(text_dump("A long read", list(paragraphs) * 4), encoding="utf-8")
    cap = good.stat().st_size + 10
    assert path.stat().st_size > cap
    [error] = _errors(str(path), Settings(max_bytes=cap))
    assert isinstance(error, InputTooLarge)
    line = _one_error(cli("extract", str(path), str(good), "--max-bytes", str(cap), "--jsonl"),
                      "long.txt", f"{cap:,}-byte limit")
    assert f"{path.stat().st_size:,} bytes" in line


def test_small_cap_from_environment(tmp_path: Path, cli: Cli, good: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "long.txt"
    path.write_bytes(good.read_bytes() * 3)
    monkeypatch.setenv("COUNTERPOINT_MAX_BYTES", str(good.stat().st_size))
    _one_error(cli("extract", str(path), str(good), "--jsonl"), "long.txt", "byte limit")


def test_stdin_over_cap(cli: Cli, good: Path) -> None:
    result = cli("extract", "-", "--max-bytes", "100", "--jsonl", input=good.read_bytes())
    assert result.exit_code == 1
    [line] = result.stderr.splitlines()
    assert line.startswith("error: -:") and "100-byte limit" in line


def test_bad_max_bytes_in_environment_is_a_usage_error(cli: Cli, good: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COUNTERPOINT_MAX_BYTES", "lots")
    result = cli("extract", str(good), "--jsonl")
    assert result.exit_code == 2
    assert "COUNTERPOINT_MAX_BYTES" in result.stderr
    assert result.docs == []


# --- bytes that are not clean text -------------------------------------------------------


def test_invalid_utf8_bytes(tmp_path: Path, cli: Cli, good: Path, paragraphs,
                            text_dump) -> None:
    # a UTF-8 dump with a cut multi-byte sequence and stray bytes in it
    data = text_dump("Talks in Genève end with a deal", paragraphs).encode("utf-8")
    data = data.replace(b"Monday", b"Mon\xe2\x80day").replace(b"autumn", b"aut\xffumn")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    path = tmp_path / "damaged.txt"
    path.write_bytes(data)
    result = cli("extract", str(path), str(good), "--jsonl")
    if result.exit_code == 0:
        # decoded by detection: the text around the damage is intact
        assert result.errors == []
        damaged = result.doc("damaged.txt")
        assert paragraphs[1] in damaged["body"]
        assert result.doc("good.txt")["title"] == GOOD_TITLE
    else:
        _one_error(result, "damaged.txt", "not valid text", "encoding")


def test_truncated_html(tmp_path: Path, cli: Cli, good: Path) -> None:
    path = tmp_path / "cut.html"
    path.write_text("<html><body><p>Some text that stops mid", encoding="utf-8")
    result = cli("extract", str(path), str(good), "--jsonl")
    if result.exit_code == 0:
        assert result.stderr == ""
        assert result.doc("cut.html")["body"] == "Some text that stops mid"
        assert result.doc("good.txt")["title"] == GOOD_TITLE
    else:
        _one_error(result, "cut.html", "no article text")


def test_truncated_news_page_keeps_what_arrived(tmp_path: Path, cli: Cli, paragraphs,
                                                news_html) -> None:
    page = news_html(GOOD_TITLE, paragraphs)
    cut = page[:page.index(paragraphs[3]) + 40]
    path = tmp_path / "partial.html"
    path.write_text(cut, encoding="utf-8")
    result = cli("extract", str(path), "--jsonl")
    assert result.exit_code == 0, result.stderr
    [doc] = result.docs
    assert paragraphs[0] in doc["body"] and paragraphs[2] in doc["body"]


# --- names that do not lead to a readable file --------------------------------------------


def test_unknown_extension_named_explicitly(tmp_path: Path, cli: Cli, good: Path) -> None:
    path = tmp_path / "notes.xyz"
    path.write_bytes(b"\x00\x01\x02 binary-ish \xff\xfe \x00 record " * 20)
    [error] = _errors(str(path))
    assert isinstance(error, UnsupportedInput)
    line = _one_error(cli("extract", str(path), str(good), "--jsonl"), "notes.xyz", ".xyz")
    assert "--format" in line  # tells the user the way out


def test_unknown_extension_with_text_and_format_flag(tmp_path: Path, cli: Cli,
                                                     good: Path) -> None:
    path = tmp_path / "story.md"
    path.write_bytes(good.read_bytes())
    _one_error(cli("extract", str(path), str(good), "--jsonl"), "story.md", ".md")
    result = cli("extract", str(path), "--format", "text", "--jsonl")
    assert result.exit_code == 0
    assert [d["title"] for d in result.docs] == [GOOD_TITLE]


def test_nonexistent_path(tmp_path: Path, cli: Cli, good: Path) -> None:
    missing = tmp_path / "archive" / "2024-05-13.txt"
    [error] = _errors(str(missing))
    assert isinstance(error, InputNotFound)
    _one_error(cli("extract", str(missing), str(good), "--jsonl"), str(missing),
               "no such file or directory")


def test_glob_matching_nothing(tmp_path: Path, cli: Cli, good: Path) -> None:
    pattern = str(tmp_path / "*.warc.gz")
    [error] = _errors(pattern)
    assert isinstance(error, InputNotFound)
    _one_error(cli("extract", pattern, str(good), "--jsonl"), pattern, "matched no file")


def test_unreadable_file(tmp_path: Path, cli: Cli, good: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root reads every file")
    path = tmp_path / "locked.txt"
    path.write_bytes(good.read_bytes())
    path.chmod(0)
    _one_error(cli("extract", str(path), str(good), "--jsonl"), "locked.txt",
               "permission denied")


def test_paths_with_brackets_are_printed_as_given(tmp_path: Path, cli: Cli,
                                                  good: Path) -> None:
    # rich markup must not eat "[draft]" nor choke on "[/b]"
    empty = tmp_path / "[draft] notes.txt"
    empty.write_bytes(b"")
    _one_error(cli("extract", str(empty), str(good), "--jsonl"), "[draft] notes.txt", "empty")
    odd = str(tmp_path / "x[/b]y.txt")
    _one_error(cli("extract", odd, str(good), "--jsonl"), "x[/b]y.txt", "matched no file")


# --- URLs -------------------------------------------------------------------------------


def test_unreachable_url(cli: Cli, good: Path, closed_port: int) -> None:
    url = f"http://127.0.0.1:{closed_port}/"
    [error] = _errors(url)
    assert isinstance(error, FetchError)
    _one_error(cli("extract", url, str(good), "--jsonl"), url, "unreachable")


def test_url_404(local_server, cli: Cli, good: Path) -> None:
    url = local_server.base + "/2024/05/13/deleted-story"
    _one_error(cli("extract", url, str(good), "--jsonl"), url, "HTTP 404")


def test_url_500(local_server, cli: Cli, good: Path) -> None:
    url = local_server.route("/broken", "oops", status=500)
    _one_error(cli("extract", url, str(good), "--jsonl"), url, "HTTP 500")


def test_url_timeout(local_server, cli: Cli, good: Path) -> None:
    url = local_server.route("/slow", "<html><body><p>too late</p></body></html>", delay=10)
    line = _one_error(cli("extract", url, str(good), "--timeout", "0.5", "--jsonl"), url,
                      "timed out")
    assert "0.5 s" in line


def test_url_empty_response(local_server, cli: Cli, good: Path) -> None:
    url = local_server.route("/empty", b"")
    _one_error(cli("extract", url, str(good), "--jsonl"), url, "empty response")


def test_url_too_large(local_server, cli: Cli, good: Path) -> None:
    url = local_server.route("/big", good.read_bytes() * 5)
    cap = str(good.stat().st_size + 10)
    _one_error(cli("extract", url, str(good), "--max-bytes", cap, "--jsonl"), url,
               "byte limit")


def test_url_serving_an_image(local_server, cli: Cli, good: Path) -> None:
    url = local_server.route("/logo", PNG, content_type="image/png")
    _one_error(cli("extract", url, str(good), "--jsonl"), url, "PNG image")


def test_urls_can_be_disabled(cli: Cli, good: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COUNTERPOINT_ALLOW_URLS", "0")
    url = "http://127.0.0.1:9/never-fetched"
    _one_error(cli("extract", url, str(good), "--jsonl"), url, "disabled")


# --- feeds that are not feeds ------------------------------------------------------------


@pytest.mark.parametrize("content", [
    "This is not a feed at all, just some prose that somebody saved with the wrong name.\n"
    "It goes on for a second line about the talks in Geneva.\n",
    "<rss version=\"2.0\"><channel><title>Broken<item><title>Unclosed",
    "<rss><channel><title>Daily Ledger</title><item<title></content:encoded<",
    "<?xml version=\"1.0\" encoding=\"\xe8\"?><rss version=\"2.0\"><channel/></rss>",
], ids=["prose", "unclosed", "mangled-tags", "bad-encoding-declaration"])
def test_feed_that_is_not_a_feed(tmp_path: Path, cli: Cli, good: Path, content: str) -> None:
    path = tmp_path / "feed.xml"
    path.write_bytes(content.encode("latin-1"))
    errors = _errors(str(path))
    assert errors
    assert all(isinstance(e, ParseError) for e in errors)
    _one_error(cli("extract", str(path), str(good), "--jsonl"), "feed.xml",
               "not a usable RSS/Atom feed", "no content or summary")


def test_feed_content_is_never_opened_as_a_file_name(tmp_path: Path, cli: Cli,
                                                    good: Path) -> None:
    other = tmp_path / "private.rss"
    other.write_text("<rss version=\"2.0\"><channel><title>Private</title><item><title>"
                     "Not yours</title><description>Internal memo.</description></item>"
                     "</channel></rss>", encoding="utf-8")
    path = tmp_path / "feed.xml"
    path.write_text(str(other), encoding="utf-8")
    _one_error(cli("extract", str(path), str(good), "--jsonl"), "feed.xml",
               "not a usable RSS/Atom feed")


def test_feed_entry_without_content_among_good_ones(tmp_path: Path, cli: Cli,
                                                    paragraphs) -> None:
    path = tmp_path / "world.rss"
    items = [f"<item><title>Story {n}</title><link>https://ledger.example/{n}</link>"
             f"<description>{' '.join(paragraphs[n:n + 2])}</description></item>"
             for n in (0, 2)]
    items.insert(1, "<item><title>Photo gallery</title>"
                    "<link>https://ledger.example/gallery</link></item>")
    path.write_text("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel>"
                    f"<title>Daily Ledger</title>{''.join(items)}</channel></rss>",
                    encoding="utf-8")
    result = cli("extract", str(path), "--jsonl")
    assert result.exit_code == 1
    assert [d["title"] for d in result.docs] == ["Story 0", "Story 2"]
    assert result.stderr.splitlines() == [
        f"error: {path}#2: feed entry has no content or summary"]


# --- JSONL with bad lines ----------------------------------------------------------------


def test_jsonl_with_bad_lines_among_good_ones(tmp_path: Path, cli: Cli, paragraphs) -> None:
    path = tmp_path / "file.jsonl"
    lines = [
        json.dumps({"id": "a-1", "text": "\n".join(paragraphs), "title": "First"}),
        '{"id": "a-2", "text": "cut off here',
        json.dumps({"id": "a-3", "text": "\n".join(paragraphs[1:]), "title": "Third"}),
        json.dumps(["not", "an", "object"]),
        json.dumps({"id": "a-5", "title": "No body"}),
        json.dumps({"id": "a-6", "text": "\n".join(paragraphs[2:]), "title": "Sixth"}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    outcomes = list(iter_items([str(path)], Settings()))
    assert [o.id for o in outcomes if isinstance(o, RawItem)] == ["a-1", "a-3", "a-6"]
    assert [o.source for o in outcomes if isinstance(o, ParseError)] == [
        f"{path}:2", f"{path}:4", f"{path}:5"]

    result = cli("extract", str(path), "--jsonl")
    assert result.exit_code == 1
    assert [d["id"] for d in result.docs] == ["a-1", "a-3", "a-6"]
    assert [d["title"] for d in result.docs] == ["First", "Third", "Sixth"]
    errors = result.stderr.splitlines()
    assert len(errors) == 3
    assert errors[0].startswith(f"error: {path}:2: not valid JSON")
    assert errors[1] == f"error: {path}:4: each line must be a JSON object"
    assert errors[2] == f"error: {path}:5: no non-empty 'text' or 'html' field"


def test_binary_file_with_jsonl_extension(tmp_path: Path, cli: Cli, good: Path) -> None:
    path = tmp_path / "export.jsonl"
    path.write_bytes(b"\x1f\x8b\x08\x00" + bytes(range(256)))
    _one_error(cli("extract", str(path), str(good), "--jsonl"), "export.jsonl", "gzip")


# --- WARC files that are not WARC ---------------------------------------------------------


def test_warc_that_is_not_a_warc(tmp_path: Path, cli: Cli, good: Path) -> None:
    path = tmp_path / "crawl.warc"
    path.write_text("GET / HTTP/1.1\r\nHost: example.org\r\n\r\n", encoding="ascii")
    _one_error(cli("extract", str(path), str(good), "--jsonl"), "crawl.warc",
               "not a readable WARC file")


def test_warc_without_pages(tmp_path: Path, cli: Cli, good: Path) -> None:
    import io

    from warcio.warcwriter import WARCWriter

    path = tmp_path / "empty.warc"
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=False)
        writer.write_record(writer.create_warcinfo_record("empty.warc", {"software": "t"}))
        writer.write_record(writer.create_warc_record(
            "https://ledger.example/robots.txt", "request",
            payload=io.BytesIO(b"GET /robots.txt HTTP/1.1\r\n\r\n")))
    _one_error(cli("extract", str(path), str(good), "--jsonl"), "empty.warc",
               "holds no HTML or text")


# --- many bad inputs in one command --------------------------------------------------------


def test_all_bad_inputs_in_one_command(tmp_path: Path, cli: Cli, good: Path,
                                       closed_port: int) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "image.htm").write_bytes(PNG)
    (tmp_path / "notes.xyz").write_bytes(b"\x00\x01binary")
    (tmp_path / "feed.rss").write_text("just words, no feed", encoding="utf-8")
    bad = [str(tmp_path / "empty.txt"), str(tmp_path / "image.htm"),
           str(tmp_path / "notes.xyz"), str(tmp_path / "feed.rss"),
           str(tmp_path / "missing.txt"), str(tmp_path / "*.nothing"),
           f"http://127.0.0.1:{closed_port}/"]
    result = cli("extract", *bad[:3], str(good), *bad[3:], "--jsonl")
    assert result.exit_code == 1
    assert [d["title"] for d in result.docs] == [GOOD_TITLE]
    lines = result.stderr.splitlines()
    assert len(lines) == len(bad)
    for line, name in zip(lines, bad, strict=True):
        assert line.startswith(f"error: {name}: ")
