"""Committed notebooks: no outputs, a parameters cell, listed in the book."""

from __future__ import annotations

import nbformat
import pytest

from d2i_examples import paths
from d2i_examples.book.build import toc_notebooks
from d2i_examples.settings.parameters import declared_parameters

NOTEBOOKS = sorted(paths.NOTEBOOKS.glob("*.ipynb"))


def test_there_are_notebooks():
    assert NOTEBOOKS, f"no notebooks in {paths.NOTEBOOKS}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_without_outputs_or_execution_counts(path):
    nb = nbformat.read(path, as_version=4)
    dirty = [
        index for index, cell in enumerate(nb.cells)
        if cell.cell_type == "code" and (cell.get("outputs") or cell.get("execution_count"))
    ]
    assert not dirty, f"{path.name}: cells {dirty} have outputs; run nbstripout on it"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_has_a_parameters_cell_with_a_comment_on_every_setting(path):
    nb = nbformat.read(path, as_version=4)
    declared = declared_parameters(nb)
    assert declared, f"{path.name} has no cell tagged 'parameters'"
    cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    for line in cell.source.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            assert "#" in line, f"{path.name}: parameter line without a comment: {line!r}"


def test_every_notebook_is_in_the_book_and_every_page_exists():
    listed = toc_notebooks()
    assert sorted(listed) == sorted(p.stem for p in NOTEBOOKS)
