"""write_dataset: one simulation, every return, in the sample data's layout, the same bytes
for the same seed, and every file read back by the project's own loaders."""

from __future__ import annotations

import pandas as pd
import pytest

from d2i_examples.datasets import read_annex_a, read_cin_census, read_ssda903
from d2i_examples.datasets.population import POPULATION_FILE, read_population
from d2i_examples.datasets.samples import SAMPLE_LAYOUT
from d2i_examples.errors import DataError
from d2i_examples.spec.annex_a import LISTS
from d2i_examples.spec.ssda903 import tables as spec_tables
from d2i_examples.synth import DEFAULT_PROFILE, population_by_ethnicity, write_dataset
from d2i_examples.synth.dataset import PLANTED_ERRORS_FILE

YEAR = 2026
SEED = 4


def files(root):
    return {p.relative_to(root).as_posix(): p for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    folder = tmp_path_factory.mktemp("dataset") / "a"
    steps = []
    out = write_dataset(folder, seed=SEED, collection_year=YEAR, progress=steps.append)
    return folder, out, steps


def test_layout_is_the_sample_layout(written):
    folder, out, _ = written
    ssda903, cin, annex = (SAMPLE_LAYOUT[k][0] for k in ("ssda903", "cin_census", "annex_a"))
    expected = {f"{ssda903}/{y}/ssda903_{y}_{t}.csv" for y in (YEAR - 1, YEAR) for t in spec_tables(y)}
    expected |= {f"{cin}/cin_census_{YEAR}.xml", f"{annex}/annex_a_{YEAR}-03-31.xlsx",
                 f"{SAMPLE_LAYOUT['sen2'][0]}/sen2_{YEAR}.xml", POPULATION_FILE}
    assert set(files(folder)) == expected
    assert list(out) == ["ssda903", "cin_census", "annex_a", "sen2", "population"]
    assert {p.relative_to(folder).as_posix() for paths in out.values() for p in paths} == expected
    for kind, (sub, pattern) in SAMPLE_LAYOUT.items():
        if pattern is None:
            assert sorted(p.name for p in (folder / sub).iterdir()) == [str(YEAR - 1), str(YEAR)]
        else:
            assert len(list((folder / sub).glob(pattern))) == 1, kind


def test_progress_names_each_step(written):
    _, _, steps = written
    assert steps[0].startswith("simulating")
    assert len(steps) >= 5 and all(isinstance(s, str) and s for s in steps)
    assert any("CIN" in s for s in steps) and any("Annex A" in s for s in steps)


def test_same_seed_gives_byte_identical_files(written, tmp_path):
    folder, _, _ = written
    write_dataset(tmp_path / "b", seed=SEED, collection_year=YEAR)
    first, second = files(folder), files(tmp_path / "b")
    assert sorted(first) == sorted(second)
    changed = [rel for rel in first if first[rel].read_bytes() != second[rel].read_bytes()]
    assert changed == []


def test_every_file_reads_back_with_the_project_loaders(written):
    folder, out, _ = written
    for year in (YEAR - 1, YEAR):
        tables = read_ssda903(folder / SAMPLE_LAYOUT["ssda903"][0] / str(year))
        assert set(spec_tables(year)) == set(tables)
        assert len(tables["episodes"]) > 100
        assert tables["header"]["CHILD"].str.startswith("SYN").all()
    census = read_cin_census(out["cin_census"][0])
    assert len(census["ChildIdentifiers"]) > 1000
    assert census["Header"]["ReferenceDate"].iloc[0] == pd.Timestamp(f"{YEAR}-03-31")
    lists = read_annex_a(out["annex_a"][0])
    assert set(lists) == set(LISTS)
    assert all(len(lists[key]) > 0 for key in LISTS)
    # the same children across the returns
    header = set(read_ssda903(folder / "ssda903" / str(YEAR))["header"]["CHILD"])
    assert header & set(census["ChildIdentifiers"]["LAchildID"])
    assert set(lists["list_8"]["Child Unique ID"]) & header


def test_population_file_is_the_profiles_population(written):
    folder, out, _ = written
    assert out["population"] == [folder / POPULATION_FILE]
    back = read_population(folder / POPULATION_FILE)
    expected = population_by_ethnicity(DEFAULT_PROFILE)
    pd.testing.assert_frame_equal(back, expected, check_dtype=False)
    assert back["population"].sum() == DEFAULT_PROFILE.population_0_17
    assert (folder / POPULATION_FILE).read_text().splitlines()[0] == "ethnicity,population"


def test_with_errors_only_this_years_returns_change_and_the_log_says_how(written, tmp_path):
    clean_folder, _, _ = written
    folder = tmp_path / "with_errors"
    out = write_dataset(folder, seed=SEED, collection_year=YEAR, errors=True)
    log = pd.read_csv(out["planted_errors"][0], dtype=str)
    assert out["planted_errors"] == [folder / PLANTED_ERRORS_FILE,
                                     folder / "planted_errors_sen2.csv"]
    sen2_log = pd.read_csv(out["planted_errors"][1], dtype=str)
    assert set(sen2_log["return"]) == {"SEN2"} and len(sen2_log) >= 10
    assert len(log) > 10 and {"rule", "child", "column", "new_value"} <= set(log.columns)
    clean, planted = files(clean_folder), files(folder)
    changed = {rel for rel in clean if clean[rel].read_bytes() != planted[rel].read_bytes()}
    assert any(rel.startswith(f"ssda903/{YEAR}/") for rel in changed)
    assert f"cin_census/cin_census_{YEAR}.xml" in changed
    assert f"sen2/sen2_{YEAR}.xml" in changed
    assert not any(rel.startswith((f"ssda903/{YEAR - 1}/", "annex_a/")) or rel == POPULATION_FILE
                   for rel in changed)
    # writing the clean dataset over it leaves no stale log behind
    write_dataset(folder, seed=SEED, collection_year=YEAR)
    assert not (folder / PLANTED_ERRORS_FILE).exists()
    assert not (folder / "planted_errors_sen2.csv").exists()
    again = files(folder)
    assert all(again[rel].read_bytes() == clean[rel].read_bytes() for rel in clean)


def test_one_year_of_ssda903_and_bad_options(tmp_path):
    small = DEFAULT_PROFILE.scaled(4_000)
    out = write_dataset(tmp_path / "one", profile=small, seed=2, years_of_903=1)
    assert {p.parent.name for p in out["ssda903"]} == {str(YEAR)}
    assert read_population(out["population"][0])["population"].sum() == 4_000
    for bad in (0, 1.5, True):
        with pytest.raises(DataError, match="SSDA903 years"):
            write_dataset(tmp_path / "bad", years_of_903=bad)
