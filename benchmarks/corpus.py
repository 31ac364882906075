"""Corpus scale: ingest, stories, search and compare at 1,000 and 10,000 documents, as JSON.

Checks the criterion "costs grow no faster than n log n": every operation is
timed at each ``--sizes`` value on each backend, and the report gives the
growth ratio t(largest)/t(smallest) next to the n log n bound (13.33 from
1,000 to 10,000 documents), with ``within_n_log_n`` true when the ratio is at
most 1.25 × the bound (timing noise).

The corpus
----------
The 14 documents of ``examples/corpus`` are ingested once through the real
pipeline (:func:`counterpoint.corpus.ingest.ingest`: extraction, the real
analyser, the real all-MiniLM-L6-v2 embeddings) into a temporary SQLite store;
that run is timed and reported as ``full_pipeline``, with the time spent inside
analysis and inside embedding (on this CPU-only machine embedding takes most of
it).
The stored analyses and vectors are read back and become the originals of
``n`` synthetic documents: document ``i`` is copy ``c = i // 14`` of original
``i % 14``. Each copy:

* gets a new id (``sha1(original id + ":" + c)``) and path;
* is shifted ``c`` weeks in time: the publication date and every date value
  (date mentions, event dates, provenance and related dates, at their own
  precision), so a corpus of ``n`` documents spans ``n / 14`` weeks with the
  sample's density (~14 documents a week), and stories keep their size as
  ``n`` grows; the one undated original (``a3``) stays undated in every copy;
* has its wording changed: in every text field (body, title, sections,
  footnotes, claims, event sentences) 80% of the lowercase word types (of 3
  letters or more) that are not negations or part of a date, trigger, cue,
  holder or actor name are replaced, consistently within the copy, by another
  word of the same length from the sample corpus. Offsets stay valid (claims
  and events still point at their text), names and dates are untouched, and
  two copies of one original share few 5-word shingles (MinHash Jaccard ~0.1,
  see ``variants``), so they are neither exact nor near duplicates; the text
  reads as word salad, which no timed operation minds. A unique sentence is
  appended to every copy's body but copy 0's (copy 0 keeps the real wording);
* keeps the original's vectors, transformed by a signed permutation of the 384
  coordinates drawn per copy (an orthogonal map: cosines between documents of
  one copy are exactly the real model's, while documents of different copies
  are as unrelated as random unit vectors, |cos| ~ 0.05), plus Gaussian noise
  of norm ~0.1, re-normalised. Noise alone would not do: copies one week apart
  are within the stories' 10-day window, and with nearly identical vectors
  every copy of a story would link into one story spanning the whole corpus.
  Copy 0 keeps the real vectors (plus noise), so semantic search over it is
  meaningful.

Every 20th copy (``c % 20 == 19``) is instead a republication of copy ``c - 1``:
the same wording, vectors and dates, a different appended sentence and a
publication date one day later, so about 5% of documents are near duplicates
(MinHash Jaccard ~0.95) and dedupe's grouping and ``set_duplicate`` do real
work.

What is timed
-------------
* ``ingest``: the real :func:`~counterpoint.corpus.ingest.ingest` loop on the
  synthetic analyses, with :func:`~counterpoint.nlp.analyze.analyze_many`
  replaced by "return the prepared analysis" and ``embed`` by "return the
  prepared vectors" (both free). What remains is the store side of ingest:
  ``has``/``has_vectors`` look-ups, ``Store.add``, the MinHash signature with
  ``set_minhash``, the ``DuplicateIndex`` update and ``set_duplicate``, and
  ``put_vectors``. Seconds per step are in ``steps``; ``checkpoints`` give the
  rate over each tenth of the run (a rate that falls as the store fills points
  to a per-document cost that grows with n).
* ``stories``: ``cluster_stories(list(store.story_inputs()))``, median of
  ``--repeat-stories`` runs, with reading and clustering also timed apart.
  ``stories_all_dated`` clusters the same inputs with the undated documents
  given their copy's date, to show what undated documents cost.
* ``search``: a full-text and a semantic claim search (the query embedded by the
  real model), median of 5 runs each after one untimed run.
* ``compare``: ``store.get`` of two documents of one story (originals ``a1`` and
  ``a5`` in the middle copy) and :func:`~counterpoint.corpus.compare.compare`
  with the real embedding function, median of 3 after one untimed run.

Growth: ``growth`` gives, per backend and operation (and the main steps of
ingest and stories), t(largest n)/t(smallest n) of the medians, and for the
operations timed several times also the ratio of the fastest runs: on a small
shared machine a millisecond timing can be off by 2x, and the two ratios
together show whether a verdict is noise.

PostgreSQL runs in its own schema (``--pg-schema``, dropped and recreated before
each size) of the ``--pg-url`` database; it is skipped, with the reason in the
report, when the server cannot be reached. SQLite uses a file in a temporary
directory.

Usage::

    python benchmarks/corpus.py [--sizes 1000 10000] [--backends sqlite postgresql]
        [--out benchmarks/results/corpus.json]
"""

from __future__ import annotations

import argparse
import hashlib
import math
import os
import platform
import re
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

if __package__ in (None, ""):  # run as `python benchmarks/NAME.py`
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._report import emit
from counterpoint.corpus import ingest as ingest_module
from counterpoint.corpus.compare import compare
from counterpoint.corpus.dedupe import NEAR_THRESHOLD, signature, similarity
from counterpoint.corpus.embed import embed
from counterpoint.corpus.ingest import IngestTally, ingest
from counterpoint.corpus.stories import StoryDoc, cluster_stories, lead_text
from counterpoint.extract import extract
from counterpoint.ingest import iter_items
from counterpoint.nlp.analyze import analyze_many
from counterpoint.schema import Analysis, Document, RawItem
from counterpoint.store import Store

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "examples" / "corpus"
DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/counterpoint_bench"
DEFAULT_SCHEMA = "corpus_bench"
SEED = 20230321
# Share of eligible word types replaced in each copy (per mille).
REPLACE_PER_MILLE = 800
# Every REPUBLISH_EVERY-th copy republishes the previous one.
REPUBLISH_EVERY = 20
# Norm of the noise added to every vector.
NOISE_NORM = 0.1
TEXT_QUERY = "Xi Putin Moscow talks"
SEMANTIC_QUERY = "China brokered an agreement between Saudi Arabia and Iran"
SEARCH_RUNS = 5
COMPARE_RUNS = 3
NOISE_ALLOWANCE = 1.25
# Originals compared (file name prefixes in examples/corpus): the wire report and
# the Russian state outlet on Xi's visit to Moscow.
COMPARED = ("a1_", "a5_")
# A date an undated copy gets for stories_all_dated: its story's first day.
UNDATED_STAND_IN = "2023-03-20"

_WORD = re.compile(r"\b[a-z]{3,}\b")
_ISO = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_NEGATIONS = frozenset({"not", "nor", "never", "neither", "nothing", "none", "nobody", "without",
                        "cannot", "didn", "doesn", "isn", "wasn", "won"})


def log(message: str) -> None:
    """Progress, on stderr (stdout carries the JSON report only)."""
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --- the originals --------------------------------------------------------------------------


@dataclass(frozen=True)
class Original:
    """One sample document as the real pipeline stored it."""

    analysis: Analysis
    lead: np.ndarray  # (384,)
    claims: np.ndarray  # (n_claims, 384)


def sample_documents() -> list[Document]:
    """The extracted documents of examples/corpus (14)."""
    return [extract(item) for item in iter_items([str(CORPUS)]) if isinstance(item, RawItem)]


def full_pipeline(documents: list[Document], workdir: Path) -> tuple[dict[str, Any],
                                                                      list[Original]]:
    """Ingest the sample documents for real into SQLite; time it; return the stored originals.

    The time spent inside analysis and inside embedding is measured during the
    run (both wrapped with a timer). Afterwards, the same texts are embedded in
    one ``embed`` call, for comparison with ingest's one call per document.
    """
    # Load spaCy, the gazetteers and the embedding model outside the timing.
    list(analyze_many(documents[:1]))
    embed(["warm up"])
    steps = Steps()
    timed_analysis = steps.wrap("analysis", lambda docs: iter(list(analyze_many(docs))))
    saved = ingest_module.analyze_many
    ingest_module.analyze_many = timed_analysis  # type: ignore[assignment]
    try:
        with Store.open(str(workdir / "originals.db")) as store:
            started = time.perf_counter()
            tally = IngestTally()
            for outcome in ingest(documents, store, embed=steps.wrap("embedding", embed)):
                tally.add(outcome)
            elapsed = time.perf_counter() - started
            originals = []
            for doc in documents:
                vectors = store.vectors(doc.id)
                assert vectors is not None, f"{doc.id} has no vectors"
                originals.append(Original(store.get(doc.id), vectors[0], vectors[1]))
    finally:
        ingest_module.analyze_many = saved
    texts = [text for o in originals
             for text in (lead_text(o.analysis.title, o.analysis.body),
                          *(c.text for c in o.analysis.claims))]
    started = time.perf_counter()
    embed(texts)
    one_call_s = time.perf_counter() - started
    analysis_s, embed_s = steps.seconds["analysis"], steps.seconds["embedding"]
    report = {
        "backend": "sqlite",
        "docs": len(documents),
        "texts_embedded": len(texts),
        "seconds": round(elapsed, 2),
        "docs_per_second": round(len(documents) / elapsed, 2),
        "analysis_seconds": round(analysis_s, 2),
        "embedding_seconds": round(embed_s, 2),
        "store_and_rest_seconds": round(elapsed - analysis_s - embed_s, 2),
        "analysis_share": round(analysis_s / elapsed, 2),
        "embedding_share": round(embed_s / elapsed, 2),
        "embedding_calls": steps.calls["embedding"],
        "same_texts_in_one_embed_call_seconds": round(one_call_s, 2),
        "outcomes": tally.counts,
        "note": "real extraction output, real analyser, real all-MiniLM-L6-v2 embeddings on "
                "the CPU (2 cores shared with other work: model timings vary by 2x between "
                "runs), models loaded before timing. ingest embeds each batch of documents "
                "in one call (embedding_calls)",
    }
    return report, originals


# --- synthetic copies -----------------------------------------------------------------------


def shift_date(value: str | None, days: int) -> str | None:
    """An ISO date (YYYY, YYYY-MM or YYYY-MM-DD, anything after kept) moved by ``days``."""
    if not value or days == 0:
        return value
    match = _ISO.match(value)
    if match is None:
        return value
    year, month, day = match.group(1), match.group(2), match.group(3)
    rest = value[match.end():]
    try:
        if day is not None:
            moved = date(int(year), int(month), int(day)) + timedelta(days=days)
            return moved.isoformat() + rest
        if month is not None:
            moved = date(int(year), int(month), 15) + timedelta(days=days)
            return f"{moved.year:04d}-{moved.month:02d}{rest}"
        moved = date(int(year), 7, 1) + timedelta(days=days)
        return f"{moved.year:04d}{rest}"
    except ValueError:
        return value


def _protected(originals: Iterable[Original]) -> frozenset[str]:
    """Words never replaced: negations, and words of dates, triggers, cues and names."""
    words: set[str] = set(_NEGATIONS)
    for original in originals:
        a = original.analysis
        texts = [d.text for d in a.dates]
        texts += [e.trigger or "" for e in a.events]
        texts += [c.certainty.cue or "" for c in a.claims]
        texts += [c.holder.name for c in a.claims]
        texts += [name for actor in a.actors for name in (actor.name, *actor.aliases_seen)]
        for text in texts:
            words.update(_WORD.findall(text.lower()))
    return frozenset(words)


def _vocabulary(originals: Iterable[Original], protected: frozenset[str]) -> dict[int, list[str]]:
    """Replacement words by length: the sample corpus's own lowercase words."""
    by_length: dict[int, set[str]] = {}
    for original in originals:
        for word in _WORD.findall(original.analysis.body):
            if word not in protected:
                by_length.setdefault(len(word), set()).add(word)
    return {length: sorted(words) for length, words in by_length.items()}


def _hash(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "little")


class Rewording:
    """The word substitution of one copy: same-length words, so offsets stay valid."""

    def __init__(self, copy: int, vocabulary: dict[int, list[str]],
                 protected: frozenset[str]) -> None:
        self.copy = copy
        self._vocabulary = vocabulary
        self._protected = protected
        self._cache: dict[str, str] = {}

    def _word(self, match: re.Match[str]) -> str:
        word = match.group(0)
        found = self._cache.get(word)
        if found is None:
            found = word
            h = _hash(f"{self.copy}:{word}")
            pool = self._vocabulary.get(len(word), [])
            if (self.copy and word not in self._protected and len(pool) > 1
                    and h % 1000 < REPLACE_PER_MILLE):
                found = pool[(h // 1000) % len(pool)]
                if found == word:
                    found = pool[((h // 1000) + 1) % len(pool)]
            self._cache[word] = found
        return found

    def __call__(self, text: str) -> str:
        return _WORD.sub(self._word, text) if self.copy else text

    def optional(self, text: str | None) -> str | None:
        return None if text is None else self(text)


class Copier:
    """Makes synthetic variants of the originals (see the module docstring)."""

    def __init__(self, originals: list[Original]) -> None:
        self.originals = originals
        self._protected = _protected(originals)
        self._vocabulary = _vocabulary(originals, self._protected)
        self._dims = int(originals[0].lead.shape[0])
        self._rewordings: dict[int, Rewording] = {}
        self._rotations: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        self.undated_days: dict[str, str] = {}  # id of an undated copy → its stand-in date

    @staticmethod
    def source_copy(copy: int) -> int:
        """The copy whose wording, vectors and dates ``copy`` takes (itself, or the one before)."""
        return copy - 1 if copy % REPUBLISH_EVERY == REPUBLISH_EVERY - 1 else copy

    def _rewording(self, copy: int) -> Rewording:
        if copy not in self._rewordings:
            self._rewordings = {copy: Rewording(copy, self._vocabulary, self._protected)}
        return self._rewordings[copy]

    def _rotation(self, copy: int) -> tuple[np.ndarray, np.ndarray]:
        if copy not in self._rotations:
            if copy == 0:
                rotation = (np.arange(self._dims), np.ones(self._dims, dtype=np.float32))
            else:
                rng = np.random.default_rng([SEED, copy])
                rotation = (rng.permutation(self._dims),
                            rng.choice(np.array([-1.0, 1.0], dtype=np.float32), self._dims))
            self._rotations[copy] = rotation
        return self._rotations[copy]

    def vectors(self, original: Original, copy: int, salt: str) -> tuple[np.ndarray, np.ndarray]:
        """The original's vectors in the copy's coordinates, with a little noise."""
        permutation, signs = self._rotation(copy)
        matrix = np.vstack([original.lead[None, :], original.claims]).astype(np.float32)
        matrix = matrix[:, permutation] * signs
        rng = np.random.default_rng(_hash(salt))
        noise = rng.standard_normal(matrix.shape).astype(np.float32)
        matrix = matrix + noise * (NOISE_NORM / math.sqrt(self._dims))
        matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
        return matrix[0], matrix[1:]

    def variant(self, index: int) -> tuple[Analysis, np.ndarray, np.ndarray]:
        """Document ``index`` of the synthetic corpus, with its lead and claim vectors."""
        original = self.originals[index % len(self.originals)]
        copy = index // len(self.originals)
        source = self.source_copy(copy)
        a = original.analysis
        new_id = hashlib.sha1(f"{a.id}:{copy}".encode()).hexdigest()[:16]
        days = 7 * source
        words = self._rewording(source)
        published = shift_date(a.published, days)
        if source != copy and published:
            published = shift_date(published, 1)
        body = words(a.body)
        if copy:
            body += (f"\n\nThis is synthetic copy {copy} of document {a.id}, "
                     f"number {index} of the benchmark corpus.")
        analysis = a.model_copy(deep=True, update={
            "id": new_id,
            "path": f"synthetic/{copy:05d}/{Path(a.path).name}",
            "title": words.optional(a.title),
            "subtitle": words.optional(a.subtitle),
            "published": published,
            "body": body,
        })
        for section in analysis.sections:
            section.text = words(section.text)
        for footnote in analysis.footnotes:
            footnote.text = words(footnote.text)
        for claim in analysis.claims:
            claim.text = words(claim.text)
        for event in analysis.events:
            event.sentence = words(event.sentence)
            event.date = shift_date(event.date, days)
        for mention in analysis.dates:
            mention.value = shift_date(mention.value, days)
        for line in analysis.provenance:
            line.date = shift_date(line.date, days)
        for item in analysis.related:
            item.date = shift_date(item.date, days)
        if not analysis.published:
            self.undated_days[new_id] = shift_date(UNDATED_STAND_IN, days) or UNDATED_STAND_IN
        lead, claims = self.vectors(original, source, salt=f"{a.id}:{source}")
        return analysis, lead, claims


@dataclass
class Synthetic:
    """A synthetic corpus of ``n`` documents and its vectors."""

    analyses: list[Analysis]
    vectors: dict[str, tuple[np.ndarray, np.ndarray]]
    compared: tuple[str, str]

    def describe(self) -> dict[str, Any]:
        claims = [len(a.claims) for a in self.analyses]
        published = sorted(a.published for a in self.analyses if a.published)
        return {"docs": len(self.analyses), "claims": sum(claims),
                "claims_per_doc": round(sum(claims) / len(claims), 1),
                "undated": sum(1 for a in self.analyses if not a.published),
                "first_published": published[0] if published else None,
                "last_published": published[-1] if published else None,
                "body_chars_mean": round(statistics.mean(len(a.body) for a in self.analyses))}


def synthesize(copier: Copier, n: int) -> Synthetic:
    """``n`` variants of the originals, and the ids of the pair to compare."""
    analyses = []
    vectors = {}
    for index in range(n):
        analysis, lead, claims = copier.variant(index)
        analyses.append(analysis)
        vectors[analysis.id] = (lead, claims)
    copies = max(1, n // len(copier.originals))
    middle = copier.source_copy(copies // 2)
    picked = []
    for prefix in COMPARED:
        for position, original in enumerate(copier.originals):
            if Path(original.analysis.path).name.startswith(prefix):
                picked.append(analyses[middle * len(copier.originals) + position].id)
                break
    if len(picked) < 2:
        picked = [analyses[0].id, analyses[1].id]
    return Synthetic(analyses, vectors, (picked[0], picked[1]))


def check_variants(copier: Copier) -> dict[str, Any]:
    """Similarity of copies, to show they are not (or, for republications, are) near duplicates."""
    firsts = [copier.variant(i)[0] for i in range(len(copier.originals) * 3)]
    n = len(copier.originals)
    between = [similarity(signature(firsts[i].body), signature(firsts[i + n].body))
               for i in range(n)]
    between += [similarity(signature(firsts[i + n].body), signature(firsts[i + 2 * n].body))
                for i in range(n)]
    republished = [
        similarity(signature(copier.variant((REPUBLISH_EVERY - 2) * n + i)[0].body),
                   signature(copier.variant((REPUBLISH_EVERY - 1) * n + i)[0].body))
        for i in range(n)]
    lead_cos = [float(np.dot(copier.vectors(o, 1, "a")[0], copier.vectors(o, 2, "b")[0]))
                for o in copier.originals]
    return {"near_threshold": NEAR_THRESHOLD,
            "minhash_jaccard_between_copies_max": round(max(between), 3),
            "minhash_jaccard_between_copies_mean": round(statistics.mean(between), 3),
            "minhash_jaccard_republication_min": round(min(republished), 3),
            "lead_cosine_between_copies_max_abs": round(max(abs(c) for c in lead_cos), 3)}


# --- timing ---------------------------------------------------------------------------------


class Steps:
    """Seconds spent in named calls (wrapped functions)."""

    def __init__(self) -> None:
        self.seconds: Counter[str] = Counter()
        self.calls: Counter[str] = Counter()

    def wrap(self, name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.seconds[name] += time.perf_counter() - started
                self.calls[name] += 1
        return timed

    def report(self) -> dict[str, Any]:
        return {name: {"seconds": round(self.seconds[name], 3), "calls": self.calls[name]}
                for name in sorted(self.seconds)}


def median_time(work: Callable[[], Any], runs: int) -> tuple[float, list[float], Any]:
    """Median seconds of ``runs`` runs (after one untimed warm-up run), every run's seconds,
    and the last result."""
    times = []
    result: Any = work()
    for _ in range(runs):
        started = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - started)
    return statistics.median(times), [round(t, 4) for t in times], result


def timed_ingest(store: Store, corpus: Synthetic) -> dict[str, Any]:
    """The real ingest loop minus analysis and embedding (both looked up, not computed)."""
    queue: deque[tuple[np.ndarray, np.ndarray]] = deque()

    def prepared_analyses(documents: list[Document]) -> Iterator[Analysis]:
        for document in documents:
            assert isinstance(document, Analysis)
            queue.append(corpus.vectors[document.id])
            yield document

    def prepared_embed(texts: list[str]) -> np.ndarray:
        """The batch's vectors: each queued document's lead and claims, in order."""
        rows = []
        while queue and sum(len(r) for r in rows) < len(texts):
            lead, claims = queue.popleft()
            rows.append(np.vstack([lead[None, :], claims]))
        out = np.vstack(rows) if rows else np.zeros((0, 384), dtype=np.float32)
        assert len(out) == len(texts), "embed called out of order"
        return out

    steps = Steps()
    originals = {name: getattr(store, name) for name in (
        "add", "has", "has_vectors", "set_minhash", "set_duplicate", "put_vectors")}
    for name, method in originals.items():
        setattr(store, name, steps.wrap(name, method))
    saved = ingest_module.analyze_many, ingest_module._dedupe, ingest_module.signature
    ingest_module.analyze_many = prepared_analyses  # type: ignore[assignment]
    ingest_module._dedupe = steps.wrap("dedupe (all of it)", saved[1])
    ingest_module.signature = steps.wrap("minhash signature", saved[2])
    n = len(corpus.analyses)
    tally = IngestTally()
    checkpoints = []
    every = max(1, n // 10)
    try:
        started = last = time.perf_counter()
        for count, outcome in enumerate(ingest(corpus.analyses, store, embed=prepared_embed),
                                        start=1):
            tally.add(outcome)
            if count % every == 0:
                now = time.perf_counter()
                checkpoints.append({"docs": count,
                                    "docs_per_second": round(every / (now - last), 1)})
                last = now
        elapsed = time.perf_counter() - started
    finally:
        ingest_module.analyze_many, ingest_module._dedupe, ingest_module.signature = saved
        for name in originals:
            delattr(store, name)
    detail = steps.report()
    dedupe_total = steps.seconds["dedupe (all of it)"]
    index_s = dedupe_total - sum(steps.seconds[k] for k in (
        "set_minhash", "set_duplicate", "minhash signature"))
    detail["duplicate index update (dedupe minus the three above)"] = {
        "seconds": round(index_s, 3)}
    accounted = sum(steps.seconds[k] for k in ("add", "has", "has_vectors", "put_vectors",
                                               "dedupe (all of it)"))
    detail["ingest loop, other"] = {"seconds": round(elapsed - accounted, 3)}
    return {"docs": n, "seconds": round(elapsed, 2), "docs_per_second": round(n / elapsed, 1),
            "outcomes": tally.counts, "steps": detail, "checkpoints": checkpoints}


def time_stories(store: Store, corpus_days: dict[str, str], runs: int) -> dict[str, Any]:
    """story_inputs + cluster_stories, median of ``runs``; and the all-dated variant."""
    read_times, cluster_times, totals = [], [], []
    inputs: list[StoryDoc] = []
    stories: list[Any] = []
    for _ in range(runs):
        started = time.perf_counter()
        inputs = list(store.story_inputs())
        read = time.perf_counter() - started
        stories = cluster_stories(inputs)
        total = time.perf_counter() - started
        read_times.append(read)
        cluster_times.append(total - read)
        totals.append(total)
    sizes = [len(s.documents) for s in stories]
    dated = [replace(d, published=corpus_days[d.id]) if d.day is None and d.id in corpus_days
             else d for d in inputs]
    all_dated_s, _, all_dated = median_time(lambda: cluster_stories(dated), runs)
    return {
        "seconds": round(statistics.median(totals), 3),
        "runs": [round(t, 3) for t in totals],
        "story_inputs_seconds": round(statistics.median(read_times), 3),
        "cluster_seconds": round(statistics.median(cluster_times), 3),
        "inputs": len(inputs),
        "undated_inputs": sum(1 for d in inputs if d.day is None),
        "stories": len(stories),
        "story_size_max": max(sizes, default=0),
        "story_size_median": statistics.median(sizes) if sizes else 0,
        "documents_in_stories": sum(sizes),
        "stories_all_dated": {
            "cluster_seconds": round(all_dated_s, 3),
            "stories": len(all_dated),
            "story_size_max": max((len(s.documents) for s in all_dated), default=0),
            "note": "the same inputs, undated copies given their copy's date: clustering "
                    "only, without story_inputs"},
    }, stories


def time_search(store: Store, query_vector: np.ndarray) -> dict[str, Any]:
    """A full-text and a semantic claim search, median of SEARCH_RUNS each."""
    text_s, text_runs, text_hits = median_time(lambda: store.search(TEXT_QUERY),
                                               SEARCH_RUNS)
    semantic_s, semantic_runs, semantic_hits = median_time(
        lambda: store.search("", semantic=True, query_vector=query_vector), SEARCH_RUNS)
    return {
        "full_text": {"query": TEXT_QUERY, "seconds": round(text_s, 4), "runs": text_runs,
                      "hits": len(text_hits)},
        "semantic": {"query": SEMANTIC_QUERY, "seconds": round(semantic_s, 4),
                     "runs": semantic_runs, "hits": len(semantic_hits),
                     "top_score": round(semantic_hits[0].score, 3) if semantic_hits else None},
    }


def time_compare(store: Store, pair: tuple[str, str], stories: list[Any]) -> dict[str, Any]:
    """store.get of two documents of one story and compare(), median of COMPARE_RUNS."""
    def work() -> Any:
        return compare([store.get(pair[0]), store.get(pair[1])], embed=embed)

    seconds, runs, result = median_time(work, COMPARE_RUNS)
    same_story = any({pair[0], pair[1]} <= {m.id for m in s.documents} for s in stories)
    get_s, _, _ = median_time(lambda: [store.get(pair[0]), store.get(pair[1])], COMPARE_RUNS)
    return {"documents": list(pair), "same_story": same_story, "seconds": round(seconds, 3),
            "runs": runs, "get_seconds": round(get_s, 4),
            "agree": len(result.agree), "disagree": len(result.disagree)}


# --- backends -------------------------------------------------------------------------------


def pg_url(base: str, schema: str) -> str:
    """The PostgreSQL URL with ``search_path`` set to the benchmark's schema."""
    joiner = "&" if "?" in base else "?"
    return f"{base}{joiner}options=-csearch_path%3D{schema}"


def reset_pg(base: str, schema: str) -> str:
    """Drop and recreate the benchmark schema; return the server version (raises if down)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    url = make_url(base).set(drivername="postgresql+psycopg")
    engine = create_engine(url, connect_args={"connect_timeout": 5})
    try:
        with engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
            return str(conn.execute(text("SHOW server_version")).scalar())
    finally:
        engine.dispose()


def pg_size(store: Store, schema: str) -> int:
    """Bytes of every table and index in the benchmark schema."""
    from sqlalchemy import text

    with store.engine.connect() as conn:
        return int(conn.execute(text(
            "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = :s AND c.relkind = 'r'"), {"s": schema}).scalar() or 0)


def run_size(store: Store, corpus: Synthetic, copier: Copier, query_vector: np.ndarray,
             repeat_stories: int) -> dict[str, Any]:
    """Ingest ``corpus`` into an empty store, then time stories, search and compare."""
    result: dict[str, Any] = {}
    log(f"  ingest {len(corpus.analyses)} documents")
    result["ingest"] = timed_ingest(store, corpus)
    log(f"  ingest: {result['ingest']['seconds']} s, "
        f"{result['ingest']['docs_per_second']} docs/s")
    result["stored"] = store.count()
    result["duplicate_links"] = len(store.duplicates())
    log("  stories")
    result["stories"], stories = time_stories(store, copier.undated_days, repeat_stories)
    log(f"  stories: {result['stories']['seconds']} s")
    log("  search")
    result["search"] = time_search(store, query_vector)
    log("  compare")
    result["compare"] = time_compare(store, corpus.compared, stories)
    return result


# --- growth ---------------------------------------------------------------------------------


def _best(section: dict[str, Any]) -> float:
    return float(min(section["runs"]))


def _operations(run: dict[str, Any]) -> dict[str, float]:
    """Seconds of every operation (medians; ingest: the one run)."""
    return {
        "ingest": run["ingest"]["seconds"],
        "ingest: add": run["ingest"]["steps"]["add"]["seconds"],
        "ingest: dedupe": run["ingest"]["steps"]["dedupe (all of it)"]["seconds"],
        "ingest: put_vectors": run["ingest"]["steps"]["put_vectors"]["seconds"],
        "stories": run["stories"]["seconds"],
        "stories: story_inputs": run["stories"]["story_inputs_seconds"],
        "stories: cluster_stories": run["stories"]["cluster_seconds"],
        "stories: cluster_stories, all dated":
            run["stories"]["stories_all_dated"]["cluster_seconds"],
        "search: full text": run["search"]["full_text"]["seconds"],
        "search: semantic": run["search"]["semantic"]["seconds"],
        "compare": run["compare"]["seconds"],
    }


def _best_runs(run: dict[str, Any]) -> dict[str, float]:
    """Seconds of the fastest run of the operations timed several times."""
    return {"stories": _best(run["stories"]),
            "search: full text": _best(run["search"]["full_text"]),
            "search: semantic": _best(run["search"]["semantic"]),
            "compare": _best(run["compare"])}


def growth(runs: dict[int, dict[str, Any]]) -> dict[str, Any]:
    """Ratios t(largest)/t(smallest) of every operation, against the n log n bound."""
    sizes = sorted(runs)
    if len(sizes) < 2:
        return {}
    small, large = sizes[0], sizes[-1]
    bound = (large * math.log(large)) / (small * math.log(small))
    before, after = _operations(runs[small]), _operations(runs[large])
    best_before, best_after = _best_runs(runs[small]), _best_runs(runs[large])
    found: dict[str, Any] = {}
    for name in before:
        ratio = after[name] / before[name] if before[name] > 0 else float("inf")
        found[name] = {"seconds": [before[name], after[name]], "ratio": round(ratio, 2),
                       "linear_ratio": round(large / small, 2),
                       "n_log_n_bound": round(bound, 2),
                       "within_n_log_n": ratio <= bound * NOISE_ALLOWANCE}
        if name in best_before and best_before[name] > 0:
            found[name]["ratio_of_fastest_runs"] = round(best_after[name] / best_before[name], 2)
    return {"sizes": [small, large], "operations": found}


# --- main -----------------------------------------------------------------------------------


def machine(pg_version: str | None) -> dict[str, Any]:
    """Where and when this ran."""
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO,
                                capture_output=True, text=True, check=False).stdout.strip()
    except OSError:
        commit = ""
    return {"date": datetime.now(UTC).isoformat(timespec="seconds"),
            "cpus": os.cpu_count(), "platform": platform.platform(),
            "processor": platform.processor() or platform.machine(),
            "python": platform.python_version(), "sqlite": sqlite3.sqlite_version,
            "postgresql": pg_version, "git_head": commit or None,
            "git_note": "run on a working tree with uncommitted changes by others"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000])
    parser.add_argument("--backends", nargs="+", choices=["sqlite", "postgresql"],
                        default=["sqlite", "postgresql"])
    parser.add_argument("--pg-url", default=DEFAULT_PG, help="PostgreSQL database URL")
    parser.add_argument("--pg-schema", default=DEFAULT_SCHEMA,
                        help="schema of --pg-url dropped and recreated for each size")
    parser.add_argument("--repeat-stories", type=int, default=3)
    parser.add_argument("--out", type=Path, help="also write the JSON report to this file")
    args = parser.parse_args()
    started = time.perf_counter()

    with tempfile.TemporaryDirectory(prefix="corpus-bench-") as tmp:
        workdir = Path(tmp)
        log("full pipeline on the 14 sample documents")
        documents = sample_documents()
        pipeline, originals = full_pipeline(documents, workdir)
        log(f"full pipeline: {pipeline['seconds']} s")
        copier = Copier(originals)
        query_vector = embed([SEMANTIC_QUERY])[0]
        report: dict[str, Any] = {
            "benchmark": "corpus",
            "method": {
                "summary": __doc__.split("\n\n")[0],
                "originals": len(originals),
                "copy_shift_days": 7,
                "replaced_word_types": REPLACE_PER_MILLE / 1000,
                "republication_every_nth_copy": REPUBLISH_EVERY,
                "vector_noise_norm": NOISE_NORM,
                "growth_allowance": f"within_n_log_n: ratio <= {NOISE_ALLOWANCE} x bound",
                "store_side_only": "ingest at n documents excludes analysis and embedding "
                                   "(prepared once from the 14 originals); see full_pipeline",
            },
            "variants": check_variants(copier),
            "full_pipeline": pipeline,
            "corpora": {},
            "backends": {},
        }
        pg_version: str | None = None
        for backend in args.backends:
            report["backends"][backend] = {}
            if backend == "postgresql":
                try:
                    pg_version = reset_pg(args.pg_url, args.pg_schema)
                except Exception as exc:  # report why, and go on with the other backends
                    reason = " ".join(str(exc).split())[:300]
                    log(f"postgresql skipped: {reason}")
                    report["backends"][backend] = {"skipped": f"unreachable: {reason}"}
                    continue
        runs: dict[str, dict[int, dict[str, Any]]] = {b: {} for b in args.backends
                                                      if "skipped" not in report["backends"][b]}
        for n in sorted(args.sizes):
            log(f"synthesising {n} documents")
            corpus = synthesize(copier, n)
            report["corpora"][str(n)] = corpus.describe()
            for backend, by_size in runs.items():
                log(f"{backend}, {n} documents")
                if backend == "sqlite":
                    path = workdir / f"corpus-{n}.db"
                    url = str(path)
                else:
                    reset_pg(args.pg_url, args.pg_schema)
                    url = pg_url(args.pg_url, args.pg_schema)
                with Store.open(url) as store:
                    result = run_size(store, corpus, copier, query_vector, args.repeat_stories)
                    result["database_bytes"] = (path.stat().st_size if backend == "sqlite"
                                                else pg_size(store, args.pg_schema))
                if backend == "sqlite":
                    for suffix in ("", "-wal", "-shm"):
                        Path(f"{path}{suffix}").unlink(missing_ok=True)
                result["max_rss_mb"] = round(
                    resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
                by_size[n] = result
                report["backends"][backend][str(n)] = result
            del corpus
        if "postgresql" in runs:
            reset_pg(args.pg_url, args.pg_schema)  # leave no 10,000 documents behind
    report["growth"] = {backend: growth(by_size) for backend, by_size in runs.items()}
    report["faster_than_n_log_n"] = [
        f"{backend}: {name} (x{op['ratio']})"
        for backend, grown in report["growth"].items()
        for name, op in grown.get("operations", {}).items() if not op["within_n_log_n"]]
    report["machine"] = machine(pg_version)
    report["wall_seconds"] = round(time.perf_counter() - started, 1)
    emit(report, args.out)


if __name__ == "__main__":
    main()
