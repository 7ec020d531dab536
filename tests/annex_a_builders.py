"""Builders for the indicator tests: Annex A lists in exactly the loaders' shape.

Every list has all of its template headings (src/d2i_examples/spec/annex_a.py),
date columns as datetime64[ns] and everything else as text, as the Annex A
loader returns them. Dates are written dd/mm/yyyy, as in the workbooks.
"""

import pandas as pd

from d2i_examples.spec.annex_a import LISTS, date_columns


def annex_list(key: str, rows: list[dict]) -> pd.DataFrame:
    """An Annex A list holding `rows` (missing headings left blank)."""
    columns = LISTS[key][1]
    for row in rows:
        unknown = set(row) - set(columns)
        assert not unknown, f"not headings of {key}: {unknown}"
    frame = pd.DataFrame(rows, columns=columns, dtype=object)
    for column in date_columns(key):
        frame[column] = pd.to_datetime(frame[column], format="%d/%m/%Y")
    return frame


def uk_dates(*values: str | None) -> pd.Series:
    """A datetime Series from dd/mm/yyyy text (None -> NaT)."""
    return pd.Series(pd.to_datetime(list(values), format="%d/%m/%Y"))
