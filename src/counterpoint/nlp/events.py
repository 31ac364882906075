"""Event coding in the PLOVER ontology, from lexicons and the dependency parse.

For each sentence the coder:

1. finds trigger candidates: verbs and phrasal verbs of a type's lexicon,
   complement-taking verbs ("refuse to", "threaten to", "call for") whose type
   wins over their complement's, and event nouns ("airstrike", "talks");
2. sets aside reporting verbs ("said", "announced"): the reported clause is
   coded and the speaker becomes the event's ``holder``;
3. ranks candidates by syntactic prominence (main verb first, then its
   complements, then other verbs, then nouns) and keeps the best one per
   clause;
4. reads negation ("did not support" flips to the type given by the
   lexicon's ``negation_flip``), modality (will/plan to → planned; may/could →
   hypothetical; under a reporting verb → reported), source (subject, or the
   passive agent), target (object, or the object of a preposition), location
   (a place in an "in/at" phrase) and date (a temporal expression in the
   sentence).

The lexicon (``data/plover.yaml``) was written from the PLOVER codebook's
definitions, not from any labelled data.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from counterpoint.errors import ConfigError
from counterpoint.schema import Modality

__all__ = ["EventLexicon", "Trigger", "attached", "code_events", "code_sentence", "find_triggers",
           "headline_case", "lexicon"]

PLOVER_TYPES = ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT",
                "REQUEST", "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE",
                "COERCE", "ASSAULT")
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj"})
OBJECT_DEPS = frozenset({"dobj", "obj", "attr", "dative", "oprd"})
TARGET_PREPS = frozenset({"against", "on", "with", "to", "at", "into", "toward", "towards",
                          "over", "from", "for", "upon", "of"})
PLACE_PREPS = frozenset({"in", "at", "near", "inside", "outside", "across", "throughout"})
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
ACTOR_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"})
TIME_LABELS = frozenset({"DATE", "TIME"})
# A noun inside one of these names is not an event word: "March 10", "the Rome Treaty".
NAME_LABELS = TIME_LABELS | {"LAW", "WORK_OF_ART"}
# Prominence of a trigger by where it sits; higher wins (see module docstring, step 3).
RANK_ROOT = 5
RANK_COMPLEMENT = 4
RANK_VERB = 3
RANK_NOUN_HEAD = 2
RANK_NOUN = 1


@dataclass(frozen=True)
class EventLexicon:
    """Word lists of the event coder, indexed for lookup."""

    verbs: dict[str, tuple[str, str | None]]
    phrasal: dict[tuple[str, ...], tuple[str, str | None]]
    phrases_from: dict[str, tuple[tuple[str, ...], ...]]  # by first lemma, longest first
    nouns: dict[tuple[str, ...], tuple[str, str | None]]
    negation_flip: dict[str, str]
    complements: dict[str, str]
    reporting: frozenset[str]
    planned: tuple[str, ...]
    hypothetical: tuple[str, ...]


def _entries(node: dict[str, Any], key: str) -> list[str]:
    values = node.get(key) or []
    if not isinstance(values, list):
        raise ConfigError(f"data/plover.yaml: '{key}' must be a list")
    # spaCy splits "sit-in" into "sit", "-", "in": so do we
    return [" ".join(str(v).lower().replace("-", " - ").split())
            for v in values if str(v).strip()]


def build_lexicon(data: dict[str, Any]) -> EventLexicon:
    """Index a parsed ``plover.yaml``; raise :class:`ConfigError` naming what is wrong."""
    types = data.get("types") or {}
    if set(types) != set(PLOVER_TYPES):
        missing = sorted(set(PLOVER_TYPES) - set(types))
        extra = sorted(set(types) - set(PLOVER_TYPES))
        raise ConfigError(f"data/plover.yaml: types must be the 16 PLOVER types "
                          f"(missing {missing}, unknown {extra})")
    verbs: dict[str, tuple[str, str | None]] = {}
    phrasal: dict[tuple[str, ...], tuple[str, str | None]] = {}
    nouns: dict[tuple[str, ...], tuple[str, str | None]] = {}
    for name, node in types.items():
        blocks: list[tuple[str | None, dict[str, Any]]] = [(None, node)]
        blocks += [(mode, sub or {}) for mode, sub in (node.get("modes") or {}).items()]
        for mode, block in blocks:
            for word in _entries(block, "verbs"):
                verbs.setdefault(word, (name, mode))
            for phrase in _entries(block, "phrasal"):
                phrasal.setdefault(tuple(phrase.split()), (name, mode))
            for noun in _entries(block, "nouns"):
                nouns.setdefault(tuple(noun.split()), (name, mode))
    flips = {str(k): str(v) for k, v in (data.get("negation_flip") or {}).items()}
    complements = {str(k): str(v) for k, v in (data.get("complements") or {}).items()}
    for target in [*flips.values(), *complements.values()]:
        if target not in PLOVER_TYPES:
            raise ConfigError(f"data/plover.yaml: '{target}' is not a PLOVER type")
    modality = data.get("modality") or {}
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for words in sorted(phrasal, key=len, reverse=True):  # "call for resignation" first
        by_first.setdefault(words[0], []).append(words)
    return EventLexicon(
        verbs=verbs, phrasal=phrasal,
        phrases_from={k: tuple(v) for k, v in by_first.items()}, nouns=nouns,
        negation_flip=flips,
        complements=complements,
        reporting=frozenset(_entries(data, "reporting_verbs")),
        planned=tuple(_entries(modality, "planned")),
        hypothetical=tuple(_entries(modality, "hypothetical")),
    )


@lru_cache(maxsize=1)
def lexicon() -> EventLexicon:
    """Load ``data/plover.yaml`` once per process."""
    text = resources.files("counterpoint.data").joinpath("plover.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    if not isinstance(data, dict):
        raise ConfigError("data/plover.yaml: empty or not a mapping")
    return build_lexicon(data)


# A line counts as Title Case when this share of its words start with a capital.
TITLE_CASE_SHARE = 0.6


def headline_case(text: str, keep: Callable[[str], bool] | None = None) -> str:
    """Lower-case a Title Case headline so the tagger sees verbs as verbs.

    "Saudi Arabia Leader Criticizes France's Response" is tagged as a run of
    proper nouns; "Saudi Arabia leader criticizes France's response" is not.
    Words ``keep`` recognises (names from the gazetteer), acronyms and the
    first word keep their case. Lengths are unchanged, so character offsets
    still point into the original text. Text that is not Title Case comes back
    as it is.
    """
    words = re.findall(r"[^\W\d_][\w'’-]*", text)
    if len(words) < 3:
        return text
    capitalised = [w for w in words if w[0].isupper()]
    if len(capitalised) / len(words) < TITLE_CASE_SHARE:
        return text
    keep = keep or (lambda word: False)
    matches = list(re.finditer(r"[^\W\d_][\w'’-]*", text))
    kept: set[int] = {0}
    for i in range(len(matches)):
        for n in (3, 2, 1):  # "Saudi Arabia" before "Saudi"
            if i + n > len(matches) or not all(m.group(0)[0].isupper() for m in matches[i:i + n]):
                continue
            phrase = re.sub(r"['’]s$", "", text[matches[i].start():matches[i + n - 1].end()])
            if keep(phrase):
                kept.update(range(i, i + n))
                break
    out = list(text)
    for i, match in enumerate(matches):
        word = match.group(0)
        if i in kept or word.isupper():
            continue
        out[match.start()] = word[0].lower()
    return "".join(out)


@dataclass
class Trigger:
    """A word or phrase that codes an event, with its type, mode and prominence."""

    token: Any
    type: str
    mode: str | None
    rank: int
    words: tuple[Any, ...] = field(default_factory=tuple)
    via: Any = None  # the complement-taking verb ("refuse", "threaten") when there is one


def _lemma(token: Any) -> str:
    return str(token.lemma_).lower()


def _match_phrase(tokens: list[Any], start: int, phrase: tuple[str, ...]) -> tuple[Any, ...]:
    """Match a lemma sequence at ``start``, allowing one determiner or pronoun in between."""
    matched: list[Any] = []
    i = start
    for word in phrase:
        if i < len(tokens) and _lemma(tokens[i]) == word:
            matched.append(tokens[i])
            i += 1
        elif (i + 1 < len(tokens) and tokens[i].pos_ in ("DET", "PRON", "ADJ")
              and _lemma(tokens[i + 1]) == word):
            matched.append(tokens[i + 1])
            i += 2
        else:
            return ()
    return tuple(matched)


# Verbs whose noun is an event but which, as verbs with these prepositions, are
# not: "deal with Europe" (handle), "according to analysts" (attribution).
VERB_SENSES = frozenset({("deal", "with"), ("accord", "to")})


# "release a statement" publishes; it frees no one (RETREAT's release mode).
PUBLISHING_VERBS = frozenset({"release", "issue", "publish", "put"})
PUBLISHED = frozenset({"statement", "report", "video", "document", "data", "figure",
                       "communique", "footage", "photo", "list", "text", "detail", "result",
                       "transcript", "recording", "study", "survey", "poll"})


def _publishes(token: Any) -> bool:
    """True for "released a statement" or "the report released by …"."""
    if _lemma(token) not in PUBLISHING_VERBS:
        return False
    objects = [c for c in token.children if c.dep_ in ("dobj", "nsubjpass")]
    if token.dep_ == "acl":
        objects.append(token.head)
    return any(_lemma(o) in PUBLISHED for o in objects)


def _verb_use(token: Any) -> bool:
    """True for a word used as a verb in a sense that is not its event noun's."""
    if token.pos_ != "VERB":
        return False
    following = token.nbor(1) if token.i + 1 < len(token.doc) else None
    return following is not None and (_lemma(token), _lemma(following)) in VERB_SENSES


def _rank(token: Any) -> int:
    if token.pos_ in ("NOUN", "PROPN"):
        return RANK_NOUN_HEAD if token.dep_ in ("ROOT", "nsubj", "dobj") else RANK_NOUN
    if token.dep_ == "ROOT":
        return RANK_ROOT
    if token.dep_ in ("ccomp", "xcomp", "conj") and token.head.dep_ == "ROOT":
        return RANK_COMPLEMENT
    return RANK_VERB


def find_triggers(sentence: Any, lex: EventLexicon | None = None) -> list[Trigger]:
    """Return the event triggers of a spaCy sentence span, best first."""
    lex = lex or lexicon()
    tokens = list(sentence)
    found: list[Trigger] = []
    taken: set[int] = set()
    for i, token in enumerate(tokens):
        for phrase in lex.phrases_from.get(_lemma(token), ()):
            kind, mode = lex.phrasal[phrase]
            words = _match_phrase(tokens, i, phrase)
            if words:
                found.append(Trigger(token, kind, mode, _rank(token) + 1, words))
                taken.update(w.i for w in words)
                break
    for i, token in enumerate(tokens):
        if token.i in taken:
            continue
        lemma = _lemma(token)
        if _publishes(token):
            continue
        if token.pos_ in ("VERB", "AUX") and lemma in lex.verbs:
            kind, mode = lex.verbs[lemma]
            found.append(Trigger(token, kind, mode, _rank(token), (token,)))
        elif token.pos_ in ("NOUN", "PROPN", "VERB", "ADJ") and not _verb_use(token) \
                and token.ent_type_ not in NAME_LABELS:
            for length in (3, 2, 1):
                key = tuple(_lemma(t) for t in tokens[i:i + length])
                if len(key) == length and key in lex.nouns:
                    kind, mode = lex.nouns[key]
                    head = tokens[i + length - 1]
                    found.append(Trigger(head, kind, mode, _rank(head),
                                         tuple(tokens[i:i + length])))
                    break
    found = _light_verb_object([_through_complement(t, lex) for t in found])
    # "refuse to support": the combined reading replaces the bare outer verb
    outer = {t.via.i for t in found if t.via is not None}
    found = [t for t in found if t.via is not None or t.token.i not in outer]
    found.sort(key=lambda t: (-t.rank, t.token.i))
    return found


# "agree to withdraw", "promise to ease" concede rather than agree to cooperate:
# the codebook's CONCEDE covers agreeing to demands, withdrawals and easing.
# Agreeing to end coercion or fighting, or to meet demands, is a concession too.
COMPLEMENT_OVERRIDES = {("AGREE", "RETREAT"): "CONCEDE", ("AGREE", "CONCEDE"): "CONCEDE",
                        ("AGREE", "COERCE"): "CONCEDE", ("AGREE", "ASSAULT"): "CONCEDE",
                        ("AGREE", "REQUEST"): "CONCEDE"}


# Words that ask for what their complement names, as nouns: "a call for", "the
# need for", "a demand for" (the verbs are in the lexicon's ``complements``).
REQUEST_NOUNS = frozenset({"call", "need", "demand", "request", "appeal", "plea"})
# Dependency steps from an event word up to the verb or noun governing it.
COMPLEMENT_DEPS = frozenset({"xcomp", "ccomp", "pobj", "dobj", "prep", "advcl"})
COMPLEMENT_REACH = 3


def _governor(token: Any, lex: EventLexicon) -> tuple[Any, str] | None:
    """The complement-taking word above ``token`` ("refuse" in "refuse to support",
    "ask" in "ask Nigeria for aid", "need" in "need for assistance"), with its type."""
    current = token
    for _ in range(COMPLEMENT_REACH):
        if current.dep_ not in COMPLEMENT_DEPS or current.head.i == current.i:
            return None
        current = current.head
        lemma = _lemma(current)
        if current.pos_ in ("VERB", "AUX") and lemma in lex.complements:
            return current, lex.complements[lemma]
        if current.pos_ == "NOUN" and lemma in REQUEST_NOUNS:
            return current, "REQUEST"
        if current.pos_ == "VERB" and lemma not in LIGHT_VERBS | ENDING_VERBS:
            return None  # another full verb: its own event, not a complement
    return None


def _through_complement(trigger: Trigger, lex: EventLexicon) -> Trigger:
    """Let "refuse to support", "threaten to impose", "ask for aid" take the outer type."""
    found = _governor(trigger.token, lex)
    if found is None:
        return trigger
    head, outer = found
    outer = COMPLEMENT_OVERRIDES.get((outer, trigger.type), outer)
    mode = trigger.mode if outer == trigger.type else None
    return Trigger(trigger.token, outer, mode, max(trigger.rank, _rank(head)),
                   trigger.words, via=head)


# Light verbs carry little meaning of their own: in "sign a ceasefire", "announce
# a boycott", "conduct joint exercises", "make concessions", the event is the
# object's. When such a verb has an event noun as its object, the noun decides.
LIGHT_VERBS = frozenset({
    "sign", "ratify", "implement", "establish", "announce", "declare", "conduct", "make",
    "launch", "hold", "begin", "start", "stage", "carry", "reach", "seal", "conclude",
    "unveil", "finalize", "finalise", "strike", "give", "take", "raise", "float", "express",
    "issue", "order", "call", "have", "see", "mull", "consider", "weigh",
})
# Verbs that end what their object names: "agree to end the curfew", "ask to lift
# sanctions". The governing verb decides the event (a concession, a request).
ENDING_VERBS = frozenset({"end", "stop", "halt", "lift", "remove", "cease", "drop", "scrap",
                          "abandon", "suspend"})
# Security forces: ordering, sending or calling them somewhere is mobilising them.
SECURITY_FORCES = frozenset({"police", "troop", "soldier", "army", "militia", "force",
                             "guard", "reservist", "marine", "paratrooper", "officer",
                             "gendarme", "military"})
DISPATCH_VERBS = frozenset({"order", "send", "call", "dispatch", "deploy", "summon", "rush",
                            "move", "station", "mobilize", "mobilise"})
# Naming a coercive act as a possibility is threatening it (PLOVER THREATEN).
THREAT_NOUNS = frozenset({"possibility", "prospect", "potential", "threat", "spectre", "specter",
                          "option"})
COERCIVE = frozenset({"COERCE", "SANCTION", "ASSAULT", "PROTEST", "MOBILIZE"})


def _light_verb_object(triggers: list[Trigger]) -> list[Trigger]:
    """Replace a light-verb trigger by the event noun it governs, keeping its rank."""
    out = []
    for trigger in triggers:
        token = trigger.token
        if token.pos_ == "VERB" and _lemma(token) in LIGHT_VERBS and len(trigger.words) == 1:
            nouns = [t for t in triggers if t.token.pos_ in ("NOUN", "PROPN")
                     and t.token.head.i == token.i and t.token.dep_ in ("dobj", "nsubjpass")]
            if nouns:
                inner = nouns[0]
                out.append(Trigger(inner.token, inner.type, inner.mode, trigger.rank,
                                   inner.words, via=inner.via))
                continue
        out.append(trigger)
    return out


def _dispatch(sentence: Any) -> Trigger | None:
    """ "orders police to the centre", "troops were sent", "militia called into action":
    sending security forces somewhere is MOBILIZE whatever the verb's usual sense."""
    for token in sentence:
        if token.pos_ != "VERB" or _lemma(token) not in DISPATCH_VERBS:
            continue
        for child in token.children:
            if child.dep_ in ("dobj", "nsubjpass") and any(
                    _lemma(t) in SECURITY_FORCES for t in child.subtree):
                return Trigger(token, "MOBILIZE", None, RANK_ROOT + 1, (token,))
    return None


def _as_threat(trigger: Trigger, hypothetical: bool) -> Trigger:
    """A coercive act named as a possibility ("raises the possibility of bans",
    "could suspend relations") is a threat."""
    if trigger.type not in COERCIVE:
        return trigger
    head = trigger.token.head
    named = (trigger.token.dep_ == "pobj" and head.dep_ == "prep"
             and _lemma(head.head) in THREAT_NOUNS)
    if named or hypothetical:
        return Trigger(trigger.token, "THREATEN", None, trigger.rank, trigger.words,
                       via=trigger.via)
    return trigger


@dataclass
class CodedEvent:
    """An event read from one sentence, before it is mapped to the output schema."""

    type: str
    mode: str | None
    trigger: str
    source: Any = None
    target: Any = None
    location: Any = None
    negated: bool = False
    modality: Modality = "asserted"
    holder: Any = None
    anchors: tuple[int, ...] = ()  # token indices a date must hang from to be this event's


def attached(date_root: Any, anchors: tuple[int, ...], lex: EventLexicon | None = None) -> bool:
    """True when a temporal expression belongs to the event anchored at ``anchors``.

    Walk up from the date: the first verb, or noun that names an event, it
    reaches is what the date modifies. In "his first visit since the invasion
    of Ukraine a year ago" the date hangs from "invasion", not from "visit".
    """
    lex = lex or lexicon()
    for token in (date_root, *date_root.ancestors):
        if token.i in anchors:
            return True
        if token.i == date_root.i:
            continue
        if token.pos_ in ("VERB", "AUX") or (
                token.pos_ == "NOUN" and (_lemma(token),) in lex.nouns):
            return False
    return False


def _negated(token: Any) -> bool:
    return any(child.dep_ == "neg" or _lemma(child) in ("never", "no")
               for child in token.children)


def _modality(verb: Any, lex: EventLexicon, reported: bool) -> Modality:
    words = " ".join(_lemma(t) for t in verb.lefts) + " " + " ".join(
        _lemma(t) for t in verb.head.lefts if verb.dep_ == "xcomp")
    outer = _lemma(verb.head) if verb.dep_ == "xcomp" else ""
    if any(f" {w} " in f" {words} {outer} to " for w in lex.hypothetical):
        return "hypothetical"
    if any(f" {w} " in f" {words} {outer} to " for w in lex.planned):
        return "planned"
    return "reported" if reported else "asserted"


def _subject(verb: Any) -> Any:
    """The acting party: subject, passive agent, or the subject of a governing verb."""
    for child in verb.children:
        if child.dep_ == "agent":
            for grand in child.children:
                if grand.dep_ == "pobj":
                    return grand
    for child in verb.children:
        if child.dep_ in ("nsubj", "csubj"):
            return child
    if verb.dep_ in ("xcomp", "conj", "advcl") and verb.head.i != verb.i:
        return _subject(verb.head)
    return None


def _object(verb: Any, exclude: Any) -> Any:
    """The party acted on: passive subject, object, or object of a preposition."""
    skip = {exclude.i} if exclude is not None else set()
    for child in verb.children:
        if child.dep_ == "nsubjpass" and child.i not in skip:
            return child
    for child in verb.children:
        if child.dep_ in OBJECT_DEPS and child.i not in skip:
            return child
    for child in verb.children:
        if child.dep_ == "prep" and _lemma(child) in TARGET_PREPS:
            for grand in child.children:
                if grand.dep_ == "pobj" and grand.ent_type_ not in TIME_LABELS:
                    return grand
    return None


def _inside_phrase(target: Any, words: tuple[Any, ...]) -> Any:
    """When the object is the trigger's own noun ("reach an agreement", "impose
    sanctions on the Taliban", "reject a Senegalese plan"), the party acted on is
    inside it, if anywhere; a bare "an agreement" has none."""
    if target is None or target.i not in {w.i for w in words}:
        return target
    inner = _noun_arguments(target)[1]
    if inner is not None and inner.i not in {w.i for w in words} and any(
            t.ent_type_ in ACTOR_LABELS for t in inner.subtree):
        return inner
    if any(t.ent_type_ in ACTOR_LABELS for t in target.subtree):
        return target
    return None


def _entities(sentence: Any) -> list[Any]:
    """The sentence's named entities, read from its tokens (``Span.ents`` walks
    every entity of the document, which is quadratic over a long body)."""
    found = []
    doc = sentence.doc
    start = None
    for token in sentence:
        if start is not None and token.ent_iob_ != "I":
            found.append(doc[start:token.i])
            start = None
        if token.ent_iob_ == "B":
            start = token.i
    if start is not None:
        found.append(doc[start:sentence.end])
    return found


def _place(sentence: Any, used: set[int]) -> Any:
    for ent in _entities(sentence):
        if ent.root.ent_type_ in PLACE_LABELS and ent.root.i not in used:
            head = ent.root.head
            if head.dep_ == "prep" and _lemma(head) in PLACE_PREPS:
                return ent
    return None


def _noun_arguments(noun: Any) -> tuple[Any, Any]:
    """Source and target of an event noun: "Russia's attack on Kyiv", "Israeli airstrike"."""
    source = target = None
    for child in noun.children:
        if child.dep_ in ("poss", "compound", "amod") and child.ent_type_ in ACTOR_LABELS:
            source = child
        elif child.dep_ == "prep" and _lemma(child) in ("by",):
            source = next((g for g in child.children if g.dep_ == "pobj"), source)
        elif child.dep_ == "prep" and _lemma(child) in TARGET_PREPS | {"in"} and target is None:
            # the first such phrase: "invasion of Ukraine … for talks with Putin"
            target = next((g for g in child.children if g.dep_ == "pobj"
                           and g.ent_type_ not in TIME_LABELS), None)
    if noun.dep_ in ("dobj", "pobj", "attr"):
        verb = noun.head if noun.dep_ != "pobj" else noun.head.head
        if source is None:
            source = _subject(verb) if verb is not None else None
        if target is None and noun.dep_ == "dobj":
            # "provided vital support to Russia": the recipient hangs from the verb
            target = next((g for c in verb.children if c.dep_ in ("prep", "dative")
                           and _lemma(c) in ("to", "for", "against", "on", "with")
                           for g in c.children if g.dep_ == "pobj"
                           and g.ent_type_ not in TIME_LABELS), None)
    return source, target


# Events two parties do together: "Iran and Saudi Arabia reached an agreement"
# codes Iran as source and Saudi Arabia as target.
RECIPROCAL = frozenset({"AGREE", "CONSULT", "COOPERATE", "ASSAULT"})
RELATIVE_PRONOUNS = frozenset({"which", "who", "whom", "that", "whose"})


def _event_noun(token: Any) -> Any:
    """The noun that carries an event's arguments: the trigger itself when it is a
    noun, or the noun it modifies ("a proposed plan", "the brokered deal")."""
    if token.pos_ in ("NOUN", "PROPN"):
        return token
    if token.dep_ in ("amod", "compound") and token.head.pos_ in ("NOUN", "PROPN"):
        return token.head
    return None


def _antecedent(token: Any) -> Any:
    """A relative pronoun stands for the noun its clause modifies ("the United
    States, which is committed to …" → "the United States")."""
    if token is None or _lemma(token) not in RELATIVE_PRONOUNS:
        return token
    clause = next((t for t in (token.head, *token.head.ancestors) if t.dep_ == "relcl"), None)
    return clause.head if clause is not None else token


def code_sentence(sentence: Any, lex: EventLexicon | None = None) -> CodedEvent | None:
    """Code the most prominent event of one spaCy sentence span, or None."""
    events = code_events(sentence, lex, limit=1)
    return events[0] if events else None


# At most this many events are read from one sentence (the main one first).
EVENTS_PER_SENTENCE = 3


def code_events(sentence: Any, lex: EventLexicon | None = None,
                limit: int = EVENTS_PER_SENTENCE) -> list[CodedEvent]:
    """Code the events of one spaCy sentence span, the most prominent first.

    Besides the main event, a sentence may name others with their own parties:
    "his first visit to Moscow since the Russian invasion of Ukraine" is a visit
    and an invasion. A further trigger counts when it is an event noun with an
    actor argument ("Russian invasion of Ukraine") or a verb with its own
    subject, and is not part of an event already read.
    """
    lex = lex or lexicon()
    triggers = find_triggers(sentence, lex)
    reported = False
    holder = None
    root = sentence.root
    if _lemma(root) in lex.reporting:
        holder = _subject(root)
        reported = True
        inner = [t for t in triggers if t.token.i != root.i]
        triggers = inner or triggers
    triggers = [t for t in triggers if _lemma(t.token) not in lex.reporting or t.via]
    dispatch = _dispatch(sentence)
    if dispatch is not None:
        triggers.insert(0, dispatch)
    events: list[CodedEvent] = []
    taken: set[int] = set()
    for trigger in triggers:
        if len(events) >= limit:
            break
        words = {trigger.token.i, *(w.i for w in trigger.words)}
        for extra in (trigger.via, _event_noun(trigger.token)):
            if extra is not None:
                words.add(extra.i)
        if words & taken:
            continue
        if events and not _stands_alone(trigger):
            continue
        event = _code_trigger(trigger, sentence, lex, reported, holder)
        taken |= words
        if any(e.type == event.type and _same(e.source, event.source) for e in events):
            continue  # the same event named twice ("a deal …, reached an agreement")
        events.append(event)
    return events


def _same(a: Any, b: Any) -> bool:
    return a is None or b is None or a.i == b.i or a.text == b.text


def _stands_alone(trigger: Trigger) -> bool:
    """A secondary trigger is an event of its own when it names its parties."""
    if trigger.via is not None:
        return False
    noun = _event_noun(trigger.token)
    if noun is not None:
        if noun.pos_ == "PROPN" and noun.ent_type_:
            return False  # part of a name: "the Rome Treaty"
        return any(t is not None and t.ent_type_ in ACTOR_LABELS for t in _noun_arguments(noun)
                   ) and not _inside_event_name(noun)
    return any(c.dep_ in ("nsubj", "nsubjpass") for c in trigger.token.children)


def _inside_event_name(noun: Any) -> bool:
    """ "the arrest warrant" inside "issued an arrest warrant" is one event, not two."""
    return bool(noun.dep_ == "compound")


def _code_trigger(best: Trigger, sentence: Any, lex: EventLexicon, reported: bool,
                  holder: Any) -> CodedEvent:
    token = best.via if best.via is not None else best.token
    noun = _event_noun(best.token) if best.via is None else None
    if noun is not None:
        source, target = _noun_arguments(noun)
        negated = False
        modality: Modality = "reported" if reported else "asserted"
    else:
        source = _subject(token)
        target = _object(best.token, source) or (_object(token, source) if token is not
                                                 best.token else None)
        target = _inside_phrase(target, best.words)
        negated = _negated(token) or _negated(best.token)
        modality = _modality(token, lex, reported)
    source, target, holder = (_antecedent(t) for t in (source, target, holder))
    if target is None and source is not None and best.type in RECIPROCAL:
        target = next((c for c in source.children if c.dep_ == "conj"), None)
    best = _as_threat(best, modality == "hypothetical")
    kind = best.type
    if negated and best.via is None and kind in lex.negation_flip:
        kind = lex.negation_flip[kind]
    used = {t.i for t in (source, target) if t is not None}
    return CodedEvent(
        type=kind, mode=best.mode if kind == best.type else None,
        trigger=" ".join(t.text for t in best.words) or best.token.text,
        source=source, target=target, location=_place(sentence, used),
        negated=negated, modality=modality, holder=holder,
        anchors=_anchors(best, token),
    )


def _anchors(best: Trigger, token: Any) -> tuple[int, ...]:
    """Tokens a date may hang from: the trigger's words, its governing verb, and for
    an event noun the nouns and the verb above it ("outlined a proposed plan on …")."""
    found = {best.token.i, token.i, *(w.i for w in best.words)}
    current = best.token
    for _ in range(3):
        modifier = current.dep_ in ("amod", "acl", "compound")  # "a proposed plan"
        if (current.pos_ in ("VERB", "AUX") and not modifier) or current.head.i == current.i:
            break
        if current.dep_ not in ANCHOR_DEPS:
            break  # "visited Moscow since the invasion": the visit's date is not the invasion's
        current = current.head
        found.add(current.i)
    return tuple(sorted(found))


# An event noun shares the date of the word it is a direct argument or modifier of.
ANCHOR_DEPS = frozenset({"amod", "acl", "compound", "dobj", "nsubj", "nsubjpass", "attr",
                         "appos", "conj"})
