#!/usr/bin/env bash
# Serves the product on one machine: the web server (gunicorn), one task worker (exports, e-mail,
# backups) and the scheduler (check-in digests, reminders, the nightly backup). All three start or
# none does: if one part cannot start or stops, the others are stopped and this exits non-zero,
# naming the part and its log. Ctrl+C stops all three. `make dev` is Django's development server.
#   QLVB_ADDRESS (127.0.0.1:8000), QLVB_WEB_WORKERS (2), QLVB_WEB_THREADS (4): the web server
#   QLVB_LOG_DIR ($QLVB_VAR_DIR/log): the worker's and the scheduler's logs
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
VAR_DIR="${QLVB_VAR_DIR:-$PWD/var}"
LOG_DIR="${QLVB_LOG_DIR:-$VAR_DIR/log}"

fail() { echo "serve.sh: $*" >&2; exit 1; }

mkdir -p "$LOG_DIR" 2>/dev/null || fail "cannot create the log folder $LOG_DIR (QLVB_LOG_DIR / QLVB_VAR_DIR)"
for part in worker scheduler; do
  : >> "$LOG_DIR/$part.log" 2>/dev/null || fail "cannot write $LOG_DIR/$part.log (QLVB_LOG_DIR / QLVB_VAR_DIR)"
done

# Hashed, precompressed static files (.gz, .br), served by whitenoise (and nginx's gzip_static).
export QLVB_STATIC_MANIFEST=1
$PY manage.py collectstatic --noinput -v0 || fail "collectstatic failed"

names=() pids=()
start() {  # start NAME LOG COMMAND...: LOG '-' means this terminal
  local name=$1 log=$2; shift 2
  if [ "$log" = - ]; then "$@" & else "$@" >> "$log" 2>&1 & fi
  names+=("$name"); pids+=($!)
}
stop_all() {  # TERM lets each part finish its request or task; after QLVB_STOP_SECONDS, KILL the rest
  trap - INT TERM
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  local left
  for _ in $(seq "${QLVB_STOP_SECONDS:-35}"); do
    left=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && left=1; done
    [ "$left" = 0 ] && break
    sleep 1
  done
  for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap 'echo "serve.sh: stopping" >&2; stop_all; exit 130' INT TERM

start worker "$LOG_DIR/worker.log" $PY manage.py task_worker
start scheduler "$LOG_DIR/scheduler.log" $PY manage.py run_scheduler
start web - .venv/bin/gunicorn -c deploy/gunicorn.conf.py qlvb.wsgi
echo "serve.sh: web (pid ${pids[2]}) at http://${QLVB_ADDRESS:-127.0.0.1:8000}, worker (pid ${pids[0]})," \
     "scheduler (pid ${pids[1]}); logs in $LOG_DIR" >&2

# The first part to stop, for whatever reason, stops the rest: a web server without its worker would
# accept exports and e-mails that nobody sends.
set +e
wait -n "${pids[@]}"
code=$?
for i in "${!pids[@]}"; do
  if ! kill -0 "${pids[$i]}" 2>/dev/null; then
    log="$LOG_DIR/${names[$i]}.log"; [ "${names[$i]}" = web ] && log="the output above"
    echo "serve.sh: the ${names[$i]} stopped (exit $code); see $log. Stopping the others." >&2
    [ -f "$log" ] && tail -n 20 "$log" >&2
    break
  fi
done
stop_all
exit 1
