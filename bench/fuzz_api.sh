#!/usr/bin/env bash
# Longer fuzzing of the whole API than the suite runs: every operation, as each demo role and the
# province's token, valid and invalid input (tests/security/test_api_fuzz.py).
#
#   bench/fuzz_api.sh [EXAMPLES] [SEED]      default 300 examples per operation, seed 20261202
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/qlvb_fuzz bench/fuzz_api.sh 300
#
# The suite runs the same test derandomized with 12 examples; a seed here explores other inputs, and
# the printed "@reproduce_failure" blob replays a failure. Record the figures in bench/RESULTS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
examples="${1:-300}"
seed="${2:-20261202}"
marks=()
[ -n "${DATABASE_URL:-}" ] && marks=(-m "not browser")
start=$(date +%s)
QLVB_FUZZ_EXAMPLES="$examples" QLVB_FUZZ_SEED="$seed" QLVB_VAR_DIR="${QLVB_VAR_DIR:-var/fuzz}" \
  .venv/bin/pytest tests/security/test_api_fuzz.py "${marks[@]}" -q -p no:cacheprovider --tb=short "${@:3}"
echo "fuzz_api: $examples examples per operation, seed $seed, $(( $(date +%s) - start )) s"
