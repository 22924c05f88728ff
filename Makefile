# Quick start: `make` builds every handout into output/; `make test` runs the tests.
# Both set up .venv (and the Debian libraries WeasyPrint needs) on first use.
PYTHON := .venv/bin/python

.PHONY: all build test lint schema bench clean

all: build

build:
	bash scripts/bootstrap.sh
	$(PYTHON) generate.py

test:
	bash scripts/bootstrap.sh test
	$(PYTHON) -m ruff check .
	$(PYTHON) -m pytest

lint:
	bash scripts/bootstrap.sh test
	$(PYTHON) -m ruff check .

bench:
	bash scripts/bootstrap.sh bench
	$(PYTHON) scripts/bench.py

schema:
	bash scripts/bootstrap.sh
	$(PYTHON) generate.py schema --output handouts/content/schema

clean:
	rm -rf output/*.pdf output/manifest.json output/drafts
