"""Notebook tables reach the book without empty header cells, their headers able
to wrap (book/_ext/tables.py)."""

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


def test_a_long_column_name_may_wrap_after_each_underscore_and_its_text_is_unchanged():
    frame = pd.DataFrame({"pct_excluding_exceptions": [0.5], "plans": [3]},
                         index=pd.Index(["2024_25"], name="year"))
    fixed = tables.wrappable_headers(tables.without_empty_headers(frame.to_html()))
    assert "<th>pct_<wbr>excluding_<wbr>exceptions</th>" in fixed
    assert "<th>plans</th>" in fixed
    assert "<th>2024_<wbr>25</th>" in fixed  # a row header too
    assert "<td>0.5</td>" in fixed  # data cells as they were
    assert tables.wrappable_headers('<th class="col_heading level0 col1" >median_weeks</th>') == \
        '<th class="col_heading level0 col1" >median_<wbr>weeks</th>'


def test_a_camel_case_column_name_may_wrap_between_its_words():
    html = pd.DataFrame({"CINreferralDate": [1], "DateOfInitialCPC": [2], "LA": [3]}).to_html()
    fixed = tables.wrappable_headers(html)
    assert "<th>CINreferral<wbr>Date</th>" in fixed
    assert "<th>Date<wbr>Of<wbr>Initial<wbr>CPC</th>" in fixed
    assert "<th>LA</th>" in fixed  # capitals alone, and entities, hold no break
    assert tables.wrappable_headers("<th>Q&amp;A_x</th>") == "<th>Q&amp;A_<wbr>x</th>"
