#!/usr/bin/env bash
# Set up, then run the main job on the bundled sample corpus: ingest it into an
# embedded SQLite store, list its stories, and compare two sources on one event.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
DB=$(mktemp -d)/demo.db
cp=.venv/bin/counterpoint
$cp ingest examples/corpus --db "$DB"
$cp stories --db "$DB"
$cp compare examples/corpus/a5_russian_state_severinform_putin_xi.txt \
            examples/corpus/a1_wire_meridian_xi_putin_talks.txt
echo "store: $DB (try: $cp timeline --db $DB --actor 'Xi Jinping')"
