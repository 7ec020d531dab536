"""How a collection year is written and read: 2026 is 2025/26, the year ending 31 March 2026.

The notation the readers and ``datasets.years`` share: ``year_label`` (2026 ->
'2025/26'), ``year_in_name`` (the year a file or folder name holds),
``stated_year`` and ``parse_collection_year`` (the year a reader gives),
``year_ending_31_march`` (the year holding a date) and ``checked`` (a year a tool
can check). It sits beside ``datasets/years/`` rather than in it because the
readers (``datasets.ssda903``) need it and ``datasets.years`` reads files with
those readers: here it imports nothing of the datasets, so nothing loops.
``datasets.years`` re-exports every name.
"""

from __future__ import annotations

import re

import pandas as pd

from d2i_examples.errors import DataError
from d2i_examples.spec import ssda903 as spec_903

_YEAR = re.compile(r"(?<!\d)(20\d\d)(?:\s*(?:[-_]|to)\s*(?:20)?(\d\d))?(?!\d)")
PARAMETER = "collection_year"


def year_label(year: int | None) -> str:
    """2026 -> '2025/26'; None -> 'year not stated'."""
    return "year not stated" if year is None else f"{year - 1}/{str(year)[2:]}"


def year_in_name(name: str) -> int | None:
    """The collection year a file or folder name holds: '2026', '2025-26', '903_2025_26'.

    A pair of years one apart ("2025-26", "2024 to 2025") gives the later; a
    lone year is the year the return ends. None when the name holds no year.
    """
    m = _YEAR.search(name)
    if m is None:
        return None
    start = int(m.group(1))
    if m.group(2) is not None and (int(m.group(2)) - start % 100) % 100 == 1:
        return start + 1
    return start


def stated_year(value: object, fix: str = "Set collection_year = 2026 for the 2025/26 return.",
                *, joined: bool = False) -> int:
    """The collection year ``value`` states, as the year the return ends.

    2026, "2026", "2025/26", "2025-26", "2025_26" or "2025 to 2026" give 2026;
    with ``joined`` also "202526". Anything else is a DataError with ``fix``.
    """
    text = str(value).strip()
    between = r"(?:[/_-]|to)" + ("?" if joined else "")
    m = re.fullmatch(rf"(20\d\d)\s*{between}\s*(?:20)?(\d\d)", text)
    if m and (int(m.group(2)) - int(m.group(1)) % 100) % 100 == 1:
        return int(m.group(1)) + 1
    if re.fullmatch(r"20\d\d", text):
        return int(text)
    raise DataError(
        "The collection year was not understood.",
        column=PARAMETER,
        expected="the year the return ends, e.g. 2026 or '2025/26'",
        found=repr(value),
        fix=fix,
    )


def year_ending_31_march(date: pd.Timestamp) -> int:
    """The collection year holding ``date``: that of the first 31 March on or after it."""
    return int(date.year) + (1 if date.month > 3 else 0)


def checked(collection_year: object, years: list[int], problem: str, fix: str) -> int:
    """``collection_year`` (2026, "2025/26"...) as an int if it is one of ``years``,
    else a DataError naming the years a tool can check."""
    try:
        year = stated_year(collection_year)
    except DataError:
        year = None
    if year not in years:
        raise DataError(
            problem,
            column=PARAMETER,
            expected="one of " + ", ".join(map(str, years)) + " (2026 means 2025/26)",
            found=repr(collection_year),
            fix=fix,
        )
    return year


def parse_collection_year(value: object) -> int:
    """The collection year as the year the return ends: 2026 for 2025/26.

    Accepts 2026, "2026", "2025/26", "2025-26", "2025_26" or "2025 to 2026".
    """
    year = stated_year(value, "Pass collection_year=2026 for the 2025/26 return.", joined=True)
    if year not in spec_903.SUPPORTED_YEARS:
        raise DataError(
            "There are no SSDA903 code lists for this collection year.",
            column="collection_year",
            expected=f"one of {', '.join(year_label(y) for y in spec_903.SUPPORTED_YEARS)}",
            found=year_label(year),
            fix="Pass a supported year, or collection_year=None to accept any code used "
            "in a supported year.",
        )
    return year
