"""The simulated records as a local authority's system shows them on a given date.

Shared by the CIN census and Annex A writers, so the two returns tell the same story:

- anything dated after the date is not known yet (an end date becomes missing: the
  episode, plan or assessment is still open);
- a section 47 enquiry with no initial child protection conference (ICPC) is recorded as
  "ICPC not required" once it has ended (the simulation's ``s47.end_date``: with its
  assessment's authorisation, or 20 days after it started at the latest);
- a case closed as RC8/RC9 ("closed after assessment, no further action / referred to
  early help") is recorded as RC7 ("services ceased for any other reason") when it also
  held a section 47 enquiry: the DfE CIN census codes RC8/RC9 are for cases closed after
  an assessment alone (csc-validator-be-cin rule 2990).
"""

from __future__ import annotations

import pandas as pd

from d2i_examples.synth.simulate import Journeys


def known(dates: pd.Series, on: pd.Timestamp) -> pd.Series:
    """Dates as known on ``on``: later dates are not known yet (NaT)."""
    return dates.where(dates <= on)


def referrals_as_at(journeys: Journeys, on: pd.Timestamp) -> pd.DataFrame:
    """Referrals made by ``on``, with closure date and reason as known then (closure
    reasons following the DfE codes, see the module docstring)."""
    ref = journeys.referrals[journeys.referrals["referral_date"] <= on].copy()
    ref["closure_date"] = known(ref["closure_date"], on)
    after_s47 = (ref["closure_reason"].isin(["RC8", "RC9"])
                 & ref["referral_id"].isin(journeys.s47["referral_id"]))
    ref.loc[after_s47, "closure_reason"] = "RC7"
    ref.loc[ref["closure_date"].isna(), "closure_reason"] = None
    return ref


def s47_as_at(journeys: Journeys, on: pd.Timestamp) -> pd.DataFrame:
    """Section 47 enquiries started by ``on``: ``icpc_date`` and ``end_date`` as known then,
    ``icpc_not_required`` as recorded then (ended without a conference), ``cp_plan`` only
    once the ICPC was held."""
    s47 = journeys.s47[journeys.s47["start_date"] <= on].copy()
    s47["icpc_date"] = known(s47["icpc_date"], on)
    s47["end_date"] = known(s47["end_date"], on)
    s47["icpc_not_required"] = s47["icpc_date"].isna() & s47["end_date"].notna()
    s47["cp_plan"] = s47["cp_plan"] & s47["icpc_date"].notna()
    return s47


def s47_during(journeys: Journeys, first: pd.Timestamp, last: pd.Timestamp) -> pd.DataFrame:
    """Section 47 enquiries active between ``first`` and ``last`` (as at ``last``, see
    :func:`s47_as_at`): started by ``last`` and not ended before ``first`` (its conference
    held in the period, or the enquiry still running at some point of it)."""
    s47 = s47_as_at(journeys, last)
    return s47[open_during(s47["start_date"], s47["end_date"], first, last)]


def open_during(start: pd.Series, end: pd.Series, first: pd.Timestamp,
                last: pd.Timestamp) -> pd.Series:
    """True where a period (start, end; end missing while open) overlaps first..last."""
    return (start <= last) & (end.isna() | (end >= first))


def active(df: pd.DataFrame, start: str, end: str, first: pd.Timestamp,
           last: pd.Timestamp) -> pd.DataFrame:
    """Rows of ``df`` whose period (columns ``start`` to ``end``) overlaps first..last, with
    ``end`` as known on ``last``."""
    out = df[df[start] <= last].copy()
    out[end] = known(out[end], last)
    return out[open_during(out[start], out[end], first, last)]
