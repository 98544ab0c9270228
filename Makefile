# Rankfile: `make run` sets up and starts the demo; `make test` sets up and runs the whole suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
export RANKFILE_DATA_DIR ?= $(CURDIR)/var
BIND ?= 127.0.0.1:8000
# The server listens here, and links in email point here unless RANKFILE_BASE_URL names another address.
export RANKFILE_BIND := $(BIND)

.PHONY: install run test soak check lint screens bench bench-ledger bench-org bench-import bench-vault bench-tracker bench-pages clean help

help:
	@echo "make run    set up (first time) and serve the demo on http://$(BIND)"
	@echo "make test   set up (first time) and run the whole test suite"
	@echo "make soak   the crash and concurrency tests at length: 300 reports, two kills; 50 people for 3 minutes"
	@echo "make check  lint, format, types, layers, migrations, known vulnerabilities in the locks, deploy check"
	@echo "make screens  the main pages as images in docs/screens/ (needs /usr/bin/chromium)"
	@echo "make install  only create .venv with the locked dependencies (for a production install)"
	@echo "make bench  run the benchmarks (bench-ledger installs pymerkle, for comparison, into .venv; bench-org)"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# pip itself comes first from a hash-locked file, so the interpreter's bundled pip (23.2 with Python 3.11, which
# cannot check hashes of a dependency asked for with an extra) only ever installs pip, setuptools and wheel.
PIP := $(BIN)/python -m pip --disable-pip-version-check

# Locked dependencies (hashes checked), then Rankfile itself in editable mode.
$(VENV)/.base-installed: $(BIN)/python requirements/build.lock requirements/base.lock pyproject.toml
	$(PIP) install --quiet --require-hashes -r requirements/build.lock
	$(PIP) install --quiet --require-hashes -r requirements/base.lock
	$(PIP) install --quiet --no-deps --no-build-isolation -e .
	touch $@

$(VENV)/.test-installed: $(VENV)/.base-installed requirements/test.lock
	$(PIP) install --quiet --require-hashes -r requirements/test.lock
	touch $@

install: $(VENV)/.base-installed

run: $(VENV)/.base-installed
	$(BIN)/rankfile migrate --noinput --verbosity 0
	$(BIN)/rankfile demo
	$(BIN)/rankfile serve

# Browser tests drive Debian's /usr/bin/chromium; without it they are skipped (in CI they fail).
test: $(VENV)/.test-installed
	@if [ ! -x /usr/bin/chromium ]; then echo "No /usr/bin/chromium: the browser tests will be skipped (apt-get install chromium)"; fi
	@$(BIN)/pytest $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests: the selection or the suite is missing"; fi; \
	exit $$rc

# The resilience tests (tests/resilience) at length; the suite runs them short. SOAK_DATABASE_RESTART, on PostgreSQL,
# is a command that restarts a database server this run owns (never a shared one), e.g. pg_ctl -D DIR -m fast restart.
SOAK_REPORTS ?= 300
SOAK_KILLS ?= 2
SOAK_AT_ONCE ?= 16
SOAK_USERS ?= 50
SOAK_SECONDS ?= 180
SOAK_WORKERS ?= 4
SOAK_DATABASE_RESTART ?=
soak: export RANKFILE_SOAK_REPORTS = $(SOAK_REPORTS)
soak: export RANKFILE_SOAK_KILLS = $(SOAK_KILLS)
soak: export RANKFILE_SOAK_AT_ONCE = $(SOAK_AT_ONCE)
soak: export RANKFILE_SOAK_USERS = $(SOAK_USERS)
soak: export RANKFILE_SOAK_SECONDS = $(SOAK_SECONDS)
soak: export RANKFILE_SOAK_WORKERS = $(SOAK_WORKERS)
soak: export RANKFILE_SOAK_DATABASE_RESTART = $(SOAK_DATABASE_RESTART)
soak: $(VENV)/.test-installed
	$(BIN)/pytest -p no:randomly -p no:cacheprovider tests/resilience $(PYTEST_ARGS)

# The main pages of the demo as images (docs/screens/, shown in the README), from the browser test that checks them.
screens: $(VENV)/.test-installed
	RANKFILE_SCREENS_DIR=$(CURDIR)/docs/screens $(BIN)/pytest -q tests/browser/test_screens.py

check: $(VENV)/.test-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy rankfile tests bench
	$(BIN)/lint-imports
	$(BIN)/rankfile makemigrations --check --dry-run
	$(BIN)/python requirements/audit.py
	RANKFILE_BASE_URL=https://rankfile.example.org RANKFILE_EMAIL_BACKEND=smtp \
	RANKFILE_SECRET_KEY=check-deploy-$$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n') \
	$(BIN)/rankfile check --deploy --fail-level WARNING

lint: check

bench: bench-ledger bench-org bench-import bench-vault bench-tracker

bench-ledger: $(VENV)/.test-installed
	$(PIP) install --quiet --require-hashes -r requirements/bench.lock
	$(BIN)/python -m bench.ledger $(BENCH_ARGS)

bench-org: $(VENV)/.test-installed
	$(BIN)/python -m bench.org $(BENCH_ARGS)

bench-import: $(VENV)/.test-installed
	$(BIN)/python -m bench.member_import $(BENCH_ARGS)

bench-vault: $(VENV)/.test-installed
	$(BIN)/python -m bench.vault $(BENCH_ARGS)

bench-tracker: $(VENV)/.test-installed
	$(BIN)/python -m bench.tracker $(BENCH_ARGS)

bench-pages: $(VENV)/.test-installed
	$(BIN)/python -m bench.pages $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
