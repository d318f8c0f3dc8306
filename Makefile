# Kandas Card and Valuable Skills Visa portal. `make help` lists the targets.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
MANAGE := $(PY) manage.py
STAMP := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help venv setup run test lint typecheck format worker beat messages i18n check clean audit bandit

help: ## Show this help
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit("Python 3.11+ is required") if sys.version_info < (3, 11) else None'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements-dev.txt
	touch $(STAMP)

venv: $(STAMP) ## Create .venv and install the pinned requirements

i18n: venv ## Compile the translation catalogs (pure Python, no gettext needed)
	$(MANAGE) i18n --compile

messages: venv ## Re-extract strings (needs GNU gettext), fill from locale_src/, compile
	$(MANAGE) makemessages --all --no-obsolete --ignore=.venv --ignore=var --ignore=node_modules --ignore=tests --ignore=benchmarks
	$(MANAGE) i18n --fill --compile

setup: venv i18n ## Install, compile catalogs, migrate, load demo data
	$(MANAGE) migrate --noinput
	$(MANAGE) seed_criteria
	$(MANAGE) generate_labour_market --seed 1 --years 2 --if-empty
	PORTAL_DEMO_MODE=1 $(MANAGE) seed_demo --applications 300
	PORTAL_DEMO_MODE=1 $(MANAGE) forecast_demo_history --if-empty
	$(MANAGE) refit_forecasts
	$(MANAGE) statistics_release --if-missing

run: setup ## Set up and serve the site with demo data on http://127.0.0.1:8000 (SQLite, tasks in-process)
	DJANGO_DEBUG=1 PORTAL_DEMO_MODE=1 $(MANAGE) runserver 127.0.0.1:8000

test: venv i18n ## Run the whole test suite (PostgreSQL/Redis when DATABASE_URL/REDIS_URL are set)
	$(VENV)/bin/pytest $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests: that is a failure"; exit 1; fi; exit $$rc

lint: venv ## ruff lint and format check, migrations check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(MANAGE) makemigrations --check --dry-run

typecheck: venv ## mypy on the engine, services and selectors (files listed in pyproject.toml)
	$(VENV)/bin/mypy

format: venv ## Apply ruff formatting and safe fixes
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

worker: venv ## Run a real Celery worker (needs CELERY_BROKER_URL=redis://... and DATABASE_URL)
	$(VENV)/bin/celery -A portal worker --loglevel=INFO --concurrency=$${CELERY_CONCURRENCY:-2}

beat: venv ## Run Celery beat, which schedules the periodic sweeps
	$(VENV)/bin/celery -A portal beat --loglevel=INFO --schedule=var/celerybeat-schedule

check: venv ## Django system checks under production settings (needs the production variables)
	DJANGO_SETTINGS_MODULE=portal.settings.production $(MANAGE) check --deploy

bandit: venv ## Static security scan of the shipped code (run by CI; reviewed findings carry `# nosec ID`)
	$(VENV)/bin/bandit -q -c pyproject.toml -r portal applications eligibility

audit: bandit ## Security audit: bandit, plus pip-audit on the pinned requirements (needs pypi.org; docs/security.md)
	$(VENV)/bin/pip-audit --strict --progress-spinner off -r requirements-dev.txt

clean: ## Remove the local database, uploads and caches (keeps .venv)
	rm -rf var .pytest_cache .ruff_cache
