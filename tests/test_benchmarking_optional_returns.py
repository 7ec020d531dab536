"""A council without one of the returns still benchmarks the measures of the others.

The benchmarking example loads each return with ``optional=True``: check reads that from
the notebook, says which measures are left out and why instead of refusing, and the run
leaves them out with the same plain note. With none of the returns, check refuses.
"""

from __future__ import annotations

import shutil

import nbformat
import pytest

from d2i_examples import cli, paths
from d2i_examples.datasets import load
from d2i_examples.errors import DataError
from d2i_examples.indicators import benchmarks as bm
from d2i_examples.own_data.check import EXIT_CODES
from d2i_examples.own_data.run import notebook_optional
from tests.fixtures.council_folders import _write

# load() on a folder under the test's tmp path warns that outputs could land in the project
pytestmark = pytest.mark.filterwarnings("ignore::d2i_examples.datasets.LocalDataWarning")
SEN2_NOTE = "EHC plan measures need SEN2: not in your folder"


@pytest.fixture(scope="module")
def without_sen2(tmp_path_factory):
    """SSDA903, CIN census, a population file and the published tables; no SEN2."""
    data = _write(tmp_path_factory.mktemp("no-sen2"), years_of_903=1)
    shutil.rmtree(data / "sen2")
    shutil.rmtree(data / "annex_a")
    shutil.copytree(paths.ROOT / "sample_data" / "published", data / "published")
    return data


def _nb(source: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)])


def test_a_return_is_optional_only_when_every_load_of_it_says_so():
    assert notebook_optional(_nb('a = load("sen2", data_dir, optional=True)')) == {"sen2"}
    assert notebook_optional(_nb('a = load("sen2", data_dir)')) == set()
    assert notebook_optional(_nb('a = load("sen2", data_dir, optional=True)\n'
                                 'b = load("sen2", data_dir, year=2025)')) == set()
    benchmarking = nbformat.read(paths.NOTEBOOKS / "benchmarking.ipynb", as_version=4)
    assert notebook_optional(benchmarking) == {"ssda903", "cin_census", "sen2"}


def test_left_out_names_the_measures_of_each_missing_return():
    notes = bm.left_out({"ssda903": {}, "cin_census": {}, "sen2": None})
    assert len(notes) == 1 and notes[0].startswith(SEN2_NOTE)
    assert bm.EHC_EXCLUDING in notes[0] and bm.CLA_RATE not in notes[0]
    assert bm.left_out({"ssda903": {}, "sen2": {}}) == []
    assert set(bm.MEASURES) == {m for ms in bm.BY_RETURN.values() for m in ms}


def test_an_optional_return_not_in_the_folder_loads_as_none(without_sen2):
    assert load("sen2", without_sen2, optional=True) is None
    with pytest.raises(DataError):
        load("sen2", without_sen2)  # not optional: refused as before
    assert load("cin_census", without_sen2, optional=True) is not None


def test_an_optional_return_in_the_folder_that_cannot_be_read_is_still_a_problem(
        without_sen2, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(without_sen2, data)
    (data / "sen2").mkdir()
    (data / "sen2" / "sen2.xml").write_text("<Message><Header>", encoding="utf-8")
    with pytest.raises(DataError):
        load("sen2", data, optional=True)


def test_check_names_the_measures_left_out_instead_of_refusing(without_sen2, capsys):
    status = cli.main(["check", "benchmarking", "--data", str(without_sen2)])
    text = capsys.readouterr().out
    assert status == 0, text
    assert SEN2_NOTE in text and bm.EHC_EXCLUDING in text
    assert "SEN2 (EHC plans): not in your folder; benchmarking runs without it." in text
    ready = next(line for line in text.splitlines() if line.startswith("Can be benchmarked"))
    assert bm.CLA_RATE in ready and bm.REREFERRALS in ready
    assert bm.EHC_EXCLUDING not in ready
    assert f"Needs another download for '{bm.EHC_EXCLUDING}'" not in text


def test_check_refuses_a_folder_with_none_of_the_returns(without_sen2, tmp_path, capsys):
    data = tmp_path / "data"
    data.mkdir()
    shutil.copytree(without_sen2 / "published", data / "published")
    shutil.copy(without_sen2 / "population.csv", data / "population.csv")
    status = cli.main(["check", "benchmarking", "--data", str(data)])
    text = capsys.readouterr().out
    assert status == EXIT_CODES["not_found"], text
    assert "None of the returns benchmarking reads is in your data folder" in text
    assert "ssda903/" in text and "sen2/" in text
    assert "Nothing was run" in text


@pytest.mark.slow
def test_run_leaves_out_the_ehc_measures_with_a_note(without_sen2, tmp_path, capsys):
    out = tmp_path / "reports"
    status = cli.main(["run", "benchmarking", "--data", str(without_sen2), "--out", str(out),
                       "--timeout", "600"])
    said = capsys.readouterr()
    assert status == 0, said.out + said.err
    [executed] = out.glob("benchmarking-*.ipynb")
    nb = nbformat.read(executed, as_version=4)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    printed = "".join(o.get("text", "") for o in outputs)
    tables = "".join(o.get("data", {}).get("text/plain", "") for o in outputs)
    assert SEN2_NOTE in printed and "Furthest from the neighbours:" in printed
    assert "Children looked after on 31 March" in tables and "Re-referrals" in tables
    assert "EHC" not in tables  # the measures tables hold no EHC plan row
