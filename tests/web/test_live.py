"""A live ``counterpoint serve`` on 127.0.0.1 under 20 clients at once."""

from __future__ import annotations

import os
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from tests.web.conftest import TOKEN, bearer, start_server, stop_server

CLIENTS = 20
CITIES = ("Lima", "Quito", "Bogota", "Caracas", "La Paz", "Asuncion", "Montevideo",
          "Santiago", "Brasilia", "Panama City")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = tmp_path_factory.mktemp("live") / "live.db"
    env = {**os.environ, "COUNTERPOINT_API_TOKEN": TOKEN}
    process, url = start_server(db, env)
    try:
        yield url
    finally:
        stop_server(process)


def _article(n: int) -> dict[str, str]:
    city = CITIES[n % len(CITIES)]
    return {"text": f"Trade ministers met in {city} on day {n} of the regional summit and "
                    f"agreed to cut tariffs on {n + 3} kinds of farm goods, officials said. "
                    f"Delegates from {n + 2} countries attended the talks in {city}.",
            "title": f"Summit day {n} in {city}", "published": f"2024-05-{n % 28 + 1:02d}",
            "source": f"summit-{n}"}


def test_twenty_clients_at_once_lose_nothing(server: str) -> None:
    def one(n: int) -> list[int]:
        with httpx.Client(base_url=server, timeout=120) as client:
            statuses = []
            response = client.post("/api/documents", json={"documents": [_article(n)]},
                                   headers=bearer())
            statuses.append(response.status_code)
            if response.status_code == 200:
                [result] = response.json()["results"]
                statuses.append(200 if result["status"] == "stored" else 599)
                statuses.append(client.get(f"/api/documents/{result['id']}").status_code)
            statuses.append(client.get("/api/documents").status_code)
            statuses.append(client.get("/api/search", params={"q": "tariffs"}).status_code)
            statuses.append(client.get("/", headers={"Accept": "text/html"}).status_code)
            return statuses

    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        results = list(pool.map(one, range(CLIENTS)))
    assert all(status == 200 for statuses in results for status in statuses), results
    listing = httpx.get(f"{server}/api/documents", params={"limit": 100}).json()
    assert listing["total"] == CLIENTS
    assert {d["title"] for d in listing["documents"]} == {
        _article(n)["title"] for n in range(CLIENTS)}


def test_the_live_server_refuses_writes_without_the_token(server: str) -> None:
    response = httpx.post(f"{server}/api/documents", json={"documents": [_article(99)]})
    assert response.status_code == 401
    assert httpx.get(f"{server}/api/documents/{'f' * 16}").status_code == 404


def test_serve_without_a_token_says_writes_are_refused(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COUNTERPOINT_API")}
    process, url = start_server(tmp_path / "open.db", env)
    try:
        response = httpx.post(f"{url}/api/documents", json={"documents": [_article(1)]},
                              headers=bearer())
        assert response.status_code == 403 and "no API token" in response.json()["error"]
    finally:
        stop_server(process)
    assert process.stdout is not None
    assert b"writes are refused" in process.stdout.read()
