# tinylab — the two Quickstart commands are `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test test-long test-all lint bench ceiling columns install-size clean

# every extra (dev includes all), with torch held to its CPU build by constraints/cpu.txt
$(STAMP): pyproject.toml constraints/cpu.txt
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints/cpu.txt -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## Train the semantic-types model with its default spec, end to end (data, train, evaluate, report).
run: $(STAMP)
	$(BIN)/tinylab train semantic-types

## The test suite (what .ci/run calls), with ruff first.
test: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/pytest -q

## The long tests (several worker processes, a PostgreSQL server); .ci/run runs them after `make test`.
test-long: $(STAMP)
	$(BIN)/pytest -q -m long

## Every test in one run: the default suite and the long ones (crash and kill tests, full disk, servers,
## several workers), with ruff first. .ci/run runs the same tests as `make test` then `make test-long`.
test-all: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/pytest -q -m "long or not long"

## Benchmarks (not part of the test suite); the bench extra adds the vega_datasets tables.
$(VENV)/.bench-installed: $(STAMP)
	$(BIN)/pip install --quiet -c constraints/cpu.txt -e '.[dev,bench]'
	touch $@

bench: $(VENV)/.bench-installed
	$(BIN)/python bench/semantic_types_speed.py
	$(BIN)/python bench/semantic_types_speed.py --model semantic-types-int8 --rows 1000
	$(BIN)/python bench/semantic_types_speed.py --model semantic-types-extended --profile-only
	$(BIN)/python bench/onnx_serving.py
	$(BIN)/python bench/profile_real.py
	$(BIN)/python bench/profile_real.py --no-categorical
	$(BIN)/python bench/profile_real.py --model semantic-types
	$(BIN)/python bench/profile_categorical_heldout.py
	$(BIN)/python bench/profile_heldout.py
	$(BIN)/python bench/profile_heldout.py --set profile_heldout2
	$(BIN)/python bench/profile_scale.py
	$(BIN)/python bench/json_repair_bench.py
	$(BIN)/python bench/word_rarity_bench.py
	$(BIN)/python bench/word_rarity_ceiling.py

## Fit the shipped extended model's column model again (generated columns only; ~25 s; same bytes).
columns: $(STAMP)
	$(BIN)/tinylab fit-columns semantic-types-extended

## The accuracy ceilings of both taxonomies' test splits (a few minutes of generation).
ceiling: $(STAMP)
	$(BIN)/python bench/semantic_types_ceiling.py
	$(BIN)/python bench/semantic_types_ceiling.py --taxonomy taxonomy-extended.yaml

## The size of the base install (no extras) in a fresh virtualenv, and a prediction made with it.
install-size:
	bash bench/install_size.sh

clean:
	rm -rf $(VENV) runs build *.egg-info src/*.egg-info
