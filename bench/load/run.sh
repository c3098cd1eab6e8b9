#!/usr/bin/env bash
# The load test, in one command: a PostgreSQL database of its own, the demo agency plus generated
# volume, the gunicorn deployment (scripts/serve.sh: web + task worker + scheduler) on a loopback
# port, N simulated people of every role for T minutes (bench/load/client.py), then everything stopped
# and the database dropped. Not part of the test suite.
#   bench/load/run.sh [USERS=200] [MINUTES=10]
#   LOAD_DB (qlvb_load), LOAD_PG (postgres://postgres@127.0.0.1:5432), LOAD_PORT (8731),
#   LOAD_DOCUMENTS (20000 generated documents), LOAD_THINK (3:12 seconds between a person's actions),
#   LOAD_RAMP (120: seconds over which the people log in),
#   LOAD_KEEP_DB=1 keeps the database; QLVB_WEB_WORKERS / QLVB_WEB_THREADS as for serve.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."
USERS="${1:-200}" MINUTES="${2:-10}"
DB="${LOAD_DB:-qlvb_load}" PG="${LOAD_PG:-postgres://postgres@127.0.0.1:5432}" PORT="${LOAD_PORT:-8731}"
PY=.venv/bin/python
export QLVB_VAR_DIR="${LOAD_VAR_DIR:-/tmp/qlvb-load-var}"
export DATABASE_URL="$PG/$DB" QLVB_ADDRESS="127.0.0.1:$PORT" QLVB_SECRET_KEY="load-test-only-$(date +%s)"
# The run's people all come from 127.0.0.1 and log in at once: the per-address login brake would stop
# them (it is tested elsewhere); leaders would need a TOTP device. Nothing else is relaxed.
export QLVB_LOGIN_ADDRESS_LIMIT=1000000 QLVB_2FA_REQUIRED_ROLES=""
rm -rf "$QLVB_VAR_DIR" && mkdir -p "$QLVB_VAR_DIR"

psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS $DB" && psql "$PG/postgres" -qc "CREATE DATABASE $DB"
server=""
cleanup() {
  if [ -n "$server" ]; then kill -TERM -- "-$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  [ "${LOAD_KEEP_DB:-0}" = 1 ] || psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS $DB" || true
}
trap cleanup EXIT

echo "load: migrate, seed, generate ${LOAD_DOCUMENTS:-20000} documents" >&2
$PY manage.py migrate --noinput -v0
$PY manage.py seed_demo >/dev/null
$PY bench/generate.py --documents "${LOAD_DOCUMENTS:-20000}" --officers-per-unit 40 >/dev/null
officers=$($PY manage.py shell -v 0 -c "from qlvb.organization.models import Person
print(','.join(Person.objects.filter(username__startswith='bench.').order_by('?').values_list('username', flat=True)[:120]))")

setsid scripts/serve.sh > "$QLVB_VAR_DIR/serve.log" 2>&1 &
server=$!
for _ in $(seq 120); do
  curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
  kill -0 "$server" 2>/dev/null || { cat "$QLVB_VAR_DIR/serve.log" >&2; exit 1; }
  sleep 1
done
echo "load: serving at 127.0.0.1:$PORT ($(nproc) cores, $(free -g | awk '/Mem/{print $2}') GiB); $USERS users for $MINUTES min" >&2
$PY bench/load/client.py --base "http://127.0.0.1:$PORT" --users "$USERS" --minutes "$MINUTES" \
    --think "${LOAD_THINK:-3:12}" --ramp "${LOAD_RAMP:-120}" --server-pid "$server" --officer-accounts "$officers" \
    --out "${LOAD_OUT:-bench/out/load-$USERS-$MINUTES.json}"
grep -E '" 5[0-9][0-9] |Traceback' "$QLVB_VAR_DIR/serve.log" | head -20 >&2 || true
