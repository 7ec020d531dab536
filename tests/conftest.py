"""What every test module shares: the executed book, CI's no-skip rule, xdist scheduling.

- ``executed_notebooks`` and ``built_book``: every notebook executed once by the
  runner (with the exercise versions) and the book built from them, for the tests
  of the book, of the book in a browser and of Binder. Under pytest-xdist they are
  built once per run for all workers (tests/shared_build.py): the first worker to
  ask builds them in the run's shared temporary folder under a file lock, the
  others wait and reuse them, and a failed build fails on every worker with its
  message. Without xdist, as a plain session fixture.
- With ``CI=true`` a skipped test fails: in CI a missing browser, tool or program
  is a broken environment, not a reason to pass. (Tests a run does not want are
  deselected with ``-m``, which is not a skip.)
- Under ``pytest -n N --dist loadscope`` (``make test``) the tests of one module
  stay on one worker, so a module's expensive fixtures are built once; the
  browser tests of the book (SPLIT_BY_TEST) are spread by test instead. The
  module whose first test builds the book (BUILD_FIRST) goes out first; until the
  book is built the other workers get modules that do not need it, and once it is
  built the book's modules (BOOK_MODULES, the longest) go out before the rest.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

IN_CI = os.environ.get("CI", "").lower() == "true"
# modules that use the session's executed notebooks or built book (built once per run),
# in the order they go out once it is built: the longest first (the Binder rehearsal runs
# every notebook again in JupyterLab), so that no long one starts last
BOOK_MODULES = ("test_binder_rehearsal", "test_book_in_browser", "test_links",
                "test_exercises_in_examples", "test_pages_in_browser", "test_book")
# the module whose first test builds the book: handed out first, so the build starts at once
BUILD_FIRST = "test_book"
# modules whose tests share only cheap module fixtures: one scope per test function, so
# the workers share them
SPLIT_BY_TEST = {"test_book_in_browser"}
# the shared builds' names (tests/shared_build.py)
EXECUTED, BUILT = "executed", "book"


@pytest.fixture(scope="session")
def executed_notebooks(tmp_path_factory):
    """Every notebook in notebooks/, executed by the runner as `make book` does."""
    return _once(tmp_path_factory, EXECUTED, _execute_notebooks)


def _execute_notebooks(out: Path) -> Path:
    from d2i_examples.book import build as book
    from d2i_examples.book.exercises import write_exercises
    from d2i_examples.runner import find_notebooks, format_failures, run_notebooks

    outcomes = run_notebooks(find_notebooks(), out, progress=None)
    exercises = write_exercises(book.toc_exercises(), out.parent / f"{out.name}-exercises-src",
                                solutions=True)
    outcomes += run_notebooks(exercises, out / book.EXERCISES_FOLDER, progress=None)
    assert all(o.status == "ok" for o in outcomes), format_failures(outcomes)
    return out


@pytest.fixture(scope="session")
def built_book(request, tmp_path_factory):
    """The book's HTML folder, built by Jupyter Book from ``executed_notebooks``."""
    from d2i_examples import paths
    from d2i_examples.book import build as book

    def build(tmp: Path) -> Path:
        # asked for here, so a worker reusing the book needs no executed notebooks,
        # and their failure is the book's
        executed = request.getfixturevalue("executed_notebooks")
        return book.build(book.assemble(executed, paths.BOOK_SOURCES, tmp / "src"), tmp / "out")

    return _once(tmp_path_factory, BUILT, build)


def _once(tmp_path_factory, name: str, builder) -> Path:
    """``builder``'s folder: under xdist built by one worker for all (tests/shared_build.py)."""
    from tests import shared_build

    root = shared_build.shared_root(tmp_path_factory)
    if root is None:  # one process: build here, as pytest's own temporary folder
        return builder(tmp_path_factory.mktemp(name))
    try:
        return shared_build.build_once(root, name, builder)
    except shared_build.SharedBuildError as error:
        pytest.fail(str(error), pytrace=False)


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
    """With ``--dist loadscope``: one module's tests on one worker, the book built first.

    xdist hands out modules largest first. Here the module that builds the book
    (BUILD_FIRST) goes out first, and while its build is unfinished a worker asking
    for more work gets a module that does not need the book, if one is left, rather
    than one that would wait on the build.
    """
    if config.getvalue("dist") != "loadscope":
        return None
    from xdist.scheduler import LoadScopeScheduling

    from tests import shared_build

    root = config._tmp_path_factory.getbasetemp()  # the workers' shared root

    class BookFirst(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return _scope(nodeid)

        def _assign_work_unit(self, node) -> None:
            scope = _next_scope(list(self.workqueue), shared_build.is_finished(root, BUILT))
            work_unit = self.workqueue.pop(scope)
            self.assigned_work.setdefault(node, {})[scope] = work_unit
            collection = self.registered_collections[node]
            node.send_runtest_some([collection.index(nodeid)
                                    for nodeid, done in work_unit.items() if not done])

    return BookFirst(config, log)


def _scope(nodeid: str) -> str:
    """A test's xdist scope: its module, or for SPLIT_BY_TEST its test function."""
    module, _, test = nodeid.partition("::")
    return f"{module}::{test.split('[')[0]}" if Path(module).stem in SPLIT_BY_TEST else module


def _next_scope(queue: list[str], book_built: bool) -> str:
    """The scope a worker gets next from xdist's ``queue`` (largest first).

    BUILD_FIRST first; then, until the book is built, a scope that does not need it;
    once it is built, the book's scopes in BOOK_MODULES' order (the earlier a long
    scope starts, the less one worker waits for the other at the end).
    """
    modules = {scope: Path(scope.split("::")[0]).stem for scope in queue}
    book = sorted((s for s in queue if modules[s] in BOOK_MODULES),
                  key=lambda s: BOOK_MODULES.index(modules[s]))  # stable: queue order within
    if BUILD_FIRST in modules.values():
        return next(s for s in queue if modules[s] == BUILD_FIRST)
    if book_built:
        return book[0] if book else queue[0]
    return next((s for s in queue if modules[s] not in BOOK_MODULES), queue[0])


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
