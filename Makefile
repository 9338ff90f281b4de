# Omboon — the two set-up commands are `make run` and `make test` (see README.md).
SHELL := /bin/bash
.DEFAULT_GOAL := help
UV := $(shell command -v uv 2>/dev/null || echo python3 -m uv)
PY := $(UV) run --frozen
PG_URL ?= postgres://postgres@127.0.0.1:5432/omboon
HOST ?= 127.0.0.1
PORT ?= 8000
DEB_PACKAGES := chromium poppler-utils gettext libpango-1.0-0 libpangoft2-1.0-0 sqlite3 postgresql-client

help:
	@echo "make run    — ติดตั้ง (ครั้งแรก: ข้อมูลตัวอย่างหรือกลุ่มจริง) และเปิดเว็บ / install, first time the demo or a real group, serve"
	@echo "make test   — ติดตั้งและรันชุดทดสอบทั้งหมด / install and run the whole suite (lint first)"
	@echo "make lint   — ruff และชั้นของโค้ด (import-linter) / ruff and the layers (import-linter)"
	@echo "make bench  — วัดความเร็ว / run the benchmarks"

# --- installation -------------------------------------------------------------------------
deb:
	@missing=""; for p in $(DEB_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "ติดตั้งแพ็กเกจ Debian / installing Debian packages:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

uv:
	@command -v uv >/dev/null 2>&1 || python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install -q uv

install: deb uv
	@$(UV) sync --frozen -q
	@$(PY) omboon compilemessages -v 0 --ignore=.venv

# --- first run: the demo or a real group (OMBOON_DEMO=1|0 decides; else asked; no terminal: demo)
run: install
	@$(PY) omboon migrate -v 0
	@$(PY) omboon first-run
	@echo "เปิด / open http://$(HOST):$(PORT)/"
	@$(PY) gunicorn omboon.wsgi -b $(HOST):$(PORT) --workers 2 --threads 8 --access-logfile - --pythonpath src

# --- tests --------------------------------------------------------------------------------
pg-ready:
	@$(PY) python -c "import psycopg; from psycopg.conninfo import make_conninfo; psycopg.connect(make_conninfo('$(PG_URL)', dbname='postgres'), connect_timeout=3).close()" 2>/dev/null

# pytest-xdist: one worker per core (each with its own test database and Chromium);
# TEST_WORKERS=0 runs the suite in one process.
TEST_WORKERS ?= auto
PYTEST := $(PY) pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

# ruff (the rules in pyproject.toml) and import-linter (the layers of ../shared/DESIGN.md)
lint: install
	@echo "== ruff, import-linter =="
	@$(PY) ruff check src bench conftest.py
	@$(PY) lint-imports --no-cache

test: install lint
	@echo "== ชุดทดสอบบน SQLite / suite on SQLite =="
	@OMBOON_FAST_HASHER=1 $(PYTEST)
	@if $(MAKE) -s pg-ready; then \
	  echo "== ชุดทดสอบบน PostgreSQL / suite on PostgreSQL =="; \
	  OMBOON_FAST_HASHER=1 DATABASE_URL=$(PG_URL) $(PYTEST); \
	elif [ "$$CI" = "true" ]; then \
	  echo "PostgreSQL ไม่ตอบที่ 127.0.0.1:5432 — CI ต้องมี / PostgreSQL is required in CI"; exit 1; \
	else echo "ข้าม PostgreSQL: ไม่ตอบที่ 127.0.0.1:5432 / skipping PostgreSQL: not reachable"; fi

bench: install
	@$(PY) omboon bench $(BENCH)

.PHONY: help deb uv install run lint test bench pg-ready
