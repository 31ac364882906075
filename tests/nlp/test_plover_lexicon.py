"""The PLOVER event lexicon (data/plover.yaml) is complete, consistent and in lemma form."""

from __future__ import annotations

import csv
from collections import defaultdict
from functools import lru_cache
from importlib import resources
from typing import Any

import pytest
import yaml

from tests.shared import shared_path

TYPES = {"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
         "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"}
SLOTS = ("verbs", "phrasal", "nouns")
MIN_TERMS = 8

# Lemmas allowed under two types, each a verb/noun split whose news senses differ.
SHARED = {
    "strike": "verb is ASSAULT ('Israel strikes Gaza'); noun is PROTEST (a labor strike)",
    "blast": "verb is ACCUSE ('US blasts plan'); noun is ASSAULT ('Blast kills 10')",
    "grant": "verb is CONCEDE (grant concessions, rights); noun is AID (a financial grant)",
}


@lru_cache(maxsize=1)
def _lexicon() -> dict[str, Any]:
    text = resources.files("counterpoint.data").joinpath("plover.yaml").read_text("utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


def _entries() -> list[tuple[str, str | None, str, str]]:
    """Every (type, mode, slot, lemma) in the lexicon; mode is None for the type's own words."""
    out: list[tuple[str, str | None, str, str]] = []
    for name, spec in _lexicon()["types"].items():
        for slot in SLOTS:
            out += [(name, None, slot, word) for word in spec[slot]]
        for mode, mode_spec in spec["modes"].items():
            for slot in SLOTS:
                out += [(name, mode, slot, word) for word in mode_spec[slot]]
    return out


def _lookup(slot: str, lemma: str) -> set[tuple[str, str | None]]:
    return {(name, mode) for name, mode, s, word in _entries() if s == slot and word == lemma}


def test_exactly_the_sixteen_types() -> None:
    data = _lexicon()
    assert data["version"] == 1
    assert set(data["types"]) == TYPES


@pytest.mark.parametrize("name", sorted(TYPES))
def test_type_shape(name: str) -> None:
    spec = _lexicon()["types"][name]
    definition = spec["definition"]
    assert isinstance(definition, str)
    assert definition.strip() and "\n" not in definition.strip()
    assert isinstance(spec["modes"], dict)
    total = sum(len(spec[slot]) for slot in SLOTS)
    for mode_spec in spec["modes"].values():
        assert set(mode_spec) == set(SLOTS)
        assert all(isinstance(mode_spec[slot], list) for slot in SLOTS)
        assert sum(len(mode_spec[slot]) for slot in SLOTS) > 0
        total += sum(len(mode_spec[slot]) for slot in SLOTS)
    assert total >= MIN_TERMS


def test_modes_are_those_of_the_codebook() -> None:
    path = shared_path("reference", "plover", "PLOVER_structured_codebook.csv")
    expected: dict[str, set[str]] = defaultdict(set)
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            event, mode = row["event"].strip(), row["mode"].strip().lower()
            assert event in TYPES
            if mode:
                expected[event].add(mode)
    for name, spec in _lexicon()["types"].items():
        assert set(spec["modes"]) == expected[name], name


def test_lemmas_are_clean() -> None:
    data = _lexicon()
    words = [word for *_, word in _entries()]
    words += list(data["complements"]) + data["reporting_verbs"]
    words += data["modality"]["planned"] + data["modality"]["hypothetical"]
    for word in words:
        assert isinstance(word, str), word
        assert word == word.strip().lower(), word
        assert word and "  " not in word, word


def test_a_lemma_belongs_to_one_type() -> None:
    types_of: dict[str, set[str]] = defaultdict(set)
    for name, _, _, word in _entries():
        types_of[word].add(name)
    shared = {word for word, names in types_of.items() if len(names) > 1}
    assert shared <= set(SHARED), sorted(shared - set(SHARED))
    assert all(len(types_of[word]) == 2 for word in SHARED)


def test_a_lemma_is_listed_once_per_type_and_slot() -> None:
    seen: dict[tuple[str, str, str], list[str | None]] = defaultdict(list)
    for name, mode, slot, word in _entries():
        seen[(name, slot, word)].append(mode)
    repeats = {key: modes for key, modes in seen.items() if len(modes) > 1}
    assert not repeats


def test_cue_targets_are_event_types() -> None:
    data = _lexicon()
    assert set(data["negation_flip"]) <= TYPES
    assert set(data["negation_flip"].values()) <= TYPES
    assert set(data["complements"].values()) <= TYPES
    for verb in ("refuse", "threaten", "agree", "promise", "call", "urge", "demand"):
        assert verb in data["complements"]


def test_reporting_verbs_are_not_event_triggers() -> None:
    data = _lexicon()
    triggers = {word for _, _, slot, word in _entries() if slot == "verbs"}
    assert not set(data["reporting_verbs"]) & triggers
    for verb in ("accuse", "condemn", "deny", "praise", "threaten", "urge", "apologize"):
        assert verb in triggers
    assert {"will", "plan to"} <= set(data["modality"]["planned"])
    assert {"may", "if"} <= set(data["modality"]["hypothetical"])


@pytest.mark.parametrize(("slot", "lemma", "expected"), [
    ("nouns", "airstrike", ("ASSAULT", "aerial")),
    ("nouns", "drone strike", ("ASSAULT", "drone")),
    ("verbs", "kidnap", ("ASSAULT", "abduct")),
    ("nouns", "talk", ("CONSULT", None)),
    ("verbs", "visit", ("CONSULT", "visit")),
    ("nouns", "deal", ("AGREE", None)),
    ("nouns", "sanction", ("SANCTION", "discontinue")),
    ("phrasal", "recall ambassador", ("SANCTION", "withdraw")),
    ("verbs", "sentence", ("SANCTION", "convict")),
    ("phrasal", "step down", ("RETREAT", "resign")),
    ("nouns", "ceasefire", ("RETREAT", "ceasefire")),
    ("verbs", "slam", ("ACCUSE", "disapprove")),
    ("phrasal", "lash out at", ("ACCUSE", "disapprove")),
    ("verbs", "probe", ("ACCUSE", "investigate")),
    ("nouns", "walkout", ("PROTEST", "strike")),
    ("nouns", "hunger strike", ("PROTEST", "hunger")),
    ("nouns", "curfew", ("COERCE", "curfew")),
    ("verbs", "detain", ("COERCE", "arrest")),
    ("verbs", "deploy", ("MOBILIZE", None)),
    ("verbs", "veto", ("REJECT", None)),
    ("verbs", "apologize", ("CONCEDE", None)),
    ("verbs", "donate", ("AID", None)),
    ("verbs", "praise", ("SUPPORT", None)),
    ("verbs", "cooperate", ("COOPERATE", None)),
    ("phrasal", "call for", ("REQUEST", None)),
    ("nouns", "ultimatum", ("THREATEN", None)),
])
def test_headline_words_land_where_expected(
        slot: str, lemma: str, expected: tuple[str, str | None]) -> None:
    assert _lookup(slot, lemma) == {expected}


def test_entries_match_the_model_lemmas() -> None:
    from counterpoint.nlp.pipeline import parse

    doc = parse("Israel struck targets as Hamas freed hostages; Russia slammed the talks, "
                "expelled diplomats and mobilised reservists; police arrested protesters.")
    verbs = {word for _, _, slot, word in _entries() if slot == "verbs"}
    nouns = {word for _, _, slot, word in _entries() if slot == "nouns"}
    lemmas = {(token.pos_, token.lemma_.lower()) for token in doc}
    for lemma in ("strike", "free", "slam", "expel", "mobilise", "arrest"):
        assert ("VERB", lemma) in lemmas
        assert lemma in verbs
    assert ("NOUN", "talk") in lemmas
    assert "talk" in nouns
