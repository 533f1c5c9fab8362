# Two commands do everything on a fresh machine:
#   make run    set up the venv, then run the pipeline on seeds/ into data/
#   make test   set up the venv, then run the test suite
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
export PREFECT_SERVER_ANALYTICS_ENABLED := false

.PHONY: setup run test baseline lock clean

setup: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

run: setup
	$(PY) -m pipeline run --input seeds --output data

test: setup
	$(PY) -m pytest -q

# Rebuild the committed baseline (data/) after a meant change of the pipeline; commit it with the change.
baseline: setup
	rm -rf data
	$(PY) -m pipeline run --input seeds --output data

lock: setup
	$(PY) -m pip freeze --exclude-editable > constraints.txt.new && mv constraints.txt.new constraints.txt

clean:
	rm -rf $(VENV) .pytest_cache
