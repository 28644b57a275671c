# The README's commands. Each bootstraps .venv on first use; re-running is cheap when nothing changed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP_APP := $(VENV)/.installed-app
STAMP_TEST := $(VENV)/.installed-test

.PHONY: run test bench eval lint screenshots clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP_APP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[serve]'
	touch $@

$(STAMP_TEST): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test,serve]'
	touch $@ $(STAMP_APP)

run: $(STAMP_APP)
	$(BIN)/basewatch $(ARGS)

test: $(STAMP_TEST)
	$(BIN)/python -m ruff check analysis tui themes tests bench evaluation
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(STAMP_TEST)
	$(BIN)/python -m bench $(ARGS)

eval: $(STAMP_TEST)
	$(BIN)/python -m evaluation $(ARGS)

screenshots: $(STAMP_TEST)
	$(BIN)/python -m tui.screenshots

lint: $(STAMP_TEST)
	$(BIN)/python -m ruff check analysis tui themes tests bench evaluation

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache
