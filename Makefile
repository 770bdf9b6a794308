# Two commands: `make run` (SQLite + demo data on http://127.0.0.1:5000) and `make test`.
# `make run PORT=5001` serves a second instance beside the first; `make stack` / `make
# stack-stop` start and stop nginx + two web processes + worker + scheduler (deploy/stack.sh).
PY ?= python3
PORT ?= 5000
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := wsgi
SECRET_FILE := instance/secret_key

.PHONY: run test install install-test vendor db seed lint bench-search bench-matching bench-live bench-soak clean stack stack-stop

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
	node_modules/echarts/dist/echarts.min.js

static/vendor/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	mkdir -p static/vendor
	cp $(VENDOR_FILES) static/vendor/
	cp node_modules/socket.io-client/LICENSE static/vendor/socket.io-client.LICENSE
	cp node_modules/echarts/LICENSE static/vendor/echarts.LICENSE
	touch $@

vendor: static/vendor/.installed

install-test: $(VENV)/.installed-test vendor

$(SECRET_FILE):
	mkdir -p instance
	$(BIN)/python -c "import secrets; print(secrets.token_hex(32))" > $@
	chmod 600 $@

db: install $(SECRET_FILE)
	JOBFAIR_SECRET_KEY=$$(cat $(SECRET_FILE)) $(BIN)/flask db upgrade

seed: db
	JOBFAIR_SECRET_KEY=$$(cat $(SECRET_FILE)) $(BIN)/flask seed

run: seed
	JOBFAIR_SECRET_KEY=$$(cat $(SECRET_FILE)) $(BIN)/flask run --host 127.0.0.1 --port $(PORT) --with-threads

test: install-test
	bash scripts/ensure_chromium.sh
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python scripts/run_tests.py

lint: install-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

stack: install
	bash deploy/stack.sh start

stack-stop:
	bash deploy/stack.sh stop

bench-search: install-test
	$(BIN)/python bench/search.py

bench-matching: install-test
	$(BIN)/python bench/matching.py

bench-live: install-test
	$(BIN)/python bench/live.py

bench-soak: install-test
	$(BIN)/python bench/soak.py

clean:
	rm -rf $(VENV) instance/jobfair.sqlite*
