# Two commands for a newcomer: `make run` (the app on the bundled data) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8501

.PHONY: run test test-fast lint format bench browser-deps deploy-deps oidc-deps data clean

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/streamlit run server.py --server.address 127.0.0.1 --server.port $(PORT) \
		--browser.gatherUsageStats false

# Browser tests need Debian's Chromium; on a machine without it run `make browser-deps` once
# (as root), or they are skipped locally and fail in CI.
test: $(STAMP)
	$(BIN)/python -m pytest

test-fast: $(STAMP)
	$(BIN)/python -m pytest tests/scoring

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check scoring tests tools app_ui app_pages app.py server.py
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff format scoring tests tools app_ui app_pages app.py server.py
	$(BIN)/ruff check --fix .

bench: $(STAMP)
	$(BIN)/python -m tools.bench
	$(BIN)/python -m tools.bench_ui
	$(BIN)/python -m tools.bench_pages

browser-deps:
	apt-get update -qq && apt-get install -y -qq chromium fonts-noto-core

# The deployment tests (tests/deploy) also need Debian's nginx (as root, once), Node.js 20+ and
# the test OpenID Connect provider's packages (tools/oidc, exactly as package-lock.json pins them).
deploy-deps: browser-deps
	apt-get install -y -qq nginx

oidc-deps:
	npm ci --prefix tools/oidc --no-audit --no-fund

# Rebuild data/ from the seed documents in ../shared/seeds (see data/PROVENANCE.md).
data: $(STAMP)
	$(BIN)/python -m tools.build_data

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache test-artifacts
