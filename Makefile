VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
EXAMPLE ?= examples/cloud-migration.yaml

VENDOR := src/techpm/server/ui/static/vendor
WEB := $(VENDOR)/.copied

.PHONY: run demo-cli test lint typecheck unit bench clean

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# the browser components of the web app, pinned in package.json and package-lock.json:
# installed by npm, then what the pages load is copied into the package's static folder
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(WEB): node_modules/.package-lock.json
	mkdir -p $(VENDOR)
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/htmx.min.js
	cp node_modules/alpinejs/dist/cdn.min.js $(VENDOR)/alpine.min.js
	cp node_modules/dhtmlx-gantt/codebase/dhtmlxgantt.js $(VENDOR)/dhtmlxgantt.js
	# the Gantt's style asks a font host for Inter: the pages load nothing from the network
	sed -E 's#@font-face\{font-family:Inter[^}]*\}##g' node_modules/dhtmlx-gantt/codebase/dhtmlxgantt.css > $(VENDOR)/dhtmlxgantt.css
	cp node_modules/echarts/dist/echarts.min.js $(VENDOR)/echarts.min.js
	cp node_modules/sortablejs/Sortable.min.js $(VENDOR)/Sortable.min.js
	cp node_modules/tabulator-tables/dist/js/tabulator.min.js $(VENDOR)/tabulator.min.js
	cp node_modules/tabulator-tables/dist/css/tabulator.min.css $(VENDOR)/tabulator.min.css
	touch $@

# the team server on a demo database (.demo/techpm.db, seeded once from examples/); Ctrl-C stops it
run: $(STAMP) $(WEB)
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

unit: $(STAMP) $(WEB)
	$(VENV)/bin/pytest

test: lint typecheck unit

bench: $(STAMP)
	$(PY) bench/cpm.py

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache node_modules $(VENDOR)
