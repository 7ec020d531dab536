"""Fixtures shared by the browser tests and the Binder rehearsal."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from d2i_examples import book, paths
from d2i_examples.runner import find_notebooks, format_failures, run_notebooks


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The book's HTML folder, built once per test run from freshly executed notebooks.

    D2I_BUILT_BOOK=book/_build/html checks a book `make book` already built instead.
    """
    if os.environ.get("D2I_BUILT_BOOK"):
        return Path(os.environ["D2I_BUILT_BOOK"]).resolve()
    tmp = tmp_path_factory.mktemp("book")
    outcomes = run_notebooks(find_notebooks(), tmp / "executed", progress=None)
    assert all(o.status == "ok" for o in outcomes), format_failures(outcomes)
    return book.build(book.assemble(tmp / "executed", paths.BOOK_SOURCES, tmp / "src"), tmp / "out")
