"""d2i_examples.tools.validate_ssda903 runs D2I's real SSDA903 validator (lac_validator)."""

import logging
from io import StringIO

import pandas as pd
import pytest

from d2i_examples.errors import DataError
from d2i_examples.tools import ssda903_rules, validate_ssda903

LA = "E08000003"  # Manchester: the postcodes below are real Manchester postcodes

HEADER = """\
CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB
SYN001,M,01/05/2013,WBRI,A352000012001,,
SYN002,F,12/08/2012,WBRI,A352000012002,0,
SYN003,M,03/02/2011,WBRI,A352000012003,,
"""
EPISODES = """\
CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN
SYN001,15/06/2025,S,C2,N1,U4,PR1,,,,M1 1AD,M1 1AE,XXXXXXX
SYN002,01/09/2025,S,V2,N4,U4,PR1,10/12/2025,E4A,,M1 1AD,M1 1AF,XXXXXXX
SYN003,20/04/2025,S,C2,N1,U4,PR1,,,,M1 1AD,M1 1AG,XXXXXXX
"""
UASC = """\
CHILD,SEX,DOB,DUC
SYN003,M,03/02/2011,03/02/2029
"""
# planted errors, both on SYN002 (line 3 of each file): an invalid SEX code, and an
# episode that ends (10/08/2025) before it starts (01/09/2025)
PLANTED_HEADER = HEADER.replace("SYN002,F,", "SYN002,X,")
PLANTED_EPISODES = EPISODES.replace(
    "SYN002,01/09/2025,S,V2,N4,U4,PR1,10/12/2025", "SYN002,01/09/2025,S,V2,N4,U4,PR1,10/08/2025"
)


def write(folder, **tables):
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in tables.items():
        (folder / f"{name}.csv").write_text(text)
    return folder


@pytest.fixture(scope="module")
def clean(tmp_path_factory):
    folder = write(tmp_path_factory.mktemp("clean"), header=HEADER, episodes=EPISODES)
    return validate_ssda903(folder, collection_year=2026, la_code=LA)


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    folder = write(
        tmp_path_factory.mktemp("planted"),
        header=PLANTED_HEADER,
        episodes=PLANTED_EPISODES,
        uasc=UASC,
    )
    return validate_ssda903(folder, collection_year=2026, la_code=LA)


def test_clean_return_has_no_issues_and_reports_the_rules_that_could_not_run(clean):
    assert clean.issues.empty
    assert len(clean.rules) == len(ssda903_rules(2026))
    assert set(clean.not_run["rule"]) == {"231", "233"}
    assert list(clean.summary["rule"]) == ["231", "233"]
    assert clean.summary["status"].str.startswith("not run: validator bug").all()
    assert (clean.rules.loc[~clean.rules["rule"].isin(["231", "233"]), "status"] != "").all()
    assert {"run", "skipped: needs the oc2 table"} <= set(clean.rules["status"])


def test_rules_not_run_say_whether_they_crashed_or_were_skipped_and_what_they_need(clean):
    """Two kinds of "not run": bugs inside the validator, and rules skipped for a lookup."""
    table = clean.not_checked.set_index("rule")
    assert set(table.index[table["why"] == "crashed inside the validator"]) == {"231", "233"}
    providers = {"219", "221", "224", "227", "228", "229", "1008"}
    assert (table.loc[sorted(providers), "why"] == "skipped by the validator").all()
    assert table.loc[sorted(providers), "status"].str.contains(
        "Children's homes' and 'Social care providers' lists").all()
    assert "XML returns only" in table.loc["105", "status"]
    text = repr(clean)
    assert "2 rule(s) crashed inside the validator and could not run: 231, 233." in text
    assert "7 rule(s) were skipped: they need a lookup that was not given" in text


def test_planted_errors_are_found_on_the_right_child_row_and_column(planted):
    issues = planted.issues
    # 406 is real too: SYN003 is in the UASC table, and UASC children should have no
    # placement distance, which the validator derives from the two postcodes
    assert set(issues["rule"]) == {"101", "356", "406"}
    assert issues.loc[issues["rule"] == "406", "CHILD"].tolist() == ["SYN003"]
    sex = issues[issues["rule"] == "101"].iloc[0]
    assert (sex["table"], sex["file"], sex["line"], sex["row"]) == ("header", "header.csv", 3, 1)
    assert (sex["CHILD"], sex["column"], sex["value"]) == ("SYN002", "SEX", "X")
    ended = issues[issues["rule"] == "356"].iloc[0]
    assert (ended["table"], ended["line"], ended["CHILD"]) == ("episodes", 3, "SYN002")
    assert ended["column"] == "DECOM" and ended["value"] == "01/09/2025"
    summary = planted.summary.set_index("rule")
    assert summary.loc["101", "children"] == 1 and summary.loc["356", "rows"] == 1


def test_rules_231_and_233_crash_on_columns_the_tool_never_creates(planted):
    # with a UASC table uploaded, as in the report that first showed the crash
    status = planted.rules.set_index("rule")["status"]
    assert "validator bug" in status["231"] and "'UASC_STATUS'" in status["231"]
    assert "validator bug" in status["233"] and "'DATE_EPISODE_CEASED'" in status["233"]
    assert "DEC" in status["233"]
    # the other rules still ran, and the tool's own objects are there for readers
    assert (status.drop(["231", "233"]) == "run").sum() > 100
    assert set(planted.validator.fails) == {"231", "233"}
    assert "ERR_101" in planted.report.report.columns


def test_frames_give_the_same_issues_as_files():
    header = pd.read_csv(StringIO(PLANTED_HEADER), dtype=str)
    episodes = pd.read_csv(StringIO(PLANTED_EPISODES), dtype=str)
    header["DOB"] = pd.to_datetime(header["DOB"], format="%d/%m/%Y")  # parsed dates are fine
    episodes["DECOM"] = pd.to_datetime(episodes["DECOM"], format="%d/%m/%Y")
    result = validate_ssda903(
        {"header": header, "episodes": episodes},
        collection_year=2026,
        la_code=LA,
        rules=["101", "356"],
    )
    found = result.issues[["rule", "table", "row", "CHILD", "column", "value"]]
    assert found.values.tolist() == [
        ["356", "episodes", 1, "SYN002", "DECOM", "01/09/2025"],
        ["101", "header", 1, "SYN002", "SEX", "X"],
    ]
    assert result.issues["file"].isna().all() and result.issues["line"].isna().all()
    assert list(result.rules["rule"]) == ["101", "356"]


def test_line_numbers_count_blank_lines_in_the_file(tmp_path):
    header = PLANTED_HEADER.replace("\nSYN002", "\n\nSYN002")
    folder = write(tmp_path, header=header, episodes=EPISODES)
    result = validate_ssda903(folder, collection_year=2026, la_code=LA, rules=["101"])
    assert result.issues[["line", "row"]].values.tolist() == [[4, 1]]


def test_2024_25_rule_146_flags_k3_and_says_it_is_a_validator_bug(tmp_path):
    episodes = EPISODES.replace(
        "SYN003,20/04/2025,S,C2,N1,U4,PR1", "SYN003,20/04/2025,S,C2,N1,K3,PR1"
    )
    episodes = episodes.replace("/2025", "/2024")
    folder = write(tmp_path, header=HEADER, episodes=episodes)
    old = validate_ssda903(folder, collection_year=2025, la_code=LA, rules=["146"])
    assert old.issues[["rule", "CHILD", "value"]].values.tolist() == [["146", "SYN003", "K3"]]
    assert "'k3' in lower case" in old.issues["note"].iloc[0]
    assert "validator bug" in old.summary.set_index("rule").loc["146", "note"]
    new = validate_ssda903(folder, collection_year=2026, la_code=LA, rules=["146"])
    assert new.issues.empty


def test_folder_without_episodes_names_the_missing_table(tmp_path):
    folder = write(tmp_path, header=HEADER, uasc=UASC)
    with pytest.raises(DataError) as caught:
        validate_ssda903(folder)
    assert "no episodes table" in caught.value.problem
    assert caught.value.file == str(folder)
    assert "DECOM" in caught.value.expected and "header (header.csv)" in caught.value.found


def test_an_empty_optional_table_is_no_rows_as_the_reader_reads_it(tmp_path):
    """check reads an empty file named as an optional table as that table with no rows
    (datasets.ssda903.empty_optional_table); the validator's folder must run the same."""
    from d2i_examples.tools.ssda903_rows import read_ssda903_files

    folder = write(tmp_path / "optional", header=HEADER, episodes=EPISODES, missing="")
    assert set(read_ssda903_files(folder)) == {"header", "episodes"}
    result = validate_ssda903(folder, collection_year=2026, la_code=LA, rules=["101"])
    assert result.issues.empty


def test_an_empty_episodes_file_is_refused_by_name(tmp_path):
    folder = write(tmp_path, header=HEADER, episodes="")
    with pytest.raises(DataError) as caught:
        validate_ssda903(folder)
    assert caught.value.file.endswith("episodes.csv")
    assert "empty" in caught.value.problem and caught.value.found == "0 bytes"


def test_unrecognised_columns_name_the_file_and_the_columns(tmp_path):
    folder = write(tmp_path, header=HEADER.replace("ETHNIC", "Ethnicity"), episodes=EPISODES)
    with pytest.raises(DataError) as caught:
        validate_ssda903(folder)
    err = caught.value
    assert err.file.endswith("header.csv")
    assert "missing ETHNIC" in err.found and "'Ethnicity'" in err.found
    assert err.expected.startswith("the header columns")


def test_frames_missing_a_column_and_unknown_tables_are_data_errors():
    header = pd.read_csv(StringIO(HEADER), dtype=str)
    episodes = pd.read_csv(StringIO(EPISODES), dtype=str)
    with pytest.raises(DataError) as caught:
        validate_ssda903({"header": header.drop(columns="UPN"), "episodes": episodes})
    assert caught.value.column == "UPN"
    with pytest.raises(DataError, match="Unknown SSDA903 table"):
        validate_ssda903({"headers": header, "episodes": episodes})


def test_settings_are_checked(tmp_path):
    folder = write(tmp_path, header=HEADER, episodes=EPISODES)
    with pytest.raises(DataError, match="no rules for this collection year"):
        validate_ssda903(folder, collection_year=2021)
    with pytest.raises(DataError, match="Unknown rule code"):
        validate_ssda903(folder, rules=["nope"])
    with pytest.raises(DataError, match="Unknown local authority"):
        validate_ssda903(folder, la_code="Manchester")
    with pytest.raises(DataError, match="was not found"):
        validate_ssda903(tmp_path / "nowhere")


def test_the_run_leaves_logging_and_output_as_they_were(tmp_path, capsys):
    root = logging.getLogger()
    before = (root.level, list(root.handlers), pd.get_option("mode.chained_assignment"))
    validate_ssda903(write(tmp_path, header=HEADER, episodes=EPISODES), rules=["101", "503D"])
    assert (root.level, list(root.handlers), pd.get_option("mode.chained_assignment")) == before
    printed = capsys.readouterr()
    assert printed.out == "" and printed.err == ""


def test_the_2026_27_rules_get_the_dolo_table_and_its_crashes_are_named(tmp_path):
    """A DoLO CSV in the folder reaches the 2026/27 DoLO rules (an order ending before it
    starts is flagged by rule 702, on the dolo table); the rules that crash on any DoLO
    table say why: 709/710 read a column PLACEMENT (the file's is PLACE), 706 last year's
    DoLO table, which returns before 2026/27 do not have."""
    episodes = EPISODES.replace("/2025", "/2026").replace(",U4,PR1,,", ",K2,PR4,,", 1)
    dolo = "CHILD,DOB,DOLO_START,DOLO_END\nSYN001,01/05/2013,01/10/2026,01/08/2026\n"
    folder = write(tmp_path / "903", header=HEADER, episodes=episodes, dolo=dolo)
    result = validate_ssda903(folder, collection_year=2027, la_code=LA,
                              rules=["702", "706", "709", "710"])
    assert result.issues[["rule", "table", "CHILD"]].drop_duplicates().values.tolist() == [
        ["702", "dolo", "SYN001"]]
    status = result.rules.set_index("rule")["status"]
    assert "(the data has PLACE)" in status["709"] and "(the data has PLACE)" in status["710"]
    assert status["706"] == ("not run: validator bug: the rule reads last year's DoLO table "
                             "without checking it was given; returns before 2026/27 have no "
                             "DoLO table")


def _as_workbook(text: str, path, title: str | None = None):
    """``text`` (a CSV) saved as an .xlsx workbook as a system exports it: dates as date
    cells, blanks as empty cells, and a ``title`` row above the headings if given."""
    import openpyxl

    frame = pd.read_csv(StringIO(text), dtype=str, keep_default_na=False)
    book = openpyxl.Workbook()
    sheet = book.active
    if title:
        sheet.append([title])
    sheet.append(list(frame.columns))
    for row in frame.itertuples(index=False):
        sheet.append([pd.to_datetime(v, format="%d/%m/%Y").to_pydatetime()
                      if len(v) == 10 and v[2] == "/" else (v or None) for v in row])
    book.save(path)


def test_workbooks_give_the_same_issues_as_csv_files_on_the_sheets_rows(tmp_path):
    """A folder of .xlsx workbooks, one per table, is handed to the validator as the
    sheets' CSV text in memory: the same issues as the CSV files, each on the row the
    reader sees in Excel; the workbooks are only read."""
    folder = tmp_path / "books"
    folder.mkdir()
    _as_workbook(PLANTED_HEADER, folder / "header.xlsx", title="SSDA903 header, 2025/26")
    _as_workbook(PLANTED_EPISODES, folder / "episodes.xlsx")
    (folder / "~$header.xlsx").write_bytes(b"\0" * 16)  # Excel's lock file: not a table
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    result = validate_ssda903(folder, collection_year=2026, la_code=LA, rules=["101", "356"])
    found = result.issues[["rule", "table", "line", "row", "CHILD", "column", "value"]]
    assert found.values.tolist() == [
        ["356", "episodes", 3, 1, "SYN002", "DECOM", "01/09/2025"],
        ["101", "header", 4, 1, "SYN002", "SEX", "X"],  # below the title row
    ]
    assert set(result.issues["file"]) == {"header.xlsx (sheet 'Sheet')",
                                          "episodes.xlsx (sheet 'Sheet')"}
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def test_a_notes_sheet_or_stray_file_is_passed_over_as_the_reader_passes_over_it(tmp_path):
    """A workbook's cover sheet and a stray CSV match no 903 table: datasets.ssda903 passes
    them over (check says so), so the validator does too, rather than refusing a folder
    check accepted. A near miss (a renamed heading) is still refused, by both."""
    import openpyxl

    folder = write(tmp_path / "f", header=PLANTED_HEADER, episodes=PLANTED_EPISODES,
                   notes="Team,Sent\nLAC team,20/06/2026\n")
    book = openpyxl.Workbook()
    book.active.append(["Exported from the case management system on 2 April 2026"])
    book.save(folder / "cover.xlsx")
    result = validate_ssda903(folder, collection_year=2026, la_code=LA, rules=["101"])
    assert result.issues["rule"].tolist() == ["101"]
    (folder / "notes.csv").write_text(PLANTED_HEADER.replace("CHILD,", "CHILD ID,"))
    with pytest.raises(DataError, match="columns match no SSDA903 table"):
        validate_ssda903(folder, collection_year=2026, la_code=LA, rules=["101"])
