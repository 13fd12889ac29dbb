# scr-themes. `make` lists the targets. `make run` and `make test` set themselves up on a fresh machine.
.DEFAULT_GOAL := help
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false

.PHONY: help setup browser run test test-fast bench lock clean

help: ## List the targets with one line each
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	# torch first, as the CPU build from its exact pin (a looser pin pulls a multi-GB CUDA build)
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP) ## Create .venv and install the pinned dependencies (constraints.txt)

browser: ## Install Debian's chromium (browser tests) and tesseract-ocr (scr ingest --ocr); needs root or sudo
	@command -v chromium >/dev/null && command -v tesseract >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium tesseract-ocr >/dev/null; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq chromium tesseract-ocr >/dev/null; fi; }

run: setup ## Run the whole pipeline on the bundled sample corpus and write corpus/out/briefing.html
	$(BIN)/scr run corpus/samples
	$(BIN)/scr status
	$(BIN)/scr brief --docs all --out corpus/out/briefing.html
	@echo "briefing: $(CURDIR)/corpus/out/briefing.html"

test: setup ## Run every test (slow ones too: the real model, the browser, the real reports in ../shared)
	$(BIN)/python -m pytest -q

test-fast: setup ## Run the tests not marked slow
	$(BIN)/python -m pytest -q -m "not slow"

bench: setup ## Run the benchmarks and write BENCHMARKS.md
	$(BIN)/python -m bench.run

lock: ## Rewrite constraints.txt from the current .venv (after a tested upgrade)
	$(BIN)/pip freeze --exclude-editable | grep -v '^scr-themes' > constraints.txt

clean: ## Remove the venv, the default store and outputs
	rm -rf $(VENV) corpus/scr.db* corpus/out .pytest_cache
