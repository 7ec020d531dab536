"""read_annex_a: Annex A workbooks or per-list CSVs into frames with canonical headings."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import pytest

from d2i_examples.datasets import read_annex_a
from d2i_examples.datasets.annex_a import list_key
from d2i_examples.errors import DataError
from d2i_examples.spec import annex_a as spec
from tests.fixtures.datasets_build import annex_row, snapshot, write_csv, write_xlsx

L1 = spec.LISTS["list_1"][1]
L3 = spec.LISTS["list_3"][1]


def _list_1_rows():
    return [
        L1,
        annex_row("list_1", **{"Child Unique ID": "SYN0001", "Date of Birth": datetime(2015, 3, 1),
                               "Date of Contact": datetime(2025, 5, 6)}),
        annex_row("list_1", **{"Child Unique ID": 12345, "Date of Birth": "01/12/2019",
                               "Date of Contact": "2025-06-30"}),
    ]


@pytest.mark.parametrize("name", ["List 1", "List 1 - Contacts", "LIST 1", "list_1"])
def test_sheet_name_variants(tmp_path, name):
    book = write_xlsx(tmp_path / "annex_a.xlsx", {"Cover": [["Annex A"]], name: _list_1_rows()})
    data = read_annex_a(book)
    assert list(data) == ["list_1"]
    frame = data["list_1"]
    assert list(frame.columns) == L1
    assert frame["Date of Contact"].tolist() == [pd.Timestamp("2025-05-06"),
                                                 pd.Timestamp("2025-06-30")]
    assert frame["Date of Birth"].tolist() == [pd.Timestamp("2015-03-01"),
                                               pd.Timestamp("2019-12-01")]
    assert frame["Child Unique ID"].tolist() == ["SYN0001", "12345"]


def test_list_10_is_not_list_1(tmp_path):
    assert list_key("List 10 - Adoption") == "list_10"
    assert list_key("list1") == "list_1"
    assert list_key("AnnexA_list_11.csv") == "list_11"
    assert list_key("List 12") is None
    assert list_key("Checklist 2") is None


def test_header_case_spacing_title_rows_and_excel_leftovers(tmp_path):
    messy = [f"  {h.upper()} " if i % 2 else h.lower() for i, h in enumerate(L3)]
    rows = [
        ["Annex A - List 3: Referrals", None],
        [None],
        messy + [None, None],
        annex_row("list_3", **{"Date of referral": datetime(2025, 7, 1, 0, 0),
                               "Date of Birth": 43831}) + [None, None],  # 43831 = 2020-01-01
        [None] * (len(L3) + 2),
    ]
    data = read_annex_a(write_xlsx(tmp_path / "a.xlsx", {"List 3": rows}))
    frame = data["list_3"]
    assert list(frame.columns) == L3
    assert len(frame) == 1
    assert frame.loc[0, "Date of referral"] == pd.Timestamp("2025-07-01")
    assert frame.loc[0, "Date of Birth"] == pd.Timestamp("2020-01-01")


def test_extra_columns_are_kept_after_the_canonical_ones(tmp_path):
    rows = [L1 + ["Local notes"], annex_row("list_1") + ["seen"]]
    frame = read_annex_a(write_xlsx(tmp_path / "a.xlsx", {"List 1": rows}))["list_1"]
    assert list(frame.columns) == L1 + ["Local notes"]


def test_blank_and_missing_lists_are_absent(tmp_path):
    book = write_xlsx(tmp_path / "a.xlsx", {
        "List 1": _list_1_rows(), "List 2": [], "List 3": [L3],
    })
    data = read_annex_a(book)
    assert list(data) == ["list_1", "list_3"]
    assert len(data["list_3"]) == 0 and list(data["list_3"].columns) == L3


def test_folder_of_per_list_csvs_with_cp1252(tmp_path):
    r1 = annex_row("list_1", **{"Date of Birth": "01/02/2016", "Date of Contact": "03/04/2025",
                                "Contact Source": "Renée's school £"})
    write_csv(tmp_path / "AnnexA list 1.csv", L1, [[str(v) for v in r1]], encoding="cp1252")
    r3 = annex_row("list_3", **{"Date of referral": "2025-04-05",
                                "Allocated Worker": "Zoë Synthetic"})
    write_csv(tmp_path / "annex_a_List_3.csv", L3, [[str(v) for v in r3]])
    (tmp_path / "~$annex.xlsx").write_bytes(b"lock")
    (tmp_path / "readme.txt").write_text("not a list")
    data = read_annex_a(tmp_path)
    assert list(data) == ["list_1", "list_3"]
    assert data["list_1"].loc[0, "Contact Source"] == "Renée's school £"
    assert data["list_1"].loc[0, "Date of Contact"] == pd.Timestamp("2025-04-03")
    assert data["list_3"].loc[0, "Allocated Worker"] == "Zoë Synthetic"
    assert data["list_3"].loc[0, "Date of referral"] == pd.Timestamp("2025-04-05")


def test_folder_with_one_workbook_and_its_lock_file(tmp_path):
    write_xlsx(tmp_path / "annex_a.xlsx", {"List 1": _list_1_rows()})
    (tmp_path / "~$annex_a.xlsx").write_bytes(b"\x00" * 165)
    assert list(read_annex_a(tmp_path)) == ["list_1"]


def test_round_trip_every_list(tmp_path):
    sheets, expected = {}, {}
    for key, (sheet, headings) in spec.LISTS.items():
        frame = pd.DataFrame([annex_row(key, **{"Child Unique ID": f"SYN{key[5:]}"})],
                             columns=headings)
        for col in spec.date_columns(key):
            frame[col] = pd.Timestamp("2025-10-01")
        expected[key] = frame
        sheets[sheet] = [headings] + [
            [v.to_pydatetime() if isinstance(v, pd.Timestamp) else v for v in row]
            for row in frame.itertuples(index=False)
        ]
    data = read_annex_a(write_xlsx(tmp_path / "all.xlsx", sheets))
    assert list(data) == list(spec.LISTS)
    for key, frame in expected.items():
        pd.testing.assert_frame_equal(data[key], frame, check_dtype=False)


def test_nothing_is_modified(tmp_path):
    write_xlsx(tmp_path / "annex_a.xlsx", {"List 1": _list_1_rows()})
    before = snapshot(tmp_path)
    read_annex_a(tmp_path / "annex_a.xlsx")
    read_annex_a(tmp_path)
    assert snapshot(tmp_path) == before


# --- bad input --------------------------------------------------------------------------


def _error(path) -> DataError:
    with pytest.raises(DataError) as info:
        read_annex_a(path)
    return info.value


def test_not_found(tmp_path):
    err = _error(tmp_path / "annex.xlsx")
    assert "annex.xlsx" in err.file and "not found" in err.problem


def test_workbook_without_list_sheets(tmp_path):
    err = _error(write_xlsx(tmp_path / "a.xlsx", {"Sheet1": [["x"]], "Summary": [["y"]]}))
    assert "no Annex A list sheets" in err.problem and "a.xlsx" in err.file
    assert "'Sheet1'" in err.found and "'Summary'" in err.found


def test_missing_heading_with_near_miss(tmp_path):
    headings = ["DOB" if h == "Date of Birth" else h for h in L1]
    err = _error(write_xlsx(tmp_path / "a.xlsx", {"List 1": [headings, annex_row("list_1")]}))
    assert err.column == "Date of Birth" and "List 1" in err.file and "a.xlsx" in err.file
    assert "'DOB'" in err.found and "Rename 'DOB' to 'Date of Birth'" in err.fix


def test_missing_heading_spelling_near_miss(tmp_path):
    headings = ["Date of Contct" if h == "Date of Contact" else h for h in L1]
    err = _error(write_xlsx(tmp_path / "a.xlsx", {"List 1": [headings]}))
    assert err.column == "Date of Contact"
    assert "Rename 'Date of Contct' to 'Date of Contact'" in err.fix


def test_bad_date_names_sheet_row_and_value(tmp_path):
    rows = _list_1_rows() + [annex_row("list_1", **{"Date of Contact": "Tuesday"})]
    err = _error(write_xlsx(tmp_path / "a.xlsx", {"List 1 - Contacts": rows}))
    assert err.column == "Date of Contact"
    assert "'List 1 - Contacts'" in err.file and "'Tuesday' at row 4" in err.found


def test_us_date_in_csv_list(tmp_path):
    r = annex_row("list_1", **{"Date of Contact": "05/23/2025"})
    write_csv(tmp_path / "list1.csv", L1, [[str(v) for v in r]])
    err = _error(tmp_path)
    assert err.column == "Date of Contact" and "list1.csv" in err.file
    assert "US-style" in err.problem


def test_duplicate_list_sheets(tmp_path):
    err = _error(write_xlsx(tmp_path / "a.xlsx", {"List 1": [L1], "list 1 (old)": [L1]}))
    assert "Two sheets hold Annex A List 1" in err.problem
    assert "'List 1'" in err.found and "'list 1 (old)'" in err.found


def test_corrupt_workbook(tmp_path):
    path = tmp_path / "annex.xlsx"
    path.write_bytes(b"PK\x03\x04\x14\x00garbage")
    err = _error(path)
    assert "annex.xlsx" in err.file and "unprotected as .xlsx" in err.fix


def test_password_protected_workbook(tmp_path):
    path = tmp_path / "annex.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    err = _error(path)
    assert "password-protected" in err.found and "unprotected as .xlsx" in err.fix


def test_old_xls(tmp_path):
    path = tmp_path / "annex.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
    err = _error(path)
    assert "annex.xls" in err.file and "Excel Workbook (*.xlsx)" in err.fix


def test_empty_folder(tmp_path):
    err = _error(tmp_path)
    assert "empty" in err.problem and str(tmp_path) in err.file


def test_two_workbooks_in_folder(tmp_path):
    write_xlsx(tmp_path / "a.xlsx", {"List 1": [L1]})
    write_xlsx(tmp_path / "b.xlsx", {"List 1": [L1]})
    err = _error(tmp_path)
    assert "a.xlsx" in err.found and "b.xlsx" in err.found
