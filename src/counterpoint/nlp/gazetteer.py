"""The actor gazetteer: states, organisations, places and office holders, from our YAML.

Four files under ``counterpoint/data/gazetteer/`` (their header comments document the
fields) plus pycountry for state names. :func:`load_gazetteer` builds the index once per
process; :func:`build_gazetteer` validates already-parsed data and fails with a
:class:`GazetteerError` that names the file and the entry.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import pycountry
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from counterpoint.errors import ConfigError

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "gazetteer"
FILES = ("states.yaml", "organisations.yaml", "places.yaml", "leaders.yaml")

ActorType = Literal[
    "person", "state", "igo", "ngo", "org", "armed_group", "company", "media", "place", "group"
]
Role = Literal[
    "head_of_state", "head_of_government", "foreign_minister", "defence_minister",
    "leader", "igo_head", "other",
]
_EXTRA_CODES = frozenset({"XKX"})  # Kosovo: user-assigned, not in ISO 3166 or pycountry
_DATE = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")
_ID = r"^[a-z_]+:[A-Za-z0-9][A-Za-z0-9._-]*$"
_DEFAULT_TYPE = {"places.yaml": "place", "leaders.yaml": "person"}


class GazetteerError(ConfigError):
    """A gazetteer file is missing, empty or malformed; the message names file and entry."""


def is_country_code(code: str) -> bool:
    """True for an ISO 3166-1 alpha-3 code known to pycountry, or XKX (Kosovo)."""
    return code in _EXTRA_CODES or (
        len(code) == 3 and code.isupper() and pycountry.countries.get(alpha_3=code) is not None
    )


def parse_date(text: str, *, end: bool = False) -> date:
    """Parse YYYY, YYYY-MM or YYYY-MM-DD; a partial ``end`` becomes the first day after it."""
    if not _DATE.fullmatch(text):
        raise ValueError(f"date {text!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    parts = [int(p) for p in text.split("-")]
    try:
        first = date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError as exc:
        raise ValueError(f"date {text!r} is not a calendar date") from exc
    if not end or len(parts) == 3:
        return first
    if len(parts) == 1:
        return date(first.year + 1, 1, 1)
    return (first.replace(day=28) + timedelta(days=4)).replace(day=1)


def match_key(text: str) -> str:
    """Matching key: no accents, dots, dashes or leading "the"; acronyms (US, LeT) keep case."""
    folded = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    folded = re.sub(r"[’‘ʻ`´]", "'", folded).replace(".", "")
    folded = re.sub(r"^the\s+", "", re.sub(r"[\s\-‐‑–—]+", " ", folded).strip(), flags=re.I)
    acronym = " " not in folded and sum(c.isupper() for c in folded) >= 2
    return folded if acronym else folded.casefold()


class Office(BaseModel):
    """One office held by a person; ``end`` is exclusive (the first day out of office)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    title: str = Field(min_length=1)
    role: Role
    also: tuple[Role, ...] = ()
    country: str | None = None
    org: str | None = None
    start: str
    end: str | None = None
    end_uncertain: bool = False

    @field_validator("start", "end", mode="before")
    @classmethod
    def _dates_as_text(cls, value: Any) -> Any:
        """Accept dates YAML already parsed (2019-07-24, 2019); reject malformed ones."""
        text = value.isoformat() if isinstance(value, date) else value
        text = str(text) if isinstance(text, int) else text
        if isinstance(text, str):
            parse_date(text)
        return text

    @model_validator(mode="after")
    def _check(self) -> Office:
        """Exactly one of country/org, a real country code, and dates in order."""
        if (self.country is None) == (self.org is None):
            raise ValueError(f"office {self.title!r} needs exactly one of 'country' or 'org'")
        if self.country is not None and not is_country_code(self.country):
            raise ValueError(f"office {self.title!r}: {self.country!r} is not an alpha-3 code")
        if self.end_uncertain and self.end is None:
            raise ValueError(f"office {self.title!r}: end_uncertain needs the last known date")
        end = self.end_date
        if end is not None and end <= self.start_date:
            raise ValueError(f"office {self.title!r}: end {self.end} not after start {self.start}")
        return self

    @property
    def roles(self) -> tuple[Role, ...]:
        """The primary role followed by the others this office carries."""
        return (self.role, *self.also)

    @property
    def where(self) -> str:
        """The country code or organisation id the office belongs to."""
        return self.country or self.org or ""

    @property
    def start_date(self) -> date:
        """First day in office (the 1st of the month or year for partial dates)."""
        return parse_date(self.start)

    @property
    def end_date(self) -> date | None:
        """First day out of office, or None for an open term."""
        return None if self.end is None else parse_date(self.end, end=True)


class GazActor(BaseModel):
    """A canonical actor: a state, organisation, place or person."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    id: str = Field(pattern=_ID)
    name: str = Field(min_length=1)
    type: ActorType
    country: str | None = None
    aliases: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()
    metonyms: tuple[str, ...] = ()
    capital: str | None = None
    offices: tuple[Office, ...] = ()

    @model_validator(mode="after")
    def _check(self) -> GazActor:
        """A real country code, and offices only for people."""
        if self.country is not None and not is_country_code(self.country):
            raise ValueError(f"country {self.country!r} is not an ISO 3166 alpha-3 code")
        if self.offices and self.type != "person":
            raise ValueError("only people hold offices")
        return self

    @property
    def surfaces(self) -> tuple[str, ...]:
        """Every form that names this actor: name, aliases, demonyms and metonyms."""
        return (self.name, *self.aliases, *self.demonyms, *self.metonyms)


class _StateEntry(BaseModel):
    """One entry of states.yaml."""

    model_config = ConfigDict(extra="forbid")
    name: str | None = None
    demonyms: list[str] = Field(min_length=1)
    capital: str = Field(min_length=1)
    capital_metonym: bool = True
    metonyms: list[str] = []
    aliases: list[str] = []


def _unique(items: Iterable[str], exclude: str = "") -> tuple[str, ...]:
    """Distinct non-empty strings in first-seen order, without ``exclude``."""
    return tuple(dict.fromkeys(i for i in items if i and i != exclude))


def _state(code: str, raw: Any) -> GazActor:
    """Build a state actor from its states.yaml entry and pycountry."""
    entry = _StateEntry.model_validate(raw)
    country = pycountry.countries.get(alpha_3=code) if len(code) == 3 else None
    if country is None and code not in _EXTRA_CODES:
        raise ValueError(f"{code!r} is not an ISO 3166 alpha-3 code")
    official = [getattr(country, a, "") for a in ("name", "official_name", "common_name")]
    name = entry.name or official[2] or official[0]
    if not name:
        raise ValueError("not in pycountry, so it needs a 'name'")
    metonyms = ([entry.capital] if entry.capital_metonym else []) + entry.metonyms
    return GazActor(
        id=f"state:{code}", name=name, type="state", country=code, capital=entry.capital,
        aliases=_unique([*official, *entry.aliases], exclude=name),
        demonyms=tuple(entry.demonyms), metonyms=_unique(metonyms),
    )


@contextmanager
def _entry(file: str, label: str) -> Iterator[None]:
    """Turn validation failures inside one entry into a GazetteerError naming it."""
    try:
        yield
    except ValidationError as exc:
        why = "; ".join(
            f"{'.'.join(map(str, e['loc'])) or 'entry'}: {e['msg'].removeprefix('Value error, ')}"
            for e in exc.errors()
        )
        raise GazetteerError(f"{file}: entry {label}: {why}") from None
    except ValueError as exc:
        raise GazetteerError(f"{file}: entry {label}: {exc}") from None


def _content(sources: Mapping[str, Any], file: str, kind: type) -> Any:
    """The parsed content of one file, checked to be a non-empty ``kind``."""
    if file not in sources:
        raise GazetteerError(f"{file}: missing")
    data = sources[file]
    if data is None or data == kind():
        raise GazetteerError(f"{file}: file is empty")
    if not isinstance(data, kind):
        raise GazetteerError(f"{file}: expected a {kind.__name__}, got {type(data).__name__}")
    return data


def build_gazetteer(sources: Mapping[str, Any]) -> Gazetteer:
    """Validate parsed YAML (file name -> content) and build the gazetteer."""
    actors: list[GazActor] = []
    origin: dict[str, str] = {}
    for code, raw in _content(sources, "states.yaml", dict).items():
        with _entry("states.yaml", repr(code)):
            actors.append(_state(str(code), raw))
            origin[actors[-1].id] = "states.yaml"
    for file in FILES[1:]:
        for number, raw in enumerate(_content(sources, file, list), start=1):
            label = repr(raw.get("id")) if isinstance(raw, dict) else f"#{number}"
            with _entry(file, f"{label} (#{number})"):
                if not isinstance(raw, dict):
                    raise ValueError(f"expected a mapping, got {type(raw).__name__}")
                actor = GazActor.model_validate({"type": _DEFAULT_TYPE.get(file), **raw})
                if actor.id in origin:
                    raise ValueError(f"duplicate id (first defined in {origin[actor.id]})")
                origin[actor.id] = file
                actors.append(actor)
    for actor in actors:
        for office in actor.offices:
            if office.org is not None and office.org not in origin:
                raise GazetteerError(
                    f"{origin[actor.id]}: entry {actor.id!r}: office {office.title!r} "
                    f"names unknown organisation {office.org!r}"
                )
    return Gazetteer(actors)


class Gazetteer:
    """Read-only indexes over all actors: by id, by surface form, by office."""

    def __init__(self, actors: Iterable[GazActor]) -> None:
        self.actors: tuple[GazActor, ...] = tuple(actors)
        self._by_id = {a.id: a for a in self.actors}
        self._surface: dict[str, dict[str, GazActor]] = {}
        self._demonym: dict[str, dict[str, None]] = {}
        self._offices: dict[tuple[str, str], list[tuple[GazActor, Office]]] = {}
        for actor in self.actors:
            for form in actor.surfaces:
                self._surface.setdefault(match_key(form), {})[actor.id] = actor
            for form in actor.demonyms:
                if actor.country:
                    self._demonym.setdefault(match_key(form), {})[actor.country] = None
            for office in actor.offices:
                for role in office.roles:
                    self._offices.setdefault((office.where, role), []).append((actor, office))

    def by_id(self, actor_id: str) -> GazActor | None:
        """The actor with this id, or None."""
        return self._by_id.get(actor_id)

    def of_type(self, actor_type: ActorType) -> list[GazActor]:
        """All actors of one type, in file order."""
        return [a for a in self.actors if a.type == actor_type]

    def lookup(self, surface: str) -> list[GazActor]:
        """Actors named exactly by ``surface`` (name, alias, demonym or metonym); may be several."""
        key = match_key(surface)
        hits = dict(self._surface.get(key, {}))
        if key.isupper():  # "CHINA" in a headline, not only the acronym "US"
            hits.update(self._surface.get(key.casefold(), {}))
        return list(hits.values())

    def office_holders(self, where: str, role: Role, on_date: date | str) -> list[GazActor]:
        """People holding ``role`` for a country (alpha-3) or organisation id on a date.

        Terms whose end is uncertain still count after their last known date while no
        successor is recorded; such holders come after the certain ones.
        """
        day = on_date if isinstance(on_date, date) else parse_date(on_date)
        terms = self._offices.get((where, role), [])
        sure: dict[str, GazActor] = {}
        maybe: dict[str, GazActor] = {}
        for person, office in terms:
            start, end = office.start_date, office.end_date
            if start > day:
                continue
            if end is None or day < end:
                sure[person.id] = person
            elif office.end_uncertain and not any(o.start_date > start for _, o in terms):
                maybe[person.id] = person  # no successor recorded after an uncertain end
        return [*sure.values(), *(p for i, p in maybe.items() if i not in sure)]

    def demonym_country(self, word: str) -> str | None:
        """Alpha-3 code of a demonym ("Chinese", "Russians"); None if unknown or ambiguous."""
        key = match_key(word)
        for candidate in (key, key[:-1] if key.endswith("s") else "", re.sub(r"men$", "man", key)):
            codes = self._demonym.get(candidate)
            if codes:
                return next(iter(codes)) if len(codes) == 1 else None
        return None


_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _StrictLoader(_BaseLoader):  # type: ignore[valid-type,misc]
    """A safe loader (libyaml when available) that rejects duplicate mapping keys."""


def _mapping(loader: _StrictLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    """Construct a mapping, failing on a repeated key."""
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            raise yaml.MarkedYAMLError(None, None, f"duplicate key {key!r}", key_node.start_mark)
        seen.add(key)
    return dict(loader.construct_mapping(node))


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


def read_sources(directory: Path) -> dict[str, Any]:
    """Read and parse every gazetteer file in ``directory``."""
    sources: dict[str, Any] = {}
    for name in FILES:
        path = directory / name
        try:
            sources[name] = yaml.load(path.read_text(encoding="utf-8"), Loader=_StrictLoader)
        except OSError as exc:
            raise GazetteerError(f"{path}: cannot read: {exc.strerror or exc}") from exc
        except yaml.YAMLError as exc:
            raise GazetteerError(f"{path}: not valid YAML: {' '.join(str(exc).split())}") from exc
    return sources


def load_gazetteer_from(directory: Path) -> Gazetteer:
    """Build a gazetteer from the YAML files in ``directory`` (uncached)."""
    return build_gazetteer(read_sources(directory))


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The gazetteer shipped with counterpoint, built once per process."""
    return load_gazetteer_from(DATA_DIR)
