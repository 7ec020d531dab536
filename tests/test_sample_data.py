"""The committed sample data is exactly what the generator makes, and reads back cleanly."""

from __future__ import annotations

import pandas as pd
import pytest

from d2i_examples import paths
from d2i_examples.datasets import load
from d2i_examples.synth.samples import SAMPLE_OPTIONS, SAMPLE_YEAR, write_samples


def _files(root):
    return {p.relative_to(root).as_posix(): p for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory):
    root = tmp_path_factory.mktemp("sample_data")
    write_samples(root)
    return root


def test_regenerating_the_sample_gives_byte_identical_files(regenerated):
    for name in SAMPLE_OPTIONS:
        committed = _files(paths.SAMPLE_DATA / name)
        fresh = _files(regenerated / name)
        assert committed, f"sample_data/{name} is empty: run `make sample`"
        assert sorted(committed) == sorted(fresh), "run `make sample` and commit the result"
        changed = [rel for rel in fresh if fresh[rel].read_bytes() != committed[rel].read_bytes()]
        assert not changed, f"sample_data/{name} is stale: {changed}; run `make sample`"


def test_sample_is_small_enough_to_read_in_a_browser():
    total = sum(p.stat().st_size for p in paths.SAMPLE_DATA.rglob("*") if p.is_file())
    assert total < 12 * 2**20, f"sample_data is {total / 2**20:.1f} MB"


def test_every_return_loads_from_the_clean_sample():
    tables = load("ssda903", None, year=SAMPLE_YEAR)
    assert {"header", "episodes"} <= set(tables)
    assert tables["header"]["CHILD"].str.startswith("SYN").all()
    census = load("cin_census", None, year=SAMPLE_YEAR)
    assert len(census["ChildIdentifiers"]) > 100
    lists = load("annex_a", None)
    assert {"list_1", "list_3", "list_8"} <= set(lists)
    sen2 = load("sen2", None, year=SAMPLE_YEAR)  # codes checked: the clean sample passes
    assert len(sen2["person"]) > 500 and len(sen2["active_plans"]) > 500
    assert set(sen2["person"]["UPN"].dropna()) & set(census["ChildIdentifiers"]["UPN"].dropna())


@pytest.mark.parametrize("sample_set", list(SAMPLE_OPTIONS))
def test_no_care_order_is_made_for_a_child_of_17_in_the_sample(sample_set):
    """Children Act 1989 s31(3) over every SSDA903 year of the committed sample: the rule
    and its reading of RNE codes are in tests/care_orders.py."""
    from tests.care_orders import care_orders_broken

    folder = paths.SAMPLE_DATA / sample_set / "ssda903"
    years = sorted(p.name for p in folder.iterdir())
    assert len(years) >= 2

    def read(year, table):  # read directly: the planted set has dates the loader refuses
        frame = pd.read_csv(folder / year / f"ssda903_{year}_{table}.csv", dtype=str)
        for col in {"DOB", "DECOM", "DEC"} & set(frame.columns):
            frame[col] = pd.to_datetime(frame[col], format="%d/%m/%Y", errors="coerce")
        return frame

    for year in years:
        e = read(year, "episodes").merge(read(year, "header")[["CHILD", "DOB"]], on="CHILD")
        assert len(e) > 400
        broken = care_orders_broken(e, pd.Timestamp(f"{year}-03-31"))
        assert broken.empty, (sample_set, year, broken[["CHILD", "DOB", "DECOM", "RNE", "LS",
                                                        "DEC", "why"]])


def test_planted_sen2_sample_holds_the_logged_mistakes():
    from d2i_examples.datasets.sen2 import read_sen2
    from d2i_examples.errors import DataError

    folder = paths.SAMPLE_DATA / "with_errors"
    log = pd.read_csv(folder / "planted_errors_sen2.csv", dtype=str)
    path = folder / "sen2" / f"sen2_{SAMPLE_YEAR}.xml"
    with pytest.raises(DataError, match="SENtype"):
        read_sen2(path)
    frames = read_sen2(path, check_codes=False)
    assert (frames["sen_needs"]["SENtype"] == "AUT").sum() == (log["kind"] == "bad_need_code").sum()
    assert frames["person"]["UPN"].duplicated().sum() >= 1


def test_planted_sample_holds_the_logged_mistakes():
    from d2i_examples.tools import read_ssda903_files

    log = pd.read_csv(paths.SAMPLE_DATA / "with_errors" / "planted_errors.csv", dtype=str)
    assert (log["return"] == "SSDA903").sum() >= 20 and (log["return"] == "CIN census").sum() >= 10
    files = read_ssda903_files(paths.SAMPLE_DATA / "with_errors" / "ssda903" / str(SAMPLE_YEAR))
    for _, planted in log[log["return"] == "SSDA903"].head(10).iterrows():
        row = files[planted["table"]].iloc[int(planted["row"])]
        assert row["CHILD"] == planted["child"]
        if isinstance(planted["new_value"], str):
            assert str(row[planted["column"]]) == planted["new_value"]


def test_sample_data_card_describes_the_data():
    card = (paths.SAMPLE_DATA / "README.md").read_text(encoding="utf-8")
    for words in ("synthetic", "make sample", "SYN", "with_errors"):
        assert words in card
