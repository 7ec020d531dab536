"""Reporting windows, ages and calendar durations, vectorised and missing-date safe.

Conventions (used by every indicator):
- A window of `months` ending on the reference date runs from the day after
  (reference date minus `months` months) to the reference date, both included:
  12 months to 31/03/2025 is 01/04/2024 to 31/03/2025.
- "N months after a date" is the same day number N months later, or the last
  day of that month when it is shorter (31/08 + 6 months = 28/02 or 29/02).
- Ages are whole years: a child born on 29 February turns one year older on
  1 March in years without a 29 February.
- Financial years run 1 April to 31 March and are labelled "2024-25".
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from d2i_examples.errors import DataError

_UK_DATE = re.compile(r"^\s*\d{1,2}/\d{1,2}/\d{4}\s*$")


def as_date(value) -> pd.Timestamp:
    """A single date from a Timestamp, date, ISO text (2025-03-31) or UK text (31/03/2025)."""
    try:
        if isinstance(value, str) and _UK_DATE.match(value):
            stamp = pd.to_datetime(value.strip(), format="%d/%m/%Y")
        else:
            stamp = pd.Timestamp(value)
    except (ValueError, TypeError) as error:
        raise DataError(
            "The reference date is not a date.",
            expected="a date such as '31/03/2025' or '2025-03-31'",
            found=repr(value),
            fix="Set the reference date to the last day of the period you want to measure.",
        ) from error
    if pd.isna(stamp):
        raise DataError("The reference date is missing.", expected="a date", found=repr(value))
    return stamp.tz_localize(None).normalize() if stamp.tzinfo else stamp.normalize()


def window_start(reference_date, months: int) -> pd.Timestamp:
    """First day of the `months`-long window that ends on (and includes) reference_date."""
    end = as_date(reference_date)
    return end - pd.DateOffset(months=months) + pd.Timedelta(days=1)


def in_window(dates: pd.Series, start, end) -> pd.Series:
    """True where start <= date <= end (missing dates are False)."""
    return dates.ge(as_date(start)) & dates.le(as_date(end))


def open_on(start: pd.Series, end: pd.Series, date) -> pd.Series:
    """True where a period is open on `date`: started on or before it, and no end or ending
    after it (a plan or care period that ends on the date is not open on it)."""
    date = as_date(date)
    return start.le(date) & (end.isna() | end.gt(date))


def overlaps(start: pd.Series, end: pd.Series, first, last) -> pd.Series:
    """True where a period (start, end or open) touches any day from `first` to `last`."""
    return start.le(as_date(last)) & (end.isna() | end.ge(as_date(first)))


def add_months(dates, months: int):
    """Dates plus whole calendar months (month-end clipped); NaT stays NaT."""
    return dates + pd.DateOffset(months=months)


def age_in_years(dob: pd.Series, on) -> pd.Series:
    """Whole years of age on a date (a scalar date or a Series of dates); <NA> if unknown."""
    on = as_date(on) if np.ndim(on) == 0 else on
    dob = pd.Series(dob)
    if isinstance(on, pd.Timestamp):
        y, m, d = on.year, on.month, on.day
    else:
        y, m, d = on.dt.year, on.dt.month, on.dt.day
    before_birthday = (dob.dt.month > m) | ((dob.dt.month == m) & (dob.dt.day > d))
    years = y - dob.dt.year - before_birthday.astype("int64")
    unknown = dob.isna() if isinstance(on, pd.Timestamp) else dob.isna() | on.isna()
    return years.astype("Int64").mask(unknown)


def financial_year(dates: pd.Series) -> pd.Series:
    """Financial year label ('2024-25' for 1 April 2024 to 31 March 2025); <NA> for NaT."""
    start_year = dates.dt.year - (dates.dt.month < 4).astype("int64")
    labels = {y: f"{int(y)}-{(int(y) + 1) % 100:02d}" for y in start_year.dropna().unique()}
    return start_year.map(labels).astype("string")


#: the Annex A lists whose every record is an event of the window (List 1 a contact, List 3 a
#: referral), each dated by its first date column; the others hold cases open in it too
EVENT_LISTS = ("list_1", "list_3")


def _event_dates(lists: dict[str, pd.DataFrame]) -> pd.Series:
    """The dates of Lists 1 and 3's contacts and referrals."""
    from d2i_examples.spec.annex_a import date_columns

    found = []
    for key in EVENT_LISTS:
        frame = lists.get(key)
        column = next((c for c in date_columns(key) if c != "Date of Birth"), None)
        if frame is not None and column in frame and pd.api.types.is_datetime64_any_dtype(
                frame[column]):
            found.append(frame[column])
    return pd.concat(found, ignore_index=True).dropna() if found else pd.Series(
        dtype="datetime64[ns]")


def _nothing_in_window(problem: str, expected: str, dates: str, first: pd.Timestamp,
                       last: pd.Timestamp, parameter: str) -> DataError:
    """The refusal of an Annex A window: the dates found, and the ``parameter`` value (the
    last day of the latest date's month) that covers them."""
    cover = (last + pd.offsets.MonthEnd(0)).normalize()
    return DataError(problem, column=parameter, expected=expected,
                     found=f"{dates} run from {first:%d/%m/%Y} to {last:%d/%m/%Y}",
                     fix=f"set {parameter} to the last day your Annex A covers, e.g. "
                     f"-p {parameter}={cover:%d/%m/%Y} (or in your settings file's parameters).")


def annex_a_window(lists: dict[str, pd.DataFrame], reference_date, months: int,
                   parameter: str = "reference_date") -> str:
    """Say which dates an Annex A holds and how many fall in the window; refuse an empty one.

    The window is the ``months`` ending on ``reference_date`` (window_start to
    reference_date, as every ChAT measure counts). Records are the lists' dated
    cells, dates of birth aside. Returns one line for the reader ("Your Annex
    A's dates run from ... to ...: 1,234 of them fall in the window ...").
    When none falls in the window, a DataError gives the file's date range and
    the ``parameter`` value that would cover it (the last day of the month of
    the latest date), before any measure or chart is computed. When the file
    covers only part of the window (an Annex A cut in December read with a
    window to 31 March), a second line warns which months it covers and that
    counts and rates cover only those (part_year_warning).
    """
    from d2i_examples.spec.annex_a import LISTS, date_columns

    end = as_date(reference_date)
    start = window_start(end, months)
    found = [frame[c] for key, frame in lists.items() if key in LISTS
             for c in date_columns(key) if c in frame and c != "Date of Birth"
             and pd.api.types.is_datetime64_any_dtype(frame[c])]
    dates = pd.concat(found, ignore_index=True).dropna() if found else pd.Series(
        dtype="datetime64[ns]")
    inside = int(in_window(dates, start, end).sum())
    if dates.empty:
        raise DataError(
            "Your Annex A holds no dated records.",
            column=parameter,
            expected="lists with dates (Date of Contact, Date of referral...)",
            found="no dates in any list",
            fix="Check the workbook is the filled-in Annex A, not the blank template.",
        )
    first, last = dates.min(), dates.max()
    window = (f"the window {start:%d/%m/%Y} to {end:%d/%m/%Y} ({parameter}={end:%d/%m/%Y}, "
              f"months={months})")
    if inside == 0:
        raise _nothing_in_window(f"No Annex A record is dated in {window}.",
                                 f"dates in the {months} months ending on {parameter}",
                                 "your Annex A's dates", first, last, parameter)
    events = _event_dates(lists)
    if not events.empty and not in_window(events, start, end).any():
        raise _nothing_in_window(
            f"No contact or referral (Annex A Lists 1 and 3) is dated in {window}: only "
            "cases open then are.", f"Lists 1 and 3 dated in the {months} months ending on "
            f"{parameter}", "their dates", events.min(), events.max(), parameter)
    said = (f"Your Annex A's dates run from {first:%d/%m/%Y} to {last:%d/%m/%Y}: {inside:,} "
            f"of them fall in the window {start:%d/%m/%Y} to {end:%d/%m/%Y} ({parameter}="
            f"{end:%d/%m/%Y}, months={months}).")
    part = part_year_warning(events, last, start, end, months, parameter)
    return said + ("\n" + part if part else "")


#: days of a window an Annex A may leave uncovered, at either end, and still be read as whole
COVER_TOLERANCE_DAYS = 31


def part_year_warning(events: pd.Series, last: pd.Timestamp, start: pd.Timestamp,
                      end: pd.Timestamp, months: int, parameter: str = "reference_date"
                      ) -> str:
    """A warning when an Annex A covers only part of the window (an in-year extract, cut
    months before the window ends, or one starting after it begins); "" when it covers it.

    The Annex A covers from its first contact or referral (``events``: Lists 1 and 3;
    the window's start when it has neither) to its latest dated record (``last``). More
    than COVER_TOLERANCE_DAYS uncovered at either end is a part year: counts and rates
    over the window then cover only the months between, and read low as a year's.
    """
    covered_from = max(start, events.min()) if not events.empty else start
    covered_to = min(end, last)
    if (covered_from - start).days <= COVER_TOLERANCE_DAYS and (
            end - covered_to).days <= COVER_TOLERANCE_DAYS:
        return ""
    covered = max(0, round(((covered_to - covered_from).days + 1) / 30.44))
    starts = (f"its first contact or referral is dated {events.min():%d/%m/%Y} and "
              if not events.empty else "")
    return (f"Warning: your Annex A covers only about {covered} of the window's {months} "
            f"months, {covered_from:%d/%m/%Y} to {covered_to:%d/%m/%Y} ({starts}its latest "
            f"record is dated {last:%d/%m/%Y}). Counts and rates over the window (contacts, "
            "referrals, assessments, plans and the journeys between them) cover only those "
            "months, and read low as a year's. To measure the "
            f"{months} months the file ends with, set {parameter}={last:%d/%m/%Y}"
            + (f"; to measure only the months it covers, also set months={covered}"
               if 0 < covered < months and covered_to == last else "")
            + " (-p on the command line, or in your settings file's parameters).")
