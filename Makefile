# The two commands of the README: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: demo test robustness install browser virtuoso oxigraph-server clean

demo: $(VENV)/.installed
	$(BIN)/kg build examples/sample

# The store tests also run against an Oxigraph server (PyPI's oxigraph, a test dependency) and
# a Virtuoso (Debian's virtuoso-opensource), which tests/conftest.py starts on free ports of
# 127.0.0.1, each with a new database, and stops.
test: $(VENV)/.installed-test browser virtuoso
	$(BIN)/pytest
	$(BIN)/python bench/bench_robustness.py --quick --copies 2

# The robustness suite in full: 20 seeded kills of rebuilds and the rest (bench/bench_robustness.py).
robustness: $(VENV)/.installed-test
	$(BIN)/python bench/bench_robustness.py $(CORPUS)

# A SPARQL server for `kg build --store http://127.0.0.1:7878`, its data in .kg/oxigraph.
OXIGRAPH_BIND ?= 127.0.0.1:7878
oxigraph-server: $(VENV)/.installed-test
	$(BIN)/oxigraph serve --location .kg/oxigraph --bind $(OXIGRAPH_BIND) --union-default-graph

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# Browser tests drive Debian's Chromium headless; install it when it is missing.
browser:
	@command -v chromium >/dev/null || { $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium >/dev/null; }

# Debian's Virtuoso 7.2 for the store tests; install it when it is missing (the package lists
# are updated only when they do not have it yet).
virtuoso:
	@command -v virtuoso-t >/dev/null || { export DEBIAN_FRONTEND=noninteractive; \
		$(SUDO) apt-get install -y -qq --no-install-recommends virtuoso-opensource >/dev/null 2>&1 || \
		{ $(SUDO) apt-get update -qq && \
		  $(SUDO) apt-get install -y -qq --no-install-recommends virtuoso-opensource >/dev/null; }; }

clean:
	rm -rf $(VENV) .kg exports
