"""Actor resolution: every mention in a document mapped to one canonical actor.

The cascade for one mention, each step only when the previous found nothing:

1. exact match of the mention (or the mention without a leading title such as
   "President", "Foreign Minister") against gazetteer names, aliases,
   demonyms and metonyms ("the Kremlin" acts for Russia);
2. shorthand within the document: "Putin" after "Vladimir Putin", "Xi" after
   "Xi Jinping" resolve to what the full name resolved to;
3. role descriptions resolved on the document's date: "the Chinese president"
   is whoever held China's head-of-state office that day;
4. fuzzy match (rapidfuzz) for spelling variants ("Zelenskyi"), with a high
   threshold so that near names of different people stay apart;
5. otherwise a document-local actor typed from the NER label.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from rapidfuzz import fuzz, process

from counterpoint.nlp.gazetteer import GazActor, Gazetteer, Role, load_gazetteer, match_key
from counterpoint.schema import Actor, ActorType

__all__ = ["Mention", "Resolver", "resolve_mentions"]

ENTITY_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"})
LOCAL_TYPE: dict[str, ActorType] = {"PERSON": "person", "ORG": "org", "GPE": "place",
                                    "NORP": "group", "LOC": "place", "FAC": "place"}
TITLES = re.compile(
    r"^(?:the\s+)?(?:(?:former|late|acting|then|new|outgoing|incoming)\s+)?"
    r"(?:(?:[A-Z][a-z]+|US|UN|EU)\s+)?"
    r"(?:president|prime minister|premier|chancellor|foreign minister|defen[cs]e minister|"
    r"secretary of state|secretary general|secretary-general|minister|king|queen|"
    r"crown prince|prince|emir|sheikh|ayatollah|supreme leader|general|gen\.|"
    r"mr\.?|mrs\.?|ms\.?|dr\.?|sen\.?|senator|rep\.?|leader|chairman|chair|"
    r"spokesperson|spokesman|spokeswoman|ambassador|envoy|commander|colonel|pope)\s+",
    re.IGNORECASE,
)
ROLE_WORDS: dict[str, Role] = {
    "president": "head_of_state", "head of state": "head_of_state",
    "king": "head_of_state", "emir": "head_of_state", "supreme leader": "head_of_state",
    "leader": "head_of_state",
    "prime minister": "head_of_government", "premier": "head_of_government",
    "chancellor": "head_of_government",
    "foreign minister": "foreign_minister", "top diplomat": "foreign_minister",
    "secretary of state": "foreign_minister",
    "defence minister": "defence_minister", "defense minister": "defence_minister",
}
ROLE_DESCRIPTION = re.compile(
    r"^(?:the\s+)?(?P<demonym>[A-Z][\w'’-]+)\s+(?P<role>"
    + "|".join(sorted(ROLE_WORDS, key=len, reverse=True)) + r")$", re.IGNORECASE)
# rapidfuzz WRatio from which a spelling variant counts as the same name; 92
# keeps "Zelenskyi"/"Zelensky" together and "Lavrov"/"Lavrova" apart.
FUZZY_THRESHOLD = 92
FUZZY_MIN_CHARS = 6


@dataclass
class Mention:
    """One mention in the body, with the actor it resolved to."""

    text: str
    start: int
    end: int
    label: str
    actor_id: str = ""
    span: Any = None


@dataclass
class _Local:
    actor: Actor
    forms: dict[str, None] = field(default_factory=dict)


@lru_cache(maxsize=1)
def _fuzzy_index() -> tuple[list[str], list[GazActor]]:
    gaz = load_gazetteer()
    keys: list[str] = []
    owners: list[GazActor] = []
    for actor in gaz.actors:
        for form in (actor.name, *actor.aliases):
            if len(form) >= FUZZY_MIN_CHARS:
                keys.append(match_key(form))
                owners.append(actor)
    return keys, owners


class Resolver:
    """Resolve the mentions of one document; keeps the document's shorthand memory."""

    def __init__(self, on_date: date | None = None, gazetteer: Gazetteer | None = None) -> None:
        self.gaz = gazetteer or load_gazetteer()
        self.on_date = on_date
        self.actors: dict[str, _Local] = {}
        self.shorthand: dict[str, str] = {}

    def resolve(self, text: str, label: str) -> str:
        """Return the actor id of a mention, creating a local actor when needed."""
        surface = re.sub(r"['’]s$", "", text.strip())
        found = (self._exact(surface, label) or self._shorthand(surface)
                 or self._role(surface) or self._fuzzy(surface, label))
        if found is not None:
            actor_id = found.id
            if found.id not in self.actors:
                self.actors[found.id] = _Local(Actor(
                    id=found.id, name=found.name, type=found.type, country=found.country))
        else:
            actor_id = self._local(surface, label)
        self._remember(surface, actor_id)
        entry = self.actors[actor_id]
        entry.forms[surface] = None
        entry.actor.mentions += 1
        return actor_id

    def _pick(self, candidates: list[GazActor], label: str) -> GazActor | None:
        if not candidates:
            return None
        if len(candidates) == 1:
            return candidates[0]
        wanted = {"PERSON": ("person",), "GPE": ("state", "place"), "NORP": ("state", "group"),
                  "ORG": ("igo", "ngo", "org", "armed_group", "media", "company", "state")}
        preferred = [c for c in candidates if c.type in wanted.get(label, ())]
        return (preferred or candidates)[0]

    def _exact(self, surface: str, label: str) -> GazActor | None:
        hit = self._pick(self.gaz.lookup(surface), label)
        if hit is None:
            stripped = TITLES.sub("", surface)
            if stripped != surface and stripped:
                hit = self._pick(self.gaz.lookup(stripped), label) or self._shorthand(stripped)
        return hit

    def _shorthand(self, surface: str) -> GazActor | None:
        actor_id = self.shorthand.get(match_key(surface))
        return self.gaz.by_id(actor_id) if actor_id else None

    def _role(self, surface: str) -> GazActor | None:
        match = ROLE_DESCRIPTION.match(surface)
        if not match or self.on_date is None:
            return None
        country = self.gaz.demonym_country(match["demonym"])
        role = ROLE_WORDS[match["role"].lower()]
        if country is None:
            return None
        holders = self.gaz.office_holders(country, role, self.on_date)
        return holders[0] if holders else None

    def _fuzzy(self, surface: str, label: str) -> GazActor | None:
        if len(surface) < FUZZY_MIN_CHARS or label not in ("PERSON", "ORG"):
            return None
        keys, owners = _fuzzy_index()
        best = process.extractOne(match_key(surface), keys, scorer=fuzz.WRatio,
                                  score_cutoff=FUZZY_THRESHOLD)
        return owners[best[2]] if best else None

    def _local(self, surface: str, label: str) -> str:
        key = match_key(TITLES.sub("", surface) or surface)
        known = self.shorthand.get(key)
        if known:
            return known
        actor_id = "local:" + re.sub(r"[^a-z0-9]+", "-", key.lower()).strip("-")
        if actor_id not in self.actors:
            self.actors[actor_id] = _Local(Actor(id=actor_id, name=TITLES.sub("", surface),
                                                 type=LOCAL_TYPE.get(label, "group")))
        return actor_id

    def _remember(self, surface: str, actor_id: str) -> None:
        """Let the last name (and a full name) stand for this actor later in the document."""
        name = TITLES.sub("", surface)
        self.shorthand.setdefault(match_key(name), actor_id)
        words = name.split()
        if len(words) >= 2 and words[0][:1].isupper():
            self.shorthand.setdefault(match_key(words[-1]), actor_id)

    def results(self) -> list[Actor]:
        """The document's actors with their surface forms, most mentioned first."""
        out = []
        for entry in self.actors.values():
            entry.actor.aliases_seen = list(entry.forms)
            out.append(entry.actor)
        return sorted(out, key=lambda a: (-a.mentions, a.name))


def resolve_mentions(spans: Iterable[Any], on_date: date | None = None,
                     resolver: Resolver | None = None) -> tuple[list[Mention], list[Actor]]:
    """Resolve spaCy entity spans (in document order) to actors."""
    resolver = resolver or Resolver(on_date)
    mentions = []
    for span in spans:
        if span.label_ not in ENTITY_LABELS:
            continue
        actor_id = resolver.resolve(span.text, span.label_)
        mentions.append(Mention(span.text, span.start_char, span.end_char, span.label_,
                                actor_id, span))
    return mentions, resolver.results()
