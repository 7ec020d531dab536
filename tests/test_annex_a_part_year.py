"""An Annex A cut part-way through the year (an in-year extract in December) is said to
cover only the months it covers, by check and by the notebooks (one function,
indicators.periods.annex_a_window), never read silently as a whole year."""

from __future__ import annotations

import pandas as pd

from d2i_examples import cli
from d2i_examples.indicators.periods import annex_a_window
from d2i_examples.spec import annex_a as annex_spec
from tests.fixtures.datasets_build import annex_row, write_xlsx

#: contacts from the day after 4 December 2025 to 4 December 2026, as cut on that day
CONTACTS = pd.date_range("2025-12-05", "2026-12-04", freq="7D").append(
    pd.DatetimeIndex(["2026-12-04"]))


def december_lists() -> dict[str, pd.DataFrame]:
    return {"list_1": pd.DataFrame({"Date of Contact": CONTACTS})}


def test_a_december_cut_read_with_a_window_to_march_is_warned_about():
    said = annex_a_window(december_lists(), "31/03/2027", 12)
    first, warning = said.splitlines()
    assert first.startswith("Your Annex A's dates run from 05/12/2025 to 04/12/2026")
    assert warning.startswith("Warning: your Annex A covers only about 8 of the window's 12 "
                              "months, 01/04/2026 to 04/12/2026")
    assert "read low as a year's" in warning
    assert "set reference_date=04/12/2026; to measure only the months it covers, also set " \
           "months=8" in warning


def test_the_default_window_over_a_december_cut_is_warned_about_too():
    """The corpus's 2026/27 in-year Annex A under the 2025/26 window: four months of it."""
    warning = annex_a_window(december_lists(), "31/03/2026", 12).splitlines()[1]
    assert "about 4 of the window's 12 months, 05/12/2025 to 31/03/2026" in warning
    assert "set reference_date=04/12/2026 " in warning and "months=" not in warning


def test_the_window_the_warning_suggests_is_not_warned_about():
    said = annex_a_window(december_lists(), "04/12/2026", 12)
    assert "Warning" not in said and len(said.splitlines()) == 1


def test_check_of_an_annex_a_example_warns_of_a_part_year(tmp_path, capsys):
    heading = annex_spec.LISTS["list_1"][1]
    rows = [annex_row("list_1", **{"Child Unique ID": f"SYN{n}",
                                   "Date of Contact": f"{day:%d/%m/%Y}"})
            for n, day in enumerate(CONTACTS)]
    data = tmp_path / "data"
    write_xlsx(data / "annex_a" / "annex_a.xlsx", {"List 1": [heading, *rows]})
    status = cli.main(["check", "chat-annex-a", "--data", str(data), "-p",
                       "reference_date=31/03/2027"])
    text = capsys.readouterr().out
    assert status == 0, text  # a warning, not a refusal: in-year figures are wanted too
    assert "  Warning: your Annex A covers only about 8 of the window's 12 months" in text
