# Two commands on a fresh machine with Python 3.11+ and make:
#   make site   - create .venv, install, analyze model/ and build the site into site/
#   make test   - the same set-up, then the whole test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: site test venv clean bench schema

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit("threatplan needs Python 3.11+") if sys.version_info < (3, 11) else None'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

venv: $(STAMP)

site: $(STAMP)
	$(BIN)/threatplan build model/ --out site

test: $(STAMP)
	$(BIN)/python -m pytest -q

schema: $(STAMP)
	$(BIN)/threatplan schema -o schema/threatplan-model.schema.json

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_validate.py

clean:
	rm -rf site site_src/generated .threatplan-cache build dist
