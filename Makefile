# Strategy Tracker. `make run` to try it, `make test` to test it (see README).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-fast lint format install install-dev migrations-check seed clean bench serve worker backup restore

$(BIN)/python:
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed"'
	$(PYTHON) -m venv $(VENV) || { echo "venv failed: installing python3-venv"; \
		apt-get update -q && apt-get install -y -q python3-venv && $(PYTHON) -m venv $(VENV); }
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[dev]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

## Serve the app on SQLite with the seed strategies, demo users and the illustrative example
## strategy, at http://127.0.0.1:8000
run: install
	bash scripts/ensure_pdf_printer.sh
	$(MANAGE) migrate --no-input
	$(MANAGE) load_seeds
	$(MANAGE) create_demo_users
	$(MANAGE) load_example
	$(MANAGE) schedule_reporting_jobs
	@# The task worker (board packs, the daily reporting jobs) runs beside the server and
	@# stops with it.
	$(MANAGE) db_worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
		$(MANAGE) runserver $(HOST):$(PORT)

seed: install
	$(MANAGE) load_seeds

OIDC_PROVIDER := tests/oidc_provider
# Where scripts/ensure_node.sh puts Node.js 20 when the system's node is older (Debian 12's
# is 18): first on the PATH, for npm and the tests alike. Empty, and so harmless, otherwise.
export PATH := $(CURDIR)/.cache/node/node_modules/.bin:$(PATH)

## The OpenID Connect provider the sign-in tests run against (panva/oidc-provider, pinned by
## tests/oidc_provider/package-lock.json). Needs Node.js 20 or newer and npm.
$(OIDC_PROVIDER)/node_modules/.package-lock.json: $(OIDC_PROVIDER)/package-lock.json
	bash scripts/ensure_node.sh
	npm ci --prefix $(OIDC_PROVIDER) --no-audit --no-fund

## Run the whole suite against PostgreSQL, browser tests included.
## Reuses TEST_DATABASE_URL if set, else starts (installing if need be) a local PostgreSQL.
test: install-dev $(OIDC_PROVIDER)/node_modules/.package-lock.json
	bash scripts/ensure_pdf_printer.sh
	bash scripts/ensure_curl.sh
	url="$${TEST_DATABASE_URL:-$$(bash scripts/ensure_postgres.sh)}" && \
		DATABASE_URL="$$url" QUICK_CHECK= $(BIN)/pytest $(PYTEST_ARGS)

## A quick check while working, about 50 s on 2 cores: SQLite, no browser journeys, no
## PDFs printed by Chromium, no slow tests (servers, subprocesses, migrations, the permission
## matrix's sweep), so nothing to install as root. Skips what needs PostgreSQL; `make test`
## (and CI) runs everything.
test-fast: install-dev
	@# The test database is built from the models, not the migrations (`make test` runs them;
	@# strategy_tracker/tests/test_migrations_match_models.py checks they agree). Hypothesis
	@# tries a fifth of its examples (tests/examples.py). Test modules' compiled files are kept
	@# for the next run.
	DATABASE_URL=sqlite:///$(CURDIR)/db.sqlite3 QUICK_CHECK=1 PYTHONDONTWRITEBYTECODE= $(BIN)/pytest \
		-m "not e2e and not slow and not pdf" --no-migrations -n auto --dist worksteal $(PYTEST_ARGS)

## Production: gunicorn on the settings from the environment (see README "Running in production").
serve: install
	bash scripts/ensure_pdf_printer.sh
	$(MANAGE) check --deploy --fail-level WARNING
	$(MANAGE) migrate --no-input
	$(MANAGE) collectstatic --no-input -v0
	$(BIN)/gunicorn strategy_tracker.wsgi --config deploy/gunicorn.conf.py

## Production: the task worker beside `make serve` (deploy/strategy-tracker-worker.service).
worker: install
	bash scripts/ensure_pdf_printer.sh
	$(MANAGE) schedule_reporting_jobs
	@# An upgrade that changes how SPC readings are worked out leaves every one stale, and
	@# each dashboard then works them out from the values on every read (twice the cost):
	@# worked out here, before the worker takes tasks.
	$(MANAGE) refresh_readings
	$(MANAGE) db_worker

## Back up the configured database to backups/ (pg_dump on PostgreSQL, a file copy on SQLite).
backup: install
	$(MANAGE) backup backups/strategy-tracker-$$(date +%Y%m%d-%H%M%S).$$($(BIN)/python -c 'import django,os;os.environ.setdefault("DJANGO_SETTINGS_MODULE","strategy_tracker.settings");django.setup();from django.db import connection;print("dump" if connection.vendor=="postgresql" else "sqlite3")')

## Restore a backup: make restore FILE=backups/….dump (….sqlite3 on SQLite); it asks first.
restore: install
	$(MANAGE) restore "$(FILE)"

## Measure speed on PostgreSQL (a database of its own); prints a table, writes bench/results.json.
bench: install-dev
	bash scripts/ensure_pdf_printer.sh
	url="$${BENCH_DATABASE_URL:-$$(PGDATABASE_NAME=strategy_tracker_bench bash scripts/ensure_postgres.sh)}" && \
		DATABASE_URL="$$url" DEBUG=off SECRET_KEY=bench-only-not-secret ALLOWED_HOSTS=127.0.0.1,testserver \
		SECURE_SSL_REDIRECT=off $(BIN)/python bench/run.py

lint: install-dev
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	# Known vulnerabilities in the installed dependencies (PyPI's advisory data). A package
	# it cannot look up is listed as skipped; any vulnerability found fails the build.
	$(BIN)/pip-audit --skip-editable --progress-spinner off

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache $(OIDC_PROVIDER)/node_modules .cache/node
