# One command surface: `make test` is what CI runs; `make check` is the quick loop.
VENV ?= .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin

.PHONY: install constraints run test check lint bench bench-services clean system-deps axe

# axe-core (npm), the accessibility rules the desk's browser tests run in each page. Kept in
# var/ (ignored by git) at an exact version; no lock file, so no registry address is recorded.
AXE_VERSION := 4.14.1
AXE_DIR := var/node
AXE := $(AXE_DIR)/node_modules/axe-core/axe.min.js

install: $(VENV)/.installed

# constraints.txt pins every package, direct or not, to what the tests ran with.
$(VENV)/.installed: pyproject.toml constraints.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $@

# After a change of pyproject.toml's dependencies: resolve every version again.
constraints: install
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 --no-header \
	  --quiet -o constraints.txt

# Everything on this machine on the embedded default (SQLite, no broker server, mail
# as .eml files in var/outbox/); Ctrl-C stops it. WELCOMEDESK_* variables point it at
# PostgreSQL, Redis and an SMTP server instead.
run: install
	$(BIN)/welcomedesk run

lint: install
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy

axe: $(AXE)

$(AXE):
	npm install --silent --no-save --no-package-lock --no-audit --no-fund \
	  --prefix $(AXE_DIR) axe-core@$(AXE_VERSION)

# Every test, plus the linters: nothing gentler runs in CI.
test: lint $(AXE)
	$(BIN)/pytest

# The fast loop while working: linters and the unit tests.
check: lint
	$(BIN)/pytest tests/unit -q

bench: install
	$(PY) -m bench.routing
	$(PY) -m bench.services
	$(PY) -m bench.workspace
	$(PY) -m bench.replies
	$(PY) -m bench.mail_corpus
	$(PY) -m bench.privacy
	$(PY) -m bench.statistics

bench-services: install system-deps
	$(PY) -m bench.services
	$(PY) -m bench.mail_corpus

# Debian packages the tests need (space-separated; e.g. add dovecot-imapd chromium).
# A package counts as present when dpkg has it installed or a command of its name
# is on PATH; apt-get runs only when something is missing, so this is quick once done.
SYSTEM_DEPS ?= docker-compose wrk chromium dovecot-imapd npm

system-deps:
	@missing=""; \
	for pkg in $(SYSTEM_DEPS); do \
	  if dpkg -s "$$pkg" 2>/dev/null | grep -q '^Status: install ok installed$$' \
	     || command -v "$$pkg" >/dev/null 2>&1; then :; else missing="$$missing $$pkg"; fi; \
	done; \
	if [ -z "$$missing" ]; then echo "system-deps: all present ($(SYSTEM_DEPS))"; exit 0; fi; \
	echo "system-deps: installing$$missing"; \
	command -v apt-get >/dev/null 2>&1 \
	  || { echo "system-deps: apt-get not found; install$$missing by hand" >&2; exit 1; }; \
	if [ "$$(id -u)" = 0 ]; then sudo=""; \
	elif command -v sudo >/dev/null 2>&1; then sudo="sudo"; \
	else echo "system-deps: not root and no sudo; install$$missing by hand" >&2; exit 1; fi; \
	$$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q \
	  && $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
