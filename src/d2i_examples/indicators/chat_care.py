"""ChAT-style measures for children looked after, from Annex A List 8.

Placement stability (short and long term) and timeliness of reviews, social
work visits, health assessments and dental checks. The denominator of each is
children looked after on the reference date: started to be looked after on or
before it, and not ceased, or ceased after it.

Thresholds are parameters; the defaults and their sources:
- reviews: first within 20 working days of coming into care, then no more than
  six months apart (Care Planning, Placement and Case Review (England)
  Regulations 2010, reg. 33; the 3-month second review is not separable from
  Annex A's "latest review" date and is treated at the six-month interval);
- social work visits: no more than six weeks apart in the first year of a
  placement (Care Planning Regulations 2010, reg. 28);
- health assessments and dental checks: within the last 12 months, for children
  looked after for 12 months or more (the DfE SSDA903 OC2 cohort); health
  assessments are due six-monthly for under-fives: pass months=6 for them.
"""

from __future__ import annotations

import pandas as pd

from d2i_examples.indicators import frames
from d2i_examples.indicators.periods import add_months, age_in_years, as_date, open_on
from d2i_examples.indicators.rates import records
from d2i_examples.indicators.working_days import add_working_days

SOURCE = frames.annex_source("list_8")
STARTED = "Date Started to be Looked After"
CEASED = "Date Ceased to be Looked After"
# SSDA903 placement types for a child placed for adoption.
PLACED_FOR_ADOPTION = {"A3", "A4", "A5", "A6"}


def looked_after_on(list_8: pd.DataFrame, reference_date) -> pd.Series:
    """True for rows of List 8 whose child is looked after on the reference date."""
    return open_on(frames.dates(list_8, STARTED, SOURCE), frames.dates(list_8, CEASED, SOURCE),
                   reference_date)


def _in_care_for(list_8, reference_date, months):
    """Looked after on the reference date and continuously since `months` before it."""
    started = frames.dates(list_8, STARTED, SOURCE)
    return looked_after_on(list_8, reference_date) & add_months(started, months).le(
        as_date(reference_date))


def placement_stability_short_term(list_8: pd.DataFrame, reference_date,
                                   placements: int = 3) -> pd.DataFrame:
    """Children looked after with `placements` or more placements in the last 12 months.

    DfE children looked after statistics (and the former NI 62): "children
    looked after at 31 March with three or more placements during the year".
    Annex A's "Number of Placements in the Last 12 months" is the count used.
    Denominator: children looked after on the reference date.
    """
    keep = looked_after_on(list_8, reference_date)
    count = frames.numbers(list_8, "Number of Placements in the Last 12 months", SOURCE)[keep]
    return records(list_8.loc[keep], f"{placements}+ placements in 12 months",
                   count.ge(placements))


def placement_stability_long_term(list_8: pd.DataFrame, reference_date, min_age: int = 16,
                                  months_in_care: int = 30,
                                  months_in_placement: int = 24) -> pd.DataFrame:
    """Long-term placement stability (DfE definition, former NI 63).

    "Children aged under 16 at 31 March who had been looked after continuously
    for at least 2.5 years, who were living in the same placement for at least 2
    years, or are placed for adoption" (DfE children looked after statistics).
    Denominator: looked after on the reference date, aged under `min_age`, in
    care for `months_in_care` months or more. Numerator: the current placement
    began `months_in_placement` months or more before the reference date, or the
    placement type is placed for adoption (A3-A6). Annex A holds no previous
    placement, so DfE's rule that adoptive and previous placement together last
    two years is simplified to "placed for adoption".
    """
    ref = as_date(reference_date)
    dob = frames.dates(list_8, "Date of Birth", SOURCE)
    keep = _in_care_for(list_8, ref, months_in_care) & age_in_years(dob, ref).lt(min_age).fillna(
        False).astype(bool)
    placed = frames.dates(list_8, "Start Date of Most Recent Placement", SOURCE)
    kind = frames.codes(list_8, "Placement Type", SOURCE)
    stable = add_months(placed, months_in_placement).le(ref) | kind.isin(PLACED_FOR_ADOPTION)
    return records(list_8.loc[keep], "Long-term placement stability", stable[keep])


def cla_reviews_timely(list_8: pd.DataFrame, reference_date, months: int = 6,
                       first_review_working_days: int = 20) -> pd.DataFrame:
    """Children looked after whose statutory review is not overdue on the reference date.

    Numerator: the reference date is no later than the latest review plus
    `months` months, or, with no review yet, `first_review_working_days` working
    days after the child started to be looked after. Denominator: children
    looked after on the reference date.
    """
    ref = as_date(reference_date)
    keep = looked_after_on(list_8, ref)
    review = frames.dates(list_8, "Date of Latest Statutory Review", SOURCE)[keep]
    started = frames.dates(list_8, STARTED, SOURCE)[keep]
    due = add_months(review, months).fillna(add_working_days(started, first_review_working_days))
    return records(list_8.loc[keep].assign(review_due=due), "CLA reviews in timescale",
                   due.ge(ref))


def cla_visits_timely(list_8: pd.DataFrame, reference_date, weeks: int = 6) -> pd.DataFrame:
    """Children looked after visited by their social worker within `weeks` weeks.

    Numerator: the reference date is no more than `weeks` weeks after the last
    social work visit (or after the child started to be looked after, if no
    visit is recorded). Denominator: children looked after on the reference date.
    """
    ref = as_date(reference_date)
    keep = looked_after_on(list_8, ref)
    visit = frames.dates(list_8, "Date of Last Social Work Visit", SOURCE)
    clock = visit.fillna(frames.dates(list_8, STARTED, SOURCE))[keep]
    days = (ref - clock).dt.days
    return records(list_8.loc[keep].assign(days_since_visit=days),
                   f"CLA visits within {weeks} weeks", days.le(7 * weeks))


def _check_within(list_8, reference_date, column, months, min_months_in_care, measure):
    ref = as_date(reference_date)
    keep = _in_care_for(list_8, ref, min_months_in_care)
    checked = frames.dates(list_8, column, SOURCE)[keep]
    ok = checked.le(ref) & add_months(checked, months).ge(ref)
    return records(list_8.loc[keep], measure, ok)


def health_assessments_timely(list_8: pd.DataFrame, reference_date, months: int = 12,
                              min_months_in_care: int = 12) -> pd.DataFrame:
    """Children looked after 12 months or more whose health assessment is up to date.

    DfE SSDA903 OC2 measure ("health assessment up to date") for children looked
    after continuously for at least 12 months. Numerator: Date of Last Health
    Assessment on or before the reference date and within `months` months of it.
    """
    return _check_within(list_8, reference_date, "Date of Last Health Assessment", months,
                         min_months_in_care, "Health assessments up to date")


def dental_checks_timely(list_8: pd.DataFrame, reference_date, months: int = 12,
                         min_months_in_care: int = 12) -> pd.DataFrame:
    """Children looked after 12 months or more whose dental check is up to date.

    DfE SSDA903 OC2 measure ("teeth checked by a dentist") for children looked
    after continuously for at least 12 months. Numerator: Date of Last Dental
    Check on or before the reference date and within `months` months of it.
    """
    return _check_within(list_8, reference_date, "Date of Last Dental Check", months,
                         min_months_in_care, "Dental checks up to date")
