"""ChAT-style care leaver measures from Annex A List 9.

The share of care leavers the local authority is in touch with, who are in
suitable accommodation, and who are in education, employment or training (EET).
DfE publishes these for care leavers aged 17 to 21 as shares of *all* care
leavers of that age (not only those in touch), so the denominator here is every
care leaver in the list, optionally limited to an age range on the reference
date ("Children looked after in England including adoptions", care leavers).

Values accepted (case and surrounding spaces ignored):
- LA in Touch: "YES"/"Y" is in touch (SSDA903 IN_TOUCH codes: YES, NO, DIED,
  REFU, NREQ, RHOM);
- Suitability of Accommodation: "SUITABLE", "S", "YES", "Y" are suitable
  (SSDA903 OC3 suffix S = suitable, N = not suitable);
- Activity Status: SSDA903 OC3 ACTIV codes F1, P1 (higher education), F2, P2
  (other education), F4, P4 (apprenticeship) and F5, P5 (training or
  employment), full (F) or part (P) time, are EET (the codes the DfE 903
  validator accepts, rule 132); F3 and P3, training or employment in earlier
  years' code lists, count too. G4, G5, G6 (not in EET) and 0 are not.
"""

from __future__ import annotations

import pandas as pd

from d2i_examples.indicators import frames
from d2i_examples.indicators.periods import age_in_years
from d2i_examples.indicators.rates import records

SOURCE = frames.annex_source("list_9")
IN_TOUCH = {"YES", "Y"}
SUITABLE = {"SUITABLE", "S", "YES", "Y"}
EET = {"F1", "P1", "F2", "P2", "F3", "P3", "F4", "P4", "F5", "P5"}


def _leavers(list_9, reference_date, ages):
    if ages is None:
        return pd.Series(True, index=list_9.index)
    youngest, oldest = ages
    age = age_in_years(frames.dates(list_9, "Date of Birth", SOURCE), reference_date)
    return age.between(youngest, oldest).fillna(False).astype(bool)


def _measure(list_9, reference_date, ages, column, accepted, measure):
    keep = _leavers(list_9, reference_date, ages)
    value = frames.codes(list_9, column, SOURCE)[keep]
    label = measure if ages is None else f"{measure} (aged {ages[0]}-{ages[1]})"
    return records(list_9.loc[keep], label, value.isin(accepted))


def care_leavers_in_touch(list_9: pd.DataFrame, reference_date,
                          ages: tuple[int, int] | None = None) -> pd.DataFrame:
    """Care leavers the local authority is in touch with ("LA in Touch" is YES)."""
    return _measure(list_9, reference_date, ages, "LA in Touch", IN_TOUCH,
                    "Care leavers in touch")


def care_leavers_suitably_accommodated(list_9: pd.DataFrame, reference_date,
                                       ages: tuple[int, int] | None = None) -> pd.DataFrame:
    """Care leavers in suitable accommodation ("Suitability of Accommodation" is suitable)."""
    return _measure(list_9, reference_date, ages, "Suitability of Accommodation", SUITABLE,
                    "Care leavers in suitable accommodation")


def care_leavers_in_eet(list_9: pd.DataFrame, reference_date,
                        ages: tuple[int, int] | None = None) -> pd.DataFrame:
    """Care leavers in education, employment or training (Activity Status in EET)."""
    return _measure(list_9, reference_date, ages, "Activity Status", EET,
                    "Care leavers in education, employment or training")
