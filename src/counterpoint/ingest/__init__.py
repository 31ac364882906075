"""Ingest: find inputs and read them into :class:`~counterpoint.schema.RawItem` values."""

from counterpoint.ingest.readers import Kind, read_bytes, sniff_kind
from counterpoint.ingest.sources import Skipped, count_inputs, expand_sources, iter_items

__all__ = ["Kind", "Skipped", "count_inputs", "expand_sources", "iter_items", "read_bytes",
           "sniff_kind"]
