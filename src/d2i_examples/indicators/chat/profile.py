"""Who the children are: ChAT's age and sex pyramids over an Annex A list.

Ages are whole years on the reference date, from the Date of Birth column,
grouped in the bands DfE uses in its children in need and children looked
after statistics: under 1, 1 to 4, 5 to 9, 10 to 15, 16 and over. A child born
after the reference date is "Unborn"; no date of birth is "Unknown". Each
child is counted once (by Child Unique ID), however many rows the list holds
for them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from d2i_examples.indicators import frames
from d2i_examples.indicators.periods import age_in_years

CHILD = "Child Unique ID"
# (label, youngest age in years); a band runs up to the next band's youngest age
AGE_BANDS: tuple[tuple[str, int], ...] = (
    ("Under 1", 0), ("1-4", 1), ("5-9", 5), ("10-15", 10), ("16+", 16))
SEXES = ("Female", "Male", "Other or not recorded")
# Annex A "Gender" values (case and spaces ignored), with the SSDA903/CIN codes
_SEX_CODES = {"FEMALE": "Female", "F": "Female", "2": "Female",
              "MALE": "Male", "M": "Male", "1": "Male"}
# Values that mean "other or not recorded" (903/CIN U and 0/9, and words): not warned about
_OTHER_SEX = {"U", "0", "9", "X", "UNKNOWN", "NOT KNOWN", "NOT RECORDED", "NOT STATED",
              "INDETERMINATE", "OTHER", "UNBORN"}


def age_band(ages: pd.Series) -> pd.Series:
    """Age band labels (AGE_BANDS) for whole-year ages; negative -> "Unborn", missing ->
    "Unknown". Returns an ordered categorical: Unborn, the bands, Unknown."""
    labels = [label for label, _ in AGE_BANDS]
    ages = pd.to_numeric(pd.Series(ages), errors="coerce").astype("float64")
    edges = [youngest for _, youngest in AGE_BANDS][1:]
    position = np.searchsorted(edges, ages.to_numpy(), side="right")
    named = np.array(labels, dtype=object)[np.minimum(position, len(labels) - 1)]
    named = np.where(ages.lt(0).to_numpy(), "Unborn", named)
    named = np.where(ages.isna().to_numpy(), "Unknown", named)
    return pd.Series(pd.Categorical(named, categories=["Unborn", *labels, "Unknown"],
                                    ordered=True), index=ages.index, name="age_band")


def age_sex_pyramid(frame: pd.DataFrame, reference_date,
                    source: str = "the Annex A list") -> pd.DataFrame:
    """Children per age band and sex, for a pyramid chart.

    `frame` is an Annex A list already cut to the children wanted (for example
    those looked after on the reference date). Columns: age_band (ordered, as
    age_band gives), sex (Female, Male, Other or not recorded), children. Every
    AGE_BANDS band appears for every sex (0 where none); Unborn and Unknown
    appear only when some child is in them. A Gender value that is neither a
    known code for female or male nor one meaning "not recorded" is counted
    as "Other or not recorded" and named in a warning (frames.report_unplaced).
    """
    frames.require_columns(frame, [CHILD, "Gender", "Date of Birth"], source)
    children = frame.dropna(subset=[CHILD]).drop_duplicates(CHILD)
    dob = frames.dates(children, "Date of Birth", source)
    codes = frames.clean_codes(children["Gender"])
    sex = codes.map(_SEX_CODES)
    frames.report_unplaced(children["Gender"], sex.notna() | codes.isin(_OTHER_SEX), "Gender",
                           SEXES[-1], source, unit="child")
    sex = sex.fillna(SEXES[-1])
    band = age_band(age_in_years(dob, reference_date))
    counts = pd.crosstab(band, pd.Categorical(sex, categories=SEXES), dropna=False)
    counts = counts.reindex(index=band.cat.categories, columns=list(SEXES), fill_value=0)
    counts.index.name, counts.columns.name = "age_band", "sex"
    keep = counts.index.isin([label for label, _ in AGE_BANDS]) | counts.sum(axis=1).gt(0)
    table = counts[keep].stack().rename("children").reset_index()
    table["age_band"] = pd.Categorical(table["age_band"], categories=band.cat.categories,
                                       ordered=True)
    table["children"] = table["children"].astype("int64")
    return table
