"""``counterpoint analyze`` as a user runs it: limits, bad inputs, internal errors."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import CliResult

Cli = Callable[..., CliResult]
STORY = ("Talks in Geneva\n\nBy Ann Lee\n\nMarch 3, 2023\n\n"
         "Iran and Saudi Arabia agreed on Friday to restore diplomatic relations after talks "
         "hosted by China. Officials said embassies would reopen within two months.\n")


@pytest.fixture
def story(tmp_path: Path) -> Path:
    path = tmp_path / "story.txt"
    path.write_text(STORY, encoding="utf-8")
    return path


def test_max_bytes_refuses_one_input_and_keeps_the_others(tmp_path: Path, cli: Cli,
                                                          story: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text(STORY * 50, encoding="utf-8")
    result = cli("analyze", str(story), str(big), "--jsonl", "--max-bytes", "2000")
    assert result.exit_code == 1
    assert [d["path"] for d in result.docs] == [str(story)]
    [error] = result.errors
    assert "big.txt" in error and "2000" in error.replace(",", "")
    assert "AGREE" in {e["type"] for e in result.docs[0]["events"]}


def test_bad_flag_value_is_one_line(cli: Cli, story: Path) -> None:
    result = cli("analyze", str(story), "--max-bytes", "0")
    assert result.exit_code == 2
    assert "max-bytes" in result.stderr or "max_bytes" in result.stderr


def test_empty_and_foreign_inputs_are_noted_not_misread(tmp_path: Path, cli: Cli,
                                                        story: Path) -> None:
    french = tmp_path / "fr.txt"
    french.write_text("Le gouvernement a annoncé mardi de nouvelles sanctions contre la Russie, "
                      "après des semaines de négociations difficiles à Bruxelles.\n",
                      encoding="utf-8")
    result = cli("analyze", str(french), str(story), "--jsonl")
    assert result.exit_code == 0, result.stderr
    by_path = {d["path"]: d for d in result.docs}
    assert by_path[str(french)]["events"] == []
    assert "not supported" in result.stderr


def test_an_internal_error_costs_only_its_document(tmp_path: Path, cli: Cli, story: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    import counterpoint.nlp.analyze as module

    real = module._analyze_parsed

    def flaky(document, *args, **kwargs):  # type: ignore[no-untyped-def]
        if document.path.endswith("broken.txt"):
            raise ValueError("boom")
        return real(document, *args, **kwargs)

    monkeypatch.setattr(module, "_analyze_parsed", flaky)
    broken = tmp_path / "broken.txt"
    broken.write_text(STORY.replace("Geneva", "Vienna"), encoding="utf-8")
    result = cli("analyze", str(broken), str(story), "--jsonl")
    assert result.exit_code == 1
    assert [d["path"] for d in result.docs] == [str(story)]
    [error] = result.errors
    assert "broken.txt" in error and "internal error" in error and "boom" in error
