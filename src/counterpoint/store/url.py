"""Where the store lives: from ``--db``, ``COUNTERPOINT_DB`` or a per-user default.

Users give a plain file path (a SQLite database) or a URL; PostgreSQL URLs are
pointed at the psycopg 3 driver whatever spelling they use. Every message that
names a database goes through :func:`display_url`, which never shows a password.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from counterpoint.errors import StoreError

__all__ = ["DB_ENV", "default_path", "display_url", "resolve_url"]

DB_ENV = "COUNTERPOINT_DB"
_POSTGRES_SCHEMES = {"postgres", "postgresql", "postgresql+psycopg"}
_SECRET_QUERY_KEYS = {"password", "passfile", "sslpassword"}


def default_path(environ: Mapping[str, str] | None = None) -> Path:
    """The per-user SQLite file: ``$XDG_DATA_HOME/counterpoint/counterpoint.db``.

    The XDG base-directory spec ignores a relative ``XDG_DATA_HOME``, and so do we;
    then the file is ``~/.local/share/counterpoint/counterpoint.db``.
    """
    env = os.environ if environ is None else environ
    xdg = env.get("XDG_DATA_HOME", "")
    base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".local" / "share"
    return base / "counterpoint" / "counterpoint.db"


def resolve_url(url: str | None = None, environ: Mapping[str, str] | None = None) -> URL:
    """Turn what the user gave (or nothing) into a SQLAlchemy URL.

    ``None`` or ``""`` falls through to ``COUNTERPOINT_DB``, then to
    :func:`default_path`. A value without ``://`` is a SQLite file path
    (``~`` expanded, made absolute); ``:memory:`` is an in-memory database.
    """
    env = os.environ if environ is None else environ
    raw = (url or env.get(DB_ENV) or "").strip()
    if not raw:
        return URL.create("sqlite", database=str(default_path(env)))
    if raw == ":memory:":
        return URL.create("sqlite")
    if "://" not in raw:
        return URL.create("sqlite", database=str(Path(raw).expanduser().resolve()))
    try:
        parsed = make_url(raw)
    except (ArgumentError, ValueError) as exc:
        raise StoreError(_masked_text(raw), "not a valid database URL") from exc
    if parsed.drivername in _POSTGRES_SCHEMES:
        return parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            path = Path(parsed.database).expanduser().resolve()
            return parsed.set(database=str(path))
        return parsed
    raise StoreError(display_url(parsed),
                     "unsupported database; use a SQLite file path or a postgresql:// URL")


def display_url(url: URL) -> str:
    """How a database is named in messages: the file path, or the URL without secrets."""
    if url.get_backend_name() == "sqlite":
        return url.database or ":memory:"
    query = {k: ("***" if k.lower() in _SECRET_QUERY_KEYS else v) for k, v in url.query.items()}
    shown = url.set(drivername=url.get_backend_name(), query=query)
    return shown.render_as_string(hide_password=True)


def _masked_text(raw: str) -> str:
    """Hide what looks like a password in a URL SQLAlchemy could not parse."""
    scheme, sep, rest = raw.partition("://")
    userinfo, at, host = rest.rpartition("@")
    if not sep or not at or ":" not in userinfo:
        return raw
    return f"{scheme}://{userinfo.split(':', 1)[0]}:***@{host}"
