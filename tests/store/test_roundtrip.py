"""What goes into the store comes back out, every contract field, on both backends."""

from __future__ import annotations

from pydantic import BaseModel
from sqlalchemy import select

from counterpoint import schema
from counterpoint.schema import Analysis
from counterpoint.store import DocumentSummary, Store
from counterpoint.store.convert import STORED_FIELDS
from counterpoint.store.models import ActorRow, EventRow, ToneRow
from tests.shared import shared_path

VERSION = "0.1.0"


def test_every_contract_field_is_stored() -> None:
    # A field added to the contract must be mapped in store/convert.py (and a migration).
    for name, fields in STORED_FIELDS.items():
        model = getattr(schema, name)
        assert issubclass(model, BaseModel)
        assert set(model.model_fields) == fields, f"schema.{name} fields changed"


def test_real_analyses_round_trip(store: Store, corpus: list[Analysis]) -> None:
    for analysis in corpus:
        assert store.add(analysis, analyzer_version=VERSION) == analysis.id
    assert store.count() == len(corpus)
    for analysis in corpus:
        assert store.get(analysis.id).model_dump() == analysis.model_dump(), analysis.path
    by_id = sorted(corpus, key=lambda a: a.id)
    assert [a.model_dump() for a in store.iter_analyses(batch_size=4)] == [
        a.model_dump() for a in by_id]


def test_real_analyses_cover_the_optional_fields(corpus: list[Analysis]) -> None:
    # So the round trip above exercises footnote events and claims, voices, provenance.
    assert any(e.footnote for a in corpus for e in a.events)
    assert any(c.footnote for a in corpus for c in a.claims)
    assert any(s.voice for a in corpus for s in a.sections)
    assert any(a.provenance for a in corpus)
    assert any(a.related for a in corpus)
    assert any(a.tone.by_actor for a in corpus)


def test_the_seed_pages_are_in_the_corpus(corpus: list[Analysis]) -> None:
    seeds = shared_path("corpus", "seeds")
    paths = {a.path for a in corpus}
    for name in ("000_65b1ef5a0d5ea50e.txt", "002_c08222278913e595.txt"):
        assert any(p.endswith(name) for p in paths), (seeds, name)


def test_hand_built_analysis_round_trips(store: Store, full: Analysis,
                                         minimal: Analysis) -> None:
    for analysis in (full, minimal):
        store.add(analysis, analyzer_version=VERSION)
        back = store.get(analysis.id)
        assert back.model_dump() == analysis.model_dump()
        assert back.model_dump_json() == analysis.model_dump_json()


def test_lists_keep_their_order(store: Store, full: Analysis) -> None:
    reordered = full.model_copy(update={
        "id": "reordered", "authors": full.authors[::-1], "events": full.events[::-1],
        "tone": schema.Tone(by_actor=dict(reversed(full.tone.by_actor.items())))})
    store.add(reordered, analyzer_version=VERSION)
    back = store.get("reordered")
    assert [a.name for a in back.authors] == [a.name for a in reordered.authors]
    assert [e.type for e in back.events] == ["ACCUSE", "CONSULT"]
    assert list(back.tone.by_actor) == list(reordered.tone.by_actor)


def test_normalised_rows_are_queryable(store: Store, full: Analysis) -> None:
    store.add(full, analyzer_version=VERSION)
    with store.engine.connect() as conn:
        consult = conn.execute(select(EventRow.document_id, EventRow.source_id)
                               .where(EventRow.type == "CONSULT",
                                      EventRow.date >= "2023-03")).all()
        assert consult == [("hand-built-0001", "person:xi-jinping")]
        actors = dict(conn.execute(select(ActorRow.id, ActorRow.country)).all())
        assert actors["person:vladimir-putin"] == "RUS"
        tones = dict(conn.execute(select(ToneRow.actor_name, ToneRow.actor_id)).all())
        # "Analysts" names two actors of the document: no id is guessed.
        assert tones == {"Xi Jinping": "person:xi-jinping", "Analysts": None,
                         "Vladimir Putin": "person:vladimir-putin"}


def test_actors_are_shared_across_documents(store: Store, full: Analysis) -> None:
    other = full.model_copy(update={"id": "second"})
    store.add(full, analyzer_version=VERSION)
    store.add(other, analyzer_version=VERSION)
    with store.engine.connect() as conn:
        ids = conn.scalars(select(ActorRow.id)).all()
    assert sorted(ids) == sorted(a.id for a in full.actors)


def test_documents_listing(store: Store, full: Analysis, minimal: Analysis) -> None:
    assert store.documents() == []
    assert store.count() == 0
    store.add(minimal, analyzer_version=VERSION)
    store.add(full, analyzer_version=VERSION)
    assert store.documents() == [
        DocumentSummary(id=full.id, path=full.path, title=full.title,
                        publisher=full.publisher, published=full.published),
        DocumentSummary(id=minimal.id, path=minimal.path),
    ]
    assert store.count() == 2


def test_documents_listing_filters_and_pages(store: Store, full: Analysis,
                                             minimal: Analysis) -> None:
    store.add(minimal, analyzer_version=VERSION)
    store.add(full, analyzer_version=VERSION)
    assert [d.id for d in store.documents(source="säkerhetspolitik")] == [full.id]
    assert [d.id for d in store.documents(since="2023-03")] == [full.id]
    assert store.documents(until="2022") == []
    assert [d.id for d in store.documents(limit=1, offset=1)] == [minimal.id]
    assert store.documents(actor="nobody-at-all") == []
    assert store.count(source="säkerhetspolitik") == 1 and store.count(actor="nobody-at-all") == 0
