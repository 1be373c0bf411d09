# Tend: `make demo` runs it with demo data, `make test` runs the tests.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PG_TEST_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test

.PHONY: demo serve test test-sqlite test-postgres bench lint i18n clean

$(VENV)/.run: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -e .
	touch $@

$(VENV)/.dev: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -e '.[dev]'
	touch $@ $(VENV)/.run

demo: $(VENV)/.run
	$(BIN)/tend demo

serve: $(VENV)/.run
	$(BIN)/tend serve

# SQLite always; PostgreSQL too under CI (CI=true) or when TEND_TEST_POSTGRES=1.
test: $(VENV)/.dev
	$(BIN)/python -m pytest -q
	@if [ "$$CI" = "true" ] || [ "$$TEND_TEST_POSTGRES" = "1" ]; then \
		echo "== again on PostgreSQL ($(PG_TEST_URL)) =="; \
		TEND_TEST_DATABASE_URL=$(PG_TEST_URL) $(BIN)/python -m pytest -q -m "not sqlite_only"; \
	fi

test-sqlite: $(VENV)/.dev
	$(BIN)/python -m pytest -q

test-postgres: $(VENV)/.dev
	TEND_TEST_DATABASE_URL=$(PG_TEST_URL) $(BIN)/python -m pytest -q

# BENCH_ARGS go to every benchmark (--quick, --db, --pg-url, --max-minutes, --[no-]peer);
# API_BENCH_ARGS, MAIL_BENCH_ARGS and CHAT_BENCH_ARGS to one each (--json FILE, --n, ...).
bench: $(VENV)/.dev
	$(BIN)/python benchmarks/api.py $(BENCH_ARGS) $(API_BENCH_ARGS)
	$(BIN)/python benchmarks/email_ingest.py $(BENCH_ARGS) $(MAIL_BENCH_ARGS)
	$(BIN)/python benchmarks/chat.py $(BENCH_ARGS) $(CHAT_BENCH_ARGS)

lint: $(VENV)/.dev
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy

i18n: $(VENV)/.dev
	$(BIN)/pybabel extract -F babel.cfg --project=Tend --copyright-holder="The Tend authors" -o src/tend/i18n/messages.pot src/tend
	$(BIN)/pybabel update -i src/tend/i18n/messages.pot -d src/tend/i18n/locales

clean:
	rm -rf $(VENV) tend-data tend-demo-data .pytest_cache .mypy_cache .ruff_cache
