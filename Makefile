# Two commands: `make run` (SQLite + demo data on http://127.0.0.1:5000) and `make test`.
# `make run PORT=5001` serves a second instance beside the first; `make stack` / `make
# stack-stop` start and stop nginx + two web processes + worker + scheduler (deploy/stack.sh).
PY ?= python3
PORT ?= 5000
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := wsgi
SECRET_FILE := instance/secret_key
# Encryption keys for sensitive personal information (jobfair/crypto.py), made once like the
# secret key; kept out of the database, exports and backups of it.
DATA_KEYS_FILE := instance/data_keys
INDEX_KEY_FILE := instance/blind_index_key
RUN_ENV = JOBFAIR_SECRET_KEY=$$(cat $(SECRET_FILE)) JOBFAIR_DATA_KEYS=$$(cat $(DATA_KEYS_FILE)) \
	JOBFAIR_BLIND_INDEX_KEY=$$(cat $(INDEX_KEY_FILE))

.PHONY: run test install install-test vendor db seed lint audit fuzz bench-search bench-matching bench-live bench-soak clean stack stack-stop

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed vendor

# Front-end libraries from npm (package-lock.json), copied to static/vendor/: never a CDN.
VENDOR_FILES := node_modules/socket.io-client/dist/socket.io.min.js \
	node_modules/echarts/dist/echarts.min.js \
	node_modules/hls.js/dist/hls.min.js node_modules/hls.js/dist/hls.worker.js \
	node_modules/mpegts.js/dist/mpegts.js node_modules/mpegts.js/dist/mpegts.js.LICENSE.txt

static/vendor/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	mkdir -p static/vendor
	cp $(VENDOR_FILES) static/vendor/
	cp node_modules/socket.io-client/LICENSE static/vendor/socket.io-client.LICENSE
	cp node_modules/echarts/LICENSE static/vendor/echarts.LICENSE
	cp node_modules/hls.js/LICENSE static/vendor/hls.js.LICENSE
	cp node_modules/mpegts.js/LICENSE static/vendor/mpegts.js.LICENSE
	touch $@

vendor: static/vendor/.installed

# axe-core, a devDependency, for the accessibility browser tests (tests/test_access_axe.py
# injects node_modules/axe-core/axe.min.js into each page; it is never served).
node_modules/.axe-installed: package.json package-lock.json static/vendor/.installed
	test -f node_modules/axe-core/axe.min.js || npm ci --no-audit --no-fund --loglevel=error
	touch $@

install-test: $(VENV)/.installed-test vendor node_modules/.axe-installed

$(SECRET_FILE):
	mkdir -p instance
	$(BIN)/python -c "import secrets; print(secrets.token_hex(32))" > $@
	chmod 600 $@

$(DATA_KEYS_FILE): | $(BIN)/python
	mkdir -p instance
	$(BIN)/python -c "import base64, os; print('k1:' + base64.urlsafe_b64encode(os.urandom(32)).decode().rstrip('='))" > $@
	chmod 600 $@

$(INDEX_KEY_FILE): | $(BIN)/python
	mkdir -p instance
	$(BIN)/python -c "import base64, os; print(base64.urlsafe_b64encode(os.urandom(32)).decode().rstrip('='))" > $@
	chmod 600 $@

db: install $(SECRET_FILE) $(DATA_KEYS_FILE) $(INDEX_KEY_FILE)
	$(RUN_ENV) $(BIN)/flask db upgrade

seed: db
	$(RUN_ENV) $(BIN)/flask seed

run: seed
	$(RUN_ENV) $(BIN)/flask run --host 127.0.0.1 --port $(PORT) --with-threads

test: install-test
	bash scripts/ensure_chromium.sh
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python scripts/run_tests.py

lint: install-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Known-vulnerability scan of the installed dependencies. pip-audit needs a vulnerability
# database (PyPI's JSON API or OSV); where none is reachable it says so and this target
# reports that instead of failing the build (see SECURITY.md, "Dependency audit").
audit: install-test
	@$(BIN)/python scripts/audit.py

# The OpenAPI fuzz run at full size: 25 generated requests per operation and role.
fuzz: install-test
	JOBFAIR_FUZZ_EXAMPLES=25 $(BIN)/python -m pytest tests/test_api_fuzz.py -q -s -p no:cacheprovider

stack: install
	bash deploy/stack.sh start

stack-stop:
	bash deploy/stack.sh stop

bench-search: install-test
	bash scripts/ensure_wrk.sh
	$(BIN)/python bench/search.py --queries 2000 --no-cache

bench-matching: install-test
	$(BIN)/python bench/matching.py

bench-live: install-test
	$(BIN)/python bench/live.py

bench-soak: install-test
	$(BIN)/python bench/soak.py

clean:
	rm -rf $(VENV) instance/jobfair.sqlite*
