#!/usr/bin/env bash
# Write the sample brief shown in the README: ingest the bundled sample corpus into a
# temporary SQLite store, take its largest story, and brief it as
# docs/sample-brief.md and docs/sample-brief.pdf.
set -euo pipefail
cd "$(dirname "$0")/.."
cp=${COUNTERPOINT:-.venv/bin/counterpoint}
py=${PYTHON:-.venv/bin/python}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
db="$work/sample.db"
$cp ingest examples/corpus --db "$db"
story=$($cp stories --json --db "$db" | "$py" -c '
import json, sys
stories = json.load(sys.stdin)["stories"]
print(max(stories, key=lambda s: len(s["documents"]))["id"])')
mkdir -p docs
$cp brief --story "$story" -o docs/sample-brief.md --db "$db"
$cp brief --story "$story" -o docs/sample-brief.pdf --db "$db"
