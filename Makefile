# Kantselei: `make run` serves the portal with demo data, `make test` runs the whole suite.
# Without DATABASE_URL both use an embedded PostgreSQL (var/pgdata for run, a throw-away one
# for test); without CELERY_BROKER_URL Celery tasks run in-process.
# System packages (Debian): python3.11 python3.11-venv gettext libpango-1.0-0 libpangoft2-1.0-0,
# and chromium for the browser tests (.ci/run installs them).

PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: install run test lint format migrate messages translations worker beat stop clean

# Local commands run with DEBUG on (demo data, runserver's static files); production sets its own.
run migrate messages translations worker beat: export DJANGO_DEBUG ?= 1
# Compiling and collecting messages needs no database: without DATABASE_URL the settings would
# start (or wait for) the embedded server just to read them. The URL is never connected to.
messages translations: export DATABASE_URL ?= postgres://unused.invalid/none

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) is needed (Debian: apt-get install python3.11 python3.11-venv)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet ".[dev]"
	touch $@

migrate: install
	$(PY) manage.py migrate --noinput

messages: install
	$(PY) manage.py compilemessages --ignore=.venv --ignore=var -v 0

run: install messages migrate
	$(PY) manage.py seed_demo
	@echo "Kantselei: http://$(HOST):$(PORT)/  (stop with Ctrl-C; 'make stop' stops the embedded database)"
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install messages
	$(PY) -m pytest -n auto $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Refresh locale/*/LC_MESSAGES/django.po after changing user-visible strings (needs gettext).
translations: install
	$(PY) manage.py makemessages -l et -l en -l ru --ignore=.venv --ignore=var --ignore=tests -v 0

worker: install
	$(BIN)/celery -A config worker -l info --without-gossip --without-mingle

beat: install
	$(BIN)/celery -A config beat -l info --schedule var/celerybeat-schedule

stop:
	-$(PY) -m core.embedded_db stop var/pgdata

clean: stop
	rm -rf var/pgdata var/staticfiles
