"""Who counts as a child looked after: the DfE's three SSDA903 cohorts, one home each.

The SSDA903 header lists every child the return is about, and that is more than the
children looked after in the year. The DfE's *Children looked after return: guide to
submitting data* says the return records every child looked after at any time in the
year, *and* every young person eligible for care leaver support whose 17th to 21st
birthday falls in the year: a care leaver has a header row and an OC3 row but no
episode in the year. Counting the header counts them as looked after. The DfE's
statistics (*Children looked after in England including adoptions*, methodology, 2025)
use three cohorts instead, all from episodes:

- **during the year** (``DURING_YEAR``): every child with an episode open on any day
  of the year, 1 April to 31 March ("children looked after at any time during the
  year"), short breaks included as the return includes them: read a national
  table's footnotes for whether it leaves them out before setting it beside this;
- **on 31 March** (``ON_31_MARCH``): an episode open on the reference date, leaving out
  children looked after under an agreed series of short breaks (legal status V3 or V4),
  as every DfE 31 March figure does;
- **for 12 months at 31 March** (``TWELVE_MONTHS``, the OC2 cohort): looked after
  continuously for at least 12 months at 31 March, short breaks left out. The SSDA903
  guide asks for the OC2 table (health, SDQ, convictions) for these children, and the
  DfE's *Outcomes for children in need, including children looked after* release
  compares them with all pupils. "Continuously" is the DfE's SSDA903 validation rules'
  definition (2021-22 version 1.2, used by D2I's validator as
  ``CONTINUOUSLY_LOOKED_AFTER``): an episode in the year, and none that starts a new
  period of care (RNE S) after 1 April, ends care (REC other than X1) from 1 April to
  30 March, or is a short break (V3, V4).
"""

from __future__ import annotations

import pandas as pd

from d2i_examples.errors import DataError
from d2i_examples.indicators import frames
from d2i_examples.indicators.periods import as_date, open_on, overlaps, window_start
from d2i_examples.spec.ssda903 import SHORT_BREAKS  # LS V3, V4

SOURCE = "SSDA903 episodes"
DURING_YEAR = "during the year"
ON_31_MARCH = "on 31 March"
TWELVE_MONTHS = "12 months at 31 March (OC2)"
COHORTS = (DURING_YEAR, ON_31_MARCH, TWELVE_MONTHS)


def short_break(episodes: pd.DataFrame) -> pd.Series:
    """True for episodes under a series of short breaks (LS V3 or V4)."""
    return frames.codes(episodes, "LS", SOURCE).isin(SHORT_BREAKS).fillna(False).astype(bool)


def open_episodes_on(episodes: pd.DataFrame, reference_date) -> pd.Series:
    """True for episodes open on the reference date, short breaks left out (the DfE's
    31 March count)."""
    decom = frames.dates(episodes, "DECOM", SOURCE)
    dec = frames.dates(episodes, "DEC", SOURCE)
    return open_on(decom, dec, reference_date) & ~short_break(episodes)


def _children(episodes: pd.DataFrame, keep: pd.Series) -> pd.Index:
    return pd.Index(episodes.loc[keep.to_numpy(), "CHILD"].dropna().unique(), name="CHILD")


def looked_after(episodes: pd.DataFrame, reference_date, cohort: str = DURING_YEAR
                 ) -> pd.Index:
    """The children (CHILD IDs) in one of the DfE's cohorts for the year ending on
    ``reference_date`` (31 March): ``DURING_YEAR``, ``ON_31_MARCH`` or
    ``TWELVE_MONTHS`` (see the module docstring for each definition and its source)."""
    frames.require_columns(episodes, ["CHILD"], SOURCE)
    end = as_date(reference_date)
    start = window_start(end, 12)
    decom = frames.dates(episodes, "DECOM", SOURCE)
    dec = frames.dates(episodes, "DEC", SOURCE)
    in_year = overlaps(decom, dec, start, end)
    if cohort == DURING_YEAR:
        return _children(episodes, in_year)
    if cohort == ON_31_MARCH:
        return _children(episodes, open_episodes_on(episodes, end))
    if cohort == TWELVE_MONTHS:
        rne = frames.codes(episodes, "RNE", SOURCE)
        rec = frames.codes(episodes, "REC", SOURCE)
        breaks = (rne.eq("S").fillna(False) & decom.gt(start) & decom.le(end)) | (
            rec.ne("X1").fillna(True) & dec.ge(start) & dec.lt(end)) | (
            short_break(episodes) & in_year)
        broken = set(episodes.loc[breaks.to_numpy(), "CHILD"])
        return _children(episodes, in_year & ~episodes["CHILD"].isin(broken))
    raise DataError("Unknown cohort of children looked after.", column="cohort",
                    expected=", ".join(map(repr, COHORTS)), found=repr(cohort))


def cohort_sizes(ssda903: dict, reference_date) -> pd.DataFrame:
    """How many children the header lists, and how many are in each cohort: rows
    ``in the header``, ``in the header with no episode in the year``, ``of them care
    leavers (an OC3 row)``, then one per cohort; column ``children``."""
    header = frames.table(ssda903, "header", "SSDA903")
    episodes = frames.table(ssda903, "episodes", "SSDA903")
    frames.require_columns(header, ["CHILD"], "SSDA903 header")
    in_year = looked_after(episodes, reference_date, DURING_YEAR)
    listed = pd.Index(header["CHILD"].dropna().unique())
    missing = listed[~listed.isin(in_year)]
    leavers = ssda903.get("oc3", pd.DataFrame(columns=["CHILD"]))
    rows = {"in the header": len(listed),
            "in the header with no episode in the year": len(missing),
            "of them care leavers (an OC3 row)": int(missing.isin(leavers["CHILD"]).sum())}
    rows |= {f"looked after {c}": len(looked_after(episodes, reference_date, c))
             for c in COHORTS}
    return pd.Series(rows, name="children").to_frame()
