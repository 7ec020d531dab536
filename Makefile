# Two commands: `make book` and `make test`. Both set up the environment first.
# uv is bootstrapped from PyPI into .tools/ (the system Python is never touched),
# then `uv sync --locked` builds .venv/ exactly as uv.lock says.

PYTHON ?= python3
UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
SYNCED := $(VENV)/.synced

.PHONY: book test bench setup clean

book: $(SYNCED)
	$(VENV)/bin/d2i-examples book

test: $(SYNCED)
	$(VENV)/bin/python -m pytest

bench: $(SYNCED)
	$(VENV)/bin/python -m bench

setup: $(SYNCED)

$(UV):
	@echo "Installing uv $(UV_VERSION) into $(TOOLS)/ (only this project uses it)..."
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

$(SYNCED): pyproject.toml uv.lock | $(UV)
	$(UV) sync --locked --python 3.11
	@touch $@

clean:
	rm -rf build book/_build
