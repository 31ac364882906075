"""The REST API: every endpoint, the token rules, bad uploads, errors without tracebacks."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import networkx as nx
import pyarrow.parquet as pq
import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import OTHER, STORY, TOKEN, bearer, client_for, files


def _ids(client: TestClient) -> dict[str, str]:
    """Stored document id by file name."""
    listing = client.get("/api/documents").json()["documents"]
    return {Path(d["path"]).name: d["id"] for d in listing}


# --- the token rules ----------------------------------------------------------------------

def test_without_a_configured_token_writes_are_refused_and_say_why(tmp_path: Path) -> None:
    with client_for(tmp_path) as client:
        response = client.post("/api/documents", files=files(OTHER), headers=bearer())
        assert response.status_code == 403
        assert "no API token" in response.json()["error"]
        assert client.get("/api/documents").json()["total"] == 0
        assert client.get("/api/health").json()["writes"] is False


@pytest.mark.parametrize(("headers", "status"), [
    ({}, 401), (bearer("wrong"), 401), ({"Authorization": "Basic dXNlcjpwYXNz"}, 401)])
def test_writes_need_the_right_token(loaded: TestClient, headers: dict[str, str],
                                     status: int) -> None:
    before = loaded.get("/api/documents").json()["total"]
    response = loaded.post("/api/documents", json={"documents": [{"text": "x " * 50}]},
                           headers=headers)
    assert response.status_code == status
    assert response.headers["www-authenticate"] == "Bearer"
    assert "error" in response.json()
    assert loaded.get("/api/documents").json()["total"] == before


def test_reads_can_be_protected(tmp_path: Path) -> None:
    with client_for(tmp_path, api_token=TOKEN, protect_reads=True) as client:
        assert client.get("/api/documents").status_code == 401
        assert client.get("/api/documents", headers=bearer("nope")).status_code == 401
        assert client.get("/api/documents", headers=bearer()).status_code == 200
        # the web pages too
        page = client.get("/", headers={"Accept": "text/html"})
        assert page.status_code == 401 and "Sign in" in page.text


# --- uploads ------------------------------------------------------------------------------

def test_multipart_upload_stores_and_reports_each_file(loaded: TestClient) -> None:
    names = set(_ids(loaded))
    assert set(STORY) | {OTHER} <= names
    again = loaded.post("/api/documents", files=files(STORY[0]), headers=bearer())
    assert again.status_code == 200
    [result] = again.json()["results"]
    assert result["status"] == "unchanged" and result["source"] == STORY[0]


def test_json_upload(tmp_path: Path) -> None:
    text = ("Ministers from Chile and Peru met in Lima on Tuesday and agreed to reopen the "
            "border crossing at Chacalluta, officials said.")
    with client_for(tmp_path, api_token=TOKEN) as client:
        response = client.post("/api/documents", headers=bearer(), json={"documents": [
            {"text": text, "title": "Chile and Peru reopen crossing", "published": "2024-05-14",
             "publisher": "Andes Wire"}]})
        assert response.status_code == 200, response.text
        [result] = response.json()["results"]
        assert result["status"] == "stored"
        stored = client.get(f"/api/documents/{result['id']}").json()
        assert stored["title"] == "Chile and Peru reopen crossing"
        assert stored["publisher"] == "Andes Wire" and stored["published"] == "2024-05-14"
        assert {"Chile", "Peru"} <= {a["name"] for a in stored["actors"]}


def test_oversized_upload_is_refused_before_anything_is_stored(tmp_path: Path) -> None:
    with client_for(tmp_path, api_token=TOKEN, max_upload=2_000) as client:
        big = ("word " * 2_000).encode()
        response = client.post("/api/documents", headers=bearer(),
                               files=[("files", ("big.txt", big, "text/plain"))])
        assert response.status_code == 413
        assert "limit" in response.json()["error"]
        assert client.get("/api/documents").json()["total"] == 0


@pytest.mark.parametrize(("kwargs", "fragment"), [
    ({"content": b"{not json", "headers": {"Content-Type": "application/json"}},
     "not a valid upload"),
    ({"json": {"documents": []}}, "documents"),
    ({"json": {"documents": [{"text": ""}]}}, "text"),
    ({"json": {"documents": [{"text": "abc", "format": "pdf"}]}}, "format"),
    ({"data": {"nothing": "here"}}, "files"),
])
def test_malformed_uploads_get_a_clear_4xx(loaded: TestClient, kwargs: dict[str, object],
                                           fragment: str) -> None:
    headers = {**bearer(), **kwargs.pop("headers", {})}  # type: ignore[dict-item]
    response = loaded.post("/api/documents", headers=headers, **kwargs)  # type: ignore[arg-type]
    assert 400 <= response.status_code < 500
    message = response.json()["error"]
    assert fragment in message and "Traceback" not in message and "\n" not in message


def test_a_bad_file_fails_alone(tmp_path: Path) -> None:
    with client_for(tmp_path, api_token=TOKEN) as client:
        response = client.post("/api/documents", headers=bearer(), files=[
            ("files", ("empty.txt", b"  \n", "text/plain")),
            ("files", ("blob.bin", bytes(range(256)) * 4, "application/octet-stream")),
            *files(OTHER)])
        assert response.status_code == 200
        by_source = {r["source"]: r for r in response.json()["results"]}
        assert by_source["empty.txt"]["status"] == "failed"
        assert "empty" in by_source["empty.txt"]["error"]
        assert by_source["blob.bin"]["status"] == "failed"
        assert by_source[OTHER]["status"] == "stored"
        # every file failing is a 422, and nothing is stored
        response = client.post("/api/documents", headers=bearer(), files=[
            ("files", ("empty.txt", b"", "text/plain"))])
        assert response.status_code == 422
        assert client.get("/api/documents").json()["total"] == 1


# --- reads --------------------------------------------------------------------------------

def test_documents_list_filters_and_pages(loaded: TestClient) -> None:
    everything = loaded.get("/api/documents").json()
    assert everything["total"] == 3
    dates = [d["published"] for d in everything["documents"]]
    assert dates == sorted(dates, reverse=True)
    saudi = loaded.get("/api/documents", params={"actor": "Saudi Arabia"}).json()
    assert [Path(d["path"]).name for d in saudi["documents"]] == [OTHER]
    page = loaded.get("/api/documents", params={"limit": 1, "offset": 1}).json()
    assert page["documents"] == everything["documents"][1:2]
    later = loaded.get("/api/documents", params={"since": "2023-03-21"}).json()
    assert all(d["published"] >= "2023-03-21" for d in later["documents"])
    assert loaded.get("/api/documents", params={"limit": 0}).status_code == 422


def test_document_analysis_and_unknown_id(loaded: TestClient) -> None:
    ident = _ids(loaded)[STORY[0]]
    analysis = loaded.get(f"/api/documents/{ident}").json()
    assert analysis["id"] == ident and analysis["claims"] and analysis["events"]
    missing = loaded.get("/api/documents/0000000000000000")
    assert missing.status_code == 404 and "0000000000000000" in missing.json()["error"]


def test_stories_and_story_comparison(loaded: TestClient) -> None:
    ids = _ids(loaded)
    stories = loaded.get("/api/stories").json()["stories"]
    [visit] = [s for s in stories if ids[STORY[0]] in {d["id"] for d in s["documents"]}]
    assert {d["id"] for d in visit["documents"]} == {ids[STORY[0]], ids[STORY[1]]}
    detail = loaded.get(f"/api/stories/{visit['id']}").json()
    assert detail["story"]["id"] == visit["id"]
    assert set(detail["comparison"]["unique"]) == {ids[STORY[0]], ids[STORY[1]]}
    assert loaded.get("/api/stories/story-000000000000").status_code == 404


def test_compare(loaded: TestClient) -> None:
    ids = _ids(loaded)
    result = loaded.get("/api/compare", params={"ids": [ids[STORY[0]], ids[STORY[1]]]})
    assert result.status_code == 200
    body = result.json()
    assert {d["id"] for d in body["documents"]} == {ids[STORY[0]], ids[STORY[1]]}
    for group in body["agree"] + body["disagree"]:
        assert group["basis"] and len({c["doc"] for c in group["claims"]}) >= 2
    assert loaded.get("/api/compare", params={"ids": [ids[OTHER]]}).status_code == 400


def test_timeline(loaded: TestClient) -> None:
    entries = loaded.get("/api/timeline").json()["entries"]
    assert entries and all(e["date"] for e in entries)
    years = [e["date"][:4] for e in entries]  # a year sorts among its days by its start
    assert years == sorted(years)
    saudi = loaded.get("/api/timeline", params={"actor": "Saudi Arabia"}).json()["entries"]
    assert saudi and all("Saudi Arabia" in (e["source"] or {}).get("name", "") + (
        e["target"] or {}).get("name", "") for e in saudi)


def test_graph_in_three_formats(loaded: TestClient) -> None:
    data = loaded.get("/api/graph").json()
    graph = nx.node_link_graph(data, edges="edges")
    assert "state:CHN" in graph and graph.number_of_edges() > 0
    graphml = loaded.get("/api/graph", params={"format": "graphml"})
    assert graphml.status_code == 200 and b"<graphml" in graphml.content
    assert b"<gexf" in loaded.get("/api/graph", params={"format": "gexf"}).content
    assert loaded.get("/api/graph", params={"format": "png"}).status_code == 422


def test_search_full_text_and_semantic(loaded: TestClient) -> None:
    hits = loaded.get("/api/search", params={"q": "pipeline"}).json()["hits"]
    assert hits and all("pipeline" in h["text"].lower() for h in hits)
    meaning = loaded.get("/api/search", params={"q": "gas exports through a new pipeline",
                                                "semantic": "true", "limit": 3}).json()
    assert len(meaning["hits"]) == 3 and meaning["semantic"] is True
    assert loaded.get("/api/search").status_code == 422


def test_export_in_each_format(loaded: TestClient) -> None:
    jsonl = loaded.get("/api/export", params={"kind": "events", "format": "jsonl"})
    rows = [json.loads(line) for line in jsonl.text.splitlines()]
    ids = set(_ids(loaded).values())
    assert rows and {"doc", "type", "sentence", "start", "end"} <= rows[0].keys()
    assert {row["doc"] for row in rows} <= ids
    table = list(csv.DictReader(io.StringIO(loaded.get(
        "/api/export", params={"kind": "gdelt", "format": "csv"}).text)))
    assert table and {"GLOBALEVENTID", "SQLDATE"} <= table[0].keys()
    parquet = loaded.get("/api/export", params={"kind": "claims", "format": "parquet"})
    assert pq.read_table(io.BytesIO(parquet.content)).num_rows > 0
    assert "attachment" in parquet.headers["content-disposition"]


def test_openapi_schema_lists_every_endpoint(loaded: TestClient) -> None:
    schema = loaded.get("/api/openapi.json").json()
    assert schema["info"]["title"] == "counterpoint"
    paths = set(schema["paths"])
    assert {"/api/documents", "/api/documents/{document_id}", "/api/stories",
            "/api/stories/{story_id}", "/api/compare", "/api/timeline", "/api/graph",
            "/api/search", "/api/export", "/api/health"} <= paths
    assert not any(not p.startswith("/api") for p in paths)  # pages stay out of the schema
    assert "multipart/form-data" in schema["paths"]["/api/documents"]["post"][
        "requestBody"]["content"]
    assert loaded.get("/api/docs").status_code == 200


def test_errors_never_leak_a_traceback(loaded: TestClient,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*_: object, **__: object) -> None:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(loaded.app.state.counterpoint.store, "count", boom)  # type: ignore[attr-defined]
    response = loaded.get("/api/health")
    assert response.status_code == 500
    assert response.json() == {"error": "internal error; the server log has the details"}
