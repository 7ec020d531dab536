"""Notebook tables reach the book without empty header cells (book/_ext/tables.py)."""

from __future__ import annotations

import importlib.util

import pandas as pd

from d2i_examples import paths

_spec = importlib.util.spec_from_file_location("tables", paths.BOOK_SOURCES / "_ext" / "tables.py")
tables = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(tables)


def test_a_dataframes_empty_corner_becomes_a_data_cell_and_headers_keep_their_text():
    frame = pd.DataFrame({"placements": [3, 1]}, index=pd.Index(["A1", "B2"], name="CHILD"))
    html = frame.to_html()
    assert "<th></th>" in html
    fixed = tables.without_empty_headers(html)
    assert "<th></th>" not in fixed and "<td></td>" in fixed
    for header in ("placements", "CHILD", "A1", "B2"):
        assert f"<th>{header}</th>" in fixed


def test_attributes_and_nbsp_corners_are_handled():
    assert tables.without_empty_headers('<th class="blank level0" >&nbsp;</th>') == \
        '<td class="blank level0" ></td>'
    assert tables.without_empty_headers("<th>x</th>") == "<th>x</th>"
