# The two commands a user needs: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
OUT ?= out

.PHONY: setup run test lint clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip
	$(BIN)/python -m pip install -e '.[dev]'
	touch $@

## Extract events from the sample articles and print a summary.
run: setup
	$(BIN)/newsevents extract corpus/samples -o $(OUT)/events.jsonl --documents $(OUT)/documents.jsonl

## The whole test suite (unit and slow real-model tests), plus lint and types.
test: setup
	$(BIN)/ruff check pipeline tests bench
	$(BIN)/mypy
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) $(OUT) build *.egg-info
