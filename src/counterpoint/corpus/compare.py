"""Compare: where sources that report the same event agree, disagree, or stay silent.

The unit of comparison is a claim (a sentence, or a belief inside one, with its
holder and certainty; see :mod:`counterpoint.nlp.claims`). Comparing documents:

1. **Align.** Claims are split into clauses. Each clause has one or two views:
   its core (asides removed) and, when its main predicate is a frame ("the
   central goal of the visit is to X", "the trip serves as a reminder that X"),
   the X it frames. Two clauses are as similar as their closest views: the
   cosine of the embeddings (all-MiniLM-L6-v2) plus :data:`LEXICAL_WEIGHT`
   times the TF-IDF cosine of their content words (names left out; IDF over
   the compared clauses). The score adds a bonus for the structure already
   extracted: shared actors (Jaccard of the canonical ids mentioned), a shared
   event type, the same act between the same parties. For each pair of
   documents, two clauses align when each is the other's best match, their
   score passes :data:`ALIGN_AT` and their embedding cosine
   :data:`MEANING_FLOOR`. Aligned clauses from all documents are joined into
   groups (connected components).
2. **Sort.** A group is a *disagreement* when two of its claims from different
   documents conflict, with the basis named:
   - *negation*: one denies what the other asserts ("did not address any
     military assistance" against "has provided vital support … militarily");
   - *certainty*: one is sure and the other doubts (probability gap of at least
     :data:`CERTAINTY_GAP` on the seven-step scale: "has provided" against "may
     not take place");
   - *framing*: the same statement with opposite tone (both beyond
     :data:`FRAMING_TONE`, on opposite sides of neutral).
   Otherwise it is an *agreement*, with its similarity and what is shared.
3. **Unique.** Claims of a document that align with nothing elsewhere.
4. **Tone.** Each document's tone toward each actor (from the analysis).

Every item cites its document and the claim's offsets (into ``body``, or into a
footnote's text when ``footnote`` is set).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from pydantic import BaseModel, Field

from counterpoint.schema import Analysis, DocumentRef

__all__ = ["ALIGN_AT", "CERTAINTY_GAP", "FRAMING_TONE", "Comparison", "compare", "statements"]

# Score at which two claims say the same thing. MiniLM cosines of paraphrases of
# one news fact sit around 0.6-0.9; claims on the same topic that say different
# things around 0.4-0.6; the structure bonus lifts claims about the same actors.
ALIGN_AT = 0.62
# A doubt or denial that is not a clause's best match must score this much to
# count as answering it (topic-level neighbours in commentary reach ~0.7), unless
# both name the same act between the same parties (then ALIGN_AT).
CONTRAST_AT = 0.75
# Claims one doubting clause may be shown answering.
MAX_ANSWERS = 3
# Weights of the structure bonus added to the cosine: shared actors; the same
# event type; the same act between the same parties (which words may hide: "has
# provided vital support to Russia" and "arms shipments to Russia may not take place").
ACTOR_BONUS = 0.15
EVENT_BONUS = 0.05
HAPPENING_BONUS = 0.2
# Weight of the lexical half of the similarity (TF-IDF cosine of content words):
# sentence embeddings of long opinion sentences lean on their subject ("Xi's
# visit …"); shared rare words ("economic cooperation") pull the point back in.
LEXICAL_WEIGHT = 0.3
# Embedding cosine below which two clauses are not the same statement however many
# words and actors they share: the bonuses carry a close meaning across, they do
# not make one. (A doubt may still answer a claim naming the same act between the
# same parties in other words: see _contrasts.)
MEANING_FLOOR = 0.55
# Probability gap that makes a certainty conflict: "almost certain" (0.97)
# against "roughly even chance" (0.5) or lower; "likely" (0.68) against
# "probably not" (0.3).
CERTAINTY_GAP = 0.35
# Tone beyond which a claim is framed, not neutral (VADER compound of the claim).
# Factual sentences score up to about ±0.5 from descriptive words ("ties broken
# off", "agreed", "autocrats"); loaded ones ("brutal crackdown crushed") beyond ±0.6.
FRAMING_TONE = 0.6
# Claims shorter than this (in words) are too thin to compare or to list as unique.
MIN_WORDS = 6
# Negations that assert rather than deny: "not only … but also", litotes ("not
# friendless", "not insignificant", "not without").
NOT_DENIALS = re.compile(r"\bnot\s+(?:only|just|merely|least|without|"
                         r"(?:un|in|im|ir|dis|non)\w+|\w+less)\b", re.IGNORECASE)
Embed = Callable[[Sequence[str]], Any]


class ClaimRef(BaseModel):
    """A claim as cited in a comparison."""

    doc: str
    text: str
    start: int
    end: int
    footnote: str | None = None
    holder: str
    certainty: str
    probability: float
    tone: float


class Group(BaseModel):
    """Claims from several documents that say the same thing (or contradict)."""

    claims: list[ClaimRef]
    basis: str
    score: float
    kind: str = ""  # agreement, or the kind of disagreement: negation, certainty, framing


class Comparison(BaseModel):
    """The contract of ``counterpoint compare --json`` (DESIGN.md)."""

    documents: list[DocumentRef]
    agree: list[Group] = Field(default_factory=list)
    disagree: list[Group] = Field(default_factory=list)
    unique: dict[str, list[ClaimRef]] = Field(default_factory=dict)
    tone: dict[str, dict[str, float]] = Field(default_factory=dict)


@dataclass(frozen=True)
class Statement:
    """A clause of a claim with what comparison needs: actors, events, polarity."""

    doc: str
    ref: ClaimRef
    actors: frozenset[str]
    events: frozenset[str]
    negated: bool
    words: int
    core: str  # the clause without parentheticals: what is embedded
    happenings: frozenset[tuple[str, str, str]] = frozenset()  # (family, source, target)
    content: str = ""  # what a framing predicate is about ("the goal is to X": X), if any
    terms: tuple[str, ...] = ()  # content lemmas of the clause, names left out
    content_terms: tuple[str, ...] = ()  # the same for ``content``


# Where a sentence splits into clauses that can be compared on their own:
# "Beijing outlined a peace plan on February 24, but many analysts perceive it
# as too vague" holds two statements.
CLAUSE_BREAKS = re.compile(r"\s*;\s+|,\s+but\s+|:\s+")
# Asides between dashes or brackets: "The meeting – marking the 40th encounter –
# followed the plan" is compared as "The meeting followed the plan".
ASIDES = re.compile(r"\s[–—-]\s[^–—]*?\s[–—-]\s|\s\([^)]*\)")


def _clauses(text: str) -> list[tuple[int, int]]:
    """Character ranges of a sentence's clauses; short pieces stay with their neighbour."""
    cuts = [0]
    for match in CLAUSE_BREAKS.finditer(text):
        cuts += [match.start(), match.end()]
    cuts.append(len(text))
    ranges = [(cuts[k], cuts[k + 1]) for k in range(0, len(cuts), 2)]
    merged: list[tuple[int, int]] = []
    for start, end in ranges:
        short = len(text[start:end].split()) < MIN_WORDS
        if merged and (short or len(text[merged[-1][0]:merged[-1][1]].split()) < MIN_WORDS):
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


# Main predicates: a negation here denies the statement; one inside a relative
# or adverbial clause ("gas that Europe refused") does not.
CONTRASTS = re.compile(r"\b(?:rather than|instead of)\b", re.IGNORECASE)
MAIN_DEPS = frozenset({"ROOT", "conj", "ccomp", "parataxis", "xcomp", "appos"})
DENYING_VERBS = frozenset({"deny", "refuse", "reject", "dismiss", "refute"})
DENYING_WORDS = frozenset({"groundless", "baseless", "false", "untrue", "unfounded",
                           "fabricated", "wrong"})


def _negates(token: Any) -> bool:
    """True when a predicate is denied: "did not sign", "never provided", "no contract",
    "Beijing denies …", "claims … are groundless"."""
    children = list(token.children)
    if any(c.dep_ == "neg" or c.lower_ == "never" for c in children):
        window = token.doc[max(0, token.i - 2):min(len(token.doc), token.i + 4)].text
        return not NOT_DENIALS.search(window)
    if any(c.dep_ in ("nsubj", "nsubjpass", "dobj", "attr") and any(
            d.dep_ == "det" and d.lower_ == "no" for d in c.children) for c in children):
        return True
    if token.pos_ in ("NOUN", "PROPN") and any(c.dep_ == "det" and c.lower_ == "no"
                                               for c in children):
        return True
    if token.lemma_.lower() in DENYING_VERBS:
        return True
    return any(c.dep_ in ("acomp", "attr") and c.lemma_.lower() in DENYING_WORDS
               for c in children)


def _clause_negated(doc: Any, lo: int, hi: int) -> bool:
    """Whether a clause's main predicate is denied (not one in a relative or adverbial
    clause inside it: "gas that Europe refused")."""
    inside = [t for t in doc if lo <= t.idx < hi]
    roots = [t for t in inside if not (lo <= t.head.idx < hi) or t.head.i == t.i]
    stack = list(roots)
    while stack:
        token = stack.pop()
        if _negates(token):
            return True
        stack += [c for c in token.children if c.dep_ in MAIN_DEPS and lo <= c.idx < hi]
    # "an alliance of circumstance rather than an organic closeness" denies the latter
    return bool(CONTRASTS.search(doc.text[lo:hi]))


# Complements that carry what a framing predicate is about: "the central goal of
# the visit is [to strengthen economic cooperation]", "the visit serves as a
# reminder [that the best way is together]". Shorter ones add nothing.
CONTENT_DEPS = frozenset({"xcomp", "ccomp"})
FRAME_NOUN_DEPS = frozenset({"attr", "dobj", "pobj", "prep"})
CONTENT_WORDS = 4


def _content(doc: Any, lo: int, hi: int) -> tuple[str, tuple[str, ...]]:
    """The complement clause a clause's main predicate frames and its terms, or ("", ())
    when there is none.

    Commentary wraps its point in a frame ("the central goal … is to X", "the
    meeting serves as a reminder that X", "it is clear that X"); sentence
    embeddings then weigh the frame's subject as much as X. Comparing X on its own
    as a second view lets "the goal … is to strengthen bilateral economic
    cooperation" meet "the two sides committed to deepening cooperation".
    """
    inside = [t for t in doc if lo <= t.idx < hi]
    roots = [t for t in inside if not (lo <= t.head.idx < hi) or t.head.i == t.i]
    best = ""
    terms: tuple[str, ...] = ()
    for root in roots:
        heads = [root] + [c for c in root.children if c.dep_ in FRAME_NOUN_DEPS]
        heads += [g for h in heads[1:] for g in h.children if g.dep_ == "pobj"]
        for head in heads:
            for child in head.children:
                if child.dep_ not in CONTENT_DEPS:
                    continue
                words = [t for t in child.subtree if lo <= t.idx < hi]
                if len(words) < CONTENT_WORDS:
                    continue
                text = doc.text[words[0].idx:words[-1].idx + len(words[-1])]
                if len(text) > len(best):
                    best, terms = text, _terms(words)
    return ASIDES.sub(" ", best).strip(), terms


# Words that carry what a clause says, for the lexical half of the similarity:
# names are left to the actor bonus, function words to nobody.
TERM_POS = frozenset({"NOUN", "VERB", "ADJ", "ADV", "NUM"})


def _terms(tokens: Any) -> tuple[str, ...]:
    return tuple(t.lemma_.lower() for t in tokens
                 if t.pos_ in TERM_POS and t.is_alpha and not t.is_stop and not t.ent_type_)


def statements(analysis: Analysis) -> list[Statement]:
    """The comparable clauses of one analysed document's claims, in order."""
    from counterpoint.nlp.certainty import read_certainty
    from counterpoint.nlp.pipeline import parse_many
    from counterpoint.nlp.tone import tone

    names = [(alias.lower(), actor.id) for actor in analysis.actors
             for alias in {actor.name, *actor.aliases_seen} if len(alias) > 1]
    claims = [c for c in analysis.claims if len(c.text.split()) >= MIN_WORDS]
    found = []
    for claim, doc in zip(claims, parse_many(c.text for c in claims), strict=True):
        for lo, hi in _clauses(claim.text):
            text = claim.text[lo:hi].strip()
            lead = len(claim.text[lo:hi]) - len(claim.text[lo:hi].lstrip())
            start = claim.start + lo + lead
            core = ASIDES.sub(" ", text)
            lowered = text.lower()
            actors = frozenset(actor_id for alias, actor_id in names
                               if re.search(rf"(?<!\w){re.escape(alias)}(?!\w)", lowered))
            events = [e for e in analysis.events if e.footnote == claim.footnote
                      and start <= e.start + _trigger_offset(e) < start + len(text)]
            certainty = read_certainty(text)
            unnamed = lowered
            for alias, _ in names:  # names carry no judgement ("United" States)
                unnamed = unnamed.replace(alias, " ")
            negated = _clause_negated(doc, lo, hi)
            content, content_terms = _content(doc, lo, hi)
            ref = ClaimRef(doc=analysis.id, text=text, start=start, end=start + len(text),
                           footnote=claim.footnote, holder=claim.holder.name,
                           certainty=certainty.label, probability=certainty.probability,
                           tone=round(tone(unnamed), 3))
            found.append(Statement(analysis.id, ref, actors, frozenset(e.type for e in events),
                                   negated, len(text.split()), core,
                                   frozenset(k for k in map(_happening, events) if k),
                                   content, _terms(t for t in doc if lo <= t.idx < hi),
                                   content_terms))
    return found


@dataclass
class _Pair:
    a: int
    b: int
    score: float
    cosine: float
    shared: list[str] = field(default_factory=list)


# Event types that name the same kind of act from different angles: "provided
# support" and "arms shipments" are both material help.
FAMILIES = {"AID": "help", "SUPPORT": "help", "COOPERATE": "help"}


def _happening(event: Any) -> tuple[str, str, str] | None:
    """What an event is about, comparable across documents: (family, source, target)."""
    if event.source is None or event.target is None:
        return None
    def key(ref: Any) -> str:
        return str(ref.id or ref.name).lower()
    return (FAMILIES.get(event.type, event.type), key(event.source), key(event.target))


def _trigger_offset(event: Any) -> int:
    """Where an event's trigger sits in its sentence (0 when unknown)."""
    if event.trigger:
        at = event.sentence.find(event.trigger)
        if at >= 0:
            return int(at)
    return 0


def compare(analyses: Sequence[Analysis], embed: Embed | None = None) -> Comparison:
    """Compare documents: aligned agreements and disagreements, unique claims, tone."""
    if embed is None:
        from counterpoint.corpus.embed import embed as default_embed

        embed = default_embed
    docs = [DocumentRef(id=a.id, path=a.path, title=a.title, publisher=a.publisher,
                        published=a.published) for a in analyses]
    per_doc = [statements(a) for a in analyses]
    flat = [s for group in per_doc for s in group]
    views = _views(flat, embed)
    names = {actor.id: actor.name for a in analyses for actor in a.actors}
    spans: list[range] = []
    position = 0
    for group in per_doc:
        spans.append(range(position, position + len(group)))
        position += len(group)
    pairs: list[_Pair] = []
    contrasts: list[_Pair] = []
    for i, left in enumerate(spans):
        for right in spans[i + 1:]:
            if not left or not right:
                continue
            scores = _scores(flat, views, left, right)  # type: ignore[arg-type]
            pairs += _mutual_best(flat, scores, left, right, names)
            contrasts += _contrasts(flat, scores, left, right, names)
    groups = _components(len(flat), pairs)
    result = Comparison(documents=docs, tone={a.id: dict(a.tone.by_actor) for a in analyses})
    grouped: set[int] = set()
    conflicts: list[tuple[list[int], list[_Pair]]] = []  # disagreement members and pairs
    for members in groups:
        grouped.update(members)
        inside = [p for p in pairs if p.a in members]
        verdict = _verdict([flat[k] for k in sorted(members)], inside, flat)
        if verdict.kind == "agreement":
            result.agree.append(verdict)
        else:
            conflicts.append((sorted(members), inside))
    # A doubt or denial may answer claims that are aligned elsewhere (or with
    # nothing): each doubting clause is shown with what it answers, joining the
    # disagreement it is already in.
    answers: dict[int, list[_Pair]] = {}
    for pair in sorted(contrasts, key=lambda p: -p.score):
        answers.setdefault(_doubter(pair, flat), []).append(pair)
    in_conflict = {k: n for n, (ids, _) in enumerate(conflicts) for k in ids}
    for doubter, answered in sorted(answers.items(), key=lambda kv: -kv[1][0].score):
        found = [p for p in answered
                 if (p.b if p.a == doubter else p.a) not in in_conflict][:MAX_ANSWERS]
        if not found:
            continue
        if doubter in in_conflict:
            held, inside = conflicts[in_conflict[doubter]]
        else:
            held, inside = [doubter], []
            conflicts.append((held, inside))
            in_conflict[doubter] = len(conflicts) - 1
        for pair in found:
            other = pair.b if pair.a == doubter else pair.a
            held.append(other)
            inside.append(pair)
            in_conflict[other] = in_conflict[doubter]
        held.sort()
        grouped.update(held)
    for ids, inside in conflicts:
        result.disagree.append(_verdict([flat[k] for k in ids], inside, flat))
    result.agree.sort(key=lambda g: -g.score)
    result.disagree.sort(key=lambda g: -g.score)
    for analysis, span in zip(analyses, spans, strict=True):
        result.unique[analysis.id] = [flat[k].ref for k in span if k not in grouped]
    return result


@dataclass(frozen=True)
class _Views:
    """Each clause's two views: its core, and what its frame is about (the core again
    when it has no frame), embedded (clauses, 2, dimensions) and as TF-IDF rows."""

    dense: Any
    lexical: tuple[Any, Any]


def _views(flat: list[Statement], embed: Embed) -> _Views | None:
    if not flat:
        return None
    from sklearn.feature_extraction.text import TfidfVectorizer

    framed = [k for k, s in enumerate(flat) if s.content]
    vectors = np.asarray(embed([s.core for s in flat] + [flat[k].content for k in framed]))
    dense = np.stack([vectors[:len(flat)], vectors[:len(flat)]], axis=1)
    if framed:
        dense[framed, 1] = vectors[len(flat):]
    # Inverse document frequency over the compared clauses: a word every clause
    # uses ("war", "visit") says little; one few use ("economic") says more.
    tfidf = TfidfVectorizer(analyzer=list, sublinear_tf=True)
    try:
        core = tfidf.fit_transform([s.terms for s in flat])
        content = tfidf.transform([s.content_terms or s.terms for s in flat])
    except ValueError:  # no clause has a content word
        core = content = None
    return _Views(dense, (core, content))


def _scores(flat: list[Statement], views: _Views, left: range, right: range) -> Any:
    """Similarity plus structure bonus for every pair of two documents' clauses.

    The similarity is a hybrid: the embeddings' cosine plus :data:`LEXICAL_WEIGHT`
    times the TF-IDF cosine of their content words, the best over the two clauses'
    views. Returns the embedding cosines (for the basis) and the totals.
    """
    mine, theirs = views.dense[left.start:left.stop], views.dense[right.start:right.stop]
    cosines = np.full((len(left), len(right)), -1.0)
    similar = np.full((len(left), len(right)), -1.0)
    for p in (0, 1):
        for q in (0, 1):
            dense = mine[:, p] @ theirs[:, q].T
            lexical = 0.0
            a, b = views.lexical[p], views.lexical[q]
            if a is not None and b is not None:
                lexical = (a[left.start:left.stop] @ b[right.start:right.stop].T).toarray()
            cosines = np.maximum(cosines, dense)
            similar = np.maximum(similar, dense + LEXICAL_WEIGHT * lexical)
    bonus = np.array([[_bonus(flat[a], flat[b]) for b in right] for a in left])
    return cosines, similar + bonus


def _pair(flat: list[Statement], a: int, b: int, *, score: float, cosine: float,
          names: dict[str, str]) -> _Pair:
    shared = sorted(names.get(x, x) for x in flat[a].actors & flat[b].actors)
    return _Pair(a, b, score, cosine, shared)


def _mutual_best(flat: list[Statement], scores: Any, left: range, right: range,
                 names: dict[str, str]) -> list[_Pair]:
    """Pairs that are each other's best match, scoring at least :data:`ALIGN_AT`."""
    cosines, total = scores
    total = np.where(cosines >= MEANING_FLOOR, total, -1.0)
    best_right = total.argmax(axis=1)
    best_left = total.argmax(axis=0)
    pairs = []
    for i, j in enumerate(best_right):
        if best_left[j] == i and total[i, j] >= ALIGN_AT:
            pairs.append(_pair(flat, left[i], right[j], score=float(total[i, j]),
                               cosine=float(cosines[i, j]), names=names))
    return pairs


def _contrasts(flat: list[Statement], scores: Any, left: range, right: range,
               names: dict[str, str]) -> list[_Pair]:
    """Pairs in which one clause doubts or denies what the other asserts, scoring at
    least :data:`CONTRAST_AT` (or :data:`ALIGN_AT` when both name the same act)."""
    cosines, total = scores
    found = []
    for i, a in enumerate(left):
        for j, b in enumerate(right):
            same = bool(flat[a].happenings & flat[b].happenings)
            if total[i, j] >= (ALIGN_AT if same else CONTRAST_AT) and \
                    _conflict(flat[a], flat[b]) is not None:
                found.append(_pair(flat, a, b, score=float(total[i, j]),
                                   cosine=float(cosines[i, j]), names=names))
    return found


def _doubter(pair: _Pair, flat: list[Statement]) -> int:
    """The clause of a conflicting pair that doubts or denies (the one answered)."""
    a, b = flat[pair.a], flat[pair.b]
    if a.ref.probability != b.ref.probability:
        return pair.a if a.ref.probability < b.ref.probability else pair.b
    return pair.a if a.negated else pair.b


def _bonus(a: Statement, b: Statement) -> float:
    union = a.actors | b.actors
    jaccard = len(a.actors & b.actors) / len(union) if union else 0.0
    if a.happenings & b.happenings:
        return ACTOR_BONUS * jaccard + HAPPENING_BONUS
    return ACTOR_BONUS * jaccard + (EVENT_BONUS if a.events & b.events else 0.0)


def _components(n: int, pairs: list[_Pair]) -> list[set[int]]:
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for pair in pairs:
        parent[find(pair.a)] = find(pair.b)
    groups: dict[int, set[int]] = {}
    for pair in pairs:
        for k in (pair.a, pair.b):
            groups.setdefault(find(k), set()).add(k)
    return sorted(groups.values(), key=min)


def _verdict(members: list[Statement], pairs: list[_Pair], flat: list[Statement]) -> Group:
    """Agreement, or the strongest conflict between two of the group's documents."""
    claims = [m.ref for m in members]
    score = round(sum(p.score for p in pairs) / len(pairs), 3)
    conflicts = []
    for pair in pairs:
        a, b = flat[pair.a], flat[pair.b]
        found = _conflict(a, b)
        if found is not None:
            conflicts.append((found, pair))
    if conflicts:
        (kind, basis), pair = max(conflicts, key=lambda c: c[1].score)
        return Group(claims=claims, basis=basis, score=round(pair.score, 3), kind=kind)
    best = max(pairs, key=lambda p: p.score)
    shared = f"; shared actors: {', '.join(best.shared)}" if best.shared else ""
    return Group(claims=claims, kind="agreement", score=score,
                 basis=f"same statement (similarity {best.cosine:.2f}{shared})")


def _conflict(a: Statement, b: Statement) -> tuple[str, str] | None:
    """The kind and basis of a conflict between two aligned clauses, if any.

    Certainty comes first: "may not take place" doubts rather than denies.
    """
    gap = abs(a.ref.probability - b.ref.probability)
    if gap >= CERTAINTY_GAP:
        sure, doubt = (a, b) if a.ref.probability > b.ref.probability else (b, a)
        return ("certainty", f"{_short(sure)} is {_label(sure)}; {_short(doubt)} says "
                f"{_label(doubt)}")
    if a.negated != b.negated:
        denier, asserter = (a, b) if a.negated else (b, a)
        return ("negation", f"{_short(denier)} denies what {_short(asserter)} asserts")
    if (a.ref.tone * b.ref.tone < 0 and abs(a.ref.tone) >= FRAMING_TONE
            and abs(b.ref.tone) >= FRAMING_TONE):
        pos, neg = (a, b) if a.ref.tone > 0 else (b, a)
        return ("framing", f"framing: {_short(pos)} puts it positively ({pos.ref.tone:+.2f}), "
                f"{_short(neg)} negatively ({neg.ref.tone:+.2f})")
    return None


def _short(statement: Statement) -> str:
    return f"{statement.ref.holder} ({statement.doc})"


def _label(statement: Statement) -> str:
    return statement.ref.certainty.replace("_", " ")
