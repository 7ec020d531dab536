"""Every cell teaches one step: short code cells, and charts shown with their alt text."""

from __future__ import annotations

import re

import nbformat
import pytest

from d2i_examples.paths import NOTEBOOKS

NOTEBOOK_PATHS = sorted(NOTEBOOKS.glob("*.ipynb"))
MAX_LOGIC_LINES = 12
DRAWING = re.compile(r"\bplt\.|\.plot\(|\.plot\.|charts\.(bars|lines|boxes|panels|pyramids|"
                     r"timeline|intervals)\(")


def logic_lines(source: str) -> list[str]:
    """The lines of a cell that do something: not blank, not a comment."""
    return [line for line in source.splitlines()
            if line.strip() and not line.strip().startswith("#")]


def code_cells(path):
    return [cell for cell in nbformat.read(path, as_version=4).cells
            if cell.cell_type == "code"]


def test_logic_lines_leave_out_blanks_and_comments():
    assert logic_lines("x = 1\n\n# a comment\n    # indented comment\ny = 2  # trailing\n") == [
        "x = 1", "y = 2  # trailing"]


@pytest.mark.parametrize("path", NOTEBOOK_PATHS, ids=lambda p: p.stem)
def test_no_code_cell_has_more_than_twelve_lines_of_logic(path):
    long = {n: len(logic_lines(cell.source)) for n, cell in enumerate(code_cells(path))
            if len(logic_lines(cell.source)) > MAX_LOGIC_LINES}
    assert not long, f"code cells (by position) over {MAX_LOGIC_LINES} lines: {long}"


@pytest.mark.parametrize("path", NOTEBOOK_PATHS, ids=lambda p: p.stem)
def test_a_notebook_that_draws_shows_its_charts_with_alt_text(path):
    sources = [cell.source for cell in code_cells(path)]
    drawing = [s for s in sources if DRAWING.search(s)]
    assert not any("plt.show()" in s for s in sources), "use charts.show(fig, alt=...)"
    assert not any(re.search(r"\bplt\.", s) for s in sources), \
        "draw with d2i_examples.charts, not pyplot in the cell"
    if drawing:
        assert all("charts.show(" in s and "alt=" in s for s in drawing), \
            "every cell that draws shows its chart with charts.show(fig, alt=...)"
