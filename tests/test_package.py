"""The public surface: exported names, version, entry points, documented settings."""

from __future__ import annotations

import subprocess
import sys

import counterpoint
from counterpoint.config import SETTINGS, Settings
from counterpoint.errors import ConfigError
from tests.shared import REPO


def test_exported_members() -> None:
    assert sorted(counterpoint.__all__) == [
        "CounterpointError", "Document", "RawItem", "__version__", "extract", "iter_items"]
    for name in counterpoint.__all__:
        assert getattr(counterpoint, name) is not None


def test_python_dash_m_shows_help() -> None:
    result = subprocess.run([sys.executable, "-m", "counterpoint", "--help"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0
    assert "extract" in result.stdout


def test_every_setting_is_documented_in_readme() -> None:
    readme = (REPO / "README.md").read_text("utf-8")
    for setting in SETTINGS:
        assert setting.env in readme, f"{setting.env} is not documented in README.md"


def test_settings_from_environment_and_overrides() -> None:
    settings = Settings.from_env({"COUNTERPOINT_MAX_BYTES": "1000",
                                  "COUNTERPOINT_ALLOW_URLS": "no"}, fetch_timeout=3.0)
    assert settings.max_bytes == 1000
    assert settings.allow_urls is False
    assert settings.fetch_timeout == 3.0


def test_bad_setting_names_the_variable() -> None:
    try:
        Settings.from_env({"COUNTERPOINT_MAX_BYTES": "lots"})
    except ConfigError as exc:
        assert "COUNTERPOINT_MAX_BYTES" in str(exc)
    else:
        raise AssertionError("a non-numeric size was accepted")
