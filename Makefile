# The two commands a user needs: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
OUT ?= out

.PHONY: setup run test train accuracy-report lint clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip
	$(BIN)/python -m pip install -e '.[dev]'
	touch $@

## Extract events from the sample articles and print a summary.
run: setup
	$(BIN)/newsevents extract corpus/samples -o $(OUT)/events.jsonl --documents $(OUT)/documents.jsonl

## The whole test suite (unit and slow real-model tests), lint, types, import cycles and the accuracy gate.
test: setup
	$(BIN)/ruff check pipeline tests bench scripts
	$(BIN)/mypy
	$(BIN)/python scripts/check_imports.py pipeline
	$(BIN)/python -m pytest
	mkdir -p $(OUT)
	$(BIN)/newsevents evaluate --gold corpus/gold/dev.jsonl --check-floors corpus/gold/floors.json > $(OUT)/floors-check.md
	@echo "accuracy floors on dev hold (corpus/gold/floors.json)"

## Train the shipped models on corpus/gold/train.jsonl (CPU, fixed seeds, about 45 minutes on 2 cores);
## dev chooses the thresholds, the learned roles and the L2 of the date and referent choosers.
## Rewrites models/tagger.v1, models/argtagger.v1, models/timeline.v1 and models/referents.v1.
train: setup
	$(BIN)/python scripts/train_tagger.py
	$(BIN)/python scripts/tune_hybrid.py
	$(BIN)/python scripts/train_argtagger.py
	$(BIN)/python scripts/choose_arg_roles.py
	$(BIN)/python scripts/train_timeline.py
	$(BIN)/python scripts/train_referents.py

## The sealed test split, scored only when a model or rule set is released: rewrites README's accuracy tables.
accuracy-report: setup
	$(BIN)/python scripts/accuracy_report.py

clean:
	rm -rf $(VENV) $(OUT) build *.egg-info
