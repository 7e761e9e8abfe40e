# The two commands a new user needs: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint fmt venv migrate demo bench soak clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python requirements.txt requirements-dev.txt
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

venv: $(STAMP)

migrate: venv
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_demo

## Set up everything and start the web server, the Celery worker and beat (Ctrl-C stops all).
run: demo
	PATH="$(CURDIR)/$(BIN):$$PATH" scripts/run.sh

## Run the whole test suite (PostgreSQL and Redis when DATABASE_URL / REDIS_URL are set).
test: venv
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## The long load test (README "Reliability suite"): needs DATABASE_URL (PostgreSQL) and REDIS_URL.
ONESTOP_SOAK_DOSSIERS ?= 5000
ONESTOP_SOAK_WORKERS ?= 16
soak: venv
	ONESTOP_SOAK_DOSSIERS=$(ONESTOP_SOAK_DOSSIERS) ONESTOP_SOAK_WORKERS=$(ONESTOP_SOAK_WORKERS) \
	  ONESTOP_REQUIRE_SERVICES=postgres,redis \
	  $(BIN)/python -m pytest tests/reliability/test_load_invariants.py -p no:cacheprovider -s $(PYTEST_ARGS)

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/python manage.py makemigrations --check --dry-run

## Every benchmark on the configured database, one table (README "Benchmark"); e.g.
## make bench BENCH_ARGS="--dossiers 1000000 --sections http,queries --seconds 10"
BENCH_ARGS ?=
bench: venv
	$(BIN)/python benchmarks/run_all.py $(BENCH_ARGS)

fmt: venv
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) var db.sqlite3 staticfiles
