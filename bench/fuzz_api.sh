#!/usr/bin/env bash
# Longer fuzzing of the whole API than the suite runs: bench/fuzz_api.sh [EXAMPLES] (default 500).
set -euo pipefail
cd "$(dirname "$0")/.."
QLVB_FUZZ_EXAMPLES="${1:-500}" QLVB_VAR_DIR="${QLVB_VAR_DIR:-var/test}" \
  .venv/bin/pytest tests/security/test_api_fuzz.py -q -p no:cacheprovider
