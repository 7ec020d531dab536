"""The lines validate_ssda903, read_ssda903_files and child_rows report are the file's own.

A file saved by hand can hold a byte-order mark, blank lines (empty, or spaces only) and a
quoted value that spans lines; the validator numbers rows 0, 1, 2... as pandas reads them,
and every row must still point to the line where it starts in the file.
"""

import pytest

from d2i_examples.tools import child_rows, read_ssda903_files, validate_ssda903
from d2i_examples.tools._csv_input import data_row_lines
from tests.test_tools_ssda903 import EPISODES, LA

pytestmark = pytest.mark.tools

BOM = "\ufeff"
# line 1: the header (after the BOM); 2: blank; 3-4: SYN001, its UPN quoted over two
# lines; 5: spaces only; 6: SYN002, whose SEX (X) rule 101 flags; 7: blank; 8: SYN003
HEADER = (
    BOM
    + "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\r\n"
    + "\r\n"
    + 'SYN001,M,01/05/2013,WBRI,"A35200001\r\n2001",,\r\n'
    + "   \r\n"
    + "SYN002,X,12/08/2012,WBRI,A352000012002,0,\r\n"
    + "\r\n"
    + "SYN003,M,03/02/2011,WBRI,A352000012003,,\r\n"
)
HEADER_LINES = {"SYN001": 3, "SYN002": 6, "SYN003": 8}
# the episode that ends before it starts (rule 356) is SYN002's, on line 5
EPISODES_FILE = BOM + EPISODES.replace("\nSYN002", "\n\n\nSYN002") + "\n\n"
EPISODE_LINES = {"SYN001": 2, "SYN002": 5, "SYN003": 6}
EPISODES_FILE = EPISODES_FILE.replace(
    "SYN002,01/09/2025,S,V2,N4,U4,PR1,10/12/2025", "SYN002,01/09/2025,S,V2,N4,U4,PR1,10/08/2025"
)


@pytest.fixture(scope="module")
def checked(tmp_path_factory):
    folder = tmp_path_factory.mktemp("lines")
    (folder / "header.csv").write_bytes(HEADER.encode("utf-8"))
    (folder / "episodes.csv").write_bytes(EPISODES_FILE.encode("utf-8"))
    result = validate_ssda903(folder, collection_year=2026, la_code=LA)
    return result, read_ssda903_files(folder)


def test_rows_start_on_their_own_lines_past_a_bom_blank_lines_and_quoted_newlines():
    assert data_row_lines(HEADER.encode("utf-8")) == [3, 6, 8]
    assert data_row_lines(EPISODES_FILE.encode("utf-8")) == [2, 5, 6]


def test_every_issue_names_the_line_its_row_starts_on(checked):
    result, tables = checked
    issues = result.issues
    assert {"101", "356"} <= set(issues["rule"])
    sex = issues[issues["rule"] == "101"]
    assert sex[["table", "line", "row", "CHILD"]].values.tolist() == [["header", 6, 1, "SYN002"]]
    ended = issues[issues["rule"] == "356"]
    assert ended[["table", "line", "row", "CHILD"]].values.tolist() == [
        ["episodes", 5, 1, "SYN002"]
    ]
    expected = {"header": HEADER_LINES, "episodes": EPISODE_LINES}
    for issue in issues.itertuples():
        assert issue.line == expected[issue.table][issue.CHILD], issue
        assert tables[issue.table].at[issue.row, "CHILD"] == issue.CHILD
    # the quoted newline reaches the validator as one value of SYN001's row
    assert tables["header"].at[0, "UPN"] == "A35200001\r\n2001"


def test_the_tables_and_child_rows_keep_the_true_lines(checked):
    result, tables = checked
    assert tables["header"]["line"].tolist() == [3, 6, 8]
    assert tables["episodes"]["line"].tolist() == [2, 5, 6]
    shown = child_rows(result, "SYN002", tables)
    assert shown["header"]["line"].tolist() == [6]
    assert shown["episodes"]["line"].tolist() == [5]
    assert shown["header"]["rules"].str.contains("101").all()
    # without the tables' own line column, child_rows falls back on the lines reported
    bare = {name: frame.drop(columns="line") for name, frame in tables.items()}
    assert child_rows(result, "SYN002", bare)["header"]["line"].tolist() == [6]
