#!/usr/bin/env bash
# The whole test suite: lint, then pytest on SQLite and, when QLVB_TEST_DATABASE_URL is set, on
# PostgreSQL. The two runs go side by side (each is mostly one core) with their own var directory and
# Redis databases; the PostgreSQL run's output is printed when it ends, and either failing fails all.
# Each run ends with its 30 slowest tests: the suite has a time budget (about 30 minutes in CI).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh test
VAR="${QLVB_VAR_DIR:-$PWD/var/test}"

.venv/bin/ruff check .

pg_status=0
if [ -n "${QLVB_TEST_DATABASE_URL:-}" ]; then
  mkdir -p "$VAR"
  pg_log="$VAR/postgresql.log"
  echo "== PostgreSQL (in the background, output in $pg_log) =="
  # Browser tests exercise the pages, not the database: once, on SQLite, is enough.
  QLVB_VAR_DIR="$VAR/pg" QLVB_TEST_REDIS_DB_BASE=13 DATABASE_URL="$QLVB_TEST_DATABASE_URL" \
    .venv/bin/pytest -m "not browser" -p no:cacheprovider --durations=30 "$@" >"$pg_log" 2>&1 &
  pg_pid=$!
elif [ -n "${CI:-}" ]; then
  echo "CI must test PostgreSQL too: set QLVB_TEST_DATABASE_URL" >&2
  exit 1
fi

echo "== SQLite =="
sqlite_status=0
QLVB_VAR_DIR="$VAR/sqlite" QLVB_TEST_REDIS_DB_BASE=10 env -u DATABASE_URL .venv/bin/pytest --durations=30 "$@" || sqlite_status=$?

if [ -n "${pg_pid:-}" ]; then
  wait "$pg_pid" || pg_status=$?
  echo "== PostgreSQL =="
  cat "$pg_log"
fi
echo "SQLite: exit $sqlite_status; PostgreSQL: exit $pg_status"
[ "$sqlite_status" -eq 0 ] && [ "$pg_status" -eq 0 ]
