# The two commands a newcomer needs: `make run` and `make test`.
# PYTHON overrides the interpreter; PORT overrides the port `make run` serves on.

PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
PYTHON ?= $(shell for candidate in python3.13 python3.12 python3 \
	"$$(pyenv prefix 3.13.0 2>/dev/null)/bin/python3" \
	"$$(pyenv prefix 3.12.1 2>/dev/null)/bin/python3"; do \
	  "$$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null \
	    && { command -v "$$candidate"; break; }; \
	done)

.PHONY: run test install check-python lint clean serve-prod

check-python:
	@if [ -z "$(PYTHON)" ]; then \
	  echo "infosite needs Python 3.12 or newer (Django 6.1 requires it)."; \
	  echo "Install one, or point PYTHON at it: make run PYTHON=/path/to/python3.12"; \
	  exit 1; \
	fi

$(BIN)/.installed: requirements.txt requirements-dev.txt | check-python
	@test -x $(BIN)/python || "$(PYTHON)" -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	@touch $@

install: $(BIN)/.installed

run: install
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py migrate --no-input
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py load_demo
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# The production server with production settings, on this machine: DEBUG off, a
# throw-away secret key, hashed static files, gunicorn.conf.py. SQLite unless
# DATABASE_URL is set.
serve-prod: install
	@export SECRET_KEY=$${SECRET_KEY:-serve-prod-$$(date +%s)-local-only-not-a-real-key-0123456789} \
	  ALLOWED_HOSTS=$${ALLOWED_HOSTS:-127.0.0.1,localhost} SITE_URL=$${SITE_URL:-https://127.0.0.1} \
	  SECURE_SSL_REDIRECT=0 PORT=$(PORT) DEBUG=0; \
	$(BIN)/python manage.py migrate --no-input && \
	$(BIN)/python manage.py collectstatic --no-input -v0 && \
	$(BIN)/gunicorn -c gunicorn.conf.py infosite.wsgi

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
