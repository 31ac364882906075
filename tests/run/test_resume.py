"""Killing a run at a random point and running it again gives the store an
uninterrupted run gives."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from benchmarks.synthetic import documents

from counterpoint.corpus.ingest import ingest
from counterpoint.schema import Document
from counterpoint.store import Store
from tests.run.stages import light
from tests.run.test_executors import snapshot

REPO = Path(__file__).resolve().parents[2]


def corpus() -> list[Document]:
    """Twenty synthetic news items with two near copies among them."""
    docs = list(documents(20, seed=23))
    for k, (i, j) in enumerate([(2, 9), (4, 15)]):
        words = docs[i].body.split(" ")
        words[len(words) // 3] = "reportedly"
        docs[j] = docs[i].model_copy(update={"id": f"copy-{k}", "path": f"copy-{k}.txt",
                                             "body": " ".join(words),
                                             "published": docs[j].published})
    return docs


def _stored(path: Path) -> int:
    try:
        with sqlite3.connect(path, timeout=5) as conn:
            return int(conn.execute("SELECT count(*) FROM document_vectors").fetchone()[0])
    except sqlite3.Error:  # not created yet
        return 0


@pytest.mark.parametrize("seed", [1, 2])
def test_killed_run_resumes_to_the_same_store(seed: int, tmp_path: Path) -> None:
    reference = tmp_path / "reference.db"
    with Store.open(str(reference)) as store:
        assert {o.status for o in ingest(corpus(), store, stage=light)} == {"stored"}

    killed = tmp_path / "killed.db"
    point = random.Random(seed).randint(1, 15)
    child = subprocess.Popen([sys.executable, "-m", "tests.run.ingest_child", str(killed)],
                             cwd=REPO, start_new_session=True, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)
    deadline = time.monotonic() + 240
    while _stored(killed) < point and child.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert child.poll() is None, "the run ended before it could be killed"
    os.killpg(child.pid, signal.SIGKILL)  # the run and its workers, mid-write
    child.wait(30)
    done = _stored(killed)
    assert point <= done < len(corpus())

    with Store.open(str(killed)) as store:
        statuses = [o.status for o in ingest(corpus(), store, stage=light)]
    assert statuses.count("unchanged") >= done
    assert "failed" not in statuses
    assert snapshot(killed) == snapshot(reference)
