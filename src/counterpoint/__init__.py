"""counterpoint: sourced, structured intelligence from news and commentary.

The library never configures logging; it only attaches a ``NullHandler``. The
CLI (:mod:`counterpoint.cli`) does.
"""

import logging

from counterpoint.errors import CounterpointError
from counterpoint.schema import Document, RawItem

__version__ = "0.1.0"

__all__ = ["CounterpointError", "Document", "RawItem", "__version__", "extract", "iter_items"]

logging.getLogger(__name__).addHandler(logging.NullHandler())


def __getattr__(name: str) -> object:
    # Stages load heavy libraries (trafilatura, lxml); import them only when used.
    if name == "extract":
        from counterpoint.extract import extract

        return extract
    if name == "iter_items":
        from counterpoint.ingest import iter_items

        return iter_items
    raise AttributeError(f"module 'counterpoint' has no attribute {name!r}")
