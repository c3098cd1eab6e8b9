.PHONY: run test worker lint

# Set up everything, load the demo agency and serve it at http://127.0.0.1:8000
run:
	scripts/bootstrap.sh run
	.venv/bin/python manage.py migrate --noinput
	.venv/bin/python manage.py seed_demo
	scripts/serve.sh

# Install what the tests need (Debian's chromium when missing) and run the whole suite
test:
	scripts/test.sh

# Background jobs (e-mail, rendering, exchange): the same command on one machine or many
worker:
	.venv/bin/python manage.py db_worker

lint:
	.venv/bin/ruff check .
