"""ChAT-style child protection measures from Annex A List 7.

Plans lasting two years or more (ended in the window, and open at the
reference date), repeat plans, and timeliness of statutory visits and review
conferences. A plan is open on a date when it started on or before it and has
no end date or ends after it.
"""

from __future__ import annotations

import pandas as pd

from d2i_examples.indicators import frames
from d2i_examples.indicators.periods import (
    add_months,
    as_date,
    in_window,
    open_on,
    window_start,
)
from d2i_examples.indicators.rates import records
from d2i_examples.indicators.working_days import working_days_between

SOURCE = frames.annex_source("list_7")
CHILD = "Child Unique ID"
START = "Child Protection Plan Start Date"
END = "Child Protection Plan End Date"


def _plans(list_7):
    return frames.dates(list_7, START, SOURCE), frames.dates(list_7, END, SOURCE)


def cp_plans_2_years_ended(list_7: pd.DataFrame, reference_date, months: int = 12,
                           years: int = 2) -> pd.DataFrame:
    """Plans that ended in the window having lasted `years` years or more.

    DfE Children in need statistics: "child protection plans ending during the
    year which lasted two years or more". Denominator: plans with an end date in
    the window. Numerator: end date on or after start date plus `years` years.
    """
    start, end = _plans(list_7)
    keep = in_window(end, window_start(reference_date, months), reference_date) & start.notna()
    out = list_7.loc[keep].assign(days_on_plan=(end - start)[keep].dt.days)
    return records(out, f"Plans ended lasting {years}+ years",
                   end[keep].ge(add_months(start[keep], 12 * years)))


def cp_plans_2_years_open(list_7: pd.DataFrame, reference_date, years: int = 2) -> pd.DataFrame:
    """Plans open at the reference date that have lasted `years` years or more.

    DfE CIN census key indicator "children on a plan at 31 March for two years or
    more". Denominator: plans open on the reference date. Numerator: the
    reference date is on or after start date plus `years` years.
    """
    start, end = _plans(list_7)
    ref = as_date(reference_date)
    keep = open_on(start, end, ref)
    out = list_7.loc[keep].assign(days_on_plan=(ref - start[keep]).dt.days)
    return records(out, f"Open plans lasting {years}+ years",
                   add_months(start[keep], 12 * years).le(ref))


def repeat_cp_plans(list_7: pd.DataFrame, reference_date, months: int = 12,
                    within_years: int | None = None) -> pd.DataFrame:
    """Plans started in the window that were a second or subsequent plan.

    DfE Children in need statistics: "child protection plans starting during the
    year which were a second or subsequent plan". A plan is a repeat when
    "Number of Previous Child Protection Plans" is above 0 or the list holds an
    earlier plan (earlier start) for the same child. With `within_years` set
    (ChAT's "repeat plan within two years"), it counts only when the child's
    previous plan in the list ended no more than `within_years` years before this
    start; plans the list does not hold cannot be seen for this version.
    Denominator: plans with a start date in the window.
    """
    start, end = _plans(list_7)
    frames.require_columns(list_7, [CHILD], SOURCE)
    recorded = frames.numbers(list_7, "Number of Previous Child Protection Plans", SOURCE)
    plans = (pd.DataFrame({"child": list_7[CHILD].to_numpy(), "start": start.to_numpy(),
                           "end": end.to_numpy()})
             .dropna(subset=["child", "start"])
             .sort_values(["child", "start", "end"])
             .drop_duplicates(["child", "start"], keep="last"))
    by_child = plans.groupby("child", sort=False)
    plans["earlier"] = by_child.cumcount()
    plans["previous_end"] = by_child["end"].shift(1)
    lookup = plans.set_index(["child", "start"])
    key = pd.MultiIndex.from_arrays([list_7[CHILD], start])
    earlier = pd.Series(lookup["earlier"].reindex(key).to_numpy(), index=list_7.index)
    previous_end = pd.Series(lookup["previous_end"].reindex(key).to_numpy(),
                             index=list_7.index, dtype="datetime64[ns]")
    keep = in_window(start, window_start(reference_date, months), reference_date)
    out = list_7.loc[keep].assign(
        previous_plans=pd.concat([recorded, earlier], axis=1).max(axis=1)[keep],
        previous_plan_end=previous_end[keep],
    )
    if within_years is None:
        return records(out, "Repeat plans (second or subsequent)", out["previous_plans"].gt(0))
    recent = previous_end.notna() & start.le(add_months(previous_end, 12 * within_years))
    return records(out, f"Repeat plans within {within_years} years of the last", recent[keep])


def cp_visits_timely(list_7: pd.DataFrame, reference_date, working_days: int = 10) -> pd.DataFrame:
    """Children on a plan at the reference date seen within `working_days`.

    Working Together leaves the frequency of child protection visits to local
    procedures; 10 working days is a common local standard (set `working_days` to
    yours). Denominator: plans open on the reference date. Numerator: working
    days from the last statutory visit (or the plan start, if no visit yet) to
    the reference date <= `working_days`.
    """
    start, end = _plans(list_7)
    visit = frames.dates(list_7, "Date of the Last Statutory Visit", SOURCE)
    ref = as_date(reference_date)
    keep = open_on(start, end, ref)
    clock = visit.fillna(start)[keep]
    days = working_days_between(clock, pd.Series(ref, index=clock.index))
    out = list_7.loc[keep].assign(working_days_since_visit=days)
    return records(out, f"CP visits within {working_days} working days", days.le(working_days))


def cp_reviews_timely(list_7: pd.DataFrame, reference_date, months: int = 6,
                      first_review_months: int = 3) -> pd.DataFrame:
    """Plans open at the reference date whose review conference is not overdue.

    Working Together to Safeguard Children: the first review conference within
    three months of the initial conference, later ones at intervals of no more
    than six months. Denominator: plans open on the reference date. Numerator:
    the reference date is no later than the latest review plus `months` months,
    or, with no review yet, the plan start plus `first_review_months` months
    (the plan starts at the initial conference).
    """
    start, end = _plans(list_7)
    review = frames.dates(list_7, "Date of latest review conference", SOURCE)
    ref = as_date(reference_date)
    keep = open_on(start, end, ref)
    due = add_months(review, months).fillna(add_months(start, first_review_months))[keep]
    out = list_7.loc[keep].assign(review_due=due)
    return records(out, "CP reviews in timescale", due.ge(ref))
