"""Date arithmetic on whole days, vectorised with numpy.

The simulation keeps dates as int64 day numbers (days since 1970-01-01) so that millions of
events cost little; these helpers convert them and do birthday arithmetic. Birthdays follow
pandas ``DateOffset(years=n)``, which the SSDA903 validator uses: 29 February becomes
28 February in years that are not leap years.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import numpy as np
import pandas as pd

NAT = np.iinfo(np.int64).min
"""Marker for a missing day number (kept as int64 so arrays stay integer)."""


def day(date: str | dt.date) -> int:
    """The day number of an ISO date string or date."""
    return int(np.datetime64(str(date), "D").astype(np.int64))


def to_datetime(days: np.ndarray) -> pd.Series:
    """Day numbers (NAT allowed) as a pandas datetime64 Series."""
    days = np.asarray(days, dtype=np.int64)
    out = days.astype("datetime64[D]").astype("datetime64[ns]")
    out[days == NAT] = np.datetime64("NaT")
    return pd.Series(out)


def ymd(days: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Year, month (1-12) and day of month of each day number."""
    d = np.asarray(days, dtype=np.int64).astype("datetime64[D]")
    months = d.astype("datetime64[M]")
    year = months.astype("datetime64[Y]").astype(np.int64) + 1970
    month = months.astype(np.int64) % 12 + 1
    dom = (d - months.astype("datetime64[D]")).astype(np.int64) + 1
    return year, month, dom


def _is_leap(year: np.ndarray) -> np.ndarray:
    return (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))


def add_years(days: np.ndarray, years) -> np.ndarray:
    """The same calendar day ``years`` later (29 Feb to 28 Feb outside leap years)."""
    year, month, dom = ymd(days)
    year = year + np.asarray(years, dtype=np.int64)
    dom = np.where((month == 2) & (dom == 29) & ~_is_leap(year), 28, dom)
    months = (year - 1970) * 12 + (month - 1)
    return months.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64) + dom - 1


def age_on(dob: np.ndarray, days: np.ndarray) -> np.ndarray:
    """Age in completed years on each date (0 before the first birthday)."""
    dob = np.asarray(dob, dtype=np.int64)
    days = np.asarray(days, dtype=np.int64)
    y_dob, _, _ = ymd(dob)
    y_day, _, _ = ymd(days)
    diff = y_day - y_dob
    return diff - (add_years(dob, diff) > days)


def birthday(dob: np.ndarray, age: int | np.ndarray) -> np.ndarray:
    """The day each child reaches ``age``."""
    return add_years(dob, age)


def collection_bounds(collection_year: int) -> tuple[int, int]:
    """First and last day (inclusive) of a collection year: 1 April to 31 March."""
    return day(f"{collection_year - 1}-04-01"), day(f"{collection_year}-03-31")


# -- working days ----------------------------------------------------------------------


@lru_cache(maxsize=1)
def working_day_calendar() -> np.busdaycalendar:
    """Weekdays that are not England and Wales bank holidays (``holidays.UK``, subdivision
    ``ENG``), 1980-2045: the working days of the statutory timescales."""
    import holidays

    days = holidays.UK(subdiv="ENG", years=range(1980, 2046))
    return np.busdaycalendar(holidays=np.array(sorted(days), dtype="datetime64[D]"))


def add_working_days(days: np.ndarray, n) -> np.ndarray:
    """The ``n``-th working day after each day (before it for negative ``n``); ``n == 0``
    gives the day itself, or the next working day if it is not one."""
    d = np.asarray(days, dtype=np.int64).astype("datetime64[D]")
    n = np.broadcast_to(np.asarray(n, dtype=np.int64), d.shape)
    cal = working_day_calendar()
    after = np.busday_offset(d, n, roll="backward", busdaycal=cal)
    other = np.busday_offset(d, n, roll="forward", busdaycal=cal)
    return np.where(n > 0, after, other).astype(np.int64)


def next_31_march(days: np.ndarray) -> np.ndarray:
    """The first 31 March on or after each day: the census date of its collection year."""
    year, month, _ = ymd(days)
    year = np.where(month > 3, year + 1, year)
    months = (year - 1970) * 12 + 2
    return months.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64) + 30
