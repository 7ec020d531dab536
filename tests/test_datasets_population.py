"""The child population file: reading it, finding it, and the errors a reader can cause."""

from __future__ import annotations

import pandas as pd
import pytest

from d2i_examples.datasets import load_population, read_population
from d2i_examples.datasets.population import POPULATION_FILE, population_path
from d2i_examples.errors import DataError


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def test_reads_headings_in_any_case_codes_in_any_case_and_thousands(tmp_path):
    path = write(tmp_path / "pop.csv",
                 " Ethnicity ,Population\nwbri,\"23,580\"\nMWBC,576\nmwbc ,24\n")
    population = read_population(path)
    assert population.to_dict("list") == {"ethnicity": ["WBRI", "MWBC"],
                                          "population": [23580, 600]}
    assert population["population"].dtype == "int64"


def test_reads_a_workbook(tmp_path):
    path = tmp_path / "pop.xlsx"
    pd.DataFrame({"ethnicity": ["WBRI", "BAFR"], "population": [1000, 50]}).to_excel(
        path, index=False)
    assert read_population(path)["population"].tolist() == [1000, 50]


def test_path_wins_then_data_folder_then_sample(tmp_path):
    own = write(tmp_path / "elsewhere.csv", "ethnicity,population\nWBRI,10\n")
    folder = tmp_path / "my-data"
    folder.mkdir()
    write(folder / POPULATION_FILE, "ethnicity,population\nWBRI,20\n")
    assert load_population(folder, own)["population"].tolist() == [10]
    assert load_population(folder)["population"].tolist() == [20]
    assert population_path().name == POPULATION_FILE
    assert population_path().parent.name == "clean"


def test_the_sample_population_reads():
    sample = load_population()
    assert list(sample.columns) == ["ethnicity", "population"]
    assert "WBRI" in set(sample["ethnicity"])
    assert (sample["population"] > 0).all()


def test_own_folder_without_a_population_file_says_where_to_get_one(tmp_path):
    with pytest.raises(DataError) as error:
        load_population(tmp_path)
    assert error.value.file == str(tmp_path / POPULATION_FILE)
    assert "Census 2021" in error.value.fix and "population_file" in error.value.fix


def test_missing_path_and_missing_folder(tmp_path):
    with pytest.raises(DataError, match="population file was not found"):
        load_population(None, tmp_path / "nope.csv")
    with pytest.raises(DataError, match="data folder was not found"):
        load_population(tmp_path / "no-folder")


@pytest.mark.parametrize("text, column, found", [
    ("ethnic,population\nWBRI,10\n", "ethnicity", "'ethnic'"),
    ("ethnicity,children\nWBRI,10\n", "population", "'children'"),
    ("ethnicity,population\nWBRI,ten\n", "population", "'ten' on row 2"),
    ("ethnicity,population\nWBRI,-4\n", "population", "'-4' on row 2"),
    ("ethnicity,population\nWBRI,10\nMWBC,2.5\n", "population", "'2.5' on row 3"),
    ("ethnicity,population\nWBRI,10\nMWBC,\n", "population", "a blank on row 3"),
    ("ethnicity,population\nWBRI,10\n ,4\n", "ethnicity", "row(s) 3"),
])
def test_bad_files_name_the_column_and_what_was_found(tmp_path, text, column, found):
    path = write(tmp_path / "pop.csv", text)
    with pytest.raises(DataError) as error:
        read_population(path)
    assert error.value.column == column
    assert found in error.value.found
    assert str(path) in error.value.file


def test_empty_file(tmp_path):
    with pytest.raises(DataError, match="empty"):
        read_population(write(tmp_path / "pop.csv", ""))
