"""The demand model's reference period lies inside the days the 903 years cover.

One rule (datasets.years.ssda903_span, tools.demand_model.reference_period) is
used by the model and by `check forecasting-demand`: from 1 April of the first
year held to 31 March of the last, or an in-year extract's latest episode date.
"""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from d2i_examples import cli, paths
from d2i_examples.datasets.years import ssda903_span
from d2i_examples.errors import DataError
from d2i_examples.tools.demand_model import forecast_demand, reference_period

SAMPLE_903 = paths.ROOT / "sample_data" / "clean" / "ssda903"
CUT = pd.Timestamp(2025, 12, 4)


def _episodes(*dates: str) -> pd.DataFrame:
    """Episodes starting on ``dates``, the last also ceasing on the last of them."""
    return pd.DataFrame({"DECOM": list(dates), "DEC": [""] * (len(dates) - 1) + [dates[-1]]})


def test_a_whole_year_covers_1_april_to_31_march_and_more_years_start_earlier():
    whole = _episodes("01/06/2020", "02/05/2025", "15/03/2026")
    assert ssda903_span(whole) == ssda903_span(whole, 1)
    span = ssda903_span(whole, 1)
    assert (span.start, span.end, span.in_year) == (
        pd.Timestamp(2025, 4, 1), pd.Timestamp(2026, 3, 31), False)
    assert ssda903_span(whole, 3).start == pd.Timestamp(2023, 4, 1)
    assert span.said() == "01/04/2025 to 31/03/2026"


def test_an_in_year_extract_covers_only_to_its_latest_episode_date():
    span = ssda903_span(_episodes("01/06/2020", "02/05/2026", "04/12/2026"), 2)
    assert (span.start, span.end, span.in_year) == (
        pd.Timestamp(2025, 4, 1), pd.Timestamp(2026, 12, 4), True)
    assert "in-year extract" in span.said()
    assert ssda903_span(_episodes("", "")) is None


def test_a_period_outside_the_span_is_refused_with_one_that_fits():
    span = ssda903_span(_episodes("04/12/2026"), 1)
    assert reference_period("01/04/2026", "30/11/2026", span) == (
        pd.Timestamp(2026, 4, 1), pd.Timestamp(2026, 11, 30))
    with pytest.raises(DataError) as caught:
        reference_period("01/04/2024", "31/03/2026", span)
    said = str(caught.value)
    assert "Found: 01/04/2024 to 31/03/2026" in said
    assert "-p reference_start=01/04/2026 -p reference_end=04/12/2026" in said
    assert "add earlier years' files" in said
    # whole years keep their length, moved back to the data's last 31 March
    two_years = ssda903_span(_episodes("15/03/2025"), 3)
    with pytest.raises(DataError, match="reference_start=01/04/2023 -p reference_end=31/03/2025"):
        reference_period("01/04/2024", "31/03/2026", two_years)


def _one_year(root, cut: bool = False):
    """The sample's 2025/26 903 alone; ``cut``: as exported on 4 December 2025, with a
    child's placement change on that day (the latest episode date)."""
    folder = root / "ssda903" / "2026"
    shutil.copytree(SAMPLE_903 / "2026", folder)
    if cut:
        path = folder / "ssda903_2026_episodes.csv"
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
        table = table[~(pd.to_datetime(table["DECOM"], format="%d/%m/%Y") > CUT)]
        ended_later = pd.to_datetime(table["DEC"], format="%d/%m/%Y", errors="coerce") > CUT
        table.loc[ended_later, ["DEC", "REC", "REASON_PLACE_CHANGE"]] = ""
        last = table.index[table["DEC"] == ""][0]
        table.loc[last, ["DEC", "REC", "REASON_PLACE_CHANGE"]] = [f"{CUT:%d/%m/%Y}", "X1",
                                                                   "CARPL"]
        moved = table.loc[[last]].assign(DECOM=f"{CUT:%d/%m/%Y}", DEC="", REC="",
                                         REASON_PLACE_CHANGE="")
        pd.concat([table, moved]).to_csv(path, index=False)
    return root


def _check(capsys, data, *params):
    status = cli.main(["check", "forecasting-demand", "--data", str(data), *params])
    return status, capsys.readouterr().out


@pytest.mark.parametrize("cut, fits", [
    (False, ["-p", "reference_start=01/04/2025", "-p", "reference_end=31/03/2026"]),
    (True, ["-p", "reference_start=01/04/2025", "-p", "reference_end=04/12/2025"]),
])
def test_check_refuses_a_period_the_files_do_not_cover_and_its_fix_works(
        tmp_path, capsys, cut, fits):
    data = _one_year(tmp_path / "data", cut)
    status, said = _check(capsys, data)
    assert status != 0
    assert "The reference period must lie inside the days your SSDA903 files cover" in said
    assert " ".join(fits) in said
    status, said = _check(capsys, data, *fits)
    assert status == 0, said


def test_the_model_refuses_what_check_refuses_with_the_same_fix(tmp_path, capsys):
    data = _one_year(tmp_path / "data", cut=True)
    _, said = _check(capsys, data)
    with pytest.raises(DataError) as caught:
        forecast_demand(data / "ssda903", "01/04/2024", "31/03/2026")
    assert str(caught.value).splitlines()[-1].strip() in said
    forecast = forecast_demand(data / "ssda903", "01/04/2025", "04/12/2025",
                               forecast_days=28, by=None, interval=None)
    assert forecast["date"].min() == CUT


def test_check_refuses_a_gap_in_the_years_as_the_model_does(tmp_path, capsys):
    """903 years with one missing between them: the model needs every year in between,
    and check says so, with the model's own message, before the run. (The sample's
    2025/26 files stand in for 2026/27's, in a folder named 2027: 2026 is missing.)"""
    data = tmp_path / "data"
    shutil.copytree(SAMPLE_903 / "2025", data / "ssda903" / "2025")
    shutil.copytree(SAMPLE_903 / "2026", data / "ssda903" / "2027")
    status, said = _check(capsys, data)
    assert status != 0
    assert "The years are not consecutive" in said and "missing 2026" in said
    assert "move the years before 2026 out of the folder" in said
    with pytest.raises(DataError) as caught:
        forecast_demand(data / "ssda903", "01/04/2024", "31/03/2026")
    assert str(caught.value).splitlines()[-1].strip() in said
    shutil.rmtree(data / "ssda903" / "2025")  # the fix
    status, said = _check(capsys, data, "-p", "reference_start=01/04/2025")
    assert status == 0, said


def test_check_refuses_what_the_model_refuses_in_the_episodes(tmp_path, capsys):
    """Check reads every year as the example does and runs the model's own input rules:
    a child with episodes but no header row in any year stops the model, so check
    refuses it, naming the child, before the run."""
    data = tmp_path / "data"
    shutil.copytree(SAMPLE_903, data / "ssda903")
    episodes = pd.read_csv(data / "ssda903" / "2026" / "ssda903_2026_episodes.csv", dtype=str)
    child = episodes["CHILD"].iloc[0]
    for year in ("2025", "2026"):
        path = data / "ssda903" / year / f"ssda903_{year}_header.csv"
        header = pd.read_csv(path, dtype=str, keep_default_na=False)
        header[header["CHILD"] != child].to_csv(path, index=False)
    status, said = _check(capsys, data)
    assert status != 0
    assert "have no header row in any year" in said and child in said
    with pytest.raises(DataError, match="no header row in any year"):
        forecast_demand(data / "ssda903", "01/04/2024", "31/03/2026")


def test_a_reference_date_that_is_not_a_date_is_a_command_line_mistake(tmp_path, capsys):
    data = tmp_path / "data"
    shutil.copytree(SAMPLE_903, data / "ssda903")
    status, said = _check(capsys, data, "-p", "reference_end=2026/03/31")
    assert status == 2, said
    assert "reference_end is not a date" in said
    assert "What to do: Give reference_end as day/month/year, e.g. -p reference_end=31/03/2026" \
        in said
