"""Checked access to the columns the indicators read.

Every indicator reads its inputs through these helpers, so a missing table,
a missing column or a column of the wrong kind raises one DataError that names
the table, the column, what was expected and what was found.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from d2i_examples.errors import DataError
from d2i_examples.spec.annex_a import LISTS


def annex_source(key: str) -> str:
    """How messages name an Annex A list: "list_3" -> "Annex A List 3"."""
    return f"Annex A {LISTS[key][0]}"


def table(tables: Mapping[str, pd.DataFrame], key: str, source: str) -> pd.DataFrame:
    """tables[key], or a DataError saying which table of `source` is missing."""
    if key not in tables:
        name = LISTS[key][0] if source == "Annex A" and key in LISTS else key
        raise DataError(
            f"The {source} data has no {name} table.",
            file=source,
            expected=f"a table called {key!r}",
            found=", ".join(map(repr, tables)) or "no tables",
            fix="Load the data with d2i_examples.datasets, which names every table.",
        )
    return tables[key]


def require_columns(frame: pd.DataFrame, columns: Iterable[str], source: str) -> None:
    """Raise a DataError naming the first of `columns` that `frame` lacks."""
    for column in columns:
        if column not in frame.columns:
            raise DataError(
                f"A column the calculation needs is missing from {source}.",
                file=source,
                column=column,
                expected=f"a column headed exactly {column!r}",
                found=", ".join(map(repr, frame.columns[:12])) or "no columns",
                fix="Rename the column to match the template heading exactly.",
            )


def dates(frame: pd.DataFrame, column: str, source: str) -> pd.Series:
    """The column as datetimes; a DataError if it holds anything but dates or blanks."""
    require_columns(frame, [column], source)
    values = frame[column]
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        if getattr(values.dt, "tz", None) is not None:
            values = values.dt.tz_localize(None)
        return values.astype("datetime64[ns]")
    if values.isna().all():
        return pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]", name=column)
    example = values.dropna().astype(str).iloc[0]
    raise DataError(
        "A date column does not hold dates.",
        file=source,
        column=column,
        expected="dates (read the file with d2i_examples.datasets, which parses dd/mm/yyyy)",
        found=f"values such as {example!r} (type {values.dtype})",
        fix="Load the file through d2i_examples.datasets, or convert the column with "
        "pd.to_datetime(column, dayfirst=True).",
    )


def codes(frame: pd.DataFrame, column: str, source: str) -> pd.Series:
    """The column as upper-case text with surrounding spaces removed; blanks become <NA>."""
    require_columns(frame, [column], source)
    return clean_codes(frame[column])


def clean_codes(values: pd.Series) -> pd.Series:
    """Upper-case text with surrounding spaces removed; blanks become <NA>."""
    return per_distinct(values, lambda v: str(v).strip().upper() or None)


def per_distinct(values: pd.Series, function) -> pd.Series:
    """function(value) for each value, computed once per distinct value (text out).

    Blanks (missing values) stay <NA>; a function returning None gives <NA>.
    Columns of codes, postcodes and IDs repeat values, so this is much faster
    than a string operation on every row.
    """
    codes, distinct = pd.factorize(values)  # -1 marks missing values
    done = [function(v) for v in np.asarray(distinct, dtype=object)] + [None]
    return pd.Series(np.array(done, dtype=object)[codes], index=values.index, name=values.name,
                     dtype="string")


def numbers(frame: pd.DataFrame, column: str, source: str) -> pd.Series:
    """The column as numbers (blank -> NaN); a DataError if any value is not a number."""
    require_columns(frame, [column], source)
    values = frame[column]
    converted = pd.to_numeric(values, errors="coerce")
    bad = converted.isna() & values.notna() & (values.astype("string").str.strip() != "")
    if bad.any():
        raise DataError(
            "A column that should hold numbers holds text.",
            file=source,
            column=column,
            expected="whole numbers (blank where not known)",
            found=f"{int(bad.sum())} values such as {str(values[bad].iloc[0])!r}",
            fix="Correct those cells to numbers, or leave them blank.",
        )
    return converted.astype("float64")


class UnplacedValues(UserWarning):
    """Values a measure does not recognise, counted in a catch-all group: said by name."""


def report_unplaced(values: pd.Series, placed: pd.Series, column: str, counted_as: str,
                    source: str, unit: str = "row") -> None:
    """Warn, naming each value, about non-blank ``values`` where ``placed`` is False.

    "3 rows with Gender 'Femail' (Annex A List 8): counted as Other or not
    recorded." A measure calls this wherever it puts unrecognised values in a
    catch-all group, so nothing is binned silently.
    """
    text = values.astype("string").str.strip()
    unplaced = text[~placed.to_numpy() & text.notna().to_numpy() & (text != "").to_numpy()]
    if unplaced.empty:
        return
    counts = unplaced.value_counts()
    named = "; ".join(f"{n} {unit if n == 1 else _plural(unit)} with {column} {value!r}"
                      for value, n in counts.items())
    warnings.warn(f"{named} ({source}): counted as {counted_as}. If they mean something the "
                  "measure knows, map them in your settings file (mapping > codes).",
                  UnplacedValues, stacklevel=3)


def _plural(unit: str) -> str:
    return "children" if unit == "child" else unit + "s"
