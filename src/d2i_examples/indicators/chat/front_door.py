"""ChAT-style front-door measures from Annex A Lists 1, 3, 4 and 5.

Contacts and referrals by source, re-referrals within 12 months, assessments
authorised within 45 working days, and section 47 enquiries (S47) reaching an
initial child protection conference (ICPC) within 15 working days. Each
measure function returns its records (see rates.py); summarise() gives the
rate. Sources of the definitions are in each docstring.
"""

from __future__ import annotations

import pandas as pd

from d2i_examples.errors import DataError
from d2i_examples.indicators import frames
from d2i_examples.indicators.periods import add_months, as_date, in_window, window_start
from d2i_examples.indicators.rates import records
from d2i_examples.indicators.working_days import working_days_between
from d2i_examples.spec import cin_census as cin_spec

CHILD = "Child Unique ID"

def _window(frame, date_column, reference_date, months, source):
    when = frames.dates(frame, date_column, source)
    return in_window(when, window_start(reference_date, months), as_date(reference_date)), when


def _by_source(frame, key, date_column, source_column, reference_date, months, level, measure):
    if level not in ("group", "label", "code"):
        raise DataError("Unknown level for sources.", expected="'group', 'label' or 'code'",
                        found=repr(level))
    source = frames.annex_source(key)
    keep, _ = _window(frame, date_column, reference_date, months, source)
    raw = frames.codes(frame, source_column, source)[keep]
    if level == "code":
        label = raw
    else:
        position = 1 if level == "group" else 0
        known = {code: names[position] for code, names in cin_spec.REFERRAL_SOURCES.items()}
        # Values that are not CIN census codes (free text) are kept as written.
        label = raw.map(known).fillna(frame.loc[keep, source_column].astype("string"))
    counts = label.fillna("Not recorded").value_counts().rename_axis("source")
    table = counts.rename("numerator").reset_index()
    table.insert(0, "measure", measure)
    table["denominator"] = int(keep.sum())
    table["rate"] = table["numerator"] / table["denominator"]
    return table.sort_values(["numerator", "source"], ascending=[False, True], ignore_index=True)


def contacts_by_source(list_1: pd.DataFrame, reference_date, months: int = 12,
                       level: str = "group") -> pd.DataFrame:
    """Contacts in the window by source: numerator = contacts from the source,
    denominator = all contacts, rate = share.

    A contact counts when its Date of Contact falls in the `months` ending on the
    reference date. Sources are CIN census referral source codes, shown by
    `level`: "group" (Health, Police, ...), "label" or "code".
    Source: Ofsted Annex A List 1; DfE CIN census referral source codes.
    """
    return _by_source(list_1, "list_1", "Date of Contact", "Contact Source", reference_date,
                      months, level, "Contacts by source")


def referrals_by_source(list_3: pd.DataFrame, reference_date, months: int = 12,
                        level: str = "group") -> pd.DataFrame:
    """Referrals in the window by source (as contacts_by_source, from Annex A List 3).

    Source: Ofsted Annex A List 3; DfE children in need statistics ("referrals
    by source of referral").
    """
    return _by_source(list_3, "list_3", "Date of referral", "Referral Source", reference_date,
                      months, level, "Referrals by source")


def re_referrals(list_3: pd.DataFrame, reference_date, months: int = 12,
                 within_months: int = 12, earlier: pd.DataFrame | None = None) -> pd.DataFrame:
    """Referrals in the window that were re-referrals.

    DfE definition: "a re-referral occurs when a child is referred within 12
    months of a previous referral" (DfE, *Children in need: a focus on
    re-referrals*, 2024, and its methodology). Here: the child has an earlier
    referral (an earlier date; same-day duplicates do not count) on or after the
    date `within_months` months before this one. Denominator: referrals dated in
    the window.

    Earlier referrals are looked for anywhere in the list, and in `earlier` (for
    example the List 3 of the previous Annex A, with the same two columns, Child
    Unique ID and Date of referral), whose referrals are history only, never
    counted. Without `earlier`, a 12-month List 3 cannot see the referrals made
    before its window, so referrals in its first months are rarely found to be
    re-referrals and the rate is too low to set beside the DfE's.
    """
    source = frames.annex_source("list_3")
    keep, when = _window(list_3, "Date of referral", reference_date, months, source)
    frames.require_columns(list_3, [CHILD], source)
    ids, dates = list_3[CHILD], when
    if earlier is not None:
        before = "the earlier referrals (List 3 of an earlier Annex A)"
        frames.require_columns(earlier, [CHILD, "Date of referral"], before)
        ids = pd.concat([ids, earlier[CHILD]], ignore_index=True)
        dates = pd.concat([when, frames.dates(earlier, "Date of referral", before)],
                          ignore_index=True)
    child, _ = pd.factorize(ids)  # -1 where the ID is blank
    dated = (pd.DataFrame({"child": child, "date": dates.to_numpy()})
             .loc[lambda d: (d["child"] >= 0) & d["date"].notna()]
             .drop_duplicates().sort_values(["child", "date"]))
    dated["previous"] = dated.groupby("child", sort=False)["date"].shift(1)
    lookup = dated.set_index(["child", "date"])["previous"]
    own = child[:len(list_3)]
    prev = pd.Series(lookup.reindex(pd.MultiIndex.from_arrays([own, when])).to_numpy(),
                     index=list_3.index, dtype="datetime64[ns]")
    is_re = prev.notna() & when.le(add_months(prev, within_months))
    out = list_3.loc[keep].assign(previous_referral=prev[keep])
    return records(out, f"Re-referrals within {within_months} months", is_re[keep])


COUNT_COLUMN = "Number of Referrals in Last 12 Months"


def referred_more_than_once(list_3: pd.DataFrame, reference_date,
                            months: int = 12) -> pd.DataFrame:
    """Referrals in the window whose List 3 count of referrals in the last 12 months
    (Annex A List 3, "Number of Referrals in Last 12 Months") is 2 or more.

    This is not the DfE's re-referral rate. The council's system fills the column
    in; where it counts the child's referrals in the list's 12 months (as the
    synthetic sample's does), a child referred twice has both referrals counted
    here, the first as well as the second, while the DfE counts only the second
    (the re-referral). It can see referrals made before the list's window. Blank
    or unreadable counts are not counted; the records carry the count read.
    """
    source = frames.annex_source("list_3")
    keep, _ = _window(list_3, "Date of referral", reference_date, months, source)
    frames.require_columns(list_3, [COUNT_COLUMN], source)
    count = pd.to_numeric(list_3[COUNT_COLUMN], errors="coerce")
    out = list_3.loc[keep].assign(referrals_in_12_months=count[keep])
    return records(out, "Referrals of children referred 2+ times in 12 months (List 3 count)",
                   count[keep].ge(2))


def assessment_timeliness(list_4: pd.DataFrame, reference_date, months: int = 12,
                          working_days: int = 45) -> pd.DataFrame:
    """Assessments authorised in the window within `working_days` of starting.

    Working Together to Safeguard Children: an assessment should be completed
    within 45 working days of the referral; DfE's CIN statistics time it from the
    assessment start to its authorisation. Denominator: assessments with an
    authorisation date in the window and a start date. Numerator: working days
    from start to authorisation (day after start = day 1) <= `working_days`.
    """
    source = frames.annex_source("list_4")
    keep, authorised = _window(list_4, "Continuous Assessment Date of Authorisation",
                               reference_date, months, source)
    started = frames.dates(list_4, "Continuous Assessment Start Date", source)
    keep &= started.notna()
    days = working_days_between(started[keep], authorised[keep])
    out = list_4.loc[keep].assign(working_days=days)
    return records(out, f"Assessments authorised within {working_days} working days",
                   days.le(working_days))


def s47_to_icpc(list_5: pd.DataFrame, reference_date, months: int = 12,
                working_days: int = 15) -> pd.DataFrame:
    """Initial child protection conferences (ICPCs) held within `working_days` of the
    strategy discussion that started the section 47 enquiry.

    Working Together to Safeguard Children: the ICPC should take place within 15
    working days of the strategy discussion; DfE CIN statistics report the share
    of ICPCs that did. Denominator: ICPCs dated in the window with a S47 start
    date. Numerator: working days from S47 start to ICPC <= `working_days`.
    """
    source = frames.annex_source("list_5")
    keep, icpc = _window(list_5, "Date of Initial Child Protection Conference",
                         reference_date, months, source)
    s47 = frames.dates(list_5, "Strategy discussion initiating Section 47 Enquiry Start Date",
                       source)
    keep &= s47.notna()
    days = working_days_between(s47[keep], icpc[keep])
    out = list_5.loc[keep].assign(working_days=days)
    return records(out, f"ICPCs within {working_days} working days of the strategy discussion",
                   days.le(working_days))
