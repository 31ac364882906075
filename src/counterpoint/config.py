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
    Setting("api_token", "COUNTERPOINT_API_TOKEN",
            "Bearer token that `counterpoint serve` requires for writes (uploads); with "
            "no token configured the server refuses every write and says why."),
    Setting("api_token_file", "COUNTERPOINT_API_TOKEN_FILE",
            "A file whose first line is the API token (instead of COUNTERPOINT_API_TOKEN)."),
    Setting("protect_reads", "COUNTERPOINT_PROTECT_READS",
            "Set to 1 to require the token for reads too, API and web pages (default 0: "
            "reads are public)."),
    Setting("max_upload", "COUNTERPOINT_MAX_UPLOAD",
            "Largest upload the server accepts, in bytes, per request (default 10000000); "
            "larger requests get 413."),
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
    api_token: str | None = None
    api_token_file: str | None = None
    protect_reads: bool = False
    max_upload: int = 10_000_000

    def __post_init__(self) -> None:
        if self.max_bytes <= 0:
            raise ConfigError(f"max_bytes must be positive, got {self.max_bytes}")
        if self.fetch_timeout <= 0:
            raise ConfigError(f"fetch_timeout must be positive, got {self.fetch_timeout}")
        if self.max_upload <= 0:
            raise ConfigError(f"max_upload must be positive, got {self.max_upload}")

    def token(self) -> str | None:
        """The API token: ``api_token``, else the first line of ``api_token_file``;
        ``None`` when neither is set (the server then refuses writes)."""
        if self.api_token:
            return self.api_token.strip() or None
        if not self.api_token_file:
            return None
        try:
            with open(self.api_token_file, encoding="utf-8") as handle:
                line = handle.readline().strip()
        except OSError as exc:
            raise ConfigError(f"{self.api_token_file}: cannot read the API token file "
                              f"({exc.strerror or exc})") from exc
        if not line:
            raise ConfigError(f"{self.api_token_file}: the API token file is empty")
        return line

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
