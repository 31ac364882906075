"""Embeddings, story inputs, MinHash signatures and near-duplicate groups in the store."""

from __future__ import annotations

import numpy as np
import pytest

from counterpoint.corpus.stories import PRINCIPALS, StoryDoc
from counterpoint.errors import DocumentNotFound
from counterpoint.schema import Actor, Analysis
from counterpoint.store import Store
from tests.store.conftest import row_counts
from tests.store.searchable import INSTITUTE, REVUE, WIRE, claim, embed_by_hand, searchable

VERSION = "0.1.0"
DIMS = 384


@pytest.fixture
def stored(store: Store) -> Store:
    for doc in searchable():
        store.add(doc, analyzer_version=VERSION)
    return store


def random_vectors(count: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    lead = rng.standard_normal(DIMS).astype(np.float32)
    claims = rng.standard_normal((count, DIMS)).astype(np.float32)
    return lead / np.linalg.norm(lead), claims / np.linalg.norm(claims, axis=1, keepdims=True)


# --- vectors --------------------------------------------------------------------------------


def test_vectors_round_trip_exactly(stored: Store) -> None:
    lead, claims = random_vectors(3)
    assert not stored.has_vectors(WIRE)
    assert stored.vectors(WIRE) is None
    stored.put_vectors(WIRE, lead, claims, model="all-MiniLM-L6-v2")
    assert stored.has_vectors(WIRE)
    assert not stored.has_vectors(REVUE)
    back = stored.vectors(WIRE)
    assert back is not None
    assert back[0].dtype == np.float32 and back[1].dtype == np.float32
    assert np.array_equal(back[0], lead)
    assert np.array_equal(back[1], claims)
    assert back[1].shape == (3, DIMS)
    back[0][0] = 42.0  # the arrays are the caller's own


def test_float64_input_is_stored_as_float32(stored: Store) -> None:
    lead, claims = random_vectors(3)
    stored.put_vectors(WIRE, lead.astype(np.float64), claims.astype(np.float64), model="m")
    back = stored.vectors(WIRE)
    assert back is not None
    assert np.array_equal(back[0], lead) and np.array_equal(back[1], claims)


def test_putting_again_replaces(stored: Store) -> None:
    stored.put_vectors(WIRE, *random_vectors(3, seed=1), model="old")
    lead, claims = random_vectors(3, seed=2)
    stored.put_vectors(WIRE, lead, claims, model="new")
    back = stored.vectors(WIRE)
    assert back is not None
    assert np.array_equal(back[1], claims)
    counts = row_counts(stored)
    assert counts["document_vectors"] == 1
    assert counts["claim_vectors"] == 3


def test_a_document_without_claims(store: Store, minimal: Analysis) -> None:
    store.add(minimal, analyzer_version=VERSION)
    lead, _ = random_vectors(0)
    store.put_vectors(minimal.id, lead, np.zeros((0, DIMS)), model="m")
    back = store.vectors(minimal.id)
    assert back is not None and back[1].shape == (0, DIMS)
    store.put_vectors(minimal.id, lead, np.array([]), model="m")  # an empty list will do


def test_shapes_that_do_not_fit_are_refused(stored: Store) -> None:
    lead, claims = random_vectors(3)
    with pytest.raises(ValueError, match="has 3 claims, got 2"):
        stored.put_vectors(WIRE, lead, claims[:2], model="m")
    with pytest.raises(ValueError, match="shape"):
        stored.put_vectors(WIRE, lead, claims[:, :10], model="m")
    with pytest.raises(ValueError, match="one non-empty row"):
        stored.put_vectors(WIRE, claims, claims, model="m")
    with pytest.raises(DocumentNotFound, match="no-such-doc"):
        stored.put_vectors("no-such-doc", lead, claims, model="m")
    assert not stored.has_vectors(WIRE)
    assert row_counts(stored)["claim_vectors"] == 0


def test_reanalysis_drops_the_vectors(stored: Store) -> None:
    doc = searchable()[0]
    stored.put_vectors(WIRE, *random_vectors(3), model="m")
    stored.add(doc, analyzer_version=VERSION)  # unchanged: vectors stay
    assert stored.has_vectors(WIRE)
    stored.add(doc.model_copy(update={"claims": [claim("Only one claim now.")]}),
               analyzer_version="0.2.0")
    assert not stored.has_vectors(WIRE)
    assert row_counts(stored)["claim_vectors"] == 0
    stored.put_vectors(WIRE, *random_vectors(1), model="m")
    assert stored.has_vectors(WIRE)


def test_deleting_a_document_deletes_its_vectors(stored: Store) -> None:
    stored.put_vectors(WIRE, *random_vectors(3), model="m")
    stored.put_vectors(REVUE, *random_vectors(3), model="m")
    assert stored.delete(WIRE)
    counts = row_counts(stored)
    assert counts["document_vectors"] == 1
    assert counts["claim_vectors"] == 3


# --- story inputs ---------------------------------------------------------------------------


def test_story_inputs(stored: Store) -> None:
    docs = searchable()
    for number, doc in enumerate(docs[:2]):  # the institute's has no vectors
        stored.put_vectors(doc.id, *embed_by_hand(doc, number), model="m")
    inputs = list(stored.story_inputs())
    assert all(isinstance(item, StoryDoc) for item in inputs)
    assert [item.id for item in inputs] == sorted([REVUE, WIRE])
    revue, wire = sorted(inputs, key=lambda item: item.id)
    # Most mentioned first: Xi 5, the Kremlin 4, Putin 3.
    assert wire.actors == ["person:xi-jinping", "org:kremlin", "person:vladimir-putin"]
    assert revue.actors == ["person:vladimir-putin", "person:volodymyr-zelensky"]
    assert (wire.path, wire.title, wire.publisher, wire.published, wire.main_event) == (
        f"corpus/{WIRE}.txt", "Xi meets Putin in Moscow", "Meridian Wire", "2023-03-20",
        "CONSULT")
    assert wire.day is not None and wire.day.isoformat() == "2023-03-20"
    assert revue.main_event is None
    assert np.array_equal(wire.vector, embed_by_hand(docs[0], 0)[0])
    assert [i.id for i in stored.story_inputs(batch_size=1)] == [i.id for i in inputs]


def test_principal_actors_are_the_most_mentioned(store: Store) -> None:
    actors = [Actor(id=f"org:a{i}", name=f"Org {i}", type="org", mentions=i % 4)
              for i in range(8)]
    doc = searchable()[0].model_copy(update={"actors": actors, "claims": []})
    store.add(doc, analyzer_version=VERSION)
    store.put_vectors(doc.id, np.ones(4), np.zeros((0, 4)), model="m")
    (only,) = list(store.story_inputs())
    # Mentions 3, 3, 2, 2, 1 ...; ties by id; at most PRINCIPALS.
    assert list(only.actors) == ["org:a3", "org:a7", "org:a2", "org:a6", "org:a1"][:PRINCIPALS]


def test_story_inputs_of_an_empty_store(store: Store) -> None:
    assert list(store.story_inputs()) == []


# --- MinHash and near-duplicates ------------------------------------------------------------


def test_minhashes(stored: Store) -> None:
    assert list(stored.minhashes()) == []
    stored.set_minhash(WIRE, b"\x00\x01signature")
    stored.set_minhash(INSTITUTE, bytes(range(256)) * 2)
    expected = [(INSTITUTE, bytes(range(256)) * 2), (WIRE, b"\x00\x01signature")]
    assert list(stored.minhashes()) == expected
    assert list(stored.minhashes(batch_size=1)) == expected
    stored.set_minhash(WIRE, None)
    assert [doc for doc, _ in stored.minhashes()] == [INSTITUTE]
    with pytest.raises(DocumentNotFound):
        stored.set_minhash("no-such-doc", b"x")


def test_a_new_body_clears_the_minhash(stored: Store) -> None:
    wire, revue = searchable()[:2]
    stored.set_minhash(WIRE, b"wire")
    stored.set_minhash(REVUE, b"revue")
    stored.add(wire.model_copy(update={"title": "New title"}), analyzer_version="0.2")
    stored.add(revue.model_copy(update={"body": revue.body + " More."}), analyzer_version="0.2")
    assert dict(stored.minhashes()) == {WIRE: b"wire"}


def test_duplicate_groups(stored: Store) -> None:
    assert stored.duplicates() == {}
    stored.set_duplicate(REVUE, WIRE)
    stored.set_duplicate(INSTITUTE, WIRE)
    assert stored.duplicates() == {REVUE: WIRE, INSTITUTE: WIRE}
    stored.set_duplicate(INSTITUTE, None)
    assert stored.duplicates() == {REVUE: WIRE}
    with pytest.raises(DocumentNotFound):
        stored.set_duplicate("no-such-doc", WIRE)
    stored.set_duplicates({INSTITUTE: REVUE, WIRE: REVUE}, reset=True)
    assert stored.duplicates() == {INSTITUTE: REVUE, WIRE: REVUE}
    with pytest.raises(DocumentNotFound):  # all or nothing
        stored.set_duplicates({REVUE: WIRE, "no-such-doc": WIRE})
    assert stored.duplicates() == {INSTITUTE: REVUE, WIRE: REVUE}


def test_dedupe_inputs_carry_provenance_and_signature(store) -> None:  # type: ignore[no-untyped-def]
    from counterpoint.corpus.dedupe import signature
    from counterpoint.schema import Analysis, Provenance

    doc = Analysis(path="t.txt", id="t1", title="Translated", publisher="Red Compass",
                   body="A body long enough to be signed for near duplicate detection here.",
                   provenance=[Provenance(relation="translation", language="Spanish",
                                          date="2023-03-22", source="La Brecha Obrera")])
    store.add(doc, analyzer_version="1")
    assert list(store.dedupe_inputs()) == []  # no signature yet
    store.set_minhash("t1", signature(doc.body))
    [(text, packed)] = list(store.dedupe_inputs())
    assert packed == signature(doc.body)
    assert (text.id, text.title, text.publisher, text.body) == ("t1", "Translated",
                                                                "Red Compass", "")
    assert text.provenance == doc.provenance
