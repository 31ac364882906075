"""Exact duplicates, near duplicates, republications and translations.

Three ways two stored documents can be "the same article":

* **exact**: the same body once normalised (case folded, punctuation removed,
  whitespace collapsed), found by a hash of that text;
* **near**: bodies whose sets of 5-word shingles overlap with a Jaccard
  similarity of at least :data:`NEAR_THRESHOLD`, estimated with MinHash
  (:data:`NUM_PERM` permutations) and found without comparing all pairs by
  MinHash LSH;
* **republication / translation**: a document whose ``provenance`` names where
  it first appeared ("originally appeared in French on 21 March 2023 on
  Révolution Permanente") is linked to the document whose publisher, URL or
  title matches that source, and whose date matches when both are known.

Documents linked in any of these ways form a :class:`DuplicateGroup`, with one
*canonical* document (the original: not itself a declared copy, then the
earliest published, then the longest body, then the smallest id) and the other
members, each with its relation and the document it is linked to.

:func:`group_duplicates` does a whole batch; :class:`DuplicateIndex` does the
same one document at a time (so a store can dedupe while ingesting) and gives
the same groups whatever the order of insertion. Its state is picklable, and
it can be rebuilt cheaply from stored :func:`signature` bytes.
"""

from __future__ import annotations

import re
import struct
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any, Literal
from urllib.parse import urlsplit

import numpy as np
from datasketch import MinHash, MinHashLSH
from rapidfuzz import fuzz, process

from counterpoint.schema import Document, Provenance, content_id

__all__ = [
    "LSH_BANDS",
    "MIN_NEAR_WORDS",
    "NAME_MATCH",
    "NEAR_THRESHOLD",
    "NUM_PERM",
    "SHINGLE_WORDS",
    "SIGNATURE_SCHEME",
    "DocText",
    "DuplicateGroup",
    "DuplicateIndex",
    "Member",
    "Relation",
    "exact_key",
    "from_signature",
    "group_duplicates",
    "link_provenance",
    "normalize",
    "shingles",
    "signature",
    "similarity",
]

Relation = Literal["exact", "near", "republication", "translation"]
CopyRelation = Literal["republication", "translation"]

# Shingles of five words: long enough that two unrelated articles on the same
# event share almost none (common phrases are rarely five words long), short
# enough that one edited word removes only five shingles.
SHINGLE_WORDS = 5
NUM_PERM = 128
# Near duplicate at an (estimated) Jaccard of 0.7 or more over 5-word shingles.
# Every edited word removes up to five shingles, so a copy with a new headline
# and four sub-edited phrases in a 270-word story already falls to 0.78 (the
# test's VISIT_EDITED): 0.8 would miss such copies at the first extra edit.
# Pairs that are not copies stay far below: two reports of the same event in
# their own words share ~0.0, and two different articles sharing a 40-word
# disclaimer ~0.2-0.3 (the disclaimer's ~36 shingles against each article's
# own). The MinHash estimate has a standard error of about 0.04 at 0.7 with
# 128 permutations.
NEAR_THRESHOLD = 0.7
# LSH banding, set by hand rather than by datasketch's optimiser, which for
# 0.7 picks 14 bands of 9 rows and finds a pair at the threshold 44% of the
# time. 25 bands of 5 rows find a pair at J=0.7 99% of the time (99.9% at
# 0.75), and offer a pair at J=0.3 as a candidate 6% of the time; every
# candidate is then checked against NEAR_THRESHOLD on all 128 values.
LSH_BANDS = (25, 5)
# Bodies shorter than this many words are too short to call near duplicates
# (a headline, a paywall stub); they group only as exact copies, and then only
# when their titles are equal too, so that identical stubs of different
# articles stay apart.
MIN_NEAR_WORDS = 20
# Minimum rapidfuzz score (0-100) for a provenance source to name a document's
# publisher, site or title.
NAME_MATCH = 90
# Version of the signature recipe (normalisation, shingles, hash scheme, seed):
# a store keeps it with the signatures and recomputes them when it changes.
SIGNATURE_SCHEME = "minhash-affine32-seed1-p128-w5-v2"

_SEED = 1
_SCHEME: Literal["affine32"] = "affine32"
_SIG_DTYPE = np.dtype("<u4")
# Signature bytes: version, words, characters, body hash; then the MinHash values.
_SIGNATURE_VERSION = 2
_HEADER = struct.Struct("<B3xII8s")
# Provenance relations that say "this text is a copy of that one".
_TRANSLATION_HINTS = ("transl", "traduc", "übersetz")
_REPUBLICATION_HINTS = ("republi", "reprint", "repost", "original", "appeared", "syndicat",
                        "cross-post", "crosspost", "copy", "reproduc", "first published")
# A date printed in a provenance line and the publication date of the original
# may differ by a day (time zones, late-night posts).
_DATE_SLACK_DAYS = 1
# A provenance source is also compared with titles when it is at least this long.
_MIN_TITLE_CHARS = 12

_NON_WORD = re.compile(r"[^\w\s]+|_+")
_SPACE = re.compile(r"\s+")
_URLISH = re.compile(r"^(?:[a-z][a-z0-9+.-]*://|www\.)|^[\w-]+(?:\.[\w-]+)+(?:/|$)", re.I)



# --- text ---------------------------------------------------------------------------------


def normalize(text: str) -> str:
    """Case-fold, strip punctuation and collapse whitespace (NFKC first)."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return _SPACE.sub(" ", _NON_WORD.sub(" ", text)).strip()


def _shingle_words(words: Sequence[str], size: int = SHINGLE_WORDS) -> list[bytes]:
    if len(words) <= size:
        return [" ".join(words).encode()] if words else []
    return list(dict.fromkeys(" ".join(words[i:i + size]).encode()
                              for i in range(len(words) - size + 1)))


def shingles(text: str, size: int = SHINGLE_WORDS) -> list[bytes]:
    """The distinct ``size``-word shingles of the normalised text (one shingle if shorter)."""
    return _shingle_words(normalize(text).split(), size)


def _key(body_hash: bytes, words: int, title: str | None) -> str:
    """The exact-copy key: the body's hash; for short bodies, with the title's."""
    if words < MIN_NEAR_WORDS:
        return content_id(body_hash + b"\x00" + normalize(title or "").encode())
    return body_hash.hex()


def exact_key(body: str, title: str | None = None) -> str:
    """Hash of the normalised body; for bodies under :data:`MIN_NEAR_WORDS`, of the title too."""
    text = normalize(body)
    return _key(bytes.fromhex(content_id(text)), len(text.split()), title)


@lru_cache(maxsize=1)
def _permutations() -> np.ndarray:
    """The permutation parameters of every signature (fixed by the seed), computed once."""
    return np.asarray(MinHash(num_perm=NUM_PERM, seed=_SEED, scheme=_SCHEME).permutations)


def _minhash(hashvalues: np.ndarray | None = None) -> MinHash:
    return MinHash(num_perm=NUM_PERM, seed=_SEED, scheme=_SCHEME, hashvalues=hashvalues,
                   permutations=_permutations())


@dataclass(frozen=True)
class _Signature:
    """What the index needs of a body, so that it never needs the body again."""

    words: int  # normalised words
    length: int  # characters of the body as given
    body_hash: bytes  # 8 bytes of the SHA-256 of the normalised body
    hashvalues: np.ndarray  # NUM_PERM MinHash values (uint32)

    @classmethod
    def of(cls, body: str, *, minhash: bool = True) -> _Signature:
        text = normalize(body)
        words = text.split()
        values = np.zeros(0, dtype=_SIG_DTYPE)
        if minhash:
            hashed = _minhash()
            found = _shingle_words(words)
            if found:
                hashed.update_batch(found)
            values = np.asarray(hashed.hashvalues, dtype=_SIG_DTYPE)
        return cls(len(words), len(body), bytes.fromhex(content_id(text)), values)

    def pack(self) -> bytes:
        return (_HEADER.pack(_SIGNATURE_VERSION, self.words, self.length, self.body_hash)
                + self.hashvalues.astype(_SIG_DTYPE).tobytes())

    @classmethod
    def unpack(cls, data: bytes) -> _Signature:
        size = _HEADER.size + NUM_PERM * _SIG_DTYPE.itemsize
        if len(data) != size or data[0] != _SIGNATURE_VERSION:
            raise ValueError(f"not a signature of scheme {SIGNATURE_SCHEME} ({size} bytes "
                             f"starting with {_SIGNATURE_VERSION}): {len(data)} bytes")
        _, words, length, body_hash = _HEADER.unpack_from(data)
        return cls(words, length, body_hash, np.frombuffer(data, _SIG_DTYPE, offset=_HEADER.size))


def signature(body: str) -> bytes:
    """A body's signature for storage: its MinHash and what dedupe needs of it (532 bytes).

    Holds the :data:`NUM_PERM` MinHash values (little-endian uint32), the
    number of words and characters, and a hash of the normalised body, so that
    :meth:`DuplicateIndex.add` given a signature never reads the body.
    """
    return _Signature.of(body).pack()


def from_signature(data: bytes) -> MinHash:
    """The MinHash of stored :func:`signature` bytes (for LSH or ``jaccard``)."""
    return _minhash(_Signature.unpack(data).hashvalues)


def similarity(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of the shingle sets behind two signatures."""
    return _jaccard(_Signature.unpack(a).hashvalues, _Signature.unpack(b).hashvalues)


def _jaccard(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.count_nonzero(a == b)) / NUM_PERM


# --- documents and groups -----------------------------------------------------------------


@dataclass
class DocText:
    """What duplicate detection needs of one document."""

    id: str
    body: str
    title: str | None = None
    published: str | None = None
    language: str | None = None
    provenance: list[Provenance] = field(default_factory=list)
    url: str | None = None
    publisher: str | None = None

    @classmethod
    def from_document(cls, doc: Document) -> DocText:
        """The fields of an extracted document (or an analysis) that dedupe reads."""
        return cls(id=doc.id, body=doc.body, title=doc.title, published=doc.published,
                   language=doc.language, provenance=list(doc.provenance), url=doc.url,
                   publisher=doc.publisher)


@dataclass(frozen=True)
class Member:
    """A non-canonical document of a group: how it relates to the document ``of``.

    ``of`` is the canonical document when the member copies it; otherwise the
    member it is linked to: the first-ranked document with the same text (for
    an exact copy), the original its provenance names (for a declared copy),
    or the most similar member (for a near copy of a copy). ``similarity`` is
    the estimated Jaccard similarity of the two bodies' shingles (1.0 for
    exact copies; ``None`` for a translation, or when a body is too short to
    compare).
    """

    id: str
    relation: Relation
    similarity: float | None
    of: str


@dataclass(frozen=True)
class DuplicateGroup:
    """Documents that are one article: the canonical one, and the others."""

    canonical: str
    members: tuple[Member, ...]

    @property
    def ids(self) -> list[str]:
        """Every document of the group, the canonical one first."""
        return [self.canonical, *(m.id for m in self.members)]

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {"canonical": self.canonical,
                "members": [{"id": m.id, "relation": m.relation, "similarity": m.similarity,
                             "of": m.of} for m in self.members]}


# --- provenance ---------------------------------------------------------------------------


def _copy_relation(relation: str) -> CopyRelation | None:
    text = relation.casefold()
    if any(hint in text for hint in _TRANSLATION_HINTS):
        return "translation"
    if any(hint in text for hint in _REPUBLICATION_HINTS):
        return "republication"
    return None


def _linkable(provenance: Sequence[Provenance]) -> list[tuple[CopyRelation, Provenance]]:
    """The provenance lines that name the source of a copy, with the kind of copy."""
    found = []
    for line in provenance:
        relation = _copy_relation(line.relation)
        if relation is not None and line.source and line.source.strip():
            found.append((relation, line))
    return found


def _squash(text: str) -> str:
    """Letters and digits only, no accents: "Révolution Permanente" → "revolutionpermanente"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if ch.isalnum())


def _split_url(url: str) -> tuple[str, str]:
    """(host without ``www.``, path without trailing slash) of a URL or bare domain."""
    url = url.strip()
    if "://" not in url:
        url = "//" + url
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").removeprefix("www.")
    except ValueError:
        return "", ""
    return host, parts.path.rstrip("/")


def _site_name(host: str) -> str:
    """The name part of a host: ``www.revolutionpermanente.fr`` → ``revolutionpermanente``."""
    labels = [label for label in host.split(".") if label]
    if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in {"co", "com", "org", "net",
                                                                     "ac", "gov"}:
        labels = labels[:-2]
    elif len(labels) >= 2:
        labels = labels[:-1]
    return labels[-1] if labels else ""


def _sorted_words(text: str | None) -> str:
    """Normalised words in sorted order: ``fuzz.ratio`` of two is their token-sort ratio."""
    return " ".join(sorted(normalize(text or "").split()))


@lru_cache(maxsize=512)
def _language_code(value: str) -> str | None:
    """ISO 639-1 (or -3) code of a language name or code: "French" → "fr"."""
    text = value.strip()
    if not text:
        return None
    import pycountry

    try:
        found = pycountry.languages.lookup(text.split("-")[0].split("_")[0])
    except LookupError:
        return text.casefold()
    return str(getattr(found, "alpha_2", None) or found.alpha_3)


def _parse_date(value: str) -> tuple[date | None, str]:
    """A full date when there is one, and the ISO prefix (YYYY, YYYY-MM or YYYY-MM-DD)."""
    prefix = value.strip()[:10]
    try:
        return date.fromisoformat(prefix), prefix
    except ValueError:
        return None, prefix


def _dates_agree(printed: str | None, published: str | None) -> bool | None:
    """Whether two dates agree at their common precision; ``None`` when one is unknown."""
    if not printed or not published:
        return None
    a, a_prefix = _parse_date(printed)
    b, b_prefix = _parse_date(published)
    if a is not None and b is not None:
        return abs((a - b).days) <= _DATE_SLACK_DAYS
    size = min(len(a_prefix), len(b_prefix))
    return size >= 4 and a_prefix[:size] == b_prefix[:size]


@dataclass(frozen=True)
class _Source:
    """A provenance source, read once: as a URL or domain when it is one, and as a name."""

    host: str  # "" unless the source is a URL or a domain
    path: str
    name: str  # squashed, to compare with publishers and site names
    words: str  # sorted words, to compare with titles ("" when too short to be a title)


@lru_cache(maxsize=4096)
def _read_source(text: str) -> _Source:
    text = text.strip()
    host = path = ""
    name = _squash(text)
    if _URLISH.match(text):
        host, path = _split_url(text)
        name = _squash(_site_name(host))
    return _Source(host=host, path=path, name=name,
                   words=_sorted_words(text) if len(text) >= _MIN_TITLE_CHARS else "")


@dataclass
class _Entry:
    """What the index keeps of a document: metadata and signature, not the body."""

    id: str
    title: str | None
    publisher: str | None
    url: str | None
    published: str | None
    language: str | None
    length: int
    key: str
    provenance: list[Provenance]
    sig: np.ndarray | None
    # read once for provenance matching
    names: tuple[str, ...]  # squashed publisher, site name and host
    host: str
    path: str
    title_words: str


def _entry(doc: DocText, stored: bytes | None = None, *, signed: bool = True) -> _Entry:
    """An index entry for a document; given its ``stored`` signature, the body is not read."""
    sig = (_Signature.unpack(stored) if stored is not None
           else _Signature.of(doc.body, minhash=signed))
    host, path = _split_url(doc.url) if doc.url else ("", "")
    names = tuple(dict.fromkeys(n for n in (_squash(doc.publisher or ""),
                                            _squash(_site_name(host)), _squash(host)) if n))
    return _Entry(id=doc.id, title=doc.title, publisher=doc.publisher, url=doc.url,
                  published=doc.published, language=doc.language, length=sig.length,
                  key=_key(sig.body_hash, sig.words, doc.title), provenance=list(doc.provenance),
                  sig=sig.hashvalues.copy() if signed and sig.words >= MIN_NEAR_WORDS else None,
                  names=names, host=host, path=path, title_words=_sorted_words(doc.title))


@lru_cache(maxsize=65536)
def _names_score(name: str, names: tuple[str, ...]) -> int:
    return max((round(fuzz.ratio(name, other, score_cutoff=NAME_MATCH)) for other in names),
               default=0)


def _name_score(source: _Source, entry: _Entry) -> int:
    """How well a provenance source names a document: 0-100, or 200 for its exact URL."""
    best = 0
    if source.host and source.host == entry.host:
        if source.path and source.path == entry.path:
            return 200
        if not source.path:
            best = 100
    if source.name:
        best = max(best, _names_score(source.name, entry.names))
    if source.words and entry.title_words:
        best = max(best, round(fuzz.ratio(source.words, entry.title_words,
                                          score_cutoff=NAME_MATCH)))
    return best


_Score = tuple[int, int, int]


def _link_score(doc: _Entry, line: Provenance, source: _Source,
                candidate: _Entry) -> _Score | None:
    """Rank of a candidate as the original a provenance line names, or ``None`` if it is not."""
    if candidate.id == doc.id:
        return None
    name = _name_score(source, candidate)
    if name < NAME_MATCH:
        return None
    dated = _dates_agree(line.date, candidate.published)
    if dated is False:
        return None
    if line.language and candidate.language:
        wanted, got = _language_code(line.language), _language_code(candidate.language)
        if wanted and got and wanted != got:
            return None
    same_title = bool(doc.title_words and candidate.title_words) and fuzz.ratio(
        doc.title_words, candidate.title_words) >= NAME_MATCH
    return name, int(bool(dated)), int(same_title)


@dataclass
class _Line:
    """A linkable provenance line of a document and the best candidates found for it so far."""

    relation: CopyRelation
    line: Provenance
    source: _Source
    score: _Score | None = None
    tied: list[str] = field(default_factory=list)

    def offer(self, doc: _Entry, candidate: _Entry) -> bool:
        """Consider a candidate; return whether the best ones changed."""
        score = _link_score(doc, self.line, self.source, candidate)
        if score is None or (self.score is not None and score < self.score):
            return False
        if self.score is None or score > self.score:
            self.score, self.tied = score, [candidate.id]
        else:
            self.tied.append(candidate.id)
        return True


def _lines(doc: _Entry) -> list[_Line]:
    return [_Line(relation, line, _read_source(line.source or ""))
            for relation, line in _linkable(doc.provenance)]


def _choose(lines: Sequence[_Line], entries: dict[str, _Entry]) -> tuple[str, CopyRelation] | None:
    """The original named by the first line that names one, unless different documents tie."""
    for line in lines:
        if not line.tied:
            continue
        if len({entries[i].key for i in line.tied}) > 1:
            return None  # several different documents fit equally well: don't guess
        chosen = min(line.tied, key=lambda i: (entries[i].published is None,
                                               entries[i].published or "", i))
        return chosen, line.relation
    return None


def link_provenance(doc: DocText, candidates: Iterable[DocText]) -> str | None:
    """The id of the candidate that ``doc``'s provenance names as its original, or ``None``.

    A provenance line links when its relation is a translation or a
    republication ("originally appeared", "reprinted", …) and its ``source``
    names the candidate: its publisher, its site (``revolutionpermanente.fr``
    for "Révolution Permanente"), its URL, or its title (rapidfuzz score of at
    least :data:`NAME_MATCH` on accent- and case-free text). A candidate whose
    publication date disagrees with the provenance date (by more than a day,
    or at their common precision), or whose language differs from the one
    named, is never chosen. The best match wins (exact URL, then name score,
    then a matching date, then the same title as ``doc``); when different
    documents tie, none is chosen. The first line that names a candidate
    decides.
    """
    me = _entry(doc, signed=False)
    pool = {c.id: _entry(c, signed=False) for c in candidates}
    lines = _lines(me)
    for line in lines:
        for candidate in pool.values():
            line.offer(me, candidate)
    found = _choose(lines, pool)
    return found[0] if found else None


# --- the index ----------------------------------------------------------------------------


class DuplicateIndex:
    """Duplicate groups maintained one document at a time.

    ``add`` returns the canonical id of the group the new document is in (or
    ``None`` while it is alone); the canonical document of a group can change
    as earlier copies arrive, so callers that store it should re-read
    :meth:`group_of`. The resulting groups do not depend on the order of
    insertion and equal those of :func:`group_duplicates`.

    Only signatures and a few metadata fields are kept, not bodies. An index
    pickles as plain data; a store can also rebuild one from its stored
    :func:`signature` bytes and metadata (id, title, dates, publisher, URL,
    language, provenance), with empty bodies: nothing is hashed again.

    Cost per document: one MinHash, one LSH query with a check of each
    candidate, and one name comparison per distinct provenance source seen so
    far; a document with a linkable provenance line is also compared with the
    documents whose publisher, site or title matches its source.
    """

    def __init__(self) -> None:
        self._reset()

    def _reset(self) -> None:
        self._entries: dict[str, _Entry] = {}
        self._lsh = MinHashLSH(threshold=NEAR_THRESHOLD, num_perm=NUM_PERM, params=LSH_BANDS)
        self._by_key: dict[str, str] = {}  # exact key → the document of that key in the LSH
        self._parent: dict[str, str] = {}  # union-find over exact and near links
        self._members: dict[str, list[str]] = {}  # union-find root → its documents
        # provenance: lines of documents that name a source, and the links they make
        self._lines: dict[str, list[_Line]] = {}
        self._by_source: dict[str, list[tuple[str, int]]] = {}  # source text → (doc, line)
        self._by_names: dict[tuple[str, ...], list[str]] = {}
        self._by_host: dict[str, list[str]] = {}
        self._titles: list[str] = []
        self._title_ids: list[str] = []
        self._links: dict[str, tuple[str, CopyRelation]] = {}
        self._linked_from: dict[str, set[str]] = {}

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._entries

    # pickling: plain data; the LSH and the provenance links are rebuilt
    def __getstate__(self) -> dict[str, Any]:
        return {"scheme": SIGNATURE_SCHEME, "entries": list(self._entries.values())}

    def __setstate__(self, state: dict[str, Any]) -> None:
        if state.get("scheme") != SIGNATURE_SCHEME:
            raise ValueError(f"a duplicate index of scheme {state.get('scheme')!r} cannot be "
                             f"loaded by {SIGNATURE_SCHEME!r}; rebuild it from the documents")
        self._reset()
        for entry in state["entries"]:
            self._insert(entry)

    def add(self, doc: DocText, *, signature: bytes | None = None) -> str | None:
        """Add a document; return the canonical id of its group, or ``None`` if it has none.

        With ``signature`` (what :func:`signature` gave for this document's
        body, e.g. read back from a store) the body is not read at all and may
        be left empty. Adding an id twice changes nothing.
        """
        if doc.id not in self._entries:
            self._insert(_entry(doc, signature))
        return self.group_id(doc.id)

    def _insert(self, entry: _Entry) -> None:
        doc_id = entry.id
        self._entries[doc_id] = entry
        self._parent[doc_id] = doc_id
        self._members[doc_id] = [doc_id]
        self._match_text(entry)
        self._match_provenance(entry)

    def _match_text(self, entry: _Entry) -> None:
        """Union with exact copies, and with near copies found through the LSH."""
        same = self._by_key.get(entry.key)
        if same is not None:  # identical signature: its near copies are this one's too
            self._union(entry.id, same)
            return
        self._by_key[entry.key] = entry.id
        if entry.sig is None:
            return
        minhash = _minhash(entry.sig)
        for other in self._lsh.query(minhash):
            other_sig = self._entries[other].sig
            if other_sig is not None and _jaccard(entry.sig, other_sig) >= NEAR_THRESHOLD:
                self._union(entry.id, other)
        self._lsh.insert(entry.id, minhash)

    def _match_provenance(self, entry: _Entry) -> None:
        doc_id = entry.id
        # 1. earlier documents whose provenance names this one
        changed = set()
        for text, users in self._by_source.items():
            if _name_score(_read_source(text), entry) < NAME_MATCH:
                continue
            for user, number in users:
                if self._lines[user][number].offer(self._entries[user], entry):
                    changed.add(user)
        for user in sorted(changed):
            self._relink(user)
        # 2. this document as a candidate for later ones
        self._by_names.setdefault(entry.names, []).append(doc_id)
        if entry.host:
            self._by_host.setdefault(entry.host, []).append(doc_id)
        if entry.title_words:
            self._titles.append(entry.title_words)
            self._title_ids.append(doc_id)
        # 3. this document's own provenance, against every earlier document
        lines = _lines(entry)
        if not lines:
            return
        self._lines[doc_id] = lines
        for number, line in enumerate(lines):
            for candidate in self._candidates(line.source):
                line.offer(entry, self._entries[candidate])
            self._by_source.setdefault(line.line.source or "", []).append((doc_id, number))
        self._relink(doc_id)

    def _candidates(self, source: _Source) -> set[str]:
        """Documents that a provenance source may name (by site, publisher or title)."""
        found: set[str] = set(self._by_host.get(source.host, ())) if source.host else set()
        if source.name:
            for names, ids in self._by_names.items():
                if _names_score(source.name, names) >= NAME_MATCH:
                    found.update(ids)
        if source.words and self._titles:
            for _, _, position in process.extract_iter(source.words, self._titles,
                                                        scorer=fuzz.ratio,
                                                        score_cutoff=NAME_MATCH):
                found.add(self._title_ids[position])
        return found

    def _relink(self, doc_id: str) -> None:
        old = self._links.pop(doc_id, None)
        if old is not None:
            self._linked_from[old[0]].discard(doc_id)
        found = _choose(self._lines[doc_id], self._entries)
        if found is not None:
            self._links[doc_id] = found
            self._linked_from.setdefault(found[0], set()).add(doc_id)

    def _find(self, doc_id: str) -> str:
        parent = self._parent
        root = doc_id
        while parent[root] != root:
            root = parent[root]
        while parent[doc_id] != root:
            parent[doc_id], doc_id = root, parent[doc_id]
        return root

    def _union(self, a: str, b: str) -> None:
        ra, rb = self._find(a), self._find(b)
        if ra == rb:
            return
        if len(self._members[ra]) < len(self._members[rb]):
            ra, rb = rb, ra
        self._parent[rb] = ra
        self._members[ra].extend(self._members.pop(rb))

    # --- reading groups

    def _component(self, root: str, seen: set[str]) -> list[str]:
        """The documents joined to a union-find root by text and provenance links."""
        stack, component = [root], []
        seen.add(root)
        while stack:
            members = self._members[stack.pop()]
            component.extend(members)
            for doc_id in members:
                neighbours = set(self._linked_from.get(doc_id, ()))
                if doc_id in self._links:
                    neighbours.add(self._links[doc_id][0])
                for other in neighbours:
                    other_root = self._find(other)
                    if other_root not in seen:
                        seen.add(other_root)
                        stack.append(other_root)
        return component

    def group_of(self, doc_id: str) -> DuplicateGroup | None:
        """The group of a document, or ``None`` if it has no duplicate (or is unknown)."""
        if doc_id not in self._entries:
            return None
        component = self._component(self._find(doc_id), set())
        return self._describe(component) if len(component) > 1 else None

    def group_id(self, doc_id: str) -> str | None:
        """The canonical id of a document's group, or ``None`` if it has no duplicate."""
        if doc_id not in self._entries:
            return None
        component = self._component(self._find(doc_id), set())
        if len(component) < 2:
            return None
        links = self._links_within(component)
        return min(component, key=lambda d: self._rank(d, links))

    def groups(self) -> list[DuplicateGroup]:
        """Every group of two or more documents, sorted by canonical id."""
        seen: set[str] = set()
        found = []
        for root in list(self._members):
            if root not in seen:
                component = self._component(root, seen)
                if len(component) > 1:
                    found.append(self._describe(component))
        return sorted(found, key=lambda g: g.canonical)

    def _links_within(self, component: list[str]) -> dict[str, tuple[str, CopyRelation]]:
        inside = set(component)
        return {d: self._links[d] for d in component
                if d in self._links and self._links[d][0] in inside}

    def _rank(self, doc_id: str, links: dict[str, tuple[str, CopyRelation]]
              ) -> tuple[bool, bool, str, int, str]:
        """Sort key of the canonical choice: not a declared copy, earliest, longest, id."""
        e = self._entries[doc_id]
        return (doc_id in links, e.published is None, e.published or "", -e.length, doc_id)

    def _describe(self, component: list[str]) -> DuplicateGroup:
        entries = self._entries
        links = self._links_within(component)
        ordered = sorted(component, key=lambda d: self._rank(d, links))
        canonical = ordered[0]
        canonical_sig = entries[canonical].sig
        class_rep: dict[str, str] = {}  # exact key → its best-ranked document
        for doc_id in ordered:
            class_rep.setdefault(entries[doc_id].key, doc_id)
        reps = [d for d in ordered if class_rep[entries[d].key] == d]
        linked_by: dict[str, str] = {}  # original → its best-ranked declared copy
        for source in ordered:
            if source in links:
                linked_by.setdefault(links[source][0], source)

        def sim(a: str, b: str) -> float | None:
            sa, sb = entries[a].sig, entries[b].sig
            return _jaccard(sa, sb) if sa is not None and sb is not None else None

        def copy_of(doc_id: str, other: str, relation: CopyRelation) -> Member:
            score = sim(doc_id, other) if relation == "republication" else None
            return Member(doc_id, relation, score, other)

        members = []
        for doc_id in ordered[1:]:
            entry = entries[doc_id]
            rep = class_rep[entry.key]
            if rep != doc_id:  # an exact copy: of the canonical, or of its class's first
                members.append(Member(doc_id, "exact", 1.0, rep))
                continue
            if doc_id in links:
                members.append(copy_of(doc_id, *links[doc_id]))
                continue
            if entry.sig is not None and canonical_sig is not None:
                score = _jaccard(entry.sig, canonical_sig)
                if score >= NEAR_THRESHOLD:
                    members.append(Member(doc_id, "near", score, canonical))
                    continue
            near = self._nearest(doc_id, reps)
            if near is not None:
                members.append(Member(doc_id, "near", near[1], near[0]))
            elif doc_id in linked_by:
                members.append(copy_of(doc_id, linked_by[doc_id], links[linked_by[doc_id]][1]))
            else:  # pragma: no cover - every member joins by one of the links above
                members.append(Member(doc_id, "near", sim(doc_id, canonical), canonical))
        return DuplicateGroup(canonical=canonical, members=tuple(members))

    def _nearest(self, doc_id: str, ranked: list[str]) -> tuple[str, float] | None:
        """The document most similar to ``doc_id`` (over the threshold); the best-ranked on ties."""
        sig = self._entries[doc_id].sig
        if sig is None:
            return None
        others: list[str] = []
        sigs: list[np.ndarray] = []
        for other in ranked:
            other_sig = self._entries[other].sig
            if other != doc_id and other_sig is not None:
                others.append(other)
                sigs.append(other_sig)
        if not others:
            return None
        scores = np.count_nonzero(np.stack(sigs) == sig, axis=1) / NUM_PERM
        best = int(np.argmax(scores))  # the first maximum
        if scores[best] < NEAR_THRESHOLD:
            return None
        return others[best], float(scores[best])


def group_duplicates(docs: Iterable[DocText]) -> list[DuplicateGroup]:
    """Group exact copies, near copies, republications and translations; singletons omitted.

    Groups are sorted by canonical id, their members from the most to the least
    canonical.
    """
    index = DuplicateIndex()
    for doc in docs:
        index.add(doc)
    return index.groups()
