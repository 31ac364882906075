#!/usr/bin/env bash
# Set up, then run every check: lint, types, and all tests (quality gates included,
# browser tests in headless Chromium, which scripts/ensure_chromium.sh installs).
# The store tests run against SQLite and PostgreSQL: unless COUNTERPOINT_TEST_PG is
# already set, a local server is made ready on 127.0.0.1:5432 (scripts/ensure_postgres.sh).
# COUNTERPOINT_TEST_PG= (set but empty) runs them against SQLite only.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/ruff check src tests benchmarks
.venv/bin/mypy
# Browser tests drive Debian's Chromium; PDF briefs need Pango (WeasyPrint).
bash scripts/ensure_chromium.sh
export COUNTERPOINT_REQUIRE_BROWSER=1
if [ -z "${COUNTERPOINT_TEST_PG+set}" ]; then
    bash scripts/ensure_postgres.sh counterpoint_test
    export COUNTERPOINT_TEST_PG=postgresql://postgres@127.0.0.1:5432/counterpoint_test
fi
.venv/bin/python -m pytest "$@"
