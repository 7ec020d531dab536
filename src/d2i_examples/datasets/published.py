"""Read the DfE's published tables: Explore Education Statistics (EES) open-data CSVs.

Every data set on Explore Education Statistics downloads as a CSV in one layout (DfE,
*Open data standards*, analysts' guide,
https://dfe-analytical-services.github.io/analysts-guide/statistics-production/ud.html):
the time and place columns first (``time_period``, ``time_identifier``,
``geographic_level``, ``country_code``, ``country_name``, ``region_code``,
``region_name``, ``old_la_code``, ``la_name``, ``new_la_code``; a National row leaves
the region and LA columns blank), then the data set's filters (text, such as
``population_type``) and its indicators (numbers).

An indicator cell that is not a number holds a symbol saying why. The symbols and their
meanings are in each release's data guidance; those used by the children's social care
and SEN releases are:

- ``c``: suppressed to protect confidentiality (in the CIN release, any number from 1 to
  5, with secondary suppression where needed);
- ``k``: a percentage below 0.5 (children looked after data sets' footnotes);
- ``z``: not applicable; ``x``: not available (EHC plans data guidance, 2023);
- ``:``: not available, for example the LA could not return the item (CIN data guidance,
  2021: https://explore-education-statistics.service.gov.uk/find-statistics/children-in-need/2021/explore);
- ``u``: low reliability, ``low``: a small figure that rounds to zero (GSS shorthand,
  used by some data sets: read the data set's footnotes).

Such a cell is read as missing, never as zero, and its reason is kept in a column named
``<indicator>_reason``. A symbol not in this list is kept as its own reason. Numbers
with thousands separators ("41,630") are read as numbers; a true 0 stays 0.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from d2i_examples.datasets.files import (
    as_text,
    existing_path,
    frame_from_sheet,
    read_text_table,
)
from d2i_examples.errors import DataError

TIME_COLUMNS = ("time_period", "time_identifier")
LOCATION_COLUMNS = ("geographic_level", "country_code", "country_name", "region_code",
                    "region_name", "old_la_code", "la_name", "new_la_code")
STANDARD_COLUMNS = TIME_COLUMNS + LOCATION_COLUMNS
REQUIRED = ("time_period", "time_identifier", "geographic_level")
NATIONAL, REGIONAL, LOCAL_AUTHORITY = "National", "Regional", "Local authority"
SYMBOLS = {
    "c": "suppressed (confidential)",
    "k": "below 0.5%",
    "z": "not applicable",
    "x": "not available",
    ":": "not available",
    "u": "low reliability",
    "low": "rounds to zero",
    ".": "not available",
}
_HOW = ("Download the data set's CSV from Explore Education Statistics ('Download data "
        "set' on its data catalogue page) and save it unchanged.")


def _number(text: object) -> float | None:
    if text is None:
        return None
    try:
        return float(str(text).replace(",", "").strip())
    except ValueError:
        return None


def _reason(text: str) -> str:
    return SYMBOLS.get(text.lower(), f"symbol '{text}' (see the data set's guidance)")


def read_published(path: str | Path, filters: list[str] | tuple[str, ...] = ()
                   ) -> pd.DataFrame:
    """Read one EES open-data CSV as published.

    Returns the standard columns (text), the filters (text) and every indicator as a
    number, with ``<indicator>_reason`` beside an indicator that holds symbols (blank
    where the cell is a number). A column is an indicator when every non-blank cell is a
    number or a symbol, unless ``filters`` names it. ``attrs["indicators"]`` lists them,
    ``attrs["file"]`` the file. DataError for a missing standard column or an empty file.
    """
    path = existing_path(path, "published data set (EES CSV)")
    sheet = read_text_table(path)
    if not sheet.rows:
        raise DataError("The published data set is empty.", file=path,
                        expected="a heading row and one row per place and year",
                        found="nothing", fix=_HOW)
    frame = frame_from_sheet(sheet, 0)
    missing = [c for c in REQUIRED if c not in frame.columns]
    if missing:
        raise DataError(
            "This CSV is not an Explore Education Statistics open-data file.",
            file=path, column=", ".join(missing),
            expected="the standard columns " + ", ".join(STANDARD_COLUMNS[:3]) + ", ...",
            found=", ".join(map(str, frame.columns[:8])) or "no columns", fix=_HOW)
    out = pd.DataFrame(index=frame.index)
    indicators: list[str] = []
    for column in frame.columns:
        text = frame[column].map(as_text)
        if column in STANDARD_COLUMNS or column in filters:
            out[column] = text.astype("string")
            continue
        values = text.map(_number)
        symbols = text[text.notna() & values.isna()].astype(str).str.strip()
        known = symbols.str.lower().isin(SYMBOLS)
        if text.notna().sum() == 0 or (not known.all() and values.notna().sum() == 0):
            out[column] = text.astype("string")  # a filter: text, not numbers
            continue
        indicators.append(column)
        out[column] = pd.to_numeric(values, errors="coerce").astype("float64")
        if len(symbols):
            reason = pd.Series(pd.NA, index=frame.index, dtype="string")
            reason[symbols.index] = symbols.map(_reason).to_numpy()
            out[f"{column}_reason"] = reason
    out["time_period"] = out["time_period"].str.strip()
    out.attrs["indicators"] = indicators
    out.attrs["file"] = str(path)
    return out.reset_index(drop=True)


def _by_level(frame: pd.DataFrame, columns: dict[str, str]) -> pd.Series:
    level = frame["geographic_level"].astype("string")
    out = pd.Series(pd.NA, index=frame.index, dtype="string")
    for name, column in columns.items():
        if column in frame.columns:
            pick = level.eq(name).fillna(False)
            out[pick] = frame.loc[pick, column].astype("string")
    return out


def place_code(frame: pd.DataFrame) -> pd.Series:
    """One code per row for the place it is about: the LA's new code (``new_la_code``)
    for a Local authority row, the region code for a Regional row, the country code
    for a National row."""
    return _by_level(frame, {LOCAL_AUTHORITY: "new_la_code", REGIONAL: "region_code",
                             NATIONAL: "country_code"})


def place_name(frame: pd.DataFrame) -> pd.Series:
    """The name of the place each row is about (LA, region or country name)."""
    return _by_level(frame, {LOCAL_AUTHORITY: "la_name", REGIONAL: "region_name",
                             NATIONAL: "country_name"})
