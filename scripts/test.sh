#!/usr/bin/env bash
# The whole test suite: lint, then pytest on SQLite, then on PostgreSQL when QLVB_TEST_DATABASE_URL is set.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh test
export QLVB_VAR_DIR="${QLVB_VAR_DIR:-$PWD/var/test}"

.venv/bin/ruff check .
echo "== SQLite =="
env -u DATABASE_URL .venv/bin/pytest "$@"
if [ -n "${QLVB_TEST_DATABASE_URL:-}" ]; then
  echo "== PostgreSQL =="
  # Browser tests exercise the pages, not the database: once, on SQLite, is enough.
  DATABASE_URL="$QLVB_TEST_DATABASE_URL" .venv/bin/pytest -m "not browser" -p no:cacheprovider "$@"
elif [ -n "${CI:-}" ]; then
  echo "CI must test PostgreSQL too: set QLVB_TEST_DATABASE_URL" >&2
  exit 1
fi
