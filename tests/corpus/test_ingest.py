"""The ingest pipeline into a store: idempotent, resumable, duplicates across runs."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from counterpoint.corpus.ingest import ingest
from counterpoint.schema import Document, Provenance
from counterpoint.store import Store

BODY = ("Workers in three cities stopped work on Tuesday to protest the pension reform. "
        "The unions said the strike would continue until the government withdrew the bill, "
        "while ministers called the protest irresponsible and promised to stand firm. "
        "Police reported no arrests in the capital, where the march ended peacefully.")


def _embed(texts: Sequence[str]) -> np.ndarray:
    """A cheap stand-in for the sentence model: deterministic unit vectors."""
    rows = []
    for text in texts:
        rng = np.random.default_rng(abs(hash(text)) % 2**32)
        v = rng.normal(size=384).astype(np.float32)
        rows.append(v / np.linalg.norm(v))
    return np.array(rows, dtype=np.float32).reshape(len(texts), 384)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store.open(str(tmp_path / "ingest.db"))


def _original() -> Document:
    return Document(path="orig.txt", id="orig", title="Strike against pension reform",
                    publisher="La Brecha Obrera", published="2023-03-22", language="es",
                    body=BODY)


def _translation() -> Document:
    """The same article in other words, as a translation reads."""
    body = ("On Tuesday employees in three towns laid down their tools against the pension "
            "bill. Union leaders promised that the stoppage would go on until the cabinet "
            "dropped the proposal; the ministers answered that the action was reckless and "
            "that they would not give way. In the capital the police made no arrests and "
            "the demonstration finished calmly.")
    return Document(path="trans.txt", id="trans", title="A strike against the reform",
                    publisher="Red Compass", published="2023-03-24", language="en", body=body,
                    provenance=[Provenance(relation="translation", language="Spanish",
                                           date="2023-03-22", source="La Brecha Obrera")])


def test_second_run_changes_nothing(store: Store) -> None:
    first = [o.status for o in ingest([_original()], store, embed=_embed)]
    again = [o.status for o in ingest([_original()], store, embed=_embed)]
    assert (first, again) == (["stored"], ["unchanged"])
    assert store.has_vectors("orig") and store.count() == 1


def test_translation_links_to_its_original_whichever_run_comes_first(store: Store) -> None:
    """The index rebuilt from the store at the start of a run keeps provenance, so
    the link is found when the translation was stored in an earlier run."""
    [trans] = ingest([_translation()], store, embed=_embed)
    assert trans.duplicate_of is None
    [orig] = ingest([_original()], store, embed=_embed)
    assert orig.status == "stored"
    assert store.duplicates() == {"trans": "orig"}


def test_a_document_missing_its_vectors_is_redone(store: Store) -> None:
    """An ingest killed after storing the analysis but before the vectors."""
    list(ingest([_original()], store, embed=_embed))
    store.delete("orig")
    from counterpoint.nlp.analyze import analyze

    store.add(analyze(_original()), analyzer_version="0.2.0")
    assert not store.has_vectors("orig")
    [outcome] = ingest([_original()], store, embed=_embed)
    assert outcome.status == "updated" and store.has_vectors("orig")
