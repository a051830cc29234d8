# rcphub developer and CI entry points.  `make help` lists the targets.
#
# Every recipe runs under bash with -euo pipefail, so a failing command in the
# middle of a multi-line recipe fails the target.

SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

PYTHON      ?= python3.11
VENV        := .venv
RUN_STAMP   := $(VENV)/.rcphub-run
DEV_STAMP   := $(VENV)/.rcphub-dev
PY          := $(VENV)/bin/python
HOST        ?= 127.0.0.1
PORT        ?= 8000
# two test processes (pytest-xdist): the machines have two cores
PYTEST_ARGS ?= -n 2
# Directories that ruff looks at; ones that do not exist (yet) are skipped,
# because git does not keep empty directories in a clean clone.
LINT_PATHS  := $(wildcard src tests bench scripts)
# Debian packages the hub needs to run: what WeasyPrint needs to lay out synthesis
# reports as PDF (Pango, HarfBuzz) and fonts covering Latin, Arabic, Cyrillic, CJK, ...
RUN_PKGS    := fonts-noto-core fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
# ... and what the tests need besides: Chromium, driven by Playwright.
SYSTEM_PKGS := chromium $(RUN_PKGS)

.PHONY: help venv dev system-deps run-deps apt-packages run lint test clean

help: ## list the targets
	@echo "rcphub make targets:"
	@grep -E '^[a-z][a-z-]*:.*## ' $(MAKEFILE_LIST) \
	  | awk 'BEGIN { FS = ":.*## " } { printf "  make %-12s %s\n", $$1, $$2 }'
	@echo
	@echo "Variables: HOST=$(HOST) PORT=$(PORT) PYTEST_ARGS='$(PYTEST_ARGS)' PYTHON=$(PYTHON)"
	@echo "Set RCPHUB_TEST_POSTGRES_URL to test against an existing PostgreSQL database."

venv: $(RUN_STAMP) ## create .venv and install the project, what running needs (reruns when pyproject.toml changes)

dev: $(DEV_STAMP) ## .venv with the test and lint tools too

$(VENV)/bin/python:
	@command -v $(PYTHON) >/dev/null || { echo "error: $(PYTHON) not found on PATH" >&2; exit 1; }
	@echo "creating $(VENV) with $(PYTHON)"
	$(PYTHON) -m venv $(VENV)

$(RUN_STAMP): pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install -e .
	@touch $@

$(DEV_STAMP): pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install -e '.[dev]'
	@touch $@ $(RUN_STAMP)

system-deps: ## apt-install Chromium, Noto fonts and Pango when missing (uses sudo when not root)
	@$(MAKE) apt-packages PKGS="$(SYSTEM_PKGS)"
	@command -v chromium >/dev/null || { echo "error: chromium is still not on PATH" >&2; exit 1; }

run-deps: ## apt-install the Noto fonts and Pango (PDF reports) when missing
	@$(MAKE) apt-packages PKGS="$(RUN_PKGS)"

apt-packages:
	@missing=""; \
	for pkg in $(PKGS); do \
	  if ! dpkg-query -W -f='$${Status}' "$$pkg" 2>/dev/null | grep -q 'install ok installed'; then \
	    missing="$$missing $$pkg"; \
	  fi; \
	done; \
	if [ -z "$$missing" ]; then echo "system packages: all present ($(PKGS))"; exit 0; fi; \
	echo "system packages: installing:$$missing"; \
	if [ "$$(id -u)" -eq 0 ]; then sudo=""; \
	elif command -v sudo >/dev/null; then sudo="sudo"; \
	else \
	  echo "error: missing Debian packages:$$missing" >&2; \
	  echo "       not root and no sudo: install them as root with" >&2; \
	  echo "       apt-get update && apt-get install -y --no-install-recommends$$missing" >&2; \
	  exit 1; \
	fi; \
	$$sudo env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 update; \
	$$sudo env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends $$missing

run: venv run-deps ## run the web app (migrates and loads reference data on first start; PORT=, HOST=)
	$(VENV)/bin/rcphub serve --host $(HOST) --port $(PORT)

lint: dev ## ruff check + ruff format --check
	$(VENV)/bin/ruff check $(LINT_PATHS)
	$(VENV)/bin/ruff format --check $(LINT_PATHS)

# The test recipe is one shell script: the trap stops the throwaway cluster
# and removes its directory whatever pytest does, and pytest's exit status
# is the recipe's exit status.
test: dev system-deps lint ## lint, then pytest against a throwaway PostgreSQL 15 cluster
	@if [ -n "$${RCPHUB_TEST_POSTGRES_URL:-}" ]; then \
	  echo "test: using RCPHUB_TEST_POSTGRES_URL from the environment"; \
	else \
	  echo "test: starting a throwaway PostgreSQL cluster"; \
	  trap 'exit 130' INT; trap 'exit 143' TERM; \
	  trap 'if [ -n "$${RCPHUB_TEST_PG_DIR:-}" ]; then scripts/pg-test-cluster stop "$$RCPHUB_TEST_PG_DIR"; fi' EXIT; \
	  cluster_env="$$(scripts/pg-test-cluster start)"; \
	  eval "$$cluster_env"; \
	  echo "test: RCPHUB_TEST_POSTGRES_URL=$$RCPHUB_TEST_POSTGRES_URL"; \
	fi; \
	status=0; \
	$(PY) -m pytest $(PYTEST_ARGS) || status=$$?; \
	echo "test: pytest exited with status $$status"; \
	exit $$status

clean: ## remove caches and build files (keeps .venv and the hub's data directory)
	rm -rf .pytest_cache .ruff_cache .hypothesis test-results build dist
	find . -path ./.venv -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +
