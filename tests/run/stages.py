"""Stages for the executor tests, importable by worker processes.

``light`` is the real stage with a cheap stand-in for the sentence encoder;
``poison`` misbehaves on documents whose body carries a marker: it raises
(``POISON-RAISE``), hangs (``POISON-HANG``) or kills its process
(``POISON-CRASH``), and is ``light`` on the others. ``whose`` is ``light`` with
the id of the process that ran it after each document's path.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import time
from collections.abc import Sequence

import numpy as np

from counterpoint.run.prepare import Prepared, Tick, prepare
from counterpoint.schema import Document


def light_embed(texts: Sequence[str]) -> np.ndarray:
    """Deterministic unit vectors from a hash of each text (the same in every process)."""
    rows = []
    for text in texts:
        seed = int.from_bytes(hashlib.sha256(text.encode()).digest()[:4], "little")
        v = np.random.default_rng(seed).normal(size=384).astype(np.float32)
        rows.append(v / np.linalg.norm(v))
    return np.array(rows, dtype=np.float32).reshape(len(texts), 384)


def light(documents: Sequence[Document], tick: Tick) -> list[Prepared]:
    return prepare(documents, tick, embed=light_embed)


def poison(documents: Sequence[Document], tick: Tick) -> list[Prepared]:
    for document in documents:
        if "POISON-RAISE" in document.body:
            raise RuntimeError("the analyser tripped over this document")
        if "POISON-HANG" in document.body:
            time.sleep(3600)
        if "POISON-CRASH" in document.body:
            os._exit(3)
    return light(documents, tick)


def whose(documents: Sequence[Document], tick: Tick) -> list[Prepared]:
    return [dataclasses.replace(p, path=f"{p.path}@{os.getpid()}")
            for p in light(documents, tick)]
