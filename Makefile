# Two commands on a fresh machine with Python 3.11: `make run` and `make test`.
# Each creates .venv by itself, installing the pinned versions from requirements.lock.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SAMPLE_DB := $(VENV)/sample-workspace.duckdb

.PHONY: run test bench deadcode lock clean

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[dev]' \
		--config-settings editable_mode=compat  # a path in a .pth: no finder imported at every start
	touch $(STAMP)

run: $(STAMP)  ## open the console on sample_files/ (a workspace of its own under .venv)
	$(BIN)/sibtui --db $(SAMPLE_DB) sample_files/

test: $(STAMP)  ## the whole test suite, on both cores (pytest-xdist)
	$(BIN)/python -m pytest -n 2

bench: $(STAMP)  ## performance figures (not part of the tests)
	$(BIN)/python -m bench

deadcode: $(STAMP)  ## names nothing seems to use (a list to read: vulture guesses)
	$(BIN)/vulture sibtui tests bench tools --min-confidence 60

lock: $(STAMP)  ## refresh requirements.lock from the current environment
	$(BIN)/python -m pip freeze --exclude-editable --disable-pip-version-check > requirements.lock

clean:
	rm -rf $(VENV) .pytest_cache
