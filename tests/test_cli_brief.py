"""``counterpoint brief`` end to end: the two seeds ingested into a SQLite store, briefed
by story and by document ids, and every citation of the written brief resolved against
the store."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from counterpoint.cli import app
from counterpoint.schema import Analysis
from counterpoint.store import Store
from tests.conftest import CliResult
from tests.report.citations import TextOf, check_html, check_markdown
from tests.shared import shared_path

SEEDS = ("000_65b1ef5a0d5ea50e.txt", "002_c08222278913e595.txt")
# Settings from the environment that would change what these tests see.
ENV = {"COUNTERPOINT_DB": None, "COUNTERPOINT_MAX_BYTES": None, "NO_COLOR": "1"}


def _run(*args: str) -> CliResult:
    result = CliRunner(env=ENV).invoke(app, list(args))
    assert "Traceback" not in result.stdout + result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        repr(result.exception))
    return CliResult(result.exit_code, result.stdout, result.stderr, result.exception)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("store") / "seeds.db"
    done = _run("ingest", *(str(shared_path("corpus", "seeds", name)) for name in SEEDS),
                "--db", str(path))
    assert done.exit_code == 0, done.stderr
    return path


@pytest.fixture(scope="module")
def story(db: Path) -> dict[str, Any]:
    done = _run("stories", "--json", "--db", str(db))
    assert done.exit_code == 0, done.stderr
    [found] = json.loads(done.stdout)["stories"]  # the seeds are one story
    return dict(found)


@pytest.fixture(scope="module")
def stored(db: Path, story: dict[str, Any]) -> Iterator[dict[str, Analysis]]:
    with Store.open(str(db)) as store:
        yield {d["id"]: store.get(d["id"]) for d in story["documents"]}


def _text_of(stored: dict[str, Analysis]) -> TextOf:
    def text_of(doc: str, footnote: str | None) -> str:
        if footnote is None:
            return stored[doc].body
        return next(f.text for f in stored[doc].footnotes if f.marker == footnote)

    return text_of


@pytest.fixture(scope="module")
def out_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("briefs")


@pytest.fixture(scope="module")
def markdown_run(db: Path, story: dict[str, Any], out_dir: Path) -> CliResult:
    return _run("brief", "--story", str(story["id"]), "-o", str(out_dir / "x.md"),
                "--db", str(db))


def test_brief_by_story_cites_every_statement(markdown_run: CliResult, out_dir: Path,
                                              stored: dict[str, Analysis],
                                              story: dict[str, Any]) -> None:
    """The key promise: each statement of the brief carries a citation, and each
    citation's offsets, read in the stored document, give exactly the quoted sentence."""
    assert markdown_run.exit_code == 0, markdown_run.stderr
    assert re.fullmatch(r"wrote \S+x\.md \(\d+ citations\)\n", markdown_run.stderr), (
        markdown_run.stderr)
    markdown = (out_dir / "x.md").read_text("utf-8")
    assert markdown.startswith(f"# {story['title']}\n")
    cited = check_markdown(markdown, _text_of(stored))
    assert {c.doc for c in cited.values()} == set(stored)
    assert f"{len(cited)} citations" in markdown_run.stderr
    assert not list(out_dir.glob(".*.tmp")), "a temporary file was left behind"


def test_brief_by_document_ids_in_html(db: Path, out_dir: Path,
                                       stored: dict[str, Analysis]) -> None:
    target = out_dir / "x.html"
    done = _run("brief", *stored, "-o", str(target), "--title", "Xi <in> Moscow",
                "--db", str(db))
    assert done.exit_code == 0, done.stderr
    page = target.read_text("utf-8")
    assert "<h1>Xi &lt;in&gt; Moscow</h1>" in page
    cited = check_html(page, _text_of(stored))
    assert {c.doc for c in cited.values()} == set(stored)


def test_brief_as_pdf(db: Path, story: dict[str, Any], out_dir: Path) -> None:
    target = out_dir / "x.pdf"
    done = _run("brief", "--story", str(story["id"]), "-o", str(target), "--db", str(db))
    assert done.exit_code == 0, done.stderr
    assert target.read_bytes().startswith(b"%PDF")
    match = re.fullmatch(r"wrote \S+x\.pdf \((\d) pages?, \d+ citations\)\n", done.stderr)
    assert match and 1 <= int(match[1]) <= 2, done.stderr


def test_unknown_story_is_one_error_line(db: Path, out_dir: Path) -> None:
    target = out_dir / "none.md"
    done = _run("brief", "--story", "story-000000000000", "-o", str(target), "--db", str(db))
    assert done.exit_code == 1
    assert done.errors == [f"error: {db}: no story has id 'story-000000000000' "
                           "(see `counterpoint stories --all`)"]
    assert not target.exists()


@pytest.mark.parametrize(("args", "message"), [
    (("--story", "story-1", "-o", "brief.docx"),
     "error: brief.docx: cannot tell the brief's format from .docx; end it in .md, .html or "
     ".pdf"),
    (("--story", "story-1", "-o", "brief"),
     "error: brief: cannot tell the brief's format from a name without a suffix; end it in "
     ".md, .html or .pdf"),
    (("--story", "story-1", "a.txt", "-o", "brief.md"),
     "error: give either --story or documents, not both"),
    (("-o", "brief.md"),
     "error: name the documents to brief on, or a stored story with --story ID"),
])
def test_usage_errors_exit_2(args: tuple[str, ...], message: str, tmp_path: Path) -> None:
    done = _run("brief", *args, "--db", str(tmp_path / "unused.db"))
    assert done.exit_code == 2
    assert done.errors == [message]


def test_output_directory_must_exist(db: Path, stored: dict[str, Analysis],
                                     tmp_path: Path) -> None:
    """Said before any work is done, not after a minute of analysis."""
    target = tmp_path / "missing-dir" / "brief.md"
    done = _run("brief", next(iter(stored)), "-o", str(target), "--db", str(db))
    assert done.exit_code == 2
    assert done.errors == [f"error: {target.parent}: no such directory"]
    assert not target.parent.exists()


def test_a_failed_write_leaves_the_old_brief_whole(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """The brief is written to a temporary file and renamed: a failure at any point
    leaves the previous brief as it was and no temporary file behind."""
    import os

    from counterpoint import cli

    target = tmp_path / "brief.md"
    target.write_text("the old brief", "utf-8")

    def fail(source: object, destination: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError, match="No space left"):
        cli._write_atomically(target, b"# a new brief")
    assert target.read_text("utf-8") == "the old brief"
    assert [p.name for p in tmp_path.iterdir()] == ["brief.md"]
