# The two commands of the README: `make demo` and `make test`. Each sets itself up first:
# a virtualenv, the project installed into it, and a Chromium that Playwright can drive.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
BROWSER_STAMP := $(VENV)/.chromium
IMAP_STAMP := $(VENV)/.dovecot
POSTGRES_STAMP := $(VENV)/.postgres
PUSHGATEWAY_STAMP := $(VENV)/.pushgateway

.PHONY: setup demo test lint bench clean

setup: $(STAMP) $(BROWSER_STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev,portal]'
	touch $@

$(BROWSER_STAMP): $(STAMP) scripts/ensure-chromium.sh
	scripts/ensure-chromium.sh $(BIN)
	touch $@

# The IMAP tests need a real IMAP server program (the tests start and stop it themselves).
$(IMAP_STAMP): $(STAMP) scripts/ensure-dovecot.sh
	scripts/ensure-dovecot.sh
	touch $@

demo: setup
	$(BIN)/tracesctl demo

# The shared-ledger tests need a real PostgreSQL server program (the tests start their own cluster).
$(POSTGRES_STAMP): $(STAMP) scripts/ensure-postgres.sh
	scripts/ensure-postgres.sh
	touch $@

# The suite runs in pytest-xdist worker processes, one per CPU of the 2-CPU machines it is timed on
# (docs/development.md: Tests and benchmarks); `make test TEST_WORKERS=0` runs it in one process. worksteal: an
# idle worker takes tests queued for the other, so a few long tests do not leave a CPU idle at the end.
TEST_WORKERS ?= 2

# The metrics tests push to a real Prometheus Pushgateway (the tests start their own).
$(PUSHGATEWAY_STAMP): $(STAMP) scripts/ensure-pushgateway.sh
	scripts/ensure-pushgateway.sh
	touch $@

test: setup $(IMAP_STAMP) $(POSTGRES_STAMP) $(PUSHGATEWAY_STAMP)
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist worksteal

lint: setup
	$(BIN)/ruff check automation flows tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

bench: setup
	$(BIN)/python bench/bench_login.py
	$(BIN)/python bench/bench_help.py
	$(BIN)/python bench/bench_keepalive.py
	$(BIN)/python bench/bench_approvals.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
