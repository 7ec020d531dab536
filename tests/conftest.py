"""What every test module shares: the executed book, CI's no-skip rule, xdist groups.

- ``executed_notebooks`` and ``built_book``: every notebook executed once by the
  runner and the book built from them, for the tests of the book and of the book
  in a browser (one xdist group, so one worker builds them once).
- With ``CI=true`` a skipped test fails: in CI a missing browser, tool or program
  is a broken environment, not a reason to pass. (Tests a run does not want are
  deselected with ``-m``, which is not a skip.)
- Under ``pytest -n N --dist loadscope`` (``make test``) the tests of one module
  stay on one worker, so a module's expensive fixtures are built once.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

IN_CI = os.environ.get("CI", "").lower() == "true"
# modules that share the session's executed notebooks: one group, one worker
BOOK_MODULES = {"test_book", "test_book_in_browser", "test_binder_rehearsal",
                "test_exercises_in_examples", "test_links"}


@pytest.fixture(scope="session")
def executed_notebooks(tmp_path_factory):
    """Every notebook in notebooks/, executed by the runner as `make book` does."""
    from d2i_examples.book import build as book
    from d2i_examples.book.exercises import write_exercises
    from d2i_examples.runner import find_notebooks, format_failures, run_notebooks

    out = tmp_path_factory.mktemp("executed")
    outcomes = run_notebooks(find_notebooks(), out, progress=None)
    exercises = write_exercises(book.toc_exercises(), out.parent / f"{out.name}-exercises-src",
                                solutions=True)
    outcomes += run_notebooks(exercises, out / book.EXERCISES_FOLDER, progress=None)
    assert all(o.status == "ok" for o in outcomes), format_failures(outcomes)
    return out


@pytest.fixture(scope="session")
def built_book(executed_notebooks, tmp_path_factory):
    """The book's HTML folder, built by Jupyter Book from ``executed_notebooks``."""
    from d2i_examples import paths
    from d2i_examples.book import build as book

    tmp = tmp_path_factory.mktemp("book")
    return book.build(book.assemble(executed_notebooks, paths.BOOK_SOURCES, tmp / "src"),
                      tmp / "out")


@pytest.fixture(scope="session")
def built_site(request) -> Path:
    """The book's HTML folder for the browser tests and the Binder rehearsal: ``built_book``.

    D2I_BUILT_BOOK=book/_build/html checks a book `make book` already built instead
    (for a developer's quick re-run; CI always builds afresh).
    """
    if os.environ.get("D2I_BUILT_BOOK"):
        return Path(os.environ["D2I_BUILT_BOOK"]).resolve()
    return request.getfixturevalue("built_book")


def pytest_report_header(config):
    """Which cases of the rotating matrices run (tests/fixtures/rotation.py)."""
    from tests.fixtures import rotation

    return rotation.notes()


@pytest.hookimpl(optionalhook=True)  # the pandas-3 run has no xdist
def pytest_xdist_make_scheduler(config, log):
    """With ``--dist loadscope``: one module's tests on one worker, the book modules together."""
    if config.getvalue("dist") != "loadscope":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class ByModule(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            module = nodeid.split("::", 1)[0]
            return "book" if Path(module).stem in BOOK_MODULES else module

    return ByModule(config, log)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    _fail_skips_in_ci(outcome.get_result())


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector):
    outcome = yield
    _fail_skips_in_ci(outcome.get_result())


def _fail_skips_in_ci(report) -> None:
    if IN_CI and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[-1] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"skipped in CI (CI=true), which must run every test: {reason}"


@pytest.fixture(scope="module")
def browser():
    """A headless Chromium, one per test module (tests/chromium.py)."""
    from tests import chromium

    with chromium.launched() as launched:
        yield launched
