# Two commands do everything on a fresh machine:
#   make run    set up the venv, then run the pipeline on seeds/ into data/
#   make test   set up the venv, then run the test suite
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
export PREFECT_SERVER_ANALYTICS_ENABLED := false

SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: setup run test baseline browser lock clean

setup: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

run: setup
	$(PY) -m pipeline run --input seeds --output data

# The report test drives Debian's Chromium (with CJK fonts) through Playwright: installed here where missing.
browser:
	@command -v chromium >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qi "noto sans cjk" || \
	  { echo "installing chromium and CJK fonts (Debian packages)"; \
	    $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; }

test: setup browser
	$(PY) -m pytest -q

# Rebuild the committed baseline (data/) after a meant change of the pipeline; commit it with the change.
baseline: setup
	rm -rf data
	$(PY) -m pipeline run --input seeds --output data

lock: setup
	$(PY) -m pip freeze --exclude-editable > constraints.txt.new && mv constraints.txt.new constraints.txt

clean:
	rm -rf $(VENV) .pytest_cache
