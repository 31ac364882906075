"""Claims: each assertive sentence with who holds it, how it is attributed, how sure.

Holder rules, first match wins:

1. a direct quote with a speaker ("…," said X / X said: "…") → ``quoted``;
2. reported speech: the main verb is a speech or belief verb ("X said that …",
   "X believes …", "X warned …") or the sentence opens with "according to X"
   → ``reported``, holder X; plural nouns without a name ("some analysts",
   "officials", "critics") are kept as an ``unnamed`` holder;
3. otherwise the sentence belongs to the section's expert (``expert``) or to
   the document's author (``author``), attributed ``authorial``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from counterpoint.nlp.certainty import read_certainty
from counterpoint.nlp.tone import tone, without_names
from counterpoint.schema import Attribution, CertaintyOut, Claim, Holder, Voice

__all__ = ["SPEECH_VERBS", "UNNAMED_NOUNS", "VoiceSpan", "extract_claims"]

SPEECH_VERBS = frozenset({
    "say", "tell", "state", "claim", "argue", "believe", "think", "warn", "insist", "note",
    "add", "stress", "suggest", "contend", "maintain", "assert", "allege", "predict",
    "write", "report", "announce", "declare", "acknowledge", "admit", "explain", "point",
    "observe", "emphasize", "emphasise", "reckon", "estimate", "fear", "expect", "hope",
    "perceive", "see", "consider", "describe", "call", "concede", "deny",
})
UNNAMED_NOUNS = frozenset({
    "analyst", "official", "expert", "observer", "source", "critic", "diplomat", "commentator",
    "economist", "scholar", "researcher", "insider", "people", "western", "leader", "resident",
    "witness", "activist", "journalist", "media", "some", "many", "others", "government",
    "authority", "spokesperson", "spokesman", "spokeswoman",
})
HEDGES = frozenset({"might", "may", "could", "would", "should", "must"})
QUOTES = ("\"", "“", "”", "«", "»")
# Sentences shorter than this are headings, labels or fragments, not claims.
MIN_CLAIM_WORDS = 5


@dataclass(frozen=True)
class VoiceSpan:
    """A stretch of the body spoken by one expert (from the document's sections)."""

    start: int
    end: int
    voice: Voice


Resolve = Callable[[Any], tuple[str, str | None]]


def _default_resolve(span: Any) -> tuple[str, str | None]:
    return str(span.text), None


def _span_of(token: Any) -> Any:
    """The noun phrase headed by ``token``, without leading determiners."""
    words = [t for t in token.subtree if t.dep_ not in ("relcl", "acl", "punct", "appos")
             and t.i >= token.left_edge.i]
    start = min(t.i for t in words)
    end = max(t.i for t in words if t.i <= token.i or t.dep_ in ("compound", "flat")) + 1
    while start < end - 1 and token.doc[start].pos_ == "DET":
        start += 1
    return token.doc[start:end]


def _is_unnamed(span: Any) -> bool:
    names = [t for t in span if t.pos_ == "PROPN" or t.ent_type_ in ("PERSON", "ORG", "GPE")]
    return not names and str(span.root.lemma_).lower() in UNNAMED_NOUNS


def _speaker(sentence: Any) -> tuple[Any, Attribution] | None:
    """Return (speaker span, attribution) when the sentence reports someone's words."""
    root = sentence.root
    text = sentence.text
    for token in sentence:
        if token.lower_ == "according" and token.i + 1 < len(token.doc) \
                and token.doc[token.i + 1].lower_ == "to":
            pobj = next((c for c in token.doc[token.i + 1].children if c.dep_ == "pobj"), None)
            if pobj is not None:
                return _span_of(pobj), "reported"
    verbs = [root] + [t for t in sentence
                      if t.dep_ in ("parataxis", "ccomp") and t.head.i == root.i]
    for verb in verbs:
        if str(verb.lemma_).lower() not in SPEECH_VERBS:
            continue
        if any(c.dep_ == "aux" and c.lower_ in HEDGES for c in verb.children):
            continue  # "Putin might hope that …" is the writer's guess, not Putin's words
        # only an active subject speaks: in "relations were described as …" the
        # subject is what is described
        subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if subject is None or subject.lower_ in ("it", "this", "that", "there"):
            continue
        quoted = any(q in text for q in QUOTES)
        return _span_of(subject), "quoted" if quoted else "reported"
    return None


def extract_claims(doc: Any, body_offset: int = 0, voices: list[VoiceSpan] | None = None,
                   author: str | None = None, resolve: Resolve | None = None) -> list[Claim]:
    """Return the claims of a parsed body (a spaCy ``Doc`` of the document's body).

    ``voices`` tells which stretches of the body an expert speaks;
    ``resolve`` maps a holder span to (canonical name, actor id).
    """
    resolve = resolve or _default_resolve
    voices = voices or []
    claims: list[Claim] = []
    attribution: Attribution
    for sentence in doc.sents:
        words = [t for t in sentence if not t.is_punct and not t.is_space]
        text = sentence.text.strip()
        if len(words) < MIN_CLAIM_WORDS or text.endswith("?"):
            continue
        if not any(t.pos_ in ("VERB", "AUX") for t in sentence):
            continue
        start = body_offset + sentence.start_char
        speaker = _speaker(sentence)
        if speaker is not None:
            span, attribution = speaker
            holder = _holder(span, resolve)
        else:
            voice = next((v.voice for v in voices if v.start <= start < v.end), None)
            attribution = "authorial"
            if voice is not None:
                holder = Holder(name=voice.name, kind="expert")
            else:
                holder = Holder(name=author or "author", kind="author")
        claims.append(_claim(sentence, holder, attribution, start))
        for clause, subject in _held_clauses(sentence):
            claims.append(_claim(clause, _holder(_span_of(subject), resolve), "reported",
                                 body_offset + clause.start_char))
    return claims


def _claim(span: Any, holder: Holder, attribution: Attribution, start: int) -> Claim:
    text = span.text.strip()
    certainty = read_certainty(text)
    return Claim(
        text=text, holder=holder, attribution=attribution,
        certainty=CertaintyOut(label=certainty.label, probability=certainty.probability,
                               cue=certainty.cue),
        tone=round(tone(without_names(span)), 3), start=start, end=start + len(text))


def _holder(span: Any, resolve: Resolve) -> Holder:
    if _is_unnamed(span):
        return Holder(name=span.text, kind="unnamed")
    name, actor_id = resolve(span)
    return Holder(name=name, kind="actor" if actor_id else "quoted", actor_id=actor_id)


RELATIVE_PRONOUNS = frozenset({"which", "that", "who", "whom"})


def _held_clauses(sentence: Any) -> list[tuple[Any, Any]]:
    """Beliefs inside a relative clause: in "arms shipments, which the United States
    believes are imminent, may not take place" the United States holds that the
    shipments are imminent. Returns (the noun phrase with its clause, believer)."""
    found = []
    for verb in sentence:
        if verb.dep_ != "relcl" or str(verb.lemma_).lower() not in SPEECH_VERBS:
            continue
        subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if subject is None or subject.lower_ in RELATIVE_PRONOUNS:
            continue  # "officials who said …": the speakers, not a belief about them
        if not any(t.lower_ in RELATIVE_PRONOUNS for t in verb.subtree):
            continue
        noun = verb.head
        # "shipments to Russia, which …": the clause may hang from the prepositional
        # object; the phrase is the whole noun phrase around it
        while noun.dep_ == "pobj" and noun.head.dep_ == "prep" and \
                noun.head.head.pos_ in ("NOUN", "PROPN"):
            noun = noun.head.head
        start = noun.left_edge.i
        end = verb.right_edge.i + 1
        while end > start + 1 and sentence.doc[end - 1].is_punct:
            end -= 1
        found.append((sentence.doc[start:end], subject))
    return found
