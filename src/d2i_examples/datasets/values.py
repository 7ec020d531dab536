"""Turning raw cells into tidy values: dates, checked codes, template drop-down values and
heading look-alikes.

Shared by the SSDA903, CIN census and Annex A loaders, so a date is read the
same way everywhere and every problem is explained the same way.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime

import pandas as pd

from d2i_examples.datasets.files import as_text, is_blank
from d2i_examples.errors import DataError

# day/month/year with 1-2 digit day and month, 4-digit year; '/', '.' or '-'
# separators; an optional midnight-style time as Excel sometimes appends.
_UK = re.compile(
    r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?"
)
_ISO = re.compile(
    r"(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?(?:Z|[+-]\d{2}:?\d{2})?"
)
_TWO_DIGIT_YEAR = re.compile(r"\d{1,2}[/.-]\d{1,2}[/.-]\d{2}")
_SERIAL = re.compile(r"\d{4,5}(?:\.0+)?")
_EXCEL_EPOCH = datetime(1899, 12, 30)
_MIN, _MAX = datetime(1900, 1, 1), datetime(2262, 4, 11)

# The Ofsted Annex A template's drop-down values: a list letter, then the value,
# which is either a code or "code: label" ("a) Male", "q) 6: Police").
_DROP_DOWN = re.compile(r"[a-zA-Z]{1,2}\)\s*(\S.*?)\s*")
_CODE_LABEL = re.compile(r"([A-Za-z0-9]{1,5})\s*:\s+\S.*")

DATE_EXPECTED = "a day/month/year date such as 31/03/2026 (2026-03-31 is also accepted)"


def _from_parts(parts: tuple[str | None, ...], keep_time: bool) -> datetime:
    y, m, d, hh, mm, ss = (int(p) if p else 0 for p in parts)
    value = datetime(y, m, d, hh, mm, ss) if keep_time else datetime(y, m, d)
    if not _MIN <= value <= _MAX:
        raise ValueError("out of range")
    return value


def _parse_one(value: object, excel_serials: bool, keep_time: bool) -> tuple[object, str]:
    """(datetime or None, problem) for one cell; problem is '' when it parsed."""
    if isinstance(value, datetime):
        value = value if keep_time else datetime(value.year, value.month, value.day)
        ok = _MIN <= value <= _MAX
        return (value, "") if ok else (None, "range")
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day), ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if excel_serials and 1 <= value < 2958466:
            serial = _EXCEL_EPOCH + pd.Timedelta(days=float(value)).to_pytimedelta()
            return (serial if keep_time else datetime(serial.year, serial.month, serial.day)), ""
        return None, "number"
    text = str(value).strip()
    m = _UK.fullmatch(text)
    if m:
        d, mo, y, hh, mi, ss = m.groups()
        try:
            return _from_parts((y, mo, d, hh, mi, ss), keep_time), ""
        except ValueError:
            if int(mo) > 12 and int(d) <= 12:
                return None, "us"
            return None, "impossible"
    m = _ISO.fullmatch(text)
    if m:
        try:
            return _from_parts(m.groups(), keep_time), ""
        except ValueError:
            return None, "impossible"
    if _TWO_DIGIT_YEAR.fullmatch(text):
        return None, "two_digit_year"
    if _SERIAL.fullmatch(text):
        return None, "number"
    return None, "format"


_EXPLAIN = {
    "us": (
        "This looks like a US-style month/day/year date (the month cannot be {month}).",
        (
            "Dates must be day/month/year. This usually happens when a CSV is opened and "
            "re-saved in Excel on a computer set to US English. Re-export the file from "
            "your system, or set Windows' region to English (United Kingdom) before saving; "
            "check the other dates in this column too, as dates such as 03/04/2025 cannot "
            "be told apart and may also be swapped."
        ),
    ),
    "two_digit_year": (
        "The date has a two-digit year, so the century is unknown.",
        "Format the column as a date with a four-digit year (dd/mm/yyyy) before saving.",
    ),
    "number": (
        "The date is stored as a number (Excel keeps dates as day counts) not as a date.",
        "In Excel, format the column as Date (dd/mm/yyyy) and save again.",
    ),
    "impossible": (
        "The date does not exist in the calendar (or is before 1900).",
        "Correct the date in your system or file, or leave the cell blank if it is not known.",
    ),
    "range": (
        "The date is outside the range these tools work with (1900 to 2262).",
        "Correct the date in your system or file.",
    ),
    "format": (
        "A value in a date column could not be read as a date.",
        (
            "Correct the value (dates are day/month/year), or leave the cell blank if it "
            "is not known."
        ),
    ),
}


def parse_dates(
    values: pd.Series,
    *,
    file: object,
    column: str,
    where: Mapping[object, str] | None = None,
    excel_serials: bool = False,
    keep_time: bool = False,
    placeholders: Iterable[str] = (),
    partial_dates: bool = False,
    expected: str = DATE_EXPECTED,
) -> pd.Series:
    """Parse a column of raw cells to datetime64; blanks become NaT.

    Accepts dd/mm/YYYY (also d/m/YYYY, with '.' or '-', and a trailing time
    such as '00:00:00'), ISO YYYY-MM-DD (with an optional time), real Excel
    dates, and Excel day-count serials when `excel_serials` is true (cells of
    a workbook). Values in `placeholders`, and with `partial_dates` the 903
    spec's partly unknown dates (e.g. ZZ/05/2015), become NaT. Anything else raises one DataError naming the first
    bad value and its place (`where[index]`, default "row <index>"), with how
    many more there are. Times are dropped unless `keep_time`.
    """
    allowed = {p.upper() for p in placeholders}
    parsed: list[object] = []
    bad: list[tuple[object, object, str]] = []
    for idx, raw in values.items():
        if is_blank(raw):
            parsed.append(None)
            continue
        if isinstance(raw, str) and _is_placeholder(raw.strip().upper(), allowed,
                                                    partial_dates):
            parsed.append(None)
            continue
        value, problem = _parse_one(raw, excel_serials, keep_time)
        parsed.append(value)
        if problem:
            bad.append((idx, raw, problem))
    if bad:
        _raise_bad_dates(bad, file=file, column=column, where=where, expected=expected)
    return pd.Series(pd.to_datetime(parsed), index=values.index, name=values.name)


def _is_placeholder(text: str, allowed: set[str], partial_dates: bool) -> bool:
    if text in allowed:
        return True
    # SSDA903 partial dates: one or more parts replaced by ZZ / ZZZZ
    return partial_dates and "Z" in text and bool(
        re.fullmatch(r"(\d{1,2}|ZZ)/(\d{1,2}|ZZ)/(\d{4}|ZZZZ)", text)
    )


def _raise_bad_dates(bad, *, file, column, where, expected) -> None:
    idx, raw, problem = next((b for b in bad if b[2] == "us"), bad[0])
    place = where[idx] if where is not None else f"row {idx}"
    problem_text, fix = _EXPLAIN[problem]
    if problem == "us":
        problem_text = problem_text.format(month=_UK.fullmatch(str(raw).strip()).group(2))
    others = [b for b in bad if b[0] != idx]
    more = ""
    if others:
        shown = ", ".join(
            (where[b[0]] if where is not None else f"row {b[0]}") + f" '{b[1]}'"
            for b in others[:3]
        )
        more = f"; {len(others)} more bad value(s) in this column, e.g. {shown}"
    raise DataError(
        f"Column {column}: {problem_text}",
        file=file,
        column=column,
        expected=expected,
        found=f"'{raw}' at {place}{more}",
        fix=fix,
    )


def check_codes(
    values: pd.Series,
    *,
    file: object,
    column: str,
    allowed: Mapping[str, str],
    scope: str,
    fix: str,
) -> pd.Series:
    """Stripped, upper-cased codes; DataError if any is not a key of `allowed`.

    Blanks are kept as NaN (whether a blank is allowed is the validator's
    business). `scope` says which list was used, e.g. "the 2025/26 SSDA903 codes".
    """
    codes = values.map(
        lambda v: float("nan") if is_blank(v) else str(as_text(v)).upper()
    ).astype(object)
    bad = codes.notna() & ~codes.isin(list(allowed))
    if bad.any():
        position = int(bad.to_numpy().argmax())  # labels may repeat (a person's needs)
        first, first_code = bad.index[position], codes.iloc[position]
        distinct = pd.unique(codes[bad])
        listed = ", ".join(f"'{c}'" for c in distinct[:6])
        if len(distinct) > 6:
            listed += f" and {len(distinct) - 6} more"
        if len(allowed) <= 12:
            expected = "; ".join(f"{c} ({m})" for c, m in allowed.items())
        else:
            expected = ", ".join(allowed)
        err = DataError(
            f"Column {column} holds a code that is not in {scope}.",
            file=file,
            column=column,
            expected=f"one of {expected}",
            found=f"'{first_code}' at row {first} ({int(bad.sum())} bad value(s) in all: "
            f"{listed})",
            fix=fix,
        )
        # for tools that suggest a code mapping: every bad code, and the accepted ones
        err.bad_codes, err.allowed = [str(c) for c in distinct], dict(allowed)
        raise err
    return codes


def near_miss(
    missing: str,
    candidates: Iterable[str],
    *,
    key=lambda s: re.sub(r"[^a-z0-9]", "", s.lower()),
    aliases: Mapping[str, str] | None = None,
) -> str | None:
    """The candidate heading that most looks like `missing`, if any does.

    Compares headings with punctuation, spaces and case removed (by `key`),
    through `aliases` (look-alike key -> wanted heading) first, then by
    spelling similarity (difflib ratio 0.6 or more).
    """
    candidates = list(candidates)
    keyed = {key(c): c for c in candidates}
    if aliases:
        for alias_key, target in aliases.items():
            if target == missing and key(alias_key) in keyed:
                return keyed[key(alias_key)]
    match = difflib.get_close_matches(key(missing), list(keyed), n=1, cutoff=0.6)
    return keyed[match[0]] if match else None


def sentence(text: str) -> str:
    """`text` with its first letter in capitals and the rest untouched."""
    return text[:1].upper() + text[1:]


def template_code(value: object) -> object:
    """A value as the Ofsted Annex A template's drop-down lists write it, read as its code.

    The template's lists put a letter before each choice: "a) Male" gives
    "Male", "a) WBRI" gives "WBRI", "s) NOBT" gives "NOBT"; a choice written
    "code: label" gives the code ("q) 6: Police" gives "6", "j) 3D: Health
    services" gives "3D"). Any other value is returned unchanged.
    """
    if not isinstance(value, str):
        return value
    m = _DROP_DOWN.fullmatch(value.strip())
    if m is None:
        return value
    choice = m.group(1)
    coded = _CODE_LABEL.fullmatch(choice)
    return coded.group(1) if coded else choice


def template_codes(values: pd.Series) -> pd.Series:
    """template_code for every value of a column (computed once per distinct value)."""
    distinct = {v: template_code(v) for v in values.dropna().unique()}
    if all(k == v for k, v in distinct.items()):
        return values
    return values.map(lambda v: distinct.get(v, v) if isinstance(v, str) else v)
