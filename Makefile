# Two commands: `make book` and `make test`. Both set up the environment first.
# uv is bootstrapped from PyPI into .tools/ (the system Python is never touched),
# then `uv sync --locked` builds .venv/ exactly as uv.lock says.

PYTHON ?= python3
UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
SYNCED := $(VENV)/.synced
# A second environment with pandas 3: our library must run there too (see tests/compat/).
COMPAT := .venv-pandas3
COMPAT_SYNCED := $(COMPAT)/.synced
COMPAT_TESTS := tests/test_datasets_*.py tests/test_indicators_*.py tests/test_settings_model.py

# Tests run in parallel (pytest-xdist): one worker per core; the tests of a module stay on
# one worker, so its expensive fixtures are built once, and the executed notebooks and the
# book are built once for all workers, first thing, while the others run other modules
# (tests/conftest.py).
TEST_WORKERS ?= auto
PYTEST_PARALLEL := -n $(TEST_WORKERS) --dist loadscope

.PHONY: book test test-quick test-corpus links links-online bench sample setup upstream clean

book: $(SYNCED)
	$(VENV)/bin/d2i-examples book

test: $(SYNCED) $(COMPAT_SYNCED)
	@echo "== Library tests on pandas 3 (D2I's tools need pandas<2, so they are not here) =="
	$(COMPAT)/bin/python -m pytest -q -p no:cacheprovider -m "not tools" $(COMPAT_TESTS)
	@echo "== The whole test suite in the locked environment =="
	$(VENV)/bin/python -m pytest $(PYTEST_PARALLEL) --durations=15

# Every (council folder, example) pair of the corpus through check and run (tests/test_corpus.py),
# spread over the workers case by case: the weekly workflow's corpus job.
test-corpus: $(SYNCED)
	D2I_FULL_MATRIX=1 $(VENV)/bin/python -m pytest -n $(TEST_WORKERS) --dist load --durations=15 \
		tests/test_corpus.py

# The built book's links (lychee, from the dev group), after `make book`: every link
# within the site, offline; a broken one fails (d2i_examples/book/links.py).
links: $(SYNCED)
	$(VENV)/bin/d2i-examples links

# ... and the links to other sites too: needs the internet (CI reports it, never fails on it).
links-online: $(SYNCED)
	$(VENV)/bin/d2i-examples links --online

# The quick suite for while you work: everything but the end-to-end tests marked slow.
test-quick: $(SYNCED)
	$(VENV)/bin/python -m pytest $(PYTEST_PARALLEL) -m "not slow"

bench: $(SYNCED)
	$(VENV)/bin/python -m bench

sample: $(SYNCED)
	$(VENV)/bin/d2i-examples synth --sample

setup: $(SYNCED)

# D2I's packages and every package they bring (d2i_examples/tools/packages.py: the
# validators, their reference data, the demand model, and all under them), moved to
# their newest releases (CI does this weekly): uv.lock changes here, so review it
# before committing. Then every notebook and the exercise versions with their
# solutions, the book rebuilt, and the exercise versions with their blanks, as Binder
# opens them (every check answers, the rest runs). Fails when any of that fails.
UPGRADES := build/upstream-upgrades.txt
upstream: $(SYNCED)
	@mkdir -p build
	$(VENV)/bin/python -m d2i_examples.tools.packages > $(UPGRADES)
	$(UV) lock $$(cat $(UPGRADES))
	$(UV) sync --python 3.11
	$(VENV)/bin/d2i-examples book --force
	$(VENV)/bin/python -m pytest -p no:cacheprovider -q \
		tests/test_exercises_in_examples.py::test_with_the_blanks_every_check_answers_in_plain_words

$(UV):
	@echo "Installing uv $(UV_VERSION) into $(TOOLS)/ (only this project uses it)..."
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

$(SYNCED): pyproject.toml uv.lock | $(UV)
	$(UV) sync --locked --python 3.11
	@touch $@

$(COMPAT_SYNCED): tests/compat/pandas3.txt | $(UV)
	$(UV) venv --quiet --allow-existing --python 3.11 $(COMPAT)
	$(UV) pip sync --quiet --python $(COMPAT)/bin/python tests/compat/pandas3.txt
	$(UV) pip install --quiet --python $(COMPAT)/bin/python --no-deps -e .
	@touch $@

clean:
	rm -rf build book/_build
