"""Settings: defaults, then environment (``COUNTERPOINT_*``), then CLI flags.

Every user-facing setting is declared once in :data:`SETTINGS` with its help
text; ``tests/test_config.py`` fails when one is missing from the README.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

from counterpoint.errors import ConfigError

__all__ = ["SETTINGS", "Settings"]


@dataclass(frozen=True)
class Setting:
    """One documented setting."""

    name: str
    env: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("max_bytes", "COUNTERPOINT_MAX_BYTES",
            "Largest input read, in bytes (default 50000000); larger inputs fail with a "
            "clear error."),
    Setting("fetch_timeout", "COUNTERPOINT_FETCH_TIMEOUT",
            "Seconds to wait for a URL to connect and answer (default 20)."),
    Setting("user_agent", "COUNTERPOINT_USER_AGENT",
            "User-Agent header sent when fetching URLs."),
    Setting("allow_urls", "COUNTERPOINT_ALLOW_URLS",
            "Set to 0 to refuse http(s) inputs (default 1)."),
    Setting("db", "COUNTERPOINT_DB",
            "Where documents are stored: a SQLite file path, a `sqlite:///` URL or a "
            "`postgresql://user:password@host/dbname` URL (default: the SQLite file "
            "`$XDG_DATA_HOME/counterpoint/counterpoint.db`, i.e. "
            "`~/.local/share/counterpoint/counterpoint.db`)."),
)


@dataclass(frozen=True)
class Settings:
    """Validated settings passed down to every stage."""

    max_bytes: int = 50_000_000
    fetch_timeout: float = 20.0
    user_agent: str = "counterpoint/0.1 (+https://example.org/counterpoint)"
    allow_urls: bool = True
    # None: the store resolves it (COUNTERPOINT_DB, then the per-user SQLite file).
    db: str | None = None

    def __post_init__(self) -> None:
        if self.max_bytes <= 0:
            raise ConfigError(f"max_bytes must be positive, got {self.max_bytes}")
        if self.fetch_timeout <= 0:
            raise ConfigError(f"fetch_timeout must be positive, got {self.fetch_timeout}")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Build settings from ``COUNTERPOINT_*`` variables, then explicit overrides.

        Overrides whose value is ``None`` are ignored, so CLI flags left unset
        fall through to the environment and the defaults.
        """
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        types = {f.name: f.type for f in fields(cls)}
        for setting in SETTINGS:
            raw = env.get(setting.env)
            if raw is None or raw == "":
                continue
            values[setting.name] = _coerce(setting, str(types[setting.name]), raw)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return replace(cls(), **values) if values else cls()


def _coerce(setting: Setting, type_name: str, raw: str) -> Any:
    try:
        if type_name == "int":
            return int(raw)
        if type_name == "float":
            return float(raw)
        if type_name == "bool":
            if raw.lower() in {"1", "true", "yes", "on"}:
                return True
            if raw.lower() in {"0", "false", "no", "off"}:
                return False
            raise ValueError(raw)
    except ValueError as exc:
        raise ConfigError(f"{setting.env}={raw!r} is not a valid {type_name}") from exc
    return raw
