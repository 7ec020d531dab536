"""What the DfE will publish about a council: its local-authority measures, from its returns.

Each measure is computed the way the DfE's statistics define it, from the council's own
SSDA903, CIN census and SEN2, so it can be set beside the DfE's published tables for
England, the region and other councils (see indicators.comparison). The cohorts and
measures already defined elsewhere are called, not redefined: who is looked after
(indicators.looked_after), placements in the year (indicators.placements), re-referrals,
assessment and child protection measures (indicators.chat, here fed from the CIN census)
and EHC plan timeliness (indicators.ehcp).

Sources of the definitions (methodology pages on Explore Education Statistics):

- CLA: *Children looked after in England including adoptions*, methodology
  (https://explore-education-statistics.service.gov.uk/methodology/children-looked-after-in-england-including-adoptions):
  children looked after on 31 March, and children who started and ceased to be looked
  after in the year ending 31 March, short breaks (V3, V4) left out; rates per 10,000
  children aged under 18. Stability: children looked after on 31 March with three or
  more placements during the year, as a percentage of all children looked after on 31
  March.
- CIN: *Children in need*, methodology
  (https://explore-education-statistics.service.gov.uk/methodology/children-in-need):
  children in need on 31 March (an episode of need open on that day; referrals with no
  further action are not episodes of need) per 10,000 children under 18; re-referrals
  within 12 months of a previous referral as a percentage of referrals in the year;
  assessments completed in the year within 45 working days; child protection plans
  starting in the year that were second or subsequent plans, and plans ending in the
  year that had lasted two years or more.
- EHC plans: *Education, health and care plans*, methodology
  (https://explore-education-statistics.service.gov.uk/methodology/education-health-and-care-plans):
  new plans issued within 20 weeks, including and excluding exceptions, by calendar year.

``measures`` returns one tidy row per measure: measure, numerator, denominator, value,
unit ("per 10,000" or "%"), period and source (the methodology page).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from d2i_examples.indicators import ehcp, frames
from d2i_examples.indicators.chat import front_door, protection
from d2i_examples.indicators.looked_after import ON_31_MARCH, looked_after, short_break
from d2i_examples.indicators.periods import as_date, in_window, open_on, window_start
from d2i_examples.indicators.placements import placement_moves
from d2i_examples.indicators.rates import summarise

CLA_SOURCE = ("https://explore-education-statistics.service.gov.uk/methodology/"
              "children-looked-after-in-england-including-adoptions")
CIN_SOURCE = "https://explore-education-statistics.service.gov.uk/methodology/children-in-need"
EHC_SOURCE = ("https://explore-education-statistics.service.gov.uk/methodology/"
              "education-health-and-care-plans")
RATE, PERCENT = "per 10,000", "%"

CLA_RATE = "Children looked after on 31 March"
CLA_STARTS = "Children starting to be looked after"
CLA_CEASES = "Children ceasing to be looked after"
STABILITY = "Looked after on 31 March with 3+ placements in the year"
CIN_RATE = "Children in need on 31 March"
REREFERRALS = "Re-referrals within 12 months"
ASSESSMENTS = "Assessments completed within 45 working days"
CP_REPEAT = "CP plans starting that were second or subsequent"
CP_TWO_YEARS = "CP plans ending that lasted 2 years or more"
EHC_EXCLUDING = "New EHC plans within 20 weeks (excluding exceptions)"
EHC_INCLUDING = "New EHC plans within 20 weeks (including exceptions)"
COLUMNS = ["measure", "numerator", "denominator", "value", "unit", "period", "source"]


def measure_row(measure: str, numerator, denominator, unit: str, period: str, source: str
                ) -> dict:
    """One row of the measures table; value is numerator / denominator per 10,000 or as a
    percentage by ``unit`` (no value when the denominator is 0)."""
    numerator, denominator = int(numerator), int(denominator)
    scale = 10_000 if unit == RATE else 100
    value = scale * numerator / denominator if denominator else np.nan
    return dict(zip(COLUMNS, [measure, numerator, denominator, value, unit, period, source]))


def _children(episodes: pd.DataFrame, keep: pd.Series) -> int:
    return int(episodes.loc[keep.to_numpy(), "CHILD"].dropna().nunique())


def looked_after_measures(episodes: pd.DataFrame, reference_date, population: int
                          ) -> list[dict]:
    """CLA on 31 March, starts and ceases in the year (each per 10,000 children under
    18, ``population``), and stability (3+ placements, % of CLA on 31 March).

    Starts: children with an episode starting a period of care (RNE S) in the year;
    ceases: children with an episode ending care (REC other than X1) in the year; a
    child counts once however many times. Short breaks (LS V3, V4) are left out."""
    end = as_date(reference_date)
    start = window_start(end, 12)
    period = f"year ending {end:%d %B %Y}"
    source = "SSDA903 episodes"
    decom = frames.dates(episodes, "DECOM", source)
    dec = frames.dates(episodes, "DEC", source)
    rne = frames.codes(episodes, "RNE", source)
    rec = frames.codes(episodes, "REC", source)
    counted = ~short_break(episodes)
    starts = counted & rne.eq("S").fillna(False) & in_window(decom, start, end)
    ceases = counted & rec.ne("X1").fillna(False) & rec.notna() & in_window(dec, start, end)
    on_31_march = looked_after(episodes, end, ON_31_MARCH)
    moves = placement_moves(episodes, end)
    three_plus = moves.loc[moves["child"].isin(on_31_march) & moves["placements"].ge(3)]
    return [
        measure_row(CLA_RATE, len(on_31_march), population, RATE, period, CLA_SOURCE),
        measure_row(CLA_STARTS, _children(episodes, starts), population, RATE, period, CLA_SOURCE),
        measure_row(CLA_CEASES, _children(episodes, ceases), population, RATE, period, CLA_SOURCE),
        measure_row(STABILITY, len(three_plus), len(on_31_march), PERCENT, period, CLA_SOURCE),
    ]


def _renamed(cin: Mapping[str, pd.DataFrame], table: str, names: dict[str, str]
             ) -> pd.DataFrame:
    frame = frames.table(cin, table, "CIN census")
    frames.require_columns(frame, list(names), f"CIN census {table}")
    return frame.rename(columns=names)


def children_in_need(cin: Mapping[str, pd.DataFrame], reference_date) -> pd.Index:
    """Children (LAchildID) with an episode of need open on the reference date: referred
    on or before it, not closed before it, and not a referral with no further action."""
    details = frames.table(cin, "CINdetails", "CIN census")
    source = "CIN census CINdetails"
    referred = frames.dates(details, "CINreferralDate", source)
    closed = frames.dates(details, "CINclosureDate", source)
    nfa = frames.codes(details, "ReferralNFA", source).str.lower().isin(["1", "true"])
    keep = open_on(referred, closed, as_date(reference_date)) & ~nfa.fillna(False)
    return pd.Index(details.loc[keep.to_numpy(), "LAchildID"].dropna().unique())


def assessment_records(cin: Mapping[str, pd.DataFrame], reference_date) -> pd.DataFrame:
    """The census's assessments authorised in the year ending on the reference date, one
    row each with ``working_days`` from start to authorisation and ``numerator`` (within
    45 working days), as indicators.chat.front_door.assessment_timeliness gives them."""
    assessments = _renamed(cin, "Assessments", {
        "AssessmentActualStartDate": "Continuous Assessment Start Date",
        "AssessmentAuthorisationDate": "Continuous Assessment Date of Authorisation"})
    return front_door.assessment_timeliness(assessments, as_date(reference_date))


def _from_records(measure: str, measure_records: pd.DataFrame, period: str) -> dict:
    table = summarise(measure_records)
    return measure_row(measure, table["numerator"].iloc[0], table["denominator"].iloc[0], PERCENT,
                period, CIN_SOURCE)


def children_in_need_measures(cin: Mapping[str, pd.DataFrame], reference_date,
                              population: int) -> list[dict]:
    """CIN on 31 March per 10,000, re-referrals within 12 months, assessments within 45
    working days, repeat CP plans and CP plans ending after 2+ years, from the census.

    The census tables are given the Annex A names the ChAT measures read; the census
    holds the year's referrals and those of cases still open, so earlier referrals of
    closed cases are not seen (the DfE links earlier censuses)."""
    end = as_date(reference_date)
    period = f"year ending {end:%d %B %Y}"
    referrals = _renamed(cin, "CINdetails", {"LAchildID": front_door.CHILD,
                                             "CINreferralDate": "Date of referral"})
    plans = _renamed(cin, "ChildProtectionPlans", {
        "LAchildID": protection.CHILD, "CPPstartDate": protection.START,
        "CPPendDate": protection.END,
        "NumberOfPreviousCPP": "Number of Previous Child Protection Plans"})
    return [
        measure_row(CIN_RATE, len(children_in_need(cin, end)), population, RATE, period, CIN_SOURCE),
        _from_records(REREFERRALS, front_door.re_referrals(referrals, end), period),
        _from_records(ASSESSMENTS, assessment_records(cin, end), period),
        _from_records(CP_REPEAT, protection.repeat_cp_plans(plans, end), period),
        _from_records(CP_TWO_YEARS, protection.cp_plans_2_years_ended(plans, end), period),
    ]


def ehc_measures(sen2: Mapping[str, pd.DataFrame], year: int) -> list[dict]:
    """New EHC plans of calendar ``year`` issued within 20 weeks, excluding exceptions
    (the DfE's headline) and including them (indicators.ehcp.timeliness)."""
    table = ehcp.timeliness(ehcp.requests_table(sen2))
    row = table[table["year"] == int(year)]
    period = f"calendar year {int(year)}"
    if row.empty:
        return [measure_row(EHC_EXCLUDING, 0, 0, PERCENT, period, EHC_SOURCE),
                measure_row(EHC_INCLUDING, 0, 0, PERCENT, period, EHC_SOURCE)]
    row = row.iloc[0]
    return [
        measure_row(EHC_EXCLUDING, row["within_20_without_exceptions"],
             row["plans_without_exceptions"], PERCENT, period, EHC_SOURCE),
        measure_row(EHC_INCLUDING, row["within_20"], row["plans"], PERCENT, period, EHC_SOURCE),
    ]


def measures(reference_date, population: int, ssda903: Mapping | None = None,
             cin: Mapping | None = None, sen2: Mapping | None = None,
             ehc_year: int | None = None) -> pd.DataFrame:
    """The council's DfE measures from whichever returns are given: one row per measure
    (columns measure, numerator, denominator, value, unit, period, source).

    ``population``: children aged 0 to 17 in the council's area (the denominator of
    every rate per 10,000). ``ehc_year``: the calendar year of new EHC plans (default:
    the year before ``reference_date``'s, the SEN2 census's activity year when the
    reference date is 31 March)."""
    rows: list[dict] = []
    if ssda903 is not None:
        episodes = frames.table(ssda903, "episodes", "SSDA903")
        rows += looked_after_measures(episodes, reference_date, population)
    if cin is not None:
        rows += children_in_need_measures(cin, reference_date, population)
    if sen2 is not None:
        year = ehc_year if ehc_year is not None else as_date(reference_date).year - 1
        rows += ehc_measures(sen2, year)
    return pd.DataFrame(rows, columns=COLUMNS)
