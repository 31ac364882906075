"""Tests of the store layer (SQLite and PostgreSQL)."""
