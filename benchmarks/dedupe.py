"""Duplicate grouping at scale, on a synthetic corpus, printed as JSON.

The corpus: ``--docs`` bodies of ~400 words drawn from a Zipf-like vocabulary
of 20,000 words; 10% are exact copies of another (case and spacing changed),
10% near copies (eight words replaced), 5% carry a provenance line naming a
publisher, and all share a 40-word disclaimer. Reports the seconds of
``group_duplicates`` (hashing included), of rebuilding a ``DuplicateIndex``
from stored signatures, and the groups found against those planted.

Usage::

    python benchmarks/dedupe.py [--docs 10000] [--out benchmarks/results/dedupe.json]
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as `python benchmarks/NAME.py`
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._report import emit
from counterpoint.corpus.dedupe import DocText, DuplicateIndex, group_duplicates, signature
from counterpoint.schema import Provenance

DISCLAIMER = ("The views expressed in this article are those of the author alone and do not "
              "necessarily reflect the positions of the editorial board, the publisher or any "
              "of its funders, partners or affiliated institutions, which accept no "
              "responsibility for errors.")
PUBLISHERS = [f"Outlet {chr(65 + i)}" for i in range(26)]


def corpus(n: int, seed: int = 7) -> tuple[list[DocText], int]:
    """Synthetic documents, and how many of them were planted as copies."""
    rng = random.Random(seed)
    vocabulary = [f"w{i}" for i in range(20_000)]
    weights = [1 / (rank + 1) for rank in range(len(vocabulary))]
    docs: list[DocText] = []
    copies = 0
    for i in range(n):
        roll = rng.random()
        publisher = rng.choice(PUBLISHERS)
        day = f"2023-03-{rng.randint(1, 28):02d}"
        provenance: list[Provenance] = []
        if docs and roll < 0.1:
            words = rng.choice(docs).body.upper().split()
            copies += 1
        elif docs and roll < 0.2:
            words = rng.choice(docs).body.split()
            for _ in range(8):
                words[rng.randrange(len(words))] = rng.choice(vocabulary)
            copies += 1
        else:
            words = rng.choices(vocabulary, weights, k=rng.randint(300, 500))
            words += DISCLAIMER.split()
            if roll > 0.95:
                provenance = [Provenance(relation="republication", source=rng.choice(PUBLISHERS),
                                         date=day)]
        docs.append(DocText(id=f"doc{i:06d}", body=" ".join(words), title=f"Title {i}",
                            published=day, publisher=publisher, provenance=provenance))
    return docs, copies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    docs, planted = corpus(args.docs)

    start = time.perf_counter()
    groups = group_duplicates(docs)
    batch_s = time.perf_counter() - start

    signatures = [signature(d.body) for d in docs]
    start = time.perf_counter()
    index = DuplicateIndex()
    for d, sig in zip(docs, signatures, strict=True):  # as a store would: no bodies
        index.add(DocText(id=d.id, body="", title=d.title, published=d.published,
                          publisher=d.publisher, provenance=d.provenance), signature=sig)
    rebuild_s = time.perf_counter() - start
    relations: dict[str, int] = {}
    for group in groups:
        for member in group.members:
            relations[member.relation] = relations.get(member.relation, 0) + 1
    emit({
        "docs": len(docs),
        "group_duplicates_s": round(batch_s, 2),
        "docs_per_s": round(len(docs) / batch_s),
        "rebuild_from_signatures_s": round(rebuild_s, 2),
        "groups": len(groups),
        "grouped_members": sum(len(g.members) for g in groups),
        "planted_copies": planted,
        "relations": relations,
        "same_groups_after_rebuild": index.groups() == groups,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }, args.out)


if __name__ == "__main__":
    main()
