# Two commands: `make demo` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEV_STAMP := $(VENV)/.installed-dev
DEMO_ENV := DEBUG=1
# Strings to translate live in the apps and templates, not in the tools around them.
MESSAGES_IGNORE := --ignore=.venv --ignore=tests --ignore=bench --ignore=var

.PHONY: demo test install lint format migrations-check messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(DEV_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

# axe-core for the accessibility test (tests/browser/test_accessibility.py): into node_modules/.
NODE_STAMP := node_modules/.installed

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

install: $(DEV_STAMP) $(NODE_STAMP)

## Serve the reference meeting on http://127.0.0.1:8000 (SQLite, no other service).
demo: $(DEV_STAMP)
	$(DEMO_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEMO_ENV) $(BIN)/python manage.py seed_demo
	$(DEMO_ENV) $(BIN)/python manage.py runserver 127.0.0.1:8000

## Run the whole suite (PostgreSQL/Redis tests run when DATABASE_URL/CELERY_BROKER_URL point at them).
test: $(DEV_STAMP)
	$(BIN)/python tests/run_suite.py $(PYTEST_ARGS)

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

format: $(DEV_STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrations-check: $(DEV_STAMP)
	DJANGO_SETTINGS_MODULE=config.settings_test $(BIN)/python manage.py makemigrations --check --dry-run

## After changing a marked string: new strings into the .po (translate them there), then the .mo.
messages: $(DEV_STAMP)
	$(DEMO_ENV) $(BIN)/python manage.py makemessages -l es --no-obsolete $(MESSAGES_IGNORE)
	$(DEMO_ENV) $(BIN)/python manage.py compilemessages -l es --ignore=.venv

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache .ruff_cache node_modules
