# The two commands of the README: `make run` and `make test`. Everything else serves them.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
# Where `make run` serves: `make run HOST=0.0.0.0 PORT=8080`.
HOST ?= 127.0.0.1
PORT ?= 8000
BIN := $(VENV)/bin

.PHONY: run test install install-dev lint format worker beat messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/pip install --quiet -c constraints.txt -e .
	touch $@

$(VENV)/.installed-dev: $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/pip install --quiet -c constraints.txt -e ".[dev]"
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install-dev
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

worker: install
	$(BIN)/celery -A chorus worker --loglevel=INFO

# Beat keeps its schedule state under var/ (ignored by git).
beat: install
	mkdir -p var
	$(BIN)/celery -A chorus beat --loglevel=INFO --schedule var/celerybeat-schedule

# Recompiles the catalogues after editing locale/*/LC_MESSAGES/django.po: English, and the
# French of the libraries that ship none.
messages: install-dev
	$(BIN)/python manage.py compilemessages --locale en --locale fr --ignore=.venv
