# Two commands set everything up on a fresh clone: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
INSTALLED := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
# Each process reads Django's and Wagtail's bytecode instead of compiling them afresh
# (3.9-5.2 s of imports against 2.0 s), also where the environment says
# PYTHONDONTWRITEBYTECODE=1: empty, Python writes bytecode again.
export PYTHONDONTWRITEBYTECODE :=

.PHONY: run test install fonts test-deps document-deps documents-preview migrate demo lint typecheck messages check-messages bench bench-intake serve serve-stop serve-deps stack-test

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check "uv==0.13.8"

# The dependencies' bytecode is compiled once, here, for every later process (a file a
# package ships for another Python must not stop the install).
$(INSTALLED): requirements.lock | $(PY)
	$(UV) pip install --quiet --python $(PY) --require-hashes -r requirements.lock
	$(PY) -m compileall -q -j 0 $(VENV)/lib >/dev/null || true
	touch $@

install: $(INSTALLED)

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo

run: fonts demo
	@echo "Serving on http://$(HOST):$(PORT)/  (back office: http://$(HOST):$(PORT)/admin/)"
	@echo "with the clock (run_periodic) and the task worker; Ctrl-C stops all three"
	$(PY) manage.py run_dev $(HOST):$(PORT)

# WeasyPrint prints Chinese as blanks without a CJK font, and without HarfBuzz's
# subsetter it falls back to fontTools, which takes 16 s (against 0.25 s) to embed
# the CJK font in a briefing's PDF. The documents use Debian's Noto CJK fonts (Serif
# for 仿宋/宋体/小标宋, Sans for 黑体) and AR PL UKai for 楷体
# (text/documents/__init__.py has the mapping), with libharfbuzz-subset0.
PDF_PACKAGES := fonts-noto-cjk fonts-noto-cjk-extra fonts-arphic-ukai libharfbuzz-subset0
fonts:
	@{ fc-list :lang=zh family 2>/dev/null | grep -q "Noto Serif CJK SC" \
		&& fc-list :lang=zh family 2>/dev/null | grep -q "AR PL UKai CN" \
		&& ldconfig -p 2>/dev/null | grep -q libharfbuzz-subset; } || { \
		echo "Installing Debian's $(PDF_PACKAGES) for the documents"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -qq $(PDF_PACKAGES) >/dev/null; }

# Debian's chromium-headless-shell drives the browser tests; Playwright downloads no
# browser of its own.
test-deps: document-deps
	@[ -x /usr/lib/chromium/chromium-headless-shell ] || { \
		echo "Installing Debian's chromium-headless-shell for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -qq chromium-headless-shell >/dev/null; }

# LibreOffice (no GUI) and poppler's pdftoppm print the .docx documents to pages in
# the document tests and `make documents-preview`.
document-deps: fonts
	@{ command -v soffice >/dev/null 2>&1 && command -v pdftoppm >/dev/null 2>&1; } || { \
		echo "Installing Debian's LibreOffice Writer and poppler-utils for the document tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		--no-install-recommends libreoffice-writer-nogui poppler-utils >/dev/null; }

# Every document kind from the demo as PNG pages under var/documents-preview/<language>/
# (the .docx through LibreOffice headless), to look at. DOCS_LANGUAGE=zh-hant or en.
DOCS_LANGUAGE ?= zh-hans
documents-preview: demo document-deps
	$(PY) manage.py documents_preview --language $(DOCS_LANGUAGE)

# The whole stack on loopback (deploy/stack.py): PostgreSQL (the local cluster,
# started if down), Redis, two gunicorn app servers, the task worker and nginx in
# front; migrations, collectstatic and the demo. Logs and pids under var/stack/.
SERVE_PORT ?= 8080
SERVE_APP_PORTS ?= 8001,8002
serve-deps:
	@command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || { \
		echo "Installing Debian's nginx"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null; }
	@command -v redis-server >/dev/null 2>&1 || { \
		echo "Installing Debian's redis-server"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null; }

serve: install serve-deps fonts
	$(PY) deploy/stack.py up --port $(SERVE_PORT) --app-ports $(SERVE_APP_PORTS)

serve-stop:
	$(PY) deploy/stack.py down

# The stack test (CI): a private PostgreSQL and Redis, the stack, a smoke scenario
# through nginx, then the faults (an app server killed, PostgreSQL restarted).
stack-test: install serve-deps fonts
	SANFU_STACK_TEST=1 $(PY) -m pytest -p no:xdist deploy/tests -q

# Two workers, each given its tests in pytest-django's order: the transactional tests
# (browser tests, live server) last, as each empties the database it leaves. (xdist's
# worksteal broke that order: a worker stole plain tests after its transactional ones
# and found Wagtail's root page and the content types gone.)
test: install test-deps
	$(PY) -m pytest -n 2 $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

# MYPY_ARGS=--cache-dir=/dev/null: no cache written (CI's clean clone reads none)
MYPY_ARGS ?=
typecheck: install
	$(VENV)/bin/mypy . $(MYPY_ARGS)

# Rebuild the catalogues after changing user-facing strings (the one target that needs
# GNU gettext). makemessages collects every app's strings into the one project
# catalogue, sanfu/locale/zh_Hans: LOCALE_PATHS is cut to that entry, as makemessages
# would otherwise send the text app's strings to text/locale_fill, the LOCALE_PATHS
# entry beside them. Tests are left out: they look up Wagtail's and Django's strings.
# Translate what msgfmt reports untranslated, then run `make messages` again:
# fill_hant_catalogues compiles the .mo files (no msgfmt needed for that) and derives
# zh-Hant through OpenCC. English needs no catalogue: the msgids are English.
MAKEMESSAGES := from django.conf import settings; \
	from django.core.management import call_command; \
	settings.LOCALE_PATHS = settings.LOCALE_PATHS[:1]; \
	call_command("makemessages", locale=["zh_Hans"], no_obsolete=True, \
	add_location="file", \
	ignore_patterns=[".venv", "static_collected", "var", "tests", "conftest.py"])

messages: install
	$(PY) manage.py shell --no-imports -c '$(MAKEMESSAGES)'
	msgfmt --check --statistics -o /dev/null sanfu/locale/zh_Hans/LC_MESSAGES/django.po
	$(PY) manage.py fill_hant_catalogues

# Server-side timings of the figures screen and the office's list (bench/README.md).
# Needs PostgreSQL; generates the demands (bench-<size> campaigns) the first time.
BENCH_DB ?= postgres://postgres@127.0.0.1:5432/sanfu_bench
BENCH_SIZES ?= 10000 100000
bench: install
	DATABASE_URL=$(BENCH_DB) $(PY) manage.py migrate --noinput
	DATABASE_URL=$(BENCH_DB) $(PY) bench/run.py $(foreach n,$(BENCH_SIZES),--size $(n))

# Intake throughput through gunicorn (2 sync workers) on 127.0.0.1: POST /api/v1/demands
# against a bare POST that writes one row, same run (bench/README.md). Migrates BENCH_DB
# and loads the demo campaign itself. E.g. BENCH_INTAKE_ARGS="--conn-max-age 60".
BENCH_INTAKE_ARGS ?=
bench-intake: install
	DATABASE_URL=$(BENCH_DB) $(PY) bench/intake.py $(BENCH_INTAKE_ARGS)
