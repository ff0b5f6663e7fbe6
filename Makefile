# Harbour: `make run` sets everything up and serves the demo; `make test` runs the suite.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HARBOUR := $(BIN)/harbour
STAMP := $(VENV)/.installed
export HARBOUR_DEMO ?= 1
export HARBOUR_HTTPS ?= 0

.PHONY: run setup test test-fast lint format messages bench clean

run: setup
	$(HARBOUR) migrate --no-input
	$(HARBOUR) collectstatic --no-input -v 0
	$(HARBOUR) demo
	$(HARBOUR) serve

setup: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	@test -x $(PY) || "$$(scripts/find-python)" -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes --no-deps -r requirements.lock
	$(PY) -m pip install --quiet --no-deps -e .
	@touch $(STAMP)

# The whole suite: unit, HTTP, permission matrix, API fuzzing (schemathesis) and browser tests.
test: setup lint
	HARBOUR_DEMO=0 $(BIN)/pytest $(PYTEST_ARGS)

test-fast: setup
	HARBOUR_DEMO=0 $(BIN)/pytest -m "not browser" $(PYTEST_ARGS)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy harbour

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Regenerate the French catalogue after changing strings (needs GNU gettext).
messages: setup
	cd harbour && ../$(HARBOUR) makemessages -l fr --no-obsolete && ../$(HARBOUR) compilemessages -l fr

lock:
	$(PY) -m pip install --quiet uv && $(BIN)/uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.12 -o requirements.lock -q

# Benchmarks, by hand on the 2-core machine (never in CI): both use one database made by
# `harbour demo --scale large`, built once under var/bench/ (docs/operations.md#benchmarks).
BENCHES ?= run casework
bench: setup
	@for b in $(BENCHES); do $(PY) bench/$$b.py || exit 1; done

clean:
	rm -rf $(VENV) var/static
