"""The web app over a temporary SQLite store, with and without a token, and a live server."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from counterpoint.config import Settings
from counterpoint.web import create_app

TOKEN = "test-token-123"
EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "corpus"
# Two reports of the same visit (a story) and one of another event.
STORY = ("a1_wire_meridian_xi_putin_talks.txt", "a5_russian_state_severinform_putin_xi.txt")
OTHER = "b1_wire_continental_saudi_iran_deal.html"


def client_for(tmp: Path, **settings: object) -> TestClient:
    app = create_app(Settings(db=str(tmp / "store.db"), **settings))  # type: ignore[arg-type]
    return TestClient(app, raise_server_exceptions=False)


def bearer(token: str = TOKEN) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def files(*names: str) -> list[tuple[str, tuple[str, bytes, str]]]:
    return [("files", (name, (EXAMPLES / name).read_bytes(), "application/octet-stream"))
            for name in names]


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """An app with a token whose store holds the two reports of the visit and one other."""
    tmp = tmp_path_factory.mktemp("web")
    with client_for(tmp, api_token=TOKEN) as client:
        response = client.post("/api/documents", files=files(*STORY, OTHER), headers=bearer())
        assert response.status_code == 200, response.text
        yield client


@dataclass
class LiveServer:
    url: str
    db: Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(db: Path, env: dict[str, str]) -> tuple[subprocess.Popen[bytes], str]:
    """``counterpoint serve`` in a child process; returns once /api/health answers."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "counterpoint", "serve", "--db", str(db), "--port", str(port)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = process.stdout.read().decode() if process.stdout else ""
            raise RuntimeError(f"counterpoint serve exited: {output}")
        try:
            if httpx.get(f"{url}/api/health", timeout=2).status_code == 200:
                return process, url
        except httpx.HTTPError:
            time.sleep(0.3)
    process.kill()
    raise RuntimeError("counterpoint serve did not answer within 60 s")


def stop_server(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
