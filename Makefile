.PHONY: run dev test multinode worker lint

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

# The multi-node test alone (it also runs in the PostgreSQL half of `make test`): two web nodes, two
# workers and two schedulers on PostgreSQL, Redis (127.0.0.1:6379) and moto's S3, a worker and the
# leading scheduler killed mid-run. QLVB_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/qlvb make multinode
multinode:
	DATABASE_URL="$${QLVB_TEST_DATABASE_URL:?set QLVB_TEST_DATABASE_URL=postgres://...}" \
	  .venv/bin/pytest -m multinode -p no:cacheprovider tests/core/test_multinode.py

# Background jobs (e-mail, rendering, exchange): the same command on one machine or many
worker:
	.venv/bin/python manage.py task_worker

lint:
	.venv/bin/ruff check .
