"""Helpers the worked examples use: child_rows, read_child_xml, cost_by_financial_year, fixes."""

import pandas as pd
import pytest

from d2i_examples.errors import DataError
from d2i_examples.tools import (
    CIN_FIXES,
    SSDA903_FIXES,
    child_rows,
    cin_rules,
    cost_by_financial_year,
    fix_notes,
    issues_workbook,
    model_placement_type,
    most_common_rules,
    read_child_xml,
    read_issues_workbook,
    read_ssda903_files,
    rule_number,
    ssda903_rules,
    validate_ssda903,
)
from d2i_examples.tools.validation_result import ValidationResult
from tests.test_tools_cin import census, child
from tests.test_tools_ssda903 import (
    EPISODES,
    HEADER,
    LA,
    PLANTED_EPISODES,
    PLANTED_HEADER,
    write,
)

# SYN002 gets a second, valid episode after the planted one that ends before it starts
TWO_EPISODES = PLANTED_EPISODES + "SYN002,15/12/2025,S,V2,N4,U4,PR1,,,,M1 1AD,M1 1AF,XXXXXXX\n"


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    folder = write(tmp_path_factory.mktemp("rows"), header=PLANTED_HEADER,
                   episodes=TWO_EPISODES)
    result = validate_ssda903(folder, collection_year=2026, la_code=LA)
    return folder, result, read_ssda903_files(folder)


# --- read_ssda903_files and child_rows --------------------------------------------------


def test_read_ssda903_files_gives_the_text_as_in_the_file_with_line_numbers(tmp_path):
    header = PLANTED_HEADER.replace("12/08/2012", "31/09/2012")  # a date that cannot exist
    folder = write(tmp_path / "year", header=header, episodes=TWO_EPISODES + "\n\n")
    tables = read_ssda903_files(folder)
    assert list(tables) == ["header", "episodes"]  # in the specification's order
    assert list(tables["header"].columns) == ["line", "CHILD", "SEX", "DOB", "ETHNIC", "UPN",
                                              "MOTHER", "MC_DOB"]
    row = tables["header"].loc[1]
    assert (row["line"], row["CHILD"], row["SEX"], row["DOB"]) == (3, "SYN002", "X",
                                                                   "31/09/2012")
    assert row["MC_DOB"] == ""  # blanks stay blank text
    assert tables["episodes"]["line"].tolist() == [2, 3, 4, 5]
    from_frames = read_ssda903_files({"header": tables["header"].drop(columns="line")})
    assert from_frames["header"]["line"].isna().all()
    assert from_frames["header"]["DOB"].tolist() == tables["header"]["DOB"].tolist()
    with pytest.raises(DataError, match="holds no CSV files"):
        read_ssda903_files(tmp_path)


def test_child_rows_shows_every_row_of_the_child_with_the_reported_lines(planted):
    _, result, tables = planted
    mine = result.issues[result.issues["CHILD"] == "SYN002"]
    shown = child_rows(result, "SYN002", tables)
    assert set(shown) == set(mine["table"])
    for table, frame in shown.items():
        assert list(frame.columns) == ["line", "rules", *tables[table].columns[1:]]
        expected = tables[table][tables[table]["CHILD"] == "SYN002"]
        assert list(frame.index) == list(expected.index)
        flagged = mine[mine["table"] == table]
        for row, item in frame.iterrows():
            here = flagged[flagged["row"] == row]
            assert item["line"] == row + 2  # the header is line 1
            if here.empty:
                assert item["rules"] == ""
            else:
                assert here["line"].iloc[0] == item["line"]
                assert set(item["rules"].split(", ")) == set(here["rule"])
    assert shown["header"]["SEX"].tolist() == ["X"]
    assert "356" in shown["episodes"]["rules"].iloc[0]
    assert len(shown["episodes"]) == 2


def test_child_rows_can_keep_only_the_flagged_columns_and_the_event_each_row_is(planted):
    _, result, tables = planted
    mine = result.issues[result.issues["CHILD"] == "SYN002"]
    everything = child_rows(result, "SYN002", tables)
    narrow = child_rows(result, "SYN002", tables, columns="flagged")
    assert set(narrow) == set(everything)
    for table, frame in narrow.items():
        named = set(mine.loc[mine["table"] == table, "column"])
        assert frame.columns[:3].tolist() == ["line", "rules", "CHILD"]
        assert named <= set(frame.columns)  # every flagged column is there
        left = set(frame.columns) - named - {"line", "rules", "CHILD"}
        assert left <= {"DECOM"}  # and nothing else but the row's event
        pd.testing.assert_frame_equal(frame, everything[table][frame.columns])
    assert "DECOM" in narrow["episodes"].columns
    assert len(narrow["episodes"].columns) < len(everything["episodes"].columns)
    with pytest.raises(ValueError, match='"all" or "flagged"'):
        child_rows(result, "SYN002", tables, columns="some")


def test_child_rows_refuses_tables_that_are_not_the_ones_validated(planted):
    _, result, tables = planted
    header = tables["header"]
    rotated = pd.concat([header.iloc[1:], header.iloc[:1]], ignore_index=True)
    shuffled = dict(tables, header=rotated)
    with pytest.raises(DataError, match="not the one the validator read"):
        child_rows(result, "SYN002", shuffled)
    with pytest.raises(DataError, match="flagged nothing"):
        child_rows(result, "SYN001", tables)


def test_child_rows_shows_last_years_rows_for_rules_that_compare_the_years(tmp_path):
    this = write(tmp_path / "this", header=HEADER, episodes=EPISODES)
    last = write(tmp_path / "last", header=HEADER.replace("SYN001,M,", "SYN001,F,"),
                 episodes=EPISODES)
    result = validate_ssda903(this, last, collection_year=2026, la_code=LA)
    assert "202" in set(result.issues.loc[result.issues["CHILD"] == "SYN001", "rule"])
    tables, previous = read_ssda903_files(this), read_ssda903_files(last)
    shown = child_rows(result, "SYN001", tables, previous)
    assert shown["header"]["SEX"].tolist() == ["M"]
    compared = shown["header (previous year)"]
    assert compared["SEX"].tolist() == ["F"] and compared["line"].tolist() == [2]
    assert compared["rules"].iloc[0].startswith("compared by ") and "202" in compared[
        "rules"].iloc[0]
    assert "header (previous year)" not in child_rows(result, "SYN001", tables)


def test_child_rows_reads_last_year_only_when_given():
    issues = pd.DataFrame({
        "rule": ["203"], "description": ["dob"], "year": ["previous"], "table": ["header"],
        "file": ["h.csv"], "line": pd.array([3], dtype="Int64"),
        "row": pd.array([1], dtype="Int64"), "CHILD": ["B"], "column": ["DOB"],
        "value": ["01/01/2015"], "note": [""],
    })
    result = ValidationResult("SSDA903 validation", issues, pd.DataFrame(), pd.DataFrame(),
                              2026, None)
    header = pd.DataFrame({"CHILD": ["A", "B"], "DOB": ["x", "y"]})
    assert child_rows(result, "B", {"header": header}) == {}
    shown = child_rows(result, "B", {"header": header}, previous_tables={"header": header})
    assert list(shown) == ["header (previous year)"]
    assert shown["header (previous year)"].loc[1, "line"] == 3  # no line column: reported
    assert list(shown["header (previous year)"].columns) == ["line", "rules", "CHILD", "DOB"]


# --- read_child_xml ---------------------------------------------------------------------


def two_episodes(child_id: str) -> str:
    """A child with two CINdetails blocks: the test_tools_cin child plus a second one."""
    base = child(child_id, "352000012001", "2014-05-03", "M", "2025-06")
    second = "<CINdetails><CINreferralDate>2025-11-01</CINreferralDate></CINdetails>"
    return base.replace("</Child>", f"  {second}\n    </Child>")


@pytest.fixture()
def xml_file(tmp_path):
    text = census(child("SYN0001", "352000018002", "2018-01-15", "F", "2025-09"),
                  two_episodes("SYN0002"))
    path = tmp_path / "census.xml"
    path.write_text(text)
    return path, text.splitlines()


def test_read_child_xml_gives_the_childs_lines_with_their_numbers(xml_file):
    path, lines = xml_file
    shown = read_child_xml(path, "SYN0002")
    assert shown["xml"].iloc[0].strip() == "<Child>"
    assert shown["xml"].iloc[-1].strip() == "</Child>"
    assert "<LAchildID>SYN0002</LAchildID>" in shown["xml"].str.strip().tolist()
    assert "SYN0001" not in "".join(shown["xml"])
    for number, text in zip(shown["line"], shown["xml"]):
        assert lines[number - 1] == text
    assert shown["line"].diff().dropna().eq(1).all()  # one unbroken stretch of the file


def test_read_child_xml_keeps_only_the_cin_details_asked_for(xml_file):
    path, _ = xml_file
    every = read_child_xml(path, "SYN0002")
    second = read_child_xml(path, "SYN0002", cin_details=[2])
    text = "\n".join(second["xml"])
    assert "2025-11-01" in text and "2025-06-01" not in text
    gap = second[second["line"].isna()]
    assert gap["xml"].str.strip().tolist() == ["..."]
    assert len(second) < len(every)
    assert "<ChildIdentifiers>" in text and "<Sex>M</Sex>" in text


def test_read_child_xml_handles_one_line_and_namespaced_files(tmp_path):
    text = census(two_episodes("SYN0002"), namespace="urn:example:cin")
    flat = "".join(line.strip() for line in text.splitlines())
    path = tmp_path / "flat.xml"
    path.write_text(flat)
    shown = read_child_xml(path, "SYN0002", cin_details=[1])
    assert shown["line"].isna().all()
    joined = "\n".join(shown["xml"])
    assert "<LAchildID>SYN0002</LAchildID>" in joined and "2025-11-01" not in joined
    nested = tmp_path / "namespaced.xml"
    nested.write_text(text)
    assert "<Sex>M</Sex>" in "\n".join(read_child_xml(nested, "SYN0002")["xml"])


def test_read_child_xml_errors_are_data_errors(xml_file, tmp_path):
    path, _ = xml_file
    with pytest.raises(DataError, match="No child with this LAchildID"):
        read_child_xml(path, "SYN9999")
    with pytest.raises(DataError, match="not found"):
        read_child_xml(tmp_path / "missing.xml", "SYN0001")


# --- cost_by_financial_year -------------------------------------------------------------


def weekly_costs(weeks: int = 105) -> pd.DataFrame:
    dates = pd.date_range("2026-03-31", periods=weeks + 1, freq="7D")
    rows = [
        {"date": d, "placement_type": p, "weekly_cost": cost, "kind": "forecast"}
        for d in dates for p, cost in (("FOSTERING", 700.0), ("OTHER", 100.0))
    ]
    observed = [{"date": pd.Timestamp("2026-03-24"), "placement_type": "FOSTERING",
                 "weekly_cost": 1e9, "kind": "observed"}]
    return pd.DataFrame(observed + rows)


def test_cost_by_financial_year_scales_the_average_week_to_the_year():
    out = cost_by_financial_year(weekly_costs())
    # 31/03/2026 (the first row) is the last day of 2025/26 and 04/04/2028 starts 2028/29:
    # both years are incomplete and left out; 2027/28 has 366 days (29 February 2028)
    assert out["financial_year"].tolist() == ["2026/27", "2027/28"]
    assert out["dates"].tolist() == [52, 52]
    assert out["cost"].tolist() == pytest.approx([800 * 365 / 7, 800 * 366 / 7])
    by_type = cost_by_financial_year(weekly_costs(), by="placement_type")
    assert by_type["placement_type"].tolist() == ["FOSTERING", "OTHER"] * 2
    assert by_type["cost"].tolist() == pytest.approx(
        [700 * 365 / 7, 100 * 365 / 7, 700 * 366 / 7, 100 * 366 / 7])


def test_cost_by_financial_year_uses_the_average_of_changing_costs():
    costs = weekly_costs(60)
    costs.loc[costs["kind"] == "forecast", "weekly_cost"] = range(
        (costs["kind"] == "forecast").sum())
    out = cost_by_financial_year(costs)
    year = costs[(costs["date"] >= "2026-04-01") & (costs["date"] <= "2027-03-31")]
    expected = year.groupby("date")["weekly_cost"].sum().mean() * 365 / 7
    assert out["financial_year"].tolist() == ["2026/27"]  # 2027/28 is cut short
    assert out["cost"].iloc[0] == pytest.approx(expected)


def test_cost_by_financial_year_checks_its_input():
    with pytest.raises(DataError, match="breakdown"):
        cost_by_financial_year(weekly_costs(), by="age_band")
    with pytest.raises(DataError):
        cost_by_financial_year(weekly_costs().drop(columns="weekly_cost"))


# --- fix guide --------------------------------------------------------------------------


def test_every_fix_note_is_for_a_rule_the_validators_have():
    assert set(SSDA903_FIXES) <= set(ssda903_rules(2026)["rule"])
    assert set(CIN_FIXES) <= set(cin_rules(2026)["rule"])
    assert all(len(text) > 40 for text in [*SSDA903_FIXES.values(), *CIN_FIXES.values()])


def test_fix_notes_keeps_the_order_and_skips_rules_without_a_note():
    notes = fix_notes(["146", "NOPE", "101", "146"], SSDA903_FIXES)
    assert notes["rule"].tolist() == ["146", "101"]
    assert notes["how_to_fix"].tolist() == [SSDA903_FIXES["146"], SSDA903_FIXES["101"]]
    assert fix_notes([], CIN_FIXES).empty


def test_rules_sort_as_numbers_most_rows_first():
    summary = pd.DataFrame({"rule": ["1009", "SW02STG1", "INT13", "101", "1006", "8525Q",
                                     "8525"],
                            "rows": [1, 1, 1, 1, 1, 2, 2]})
    assert most_common_rules(summary)["rule"].tolist() == [
        "8525", "8525Q", "101", "1006", "1009", "INT13", "SW02STG1"]
    assert rule_number(pd.Series(["101", "1006"])).is_monotonic_increasing


def test_the_issues_workbook_reads_back_sheet_by_sheet():
    result = ValidationResult(
        title="t", issues=pd.DataFrame({"CHILD": ["A"], "rule": ["101"]}),
        summary=pd.DataFrame({"rule": ["101"], "rows": [1]}), rules=pd.DataFrame(),
        collection_year=2026, validator=None)
    sheets = read_issues_workbook(issues_workbook(result))
    assert list(sheets) == ["Issues by child", "Summary"]
    assert sheets["Issues by child"]["CHILD"].tolist() == ["A"]


def test_placement_codes_map_to_the_models_types_and_the_rest_is_other():
    # K3 replaced H5 for the same placement, so it is SUPPORTED like H5
    place = pd.Series(["U4", " K2", "H5", "K3", "K1", "P1", "Z12", None])
    assert model_placement_type(place).tolist() == [
        "FOSTERING", "RESIDENTIAL", "SUPPORTED", "SUPPORTED", "OTHER", "OTHER", "OTHER", "OTHER"]


def test_an_empty_csv_is_refused_as_the_readers_refuse_it(tmp_path):
    """The tools and the loaders share one empty-file check (datasets.files.read_bytes)."""
    from d2i_examples.tools._csv_input import read_csv_input

    path = tmp_path / "episodes.csv"
    path.write_bytes(b"\r\n  \r\n")
    with pytest.raises(DataError) as err:
        read_csv_input(path)
    assert err.value.problem.startswith("The file is empty")
    assert "episodes.csv" in str(err.value) and "heading row alone" in str(err.value)
