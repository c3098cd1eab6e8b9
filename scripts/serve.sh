#!/usr/bin/env bash
# Serves the product on one machine: the web server, one task worker (exports, e-mail) and the
# scheduler (check-in digests, reminders). Stopping it (Ctrl+C) stops all three.
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/python manage.py db_worker > var/worker.log 2>&1 &
worker=$!
.venv/bin/python manage.py run_scheduler > var/scheduler.log 2>&1 &
scheduler=$!
trap 'kill $worker $scheduler 2>/dev/null || true' EXIT INT TERM
.venv/bin/python manage.py runserver "${QLVB_ADDRESS:-127.0.0.1:8000}"
