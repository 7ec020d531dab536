"""Bad input, tried as a new user would: each gets its own message and exit status, and
nothing is written. None of these tests starts a kernel: the check stops the run first."""

from __future__ import annotations

import textwrap
import warnings

import nbformat
import pandas as pd
import pytest

from d2i_examples import cli, paths
from d2i_examples.datasets import LocalDataWarning, data_path, load, samples
from d2i_examples.datasets.layout import locate, returns_found
from d2i_examples.datasets.years import year_in_name
from d2i_examples.errors import DataError
from d2i_examples.outputs import RUNNER_ENV
from d2i_examples.own_data.check import EXIT_CODES, check_data, classify
from d2i_examples.own_data.run import notebook_returns
from d2i_examples.spec import annex_a as annex_spec
from tests.fixtures.datasets_build import (
    CHILD_A,
    ROWS_903,
    annex_row,
    cin_xml,
    columns_903,
    write_903,
    write_csv,
    write_xlsx,
)
from tests.fixtures.local_build import (
    CONTRACT_PARAMETERS,
    COUNCIL_SETTINGS,
    clean_903,
    council_folder,
    example_notebook,
)
from tests.notebook_factory import make_notebook


def run_cli(capsys, *argv):
    status = cli.main([str(a) for a in argv])
    captured = capsys.readouterr()
    return status, captured.out + captured.err


def attempt(tmp_path, capsys, data, returns=("ssda903",), *extra):
    """`run` a contract notebook on ``data``; the output folder must stay unmade."""
    nb = example_notebook(tmp_path / "nb" / "example.ipynb", "print('ran')", returns=returns)
    out = tmp_path / "reports"
    status, text = run_cli(capsys, "run", nb, "--data", data, "--out", out, "--timeout", 60,
                           *extra)
    assert not out.exists(), "a failed check must leave no output behind"
    assert "Nothing was run" in text or "error:" in text
    return status, text


def annex_book(path):
    return write_xlsx(path, {"List 1": [annex_spec.LISTS["list_1"][1], annex_row("list_1")]})


# --- one test per kind of bad input ------------------------------------------------------


def test_folder_of_another_return(tmp_path, capsys):
    data = tmp_path / "data"
    (data / "cin_census").mkdir(parents=True)
    (data / "cin_census" / "cin_2026.xml").write_text(cin_xml(CHILD_A), encoding="utf-8")
    status, text = attempt(tmp_path, capsys, data)
    assert status == EXIT_CODES["wrong_return"] == 5
    assert "No SSDA903 (children looked after) files were found in your data folder" in text
    assert "files of another return: CIN census" in text


def test_annex_a_lists_where_the_903_should_be(tmp_path, capsys):
    data = tmp_path / "data"
    headings = annex_spec.LISTS["list_1"][1]
    write_csv(data / "ssda903" / "contacts.csv", headings, [annex_row("list_1")])
    status, text = attempt(tmp_path, capsys, data)
    assert status == 5
    assert "These look like Ofsted Annex A lists" in text


def test_missing_table(tmp_path, capsys):
    data = tmp_path / "data"
    write_903(data / "ssda903" / "2026", tables=("header",))
    status, text = attempt(tmp_path, capsys, data)
    assert status == EXIT_CODES["missing_table"] == 6
    assert "The SSDA903 episodes table is missing" in text


def test_renamed_column_gets_a_mapping_that_works_once_saved(tmp_path, capsys):
    data = clean_903(tmp_path / "data")
    header = data / "ssda903" / "2026" / "header.csv"
    header.write_text(header.read_text().replace("DOB", "Date of birth", 1))
    status, text = attempt(tmp_path, capsys, data)
    assert status == EXIT_CODES["columns"] == 7
    assert "column DOB is missing" in text and "Rename column 'Date of birth' to DOB" in text
    # the printed settings file, saved as printed, fixes it
    block = text.split("Suggested settings file (check every line before you use it):\n\n")[1]
    block = block.split("\n\n")[0]
    settings = tmp_path / "my-settings.yaml"
    settings.write_text(textwrap.dedent(block))
    assert "Date of birth: DOB" in settings.read_text()
    status, text = run_cli(capsys, "check", "--data", data, "--params", settings)
    assert status == 0, text
    assert "1 heading(s) renamed" in text


def test_us_dates(tmp_path, capsys):
    data = clean_903(tmp_path / "data")
    header = data / "ssda903" / "2026" / "header.csv"
    header.write_text(header.read_text().replace("14/02/2012", "12/25/2012"))
    status, text = attempt(tmp_path, capsys, data)
    assert status == EXIT_CODES["values"] == 8
    assert "US-style month/day/year" in text and "'12/25/2012'" in text


def test_empty_file(tmp_path, capsys):
    data = clean_903(tmp_path / "data")
    (data / "ssda903" / "2026" / "episodes.csv").write_bytes(b"")
    status, text = attempt(tmp_path, capsys, data)
    assert status == EXIT_CODES["empty_file"] == 9
    assert "The file is empty" in text and "episodes.csv" in text


@pytest.mark.parametrize("content, words", [
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "password-protected"),
    (b"PK\x03\x04 this is not the rest of a workbook", "damaged"),
], ids=["password-protected", "corrupt"])
def test_unreadable_workbook(tmp_path, capsys, content, words):
    data = tmp_path / "data"
    (data / "annex_a").mkdir(parents=True)
    (data / "annex_a" / "annex_a.xlsx").write_bytes(content)
    status, text = attempt(tmp_path, capsys, data, ("annex_a",))
    assert status == EXIT_CODES["unreadable"] == 10
    assert "The Excel workbook could not be opened" in text and words in text


def test_file_open_in_excel(tmp_path, capsys):
    data = tmp_path / "data"
    annex_book(data / "annex_a" / "annex_a.xlsx")
    (data / "annex_a" / "~$annex_a.xlsx").write_bytes(b"\x05owner")
    status, text = attempt(tmp_path, capsys, data, ("annex_a",))
    assert status == EXIT_CODES["open_in_excel"] == 11
    assert "annex_a.xlsx is open in Excel" in text and "close it in Excel" in text


def test_two_years_mixed_in_one_folder(tmp_path, capsys):
    data = tmp_path / "data"
    for year in ("2025", "2026"):
        write_903(data / "ssda903", names={"header": f"header_{year}.csv",
                                           "episodes": f"episodes_{year}.csv"})
    status, text = attempt(tmp_path, capsys, data)
    assert status == EXIT_CODES["years"] == 12
    assert "mixes files from different collection years" in text
    assert "2024/25: episodes_2025.csv, header_2025.csv" in text
    assert "ssda903/2025/ and ssda903/2026/" in text


def test_files_in_the_wrong_years_folder_are_read_as_their_dates_say(tmp_path, capsys):
    data = tmp_path / "data"
    write_903(data / "ssda903" / "2025")  # episodes run to 15/09/2025: the 2025/26 return
    status, text = run_cli(capsys, "check", "--data", data)
    assert status == 0
    assert "Collection year 2026" not in text  # the year line, not a sentence
    assert "Year: 2025/26 (collection year 2026), from the latest episode date" in text
    assert "By the folder or file names these are 2024/25" in text and "set collection_year=2025" in text
    # the year the check names is the year the loaders find, and asking for the
    # folder's own year is accepted too (said once, used as asked): no loop
    assert locate("ssda903", data, 2026)[0] == data / "ssda903" / "2025"
    status, text = run_cli(capsys, "check", "--data", data, "-p", "collection_year=2025")
    assert status == 0 and "rules are used because you set collection_year=2025" in text


def test_a_year_that_is_not_there(tmp_path, capsys):
    data = clean_903(tmp_path / "data")
    status, text = attempt(tmp_path, capsys, data, ("ssda903",), "-p", "collection_year=2024")
    assert status == 12
    assert "have no 2023/24 year" in text and "2025/26 (2026)" in text


def test_missing_or_empty_data_folder(tmp_path, capsys):
    status, text = attempt(tmp_path, capsys, tmp_path / "nowhere")
    assert status == EXIT_CODES["not_found"] == 4 and "was not found" in text
    (tmp_path / "empty").mkdir()
    status, text = run_cli(capsys, "check", "--data", tmp_path / "empty")
    assert status == 4 and "No SSDA903, CIN census, Annex A or SEN2 files were recognised" in text


def test_a_settings_file_that_cannot_be_used_stops_everything(tmp_path, capsys):
    data = clean_903(tmp_path / "data")
    bad = tmp_path / "bad.yaml"
    bad.write_text("mapping:\n  ssda903:\n    columns: {Child ID: CHILDID}\n")
    status, text = attempt(tmp_path, capsys, data, ("ssda903",), "--params", bad)
    assert status == EXIT_CODES["settings"] == 3
    assert "'Child ID' maps to 'CHILDID', which is not a SSDA903 column" in text


def test_a_notebook_that_reads_no_data_cannot_take_a_data_folder(tmp_path, capsys):
    from tests.notebook_factory import make_notebook

    nb = make_notebook(tmp_path / "plain.ipynb", "print(1)", parameters="x = 1  # x")
    status, text = run_cli(capsys, "run", nb, "--data", clean_903(tmp_path / "d"), "--out",
                           tmp_path / "out")
    assert status == 2 and "has no data_dir parameter" in text
    assert not (tmp_path / "out").exists()


# --- the check on its own ------------------------------------------------------------------


def test_check_reports_returns_years_tables_and_mapping(tmp_path, capsys):
    data = council_folder(tmp_path, "C1")
    (data / "cin").mkdir()
    (data / "cin" / "census.xml").write_text(
        cin_xml(CHILD_A).replace("<LEA>999</LEA>", "<LEA>888</LEA>")
        .replace("2026-03-31", "2025-03-31"), encoding="utf-8")
    settings = tmp_path / "council.yaml"
    settings.write_text(COUNCIL_SETTINGS)
    status, text = run_cli(capsys, "check", "--data", data, "--params", settings)
    assert status == 0, text
    assert "SSDA903 (children looked after):" in text and "903 extract/2024-25" in text
    assert ("Year: 2024/25 (collection year 2025), as you set it (collection_year=2025); "
            "the latest episode date (15/09/2024) agrees") in text
    assert "Tables: header (2 rows), episodes (3 rows)" in text
    assert "5 heading(s) renamed; codes for SEX" in text
    assert "Local authority code in the header (LEA): 888" in text
    assert "Everything found is there and readable." in text


def test_check_of_a_notebook_checks_only_what_it_reads(tmp_path, capsys):
    data = clean_903(tmp_path / "data")
    (data / "annex_a").mkdir()
    (data / "annex_a" / "annex.xlsx").write_bytes(b"")  # broken, but not needed
    nb = example_notebook(tmp_path / "nb.ipynb", returns=("ssda903",))
    status, text = run_cli(capsys, "check", nb, "--data", data)
    assert status == 0, text
    assert "Everything nb needs is there" in text and "Annex A" not in text
    status, text = run_cli(capsys, "check", "--data", data)
    assert status == EXIT_CODES["empty_file"]


def test_every_kind_has_a_distinct_exit_status():
    assert len(set(EXIT_CODES.values())) == len(EXIT_CODES)
    unknown = DataError("Something nobody foresaw.")
    assert classify(unknown) == "other"


# --- the library call notebooks use ---------------------------------------------------------


@pytest.fixture
def sample(tmp_path, monkeypatch):
    root = tmp_path / "sample_data"
    for year in ("2025", "2026"):
        write_903(root / "clean" / "ssda903" / year)
    cin = root / "clean" / "cin_census"
    cin.mkdir(parents=True)
    (cin / "cin_census_2026.xml").write_text(cin_xml(CHILD_A), encoding="utf-8")
    monkeypatch.setattr(samples, "sample_root", lambda root_=None: root)
    return root


def test_load_reads_the_sample_when_no_folder_is_given(sample):
    tables = load("ssda903", None, year=2026, settings="ignored-for-the-sample.yaml")
    assert list(tables) == ["header", "episodes"]
    assert list(load("ssda903", year="all")) == [2025, 2026]
    assert data_path("cin_census").name == "cin_census_2026.xml"


def test_load_reads_a_council_folder_with_its_mapping(tmp_path, monkeypatch):
    monkeypatch.setenv(RUNNER_ENV, "1")
    data = council_folder(tmp_path, "L1")
    settings = tmp_path / "council.yaml"
    settings.write_text(COUNCIL_SETTINGS)
    tables = load("ssda903", data, year="2024/25", settings=settings)
    assert tables["header"]["SEX"].tolist() == ["M", "F"]
    assert list(load("ssda903", data, year="all", settings=settings)) == [2025]
    with pytest.raises(DataError, match="have no 2025/26 year"):
        load("ssda903", data, year=2026, settings=settings)
    with pytest.raises(DataError, match="No CIN census"):
        load("cin_census", data, settings=settings)


def test_a_year_folder_is_not_needed_when_the_files_say_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv(RUNNER_ENV, "1")
    folder = tmp_path / "just-903"
    write_903(folder)
    assert returns_found(folder) == {"ssda903": folder}
    assert locate("ssda903", folder, 2026) == (folder, 2026)
    result = check_data(folder)
    assert result.ok and result.years == {"ssda903": 2026}
    assert "from the latest episode date (15/09/2025)" in result.format()
    tables = load("ssda903", folder, year="all")
    assert list(tables) == [2026]


def test_year_names():
    assert [year_in_name(n) for n in ("2026", "2025-26", "903_2025_26", "x 2024 to 2025",
                                      "header.csv", "2019")] == [2026, 2026, 2026, 2025,
                                                                 None, 2019]


def test_own_data_read_inside_the_project_outside_the_runner_warns(tmp_path, monkeypatch):
    data = clean_903(tmp_path / "data")
    monkeypatch.delenv(RUNNER_ENV, raising=False)
    monkeypatch.chdir(paths.NOTEBOOKS)
    with pytest.warns(LocalDataWarning, match="outputs .* are saved into the project"):
        load("ssda903", data)
    monkeypatch.setenv(RUNNER_ENV, "1")
    with warnings.catch_warnings():
        warnings.simplefilter("error", LocalDataWarning)
        load("ssda903", data)
        monkeypatch.delenv(RUNNER_ENV)
        monkeypatch.chdir(tmp_path)
        assert isinstance(load("ssda903", data)["header"], pd.DataFrame)


def test_two_cin_files_for_one_year(tmp_path, capsys):
    data = tmp_path / "data"
    (data / "cin_census").mkdir(parents=True)
    for name in ("cin_2026.xml", "cin_2026 (copy).xml"):
        (data / "cin_census" / name).write_text(cin_xml(CHILD_A), encoding="utf-8")
    status, text = attempt(tmp_path, capsys, data, ("cin_census",))
    assert status == 12 and "Two CIN census files are for 2025/26" in text


def test_run_without_a_notebook_name_skips_those_that_read_no_data(tmp_path, capsys,
                                                                   monkeypatch):
    from tests.notebook_factory import make_notebook

    folder = tmp_path / "notebooks"
    make_notebook(folder / "plain.ipynb", "print(1)", parameters="x = 1  # x")
    example_notebook(folder / "reads.ipynb")
    monkeypatch.setattr(paths, "NOTEBOOKS", folder)
    status, text = run_cli(capsys, "run", "--data", tmp_path / "nowhere", "--out",
                           tmp_path / "out")
    assert "Skipping plain: it reads no data folder." in text
    assert status == EXIT_CODES["not_found"] and not (tmp_path / "out").exists()


def test_a_parameter_the_notebook_does_not_have_is_refused_before_the_check(tmp_path, capsys):
    status, text = attempt(tmp_path, capsys, clean_903(tmp_path / "data"), ("ssda903",),
                           "-p", "collection_yaer=2025")
    assert status == 2 and "no parameter named collection_yaer" in text
    assert "Checked your data folder" not in text


# --- files handed to a validator: structure checked, values left to the validator -------


def validator_notebook(path):
    """A notebook like checking-ssda903: it hands the raw 903 files to a validator."""
    return make_notebook(
        path,
        "from d2i_examples.datasets import data_path\n"
        'print(data_path("ssda903", data_dir, year=collection_year))',
        parameters=CONTRACT_PARAMETERS,
    )


def plant_bad_values(data, sex=True, date=True):
    folder = data / "ssda903" / "2026"
    if sex:
        header = folder / "header.csv"
        header.write_text(header.read_text().replace("SYN0001,M,", "SYN0001,1,"))
    if date:
        episodes = folder / "episodes.csv"
        episodes.write_text(episodes.read_text().replace("SYN0002,02/05/2025",
                                                         "SYN0002,31/09/2025"))
    return data


def test_a_validator_notebook_gets_files_with_wrong_codes_and_dates(tmp_path, capsys):
    data = plant_bad_values(clean_903(tmp_path / "data"))
    nb = validator_notebook(tmp_path / "validator.ipynb")
    status, text = run_cli(capsys, "check", nb, "--data", data)
    assert status == 0, text
    assert "Tables: header (2 rows), episodes (3 rows)" in text
    assert "Values (codes, dates) not checked here" in text
    assert "Everything validator needs is there and readable." in text


@pytest.mark.parametrize("sex, date, message", [
    (True, False, "Column SEX holds a code that is not in the 2025/26 SSDA903 codes"),
    (False, True, "'31/09/2025' at row 4"),
    (True, True, "Column SEX holds a code that is not in the 2025/26 SSDA903 codes"),
])
def test_a_notebook_that_loads_the_return_is_refused_wrong_values(tmp_path, capsys, sex,
                                                                  date, message):
    data = plant_bad_values(clean_903(tmp_path / "data"), sex, date)
    nb = example_notebook(tmp_path / "nb.ipynb", returns=("ssda903",))
    status, text = run_cli(capsys, "check", nb, "--data", data)
    assert status == EXIT_CODES["values"]
    assert message in text
    assert "validator notebooks" not in text  # the advice is for a check without a notebook
    # a notebook that both loads and hands files on gets the full check
    both = make_notebook(tmp_path / "both.ipynb",
                         "from d2i_examples.datasets import data_path, load\n"
                         "path = data_path('ssda903', data_dir, year=collection_year)\n"
                         "tables = load('ssda903', data_dir, year=collection_year)",
                         parameters=CONTRACT_PARAMETERS)
    assert run_cli(capsys, "check", both, "--data", data)[0] == EXIT_CODES["values"]


def test_a_check_without_a_notebook_checks_values_and_names_the_validators(tmp_path, capsys):
    data = plant_bad_values(clean_903(tmp_path / "data"))
    status, text = run_cli(capsys, "check", "--data", data)
    assert status == EXIT_CODES["values"]
    assert "Column SEX holds a code" in text
    assert "validator notebooks (checking-ssda903, checking-cin-census) report" in text


@pytest.mark.parametrize("make", ["validator", "loader"])
def test_a_missing_table_is_refused_for_every_notebook(tmp_path, capsys, make):
    data = tmp_path / "data"
    write_903(data / "ssda903" / "2026", tables=("header",))
    plant_bad_values(data, date=False)
    nb = (validator_notebook(tmp_path / "nb.ipynb") if make == "validator"
          else example_notebook(tmp_path / "nb.ipynb", returns=("ssda903",)))
    status, text = run_cli(capsys, "check", nb, "--data", data)
    assert status == EXIT_CODES["missing_table"]
    assert "The SSDA903 episodes table is missing" in text


def test_a_renamed_column_is_still_named_for_a_validator_notebook(tmp_path, capsys):
    data = plant_bad_values(clean_903(tmp_path / "data"))
    header = data / "ssda903" / "2026" / "header.csv"
    header.write_text(header.read_text().replace("DOB", "Date of birth", 1))
    status, text = run_cli(capsys, "check", validator_notebook(tmp_path / "nb.ipynb"),
                           "--data", data)
    assert status == EXIT_CODES["columns"]
    assert "Rename column 'Date of birth' to DOB" in text and "Date of birth: DOB" in text


def test_notebook_returns_says_which_returns_have_their_values_checked(tmp_path):
    nb = make_notebook(
        tmp_path / "nb.ipynb",
        "from d2i_examples.datasets import data_path, load\n"
        "f = data_path('cin_census', data_dir)\n"
        "a = data_path('ssda903', data_dir)\n"
        "b = load('ssda903', data_dir)\n"
        "c = d2i_examples.datasets.load('annex_a', data_dir)",
        parameters=CONTRACT_PARAMETERS)
    assert notebook_returns(nbformat.read(nb, as_version=4)) == {
        "cin_census": False, "ssda903": True, "annex_a": True}


def test_a_cin_census_handed_to_a_validator_may_hold_an_impossible_date(tmp_path, capsys):
    data = tmp_path / "data"
    (data / "cin_census").mkdir(parents=True)
    (data / "cin_census" / "cin_2026.xml").write_text(
        cin_xml(CHILD_A.replace("2025-05-06", "2025-09-31")), encoding="utf-8")
    reads_file = make_notebook(
        tmp_path / "validator.ipynb",
        "from d2i_examples.datasets import data_path\n"
        'print(data_path("cin_census", data_dir, year=collection_year))',
        parameters=CONTRACT_PARAMETERS)
    status, text = run_cli(capsys, "check", reads_file, "--data", data)
    assert status == 0, text
    assert "Values (codes, dates) not checked here" in text
    loads = example_notebook(tmp_path / "nb.ipynb", returns=("cin_census",))
    status, text = run_cli(capsys, "check", loads, "--data", data)
    assert status == EXIT_CODES["values"] and "'2025-09-31'" in text


def _903_of_2026_27(folder):
    """header and episodes of the fixture, a year on (2026/27), and a DoLO table."""
    for table in ("header", "episodes"):
        rows = [{c: v.replace("/2025", "/2026") for c, v in row.items()}
                for row in ROWS_903[table]]
        write_csv(folder / f"{table}.csv", columns_903(table), rows)
    write_csv(folder / "deprivation of liberty.csv", ["CHILD", "DOB", "DOLO_START", "DOLO_END"],
              [{"CHILD": "SYN0001", "DOB": "14/02/2012", "DOLO_START": "01/10/2026",
                "DOLO_END": ""}])
    return folder


def test_a_dolo_file_is_read_as_part_of_the_2026_27_903(tmp_path, capsys):
    """The 2026/27 DoLO table is one of the 903's tables, not a stray file."""
    _903_of_2026_27(tmp_path / "data" / "ssda903" / "2026-27")
    status, text = run_cli(capsys, "check", "--data", tmp_path / "data")
    assert status == 0, text
    assert "Tables: header (2 rows), episodes (3 rows), dolo (1 row)" in text, text
    assert "match no SSDA903 table" not in text and "dolo" not in text.split("Optional")[-1]


def test_a_year_before_2026_27_is_not_told_it_lacks_a_dolo_table(tmp_path, capsys):
    status, text = run_cli(capsys, "check", "--data", clean_903(tmp_path / "data"))
    assert status == 0, text
    assert "Optional tables not there: reviews" in text and "dolo" not in text


def test_a_notebook_reading_the_population_file_has_check_ask_for_it(tmp_path, capsys):
    data = clean_903(tmp_path / "data")
    nb = example_notebook(
        tmp_path / "nb.ipynb",
        "from d2i_examples.datasets import load_population\n"
        "population = load_population(data_dir, population_file)",
        extra_parameters="population_file = None  # CSV of your child population")
    status, text = run_cli(capsys, "check", nb, "--data", data)
    assert status == EXIT_CODES["missing_table"], text
    assert "No child population file was found" in text and "population.csv" in text
    # the same file the notebook will read, wherever the parameter points
    elsewhere = tmp_path / "my-population.csv"
    elsewhere.write_text("ethnicity,population\nWBRI,900\nAIND,100\n", encoding="utf-8")
    status, text = run_cli(capsys, "check", nb, "--data", data, "-p",
                           f"population_file={elsewhere}")
    assert status == 0, text
    assert "Child population:" in text and "1,000 children" in text
    elsewhere.write_text("ethnic group,children\nWBRI,900\n", encoding="utf-8")
    status, text = run_cli(capsys, "check", nb, "--data", data, "-p",
                           f"population_file={elsewhere}")
    assert status == EXIT_CODES["columns"], text


def test_the_examples_that_read_a_population_file_declare_it():
    from d2i_examples.own_data.run import notebook_population

    reading = {nb.stem for nb in sorted(paths.NOTEBOOKS.glob("*.ipynb"))
               if notebook_population(nbformat.read(nb, as_version=4))[0]}
    assert reading == {"benchmarking", "disproportionality", "send-children-in-need-and-care"}


def test_check_says_when_the_validator_has_no_rules_for_the_files_year(tmp_path, capsys):
    data = tmp_path / "data"
    (data / "cin_census").mkdir(parents=True)
    older = cin_xml(CHILD_A.replace("2025-", "2021-")).replace(
        "<Year>2026</Year><ReferenceDate>2026-03-31", "<Year>2022</Year><ReferenceDate>2022-03-31")
    (data / "cin_census" / "cin_2022.xml").write_text(older, encoding="utf-8")
    nb = make_notebook(
        tmp_path / "validator.ipynb",
        "from d2i_examples.datasets import data_path\n"
        "from d2i_examples.tools import validate_cin_census\n"
        "f = data_path('cin_census', data_dir, year=collection_year)\n"
        "result = validate_cin_census(f, collection_year=collection_year, rules_year=rules_year)",
        parameters=CONTRACT_PARAMETERS.replace("collection_year = 2026", "collection_year = None")
        + "\nrules_year = None  # another year's rules")
    status, text = run_cli(capsys, "check", nb, "--data", data)
    assert status == EXIT_CODES["years"], text
    assert "CIN validator has no rules for 2021/22" in text and "-p rules_year=2023" in text
    status, text = run_cli(capsys, "check", nb, "--data", data, "-p", "rules_year=2023")
    assert status == 0, text
    assert "the 2022/23 rules ran, because you asked (rules_year=2023)" in text
    # a notebook that reads the census without a validator is not refused
    status, text = run_cli(capsys, "check", example_notebook(
        tmp_path / "reads.ipynb", returns=("cin_census",)), "--data", data,
        "-p", "collection_year=2022")
    assert "no rules for" not in text


def test_a_stray_workbook_named_with_a_year_does_not_say_the_903s_year(tmp_path):
    data = tmp_path / "data"
    write_903(data / "ssda903")  # episodes of 2025/26, files named without a year
    write_xlsx(data / "ssda903" / "team_budget_2019_v2.xlsx",
               {"Sheet1": [["Cost centre", "Amount"], ["A", 1]]})
    result = check_data(data)
    report = result.returns[0]
    assert report.year == 2026, result.format()
    text = result.format()
    assert "2018/19" not in text


def test_a_year_folder_whose_dates_show_another_year_gets_a_note(tmp_path):
    data = tmp_path / "data"
    write_903(data / "ssda903" / "2026")
    write_903(data / "ssda903" / "2024")  # named 2023/24, its dates are 2025/26's
    text = check_data(data).format()
    assert "2024 is named 2023/24, but its files' own dates show 2025/26" in text


def test_us_month_day_dates_are_the_first_problem_named_not_codes_or_a_year(tmp_path):
    def us(date):
        day, month, year = date.split("/") if date else ("", "", "")
        return f"{month}/{day}/{year}" if date else date

    from tests.fixtures.datasets_build import ROWS_903, columns_903

    data = tmp_path / "data"
    for table in ("header", "episodes"):
        rows = [{k: us(v) if k in ("DOB", "MC_DOB", "DECOM", "DEC") else v for k, v in r.items()}
                for r in ROWS_903[table]]
        if table == "header":  # and the codes of an older year
            rows = [dict(r, SEX={"M": "1", "F": "2"}[r["SEX"]]) for r in rows]
        write_csv(data / "ssda903" / f"{table}.csv", columns_903(table), rows)
    result = check_data(data)
    text = result.format()
    assert result.exit_code == EXIT_CODES["values"], text
    # every date column is named (all at once), and neither the codes nor a year blamed
    assert [p.message.split(":")[0] for p in result.all_problems] == [
        "Column DOB", "Column MC_DOB", "Column DECOM", "Column DEC"], text
    assert all("US-style month/day/year" in p.message for p in result.all_problems)
    assert "SEX" not in text and "collection_year=" not in text


def test_a_send_annex_a_in_the_annex_a_folder_is_recognised_as_itself(tmp_path):
    from d2i_examples.datasets.identify import identify_file

    data = tmp_path / "data"
    send = write_xlsx(data / "annex_a" / "annex_a_2026.xlsx", {
        "List 1 - EHC needs assessments": [
            ["Unique ID", "Date of birth", "Date EHC needs assessment requested",
             "Primary SEN need"],
            ["SYN0001", "01/02/2015", "03/04/2025", "ASD"]],
    })
    assert identify_file(send) == "send_annex_a"
    assert identify_file(annex_book(tmp_path / "ofsted.xlsx")) == "annex_a"
    result = check_data(data)
    text = result.format()
    assert result.exit_code == EXIT_CODES["wrong_return"], text
    assert "SEND Annex A" in text and "Child Unique ID" not in text.split("Expected")[0]
    assert "rename" not in text.lower()


def test_a_send_annex_a_folder_beside_ofsteds_annex_a_is_not_a_second_annex_a(tmp_path):
    """The corpus's 'SEND Annex A in annex_a' folder: annex_a/ holds the SEND lists and
    Ofsted's Annex A is in a folder of its own; check named two Annex A folders and refused
    every example, those reading no Annex A too."""
    data = tmp_path / "data"
    write_xlsx(data / "annex_a" / "SEND Annex A.xlsx", {
        "List 1": [["Unique ID", "Date of birth", "EHCP start date", "Primary SEN need"],
                   ["P0001", "01/05/2012", "01/09/2025", "ASD"]],
    })
    ofsted = annex_book(data / "Ofsted Annex A" / "annex_a_2026.xlsx")
    assert returns_found(data) == {"annex_a": ofsted.parent}
    result = check_data(data)
    assert result.ok, result.format()


def test_a_workbook_open_in_excel_stops_only_the_examples_that_read_its_return(tmp_path):
    """The corpus's 'Annex A open in Excel': the Annex A's lock file refused
    checking-ssda903 too, which never opens the Annex A."""
    data = tmp_path / "data"
    write_903(data / "ssda903")
    annex_book(data / "annex_a" / "annex_a.xlsx")
    (data / "annex_a" / "~$annex_a.xlsx").write_bytes(b"\x05owner")
    assert check_data(data, {"ssda903": None}).exit_code != EXIT_CODES["open_in_excel"]
    assert check_data(data, {"annex_a": None}).exit_code == EXIT_CODES["open_in_excel"]
    assert check_data(data).exit_code == EXIT_CODES["open_in_excel"]
