"""The actor gazetteer: coverage of states, metonyms, organisations, office holders, validation."""

from __future__ import annotations

import copy
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from counterpoint.errors import CounterpointError
from counterpoint.nlp.gazetteer import (
    FILES,
    Gazetteer,
    GazetteerError,
    build_gazetteer,
    load_gazetteer,
    load_gazetteer_from,
    parse_date,
)

# The 193 member states of the United Nations, by ISO 3166-1 alpha-3.
UN_MEMBERS = re.findall(r"[A-Z]{3}", """
AFG ALB DZA AND AGO ATG ARG ARM AUS AUT AZE BHS BHR BGD BRB BLR BEL BLZ BEN BTN BOL BIH BWA BRA
BRN BGR BFA BDI CPV KHM CMR CAN CAF TCD CHL CHN COL COM COG CRI CIV HRV CUB CYP CZE PRK COD DNK
DJI DMA DOM ECU EGY SLV GNQ ERI EST SWZ ETH FJI FIN FRA GAB GMB GEO DEU GHA GRC GRD GTM GIN GNB
GUY HTI HND HUN ISL IND IDN IRN IRQ IRL ISR ITA JAM JPN JOR KAZ KEN KIR KWT KGZ LAO LVA LBN LSO
LBR LBY LIE LTU LUX MDG MWI MYS MDV MLI MLT MHL MRT MUS MEX FSM MCO MNG MNE MAR MOZ MMR NAM NRU
NPL NLD NZL NIC NER NGA MKD NOR OMN PAK PLW PAN PNG PRY PER PHL POL PRT QAT KOR MDA ROU RUS RWA
KNA LCA VCT WSM SMR STP SAU SEN SRB SYC SLE SGP SVK SVN SLB SOM ZAF SSD ESP LKA SDN SUR SWE CHE
SYR TJK THA TLS TGO TON TTO TUN TUR TKM TUV UGA UKR ARE GBR TZA USA URY UZB VUT VEN VNM YEM ZMB
ZWE
""")


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return load_gazetteer()


def ids(gaz: Gazetteer, surface: str) -> list[str]:
    return [a.id for a in gaz.lookup(surface)]


# --- states -------------------------------------------------------------------------


def test_every_un_member_and_observer_is_a_state_with_demonym_and_capital(gaz: Gazetteer) -> None:
    assert len(set(UN_MEMBERS)) == 193
    for code in [*UN_MEMBERS, "PSE", "VAT", "TWN", "XKX"]:
        state = gaz.by_id(f"state:{code}")
        assert state is not None, code
        assert state.type == "state" and state.country == code
        assert state.demonyms and state.capital, code
        assert ", " not in state.name, f"{code}: display name {state.name!r} is inverted"
    assert len(gaz.of_type("state")) == 197


def test_territories_are_not_states(gaz: Gazetteer) -> None:
    for code in ("HKG", "PRI", "GRL", "ATA", "ESH"):
        assert gaz.by_id(f"state:{code}") is None


def test_names_come_from_pycountry(gaz: Gazetteer) -> None:
    assert ids(gaz, "Russian Federation") == ["state:RUS"]
    assert ids(gaz, "United Kingdom of Great Britain and Northern Ireland") == ["state:GBR"]
    assert gaz.by_id("state:KOR").name == "South Korea"  # type: ignore[union-attr]
    assert gaz.by_id("state:RUS").name == "Russia"  # type: ignore[union-attr]
    assert gaz.by_id("state:XKX").name == "Kosovo"  # type: ignore[union-attr]


@pytest.mark.parametrize(("surface", "code"), [
    ("the Kremlin", "RUS"), ("Kremlin", "RUS"), ("Moscow", "RUS"),
    ("Beijing", "CHN"), ("Zhongnanhai", "CHN"),
    ("Washington", "USA"), ("the White House", "USA"), ("the Pentagon", "USA"),
    ("Foggy Bottom", "USA"),
    ("Kyiv", "UKR"), ("Kiev", "UKR"),
    ("Downing Street", "GBR"), ("Whitehall", "GBR"), ("Westminster", "GBR"),
    ("the Élysée", "FRA"), ("Elysee", "FRA"), ("the Quai d’Orsay", "FRA"),
    ("Berlin", "DEU"), ("Jerusalem", "ISR"), ("Tehran", "IRN"), ("Ankara", "TUR"),
])
def test_metonyms_stand_for_the_state(gaz: Gazetteer, surface: str, code: str) -> None:
    assert ids(gaz, surface) == [f"state:{code}"]


@pytest.mark.parametrize(("surface", "code"), [
    ("Russia", "RUS"), ("Britain", "GBR"), ("the UK", "GBR"), ("the US", "USA"),
    ("U.S.", "USA"), ("America", "USA"), ("the United States", "USA"),
    ("South Korea", "KOR"), ("North Korea", "PRK"), ("DPRK", "PRK"), ("Iran", "IRN"),
    ("Syria", "SYR"), ("Türkiye", "TUR"), ("Turkey", "TUR"), ("the Netherlands", "NLD"),
    ("Holland", "NLD"), ("Ivory Coast", "CIV"), ("Burma", "MMR"), ("UAE", "ARE"),
    ("Palestine", "PSE"), ("Vatican", "VAT"), ("Taiwan", "TWN"), ("CHINA", "CHN"),
])
def test_common_names_resolve(gaz: Gazetteer, surface: str, code: str) -> None:
    assert ids(gaz, surface) == [f"state:{code}"]


def test_acronyms_are_case_sensitive(gaz: Gazetteer) -> None:
    assert ids(gaz, "us") == []
    assert ids(gaz, "who") == []
    assert ids(gaz, "let") == []
    assert ids(gaz, "LeT") == ["armed:let"]
    assert ids(gaz, "WHO") == ["igo:who"]


def test_ambiguity_is_visible(gaz: Gazetteer) -> None:
    assert set(ids(gaz, "Georgia")) == {"state:GEO", "place:georgia-us"}
    assert set(ids(gaz, "Congo")) == {"state:COG", "state:COD"}
    assert ids(gaz, "Brussels") == ["igo:eu"]


@pytest.mark.parametrize(("word", "code"), [
    ("Chinese", "CHN"), ("Russian", "RUS"), ("Ukrainian", "UKR"), ("American", "USA"),
    ("Americans", "USA"), ("Britons", "GBR"), ("Frenchmen", "FRA"), ("Sino", "CHN"),
    ("Swiss", "CHE"), ("Nigerien", "NER"), ("Nigerian", "NGA"),
    ("Korean", None), ("Congolese", None), ("Martian", None),
])
def test_demonym_country(gaz: Gazetteer, word: str, code: str | None) -> None:
    assert gaz.demonym_country(word) == code


# --- organisations ------------------------------------------------------------------


@pytest.mark.parametrize(("surface", "actor_id", "actor_type", "country"), [
    ("NATO", "igo:nato", "igo", None), ("Nato", "igo:nato", "igo", None),
    ("ICC", "igo:icc", "igo", None), ("International Criminal Court", "igo:icc", "igo", None),
    ("the Security Council", "igo:unsc", "igo", None), ("BRICS", "igo:brics", "igo", None),
    ("Wagner", "armed:wagner", "armed_group", "RUS"),
    ("Hamas", "armed:hamas", "armed_group", "PSE"),
    ("Ansar Allah", "armed:houthis", "armed_group", "YEM"),
    ("Daesh", "armed:isis", "armed_group", None),
    ("IRGC", "org:irgc", "org", "IRN"),
    ("the Global South", "group:global-south", "group", None),
    ("Xinhua", "media:xinhua", "media", "CHN"),
    ("Amnesty International", "ngo:amnesty", "ngo", None),
    ("SCEEUS", "org:sceeus", "org", "SWE"),
])
def test_organisations_resolve_with_type(
    gaz: Gazetteer, surface: str, actor_id: str, actor_type: str, country: str | None
) -> None:
    (actor,) = gaz.lookup(surface)
    assert (actor.id, actor.type, actor.country) == (actor_id, actor_type, country)


# --- people and offices -------------------------------------------------------------


@pytest.mark.parametrize(("where", "role", "day", "name"), [
    ("CHN", "head_of_state", "2023-03-20", "Xi Jinping"),
    ("USA", "head_of_state", "2023-03-20", "Joe Biden"),
    ("USA", "head_of_government", "2023-03-20", "Joe Biden"),
    ("USA", "head_of_state", "2017-01-20", "Donald Trump"),
    ("RUS", "head_of_government", "2010-01-01", "Vladimir Putin"),
    ("RUS", "head_of_state", "2010-01-01", "Dmitry Medvedev"),
    ("RUS", "head_of_state", "2023-03-20", "Vladimir Putin"),
    ("GBR", "head_of_government", "2019-06-01", "Theresa May"),
    ("GBR", "head_of_government", "2019-08-01", "Boris Johnson"),
    ("GBR", "head_of_government", "2019-07-24", "Boris Johnson"),
    ("DEU", "head_of_government", "2010-06-15", "Angela Merkel"),
    ("UKR", "head_of_state", "2023-03-20", "Volodymyr Zelensky"),
    ("FRA", "head_of_state", "2009-01-01", "Nicolas Sarkozy"),
    ("RUS", "foreign_minister", "2023-03-20", "Sergey Lavrov"),
    ("CHN", "foreign_minister", "2023-03-20", "Qin Gang"),
    ("CHN", "foreign_minister", "2023-09-01", "Wang Yi"),
    ("CHN", "leader", "2005-01-01", "Hu Jintao"),
    ("IRN", "leader", "2020-01-01", "Ali Khamenei"),
    ("CAN", "head_of_state", "2023-01-01", "Charles III"),
    ("igo:un", "igo_head", "2010-01-01", "Ban Ki-moon"),
    ("igo:nato", "igo_head", "2020-01-01", "Jens Stoltenberg"),
    ("igo:eu", "foreign_minister", "2025-03-01", "Kaja Kallas"),
    ("armed:hamas", "leader", "2020-01-01", "Ismail Haniyeh"),
])
def test_office_holders_on_a_date(gaz: Gazetteer, where: str, role: str, day: str,
                                  name: str) -> None:
    assert [p.name for p in gaz.office_holders(where, role, day)] == [name]  # type: ignore[arg-type]


def test_office_holders_accepts_dates_and_handles_gaps(gaz: Gazetteer) -> None:
    assert [p.name for p in gaz.office_holders("CHN", "head_of_state", date(2023, 3, 20))] == [
        "Xi Jinping"]
    assert gaz.office_holders("USA", "head_of_state", "1850-01-01") == []
    assert gaz.office_holders("ATA", "head_of_state", "2020-01-01") == []


def test_uncertain_terms_run_on_until_a_successor(gaz: Gazetteer) -> None:
    (netanyahu,) = gaz.office_holders("ISR", "head_of_government", "2026-06-01")
    office = netanyahu.offices[-1]
    assert office.end_uncertain and office.end is not None
    assert [p.name for p in gaz.office_holders("GBR", "foreign_minister", "2025-10-01")] == [
        "Yvette Cooper"]


def test_zelensky_spellings_resolve_to_one_person(gaz: Gazetteer) -> None:
    found = {ids(gaz, s)[0] for s in ("Zelensky", "Zelenskyy", "Zelenskiy",
                                      "Volodymyr Zelenskyy", "Volodymyr Zelensky")}
    assert found == {"person:volodymyr-zelensky"}
    assert ids(gaz, "Putin") == ["person:vladimir-putin"]
    assert ids(gaz, "Xi") == ["person:xi-jinping"]


def test_people_have_valid_offices(gaz: Gazetteer) -> None:
    people = gaz.of_type("person")
    assert len(people) >= 250
    for person in people:
        assert person.id.startswith("person:"), person.id
        for office in person.offices:
            end = office.end_date
            assert end is None or end > office.start_date, person.id


def test_ids_are_unique(gaz: Gazetteer) -> None:
    all_ids = [a.id for a in gaz.actors]
    assert len(all_ids) == len(set(all_ids))


# --- validation ---------------------------------------------------------------------


def _sources() -> dict[str, Any]:
    """A minimal valid set of sources."""
    return {
        "states.yaml": {"FRA": {"demonyms": ["French"], "capital": "Paris"}},
        "organisations.yaml": [{"id": "igo:un", "name": "United Nations", "type": "igo",
                                "aliases": ["UN"]}],
        "places.yaml": [{"id": "place:gaza", "name": "Gaza Strip", "country": "PSE"}],
        "leaders.yaml": [{"id": "person:x", "name": "X", "country": "FRA", "offices": [
            {"title": "President", "role": "head_of_state", "country": "FRA",
             "start": date(2017, 5, 14)},
            {"title": "Secretary-General", "role": "igo_head", "org": "igo:un",
             "start": "2001-01", "end": 2003}]}],
    }


def test_minimal_sources_build() -> None:
    gaz = build_gazetteer(_sources())
    assert [a.id for a in gaz.actors] == ["state:FRA", "igo:un", "place:gaza", "person:x"]
    assert gaz.by_id("place:gaza").type == "place"  # type: ignore[union-attr]
    assert [p.id for p in gaz.office_holders("igo:un", "igo_head", "2002-06-01")] == ["person:x"]


def _broken(path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    """The minimal sources with one value replaced (or deleted when value is ...)."""
    sources = copy.deepcopy(_sources())
    target = sources
    for key in path[:-1]:
        target = target[key]
    if value is ...:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return sources


@pytest.mark.parametrize(("path", "value", "message"), [
    (("states.yaml",), None, "states.yaml: file is empty"),
    (("leaders.yaml",), [], "leaders.yaml: file is empty"),
    (("organisations.yaml",), {"a": 1}, "organisations.yaml: expected a list"),
    (("states.yaml", "FRA", "capital"), ..., "states.yaml: entry 'FRA'"),
    (("states.yaml", "ZZZ"), {"demonyms": ["Z"], "capital": "Z"}, "'ZZZ' is not an ISO 3166"),
    (("places.yaml", 0, "country"), "XXX", "places.yaml: entry 'place:gaza'"),
    (("places.yaml", 0, "id"), "igo:un", "duplicate id (first defined in organisations.yaml)"),
    (("leaders.yaml", 0, "offices", 0, "start"), "2017-13-01", "not a calendar date"),
    (("leaders.yaml", 0, "offices", 0, "start"), "May 2017", "is not YYYY"),
    (("leaders.yaml", 0, "offices", 0, "end"), "2016-01-01", "not after start 2017-05-14"),
    (("leaders.yaml", 0, "offices", 0, "role"), "king", "leaders.yaml: entry 'person:x'"),
    (("leaders.yaml", 0, "offices", 1, "org"), "igo:nope", "unknown organisation 'igo:nope'"),
    (("leaders.yaml", 0, "offices", 1, "country"), "FRA", "exactly one of 'country' or 'org'"),
    (("leaders.yaml", 0, "offices", 0, "end_uncertain"), True, "needs the last known date"),
    (("organisations.yaml", 0, "type"), "club", "organisations.yaml: entry 'igo:un'"),
])
def test_malformed_data_fails_loudly(path: tuple[Any, ...], value: Any, message: str) -> None:
    with pytest.raises(GazetteerError) as info:
        build_gazetteer(_broken(path, value))
    assert message in str(info.value)
    assert isinstance(info.value, CounterpointError)


def _write(directory: Path, overrides: dict[str, str]) -> Path:
    """Write the four files (tiny but valid) with some replaced by raw text."""
    texts = {
        "states.yaml": "FRA: {demonyms: [French], capital: Paris}\n",
        "organisations.yaml": "- {id: 'igo:un', name: United Nations, type: igo}\n",
        "places.yaml": "- {id: 'place:gaza', name: Gaza Strip, country: PSE}\n",
        "leaders.yaml": "- {id: 'person:x', name: X, country: FRA}\n",
    }
    texts.update(overrides)
    for name in FILES:
        (directory / name).write_text(texts[name], encoding="utf-8")
    return directory


def test_files_load_and_fail_with_their_path(tmp_path: Path) -> None:
    assert len(load_gazetteer_from(_write(tmp_path, {})).actors) == 4
    with pytest.raises(GazetteerError, match=r"states\.yaml: not valid YAML"):
        load_gazetteer_from(_write(tmp_path, {"states.yaml": "FRA: [unclosed\n"}))
    with pytest.raises(GazetteerError, match=r"states\.yaml: not valid YAML: .*duplicate key"):
        load_gazetteer_from(_write(tmp_path, {
            "states.yaml": "FRA: {demonyms: [a], capital: b}\nFRA: {demonyms: [c], capital: d}\n"}))
    with pytest.raises(GazetteerError, match=r"leaders\.yaml: file is empty"):
        load_gazetteer_from(_write(tmp_path, {"leaders.yaml": "# nothing yet\n"}))
    (tmp_path / "places.yaml").unlink()
    with pytest.raises(GazetteerError, match=r"places\.yaml: cannot read"):
        load_gazetteer_from(tmp_path)


def test_parse_date_precision() -> None:
    assert parse_date("2019-07") == date(2019, 7, 1)
    assert parse_date("2019-07", end=True) == date(2019, 8, 1)
    assert parse_date("2019-12", end=True) == date(2020, 1, 1)
    assert parse_date("2019", end=True) == date(2020, 1, 1)
    assert parse_date("2019-07-24", end=True) == date(2019, 7, 24)


def test_load_is_cached() -> None:
    assert load_gazetteer() is load_gazetteer()
