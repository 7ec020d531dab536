"""The DfE's statistical neighbours file, read from a hand-made workbook in its layout."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

from d2i_examples.datasets.neighbours import (
    choose_neighbours,
    la_codes,
    neighbours_file,
    neighbours_of,
    read_neighbours,
)
from d2i_examples.errors import DataError

# Three councils, three neighbours each (the DfE's file has ten), in the layout read:
# two rows above the headings, each SNn column followed by an SNP column.
ROWS = [
    ["Children's services statistical neighbours"], [],
    ["LA num", "LA Name", "GOReg", "SN1", "SNP", "SN2", "SNP", "SN3", "SNP"],
    [841, "Darlington", "North East", 806, "Close", 807, "Close", 940, "Somewhat close"],
    [806, "Middlesbrough", "North East", 807, "Close", 841, "Close", 805, "Close"],
    [807, "Redcar and Cleveland", "North East", 806, "Close", 841, "Close", 940, "Close"],
    [], ["Source: a footnote row"],
]


def workbook(path, rows=ROWS, sheet="LA SN Groups"):
    book = openpyxl.Workbook()
    book.active.title = "Notes"
    book.active.append(["About this file"])
    data = book.create_sheet(sheet)
    for row in rows:
        data.append(row)
    book.save(path)
    return path


def published(*rows):
    """Published-table rows for these (old code, new code, name) councils."""
    return {"cla_rates": pd.DataFrame(
        [{"geographic_level": "Local authority", "old_la_code": old, "new_la_code": new,
          "la_name": name} for old, new, name in rows]
        + [{"geographic_level": "National", "old_la_code": None, "new_la_code": None,
            "la_name": None}]).astype("string")}


TABLES = published(("841", "E06000005", "Darlington"), ("806", "E06000002", "Middlesbrough"),
                   ("807", "E06000003", "Redcar and Cleveland"))


def test_the_file_is_read_as_one_row_per_council_and_neighbour(tmp_path):
    table = read_neighbours(workbook(tmp_path / "SN_April 2021.xlsx"))
    darlington = table[table["la_number"].eq("841")]
    assert list(darlington["neighbour"]) == ["806", "807", "940"]
    assert list(darlington["rank"]) == [1, 2, 3]
    assert darlington["la_name"].iloc[0] == "Darlington"
    assert darlington["region"].iloc[0] == "North East"
    assert table["la_number"].nunique() == 3  # the footnote row is not a council


def test_neighbours_come_back_as_the_published_tables_codes_nearest_first(tmp_path):
    table = read_neighbours(workbook(tmp_path / "sn.xlsx"))
    codes = la_codes(TABLES)
    for council in ("841", "E06000005", "darlington"):
        assert neighbours_of(table, council, codes) == ["E06000002", "E06000003", "940"]


def test_a_council_not_in_the_file_is_a_clear_error(tmp_path):
    table = read_neighbours(workbook(tmp_path / "sn.xlsx"))
    with pytest.raises(DataError) as err:
        neighbours_of(table, "E09000001", la_codes(TABLES))
    message = str(err.value)
    assert "not in the statistical neighbours file" in message and "council_code" in message


def test_a_workbook_without_the_headings_is_refused_naming_them(tmp_path):
    path = workbook(tmp_path / "other.xlsx", rows=[["Code", "Name"], ["841", "Darlington"]])
    with pytest.raises(DataError) as err:
        read_neighbours(path)
    assert "LA num" in str(err.value) and "SN1" in str(err.value)


def test_the_file_is_found_in_the_published_folder_whatever_its_name(tmp_path):
    (tmp_path / "published").mkdir()
    assert neighbours_file(tmp_path) is None
    (tmp_path / "published" / "cla.csv").write_text("time_period,x\n2025,1\n")
    workbook(tmp_path / "published" / "download (3).xlsx")
    assert neighbours_file(tmp_path) == tmp_path / "published" / "download (3).xlsx"


def test_codes_given_win_then_the_file_then_every_council(tmp_path):
    (tmp_path / "published").mkdir()
    given, why = choose_neighbours(["E06000003"], TABLES, "E06000005", tmp_path)
    assert given == ["E06000003"] and "given" in why
    every, why = choose_neighbours(None, TABLES, "E06000005", tmp_path)
    assert every == ["E06000002", "E06000003"] and "every council" in why
    workbook(tmp_path / "published" / "sn.xlsx")
    chosen, why = choose_neighbours(None, TABLES, "E06000005", tmp_path)
    assert chosen == ["E06000002", "E06000003", "940"] and "sn.xlsx" in why
    # without the council's code the file cannot be used: say so, compare with all
    every, why = choose_neighbours([], TABLES, None, tmp_path)
    assert len(every) == 3 and "give council_code" in why


def test_an_la_number_given_as_a_number_finds_the_council(tmp_path):
    (tmp_path / "published").mkdir()
    workbook(tmp_path / "published" / "sn.xlsx")
    chosen, _ = choose_neighbours(None, TABLES, 841, tmp_path)  # -p council_code=841
    assert chosen == ["E06000002", "E06000003", "940"]


def test_the_council_given_by_its_la_number_is_not_its_own_neighbour(tmp_path):
    every, _ = choose_neighbours(None, TABLES, 841, tmp_path)  # no file: every council
    assert every == ["E06000002", "E06000003"]
