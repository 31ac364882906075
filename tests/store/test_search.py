"""Full-text and semantic search in the store, the same on SQLite and PostgreSQL."""

from __future__ import annotations

import numpy as np
import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import text

from counterpoint.errors import ConfigError
from counterpoint.schema import Analysis
from counterpoint.store import SearchHit, Store
from counterpoint.store import api as store_api
from counterpoint.store.migrate import alembic_config, upgrade
from counterpoint.store.search import FTS_BODY_CHARS, fts5_query
from tests.store.searchable import (
    CLAIMS,
    INSTITUTE,
    REVUE,
    WIRE,
    claim,
    embed_by_hand,
    searchable,
    unit,
)

VERSION = "0.1.0"


@pytest.fixture
def filled(store: Store) -> Store:
    """The store with the three searchable documents and hand-made vectors."""
    for number, doc in enumerate(searchable()):
        store.add(doc, analyzer_version=VERSION)
        lead, claims = embed_by_hand(doc, number)
        store.put_vectors(doc.id, lead, claims, model="hand-made")
    return store


def texts(hits: list[SearchHit]) -> list[str]:
    return [hit.text for hit in hits]


def docs(hits: list[SearchHit]) -> set[str]:
    return {hit.document_id for hit in hits}


# --- full text ------------------------------------------------------------------------------


def test_a_word_finds_its_claim(filled: Store) -> None:
    hits = filled.search("multipolar")
    assert texts(hits) == [CLAIMS[INSTITUTE][0]]
    hit = hits[0]
    assert hit.kind == "claim"
    assert hit.document_id == INSTITUTE
    assert hit.path == f"corpus/{INSTITUTE}.txt"
    assert hit.title == "Quick Comment: a warrant"
    assert hit.publisher == "Utrikespolitiska institutet"
    assert hit.published is None
    assert (hit.start, hit.end) == (0, len(CLAIMS[INSTITUTE][0]))
    assert hit.holder == "the author"
    assert hit.footnote is None
    assert hit.position == 0
    assert hit.score > 0


def test_words_are_stemmed_and_case_free(filled: Store) -> None:
    assert texts(filled.search("SANCTION")) == texts(filled.search("sanctions"))
    assert len(filled.search("sanctioned")) == 2
    assert texts(filled.search("rejecting")) == [CLAIMS[REVUE][1]]


def test_the_better_match_ranks_first(filled: Store) -> None:
    hits = filled.search("sanctions Russia")
    # Both words twice in a short claim beat both once in a long one.
    assert texts(hits) == [CLAIMS[WIRE][0], CLAIMS[REVUE][0]]
    assert hits[0].score > hits[1].score


def test_all_words_must_match(filled: Store) -> None:
    assert texts(filled.search("sanctions tariffs")) == [CLAIMS[REVUE][0]]
    assert filled.search("sanctions penguins") == []


def test_web_search_syntax(filled: Store) -> None:
    assert texts(filled.search('"peace plan"')) == [CLAIMS[REVUE][1]]
    assert filled.search('"plan peace"') == []
    assert texts(filled.search("sanctions -tariffs")) == [CLAIMS[WIRE][0]]
    assert set(texts(filled.search("multipolar or strike"))) == {
        CLAIMS[INSTITUTE][0], CLAIMS[REVUE][2]}
    assert filled.search("the of and") == []  # only stop words
    assert filled.search("   ") == []


# Strings that are syntax to FTS5, tsquery, LIKE or SQL, or that drivers refuse.
AWKWARD = [
    "\"China's", "OR AND (", "AND", "NOT", "NEAR(a b)", "*", "a*", "\"", "-", "--", "(((",
    ")", "title: x", "text:peace", "'; DROP TABLE claims; --", "\\", "^peace", "{}", "a:b",
    "\"unclosed phrase", "-\"", "or", "peace OR", "OR peace", "😀", "ü\x00x", "\ud800", "%", "_",
    "peace & war | !x <-> y", "peace:*",
]


def test_punctuation_and_operators_never_raise(filled: Store) -> None:
    for query in AWKWARD:
        assert isinstance(filled.search(query), list), query
        assert isinstance(filled.search(query, kind="document"), list), query
        assert isinstance(filled.search(query, actor=query, source=query), list), query
    # Operators of the backends' own languages are just words (or nothing) to us.
    assert texts(filled.search("peace:*")) == [CLAIMS[REVUE][1]]


def test_an_apostrophe_still_finds_the_word(filled: Store) -> None:
    assert texts(filled.search("\"China's")) == [CLAIMS[REVUE][1]]
    assert texts(filled.search("China's peace")) == [CLAIMS[REVUE][1]]


def test_fts5_query_quotes_every_word() -> None:
    assert fts5_query("China's peace") == '"china" AND "peace"'
    assert fts5_query("OR AND (") is None  # 'and' is a stop word, the rest punctuation
    assert fts5_query('"OR AND ("') == '"or and"'  # in quotes, words are words
    assert fts5_query('"a phrase" -not -word') == '("a phrase") NOT "word"'
    assert fts5_query("x or y z") == '("x" OR "y") AND "z"'
    assert fts5_query("anti-war") == '("anti" AND "war")'
    assert fts5_query("the") is None
    assert fts5_query("-only") is None


def test_documents_are_searched_by_title_and_body(filled: Store) -> None:
    hits = filled.search("Moscow", kind="document")
    assert [hit.document_id for hit in hits] == [WIRE]
    assert hits[0].kind == "document"
    assert hits[0].text.startswith(CLAIMS[WIRE][0][:50])
    assert hits[0].position is None and hits[0].start is None
    assert docs(filled.search("warrant", kind="document")) == {INSTITUTE}  # title and body
    assert docs(filled.search("comment", kind="document")) == {INSTITUTE}  # title only


def test_limit(filled: Store) -> None:
    assert len(filled.search("sanctions", limit=1)) == 1
    with pytest.raises(ConfigError, match="limit"):
        filled.search("sanctions", limit=0)
    with pytest.raises(ConfigError, match="kind"):
        filled.search("sanctions", kind="event")  # type: ignore[arg-type]


# --- filters --------------------------------------------------------------------------------


def test_actor_by_id_name_or_alias(filled: Store) -> None:
    for actor in ("person:xi-jinping", "Xi Jinping", "xi", "XI", "习近平"):
        assert docs(filled.search("energy or multipolar or peace", actor=actor)) == {
            WIRE, INSTITUTE}, actor
    for actor in ("Vladimir Putin", "putin", "путин"):  # Cyrillic in any case
        assert docs(filled.search("energy or multipolar or peace", actor=actor)) == {
            WIRE, REVUE}, actor
    assert filled.search("energy or multipolar or peace", actor="Nobody at all") == []
    assert docs(filled.search("energy or multipolar or peace", actor="un")) == {INSTITUTE}
    # A canonical name that is also another actor's alias means both actors.
    with filled.engine.begin() as conn:
        conn.execute(text("UPDATE document_actors SET aliases_seen = :a WHERE actor_id = :x"),
                      {"a": '["Putin", "Kremlin"]', "x": "person:vladimir-putin"})
    assert docs(filled.search("energy or multipolar or peace", actor="kremlin")) == {
        WIRE, REVUE, INSTITUTE}


def test_source_by_publisher_or_id(filled: Store) -> None:
    query = "energy or multipolar or peace"
    assert docs(filled.search(query, source="rouge")) == {REVUE}
    assert docs(filled.search(query, source="UTRIKES")) == {INSTITUTE}
    assert docs(filled.search(query, source=WIRE)) == {WIRE}
    assert filled.search(query, source="%") == []  # LIKE wildcards are plain characters
    assert filled.search(query, source="_") == []


def test_date_range(filled: Store) -> None:
    query = "energy or multipolar or peace"
    assert docs(filled.search(query)) == {WIRE, REVUE, INSTITUTE}
    assert docs(filled.search(query, since="2023-03-22")) == {REVUE}  # undated left out
    assert docs(filled.search(query, until="2023-03-20")) == {WIRE}
    assert docs(filled.search(query, since="2023-03-20", until="2023-03-24")) == {WIRE, REVUE}
    assert docs(filled.search(query, until="2023-03")) == {WIRE, REVUE}  # all of March
    assert docs(filled.search(query, since="2023")) == {WIRE, REVUE}
    assert filled.search(query, since="2023-03-25") == []
    assert docs(filled.search(query, since=" 2023-03-22 ", until="")) == {REVUE}
    for bad in ("2023-13-01", "yesterday", "2023-3-1", "23-03-01", "2023-02-30"):
        with pytest.raises(ConfigError, match="not an ISO date"):
            filled.search(query, since=bad)


def test_filters_combine_and_narrow_before_ranking(filled: Store) -> None:
    # The best match overall is the wire's; filtered to the revue, its claim comes first.
    hits = filled.search("sanctions Russia", source="revue", limit=1)
    assert texts(hits) == [CLAIMS[REVUE][0]]
    assert filled.search("sanctions", actor="xi", since="2023-03-21") == []


# --- semantic -------------------------------------------------------------------------------


def test_semantic_returns_the_nearest_claim_first(filled: Store) -> None:
    # Claim 1 of the revue (document 1) has basis vector 4*1 + 1 + 1 = 6.
    query = unit(6, noise=0.3)
    hits = filled.search("anything", semantic=True, query_vector=query, limit=3)
    assert hits[0].text == CLAIMS[REVUE][1]
    assert hits[0].score == pytest.approx(1 / np.sqrt(1.09), abs=1e-5)
    # The next basis vector is the runner-up; everything else is orthogonal.
    assert hits[1].text == CLAIMS[REVUE][2]
    assert hits[2].score == pytest.approx(0.0, abs=1e-6)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_semantic_is_the_same_in_small_batches(filled: Store,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    query = unit(9, noise=0.5) + unit(2) * 0.2
    whole = filled.search("", semantic=True, query_vector=query, limit=3)
    monkeypatch.setattr(store_api, "SEMANTIC_BATCH", 2)
    assert filled.search("", semantic=True, query_vector=query, limit=3) == whole
    assert texts(whole) == [CLAIMS[INSTITUTE][0], CLAIMS[INSTITUTE][1], CLAIMS[WIRE][1]]


def test_semantic_filters_and_documents(filled: Store) -> None:
    query = unit(6)  # the revue's claim
    hits = filled.search("", semantic=True, query_vector=query, source="wire")
    assert docs(hits) == {WIRE}
    leads = filled.search("", semantic=True, query_vector=unit(8), kind="document")
    assert leads[0].document_id == INSTITUTE  # document 2's lead is basis vector 8
    assert leads[0].score == pytest.approx(1.0)
    assert filled.search("", semantic=True, query_vector=query, model="another-model") == []
    assert filled.search("", semantic=True, query_vector=np.ones(3)) == []  # other dims
    with pytest.raises(ValueError, match="query_vector"):
        filled.search("peace", semantic=True)


# --- keeping the index consistent -----------------------------------------------------------


def test_reanalysis_replaces_the_indexed_text(filled: Store) -> None:
    old = searchable()[2]
    new_text = "Beijing prefers a bipolar arrangement."
    newer = old.model_copy(update={"claims": [claim(new_text)], "title": "Renamed"})
    filled.add(newer, analyzer_version="0.2.0")
    assert filled.search("multipolar") == []
    assert texts(filled.search("bipolar")) == [new_text]
    assert filled.search("Quick Comment", kind="document") == []
    assert docs(filled.search("renamed", kind="document")) == {INSTITUTE}
    # The same analysis again (older version) changes nothing.
    filled.add(old, analyzer_version="0.1.0")
    assert texts(filled.search("bipolar")) == [new_text]


def test_deleting_a_document_removes_it_from_search(filled: Store) -> None:
    assert filled.delete(INSTITUTE)
    assert not filled.delete(INSTITUTE)
    assert filled.search("multipolar") == []
    assert filled.search("warrant", kind="document") == []
    semantic = filled.search("", semantic=True, query_vector=unit(9), limit=100)
    assert len(semantic) == 6
    assert INSTITUTE not in docs(semantic)
    assert len(filled.search("energy or strike")) == 3  # the others are intact


def test_children_deleted_in_sql_leave_no_stale_entries(filled: Store) -> None:
    with filled.engine.begin() as conn:
        conn.execute(text("DELETE FROM claims WHERE document_id = :d"), {"d": WIRE})
        conn.execute(text("UPDATE claims SET text = 'Beijing wants harmony.' "
                          "WHERE document_id = :d AND position = 0"), {"d": INSTITUTE})
    assert docs(filled.search("sanctions")) == {REVUE}
    assert filled.search("multipolar") == []
    assert texts(filled.search("harmony")) == ["Beijing wants harmony."]
    _check_sqlite_index(filled)


def _check_sqlite_index(store: Store) -> None:
    """On SQLite: one FTS key per claim and per document, and FTS5's own integrity check."""
    if store.dialect != "sqlite":
        return
    with store.engine.begin() as conn:
        keys = conn.scalar(text("SELECT count(*) FROM fts_keys"))
        rows = conn.scalar(text("SELECT (SELECT count(*) FROM claims) + "
                                "(SELECT count(*) FROM documents)"))
        assert keys == rows
        orphans = conn.scalar(text(
            "SELECT count(*) FROM fts_keys k WHERE k.position >= 0 AND NOT EXISTS "
            "(SELECT 1 FROM claims c WHERE c.document_id = k.document_id "
            "AND c.position = k.position)"))
        assert orphans == 0
        for table in ("claims_fts", "documents_fts"):
            conn.execute(text(f"INSERT INTO {table} ({table}) VALUES ('integrity-check')"))


def test_many_replacements_keep_the_index_consistent(store: Store) -> None:
    doc = searchable()[0]
    for version in range(1, 6):
        texts_now = [f"Revision {version} says tariffs rise.", f"Filler number {version}."]
        store.add(doc.model_copy(update={"claims": [claim(t) for t in texts_now]}),
                  analyzer_version=f"0.{version}")
    assert texts(store.search("revision")) == ["Revision 5 says tariffs rise."]
    assert texts(store.search("filler")) == ["Filler number 5."]
    _check_sqlite_index(store)


# --- the migration --------------------------------------------------------------------------


def test_upgrading_from_0001_indexes_what_is_stored(store: Store) -> None:
    for doc in searchable():
        store.add(doc, analyzer_version=VERSION)
    with store.engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0001")
    upgrade(store.engine)
    assert texts(store.search("multipolar")) == [CLAIMS[INSTITUTE][0]]
    assert docs(store.search("warrant", kind="document")) == {INSTITUTE}
    _check_sqlite_index(store)
    # And the index keeps up with later writes.
    store.add(searchable()[2].model_copy(update={"claims": []}), analyzer_version="0.2")
    assert store.search("multipolar") == []
    _check_sqlite_index(store)


def test_body_cap_matches_the_migration() -> None:
    script = ScriptDirectory.from_config(alembic_config())
    revision = script.get_revision("0002")
    assert revision is not None
    assert revision.module.FTS_BODY_CHARS == FTS_BODY_CHARS


def test_a_body_beyond_the_cap_is_stored_and_its_head_searchable(store: Store,
                                                                 full: Analysis) -> None:
    long = full.model_copy(update={"body": "intro words " + "filler " * (FTS_BODY_CHARS // 7)
                                   + " zanzibar"})
    store.add(long, analyzer_version=VERSION)
    assert docs(store.search("intro", kind="document")) == {full.id}
    assert store.search("zanzibar", kind="document") == []
