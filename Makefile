# Two commands on a fresh machine: `make demo` and `make test` (see README).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DB := demo.db

.PHONY: demo test install system-deps bench clean

install: $(STAMP)

$(STAMP): pyproject.toml constraints.txt scripts/map-assets.sh
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev,ftm]'
	bash scripts/map-assets.sh build/map-assets
	$(BIN)/python -m wirewatch.resolve.gazetteer build
	touch $(STAMP)

# Debian packages for the tests (Chromium + ChromeDriver, PostgreSQL); installed when we may (root), else those tests skip.
system-deps:
	@bash scripts/system-deps.sh

demo: install
	@rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(BIN)/wirewatch ingest samples/corpus --db $(DEMO_DB)
	$(BIN)/wirewatch stories --db $(DEMO_DB) --snapshots
	$(BIN)/wirewatch report --all --db $(DEMO_DB) -o demo-report.html
	@echo
	@echo "Static report: demo-report.html (open it in any browser)."
	@echo "Browse it:     $(BIN)/wirewatch serve --db $(DEMO_DB)   then open http://127.0.0.1:8080"

test: install system-deps
	$(BIN)/python -m pytest -q

bench: install
	$(BIN)/python benchmarks/analyze_speed.py

clean:
	rm -rf $(VENV) $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm demo-report.html
