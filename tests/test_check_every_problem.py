"""check lists every problem of a return at once, each with its own fix, and one settings
file mapping every heading and code it can; the readers still stop at the first problem
when they are not asked to gather them (a notebook's load)."""

from __future__ import annotations

import textwrap

import pytest

from d2i_examples.datasets.annex_a import read_annex_a
from d2i_examples.datasets.cin_census import read_cin_census
from d2i_examples.datasets.sen2 import read_sen2
from d2i_examples.datasets.ssda903 import read_ssda903
from d2i_examples.errors import DataError
from d2i_examples.own_data.check import EXIT_CODES, check_data
from d2i_examples.spec import annex_a as annex_spec
from tests.fixtures.datasets_build import (
    CHILD_A,
    annex_row,
    cin_xml,
    write_903,
    write_xlsx,
)
from tests.test_datasets_sen2 import sen2_text
from tests.test_own_data_check import run_cli


def _replace(path, old, new):
    text = path.read_text()
    assert old in text, (old, path)
    path.write_text(text.replace(old, new, 1))


def five_problem_903(folder):
    """Two renamed headings in two tables, codes of the council's own, and two bad dates
    in two other tables: five independent problems."""
    write_903(folder, tables=("header", "episodes", "reviews", "missing"))
    _replace(folder / "header.csv", "DOB", "Date of birth")
    _replace(folder / "header.csv", "SYN0001,M,", "SYN0001,Male,")
    _replace(folder / "header.csv", "SYN0002,F,", "SYN0002,Female,")
    _replace(folder / "episodes.csv", ",LS,", ",Legal status,")
    _replace(folder / "reviews.csv", "20/05/2025", "32/05/2025")
    _replace(folder / "missing.csv", "01/08/2025", "31/09/2025")
    return folder


def test_check_lists_every_problem_of_the_903_each_with_its_fix(tmp_path, capsys):
    data = tmp_path / "data"
    five_problem_903(data / "ssda903" / "2026")
    status, text = run_cli(capsys, "check", "--data", data)
    assert status == EXIT_CODES["columns"], text
    assert "Problem 5 of 5" in text and "Problem 6" not in text, text
    for said in ("Rename column 'Legal status' to LS",
                 "Rename column 'Date of birth' to DOB",
                 "Column SEX holds a code that is not in the 2025/26 SSDA903 codes",
                 "Column REVIEW: The date does not exist in the calendar",
                 "Column MIS_START: The date does not exist in the calendar"):
        assert text.count(said) == 1, (said, text)
    assert text.count("What to do:") == 5
    # one settings file, after the three problems it answers, maps every heading and code
    assert "One settings file for problems 1 to 3:" in text
    assert text.count("Suggested settings file") == 1
    block = text.split("Suggested settings file (check every line before you use it):\n\n")[1]
    settings = tmp_path / "my-settings.yaml"
    settings.write_text(textwrap.dedent(block.split("\n\n")[0]))
    saved = settings.read_text()
    assert "Date of birth: DOB" in saved and "Legal status: LS" in saved and "MALE: M" in saved
    # saved as printed, it leaves the two dates, both named again
    status, text = run_cli(capsys, "check", "--data", data, "--params", settings)
    assert status == EXIT_CODES["values"], text
    assert "Problem 2 of 2" in text and "Column REVIEW" in text and "Column MIS_START" in text


def test_a_notebooks_load_still_stops_at_the_first_problem(tmp_path):
    folder = five_problem_903(tmp_path / "903")
    with pytest.raises(DataError, match="column LS is missing"):
        read_ssda903(folder, collection_year=2026)
    problems: list[DataError] = []
    tables = read_ssda903(folder, collection_year=2026, problems=problems)
    assert [e.column for e in problems] == ["LS", "DOB", "REVIEW", "MIS_START"]
    # the tables with a problem are left out, and not also called missing
    assert set(tables) == {"reviews", "missing"}


def test_a_table_missing_beside_other_problems_is_still_named(tmp_path):
    folder = write_903(tmp_path / "903", tables=("header",))
    _replace(folder / "header.csv", "14/02/2012", "14/14/2012")
    problems: list[DataError] = []
    read_ssda903(folder, collection_year=2026, problems=problems)
    assert [e.problem for e in problems] == [
        "The SSDA903 episodes table is missing.",
        "Column DOB: The date does not exist in the calendar (or is before 1900)."]


def test_a_folder_with_one_problem_reads_as_before(tmp_path, capsys):
    data = tmp_path / "data"
    folder = write_903(data / "ssda903" / "2026")
    _replace(folder / "header.csv", "DOB", "Date of birth")
    status, text = run_cli(capsys, "check", "--data", data)
    assert status == EXIT_CODES["columns"]
    assert "Problem 1 of 1 " in text and "One settings file for problems" not in text
    assert "Suggested settings file (check every line before you use it)" in text
    assert "# (tried on your files: with this mapping they load)" in text


def test_check_lists_every_annex_a_problem(tmp_path):
    data = tmp_path / "data"
    list_1 = list(annex_spec.LISTS["list_1"][1])
    list_1[list_1.index("Date of Birth")] = "DOB"
    list_3 = annex_spec.LISTS["list_3"][1]
    list_4 = [h for h in annex_spec.LISTS["list_4"][1] if h != "Gender"]
    write_xlsx(data / "annex_a" / "annex_a.xlsx", {
        "List 1": [list_1, annex_row("list_1", **{"Date of Contact": "01/05/2025"})],
        "List 3": [list_3, annex_row("list_3", **{"Date of referral": "30/02/2025"})],
        "List 4": [list_4, annex_row("list_4")[:len(list_4)]],
    })
    result = check_data(data)
    text = result.format()
    assert result.exit_code == EXIT_CODES["columns"], text
    said = [p.message.splitlines()[0] for p in result.all_problems]
    # the two the settings file answers first (it follows the second), then the date
    assert said == ["Annex A List 1 is missing 1 heading(s): 'Date of Birth'.",
                    "Annex A List 4 is missing 1 heading(s): 'Gender'.",
                    "The settings file above does not answer this one:"], text
    assert "One settings file for problems 1 to 2:" in text
    assert "Column Date of referral: The date does not exist" in text
    assert "DOB: Date of Birth" in text and "No look-alike was found for Gender" in text


def test_check_lists_every_bad_date_of_a_cin_census(tmp_path):
    data = tmp_path / "data"
    child = (CHILD_A.replace("2025-05-06", "2025-09-31")
             .replace("2015-03-27", "2015-02-30").replace("2025-10-10", "2025-13-10"))
    (data / "cin_census").mkdir(parents=True)
    (data / "cin_census" / "cin_2026.xml").write_text(cin_xml(child), encoding="utf-8")
    result = check_data(data)
    assert result.exit_code == EXIT_CODES["values"]
    columns = sorted(p.message.split(":")[0] for p in result.all_problems)
    assert columns == ["Column CINreferralDate", "Column CPPreviewDate",
                       "Column PersonBirthDate"], result.format()
    with pytest.raises(DataError, match="PersonBirthDate"):
        read_cin_census(data / "cin_census" / "cin_2026.xml")


def test_check_lists_every_bad_code_and_date_of_a_sen2(tmp_path):
    data = tmp_path / "data"
    (data / "sen2").mkdir(parents=True)
    path = data / "sen2" / "sen2_2026.xml"
    path.write_text(sen2_text(sex="Q", need="AUT", decision="2025-02-30"), encoding="utf-8")
    result = check_data(data)
    assert result.exit_code == EXIT_CODES["values"]
    columns = sorted(p.message.split(" ")[1] for p in result.all_problems)
    assert columns == ["RequestOutcomeDate:", "SENtype", "Sex"], result.format()
    with pytest.raises(DataError):
        read_sen2(path)


def test_an_annex_a_read_by_a_notebook_stops_at_its_first_problem(tmp_path):
    book = write_xlsx(tmp_path / "annex.xlsx", {
        "List 3": [annex_spec.LISTS["list_3"][1],
                   annex_row("list_3", **{"Date of referral": "30/02/2025"})],
    })
    with pytest.raises(DataError, match="Date of referral"):
        read_annex_a(book)
