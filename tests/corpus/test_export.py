"""Export: tables in JSONL, CSV and Parquet, and the GDELT-style event table."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from counterpoint.corpus.export import (
    EXPORT_KINDS,
    ActorRow,
    ClaimRow,
    DocumentRow,
    EventRow,
    GdeltRow,
    export,
)
from counterpoint.errors import ConfigError
from counterpoint.schema import Analysis, Author, Footnote, MainEvent, Section, Voice
from tests.corpus.factories import IRAN, RUSSIA, SAUDI, UKRAINE, XI, analysis, claim, event

VISIT = 'Xi Jinping, "the dear friend", arrived in Moscow,\nthen met Putin.'
DEAL = "Saudi Arabia and Iran agreed to restore relations."

GDELT_COLUMNS = [
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "DatePrecision",
    "Actor1Code", "Actor1Name", "Actor1CountryCode", "Actor1Type1Code",
    "Actor2Code", "Actor2Name", "Actor2CountryCode", "Actor2Type1Code",
    "IsRootEvent", "EventCode", "EventRootCode", "QuadClass",
    "NumMentions", "NumSources", "NumArticles", "AvgTone",
    "ActionGeo_FullName", "ActionGeo_CountryCode", "DATEADDED", "SOURCEURL",
    "sentence", "negated", "modality", "holder", "doc_ids", "summary",
]


def _corpus() -> list[Analysis]:
    """Four documents: a wire and its copy, a magazine, an institute; the visit in three."""
    wire = analysis(
        "wire", event("CONSULT", XI, RUSSIA, "2023-03-20", mode="visit", sentence=VISIT,
                      location="Moscow", holder="Anna Korvin"),
        event("AGREE", SAUDI, IRAN, "2023-03", sentence=DEAL, start=len(VISIT) + 1),
        publisher="Meridian Wire", url="https://wire.example.com/xi", published="2023-03-21",
        title='Xi in Moscow, "again"', main_event=MainEvent(type="CONSULT", mode="visit"),
        claims=[claim(VISIT, 0, tone=0.5)],
        authors=[Author(name="Anna Korvin"), Author(name="Li, Wen", role="editor")],
        sections=[Section(heading="Trade, energy", voice=Voice(name="Jonas"), text="a\nb")],
        footnotes=[Footnote(marker="1", text='A "note", with commas')])
    copy = wire.model_copy(update={"id": "wire-copy", "path": "wire-copy.txt",
                                   "publisher": "Reposter"})
    magazine = analysis(
        "mag", event("CONSULT", XI, RUSSIA, "2023-03", mode="visit", sentence="Xi visited."),
        publisher="Meridian Wire", published="2023-03-24",
        tone={"Xi Jinping": -0.4, "Russia": -0.2})
    institute = analysis(
        "inst", event("CONSULT", XI, RUSSIA, None, mode="visit", sentence="The visit."),
        event("ASSAULT", RUSSIA, UKRAINE, "2022", sentence="Russia invaded.", negated=True),
        publisher="IOSS", published=None)
    return [wire, copy, magazine, institute]


DUPLICATES = {"wire-copy": "wire"}


def _jsonl(kind: str, corpus: list[Analysis] | None = None) -> list[dict[str, Any]]:
    out = io.StringIO()
    count = export(corpus if corpus is not None else _corpus(), kind, "jsonl", out,
                   duplicates=DUPLICATES)
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert count == len(rows)
    return rows


# --- counts and formats -------------------------------------------------------------------

@pytest.mark.parametrize(("kind", "expected"), [
    ("documents", 4), ("actors", 4 * 7), ("events", 2 + 2 + 1 + 2), ("claims", 2),
    ("gdelt", 3)])
@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_row_counts(tmp_path: Path, kind: str, expected: int, fmt: str) -> None:
    path = tmp_path / f"{kind}.{fmt}"
    assert export(_corpus(), kind, fmt, path, duplicates=DUPLICATES) == expected
    if fmt == "jsonl":
        assert len(path.read_text("utf-8").splitlines()) == expected
    elif fmt == "csv":
        with path.open(encoding="utf-8", newline="") as handle:
            assert len(list(csv.DictReader(handle))) == expected
    else:
        assert pq.read_table(path).num_rows == expected


@pytest.mark.parametrize(("kind", "model"), [
    ("documents", DocumentRow), ("actors", ActorRow), ("events", EventRow),
    ("claims", ClaimRow), ("gdelt", GdeltRow)])
def test_csv_header_is_the_row_model(tmp_path: Path, kind: str, model: type[Any]) -> None:
    path = tmp_path / "out.csv"
    export(_corpus(), kind, "csv", path)
    header = path.read_bytes().decode("utf-8").split("\r\n", 1)[0]
    assert header.split(",") == list(model.model_fields)


def test_csv_escapes_commas_quotes_and_newlines(tmp_path: Path) -> None:
    path = tmp_path / "events.csv"
    export(_corpus(), "events", "csv", path)
    raw = path.read_text("utf-8")
    assert '"Xi Jinping, ""the dear friend"", arrived in Moscow,\nthen met Putin."' in raw
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows[0]["sentence"] == VISIT
    assert rows[0]["negated"] == "false" and rows[0]["footnote"] == ""
    assert rows[0]["is_root"] == "true" and rows[1]["is_root"] == "false"
    assert [r["negated"] for r in rows].count("true") == 1


def test_csv_json_encodes_nested_fields(tmp_path: Path) -> None:
    path = tmp_path / "documents.csv"
    export(_corpus(), "documents", "csv", path, duplicates=DUPLICATES)
    with path.open(encoding="utf-8", newline="") as handle:
        first = next(csv.DictReader(handle))
    assert first["title"] == 'Xi in Moscow, "again"'
    assert json.loads(first["authors"])[1] == {"name": "Li, Wen", "role": "editor",
                                               "affiliation": None}
    assert json.loads(first["sections"])[0]["text"] == "a\nb"
    assert json.loads(first["footnotes"]) == [{"marker": "1", "text": 'A "note", with commas'}]
    assert first["n_events"] == "2" and first["main_event_type"] == "CONSULT"


@pytest.mark.parametrize("kind", EXPORT_KINDS)
def test_parquet_reads_back_as_the_jsonl_rows(tmp_path: Path, kind: str) -> None:
    path = tmp_path / f"{kind}.parquet"
    export(_corpus(), kind, "parquet", path, duplicates=DUPLICATES)
    assert pq.read_table(path).to_pylist() == _jsonl(kind)


def test_parquet_batches_rows_into_row_groups(tmp_path: Path) -> None:
    path = tmp_path / "actors.parquet"
    assert export(_corpus(), "actors", "parquet", path, row_group=10) == 28
    assert pq.ParquetFile(path).num_row_groups == 3


def test_empty_exports(tmp_path: Path) -> None:
    assert export([], "events", "parquet", tmp_path / "e.parquet") == 0
    table = pq.read_table(tmp_path / "e.parquet")
    assert table.num_rows == 0 and table.column_names == list(EventRow.model_fields)
    assert export([], "events", "csv", tmp_path / "e.csv") == 0
    header = ",".join(EventRow.model_fields) + "\r\n"
    assert (tmp_path / "e.csv").read_bytes().decode("utf-8") == header
    assert export([], "gdelt", "jsonl", tmp_path / "g.jsonl") == 0


def test_streams_text_and_binary() -> None:
    text, binary = io.StringIO(), io.BytesIO()
    assert export(_corpus(), "claims", "csv", text) == 2
    assert export(_corpus(), "claims", "csv", binary) == 2
    assert text.getvalue().encode("utf-8") == binary.getvalue()
    assert not binary.closed
    parquet = io.BytesIO()
    assert export(_corpus(), "claims", "parquet", parquet) == 2
    assert pq.read_table(io.BytesIO(parquet.getvalue())).num_rows == 2
    with pytest.raises(ConfigError, match="Parquet"):
        export(_corpus(), "claims", "parquet", io.StringIO())


def test_jsonl_streams_rows_as_analyses_arrive() -> None:
    out = io.StringIO()
    seen: list[int] = []

    def analyses() -> Iterator[Analysis]:
        for doc in _corpus():
            seen.append(out.getvalue().count("\n"))
            yield doc

    export(analyses(), "events", "jsonl", out)
    # before each document is read, the previous documents' rows are already written
    assert seen == [0, 2, 4, 5]


def test_unknown_kind_or_format_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="export kind 'stories'"):
        export(_corpus(), "stories", "jsonl", io.StringIO())
    with pytest.raises(ConfigError, match="export format 'xlsx'"):
        export(_corpus(), "events", "xlsx", io.StringIO())


# --- tables -------------------------------------------------------------------------------

def test_document_actor_and_claim_rows() -> None:
    documents = {row["id"]: row for row in _jsonl("documents")}
    assert documents["wire-copy"]["canonical"] == "wire"
    assert documents["wire"]["canonical"] == "wire"
    assert documents["wire"]["authors"][0] == {"name": "Anna Korvin", "role": None,
                                               "affiliation": None}
    actors = [row for row in _jsonl("actors") if row["doc"] == "mag"]
    xi = next(row for row in actors if row["id"] == XI.id)
    assert xi["tone"] == -0.4 and xi["aliases_seen"] == XI.aliases_seen
    assert next(row for row in actors if row["id"] == UKRAINE.id)["tone"] is None
    [first, _] = _jsonl("claims")
    assert (first["doc"], first["holder_kind"], first["certainty_label"]) == (
        "wire", "author", "almost certain")
    assert first["text"] == VISIT and first["tone"] == 0.5


def test_event_rows_flatten_actors_and_have_stable_ids() -> None:
    rows = _jsonl("events")
    visit = rows[0]
    assert (visit["source_id"], visit["source_name"]) == (XI.id, "Xi Jinping")
    assert (visit["target_id"], visit["target_name"]) == (RUSSIA.id, "Russia")
    assert visit["date_precision"] == "day" and visit["holder"] == "Anna Korvin"
    assert len(visit["id"]) == 16 and visit["id"] == _jsonl("events")[0]["id"]
    # the copy has the same events but other ids (the id hashes the document id)
    assert rows[2]["doc"] == "wire-copy" and rows[2]["id"] != visit["id"]
    assert len({row["id"] for row in rows}) == len(rows)


def test_gdelt_table_merges_reports_and_counts_sources() -> None:
    rows = _jsonl("gdelt")
    assert list(rows[0]) == GDELT_COLUMNS
    by_code = {row["EventCode"]: row for row in rows}
    visit = by_code["CONSULT.visit"]
    # day precision → YYYYMMDD
    assert (visit["SQLDATE"], visit["MonthYear"], visit["Year"]) == (20230320, 202303, 2023)
    assert visit["DatePrecision"] == "day"
    assert (visit["Actor1Code"], visit["Actor1Name"], visit["Actor1CountryCode"],
            visit["Actor1Type1Code"]) == (XI.id, "Xi Jinping", "CHN", "person")
    assert (visit["Actor2Code"], visit["Actor2CountryCode"]) == (RUSSIA.id, "RUS")
    assert (visit["EventRootCode"], visit["QuadClass"]) == ("CONSULT", 1)
    # wire, magazine and institute report it; the wire's copy counts once; the wire and
    # the magazine share a publisher
    assert (visit["NumMentions"], visit["NumArticles"], visit["NumSources"]) == (3, 3, 2)
    assert visit["doc_ids"] == ["inst", "mag", "wire"]
    assert visit["IsRootEvent"] == 1
    # tones: the wire's claim (0.5), the magazine toward Xi and Russia (-0.3); none for inst
    assert visit["AvgTone"] == pytest.approx(0.1)
    assert visit["ActionGeo_FullName"] == "Moscow" and visit["ActionGeo_CountryCode"] == "RUS"
    assert visit["DATEADDED"] == 20230321
    assert visit["SOURCEURL"] == "https://wire.example.com/xi"
    assert visit["sentence"] == VISIT and visit["holder"] == "Anna Korvin"
    assert visit["summary"] == "2023-03-20 · CONSULT (visit) · Xi Jinping → Russia"
    assert isinstance(visit["GLOBALEVENTID"], int) and visit["GLOBALEVENTID"] > 0
    deal = by_code["AGREE"]
    assert (deal["SQLDATE"], deal["DatePrecision"]) == (20230301, "month")
    assert deal["NumArticles"] == 1 and deal["IsRootEvent"] == 0 and deal["AvgTone"] is None
    war = by_code["ASSAULT"]
    assert (war["SQLDATE"], war["MonthYear"], war["Year"]) == (20220101, None, 2022)
    assert war["negated"] is True and war["QuadClass"] == 4 and war["DATEADDED"] is None
    assert war["SOURCEURL"] == "inst.txt"
    # timeline order: 2022, then March 20, then "March 2023"
    assert [row["EventRootCode"] for row in rows] == ["ASSAULT", "CONSULT", "AGREE"]
    # the ids are stable from run to run
    assert [row["GLOBALEVENTID"] for row in rows] == [r["GLOBALEVENTID"] for r in _jsonl("gdelt")]


def test_gdelt_without_duplicates_counts_the_copy() -> None:
    out = io.StringIO()
    export(_corpus(), "gdelt", "jsonl", out)
    visit = next(json.loads(line) for line in out.getvalue().splitlines()
                 if json.loads(line)["EventRootCode"] == "CONSULT")
    assert (visit["NumArticles"], visit["NumSources"]) == (4, 3)
