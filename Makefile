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
VENV_STAMP  := $(VENV)/.rcphub-installed
PY          := $(VENV)/bin/python
HOST        ?= 127.0.0.1
PORT        ?= 8000
# two test processes (pytest-xdist): the machines have two cores
PYTEST_ARGS ?= -n 2
# Directories that ruff looks at; ones that do not exist (yet) are skipped,
# because git does not keep empty directories in a clean clone.
LINT_PATHS  := $(wildcard src tests bench scripts)
# Debian packages the browser tests need (Chromium driven by Playwright, and
# fonts covering Latin, Arabic, Cyrillic, CJK, ... for the rendering checks), and
# what WeasyPrint needs to lay out synthesis reports as PDF (Pango, HarfBuzz) with
# those same Noto fonts.
SYSTEM_PKGS := chromium fonts-noto-core fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 \
               libharfbuzz-subset0

.PHONY: help venv system-deps run lint test clean

help: ## list the targets
	@echo "rcphub make targets:"
	@grep -E '^[a-z][a-z-]*:.*## ' $(MAKEFILE_LIST) \
	  | awk 'BEGIN { FS = ":.*## " } { printf "  make %-12s %s\n", $$1, $$2 }'
	@echo
	@echo "Variables: HOST=$(HOST) PORT=$(PORT) PYTEST_ARGS='$(PYTEST_ARGS)' PYTHON=$(PYTHON)"
	@echo "Set RCPHUB_TEST_POSTGRES_URL to test against an existing PostgreSQL database."

venv: $(VENV_STAMP) ## create .venv and install the project (reruns when pyproject.toml changes)

$(VENV_STAMP): pyproject.toml
	@if [ ! -x $(PY) ]; then \
	  command -v $(PYTHON) >/dev/null || { echo "error: $(PYTHON) not found on PATH" >&2; exit 1; }; \
	  echo "creating $(VENV) with $(PYTHON)"; \
	  $(PYTHON) -m venv $(VENV); \
	fi
	$(PY) -m pip install -e '.[dev]'
	@touch $@

system-deps: ## apt-install Chromium, Noto fonts and Pango when missing (uses sudo when not root)
	@missing=""; \
	for pkg in $(SYSTEM_PKGS); do \
	  if ! dpkg-query -W -f='$${Status}' "$$pkg" 2>/dev/null | grep -q 'install ok installed'; then \
	    missing="$$missing $$pkg"; \
	  fi; \
	done; \
	if [ -z "$$missing" ]; then echo "system-deps: all present ($(SYSTEM_PKGS))"; exit 0; fi; \
	echo "system-deps: installing:$$missing"; \
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
	@command -v chromium >/dev/null || { echo "error: chromium is still not on PATH" >&2; exit 1; }

run: venv ## run the web app (migrates and loads reference data on first start)
	$(VENV)/bin/rcphub serve --host $(HOST) --port $(PORT)

lint: venv ## ruff check + ruff format --check
	$(VENV)/bin/ruff check $(LINT_PATHS)
	$(VENV)/bin/ruff format --check $(LINT_PATHS)

# The test recipe is one shell script: the trap stops the throwaway cluster
# and removes its directory whatever pytest does, and pytest's exit status
# is the recipe's exit status.
test: venv system-deps lint ## lint, then pytest against a throwaway PostgreSQL 15 cluster
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

clean: ## remove var/ and caches (keeps .venv)
	rm -rf var .pytest_cache .ruff_cache .hypothesis test-results build dist
	find . -path ./.venv -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +
