.PHONY: run dev test worker lint

# Set up everything, load the demo agency and serve it at http://127.0.0.1:8000 (gunicorn + worker + scheduler)
run:
	scripts/bootstrap.sh run
	.venv/bin/python manage.py migrate --noinput
	.venv/bin/python manage.py seed_demo
	scripts/serve.sh

# Development only: Django's auto-reloading development server (no worker, no scheduler; tasks wait
# in the queue until `make worker`). Never for users: it is single-process and drops connection bursts.
dev:
	.venv/bin/python manage.py migrate --noinput
	.venv/bin/python manage.py runserver "$${QLVB_ADDRESS:-127.0.0.1:8000}"

# Install what the tests need (Debian's chromium when missing) and run the whole suite
test:
	scripts/test.sh

# Background jobs (e-mail, rendering, exchange): the same command on one machine or many
worker:
	.venv/bin/python manage.py task_worker

lint:
	.venv/bin/ruff check .
