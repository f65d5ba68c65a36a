# One command surface: `make test` is what CI runs; `make check` is the quick loop.
VENV ?= .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin

.PHONY: install test check lint bench clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

lint: install
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy

# Every test, plus the linters: nothing gentler runs in CI.
test: lint
	$(BIN)/pytest

# The fast loop while working: linters and the unit tests.
check: lint
	$(BIN)/pytest tests/unit -q

bench: install
	$(PY) -m bench.routing

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
