"""Turn per-record flags into rate tables (numerator, denominator, rate).

Every ChAT-style measure returns its *records*: one row per item in the
denominator (a referral, a plan, a child), with a "measure" column naming the
measure and a boolean "numerator" column saying whether the item counts
towards it. summarise() turns records into the rate table; the records
themselves answer "which children?".
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from d2i_examples.errors import DataError


def records(frame: pd.DataFrame, measure: str, numerator: pd.Series) -> pd.DataFrame:
    """`frame` with the measure name and the boolean numerator flag added (missing -> False)."""
    out = frame.copy()
    out.insert(0, "measure", measure)
    out["numerator"] = numerator.fillna(False).astype(bool).to_numpy()
    out.attrs["measure"] = measure  # names the measure even when no row qualifies
    return out


def summarise(measure_records: pd.DataFrame, by: str | Sequence[str] | None = None) -> pd.DataFrame:
    """Rate table: numerator (count of True), denominator (rows), rate (numerator/denominator).

    `by` names columns of the records to break the rates down by (for example
    "Allocated Team"); missing values form their own group. The rate is a
    proportion from 0 to 1. With no records at all (and no `by`), one row with
    numerator and denominator 0 and rate NaN.
    """
    by = [] if by is None else [by] if isinstance(by, str) else list(by)
    for column in ["measure", "numerator", *by]:
        if column not in measure_records.columns:
            raise DataError(
                "These are not the records of a measure.",
                column=column,
                expected="the output of one of the measure functions",
                found=", ".join(map(str, measure_records.columns[:12])),
            )
    keys = ["measure", *by]
    if measure_records.empty:
        name = measure_records.attrs.get("measure")
        if by or name is None:
            return pd.DataFrame(columns=[*keys, "numerator", "denominator", "rate"])
        return pd.DataFrame({"measure": [name], "numerator": [0], "denominator": [0],
                             "rate": [float("nan")]})
    grouped = measure_records.groupby(keys, dropna=False, sort=True)["numerator"]
    table = grouped.agg(numerator="sum", denominator="size").reset_index()
    table["numerator"] = table["numerator"].astype("int64")
    table["rate"] = table["numerator"] / table["denominator"]
    return table

