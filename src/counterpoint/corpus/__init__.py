"""Corpus stages: duplicates, stories, comparison, timeline, graph, search, export."""
