# The pipeline: raw articles -> data/processed tables -> executed notebooks -> figures.
# `make all` does everything from a fresh clone; `make test` runs the tests but the slow
# fault cases, `make test-all` every test.
PY := .venv/bin/python
STAMP := .venv/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)

.DEFAULT_GOAL := help
.PHONY: help all setup data notebooks report test test-all bench bench-extraction bench-devset lint lock clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

all: report ## set up, build the tables, run every notebook, write figures/ and the report

$(STAMP):
	@test -x $(PY) || python3 -m venv .venv
	$(PY) -m pip install --quiet --disable-pip-version-check uv
	$(PY) -m uv pip install --quiet --python $(PY) -r requirements.lock
	$(PY) -m uv pip install --quiet --python $(PY) --no-deps -e .
	@rm -f .venv/.installed-* && touch $@

setup: $(STAMP) ## create .venv and install the locked dependencies and the package

data: setup ## raw files -> data/processed/*.parquet
	$(PY) -m helpers build

notebooks: data ## execute notebooks/NN-*.ipynb whose inputs changed, in order (writes figures/)
	$(PY) -m helpers notebooks

report: notebooks ## figures/report.html from the tables and figures, when they changed
	$(PY) -m helpers report

test: setup ## every test but the slow fault cases, and strict nbval on every notebook, on two processes
	$(PY) -m pytest

test-all: setup ## every test, the slow fault cases too (builds killed and stopped at many points)
	$(PY) -m pytest -m ""

bench: setup ## throughput and memory on synthetic corpora (0.25, 1 and 4 M words; ~25 min)
	$(PY) -m helpers bench --words 250000 1000000 4000000 -j 2 --csv bench.csv

bench-extraction: setup ## article-text F1 on the real pages of ../shared/benchmarks/extraction (HTML and copied text)
	$(PY) ../shared/benchmarks/extraction/score.py --variants html,text

bench-devset: setup ## scores on ../shared/devset with 95 % bootstrap intervals -> data/evaluation/devset.csv
	$(PY) benchmarks/devset.py

lint: setup ## ruff over the package, tests and notebooks
	$(PY) -m ruff check src tests notebooks benchmarks

lock: setup ## re-resolve requirements.lock from pyproject.toml
	$(PY) -m uv pip compile --quiet pyproject.toml --extra dev --python-version 3.11 -o requirements.lock

clean: ## remove built tables (figures and notebooks stay: they are committed)
	rm -rf data/processed/*.parquet data/processed/.current data/processed/.versions data/processed/.build-stamp
