"""Working days in England: hand-counted bank-holiday edges, NaT, and properties."""

import datetime as dt

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from d2i_examples.errors import DataError
from d2i_examples.indicators.working_days import (
    add_working_days,
    bank_holidays,
    working_days_between,
)
from tests.annex_a_builders import uk_dates


@pytest.mark.parametrize("start, end, expected", [
    # Christmas 2025: Thu 25 and Fri 26 Dec are bank holidays, 27-28 a weekend,
    # so the only working day after Wed 24 up to Mon 29 is the 29th.
    ("24/12/2025", "29/12/2025", 1),
    # ... and to Fri 2 Jan 2026: 29, 30, 31 Dec and 2 Jan (1 Jan is a holiday).
    ("24/12/2025", "02/01/2026", 4),
    # Easter 2025: Good Friday 18 Apr, Easter Monday 21 Apr. Thu 17 -> Tue 22: only the 22nd.
    ("17/04/2025", "22/04/2025", 1),
    # Coronation bank holiday Mon 8 May 2023, and May Day Mon 1 May 2023.
    # Fri 28 Apr -> Tue 9 May: 2, 3, 4, 5 May and 9 May.
    ("28/04/2023", "09/05/2023", 5),
    # Leap year: Wed 28 Feb 2024 -> Fri 1 Mar 2024 passes Thu 29 Feb: 2 days.
    ("28/02/2024", "01/03/2024", 2),
    # The same dates in 2023 (no 29 Feb): Tue 28 Feb -> Wed 1 Mar is 1 day.
    ("28/02/2023", "01/03/2023", 1),
    ("05/06/2025", "05/06/2025", 0),   # same day
    ("06/06/2025", "09/06/2025", 1),   # Friday to Monday
    ("07/06/2025", "08/06/2025", 0),   # Saturday to Sunday
    ("29/12/2025", "24/12/2025", -1),  # backwards: minus the count the other way
])
def test_working_days_between_hand_counted(start, end, expected):
    assert working_days_between(uk_dates(start), uk_dates(end)).tolist() == [expected]
    s, e = (pd.to_datetime(d, format="%d/%m/%Y") for d in (start, end))
    assert working_days_between(s, e) == expected  # scalars give an int


def test_45_working_days_from_1_april_2025():
    # Counted by hand: April 2025 has 19 working days after Tue 1 Apr (Easter
    # 18 and 21 Apr out); May adds 20 (5 and 26 May out) -> 39; 2-6 Jun -> 44;
    # the 45th is Mon 9 June.
    assert add_working_days(pd.Timestamp("2025-04-01"), 45) == pd.Timestamp("2025-06-09")


def test_add_working_days_edges():
    starts = uk_dates("24/12/2025", "27/12/2025", "27/12/2025", "27/12/2025", None)
    out = add_working_days(starts, pd.Series([1, 1, 0, -1, 3]))
    # Wed 24 Dec + 1 -> Mon 29 Dec; Sat 27 + 1 -> Mon 29; + 0 -> itself;
    # the working day before Sat 27 is Wed 24 (25 and 26 are holidays); NaT stays NaT.
    assert out.tolist()[:4] == list(uk_dates("29/12/2025", "29/12/2025", "27/12/2025",
                                             "24/12/2025"))
    assert pd.isna(out.iloc[4])


def test_missing_dates_give_missing_counts():
    out = working_days_between(uk_dates("01/04/2025", None, "01/04/2025"),
                               uk_dates(None, "02/04/2025", "02/04/2025"))
    assert out.isna().tolist() == [True, True, False]
    assert out.iloc[2] == 1
    assert working_days_between(None, pd.Timestamp("2025-04-02")) is None


def test_result_keeps_the_index():
    start = pd.Series(pd.to_datetime(["2025-04-01", "2025-04-01"]), index=[10, 20])
    end = pd.Series(pd.to_datetime(["2025-04-02", "2025-04-03"]), index=[10, 20])
    assert working_days_between(start, end).to_dict() == {10: 1, 20: 2}


def test_text_dates_are_refused():
    with pytest.raises(DataError, match="not dates"):
        working_days_between(pd.Series(["01/04/2025"]), pd.Series(["02/04/2025"]))


@pytest.mark.tools
def test_bank_holidays_match_cin_validator_calendar():
    # D2I's CIN validator ships its own list of England bank holidays for 2022-2027.
    from cin_validator.england_holidates import england_holidates

    ours = set(bank_holidays(2022, 2027)["date"].dt.date)
    assert ours == set(england_holidates)
    assert dt.date(2023, 5, 8) in ours  # the coronation


def test_bank_holidays_list_substitute_days_not_weekends():
    # 1 Jan 2023 was a Sunday: the bank holiday was Monday 2 Jan.
    days = bank_holidays(2023, 2023)["date"].dt.date.tolist()
    assert dt.date(2023, 1, 2) in days and dt.date(2023, 1, 1) not in days


dates = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2035, 12, 31))


@settings(max_examples=150, deadline=None)
@given(start=dates, n=st.integers(min_value=0, max_value=400))
def test_add_then_count_is_the_identity(start, n):
    end = add_working_days(pd.Timestamp(start), n)
    assert working_days_between(pd.Timestamp(start), end) == n


@settings(max_examples=150, deadline=None)
@given(a=dates, b=dates)
def test_working_days_never_exceed_calendar_days(a, b):
    start, end = pd.Timestamp(min(a, b)), pd.Timestamp(max(a, b))
    count = working_days_between(start, end)
    assert 0 <= count <= (end - start).days
    assert working_days_between(end, start) == -count
