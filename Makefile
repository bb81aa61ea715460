# ESSor: the two commands a newcomer needs are `make run` and `make test`.
PYTHON ?= python3
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run serve backup restore test fuzz loadtest install lint format messages maps benchmark clean

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

# Production settings (DEBUG off): needs SECRET_KEY and ALLOWED_HOSTS in the
# environment; gunicorn listens on 127.0.0.1:8001 behind a front server (deploy/).
serve: install
	DEBUG=false $(BIN)/python manage.py collectstatic --no-input -v0
	DEBUG=false $(BIN)/python manage.py migrate --no-input
	DEBUG=false $(BIN)/gunicorn config.wsgi -c deploy/gunicorn.conf.py

# The database and the media files, into BACKUP_DIR (backups/ by default); the last
# BACKUP_KEEP (14) of each are kept. `make restore` brings back the latest of each.
backup: install
	$(BIN)/python manage.py dbbackup --clean --compress
	$(BIN)/python manage.py mediabackup --clean --compress

restore: install
	$(BIN)/python manage.py dbrestore --noinput --uncompress
	$(BIN)/python manage.py mediarestore --noinput --uncompress
	$(BIN)/python manage.py shell -c "from catalogue.search import index; index.bump_version()"

test: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest

# 10,000 random query strings, paths and forms on every public page (a few minutes).
fuzz: install
	HYPOTHESIS_PROFILE=fuzz $(BIN)/python -m pytest tests/test_fuzz.py -p no:cacheprovider

# 50 clients for 60 s against gunicorn with production settings and 100,000 generated
# records (built once, in essor_loadtest on the PostgreSQL server of DATABASE_URL, or in
# loadtest.sqlite3); prints requests/s, p50/p95/p99 and errors. Loopback only.
loadtest: install
	$(BIN)/python manage.py loadtest --records 100000 --clients 50 --seconds 60

lint: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Interface strings: extract, then compile (needs GNU gettext).
messages: install
	$(BIN)/python manage.py makemessages -l fr -l en --ignore=.venv --ignore=node_modules --no-obsolete
	$(BIN)/python manage.py compilemessages --ignore=.venv --ignore=node_modules

# The maps' contours, drawn again from the open geometry of package.json (needs npm).
maps: install
	npm ci --silent --no-audit --no-fund
	$(BIN)/python manage.py build_maps

# Search speed on the current database; add synthetic records first with
# `manage.py generate_catalogue --records N` (README, "Search speed").
benchmark: install
	$(BIN)/python manage.py bench_search

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
