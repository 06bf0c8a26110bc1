# Every target that needs Python or Node sets up what it needs first:
# .venv from uv.lock, node_modules from package-lock.json.

PYTHON ?= python3
UV_VERSION := 0.13.9
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
VENV_STAMP := $(VENV)/.synced-from-lock
NODE_STAMP := node_modules/.installed-from-lock
UPSTREAM ?= ../shared/spec/upstream/openrouter-openapi-2026-10-10.yaml

export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

.DEFAULT_GOAL := help
.PHONY: help setup generate update-spec check-drift lint typecheck pytest test demo bench clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 16

$(VENV_STAMP): pyproject.toml uv.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@test -x $(UV) || $(PY) -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	$(UV) sync --locked --all-extras --quiet
	@touch $@

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

setup: $(VENV_STAMP) $(NODE_STAMP) ## create .venv and node_modules from the lock files

generate: $(VENV_STAMP) ## regenerate generated/ from openapi.yaml
	$(PY) scripts/generate.py generate

update-spec: $(VENV_STAMP) ## re-extract openapi.yaml from UPSTREAM=<full OpenRouter spec>
	$(PY) scripts/extract_spec.py $(UPSTREAM) openapi.yaml

check-drift: $(VENV_STAMP) ## fail if openapi.yaml or generated/ differ from what UPSTREAM and the generator give
	$(PY) scripts/generate.py check $(UPSTREAM)

lint: $(VENV_STAMP) ## ruff check and format check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: $(VENV_STAMP) ## mypy --strict on overlays/, generated/, scripts/ and bench/
	$(VENV)/bin/mypy

pytest: $(VENV_STAMP) $(NODE_STAMP) ## the test suite only
	$(VENV)/bin/pytest -n 2 $(PYTEST_ARGS)

test: check-drift lint typecheck pytest ## every check: drift, lint, types, tests

demo: $(VENV_STAMP) $(NODE_STAMP) ## the activity report against a local mock of the API
	@$(PY) scripts/demo.py

bench: $(VENV_STAMP) ## benchmark against raw httpx and the official SDK (QUICK=1 for a smoke run)
	$(PY) bench/run.py $(if $(QUICK),--quick)

clean: ## remove environments, caches and build output
	rm -rf $(VENV) node_modules bench/.venv .mypy_cache .ruff_cache .pytest_cache .hypothesis .schemathesis dist build
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
