# books2iraq — `make help` lists the targets.
PYTHON ?= python3
VENV   ?= .venv
PORT   ?= 5000
BIND   ?= 127.0.0.1:8000
WORKERS ?= $(shell echo $$(( $$(nproc) * 2 + 1 )))
PY     := $(VENV)/bin/python
FLASK  := $(VENV)/bin/flask --app wsgi

.DEFAULT_GOAL := help
.PHONY: help install install-dev lock migrate demo run serve test lint bench clean vendor catalogues translations

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

# Two locks, both pinned with hashes: what the app needs to run, and what development adds.
$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet pip==26.3  # older pips mis-resolve pinned extras (coverage[toml]) with --require-hashes
	$(PY) -m pip install --quiet --require-hashes -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PY) -m pip install --quiet --require-hashes -r requirements.txt -r requirements-dev.txt
	touch $@

# Front-end libraries from the npm registry, pinned in package-lock.json and committed under
# books2iraq/static/vendor (served by the app: no CDN, no npm needed to run it). Re-run after changing package.json.
STATIC_VENDOR := books2iraq/static/vendor
vendor:  ## refresh the vendored front-end libraries from package-lock.json (needs npm)
	npm ci --no-audit --no-fund --ignore-scripts
	mkdir -p $(STATIC_VENDOR)/barcode-detector $(STATIC_VENDOR)/zxing-wasm
	cp node_modules/barcode-detector/dist/iife/ponyfill.js node_modules/barcode-detector/LICENSE $(STATIC_VENDOR)/barcode-detector/
	cp node_modules/zxing-wasm/dist/reader/zxing_reader.wasm node_modules/zxing-wasm/LICENSE $(STATIC_VENDOR)/zxing-wasm/
	mkdir -p $(STATIC_VENDOR)/idb $(STATIC_VENDOR)/workbox
	cp node_modules/idb/build/umd.js node_modules/idb/LICENSE $(STATIC_VENDOR)/idb/
	cp node_modules/workbox-sw/build/workbox-sw.js node_modules/workbox-sw/LICENSE $(STATIC_VENDOR)/workbox/
	for module in core routing strategies; do cp node_modules/workbox-$$module/build/workbox-$$module.prod.js $(STATIC_VENDOR)/workbox/; done

install: $(VENV)/.installed  ## create the virtualenv with what the app needs to run (requirements.txt)

install-dev: $(VENV)/.installed-dev  ## add what development and the tests need (requirements-dev.txt)

lock: install-dev  ## after editing requirements*.in: pin every package, with hashes, into requirements*.txt
	$(VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links -o requirements.txt requirements.in
	$(VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links -o requirements-dev.txt requirements-dev.in

migrate: install  ## bring the database (SQLite in instance/ unless DATABASE_URL is set) to the latest schema
	$(FLASK) db upgrade

demo: migrate  ## add demo data, only if the database has none yet
	$(FLASK) seed-demo --if-empty

# The interface's languages (books2iraq/i18n.py): the .po files are translated and committed, the .mo built.
I18N := books2iraq/translations
catalogues: install  ## compile the translations (.po into .mo); run, serve and test do it first
	$(PY) -c 'from books2iraq.i18n import compile_catalogues; compile_catalogues()'

translations: install  ## after marking text to translate: extract it into messages.pot and add it to each language's .po
	$(PY) -c 'from books2iraq.i18n import extract; extract()'
	$(VENV)/bin/pybabel -q update -i $(I18N)/messages.pot -d $(I18N) --no-fuzzy-matching --ignore-obsolete --width 110
	@echo "Now translate the new entries (msgstr \"\") in $(I18N)/*/LC_MESSAGES/messages.po, following docs/glossary.md."

# The web server and, beside it, the worker that draws long documents (stopped with it).
run: demo catalogues  ## set everything up and serve the app on http://127.0.0.1:$(PORT), with its document worker
	$(FLASK) jobs work & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(FLASK) run --host 127.0.0.1 --port $(PORT)

serve: migrate catalogues  ## production: gunicorn on $(BIND) with 2×CPUs+1 workers and the document worker (needs SECRET_KEY; DATABASE_URL for PostgreSQL)
	B2I_CONFIG=production $(FLASK) jobs work & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	B2I_CONFIG=production $(VENV)/bin/gunicorn -w $(WORKERS) -b $(BIND) --access-logfile - wsgi:app

test: install-dev catalogues  ## run the test suite on SQLite, and on PostgreSQL too wherever its server is installed
	PYTHON=$(PY) bash .ci/test.sh

lint: install-dev  ## ruff and mypy, both clean
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

bench: install-dev  ## performance figures on SQLite and PostgreSQL, printed and written to bench/results/ (needs Debian's wrk)
	PYTHON=$(PY) bash bench/run.sh

clean:  ## remove the virtualenv, caches and the local SQLite database
	rm -rf $(VENV) .pytest_cache .hypothesis .coverage instance
