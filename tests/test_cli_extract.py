"""``counterpoint extract`` as a user runs it: output contract, exit codes, stderr."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import CliResult

Cli = Callable[..., CliResult]
TITLE = "Ministers agree to restore flights after Geneva talks"

CONTRACT_KEYS = {"path", "id", "title", "subtitle", "series", "publisher", "url", "authors",
                 "published", "published_estimated", "language", "body", "sections",
                 "footnotes", "provenance", "related"}


@pytest.fixture
def dump(tmp_path: Path, paragraphs, text_dump) -> Path:
    path = tmp_path / "geneva.txt"
    path.write_text(text_dump(TITLE, paragraphs), encoding="utf-8")
    return path


def test_jsonl_objects_follow_the_contract(tmp_path: Path, cli: Cli, dump: Path,
                                           paragraphs, news_html) -> None:
    page = tmp_path / "geneva.html"
    page.write_text(news_html(TITLE, paragraphs), encoding="utf-8")
    result = cli("extract", str(dump), str(page), "--jsonl")
    assert result.exit_code == 0, result.stderr
    # stdout holds JSON lines and nothing else
    assert len(result.stdout.splitlines()) == 2
    for doc in result.docs:
        assert doc.keys() >= CONTRACT_KEYS
        assert isinstance(doc["published_estimated"], bool)
        for author in doc["authors"]:
            assert author.keys() >= {"name", "role", "affiliation"}
        for section in doc["sections"]:
            assert section.keys() >= {"heading", "voice", "text"}
        assert doc["published"] is None or len(doc["published"]) == 10


def test_same_content_same_id(tmp_path: Path, cli: Cli, dump: Path) -> None:
    copy = tmp_path / "copy" / "geneva.txt"
    copy.parent.mkdir()
    copy.write_bytes(dump.read_bytes())
    result = cli("extract", str(dump), str(copy), "--jsonl")
    first, second = result.docs
    assert first["id"] == second["id"]
    assert first["path"] != second["path"]


def test_non_ascii_is_written_as_is(tmp_path: Path, cli: Cli, paragraphs, text_dump) -> None:
    path = tmp_path / "zurich.txt"
    path.write_text(text_dump("Zürich café owners protest new rules", paragraphs),
                    encoding="utf-8")
    result = cli("extract", str(path), "--jsonl")
    assert "Zürich café" in result.stdout
    assert "\\u00fc" not in result.stdout


def test_summary_mode_counts_successes_and_failures(tmp_path: Path, cli: Cli,
                                                    dump: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = cli("extract", str(dump), str(empty))
    assert result.exit_code == 1
    assert TITLE in result.stdout
    assert "Maria Rossi" in result.stdout
    assert "2024-05-13" in result.stdout
    lines = result.stderr.splitlines()
    assert lines == [f"error: {empty}: empty file", "1 document(s) extracted, 1 failed."]


def test_errors_never_reach_stdout(tmp_path: Path, cli: Cli, dump: Path) -> None:
    result = cli("extract", str(dump), str(tmp_path / "nope.txt"), "--jsonl")
    assert result.exit_code == 1
    assert "nope.txt" not in result.stdout
    for line in result.stdout.splitlines():
        json.loads(line)


def test_directory_note_lists_skipped_files(tmp_path: Path, cli: Cli, dump: Path) -> None:
    root = tmp_path / "downloads"
    (root / "assets").mkdir(parents=True)
    (root / "story.txt").write_bytes(dump.read_bytes())
    names = [f"img{n}.jpg" for n in range(7)]
    for name in names:
        (root / "assets" / name).write_bytes(b"\xff\xd8\xff")
    (root / "assets" / "[draft] caption.csv").write_text("a,b\n", encoding="utf-8")
    result = cli("extract", str(root), "--jsonl")
    assert result.exit_code == 0
    assert result.errors == []
    [note] = result.stderr.splitlines()
    assert note.startswith(f"note: {root}: skipped 8 file(s) with an extension we do not read:")
    assert "[draft] caption.csv" in note  # printed as is, not taken for markup
    assert note.endswith("…")
    assert [d["title"] for d in result.docs] == [TITLE]


def test_directory_with_nothing_readable(tmp_path: Path, cli: Cli) -> None:
    root = tmp_path / "photos"
    root.mkdir()
    (root / "a.jpg").write_bytes(b"\xff\xd8\xff")
    result = cli("extract", str(root), "--jsonl")
    assert result.docs == []
    assert result.errors == []
    assert "a.jpg" in result.notes[0]


def test_format_override_reads_as_text(tmp_path: Path, cli: Cli, dump: Path) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(dump.read_bytes())
    result = cli("extract", str(path), "--format", "text", "--jsonl")
    assert result.exit_code == 0, result.stderr
    [doc] = result.docs
    assert doc["format"] == "text"
    assert doc["title"] == TITLE


def test_format_value_is_case_insensitive(cli: Cli, dump: Path) -> None:
    result = cli("extract", str(dump), "--format", "TEXT", "--jsonl")
    assert result.exit_code == 0
    assert len(result.docs) == 1


@pytest.mark.parametrize("args", [
    ["extract"],
    ["extract", "x.txt", "--format", "pdf"],
    ["extract", "x.txt", "--max-bytes", "0"],
    ["extract", "x.txt", "--timeout", "0"],
    ["extract", "x.txt", "--max-bytes", "lots"],
])
def test_usage_errors_exit_2(cli: Cli, args: list[str]) -> None:
    result = cli(*args)
    assert result.exit_code == 2
    assert result.stdout == ""


def test_version(cli: Cli) -> None:
    result = cli("--version")
    assert result.exit_code == 0
    assert result.stdout.startswith("counterpoint ")


def test_help_shows_examples(cli: Cli) -> None:
    result = cli("extract", "--help")
    assert result.exit_code == 0
    assert "--jsonl" in result.stdout
    assert "--max-bytes" in result.stdout


# --- as a real process -----------------------------------------------------------------


def _run(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COUNTERPOINT_")}
    env.update(PYTHONIOENCODING="utf-8", NO_COLOR="1")
    return subprocess.run([sys.executable, "-m", "counterpoint", *args], input=stdin,
                          capture_output=True, timeout=120, env=env, check=False)


def test_process_one_stderr_line_per_failure(tmp_path: Path, dump: Path) -> None:
    # a page that is only navigation has no article: the extractor's own log lines stay quiet
    plain = tmp_path / "plain.txt"
    plain.write_text("<html><body><nav><a href='/'>Home</a></nav></body></html>\n",
                     encoding="utf-8")
    cut = tmp_path / "cut.html"
    cut.write_text("<html><body><p>Some text that stops mid", encoding="utf-8")
    done = _run("extract", str(plain), "--format", "html", "--jsonl")
    assert done.returncode == 1
    assert done.stderr.decode().splitlines() == [f"error: {plain}: no article text found"]

    done = _run("extract", "-", str(cut), "--jsonl", stdin=dump.read_bytes())
    stderr = done.stderr.decode()
    assert "Traceback" not in stderr
    assert len(stderr.splitlines()) == done.returncode  # 0 lines and 0, or 1 and 1
    docs = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert docs[0]["path"] == "-"
    assert docs[0]["title"] == TITLE


def test_analyze_echoes_jsonl_ids_and_gives_main_event(tmp_path: Path) -> None:
    """`counterpoint analyze` on headlines: every id echoed, each with a main event."""
    headlines = tmp_path / "headlines.jsonl"
    headlines.write_text(
        '{"id": "h1", "text": "Rebels attack army convoy near the border, killing six"}\n'
        '{"id": "h2", "text": "Germany condemns the crackdown on protesters"}\n',
        encoding="utf-8")
    done = _run("analyze", str(headlines), "--jsonl")
    assert done.returncode == 0, done.stderr
    rows = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert [r["id"] for r in rows] == ["h1", "h2"]
    assert rows[0]["main_event"]["type"] == "ASSAULT"
    assert rows[1]["main_event"]["type"] == "ACCUSE"
    for key in ("actors", "dates", "events", "claims", "tone", "main_event"):
        assert key in rows[0]
