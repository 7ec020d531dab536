"""Working days in England: weekdays that are not England and Wales bank holidays.

Statutory timescales in children's social care (assessments within 45 working
days, initial child protection conferences within 15 working days of the
strategy discussion; Working Together to Safeguard Children) count working
days. Bank holidays come from the `holidays` package (holidays.UK, subdivision
"ENG"), computed offline, so one-off days such as the 2023 coronation
(8 May 2023) and substitute days (27 December 2022) are included.

Counting convention, used everywhere in this package: the working days
*between* two dates are the working days after the first date up to and
including the second (the day after the start is day 1). The same day is 0
working days; a Friday to the following Monday is 1.
"""

from __future__ import annotations

from functools import lru_cache

import holidays
import numpy as np
import pandas as pd

from d2i_examples.errors import DataError

# The calendar always covers these years; dates outside them widen it.
_FIRST_YEAR, _LAST_YEAR = 1990, 2040


@lru_cache(maxsize=8)
def _calendar(first_year: int, last_year: int) -> np.busdaycalendar:
    days = holidays.UK(subdiv="ENG", years=range(first_year, last_year + 1))
    return np.busdaycalendar(holidays=np.array(sorted(days), dtype="datetime64[D]"))


def bank_holidays(first_year: int = _FIRST_YEAR, last_year: int = _LAST_YEAR) -> pd.DataFrame:
    """England and Wales bank holidays from first_year to last_year: columns date, name.

    Only days that are holidays from work: a holiday falling at a weekend is
    listed on its substitute weekday ("... (observed)"), as on gov.uk.
    """
    days = holidays.UK(subdiv="ENG", years=range(first_year, last_year + 1))
    table = pd.DataFrame(sorted(days.items()), columns=["date", "name"])
    table["date"] = pd.to_datetime(table["date"])
    return table[table["date"].dt.day_of_week < 5].reset_index(drop=True)


def _as_days(values, what: str):
    """Dates as numpy datetime64[D] (array or scalar) and the pandas index to keep, if any."""
    if isinstance(values, (pd.Series, pd.Index)):
        if not pd.api.types.is_datetime64_any_dtype(values.dtype):
            if values.isna().all():
                values = pd.Series(pd.NaT, index=getattr(values, "index", None))
            else:
                raise DataError(
                    f"The {what} dates are not dates.",
                    expected="a datetime column (load files with d2i_examples.datasets)",
                    found=f"a column of type {values.dtype}",
                    fix="Convert the column with pd.to_datetime(..., dayfirst=True) first.",
                )
        index = values.index if isinstance(values, pd.Series) else None
        days = pd.DatetimeIndex(values).tz_localize(None).values.astype("datetime64[D]")
        return days, index
    if values is None or (np.ndim(values) == 0 and pd.isna(values)):
        return np.datetime64("NaT", "D"), None
    if np.ndim(values) == 0:
        return np.datetime64(pd.Timestamp(values).tz_localize(None).date(), "D"), None
    return pd.DatetimeIndex(values).tz_localize(None).values.astype("datetime64[D]"), None


def _calendar_for(*arrays) -> np.busdaycalendar:
    years = [a.astype("datetime64[Y]").astype(int) + 1970 for a in arrays]
    known = np.concatenate([np.atleast_1d(y)[~np.isnat(np.atleast_1d(a))]
                            for y, a in zip(years, arrays)])
    first, last = _FIRST_YEAR, _LAST_YEAR
    if known.size:
        first, last = min(first, int(known.min()) - 1), max(last, int(known.max()) + 1)
    return _calendar(first, last)


def working_days_between(start, end):
    """Working days after `start` up to and including `end` (England, bank holidays excluded).

    Same day -> 0; Friday to next Monday -> 1. When end is before start the
    result is minus the working days after end up to and including start.
    Works on Series (returns a nullable Int64 Series, <NA> where either date is
    missing) or on single dates (returns an int, or None if either is missing).
    """
    s, index = _as_days(start, "start")
    e, index_end = _as_days(end, "end")
    index = index if index is not None else index_end
    s, e = np.broadcast_arrays(np.atleast_1d(s), np.atleast_1d(e))
    ok = ~(np.isnat(s) | np.isnat(e))
    counts = np.zeros(s.shape, dtype="int64")
    one = np.timedelta64(1, "D")
    # Count forwards from the earlier date and give the sign back: numpy's own handling
    # of reversed ranges changed between numpy 1 and 2.
    lo, hi = np.minimum(s[ok], e[ok]), np.maximum(s[ok], e[ok])
    sign = np.where(e[ok] < s[ok], -1, 1)
    counts[ok] = sign * np.busday_count(lo + one, hi + one, busdaycal=_calendar_for(s, e))
    if np.ndim(start) == 0 and np.ndim(end) == 0:
        return int(counts[0]) if ok[0] else None
    result = pd.array(counts, dtype="Int64")
    result[~ok] = pd.NA
    return pd.Series(result, index=index, name="working_days")


def add_working_days(start, n):
    """The date `n` working days after `start` (England, bank holidays excluded).

    The result is the n-th working day after start, so that
    working_days_between(start, add_working_days(start, n)) == n for n >= 0;
    n == 0 gives start itself. Negative n gives the n-th working day before
    start. Missing starts give NaT. Series in, datetime Series out.
    """
    s, index = _as_days(start, "start")
    s = np.atleast_1d(s)
    n_arr = np.atleast_1d(np.asarray(n, dtype="int64"))
    s, n_arr = np.broadcast_arrays(s, n_arr)
    span = (2 * np.abs(n_arr)).astype("timedelta64[D]")
    cal = _calendar_for(s - span, s + span)
    forward = np.busday_offset(s, n_arr, roll="backward", busdaycal=cal)
    backward = np.busday_offset(s, n_arr, roll="forward", busdaycal=cal)
    out = np.where(n_arr > 0, forward, np.where(n_arr < 0, backward, s))
    if np.ndim(start) == 0 and np.ndim(n) == 0:
        return pd.NaT if np.isnat(out[0]) else pd.Timestamp(out[0])
    return pd.Series(out.astype("datetime64[ns]"), index=index, name="date")
