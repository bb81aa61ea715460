# ESSor: the two commands a newcomer needs are `make run` and `make test`.
PYTHON ?= python3
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install lint format messages benchmark clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py load_seeds
	$(BIN)/python manage.py rebuild_search_index --if-stale
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Interface strings: extract, then compile (needs GNU gettext).
messages: install
	$(BIN)/python manage.py makemessages -l fr -l en --ignore=.venv --no-obsolete
	$(BIN)/python manage.py compilemessages --ignore=.venv

# Search speed on the current database; add synthetic records first with
# `manage.py generate_catalogue --records N` (README, "Search speed").
benchmark: install
	$(BIN)/python manage.py bench_search

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
