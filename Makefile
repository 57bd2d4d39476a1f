# Sitrep: `make run` to see it work, `make test` to check it. `make help` lists the rest.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
COMPILED := .compiled
SOURCES  := $(shell find schemas domain services -name '*.py' -o -name '*.json') setup.py pyproject.toml

.DEFAULT_GOAL := help
.PHONY: help run test test-all lint format bench compiled schemas clean browser eval

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $(STAMP)

# The parser runs compiled (about 1.9x faster; built once, rebuilt after an edit).
run: $(STAMP) $(COMPILED)/.built ## install, start broker + processor + API, ingest the examples/syria-2024 story
	PYTHONPATH=$(COMPILED) $(BIN)/sitrep run --ingest examples/syria-2024

# The whole package with the parser compiled by mypyc, importable with
# PYTHONPATH=.compiled; rebuilt when any source changes (about 40 s).
$(COMPILED)/.built: $(STAMP) $(SOURCES)
	rm -rf $(COMPILED)
	SITREP_COMPILE=1 $(BIN)/pip install --quiet --no-build-isolation --no-deps --target $(COMPILED) .
	@touch $@

compiled: $(COMPILED)/.built ## build the parser compiled with mypyc into .compiled/ (about 1.9x faster)

test: $(STAMP) $(COMPILED)/.built browser ## install and run the suite (unit, integration on the embedded broker, e2e)
	$(BIN)/python -m pytest -m "not slow" -q

test-all: $(STAMP) $(COMPILED)/.built browser ## the suite including slow tests
	$(BIN)/python -m pytest -q

# The map page's browser test drives Debian's Chromium through Playwright (no
# browser download). Installed here when missing; CI runs as root.
browser: ## install Debian's chromium for the map page's browser test, if missing
	@test -x /usr/bin/chromium || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium; }

lint: $(STAMP) ## ruff, mypy --strict, and the JSON Schema drift check
	$(BIN)/ruff check schemas domain services tests bench setup.py
	$(BIN)/ruff format --check schemas domain services tests bench setup.py
	$(BIN)/mypy
	$(BIN)/python -m schemas.export --check

format: $(STAMP) ## apply ruff's formatting and import order
	$(BIN)/ruff check --fix schemas domain services tests bench setup.py
	$(BIN)/ruff format schemas domain services tests bench setup.py

schemas: $(STAMP) ## re-export schemas/json/*.json from the models
	$(BIN)/python -m schemas.export

bench: $(STAMP) $(COMPILED)/.built ## run the benchmarks under bench/ (prints figures)
	$(BIN)/python bench/parse.py
	$(BIN)/python bench/processor.py
	$(BIN)/python bench/replay.py
	@command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends wrk; }
	$(BIN)/python bench/api.py
	PYTHONPATH=$(COMPILED) $(BIN)/python bench/ingest.py

# The scorer the held-out evaluation uses, on the dev set, on our own labelled
# fixtures, and on our own small held-out set (articles no rule was written for).
SCORE := PATH=$(CURDIR)/$(BIN):$$PATH $(BIN)/python ../shared/eval/score.py --quiet
eval: $(STAMP) ## score the parser: ../shared/dev-set, tests/fixtures, tests/holdout
	$(SCORE) --set ../shared/dev-set
	$(SCORE) --set tests/fixtures --name fixtures
	$(SCORE) --set tests/holdout --name holdout

clean: ## remove the virtualenv and local state
	rm -rf $(VENV) $(COMPILED) build .sitrep .pytest_cache .mypy_cache .ruff_cache
