# Two commands do all the set-up: `make run` and `make test`. Both create or refresh .venv.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-requirements
STORE ?= data/events.parquet
HOST ?= 127.0.0.1
PORT ?= 8050
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test store lint bench venv browser office postgis clean

venv: $(STAMP)

$(STAMP): requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $(STAMP)

$(STORE): | $(STAMP)
	$(PY) -m geodata build --store $(STORE)

store: $(STAMP)
	$(PY) -m geodata build --store $(STORE)

run: $(STAMP) $(STORE)
	$(PY) -m dashboard --store $(STORE) --host $(HOST) --port $(PORT)

# Browser tests drive Debian's Chromium; install it (and its driver) when missing.
browser:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || \
	  ( $(SUDO) apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium chromium-driver )

# The side-file test (tests/test_side_files.py) opens every CSV we write in LibreOffice headless; install its
# spreadsheet (no GUI) when missing.
office:
	@command -v soffice >/dev/null || \
	  ( $(SUDO) apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends libreoffice-calc-nogui )


# The PostGIS store tests start a throwaway PostgreSQL 15 + PostGIS 3 cluster of their own (ogrinfo reads its layer
# as QGIS would); install the server, PostGIS and GDAL's tools when missing.
postgis:
	@test -x /usr/lib/postgresql/15/bin/initdb && test -f /usr/share/postgresql/15/extension/postgis.control && \
	  command -v ogrinfo >/dev/null || \
	  ( $(SUDO) apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq postgresql postgresql-15-postgis-3 gdal-bin )


test: $(STAMP) browser office postgis
	$(PY) -m ruff check .
	$(PY) -m pytest

# Flags for the benchmarks, e.g. make bench BENCH_ARGS="--quick --sizes 10k,100k"
BENCH_ARGS ?=

bench: $(STAMP)
	$(PY) -m bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) data .pytest_cache
