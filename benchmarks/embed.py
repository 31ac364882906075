"""Sentence-embedding cost on this machine's CPU, printed as JSON.

Reports the seconds to import and load the packaged all-MiniLM-L6-v2 (in
this fresh process), and sentences per second at a few batch sizes, on the
sentences of the bundled sample corpus (repeated to ``--sentences``).

Usage::

    python benchmarks/embed.py [--sentences 2000] [--out benchmarks/results/embed.json]
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as `python benchmarks/NAME.py`
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._report import emit

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "examples" / "corpus"
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_TAG = re.compile(r"<[^>]+>")


def sentences(n: int) -> list[str]:
    """Sentences of 6 words or more from the sample corpus, repeated to ``n``."""
    found = []
    for path in sorted(CORPUS.glob("*.*")):
        if path.suffix in {".txt", ".html"}:
            text = _TAG.sub(" ", path.read_text(encoding="utf-8"))
            found += [s.strip() for s in _SENTENCE_END.split(" ".join(text.split()))
                      if len(s.split()) >= 6]
    return [found[i % len(found)] for i in range(n)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=2000)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    texts = sentences(args.sentences)

    start = time.perf_counter()
    from counterpoint.corpus.embed import embed, load_model

    imported = time.perf_counter()
    load_model()
    loaded = time.perf_counter()
    embed(texts[:64])  # warm-up
    speeds = {}
    for batch_size in (16, 64, 128):
        begin = time.perf_counter()
        embed(texts, batch_size=batch_size)
        speeds[str(batch_size)] = round(len(texts) / (time.perf_counter() - begin))
    import torch

    emit({
        "sentences": len(texts),
        "mean_words": round(sum(len(t.split()) for t in texts) / len(texts), 1),
        "import_s": round(imported - start, 2),
        "load_model_s": round(loaded - imported, 2),
        "sentences_per_s_by_batch_size": speeds,
        "torch_threads": torch.get_num_threads(),
        "cpus": os.cpu_count(),
    }, args.out)


if __name__ == "__main__":
    main()
