# Marquee's everyday commands. `make run` and `make test` work on a fresh clone.
SHELL := /bin/sh
VENV := .venv
PY := $(VENV)/bin/python
PG_URL ?= postgres://postgres@127.0.0.1:5432/marquee
# Where `make run` serves: `make run PORT=8001` when 8000 is taken.
PORT ?= 8000
# Local commands run in debug mode; production sets its own environment (see README).
export DJANGO_DEBUG ?= 1

.PHONY: help run test test-postgres lint format migrations-check superuser clean

help:
	@echo "make run               set up and serve the demo on http://127.0.0.1:$(PORT) (PORT=...)"
	@echo "make test              the whole test suite on SQLite"
	@echo "make test-postgres     the same suite on PostgreSQL (PG_URL=$(PG_URL))"
	@echo "make lint              ruff lint and format check"
	@echo "make migrations-check  fail when models and migrations disagree"
	@echo "make superuser         create a staff account for the admin"

# The virtual environment is rebuilt whenever the pinned requirements change.
$(VENV)/.installed: requirements/base.txt requirements/dev.txt
	@interpreter=$$(scripts/find-python) || exit 1; \
	  test -x $(PY) || "$$interpreter" -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements/dev.txt
	@touch $@

run: $(VENV)/.installed
	$(PY) manage.py migrate --no-input
	$(PY) manage.py load_demo --if-empty
	$(PY) manage.py build_similarities
	@echo ""
	@echo "Marquee is starting on http://127.0.0.1:$(PORT)/"
	@echo "  demo account:  demo / marquee-demo"
	@echo "  admin:         http://127.0.0.1:$(PORT)/admin/  (create a staff account with: make superuser)"
	@echo ""
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

# On SQLite whatever the shell exports: after README's PostgreSQL steps (an exported
# DATABASE_URL) the tests created and dropped test_<name> on that server.
test: $(VENV)/.installed
	env -u DATABASE_URL $(PY) -m pytest $(PYTEST_ARGS)

test-postgres: $(VENV)/.installed
	DATABASE_URL=$(PG_URL) $(PY) -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

migrations-check: $(VENV)/.installed
	$(PY) manage.py makemigrations --check --dry-run

superuser: $(VENV)/.installed
	$(PY) manage.py migrate --no-input
	$(PY) manage.py createsuperuser

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache staticfiles
