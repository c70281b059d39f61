# The two commands a new user needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

# make run ARGS="--data-dir /tmp/x"   passes arguments to quizapp
ARGS ?=

.PHONY: run test test-fast check bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP) $@

run: $(STAMP)
	$(BIN)/quizapp $(ARGS)

# In parallel over the machine's cores (pytest-xdist); loadgroup keeps the wheel tests on one worker.
test: $(TEST_STAMP)
	$(BIN)/python -m pytest -n auto --dist loadgroup $(ARGS)

# Everything but the end-to-end tests marked slow (wheel build and install, ...).
test-fast: $(TEST_STAMP)
	$(BIN)/python -m pytest -n auto --dist loadgroup -m "not slow" $(ARGS)

check: $(STAMP)
	$(BIN)/quizapp content check

bench: $(TEST_STAMP)
	$(BIN)/python benchmarks/loader_bench.py
	$(BIN)/python benchmarks/engine_bench.py
	$(BIN)/python benchmarks/simulations_bench.py
	$(BIN)/python benchmarks/startup.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
