#!/usr/bin/env bash
# Make sure a PostgreSQL server answers on 127.0.0.1:5432 for the store tests,
# and that the test database exists. Safe to run again; silent when all is well.
#
#   1. if nothing answers: install PostgreSQL with apt-get when its binaries are
#      missing, then start the cluster (service, else pg_ctlcluster, creating a
#      cluster if there is none);
#   2. when this script installed or created the server, let user `postgres`
#      connect from 127.0.0.1 without a password (a throwaway test server);
#   3. create the database (default counterpoint_test) if it is absent.
#
# Exits non-zero with one clear line when it cannot. Needs root (or password-less
# sudo) only when it has to install or start the server.
set -euo pipefail

HOST=127.0.0.1
PORT=5432
DB=${1:-counterpoint_test}
LOG=$(mktemp)
trap 'rm -f "$LOG"' EXIT

NAME=ensure_postgres
ROOT_HINT="start PostgreSQL on $HOST:$PORT yourself or set COUNTERPOINT_TEST_PG"
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"

ready() { pg_isready -q -h "$HOST" -p "$PORT" >/dev/null 2>&1; }

psql_pg() { psql -X -q -w -h "$HOST" -p "$PORT" -U postgres -d postgres "$@"; }

server_binaries() { compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null; }

wait_ready() {
    for _ in $(seq 1 30); do
        ready && return 0
        sleep 1
    done
    return 1
}

installed_here=0

if ! command -v pg_isready >/dev/null 2>&1 || ! ready; then
    if ! command -v psql >/dev/null 2>&1 || ! server_binaries; then
        command -v apt-get >/dev/null 2>&1 \
            || fail "PostgreSQL is not installed and apt-get is not available to install it"
        as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >>"$LOG" 2>&1 \
            || fail "apt-get update failed"
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >>"$LOG" 2>&1 \
            || fail "apt-get install postgresql failed"
        installed_here=1
    fi
    if ! ready; then
        if [ -z "$(pg_lsclusters -h 2>/dev/null)" ]; then
            version=$(basename "$(dirname "$(dirname "$(compgen -G '/usr/lib/postgresql/*/bin/postgres' | sort -V | tail -n 1)")")")
            as_root pg_createcluster --port "$PORT" "$version" main >>"$LOG" 2>&1 \
                || fail "could not create a PostgreSQL $version cluster"
            installed_here=1
        fi
        as_root service postgresql start >>"$LOG" 2>&1 || true
        if ! ready; then
            while read -r version cluster _; do
                as_root pg_ctlcluster "$version" "$cluster" start >>"$LOG" 2>&1 || true
            done < <(pg_lsclusters -h 2>/dev/null)
        fi
        wait_ready || fail "PostgreSQL did not start on $HOST:$PORT"
    fi
fi

if ! psql_pg -tAc "SELECT 1" >>"$LOG" 2>&1; then
    if [ "$installed_here" -eq 1 ]; then
        # Our own fresh test server: trust user postgres on the loopback address.
        hba=$(as_root su postgres -c "psql -X -tAc 'SHOW hba_file'" 2>>"$LOG") \
            || fail "could not find pg_hba.conf"
        as_root sed -i "1i host all postgres $HOST/32 trust" "$hba"
        as_root su postgres -c "psql -X -qc 'SELECT pg_reload_conf()'" >>"$LOG" 2>&1 || true
        sleep 1
    fi
    psql_pg -tAc "SELECT 1" >>"$LOG" 2>&1 \
        || fail "cannot connect to $HOST:$PORT as user postgres without a password (allow 'trust' for $HOST/32 in pg_hba.conf, or set COUNTERPOINT_TEST_PG)"
fi

exists=$(psql_pg -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'" 2>>"$LOG") \
    || fail "could not list databases"
if [ "$exists" != "1" ]; then
    psql_pg -c "CREATE DATABASE \"$DB\"" >>"$LOG" 2>&1 || fail "could not create database $DB"
fi
