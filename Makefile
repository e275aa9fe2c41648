VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
EXAMPLE ?= examples/cloud-migration.yaml

.PHONY: run demo-cli test lint typecheck unit bench clean

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# the team server on a demo database (.demo/techpm.db, seeded once from examples/); Ctrl-C stops it
run: $(STAMP)
	$(VENV)/bin/techpm demo

# the command line alone: check and schedule one example plan
demo-cli: $(STAMP)
	$(VENV)/bin/techpm check $(EXAMPLE)
	$(VENV)/bin/techpm schedule $(EXAMPLE)

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/ruff format --check src tests bench
	$(VENV)/bin/lint-imports

typecheck: $(STAMP)
	$(VENV)/bin/mypy src

unit: $(STAMP)
	$(VENV)/bin/pytest

test: lint typecheck unit

bench: $(STAMP)
	$(PY) bench/cpm.py

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
