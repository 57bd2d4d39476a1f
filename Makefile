# Sitrep: `make run` to see it work, `make test` to check it. `make help` lists the rest.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help run test test-all lint format bench schemas clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $(STAMP)

run: $(STAMP) ## install, start broker + processor + API, ingest examples/articles
	$(BIN)/sitrep run --ingest examples/articles

test: $(STAMP) ## install and run the suite (unit, integration on the embedded broker, e2e)
	$(BIN)/python -m pytest -m "not slow" -q

test-all: $(STAMP) ## the suite including slow tests
	$(BIN)/python -m pytest -q

lint: $(STAMP) ## ruff, mypy --strict, and the JSON Schema drift check
	$(BIN)/ruff check schemas domain services tests bench
	$(BIN)/ruff format --check schemas domain services tests bench
	$(BIN)/mypy
	$(BIN)/python -m schemas.export --check

format: $(STAMP) ## apply ruff's formatting and import order
	$(BIN)/ruff check --fix schemas domain services tests bench
	$(BIN)/ruff format schemas domain services tests bench

schemas: $(STAMP) ## re-export schemas/json/*.json from the models
	$(BIN)/python -m schemas.export

bench: $(STAMP) ## run the benchmarks under bench/ (prints figures)
	$(BIN)/python bench/parse.py

clean: ## remove the virtualenv and local state
	rm -rf $(VENV) .sitrep .pytest_cache .mypy_cache .ruff_cache
