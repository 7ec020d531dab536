"""ChAT-style measures for children looked after, from Annex A List 8.

Placement stability (short and long term) and timeliness of reviews, social
work visits, health assessments and dental checks. The denominator of each is
children looked after on the reference date: started to be looked after on or
before it, and not ceased, or ceased after it.

Thresholds are parameters; the defaults and their sources (the Care Planning,
Placement and Case Review (England) Regulations 2010, "the 2010 Regulations",
not Working Together, which covers child protection):
- reviews: the first within 20 working days of coming into care, the second
  within 3 months of the first, then no more than 6 months apart (2010
  Regulations, reg. 33). Annex A gives only the latest review: a latest review
  held within the first review's 20 working days is taken as the first, so the
  next is due 3 months after it; any other is due 6 months after it.
- social work visits: no more than 6 weeks apart (2010 Regulations, reg. 28).
  The regulation allows visits up to 3 months apart once a child has been a
  year in a placement meant to last until they are 18; Annex A does not say
  which placements are, so the measure applies 6 weeks to every child and can
  count a child in a long-term placement as late when they are not.
- health assessments: reviewed every 6 months before the fifth birthday and
  every 12 months after (2010 Regulations, reg. 7 "Health care", with the
  health plan of Schedule 1, para. 1; statutory guidance "Promoting the health
  and wellbeing of looked-after children", DfE and Department of Health, March
  2015), for children looked after for 12 months or more (the DfE SSDA903 OC2
  cohort);
- dental checks: within the last 12 months, the same cohort (SSDA903 OC2).
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
    Annex A's "Number of Placements in the Last 12 months" is the count used: it
    comes from the council's case system, so check that it counts placements as the
    DfE does (placements.placement_changes: not a temporary placement or the return
    from one, nor a change with the same carer); from the SSDA903,
    placements.placement_moves counts them that way. Denominator: children looked
    after on the reference date.

    This is the one-year measure. The DfE now publishes it in *Stability measures
    for children looked after in England* (2024, data set "Placement stability by
    local authority"), beside a two-year measure (children looked after for two
    years with three or more placements in those two years): compare with the
    one-year row only.
    """
    keep = looked_after_on(list_8, reference_date)
    count = frames.numbers(list_8, "Number of Placements in the Last 12 months", SOURCE)[keep]
    return records(list_8.loc[keep], f"{placements}+ placements in 12 months",
                   count.ge(placements))


def placement_stability_long_term(list_8: pd.DataFrame, reference_date, min_age: int = 16,
                                  months_in_care: int = 30,
                                  months_in_placement: int = 24) -> pd.DataFrame:
    """Long-term placement stability (DfE definition, former NI 63).

    DfE (Children looked after in England, methodology; former NI 63): children
    under 16 on 31 March, looked after continuously for at least 2.5 years, who
    have lived in the same placement for at least 2 years, or who are placed
    for adoption and whose adoptive placement and the placement before it
    together last at least 2 years. Denominator: looked after on the reference
    date, aged under `min_age`, in care for `months_in_care` months or more.
    Numerator: the current placement began `months_in_placement` months or more
    before the reference date. Annex A holds no previous placement, so a child
    placed for adoption less than 2 years ago cannot be shown to meet DfE's
    rule and is not counted; the records mark them (`adoption_under_2_years`)
    so they can be checked by hand. Any adoptive placement is not enough.
    """
    ref = as_date(reference_date)
    dob = frames.dates(list_8, "Date of Birth", SOURCE)
    keep = _in_care_for(list_8, ref, months_in_care) & age_in_years(dob, ref).lt(min_age).fillna(
        False).astype(bool)
    placed = frames.dates(list_8, "Start Date of Most Recent Placement", SOURCE)
    kind = frames.codes(list_8, "Placement Type", SOURCE)
    stable = add_months(placed, months_in_placement).le(ref)
    unshown = kind.isin(PLACED_FOR_ADOPTION) & ~stable
    return records(list_8.loc[keep].assign(adoption_under_2_years=unshown[keep]),
                   "Long-term placement stability", stable[keep])


def cla_reviews_timely(list_8: pd.DataFrame, reference_date, months: int = 6,
                       first_review_working_days: int = 20,
                       second_review_months: int = 3) -> pd.DataFrame:
    """Children looked after whose statutory review is not overdue on the reference date.

    2010 Regulations, reg. 33: the first review within 20 working days of the
    child becoming looked after, the second within 3 months of the first, the
    rest within 6 months of the one before. Numerator: the reference date is no
    later than the next review's due date: with no review yet,
    `first_review_working_days` working days after the child started to be
    looked after; after a latest review held within that first window (so the
    first review), `second_review_months` months after it; after any other
    review, `months` months after it. Denominator: children looked after on the
    reference date.
    """
    ref = as_date(reference_date)
    keep = looked_after_on(list_8, ref)
    review = frames.dates(list_8, "Date of Latest Statutory Review", SOURCE)[keep]
    started = frames.dates(list_8, STARTED, SOURCE)[keep]
    first_due = add_working_days(started, first_review_working_days)
    was_first = review.le(first_due)
    due = add_months(review, months).mask(was_first, add_months(review, second_review_months))
    due = due.fillna(first_due)
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
                              min_months_in_care: int = 12,
                              under_five_months: int = 6) -> pd.DataFrame:
    """Children looked after 12 months or more whose health assessment is up to date.

    DfE SSDA903 OC2 cohort: children looked after continuously for at least 12
    months. Numerator: Date of Last Health Assessment on or before the
    reference date and within `months` months of it, or within
    `under_five_months` months for a child under 5 on the reference date (2010
    Regulations, reg. 7, and the 2015 statutory guidance on the health of
    looked-after children: six-monthly before the fifth birthday, yearly after).
    """
    column = "Date of Last Health Assessment"
    yearly = _check_within(list_8, reference_date, column, months, min_months_in_care,
                           "Health assessments up to date")
    young = _check_within(list_8, reference_date, column, under_five_months,
                          min_months_in_care, "Health assessments up to date")
    dob = frames.dates(list_8, "Date of Birth", SOURCE)[yearly.index]
    under_five = age_in_years(dob, as_date(reference_date)).lt(5).fillna(False).astype(bool)
    out = yearly.copy()  # keeps the measure's name (attrs)
    out["numerator"] = yearly["numerator"].mask(under_five, young["numerator"])
    return out


def dental_checks_timely(list_8: pd.DataFrame, reference_date, months: int = 12,
                         min_months_in_care: int = 12) -> pd.DataFrame:
    """Children looked after 12 months or more whose dental check is up to date.

    DfE SSDA903 OC2 measure ("teeth checked by a dentist") for children looked
    after continuously for at least 12 months. Numerator: Date of Last Dental
    Check on or before the reference date and within `months` months of it.
    """
    return _check_within(list_8, reference_date, "Date of Last Dental Check", months,
                         min_months_in_care, "Dental checks up to date")
