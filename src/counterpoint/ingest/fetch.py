"""Fetch an http(s) URL with a timeout and a size cap."""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from counterpoint.config import Settings
from counterpoint.errors import FetchError, InputTooLarge

__all__ = ["Fetched", "fetch_url"]


@dataclass(frozen=True)
class Fetched:
    """The bytes of a fetched URL, its final URL and what the server said it was."""

    url: str
    data: bytes
    content_type: str
    charset: str | None


def fetch_url(url: str, settings: Settings) -> Fetched:
    """GET ``url``; raise :class:`FetchError` or :class:`InputTooLarge` with a clear reason."""
    headers = {"User-Agent": settings.user_agent, "Accept": "text/html,application/xhtml+xml,"
               "application/rss+xml,application/atom+xml,text/plain;q=0.9,*/*;q=0.5"}
    try:
        with httpx.Client(timeout=settings.fetch_timeout, follow_redirects=True,
                          headers=headers) as client, client.stream("GET", url) as response:
            if response.status_code >= 400:
                raise FetchError(url, f"HTTP {response.status_code} {response.reason_phrase}")
            declared = response.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > settings.max_bytes:
                raise InputTooLarge(url, f"{int(declared):,} bytes is over the "
                                    f"{settings.max_bytes:,}-byte limit")
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > settings.max_bytes:
                    raise InputTooLarge(url, f"more than the {settings.max_bytes:,}-byte limit")
                chunks.append(chunk)
            content_type = response.headers.get("content-type", "")
            return Fetched(url=str(response.url), data=b"".join(chunks),
                           content_type=content_type.split(";")[0].strip().lower(),
                           charset=response.charset_encoding)
    except httpx.TimeoutException as exc:
        raise FetchError(url, f"timed out after {settings.fetch_timeout:g} s") from exc
    except httpx.ConnectError as exc:
        raise FetchError(url, f"unreachable ({_reason(exc)})") from exc
    except httpx.HTTPError as exc:
        raise FetchError(url, _reason(exc)) from exc


def _reason(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
