"""read_ssda903: tidy frames from what councils have, one clear DataError otherwise."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

from d2i_examples.datasets import parse_collection_year, read_ssda903
from d2i_examples.errors import DataError
from d2i_examples.spec import ssda903 as spec
from tests.fixtures.datasets_build import (
    ROWS_903,
    columns_903,
    snapshot,
    write_903,
    write_csv,
    write_xlsx,
)

# --- happy paths ------------------------------------------------------------------------


def test_reads_tables_with_spec_columns_dates_and_codes(tmp_path):
    folder = write_903(tmp_path / "2026", ("header", "episodes", "reviews", "missing"),
                       names={"header": "a.csv", "episodes": "zz_export.csv"})
    data = read_ssda903(folder)
    assert list(data) == ["header", "episodes", "reviews", "missing"]
    for table, frame in data.items():
        assert list(frame.columns) == columns_903(table)
        assert len(frame) == len(ROWS_903[table])
        assert isinstance(frame.index, pd.RangeIndex)
    ep = data["episodes"]
    assert str(ep["DECOM"].dtype).startswith("datetime64")
    assert ep["DECOM"].tolist() == [pd.Timestamp("2025-04-01"), pd.Timestamp("2025-09-15"),
                                    pd.Timestamp("2025-05-02")]
    assert ep["DEC"].isna().tolist() == [False, True, True]
    assert ep["REC"].isna().tolist() == [False, True, True]
    assert data["header"].loc[1, "MC_DOB"] == pd.Timestamp("2025-06-20")
    assert data["header"]["MOTHER"].tolist()[1] == "1"


def test_optional_tables_absent_from_result(tmp_path):
    data = read_ssda903(write_903(tmp_path))
    assert set(data) == {"header", "episodes"}


def test_bom_header_case_spaces_iso_dates_and_trailing_blanks(tmp_path):
    write_903(tmp_path, ("episodes",))
    header = (
        "\ufeffchild , Sex,dob ,ethnic,UPN, mother,MC_DOB,,\r\n"
        " SYN0001 ,m,2012-02-14, wbri ,UN1,,,,\r\n"
        "SYN0002,F,3/11/2008,BAFR,UN2,1,20/06/2025 00:00:00,,\r\n"
        ",,,,,,,,\r\n,,,,,,,,\r\n"
    )
    (tmp_path / "header.csv").write_bytes(header.encode("utf-8"))
    h = read_ssda903(tmp_path)["header"]
    assert list(h.columns) == columns_903("header")
    assert h["CHILD"].tolist() == ["SYN0001", "SYN0002"]
    assert h["SEX"].tolist() == ["M", "F"]          # codes upper-cased
    assert h["ETHNIC"].tolist() == ["WBRI", "BAFR"]  # and stripped
    assert h["DOB"].tolist() == [pd.Timestamp("2012-02-14"), pd.Timestamp("2008-11-03")]
    assert h.loc[1, "MC_DOB"] == pd.Timestamp("2025-06-20")


def test_windows_1252_and_semicolons(tmp_path):
    write_903(tmp_path, ("header",))
    rows = [dict(r, HOME_POST="ZZ1 1AA", PL_POST="ZZ1 2AÉ") for r in ROWS_903["episodes"]]
    write_csv(tmp_path / "episodes.csv", columns_903("episodes"), rows, encoding="cp1252",
              sep=";")
    ep = read_ssda903(tmp_path)["episodes"]
    assert ep["PL_POST"].tolist() == ["ZZ1 2AÉ"] * 3


def test_utf16_tab_separated_as_excel_unicode_text(tmp_path):
    write_903(tmp_path, ("episodes",))
    write_csv(tmp_path / "header.txt.csv", columns_903("header"), ROWS_903["header"],
              encoding="utf-16", sep="\t")
    assert read_ssda903(tmp_path)["header"]["CHILD"].tolist() == ["SYN0001", "SYN0002"]


def test_xlsx_table_with_real_excel_dates_and_numbers(tmp_path):
    write_903(tmp_path, ("episodes",))
    write_xlsx(tmp_path / "header.xlsx", {"Sheet1": [
        columns_903("header"),
        ["SYN0001", "M", pd.Timestamp("2012-02-14").to_pydatetime(), "WBRI", "UN1", None, None],
        ["SYN0002", "F", "03/11/2008", "BAFR", "UN2", 1, None],
        [None] * 7,
    ], "Notes": []})
    h = read_ssda903(tmp_path)["header"]
    assert h["DOB"].tolist() == [pd.Timestamp("2012-02-14"), pd.Timestamp("2008-11-03")]
    assert h["MOTHER"].tolist()[1] == "1"  # Excel's number 1, not "1.0"


def test_one_workbook_with_a_table_per_sheet(tmp_path):
    sheets = {
        t: [columns_903(t)] + [[r[c] for c in columns_903(t)] for r in ROWS_903[t]]
        for t in ("header", "episodes", "reviews")
    }
    book = write_xlsx(tmp_path / "903.xlsx", sheets)
    assert set(read_ssda903(book)) == {"header", "episodes", "reviews"}


def test_partial_date_perm_is_not_an_error(tmp_path):
    data = read_ssda903(write_903(tmp_path, ("header", "episodes", "previous_permanence")))
    assert data["previous_permanence"]["DATE_PERM"].isna().all()


def test_excel_lock_file_is_ignored(tmp_path):
    write_903(tmp_path)
    (tmp_path / "~$header.xlsx").write_bytes(b"\x00locked by someone")
    assert set(read_ssda903(tmp_path)) == {"header", "episodes"}


def test_unrecognised_file_is_skipped_with_a_warning(tmp_path):
    write_903(tmp_path)
    write_csv(tmp_path / "notes.csv", ["Note", "Author"], [["Checked", "SYN"]])
    with pytest.warns(UserWarning, match="notes.csv"):
        assert set(read_ssda903(tmp_path)) == {"header", "episodes"}


def test_round_trip_of_hand_built_frames(tmp_path):
    header = pd.DataFrame({
        "CHILD": ["SYN0101", "SYN0102", "SYN0103"], "SEX": ["F", "U", "M"],
        "DOB": pd.to_datetime(["2010-01-31", "2015-12-01", "2024-02-29"]),
        "ETHNIC": ["WBRI", "CHNE", "NOBT"], "UPN": ["UN3", "UN4", "UN5"],
        "MOTHER": ["0", None, None], "MC_DOB": pd.to_datetime([None, None, None]),
    })
    episodes = pd.DataFrame({c: pd.Series([float("nan")], dtype=object)
                             for c in columns_903("episodes")})
    episodes.loc[0, ["CHILD", "RNE", "LS", "PLACE"]] = ["SYN0101", "S", "V2", "Z11"]
    episodes["DECOM"] = pd.to_datetime(["2025-06-30"])
    episodes["DEC"] = pd.to_datetime([None])
    for name, frame in {"header": header, "episodes": episodes}.items():
        frame.to_csv(tmp_path / f"{name}.csv", index=False, date_format=spec.DATE_FORMAT)
    back = read_ssda903(tmp_path, collection_year=2026)
    pd.testing.assert_frame_equal(back["header"], header, check_dtype=False)
    pd.testing.assert_frame_equal(back["episodes"], episodes, check_dtype=False)


def test_nothing_the_reader_owns_is_modified(tmp_path):
    folder = write_903(tmp_path / "903", ("header", "episodes", "reviews"))
    write_xlsx(folder / "missing.xlsx", {"Missing": [columns_903("missing")]})
    before = snapshot(folder)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        read_ssda903(folder)
    assert snapshot(folder) == before


@pytest.mark.parametrize("given, year", [(2026, 2026), ("2026", 2026), ("2025/26", 2026),
                                          ("2024-25", 2025), ("2022 to 2023", 2023)])
def test_collection_year_forms(given, year):
    assert parse_collection_year(given) == year


# --- bad input: each its own DataError naming the file and the column or value -------------


def _error(folder, **kwargs) -> DataError:
    with pytest.raises(DataError) as info:
        read_ssda903(folder, **kwargs)
    return info.value


def test_folder_not_found(tmp_path):
    err = _error(tmp_path / "no_such_folder")
    assert "not found" in str(err)
    assert "no_such_folder" in str(err)
    assert str(tmp_path) in str(err)  # the parent exists: says so


def test_empty_folder(tmp_path):
    err = _error(tmp_path)
    assert "empty" in err.problem
    assert str(tmp_path) in str(err)


def test_folder_of_year_folders_says_pick_one(tmp_path):
    write_903(tmp_path / "2025")
    write_903(tmp_path / "2026")
    err = _error(tmp_path)
    assert "2025" in err.fix and "2026" in err.fix and "one year" in err.fix


def test_wrong_return_in_folder(tmp_path):
    write_csv(tmp_path / "list_1.csv",
              ["Child Unique ID", "Gender", "Ethnicity", "Date of Birth", "Date of Contact"],
              [["SYN1", "b) Female", "WBRI", "01/01/2015", "01/05/2025"]])
    err = _error(tmp_path)
    assert "No SSDA903 tables" in err.problem
    assert "list_1.csv" in err.found and "Child Unique ID" in err.found
    assert "read_annex_a" in err.fix


def test_required_table_missing(tmp_path):
    write_903(tmp_path, ("header", "reviews"))
    err = _error(tmp_path)
    assert "episodes" in err.problem
    assert "DECOM" in err.expected  # lists the columns the missing table needs
    assert "header.csv" in err.found and "reviews.csv" in err.found


def test_missing_column_with_near_miss_suggested(tmp_path):
    write_903(tmp_path, ("episodes",))
    cols = [("Date_of_birth" if c == "DOB" else c) for c in columns_903("header")]
    rows = [[r[c] for c in columns_903("header")] for r in ROWS_903["header"]]
    write_csv(tmp_path / "header.csv", cols, rows)
    err = _error(tmp_path)
    assert err.column == "DOB"
    assert "header.csv" in err.file
    assert "'Date_of_birth' to DOB" in err.fix


def test_missing_column_without_look_alike_says_add_it(tmp_path):
    write_903(tmp_path, ("header",))
    cols = [c for c in columns_903("episodes") if c != "URN"]
    write_csv(tmp_path / "episodes.csv", cols, ROWS_903["episodes"])
    err = _error(tmp_path)
    assert err.column == "URN" and "episodes.csv" in err.file
    assert "Add the missing column" in err.fix


def test_extra_column_is_named(tmp_path):
    write_903(tmp_path, ("header",))
    cols = columns_903("episodes") + ["NOTES"]
    write_csv(tmp_path / "episodes.csv", cols, [dict(r, NOTES="x") for r in ROWS_903["episodes"]])
    err = _error(tmp_path)
    assert err.column == "NOTES" and "episodes.csv" in err.file


def test_row_with_an_unquoted_comma(tmp_path):
    write_903(tmp_path, ("header",))
    rows = [list(r.values()) for r in ROWS_903["episodes"]]
    rows[1][11] = "ZZ9 9AA, flat 2"
    write_csv(tmp_path / "episodes.csv", columns_903("episodes"), rows)
    err = _error(tmp_path)
    assert err.column == "(no heading, column N)" and "episodes.csv" in err.file
    assert "unquoted comma" in err.fix


def test_duplicate_tables(tmp_path):
    write_903(tmp_path)
    write_csv(tmp_path / "episodes_old.csv", columns_903("episodes"), ROWS_903["episodes"])
    err = _error(tmp_path)
    assert "Two files hold the SSDA903 episodes table" in err.problem
    assert "episodes.csv" in err.file and "episodes_old.csv" in err.file


def test_unparseable_date_names_row_and_value(tmp_path):
    write_903(tmp_path, ("header",))
    rows = [dict(r) for r in ROWS_903["episodes"]]
    rows[1]["DECOM"] = "15th Sept 2025"
    write_csv(tmp_path / "episodes.csv", columns_903("episodes"), rows)
    err = _error(tmp_path)
    assert err.column == "DECOM" and "episodes.csv" in err.file
    assert "'15th Sept 2025' at row 3" in err.found  # heading is row 1


def test_us_style_date_is_explained(tmp_path):
    write_903(tmp_path, ("episodes",))
    rows = [dict(r) for r in ROWS_903["header"]]
    rows[0]["DOB"] = "12/31/2011"
    write_csv(tmp_path / "header.csv", columns_903("header"), rows)
    err = _error(tmp_path)
    assert err.column == "DOB" and "header.csv" in err.file
    assert "US-style" in err.problem and "'12/31/2011' at row 2" in err.found
    assert "day/month/year" in err.fix


def test_impossible_date(tmp_path):
    write_903(tmp_path, ("header",))
    rows = [dict(r) for r in ROWS_903["episodes"]]
    rows[2]["DECOM"] = "31/02/2025"
    write_csv(tmp_path / "episodes.csv", columns_903("episodes"), rows)
    err = _error(tmp_path)
    assert err.column == "DECOM" and "'31/02/2025' at row 4" in err.found
    assert "does not exist" in err.problem


def test_zero_byte_file(tmp_path):
    # an empty required table is refused (an empty optional one is no rows:
    # tests/test_sparse_data.py)
    write_903(tmp_path, ("episodes",))
    (tmp_path / "header.csv").write_bytes(b"")
    err = _error(tmp_path)
    assert "empty" in err.problem and "header.csv" in err.file


@pytest.mark.parametrize("table, column, bad", [
    ("header", "SEX", "X"),
    ("episodes", "LS", "C9"),
    ("episodes", "PLACE", "U9"),
    ("episodes", "RNE", "Q"),
    ("episodes", "REC", "E99"),
    ("episodes", "CIN", "N9"),
    ("reviews", "REVIEW_CODE", "PN8"),
])
def test_invalid_code(tmp_path, table, column, bad):
    write_903(tmp_path, ("header", "episodes", "reviews"))
    rows = [dict(r) for r in ROWS_903[table]]
    rows[0][column] = bad
    write_csv(tmp_path / f"{table}.csv", columns_903(table), rows)
    err = _error(tmp_path)
    assert err.column == column and f"{table}.csv" in err.file
    assert f"'{bad}' at row 2" in err.found
    # a fix a reader can apply from the command line or a settings file
    assert "check_codes" not in err.fix
    assert f"mapping > ssda903 > codes > {column}" in err.fix and "checking-ssda903" in err.fix
    # and Python code can load it anyway
    loaded = read_ssda903(tmp_path, check_codes=False)[table]
    assert loaded.loc[0, column] == bad


def test_code_of_another_year_says_which_year(tmp_path):
    write_903(tmp_path, ("header",))
    rows = [dict(r) for r in ROWS_903["episodes"]]
    rows[2]["PLACE"] = "Z1"
    write_csv(tmp_path / "episodes.csv", columns_903("episodes"), rows)
    err = _error(tmp_path, collection_year="2025/26")
    assert err.column == "PLACE" and "'Z1' at row 4" in err.found
    assert "2025/26" in err.problem and "collection_year=2025" in err.fix
    assert "Z11" in err.expected
    # Z1 is a code of some supported year, so the default check lets it through
    assert read_ssda903(tmp_path)["episodes"].loc[2, "PLACE"] == "Z1"


def test_old_excel_format(tmp_path):
    write_903(tmp_path)
    (tmp_path / "reviews.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    err = _error(tmp_path)
    assert "reviews.xls" in err.file and ".xlsx" in err.fix


def test_corrupt_xlsx(tmp_path):
    write_903(tmp_path)
    (tmp_path / "reviews.xlsx").write_bytes(b"PK\x03\x04 this is not really a workbook")
    err = _error(tmp_path)
    assert "reviews.xlsx" in err.file and "could not be opened" in err.problem
    assert "unprotected as .xlsx" in err.fix


def test_password_protected_xlsx(tmp_path):
    write_903(tmp_path)
    # Excel saves an encrypted .xlsx as an OLE2 compound file, not a zip
    (tmp_path / "reviews.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 500)
    err = _error(tmp_path)
    assert "reviews.xlsx" in err.file and "password-protected" in err.found
    assert "unprotected as .xlsx" in err.fix


def test_single_csv_instead_of_folder(tmp_path):
    folder = write_903(tmp_path)
    err = _error(folder / "header.csv")
    assert "not one file" in err.problem and str(folder) in err.fix


def test_repeated_heading(tmp_path):
    write_903(tmp_path, ("header",))
    cols = columns_903("episodes") + ["DECOM"]
    write_csv(tmp_path / "episodes.csv", cols, [list(r.values()) + ["01/04/2025"]
                                                for r in ROWS_903["episodes"]])
    err = _error(tmp_path)
    assert err.column == "DECOM" and "episodes.csv" in err.file


def test_bad_collection_year(tmp_path):
    err = _error(write_903(tmp_path), collection_year=2017)
    assert err.column == "collection_year" and "2016/17" in err.found
    assert "2017/18" in err.expected


@pytest.mark.parametrize("year", [2018, 2019, 2022])
def test_years_before_2022_23_are_read_with_the_2022_23_code_lists(tmp_path, year):
    header = [dict(r, SEX={"M": "1", "F": "2"}[r["SEX"]]) for r in ROWS_903["header"]]
    write_903(tmp_path, ("episodes",))
    write_csv(tmp_path / "header.csv", columns_903("header"), header)
    tables = read_ssda903(tmp_path, collection_year=year)
    assert list(tables["header"]["SEX"]) == ["1", "2"]
    assert spec.codes("PLACE", year) == spec.codes("PLACE", 2023)
    with pytest.raises(DataError) as caught:  # the letters came in 2024/25
        read_ssda903(write_903(tmp_path / "letters"), collection_year=year)
    assert caught.value.column == "SEX" and "2024/25 to 2026/27" in caught.value.fix


# --- structure only (files handed to a validator) ---------------------------------------


def _with_bad_values(folder):
    """A 903 folder with a code no year has (SEX=9) and a date that does not exist."""
    header = [dict(r) for r in ROWS_903["header"]]
    header[0]["SEX"] = " 9 "
    episodes = [dict(r) for r in ROWS_903["episodes"]]
    episodes[2]["DECOM"] = "31/09/2025"
    write_csv(folder / "header.csv", columns_903("header"), header)
    write_csv(folder / "episodes.csv", columns_903("episodes"), episodes)
    return folder


def test_structure_only_leaves_values_as_stripped_text(tmp_path):
    folder = _with_bad_values(tmp_path)
    with pytest.raises(DataError):
        read_ssda903(folder, collection_year=2026)
    data = read_ssda903(folder, collection_year=2026, parse_values=False)
    assert list(data) == ["header", "episodes"]
    assert list(data["episodes"].columns) == columns_903("episodes")
    assert data["header"].loc[0, "SEX"] == "9"
    assert data["episodes"]["DECOM"].tolist() == ["01/04/2025", "15/09/2025", "31/09/2025"]
    assert data["episodes"]["DEC"].isna().tolist() == [False, True, True]


def test_structure_only_still_needs_tables_and_columns(tmp_path):
    write_903(tmp_path / "a", ("header",))
    with pytest.raises(DataError, match="episodes table is missing"):
        read_ssda903(tmp_path / "a", parse_values=False)
    folder = _with_bad_values(tmp_path / "b")
    header = folder / "header.csv"
    header.write_text(header.read_text().replace("DOB", "Date_of_birth", 1))
    with pytest.raises(DataError) as caught:
        read_ssda903(folder, parse_values=False)
    assert caught.value.column == "DOB" and "'Date_of_birth' to DOB" in caught.value.fix


def test_the_2026_27_dolo_table_is_read_with_its_dates(tmp_path):
    """The deprivation of liberty order table (new in 2026/27) is recognised by its columns,
    whatever the file is called, and its dates are parsed; a blank end is an open order."""
    folder = write_903(tmp_path / "903")
    write_csv(folder / "DoL orders.csv", ["CHILD", "DOB", "DOLO_START", "DOLO_END"],
              [["SYN0001", "14/02/2012", "01/10/2025", ""],
               ["SYN0002", "03/11/2008", "02/06/2025", "30/09/2025"]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no "skipped" warning: the file is a 903 table
        tables = read_ssda903(folder, collection_year=2027)
    dolo = tables["dolo"]
    assert list(dolo.columns) == ["CHILD", "DOB", "DOLO_START", "DOLO_END"]
    assert dolo["DOLO_START"].tolist() == [pd.Timestamp("2025-10-01"), pd.Timestamp("2025-06-02")]
    assert dolo["DOLO_END"].isna().tolist() == [True, False]


def test_us_dates_are_named_before_the_codes_they_come_with(tmp_path):
    # re-saved in Excel set to US English: month/day dates, and codes of another year
    header = [dict(r, SEX="1", DOB="02/14/2012" if i == 0 else r["DOB"])
              for i, r in enumerate(ROWS_903["header"])]
    write_903(tmp_path, ("episodes",))
    write_csv(tmp_path / "header.csv", columns_903("header"), header)
    err = _error(tmp_path, collection_year=2026)
    assert err.column == "DOB" and "US-style month/day/year" in err.problem
