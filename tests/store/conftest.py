"""Fixtures for the store tests: one database per test on each backend, real analyses.

Every test that takes ``store`` or ``db_url`` runs twice: on a SQLite file in
``tmp_path`` and on PostgreSQL from ``COUNTERPOINT_TEST_PG`` (skipped when that
variable is unset or empty; a failure when it is set and the server does not
answer). Each PostgreSQL test gets its own fresh schema, selected through the
connection's ``search_path`` and dropped afterwards, so tests never see each
other's rows.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from counterpoint.schema import (
    Actor,
    ActorRef,
    Analysis,
    Author,
    CertaintyOut,
    Claim,
    DateMention,
    Event,
    Footnote,
    Holder,
    MainEvent,
    Provenance,
    RawItem,
    Related,
    Section,
    Tone,
    Voice,
)
from counterpoint.store import Store
from counterpoint.store.models import Base
from tests.shared import REPO, SEEDS

PG_ENV = "COUNTERPOINT_TEST_PG"
EXAMPLES = REPO / "examples" / "corpus"


def _libpq_url(url: str) -> str:
    """The test URL as psycopg takes it (no SQLAlchemy driver suffix)."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def pg_base_url() -> str:
    """The PostgreSQL test database; skip when not configured, fail when unreachable."""
    url = os.environ.get(PG_ENV, "")
    if not url:
        pytest.skip(f"{PG_ENV} is not set: PostgreSQL tests skipped")
    import psycopg

    try:
        with psycopg.connect(_libpq_url(url), connect_timeout=10) as conn:
            conn.execute("SELECT 1")
    except psycopg.Error as exc:
        pytest.fail(f"{PG_ENV} is set but PostgreSQL is unreachable: {exc}")
    return url


@pytest.fixture
def pg_url(pg_base_url: str) -> Iterator[str]:
    """A URL whose connections live in a fresh schema, dropped after the test."""
    import psycopg

    schema = f"cp_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(_libpq_url(pg_base_url), autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    url = make_url(pg_base_url).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with psycopg.connect(_libpq_url(pg_base_url), autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty database on each backend."""
    if request.param == "sqlite":
        return str(tmp_path / "store" / "counterpoint.db")
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    """An open store on a fresh database."""
    with Store.open(db_url) as opened:
        yield opened


def row_counts(store: Store) -> dict[str, int]:
    """Rows in every table of the store."""
    with store.engine.connect() as conn:
        return {table.name: int(conn.scalar(select(func.count()).select_from(table)) or 0)
                for table in Base.metadata.sorted_tables}


# --- what is stored -----------------------------------------------------------------------


def _corpus_sources() -> list[str]:
    sources = [str(EXAMPLES)]
    if SEEDS.is_dir():
        sources += [str(p) for p in sorted(SEEDS.glob("*.txt"))]
    return sources


@pytest.fixture(scope="session")
def corpus() -> list[Analysis]:
    """Real analyses of the bundled sample corpus and the two seed pages (built once)."""
    from counterpoint.extract import extract
    from counterpoint.ingest import iter_items
    from counterpoint.nlp.analyze import analyze_many

    items = [i for i in iter_items(_corpus_sources()) if isinstance(i, RawItem)]
    return list(analyze_many(extract(item) for item in items))


@pytest.fixture
def full() -> Analysis:
    """A hand-built analysis setting every optional field, with None and unicode values."""
    body = ("Xi Jinping met Vladimir Putin in Moscow on 21 March 2023. «Мир» — 和平 — 🕊️. "
            "Analysts said a deal was likely [1].")
    return Analysis(
        path="dumps/ünïcode — page.txt",
        id="hand-built-0001",
        title="Xi in Moscow: «переговоры» and 会谈",
        subtitle="A dek with an em dash — and quotes “like these”",
        series="Quick Comment",
        publisher="Institut för säkerhetspolitik",
        url="https://example.org/påstå?x=1&y=ü",
        authors=[Author(name="Anna Korvin", role="Correspondent", affiliation="Meridian Wire"),
                 Author(name="李文")],
        published="2023-03-21",
        published_estimated=True,
        language="en",
        body=body,
        sections=[
            Section(text="Intro without heading or voice."),
            Section(heading="", voice=Voice(name="Björn Ström"), text="Voice with no role."),
            Section(heading="Expert view",
                    voice=Voice(name="Jane Roe", role="Senior fellow", affiliation="ISP"),
                    text="Text with a\nnewline and a tab\t."),
        ],
        footnotes=[Footnote(marker="1", text="A note: the ICC issued a warrant."),
                   Footnote(marker="*", text="")],
        provenance=[Provenance(relation="translation", language="fr", date="2023-03-24",
                               source="Revue Rouge"),
                    Provenance(relation="republication")],
        related=[Related(title="Another article", author="X. Y.", date="2023-03-01"),
                 Related(title="Teaser with nothing else")],
        format="html",
        actors=[
            Actor(id="person:xi-jinping", name="Xi Jinping", type="person", country="CHN",
                  aliases_seen=["Xi", "Xi Jinping", "习近平"], mentions=3),
            Actor(id="person:vladimir-putin", name="Vladimir Putin", type="person",
                  country="RUS", aliases_seen=["Putin"], mentions=1),
            Actor(id="group:analysts", name="Analysts", type="group"),
            Actor(id="org:analysts-2", name="Analysts", type="org", country=None,
                  aliases_seen=[], mentions=0),
        ],
        dates=[DateMention(text="21 March 2023", value="2023-03-21", precision="day",
                           start=41, end=54, reason="absolute"),
               DateMention(text="soon", start=0, end=4)],
        events=[
            Event(type="CONSULT", mode="visit",
                  source=ActorRef(id="person:xi-jinping", name="Xi Jinping"),
                  target=ActorRef(name="Moscow hosts"), date="2023-03-21",
                  date_precision="day", location="Moscow", negated=True,
                  modality="planned", sentence="Xi Jinping met Vladimir Putin.", start=0,
                  end=30, holder="author", trigger="met"),
            Event(type="ACCUSE", sentence="the ICC issued a warrant", start=8, end=32,
                  footnote="1"),
        ],
        claims=[
            Claim(text="a deal was likely", holder=Holder(name="Analysts", kind="unnamed"),
                  attribution="reported",
                  certainty=CertaintyOut(label="likely", probability=0.7, cue="likely"),
                  tone=-0.3333333333333333, start=80, end=97),
            Claim(text="the warrant is «illegal»",
                  holder=Holder(name="Vladimir Putin", kind="actor",
                                actor_id="person:vladimir-putin"),
                  attribution="quoted",
                  certainty=CertaintyOut(label="certain", probability=1.0),
                  start=0, end=10, footnote="1"),
        ],
        tone=Tone(by_actor={"Xi Jinping": 0.25, "Analysts": -1.0, "Vladimir Putin": 0.0}),
        main_event=MainEvent(type="CONSULT"),
        analysis_notes=["note one", "ünïcode note"],
    )


@pytest.fixture
def minimal() -> Analysis:
    """The smallest valid analysis: everything optional left out."""
    return Analysis(path="-", id="minimal-0001")
