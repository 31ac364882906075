"""What the app holds while it runs: the store, the token rules, one writer at a time,
and a small cache of corpus answers that every write invalidates."""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from fastapi import Request

from counterpoint.config import Settings
from counterpoint.errors import CounterpointError
from counterpoint.store import Store

T = TypeVar("T")

# Answers kept between writes (stories, comparisons, timeline, graph).
CACHE_SIZE = 64
COOKIE = "counterpoint_token"


class AuthError(CounterpointError):
    """A request lacks the right to do what it asks; ``status`` is 401 or 403."""

    def __init__(self, status: int, reason: str) -> None:
        self.status = status
        super().__init__(reason)


@dataclass
class AppState:
    """Shared by every request of one app."""

    store: Store
    settings: Settings
    token: str | None
    write_lock: threading.Lock = field(default_factory=threading.Lock)
    generation: int = 0  # bumped by every write; cached answers carry the one they saw
    _cache: OrderedDict[tuple[Any, ...], tuple[int, Any]] = field(default_factory=OrderedDict)
    _cache_lock: threading.Lock = field(default_factory=threading.Lock)

    def cached(self, key: tuple[Any, ...], compute: Callable[[], T]) -> T:
        """The answer for ``key`` computed since the last write, else ``compute()``."""
        with self._cache_lock:
            hit = self._cache.get(key)
            if hit is not None and hit[0] == self.generation:
                self._cache.move_to_end(key)
                return hit[1]  # type: ignore[no-any-return]
            generation = self.generation
        value = compute()
        with self._cache_lock:
            self._cache[key] = (generation, value)
            while len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
        return value

    def wrote(self) -> None:
        with self._cache_lock:
            self.generation += 1
            self._cache.clear()

    # --- the token rules --------------------------------------------------------------

    def presented(self, request: Request) -> str | None:
        """The token a request carries: ``Authorization: Bearer …`` or the UI's cookie."""
        header = request.headers.get("authorization", "")
        scheme, _, value = header.partition(" ")
        if scheme.lower() == "bearer" and value.strip():
            return value.strip()
        return request.cookies.get(COOKIE) or None

    def valid(self, token: str | None) -> bool:
        return bool(self.token and token and secrets.compare_digest(token, self.token))

    def check_write(self, request: Request, token: str | None = None) -> None:
        """Raise :class:`AuthError` unless the request may write."""
        if self.token is None:
            raise AuthError(403, "writes are disabled: this server has no API token "
                            "(start it with COUNTERPOINT_API_TOKEN or "
                            "COUNTERPOINT_API_TOKEN_FILE set)")
        given = token or self.presented(request)
        if not given:
            raise AuthError(401, "this request writes: send 'Authorization: Bearer TOKEN'")
        if not self.valid(given):
            raise AuthError(401, "the token is not valid")

    def check_read(self, request: Request) -> None:
        """Raise :class:`AuthError` when reads are protected and the request has no
        valid token."""
        if not self.settings.protect_reads:
            return
        if self.token is None:
            raise AuthError(403, "reads are protected but this server has no API token")
        given = self.presented(request)
        if not given:
            raise AuthError(401, "reads are protected: send 'Authorization: Bearer TOKEN' "
                            "or sign in")
        if not self.valid(given):
            raise AuthError(401, "the token is not valid")


def state_of(request: Request) -> AppState:
    return request.app.state.counterpoint  # type: ignore[no-any-return]
