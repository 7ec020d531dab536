"""issues_workbook / write_issues_workbook: a validator's findings as a work-through workbook."""

from io import BytesIO

import openpyxl
import pandas as pd
import pytest

from d2i_examples import paths
from d2i_examples.errors import DataError
from d2i_examples.tools import SSDA903_FIXES, validate_ssda903
from d2i_examples.tools.issues_workbook import (
    FIXED_CHOICES,
    ISSUES_SHEET,
    SUMMARY_SHEET,
    WHOLE_RETURN,
    issues_workbook,
    write_issues_workbook,
)
from d2i_examples.tools.validation_result import ValidationResult
from tests.test_tools_ssda903 import HEADER, LA, PLANTED_EPISODES, PLANTED_HEADER, write


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    folder = write(tmp_path_factory.mktemp("planted"), header=PLANTED_HEADER,
                   episodes=PLANTED_EPISODES)
    return validate_ssda903(folder, collection_year=2026, la_code=LA)


def sheet_frame(sheet) -> pd.DataFrame:
    rows = list(sheet.iter_rows(values_only=True))
    return pd.DataFrame(rows[1:], columns=rows[0])


def open_book(content: bytes):
    return openpyxl.load_workbook(BytesIO(content))


def test_two_sheets_with_the_issue_columns_and_a_row_per_issue(planted):
    assert len(planted.issues) >= 2  # the planted SEX and date errors
    book = open_book(issues_workbook(planted))
    assert book.sheetnames == [ISSUES_SHEET, SUMMARY_SHEET]
    issues = sheet_frame(book[ISSUES_SHEET])
    expected = ["CHILD"] + [c for c in planted.issues.columns if c != "CHILD"]
    assert list(issues.columns) == expected + ["Guidance", "Fixed?", "Comment"]
    assert len(issues) == len(planted.issues)
    key = ["CHILD", "rule", "table", "column", "value"]
    assert (
        issues[key].astype(str).sort_values(key).values.tolist()
        == planted.issues[key].astype(str).sort_values(key).values.tolist()
    )
    # file lines survive as numbers, the Fixed?/Comment columns start blank
    sex = issues[(issues["rule"] == "101")].iloc[0]
    assert sex["CHILD"] == "SYN002" and sex["line"] == 3 and sex["value"] == "X"
    assert issues[["Fixed?", "Comment"]].isna().all().all()


def test_summary_sheet_lists_each_rule_once_with_rules_not_run(planted):
    summary = sheet_frame(open_book(issues_workbook(planted))[SUMMARY_SHEET])
    assert list(summary.columns) == list(planted.summary.columns) + ["Guidance"]
    assert summary["rule"].tolist() == planted.summary["rule"].tolist()
    not_run = summary[summary["rule"].isin(["231", "233"])]
    assert not_run["status"].str.startswith("not run").all()


def test_headers_are_frozen_filtered_and_fixed_is_a_drop_down(planted):
    book = open_book(issues_workbook(planted))
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "B2"
        assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, sheet.max_column).column_letter}" \
            f"{sheet.max_row}"
        assert all(cell.font.bold for cell in sheet[1])
    issues = book[ISSUES_SHEET]
    fixed = next(c.column_letter for c in issues[1] if c.value == "Fixed?")
    (validation,) = issues.data_validations.dataValidation
    assert validation.type == "list"
    assert validation.formula1 == '"' + ",".join(FIXED_CHOICES) + '"'
    assert str(validation.sqref) == f"{fixed}2:{fixed}{issues.max_row}"


def test_guidance_gives_fixes_and_marks_known_faults(planted):
    book = open_book(issues_workbook(planted, SSDA903_FIXES, known_faults={"101": "a reason"}))
    issues = sheet_frame(book[ISSUES_SHEET])
    by_rule = issues.groupby("rule")["Guidance"].first()
    assert by_rule["101"] == "Known validator fault: a reason"
    assert by_rule["356"] == SSDA903_FIXES["356"]  # the planted episode dates
    for rule in by_rule.index.drop("101"):
        assert by_rule[rule] == SSDA903_FIXES.get(rule)  # a blank cell reads as None
    summary = sheet_frame(book[SUMMARY_SHEET]).set_index("rule")
    assert summary.loc["101", "Guidance"] == "Known validator fault: a reason"


def test_rows_are_grouped_by_child_and_whole_return_issues_come_last():
    issues = pd.DataFrame({
        "rule": ["2886Q", "4180", "8610", "4180"],
        "description": ["percentage", "sex", "need", "sex"],
        "type": ["Query", "Error", "Error", "Error"],
        "table": ["ChildIdentifiers", "ChildIdentifiers", "CINdetails", "ChildIdentifiers"],
        "row": pd.array([pd.NA, 3, 0, 1], dtype="Int64"),
        "LAchildID": [None, "SYN9", "SYN1", "SYN1"],
        "CINdetailsID": [None, None, "1", None],
        "column": [None, "Sex", "PrimaryNeedCode", "Sex"],
        "value": [None, "X", None, "Q"],
        "note": ["return-level", "", "", ""],
    })
    summary = pd.DataFrame({"rule": ["4180"], "description": ["sex"], "type": ["Error"],
                            "children": [2], "rows": [2], "status": ["run"], "note": [""]})
    result = ValidationResult("CIN census validation", issues, summary,
                              pd.DataFrame(columns=["rule", "status"]), 2026, None,
                              child_column="LAchildID")
    sheet = sheet_frame(open_book(issues_workbook(result))[ISSUES_SHEET])
    assert sheet["LAchildID"].tolist() == ["SYN1", "SYN1", "SYN9", WHOLE_RETURN]
    assert sheet["rule"].tolist() == ["8610", "4180", "4180", "2886Q"]  # stable within child
    assert list(sheet.columns[:2]) == ["LAchildID", "rule"]


def test_a_clean_result_gives_header_only_sheets(tmp_path):
    folder = write(tmp_path / "clean", header=HEADER,
                   episodes=PLANTED_EPISODES.replace("10/08/2025", "10/12/2025"))
    clean = validate_ssda903(folder, collection_year=2026, la_code=LA)
    assert clean.issues.empty
    book = open_book(issues_workbook(clean))
    assert book[ISSUES_SHEET].max_row == 1
    assert book[SUMMARY_SHEET].max_row == 1 + len(clean.summary)


def test_write_issues_workbook_saves_outside_the_project(planted, tmp_path):
    target = tmp_path / "reports" / "issues.xlsx"
    saved = write_issues_workbook(planted, target, SSDA903_FIXES)
    assert saved == target.resolve()
    assert saved.read_bytes()[:2] == b"PK"
    assert open_book(saved.read_bytes()).sheetnames == [ISSUES_SHEET, SUMMARY_SHEET]


def test_write_issues_workbook_refuses_the_project_folder_and_other_suffixes(planted, tmp_path):
    inside = paths.ROOT / "notebooks" / "issues-should-not-exist.xlsx"
    with pytest.raises(DataError, match="inside the project folder"):
        write_issues_workbook(planted, inside)
    assert not inside.exists()
    with pytest.raises(DataError, match=r"\.xlsx"):
        write_issues_workbook(planted, tmp_path / "issues.csv")
    assert not (tmp_path / "issues.csv").exists()
