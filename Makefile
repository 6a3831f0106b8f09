# Two commands do all the set-up on a fresh machine: `make serve` and `make test`.
# They create the virtual environment, install the npm packages and Debian's
# chromium when missing, then build, serve or test.

SHELL := /bin/bash
.DEFAULT_GOAL := help

# Pyodide 0.29 runs Python 3.13: a host 3.13 lets `pyodide py-compile` run.
# pyodide-build needs Python >= 3.12. Each candidate is run, not just found:
# a pyenv shim can exist on PATH for a version that is not activated.
PYTHON ?= $(shell for p in $(HOME)/.pyenv/versions/3.13*/bin/python3.13 python3.13 \
                          $(HOME)/.pyenv/versions/3.12*/bin/python3.12 python3.12; do \
                    "$$p" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1 \
                    && { command -v "$$p"; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
CHROMIUM := /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
PORT ?= 8000
# Material's instant navigation needs site_url to match where the site is served.
export SITE_URL ?= http://127.0.0.1:$(PORT)/

export NO_MKDOCS_2_WARNING := 1
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: help setup build serve lint test test-fast test-pyodide bench wordlists clean

help:
	@echo "make serve  — собрать сайт и открыть его на http://127.0.0.1:$(PORT)"
	@echo "make test   — весь набор тестов (модульные, свойства, Pyodide, Playwright)"
	@echo "make lint   — проверка стиля: ruff, ESLint, Prettier, tsc"
	@echo "make test-fast — быстрые тесты: модульные, свойства, файлы сайта (около 35 с, на всех ядрах)"
	@echo "make test-pyodide — только модульные тесты внутри Pyodide (Node)"

$(BIN)/.installed: pyproject.toml
	@test -n "$(PYTHON)" || { echo "Нужен Python 3.12 или 3.13 (pyenv или PATH)." >&2; exit 1; }
	@echo "→ виртуальное окружение ($(PYTHON))"
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

node_modules/.installed: package.json package-lock.json
	@echo "→ npm-пакеты"
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

$(CHROMIUM):
	@echo "→ Chromium из пакетов Debian"
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium fonts-dejavu-core

setup: $(BIN)/.installed node_modules/.installed

build: setup
	$(BIN)/mkdocs build --strict --quiet

# Builds served on this machine keep site_url on 127.0.0.1 (sitebuild/headers_hook.py
# stops a deploy build that does); the setting reaches the build these targets run.
serve test test-fast bench: export SITE_LOCAL := 1

serve: build
	$(BIN)/python -m sitebuild.serve site --port $(PORT)

# Style: ruff for Python (lint and format), ESLint and Prettier for the JavaScript and
# CSS, and TypeScript's compiler over the browser files' JSDoc (nothing emitted).
JS_STYLED := "web/**/*.{js,mjs,css}" "docs/assets/*.{js,css}" "docs/hooks/*.js" "bench/static/*.{js,mjs}" "tests/**/*.mjs"
lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	npx --no-install eslint .
	npx --no-install prettier --check --log-level=warn $(JS_STYLED)
	npx --no-install tsc -p tsconfig.json
	npx --no-install tsc -p tsconfig.worker.json

# Coverage of recovery_core (branches) must stay at 95 % or more.
test: lint $(CHROMIUM)
	$(BIN)/python -m pytest --cov=recovery_core --cov-branch --cov-report=term --cov-fail-under=95

# The core and the built files without a browser or Pyodide, on every core (pytest-xdist)
# and with a quarter of the Hypothesis examples (tests/property/examples.py): 76 s -> 34 s
# on 2 cores. `make test` stays serial and draws every example: on 2 cores its e2e layer
# on two workers was no faster (710 s; each worker's Chromium boots Pyodide) and flaked.
test-fast: setup
	PROPERTY_EXAMPLES=0.25 $(BIN)/python -m pytest -m "unit or property or site" -n auto

test-pyodide: setup
	$(BIN)/python -m tests.pyodide.runner

# Simulator vs bare Pyodide in headless Chromium: prints a table, writes bench/report.json.
bench: setup $(CHROMIUM)
	$(BIN)/python -m bench.run

# Regenerate the password check's frequency lists (recovery_core/data/ru_frequent_*.txt)
# from wordfreq and pymorphy3, in a throwaway environment; commit the result.
wordlists:
	@test -x .venv-wordlists/bin/python || $(PYTHON) -m venv .venv-wordlists
	.venv-wordlists/bin/python -m pip install --quiet wordfreq==3.1.1 pymorphy3==2.0.6 pymorphy3-dicts-ru==2.4.417150.4580142
	.venv-wordlists/bin/python tools/ru_wordlists.py

clean:
	rm -rf site .cache .pytest_cache .hypothesis .coverage htmlcov
