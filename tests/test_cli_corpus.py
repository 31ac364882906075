"""The corpus commands on the bundled sample corpus, as an analyst runs them.

Expectations come from what each article says (examples/corpus/MANIFEST.yaml):
story A is Xi Jinping's March 2023 visit to Moscow (seven pages, one wire item,
one RSS item), story B the China-brokered Iran–Saudi agreement (three pages, one
wire item, one RSS item).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import CliResult
from tests.shared import REPO

Cli = Callable[..., CliResult]
CORPUS = REPO / "examples" / "corpus"


def _manifest() -> list[dict[str, Any]]:
    data = yaml.safe_load((CORPUS / "MANIFEST.yaml").read_text("utf-8"))
    return list(data["documents"])


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("store") / "corpus.db"
    done = _run("ingest", str(CORPUS), "--db", str(path))
    assert done.returncode == 0, done.stderr
    return path


def _run(*args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COUNTERPOINT_")}
    env.update(PYTHONIOENCODING="utf-8", NO_COLOR="1")
    return subprocess.run([sys.executable, "-m", "counterpoint", *args], capture_output=True,
                          text=True, timeout=timeout, env=env, check=False)


def _stored(db: Path) -> list[dict[str, Any]]:
    done = _run("export", "--kind", "documents", "--db", str(db))
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


def _story_of(doc: dict[str, Any], manifest: list[dict[str, Any]]) -> str:
    """The manifest's story for a stored document: by file name, and item id for
    feed and JSONL items (whose paths read FILE:LINE or FILE#ENTRY)."""
    name = Path(doc["path"].split("#")[0]).name.rsplit(":", 1)[0]
    for entry in manifest:
        if entry["file"] == name and entry.get("item_id") in (None, doc["id"]):
            return str(entry["story"])
    raise AssertionError(f"{doc['path']} ({doc['id']}) is not in the manifest")


def test_ingest_stores_every_document_once(db: Path) -> None:
    stored = _stored(db)
    assert len(stored) == len(_manifest()) == 14
    again = _run("ingest", str(CORPUS), "--db", str(db))
    assert again.returncode == 0
    assert "14 unchanged" in again.stderr


def test_stories_are_the_two_real_events(db: Path) -> None:
    done = _run("stories", "--json", "--db", str(db))
    assert done.returncode == 0, done.stderr
    stories = json.loads(done.stdout)["stories"]
    manifest = _manifest()
    found = [sorted(_story_of(d, manifest) for d in s["documents"]) for s in stories]
    assert sorted(found) == [["A"] * 9, ["B"] * 5], found
    for story in stories:
        assert story["id"] and story["title"]
        assert all({"id", "path", "title", "publisher"} <= d.keys() for d in story["documents"])


def _by_file(db: Path, name: str) -> str:
    return next(d["id"] for d in _stored(db) if Path(d["path"]).name == name)


def test_compare_pipeline_claims_by_id(db: Path) -> None:
    """The Russian state outlet says the pipeline deal is in effect reached; the wire
    says no contract was signed."""
    russian = _by_file(db, "a5_russian_state_severinform_putin_xi.txt")
    wire = _by_file(db, "a1_wire_meridian_xi_putin_talks.txt")
    done = _run("compare", russian, wire, "--json", "--db", str(db))
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert [d["id"] for d in result["documents"]] == [russian, wire]
    texts = [" ".join(c["text"] for c in g["claims"]) for g in result["disagree"]]
    assert any("pipeline" in t and "no pipeline contract" in t for t in texts), texts
    agreed = [" ".join(c["text"] for c in g["claims"]) for g in result["agree"]]
    assert any("190 billion" in t for t in agreed)
    assert set(result["unique"]) == {russian, wire}
    assert "China" in result["tone"][russian]


def test_timeline_merges_the_visit_across_sources(db: Path) -> None:
    done = _run("timeline", "--actor", "Xi Jinping", "--json", "--db", str(db))
    assert done.returncode == 0, done.stderr
    entries = [json.loads(line) for line in done.stdout.splitlines()]
    visits = [e for e in entries if e["type"] == "CONSULT" and e["date"] == "2023-03-20"]
    assert visits and max(len({r["doc"] for r in e["reports"]}) for e in visits) >= 3
    dates = [e["date"] for e in entries]
    assert dates == sorted(dates, key=lambda d: (d[:4], d)) or len(dates) == len(set(dates))


def test_graph_and_export(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "actors.json"
    done = _run("graph", "--format", "json", "-o", str(out), "--db", str(db))
    assert done.returncode == 0, done.stderr
    graph = json.loads(out.read_text("utf-8"))
    ids = {n["id"] for n in graph["nodes"]}
    assert {"state:CHN", "state:RUS", "state:IRN", "state:SAU"} <= ids
    done = _run("export", "--kind", "gdelt", "--format", "csv", "--db", str(db))
    assert done.returncode == 0, done.stderr
    header = done.stdout.splitlines()[0].split(",")
    assert {"GLOBALEVENTID", "SQLDATE", "Actor1Code", "EventCode", "SOURCEURL"} <= set(header)


def _snapshot(db: Path) -> list[Any]:
    rows = _stored(db)
    events = _run("export", "--kind", "events", "--db", str(db)).stdout
    return [sorted(json.dumps(r, sort_keys=True) for r in rows), sorted(events.splitlines())]


def test_killed_ingest_resumes_to_the_same_database(tmp_path: Path, db: Path) -> None:
    target = tmp_path / "killed.db"
    env = {k: v for k, v in os.environ.items() if not k.startswith("COUNTERPOINT_")}
    # small batches: documents are stored every few seconds, so the kill lands mid-run
    process = subprocess.Popen([sys.executable, "-m", "counterpoint", "ingest", str(CORPUS),
                                "--db", str(target), "--batch-size", "2"], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and process.poll() is None:
        if target.exists() and _count(target) >= 1:
            break
        time.sleep(0.2)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert _count(target) < 14, "the run finished before it could be killed"
    done = _run("ingest", str(CORPUS), "--db", str(target))
    assert done.returncode == 0, done.stderr
    assert _snapshot(target) == _snapshot(db)


def _count(path: Path) -> int:
    import sqlite3

    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5) as conn:
            return int(conn.execute("select count(*) from documents").fetchone()[0])
    except sqlite3.Error:
        return 0


def test_bad_inputs_to_corpus_commands(tmp_path: Path) -> None:
    """One line per failure, the other inputs still stored, exit code 1 (2 for usage)."""
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    good = CORPUS / "b2_gulf_almanara_riyadh_beijing.txt"
    store = tmp_path / "bad.db"
    done = _run("ingest", str(empty), str(good), str(tmp_path / "missing.txt"),
                "--db", str(store))
    assert done.returncode == 1
    errors = [ln for ln in done.stderr.splitlines() if ln.startswith("error:")]
    assert len(errors) == 2 and any("empty.txt" in e for e in errors)
    assert any("missing.txt" in e for e in errors)
    assert "1 stored" in done.stderr
    compare = _run("compare", "0123456789abcdef", str(good), "--db", str(store))
    assert compare.returncode == 1
    assert "0123456789abcdef" in compare.stderr and "Traceback" not in compare.stderr
    search = _run("search", "Riyadh", "--since", "March 2023", "--db", str(store))
    assert search.returncode == 2 and "Traceback" not in search.stderr
    unreachable = _run("stories", "--db", "postgresql://nobody@127.0.0.1:1/none")
    assert unreachable.returncode == 2
    assert len(unreachable.stderr.strip().splitlines()) == 1


def test_ingest_with_workers_writes_parquet_the_store_agrees_with(db: Path,
                                                                    tmp_path: Path) -> None:
    """--workers 2 --out DIR: the same documents, canonical copies and claims as the
    store the default in-process run made, as Parquet tables."""
    import pyarrow.dataset as ds

    out = tmp_path / "tables"
    done = _run("ingest", str(CORPUS), "--workers", "2", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert f"Parquet tables under {out}" in done.stderr
    stored = {d["id"]: d for d in _stored(db)}
    table = ds.dataset(str(out / "documents"), format="parquet").to_table()
    rows = {r["id"]: r for r in table.to_pylist()}
    assert rows.keys() == stored.keys()
    assert {i: r["canonical"] for i, r in rows.items()} == \
        {i: d["canonical"] for i, d in stored.items()}
    assert {i: r["n_claims"] for i, r in rows.items()} == \
        {i: d["n_claims"] for i, d in stored.items()}
    again = _run("ingest", str(CORPUS), "--out", str(out))
    assert again.returncode == 0 and f"{len(stored)} unchanged" in again.stderr


def test_ingest_scale_options_fail_clearly(tmp_path: Path) -> None:
    good = str(CORPUS / "b2_gulf_almanara_riyadh_beijing.txt")
    unreachable = _run("ingest", good, "--dask", "tcp://127.0.0.1:1", "--db",
                       str(tmp_path / "a.db"))
    assert unreachable.returncode == 2
    assert unreachable.stderr.strip().splitlines() == [
        line for line in unreachable.stderr.strip().splitlines() if "Dask scheduler" in line]
    afile = tmp_path / "file.txt"
    afile.write_text("x")
    blocked = _run("ingest", good, "--out", str(afile))
    assert blocked.returncode == 2 and "not a directory" in blocked.stderr
    assert "Traceback" not in blocked.stderr + unreachable.stderr
    workers = _run("ingest", good, "--workers", "0")
    assert workers.returncode == 2
