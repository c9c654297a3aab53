# make run  — set everything up and serve the bundled case studies on http://127.0.0.1:8000
# make fuzz — schemathesis against the served API as organisations A and C for FUZZ_SECONDS (300); see docs/fuzzing.md
# make test — the whole suite on SQLite, then on PostgreSQL when one answers on 127.0.0.1:5432
# make messages — update the es, ca and fr catalogues from the code and compile them (needs GNU gettext)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
PG_URL ?= postgres://postgres@127.0.0.1:5432/metrodiplomacy
WORKERS ?= 2
FUZZ_SECONDS ?= 300

.PHONY: install run test test-sqlite test-postgres lint format bench messages fuzz

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	rm -f $(VENV)/.installed-* && touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/metrodip init
	$(BIN)/metrodip load casestudies --once
	$(BIN)/metrodip coordination demo
	$(BIN)/metrodip load demo-results
	$(BIN)/metrodip serve

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy metrodiplomacy/analysis metrodiplomacy/*/services.py metrodiplomacy/writes.py metrodiplomacy/uploads.py
	METRODIP_DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test-sqlite: install
	$(BIN)/pytest -n $(WORKERS) -q

test-postgres: install
	@if $(BIN)/python scripts/wait_for_postgres.py "$(PG_URL)"; then \
		DATABASE_URL="$(PG_URL)" $(BIN)/pytest -n $(WORKERS) -q; \
	elif [ -n "$$METRODIP_REQUIRE_POSTGRES" ]; then \
		echo "PostgreSQL is required (METRODIP_REQUIRE_POSTGRES) but does not answer at $(PG_URL)"; exit 1; \
	else \
		echo "PostgreSQL does not answer at $(PG_URL): PostgreSQL run skipped"; \
	fi

test: lint test-sqlite test-postgres

# Run inside the package: the scan then never reaches .venv (whose Django catalogues compilemessages would
# otherwise rebuild), var or tests. The .mo files are committed, so running the app needs no gettext.
messages: install
	cd metrodiplomacy && ../$(BIN)/python ../manage.py makemessages --locale es --locale ca --locale fr \
		--no-obsolete --add-location file
	cd metrodiplomacy && ../$(BIN)/python ../manage.py compilemessages --locale es --locale ca --locale fr

bench: install
	METRODIP_DATA_DIR=$$(mktemp -d) $(BIN)/python bench/bench_casestudies.py
	METRODIP_DATA_DIR=$$(mktemp -d) $(BIN)/python bench/bench_frameworks.py
	PG_URL="$(PG_URL)" $(BIN)/python bench/bench_twinning.py

fuzz: install
	$(BIN)/python scripts/fuzz_api.py --seconds $(FUZZ_SECONDS)
