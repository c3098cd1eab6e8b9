#!/usr/bin/env bash
# Generate 10k, 100k and 1M documents and measure at each size, on the database DATABASE_URL names
# (default: SQLite under var/bench). Results: bench/out/<vendor>-<documents>.json
set -euo pipefail
cd "$(dirname "$0")/.."
export QLVB_VAR_DIR="${QLVB_VAR_DIR:-$PWD/var/bench}"
.venv/bin/python manage.py migrate -v0
for n in ${SIZES:-10000 100000 1000000}; do
  .venv/bin/python bench/generate.py --documents "$n"
  .venv/bin/python bench/run.py --runs "${RUNS:-50}" --registrations "${REGISTRATIONS:-200}"
done
