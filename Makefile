# Alle Türen offen – the two commands: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
FLASK  := $(BIN)/flask --app wsgi
PG_URL ?= postgresql://postgres@127.0.0.1:5432/test
# the suite runs in one process per core; `make test TEST_WORKERS=0` runs it in one
TEST_WORKERS ?= auto

.PHONY: run test lint bench clean translations
.DEFAULT_GOAL := run

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-app: setup.cfg setup.py pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: setup.cfg setup.py pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed-app

## run: install, migrate, seed demo data on first run, print the staff login, serve on :5000
run: $(VENV)/.installed-app
	$(FLASK) db upgrade
	$(FLASK) campaign seed-demo --if-empty
	@$(FLASK) campaign demo-admin
	@echo "Alle Türen offen läuft auf http://127.0.0.1:5000 (Anmeldung für Betriebe: /mitmachen). Beenden mit Strg+C."
	$(FLASK) run --host 127.0.0.1 --port 5000

## lint: ruff
lint: $(VENV)/.installed-test
	$(BIN)/ruff check campaign tests bench wsgi.py

## test: install test tools, lint, run the whole suite (PostgreSQL too when a server answers)
test: lint
	@if [ -z "$$TEST_DATABASE_URL" ] && $(BIN)/python -c "import socket; socket.create_connection(('127.0.0.1', 5432), 1)" 2>/dev/null; then \
		echo "PostgreSQL answers on 127.0.0.1:5432: the suite runs on SQLite and PostgreSQL."; \
		export TEST_DATABASE_URL=$(PG_URL); fi; \
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadscope $(PYTEST_ARGS)

## translations: extract the public pages' strings and merge them into every catalogue
## (campaign/translations/<locale>/LC_MESSAGES/messages.po; .mo files are never built or committed)
POT := $(VENV)/messages.pot
translations: $(VENV)/.installed-app
	$(BIN)/pybabel --quiet extract -F babel.cfg -k _l -k lazy_pgettext:1c,2 --add-location=file \
		--sort-by-file --project "Alle Türen offen" -o $(POT) .
	$(BIN)/pybabel --quiet update -i $(POT) -d campaign/translations --ignore-obsolete --width=100
	@echo "Now translate the entries that are empty or marked fuzzy; tests/test_i18n.py checks them."

## bench: benchmarks that print their figures
bench: $(VENV)/.installed-test
	@for script in bench/bench_*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) *.egg-info build dist .pytest_cache .ruff_cache
