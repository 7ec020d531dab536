"""read_workbook: cells and row numbers as the reader sees them in Excel."""

from __future__ import annotations

from datetime import datetime

import openpyxl
import pytest

from d2i_examples.datasets.files import read_workbook
from d2i_examples.errors import DataError


def test_cells_and_row_numbers_as_excel_shows_them(tmp_path):
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "List 1"
    ws["B3"], ws["C3"], ws["D3"], ws["E3"] = "Child Unique ID", "Age", "Contact date", "Flag"
    ws["B4"], ws["C4"], ws["D4"], ws["E4"] = "SYN1", 14, datetime(2025, 6, 2), True
    ws["B5"], ws["C5"], ws["D5"] = "SYN2", 14.5, datetime(2025, 6, 2, 13, 5)
    book.create_sheet("Empty")
    book.save(tmp_path / "a.xlsx")

    first, empty = read_workbook(tmp_path / "a.xlsx")
    assert (first.sheet_name, empty.sheet_name, empty.rows) == ("List 1", "Empty", [])
    # blank rows and columns above and left of the table are kept, so row 4 is row 4
    assert first.row_numbers == [1, 2, 3, 4, 5]
    assert first.rows[0] == [None] * 5
    assert first.rows[3] == [None, "SYN1", 14, datetime(2025, 6, 2), True]
    assert first.rows[4] == [None, "SYN2", 14.5, datetime(2025, 6, 2, 13, 5), None]
    assert type(first.rows[3][2]) is int  # Excel's 14, not 14.0


def test_a_text_file_named_xlsx_is_refused_with_what_to_do(tmp_path):
    (tmp_path / "a.xlsx").write_text("Child Unique ID,Age\nSYN1,4\n")
    with pytest.raises(DataError) as caught:
        read_workbook(tmp_path / "a.xlsx")
    assert "not a zip file" in str(caught.value)
    assert "Save As" in str(caught.value)
