"""A synthetic news corpus of any size, made of variants of the bundled sample corpus.

Each synthetic document is a short news item: the title and publisher of one
sample document, and one to three paragraphs drawn from across the sample corpus,
with their figures varied, so that bodies differ from one another the way
different reports of related events do (no two share most of their
five-word shingles by accident). Publication dates advance at a steady
:data:`PER_DAY` documents a day — a larger corpus covers a longer period, as a
feed archive does — and about :data:`COPY_SHARE` of the documents are lightly
edited copies of a recent one (a new headline, one word replaced), which
duplicate detection should group.

The same ``seed`` and ``n`` give the same documents, ids included; documents are
generated lazily, so a corpus of millions costs no memory.

    python benchmarks/synthetic.py 5 | jq -c '{id, published, title}'
"""

from __future__ import annotations

import random
import re
import sys
from collections.abc import Iterator
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

if __package__ in (None, ""):  # run as `python benchmarks/NAME.py`
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from counterpoint.extract import extract
from counterpoint.ingest import iter_items
from counterpoint.schema import Document, RawItem, content_id

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "examples" / "corpus"
PER_DAY = 200
COPY_SHARE = 0.03
START = date(2023, 1, 2)
_NUMBER = re.compile(r"\b\d[\d,.]*\b")


@lru_cache(maxsize=1)
def _samples() -> tuple[list[tuple[str, str | None]], list[str]]:
    """(title, publisher) of each sample document, and every paragraph of 25+ words."""
    docs = [extract(item) for item in iter_items([str(CORPUS)]) if isinstance(item, RawItem)]
    heads = [(d.title or "News report", d.publisher) for d in docs]
    paragraphs = [p.strip() for d in docs for p in d.body.split("\n\n")
                  if len(p.split()) >= 25]
    return heads, paragraphs


def _vary(paragraph: str, rng: random.Random) -> str:
    """The paragraph with its figures changed (a figure keeps its number of digits)."""
    def figure(match: re.Match[str]) -> str:
        digits = sum(c.isdigit() for c in match.group())
        return str(rng.randint(10 ** (digits - 1) if digits > 1 else 1, 10 ** digits - 1))
    return _NUMBER.sub(figure, paragraph)


def documents(n: int, *, seed: int = 7, per_day: int = PER_DAY) -> Iterator[Document]:
    """``n`` synthetic documents, in publication order."""
    heads, paragraphs = _samples()
    rng = random.Random(seed)
    recent: list[Document] = []
    publisher: str | None
    for i in range(n):
        day = START + timedelta(days=i // per_day)
        moment = f"{day.isoformat()}T{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:00+00:00"
        if recent and rng.random() < COPY_SHARE:
            original = rng.choice(recent)
            words = original.body.split(" ")
            k = rng.randrange(len(words))
            words[k] = rng.choice(("also", "reportedly", "officially", "again"))
            body = " ".join(words)
            title = f"{original.title} (update)"
            publisher = f"Syndicate {rng.randint(1, 40)}"
        else:
            title, publisher = rng.choice(heads)
            picked = rng.sample(paragraphs, rng.randint(1, 3))
            body = "\n\n".join(_vary(p, rng) for p in picked)
            title = f"{title} — {rng.choice(('report', 'analysis', 'briefing', 'update'))}"
        ident = content_id(f"{i}\x1f{title}\x1f{body}")
        document = Document(path=f"synthetic/{i:07d}", id=ident, title=title,
                            publisher=publisher, published=moment, language="en", body=body)
        recent = [*recent[-49:], document]
        yield document


def main() -> None:
    import json

    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    for document in documents(count):
        sys.stdout.write(json.dumps(document.as_dict(), ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
