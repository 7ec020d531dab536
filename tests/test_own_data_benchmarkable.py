"""check says which measures a council's folder can benchmark, from the published tables in it."""

from __future__ import annotations

import nbformat

from d2i_examples import paths
from d2i_examples.datasets.identify import PUBLISHED, identify_file, return_files
from d2i_examples.indicators import benchmarks as bm
from d2i_examples.own_data.benchmarkable import describe_published
from d2i_examples.own_data.check import check_data
from d2i_examples.own_data.run import notebook_published

CLA = ("time_period,time_identifier,geographic_level,country_code,country_name,region_code,"
       "region_name,old_la_code,la_name,new_la_code,population_type,population_estimate,"
       "children_count,rate_per_10000\n"
       "2025,Reporting year,National,E92000001,England,,,,,,"
       "Children looked after on 31 March each year,12183016,81770,67\n")


def folder_with_cla(tmp_path, where="published"):
    folder = tmp_path / "council"
    (folder / where).mkdir(parents=True, exist_ok=True)
    (folder / where / "my download.csv").write_text(CLA, encoding="utf-8")
    return folder


def test_a_folder_with_one_data_set_says_what_it_can_and_cannot_benchmark(tmp_path):
    lines, problems = describe_published(folder_with_cla(tmp_path))
    assert problems == []
    text = "\n".join(lines)
    assert "my download.csv" in text and "CLA numbers and rates" in text
    ready = next(line for line in lines if line.startswith("Can be benchmarked"))
    assert bm.CLA_RATE in ready and bm.REREFERRALS not in ready
    assert f"Needs another download for '{bm.REREFERRALS}'" in text
    assert "911dae20" in text  # the C1 data set's page
    not_compared = next(line for line in lines if "not yet compared" in line)
    for measure in (bm.CIN_RATE, bm.STABILITY, bm.OVER_20_MILES, bm.LEAVERS_EET, bm.CP_STARTS):
        assert measure in not_compared
    for measure, page in ((bm.CP_TWO_YEARS, "04a78d29"), (bm.LONG_TERM, "2ad311d1")):
        assert measure not in not_compared  # a data set the example reads holds it
        assert f"Needs another download for '{measure}'" in text and page in text


def test_tables_in_the_folder_itself_are_found_too(tmp_path):
    lines, problems = describe_published(folder_with_cla(tmp_path, where="."))
    assert problems == [] and any(bm.CLA_RATE in line for line in lines)


def test_no_published_tables_is_a_problem_naming_the_folder_and_what_to_download(tmp_path):
    folder = tmp_path / "council"
    folder.mkdir()
    result = check_data(folder, needs={}, published=True)
    assert result.exit_code == 6
    message = result.all_problems[0].message
    assert "published" in message and "Explore Education Statistics" in message


def test_a_csv_with_other_columns_is_not_taken_for_a_data_set(tmp_path):
    folder = folder_with_cla(tmp_path)
    renamed = CLA.replace(",children_count", ",kids")
    (folder / "published" / "my download.csv").write_text(renamed, encoding="utf-8")
    assert check_data(folder, needs={}, published=True).exit_code == 6  # none found


def test_a_recognised_data_set_missing_a_filter_is_a_columns_problem(tmp_path):
    folder = tmp_path / "council"
    (folder / "published").mkdir(parents=True)
    (folder / "published" / "ehc.csv").write_text(
        "time_period,time_identifier,geographic_level,country_code,country_name,"
        "plans_issued_den,plans_issued_den_ex,plans_issued_within_20_weeks,"
        "plans_issued_20_weeks_ex\n2024,Calendar year,National,E92000001,England,10,9,5,5\n",
        encoding="utf-8")
    result = check_data(folder, needs={}, published=True)
    assert result.exit_code == 7
    assert "breakdown_topic" in result.all_problems[0].message


def test_published_tables_are_required_only_by_an_example_that_reads_them(tmp_path):
    folder = tmp_path / "council"
    folder.mkdir()
    assert check_data(folder, needs={}).ok
    assert not check_data(folder, needs={}, published=True).ok


def test_a_published_csv_is_recognised_as_no_return(tmp_path):
    folder = folder_with_cla(tmp_path, where=".")
    path = folder / "my download.csv"
    assert identify_file(path) == PUBLISHED
    assert return_files([path], "ssda903") == []  # never taken for a return's file


def test_the_benchmarking_example_declares_it_reads_published_tables():
    nb = nbformat.read(paths.NOTEBOOKS / "benchmarking.ipynb", as_version=4)
    assert notebook_published(nb)
    other = nbformat.read(paths.NOTEBOOKS / "placement-distance.ipynb", as_version=4)
    assert not notebook_published(other)


def test_check_says_whether_the_folder_has_a_neighbours_file(tmp_path):
    from tests.test_datasets_neighbours import workbook

    folder = folder_with_cla(tmp_path)
    lines, _ = describe_published(folder)
    assert any(line.startswith("Neighbours: no statistical neighbours file") for line in lines)
    workbook(folder / "published" / "SN_April 2021.xlsx")
    lines, problems = describe_published(folder)
    assert problems == []
    assert ("Neighbours: SN_April 2021.xlsx, the statistical neighbours of 3 councils "
            "(give council_code to pick yours).") in lines
