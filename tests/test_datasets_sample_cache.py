"""The synthetic sample is parsed once and kept in build/; a reader's own files never are."""

from __future__ import annotations

import importlib
import shutil
import warnings

import pandas as pd
import pytest

from d2i_examples import paths
from d2i_examples.datasets import load, sample_cache

load_module = importlib.import_module("d2i_examples.datasets.load")  # the module, not load()


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "sample-cache"
    monkeypatch.setattr(sample_cache, "CACHE", folder)
    return folder


@pytest.fixture
def reads(monkeypatch):
    """How many times the sample was really parsed."""
    calls = []
    real = load_module.read_return

    def counting(*args, **kwargs):
        calls.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(load_module, "read_return", counting)
    return calls


def test_the_second_load_of_the_sample_is_the_first_one_kept(cache, reads):
    first = load("annex_a")
    second = load("annex_a")
    assert reads == ["annex_a"] and len(list(cache.iterdir())) == 1
    assert first.keys() == second.keys()
    for key in first:
        pd.testing.assert_frame_equal(first[key], second[key])
    census = load("cin_census", year=2026)
    assert load("cin_census", year=2026).keys() == census.keys()
    assert reads == ["annex_a", "cin_census"]


def test_a_changed_sample_file_is_read_again(cache, reads, tmp_path, monkeypatch):
    sample = tmp_path / "sample_data"
    shutil.copytree(paths.SAMPLE_DATA / "clean" / "cin_census", sample / "clean" / "cin_census")
    monkeypatch.setattr(paths, "SAMPLE_DATA", sample)
    path = sample / "clean" / "cin_census" / "cin_census_2026.xml"
    read = lambda: load_module.read_return("cin_census", path, 2026, None, True)
    before = sample_cache.read_sample(path, ("cin_census", 2026), read)
    path.write_bytes(path.read_bytes().replace(b"<LAchildID>", b"<LAchildID>X", 1))
    after = sample_cache.read_sample(path, ("cin_census", 2026), read)
    assert reads == ["cin_census", "cin_census"] and len(list(cache.iterdir())) == 2
    first = after["ChildIdentifiers"]["LAchildID"].iloc[0]
    assert first.startswith("X") and first[1:] == before["ChildIdentifiers"]["LAchildID"].iloc[0]


def test_own_files_are_never_kept(cache, reads, tmp_path):
    own = tmp_path / "own"
    shutil.copytree(paths.SAMPLE_DATA / "clean" / "cin_census", own / "cin_census")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        load("cin_census", own, year=2026)
        load("cin_census", own, year=2026)
    assert reads == ["cin_census", "cin_census"]
    assert not cache.exists()


def test_a_read_that_warns_is_not_kept_and_warns_every_time(cache, tmp_path):
    path = paths.SAMPLE_DATA / "clean" / "population.csv"

    def read():
        warnings.warn("something odd in the sample", UserWarning, stacklevel=1)
        return {"x": pd.DataFrame({"a": [1]})}

    for _ in range(2):
        with pytest.warns(UserWarning, match="something odd"):
            assert sample_cache.read_sample(path, ("odd",), read)["x"]["a"].tolist() == [1]
    assert not cache.exists()
