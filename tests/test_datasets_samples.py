"""load_sample / sample_path: the sample_data layout, defined in one place."""

from __future__ import annotations

import pytest

from d2i_examples.datasets import SAMPLE_LAYOUT, load_sample, sample_path
from d2i_examples.errors import DataError
from d2i_examples.spec import annex_a as annex_spec
from tests.fixtures.datasets_build import CHILD_A, ROWS_903, cin_xml, write_903, write_xlsx


@pytest.fixture
def sample(tmp_path):
    """A miniature sample_data tree laid out as SAMPLE_LAYOUT says."""
    root = tmp_path / "sample_data"
    for year in ("2025", "2026"):
        write_903(root / "clean" / SAMPLE_LAYOUT["ssda903"][0] / year)
    cin = root / "clean" / SAMPLE_LAYOUT["cin_census"][0]
    cin.mkdir(parents=True)
    (cin / "cin_census_2026.xml").write_text(cin_xml(CHILD_A), encoding="utf-8")
    headings = annex_spec.LISTS["list_1"][1]
    write_xlsx(root / "clean" / SAMPLE_LAYOUT["annex_a"][0] / "annex_a_2026.xlsx",
               {"List 1": [headings]})
    bad = write_903(root / "with_errors" / "ssda903" / "2026")
    (bad / "header.csv").write_text(
        (bad / "header.csv").read_text().replace(",M,", ",X,"), encoding="utf-8")
    return root


def test_loads_each_return(sample):
    assert set(load_sample("ssda903", root=sample)) == {"header", "episodes"}
    assert len(load_sample("cin_census", root=sample)["CINdetails"]) == 3
    assert list(load_sample("annex_a", root=sample)) == ["list_1"]


def test_latest_year_by_default_and_a_chosen_year(sample):
    assert sample_path("ssda903", root=sample).name == "2026"
    assert sample_path("ssda903", year=2025, root=sample).name == "2025"
    assert sample_path("cin_census", root=sample).name == "cin_census_2026.xml"


def test_with_errors_set_leaves_codes_for_the_validator(sample):
    header = load_sample("ssda903", sample_set="with_errors", root=sample)["header"]
    assert header["SEX"].tolist() == ["X", ROWS_903["header"][1]["SEX"]]


def test_missing_sample_explains_how_to_make_it(tmp_path):
    (tmp_path / "sample_data").mkdir()
    with pytest.raises(DataError) as info:
        load_sample("cin_census", root=tmp_path / "sample_data")
    assert "d2i-examples synth" in info.value.fix and "cin_census" in info.value.file


def test_unknown_year_lists_what_exists(sample):
    with pytest.raises(DataError) as info:
        sample_path("ssda903", year=2019, root=sample)
    assert "2025" in info.value.found and "2026" in info.value.found


def test_unknown_names(sample):
    with pytest.raises(DataError, match="Unknown return name"):
        load_sample("ssda904", root=sample)
    with pytest.raises(DataError, match="Unknown sample set"):
        load_sample("ssda903", sample_set="dirty", root=sample)
