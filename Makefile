VENV := .venv
BIN := $(VENV)/bin
PYTHON ?= python3
HOST ?= 127.0.0.1:8000

.PHONY: run install axe test bench screenshots lint demo messages clean

# Links in mails and open data point at the address that serves them (SITE_URL).
run: install
	$(BIN)/profploeg migrate --noinput
	SITE_URL=http://$(HOST) $(BIN)/profploeg demo
	SITE_URL=http://$(HOST) $(BIN)/profploeg runserver $(HOST)

install: $(BIN)/.installed

$(BIN)/.installed: pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

# axe-core (npm) for the accessibility tests in src/profploeg/e2e; without npm they are skipped.
axe:
ifneq ($(shell command -v npm),)
axe: node_modules/axe-core/axe.min.js
node_modules/axe-core/axe.min.js: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@
endif

test: install axe
	$(BIN)/ruff check src benchmarks
	$(BIN)/profploeg makemigrations --check --dry-run
	$(BIN)/profploeg test profploeg --parallel 2 --noinput

# Every benchmark at 1x, 10x and 100x the demo (benchmarks/README.md), on SQLite and, when
# DATABASE_URL points at PostgreSQL, on a throw-away database there too: make bench SIZES="1 10".
SIZES ?= 1 10 100
bench: install
	$(BIN)/python benchmarks/run.py $(SIZES)

# The README's screenshots (docs/screenshots), taken of the demo in Chromium.
screenshots: install
	PROFPLOEG_E2E=1 PROFPLOEG_SCREENSHOTS=1 $(BIN)/profploeg test profploeg.e2e.tests.test_screenshots --noinput

lint: install
	$(BIN)/ruff check --fix src benchmarks
	$(BIN)/ruff format src benchmarks

# English is the source language (the msgids): only the Dutch catalogue is kept.
messages: install
	cd src/profploeg && ../../$(BIN)/profploeg makemessages -l nl_BE --no-obsolete
	cd src/profploeg && ../../$(BIN)/profploeg compilemessages -l nl_BE

clean:
	rm -rf $(VENV) profploeg.sqlite3 media staticfiles
