# The two commands (see README):  make report   and   make test
# Both create a local virtual environment in .venv on first use; only python3 is needed.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell $(PYTHON) -c "import hashlib,sys;print(hashlib.sha1(open('pyproject.toml','rb').read()).hexdigest()[:12])")

.PHONY: report test setup clean benchmark

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test,plot,pandas]"
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

setup: $(STAMP)

## Main job: the report over the bundled real data, written to report/
report: $(STAMP)
	$(BIN)/almech report --output report

## Whole test suite (unit, property, differential, regression, doctests, notebooks)
test: $(STAMP)
	$(BIN)/python -m pytest -p no:cacheprovider --hypothesis-profile=ci -q

benchmark: $(STAMP)
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) report .pytest_cache .hypothesis
