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
  March. Long-term stability (the data set "CLA - placement stability - by local
  authority", reporting year 2025; *Stability measures for children looked after in
  England* uses the same definition): children looked after on 31 March aged under 16,
  looked after continuously for at least 2.5 years, who had lived with the same carer
  for at least 2 years. Placement location (the release's placement location tables,
  see indicators.placements): children looked after on 31 March placed more than 20
  miles from home (the DfE's "Over 20 miles" group, of all children looked after on 31
  March). Care leavers aged 19 to 21 (SSDA903 OC3, young people whose
  19th, 20th or 21st birthday fell in the year): in touch, in education, employment or
  training, and in suitable accommodation, each as a percentage of all of them (those
  who died or returned home for 6 months or more left out, as the care leaver data
  sets' footnotes say).
- CIN: *Children in need*, methodology
  (https://explore-education-statistics.service.gov.uk/methodology/children-in-need):
  children in need on 31 March (an episode of need open on that day; referrals with no
  further action are not episodes of need) per 10,000 children under 18; re-referrals
  within 12 months of a previous referral as a percentage of referrals in the year;
  assessments completed in the year within 45 working days; children who became the
  subject of a child protection plan in the year, per 10,000 children under 18 (the
  data set "D1 Child Protection Plans by local authority", indicator
  ``CPP_child_start``); child protection plans
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
from d2i_examples.indicators.chat import care_leavers, front_door, protection
from d2i_examples.indicators.looked_after import ON_31_MARCH, looked_after, short_break
from d2i_examples.indicators.periods import (
    add_months,
    age_in_years,
    as_date,
    in_window,
    open_on,
    window_start,
)
from d2i_examples.indicators.placements import (
    DFE_GROUPS,
    current_placements,
    dfe_distance_group,
    distance_km,
    placement_moves,
)
from d2i_examples.indicators.rates import summarise

CLA_SOURCE = ("https://explore-education-statistics.service.gov.uk/methodology/"
              "children-looked-after-in-england-including-adoptions")
CIN_SOURCE = "https://explore-education-statistics.service.gov.uk/methodology/children-in-need"
EHC_SOURCE = ("https://explore-education-statistics.service.gov.uk/methodology/"
              "education-health-and-care-plans")
RATE, PERCENT = "per 10,000", "%"
SOURCE_903 = "SSDA903 episodes"
NOT_CARE_LEAVERS = {"DIED", "RHOM"}  # OC3 IN_TOUCH codes the DfE's figures leave out

CLA_RATE = "Children looked after on 31 March"
CLA_STARTS = "Children starting to be looked after"
CLA_CEASES = "Children ceasing to be looked after"
STABILITY = "Looked after on 31 March with 3+ placements in the year"
LONG_TERM = "Under 16s looked after 2.5+ years, with the same carer for 2+ years"
OVER_20_MILES = "Looked after on 31 March placed more than 20 miles from home"
LEAVERS_IN_TOUCH = "Care leavers aged 19 to 21 in touch"
LEAVERS_EET = "Care leavers aged 19 to 21 in education, employment or training"
LEAVERS_SUITABLE = "Care leavers aged 19 to 21 in suitable accommodation"
CP_STARTS = "Children starting a CP plan"
CIN_RATE = "Children in need on 31 March"
REREFERRALS = "Re-referrals within 12 months"
ASSESSMENTS = "Assessments completed within 45 working days"
CP_REPEAT = "CP plans starting that were second or subsequent"
CP_TWO_YEARS = "CP plans ending that lasted 2 years or more"
EHC_EXCLUDING = "New EHC plans within 20 weeks (excluding exceptions)"
EHC_INCLUDING = "New EHC plans within 20 weeks (including exceptions)"
#: Every measure, in the order ``measures`` gives them.
MEASURES = (CLA_RATE, CLA_STARTS, CLA_CEASES, STABILITY, LONG_TERM, OVER_20_MILES,
            LEAVERS_IN_TOUCH, LEAVERS_EET, LEAVERS_SUITABLE, CIN_RATE, CP_STARTS,
            REREFERRALS, ASSESSMENTS, CP_REPEAT, CP_TWO_YEARS, EHC_EXCLUDING, EHC_INCLUDING)
COLUMNS = ["measure", "numerator", "denominator", "value", "unit", "period", "source"]
#: The measures each return gives; ``measures`` leaves them out when it is not given.
BY_RETURN = {
    "ssda903": (CLA_RATE, CLA_STARTS, CLA_CEASES, STABILITY, LONG_TERM, OVER_20_MILES,
                LEAVERS_IN_TOUCH, LEAVERS_EET, LEAVERS_SUITABLE),
    "cin_census": (CIN_RATE, CP_STARTS, REREFERRALS, ASSESSMENTS, CP_REPEAT, CP_TWO_YEARS),
    "sen2": (EHC_EXCLUDING, EHC_INCLUDING),
}
_GROUPS = {"ssda903": "Children looked after and care leaver measures need the SSDA903",
           "cin_census": "Children in need and child protection measures need the CIN "
                         "census",
           "sen2": "EHC plan measures need SEN2"}


def left_out(returns: Mapping[str, object]) -> list[str]:
    """A plain note for each return given as None ({return name: its tables or None}):
    the measures that need it, left out of ``measures``."""
    return [f"{_GROUPS[name]}: not in your folder, so these are left out: "
            + "; ".join(BY_RETURN[name]) + "."
            for name, tables in returns.items() if tables is None and name in BY_RETURN]


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


def long_term_stability(episodes: pd.DataFrame, header: pd.DataFrame, reference_date
                        ) -> dict:
    """Children looked after on 31 March, under 16 then and looked after continuously for
    at least 2.5 years (their period of care began 30 months or more before), and of
    them those with no placement move in the last 2 years (placement_moves: a change of
    carer, the DfE's "living with the same carer for at least 2 years").

    The period of care is the latest to start (RNE S) on or before the reference date.
    A year's SSDA903 holds only the episodes open in the year, so a child in care for
    years often has no RNE S row: their period began on or before the earliest episode
    held, which is used instead (a child whose earliest episode held began under 2.5
    years ago is left out). For the same reason a move whose episode ended before the
    year is not seen: for the full history, give the episodes of earlier years' returns
    too, each episode once. Ages
    from the header's DOB. An adoption placement with new carers is a move; one with the
    current foster carers (RNE T or U) is not."""
    end = as_date(reference_date)
    frames.require_columns(header, ["CHILD"], "SSDA903 header")
    dob = frames.dates(header, "DOB", "SSDA903 header")
    age = pd.Series(age_in_years(dob, end).to_numpy(), index=header["CHILD"].to_numpy())
    under_16 = set(age[age.lt(16).fillna(False).to_numpy(bool)].index)
    decom = frames.dates(episodes, "DECOM", SOURCE_903)
    held = pd.DataFrame({"child": episodes["CHILD"].to_numpy(), "start": decom.to_numpy(),
                         "new_period": frames.codes(episodes, "RNE", SOURCE_903).eq("S")
                         .fillna(False).to_numpy(bool)})[decom.le(end).to_numpy(bool)]
    earliest = held.groupby("child")["start"].min()
    began = (held[held["new_period"]].groupby("child")["start"].max()
             .reindex(earliest.index).fillna(earliest))
    long_stay = set(began[began.le(add_months(end, -30))].index)
    cohort = [c for c in looked_after(episodes, end, ON_31_MARCH) if c in (under_16 & long_stay)]
    moves = placement_moves(episodes, end, months=24).set_index("child")["moves"]
    settled = moves.reindex(cohort).eq(0).sum()
    return measure_row(LONG_TERM, settled, len(cohort), PERCENT, f"at {end:%d %B %Y}",
                       CLA_SOURCE)


def distance_measure(episodes: pd.DataFrame, reference_date) -> dict:
    """Children looked after on 31 March (short breaks left out) whose placement is more
    than 20 miles from home in a straight line (placements.dfe_distance_group), of all
    of them; a postcode missing or not found counts in the denominator only, as the
    DfE's "Not known or not recorded" group does."""
    end = as_date(reference_date)
    current = current_placements(episodes, end)
    over = dfe_distance_group(distance_km(current)).eq(DFE_GROUPS[1]).sum()
    return measure_row(OVER_20_MILES, over, len(current), PERCENT, f"at {end:%d %B %Y}",
                       CLA_SOURCE)


def care_leaver_measures(oc3: pd.DataFrame, reference_date) -> list[dict]:
    """Care leavers aged 19, 20 or 21 on the reference date (their birthday fell in the
    year the OC3 table covers): in touch (IN_TOUCH YES), in education, employment or
    training (ACTIV) and in suitable accommodation (ACCOM ending 1; 2 is not suitable),
    each of all of them, as indicators.chat.care_leavers counts them.

    Young people who have died (IN_TOUCH DIED) or returned home to their parents for 6
    months or more (RHOM) are left out, as the footnotes of the DfE's care leaver data
    sets say its figures leave them out (those whose care was transferred to another
    authority are too, and have no code of their own here)."""
    end = as_date(reference_date)
    frames.require_columns(oc3, ["DOB", "IN_TOUCH", "ACTIV", "ACCOM"], "SSDA903 OC3")
    oc3 = oc3[~frames.codes(oc3, "IN_TOUCH", "SSDA903 OC3").isin(NOT_CARE_LEAVERS)
              .fillna(False).to_numpy(bool)]
    suffix = frames.codes(oc3, "ACCOM", "SSDA903 OC3").str[-1]
    list_9 = pd.DataFrame({
        "Date of Birth": frames.dates(oc3, "DOB", "SSDA903 OC3"),
        "LA in Touch": oc3["IN_TOUCH"], "Activity Status": oc3["ACTIV"],
        "Suitability of Accommodation": suffix.map({"1": "SUITABLE", "2": "NOT SUITABLE"})})
    period = f"year ending {end:%d %B %Y}"
    rows = []
    for measure, count in [(LEAVERS_IN_TOUCH, care_leavers.care_leavers_in_touch),
                           (LEAVERS_EET, care_leavers.care_leavers_in_eet),
                           (LEAVERS_SUITABLE, care_leavers.care_leavers_suitably_accommodated)]:
        table = summarise(count(list_9, end, ages=(19, 21)))
        rows.append(measure_row(measure, table["numerator"].iloc[0],
                                table["denominator"].iloc[0], PERCENT, period, CLA_SOURCE))
    return rows


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


def _plan_starters(plans: pd.DataFrame, end: pd.Timestamp) -> int:
    start = frames.dates(plans, protection.START, "CIN census ChildProtectionPlans")
    return _children(plans.rename(columns={protection.CHILD: "CHILD"}),
                     in_window(start, window_start(end, 12), end))


def children_in_need_measures(cin: Mapping[str, pd.DataFrame], reference_date,
                              population: int) -> list[dict]:
    """CIN on 31 March and children starting a CP plan in the year (each child once) per
    10,000, re-referrals within 12 months, assessments within 45
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
        measure_row(CP_STARTS, _plan_starters(plans, end), population, RATE, period, CIN_SOURCE),
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
    reference date is 31 March).

    From the SSDA903, long-term stability needs the header (DOB), the distance measure
    the episodes' HOME_POST and PL_POST, and the care leaver measures the OC3 table;
    each is left out when what it needs is not given."""
    rows: list[dict] = []
    if ssda903 is not None:
        episodes = frames.table(ssda903, "episodes", "SSDA903")
        rows += looked_after_measures(episodes, reference_date, population)
        if ssda903.get("header") is not None:
            rows.append(long_term_stability(episodes, ssda903["header"], reference_date))
        if {"HOME_POST", "PL_POST"} <= set(episodes.columns):
            rows.append(distance_measure(episodes, reference_date))
        if ssda903.get("oc3") is not None:
            rows += care_leaver_measures(ssda903["oc3"], reference_date)
    if cin is not None:
        rows += children_in_need_measures(cin, reference_date, population)
    if sen2 is not None:
        year = ehc_year if ehc_year is not None else as_date(reference_date).year - 1
        rows += ehc_measures(sen2, year)
    return pd.DataFrame(rows, columns=COLUMNS)
