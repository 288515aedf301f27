# Two commands on a fresh machine: `make build` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
DBT := $(BIN)/dbt
export DBT_PROFILES_DIR := $(CURDIR)/profiles
# The shipped demo exports were generated for this reference date; building them "as of" it keeps results stable.
DEMO_REFERENCE_DATE := 2026-10-31
DEMO_VARS := {raw_dir: data/demo, reference_date: $(DEMO_REFERENCE_DATE)}

.PHONY: setup build docs lint test bench demo-data lock clean

$(VENV)/.installed: requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -r requirements.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

setup: $(VENV)/.installed

## build: install, then build the warehouse (warehouse.duckdb) on the shipped demo exports, then the docs
build: setup
	$(DBT) build --vars '$(DEMO_VARS)'
	$(DBT) docs generate --vars '$(DEMO_VARS)'

docs: setup
	$(DBT) docs generate --vars '$(DEMO_VARS)'
	@echo "Lineage docs: $(BIN)/dbt docs serve --profiles-dir profiles  (or open target/index.html)"

## lint: sqlfluff with the dbt templater (compiles against warehouse.duckdb: run `make build` first)
lint: setup
	$(BIN)/sqlfluff lint --processes 2 models tests/dbt

## test: install, then every test: pytest builds the demo (dbt data + unit tests), lints with sqlfluff, runs the
## bad-input corpus, compares with the generator's truth, and builds on a PostgreSQL server it starts
test: setup
	$(BIN)/python -m segwarehouse.pgserver ensure-installed
	$(BIN)/pytest

## bench: generate the bench tier (1M contacts, 5M orders, 20M email events), then time the floor (DuckDB reading
## every file once), a full `dbt build` and an incremental one after one more day; results in target/bench and README
bench: setup
	$(BIN)/python -m segwarehouse.bench

demo-data: setup
	$(BIN)/python -m segwarehouse.generate --scale demo --seed 42 --reference-date $(DEMO_REFERENCE_DATE) \
		--out data/demo --truth-dir tests/fixtures/demo_truth

lock:  ## regenerate requirements.txt from requirements.in
	rm -rf /tmp/segments-lock && $(PYTHON) -m venv /tmp/segments-lock
	/tmp/segments-lock/bin/pip install --quiet -r requirements.in
	/tmp/segments-lock/bin/pip freeze > requirements.txt

clean:
	rm -rf $(VENV) target logs warehouse.duckdb
