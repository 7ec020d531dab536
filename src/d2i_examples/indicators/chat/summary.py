"""ChAT (D2I's Children's services Analysis Tool) measures over Annex A, in one place.

The measures live in front_door, protection, care and care_leavers (beside
this module); this module gathers them and computes them all at once.
Each measure function takes one Annex A list and the reference date (the last
day of the Annex A window) and returns its records; summarise() turns records
into numerator, denominator and rate. chat_records() gives every measure's
records at once (with thresholds of your choosing), chat_summary() their rates.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import pandas as pd

from d2i_examples.errors import DataError
from d2i_examples.indicators import frames
from d2i_examples.indicators.chat import care, care_leavers, front_door, protection
from d2i_examples.indicators.periods import as_date
from d2i_examples.indicators.rates import summarise

# (Annex A list, measure function, whether it takes the window length `months`)
MEASURES: list[tuple[str, Callable[..., pd.DataFrame], bool]] = [
    ("list_3", front_door.re_referrals, True),
    ("list_4", front_door.assessment_timeliness, True),
    ("list_5", front_door.s47_to_icpc, True),
    ("list_7", protection.cp_plans_2_years_ended, True),
    ("list_7", protection.cp_plans_2_years_open, False),
    ("list_7", protection.repeat_cp_plans, True),
    ("list_7", protection.cp_visits_timely, False),
    ("list_7", protection.cp_reviews_timely, False),
    ("list_8", care.placement_stability_short_term, False),
    ("list_8", care.placement_stability_long_term, False),
    ("list_8", care.cla_reviews_timely, False),
    ("list_8", care.cla_visits_timely, False),
    ("list_8", care.health_assessments_timely, False),
    ("list_8", care.dental_checks_timely, False),
    ("list_9", care_leavers.care_leavers_in_touch, False),
    ("list_9", care_leavers.care_leavers_suitably_accommodated, False),
    ("list_9", care_leavers.care_leavers_in_eet, False),
]


# The column each measure's numerator reads, besides the dates that choose its
# records. Blank for every record means the list was not filled in: the rate then
# says nothing about practice (a missing visit date falls back to the plan start).
EVIDENCE: dict[str, str] = {
    "cp_visits_timely": "Date of the Last Statutory Visit",
    "cp_reviews_timely": "Date of latest review conference",
    "placement_stability_short_term": "Number of Placements in the Last 12 months",
    "placement_stability_long_term": "Start Date of Most Recent Placement",
    "cla_reviews_timely": "Date of Latest Statutory Review",
    "cla_visits_timely": "Date of Last Social Work Visit",
    "health_assessments_timely": "Date of Last Health Assessment",
    "dental_checks_timely": "Date of Last Dental Check",
    "care_leavers_in_touch": "LA in Touch",
    "care_leavers_suitably_accommodated": "Suitability of Accommodation",
    "care_leavers_in_eet": "Activity Status",
}

# Measures where a lower rate is the better one; for every other measure higher is better.
LOWER_IS_BETTER = frozenset({
    "re_referrals", "cp_plans_2_years_ended", "cp_plans_2_years_open", "repeat_cp_plans",
    "placement_stability_short_term",
})


def _check_options(options):
    known = {measure.__name__ for _, measure, _ in MEASURES}
    for name in options:
        if name not in known:
            raise DataError(
                "There is no ChAT measure of that name to set options for.",
                column=str(name),
                expected="one of " + ", ".join(sorted(known)),
                found=repr(name),
                fix="Use the name of the measure function, e.g. 'assessment_timeliness'.",
            )


def chat_records(annex_a: Mapping[str, pd.DataFrame], reference_date, months: int = 12,
                 options: Mapping[str, Mapping] | None = None) -> dict[str, pd.DataFrame]:
    """The records of every measure in MEASURES, keyed by the measure function's name.

    `options` maps a function name to keyword arguments for it, to change a
    threshold: {"assessment_timeliness": {"working_days": 40}}. `months` is the
    length of the Annex A window ending on the reference date.
    """
    options = dict(options or {})
    _check_options(options)
    ref = as_date(reference_date)
    found = {}
    for key, measure, windowed in MEASURES:
        frame = frames.table(annex_a, key, "Annex A")
        extra = dict(options.get(measure.__name__, {}))
        found[measure.__name__] = (measure(frame, ref, months, **extra) if windowed
                                   else measure(frame, ref, **extra))
    return found


def _status(name: str, measure_records: pd.DataFrame) -> str:
    """'no data' when there are no records or EVIDENCE's column is blank in all of them."""
    if measure_records.empty:
        return "no data"
    column = EVIDENCE.get(name)
    if column in measure_records.columns:
        values = measure_records[column]
        if values.isna().all() or values.astype("string").str.strip().eq("").all():
            return "no data"
    return "ok"


def find_measure(summary: pd.DataFrame, name: str) -> pd.Series:
    """The row of `summary` (from chat_summary) for one measure, named either as the
    page shows it (its `measure` text, e.g. "CLA visits within 6 weeks") or by its
    `indicator` (e.g. "cla_visits_timely"); case and spaces do not matter."""
    def key(text) -> str:
        return " ".join(str(text).replace("_", " ").lower().split())

    wanted = key(name)
    hit = summary[summary["measure"].map(key).eq(wanted) | summary["indicator"].map(key).eq(wanted)]
    if hit.empty:
        raise DataError(
            "There is no ChAT measure of that name.", column="focus_measure",
            expected="a measure as the table shows it, or its indicator: "
                     + "; ".join(summary["measure"] + " (" + summary["indicator"] + ")"),
            found=repr(name),
            fix="Copy a measure's name from the table of measures above.")
    return hit.iloc[0]


def chat_summary(annex_a: Mapping[str, pd.DataFrame], reference_date,
                 months: int = 12, options: Mapping[str, Mapping] | None = None) -> pd.DataFrame:
    """Every ChAT rate measure: one row each (default thresholds unless `options`).

    Columns: measure, numerator, denominator, rate (0-1, NaN when the
    denominator is 0), annex_a_list, reference_date, indicator (the measure
    function's name, the key of `options`), better ("higher" or "lower": which
    way is good) and status ("no data" when the measure has no records or the
    column its numerator reads, EVIDENCE, is blank in every one of them; else
    "ok"). `months` is the length of the Annex A window ending on the reference
    date; `options` as in chat_records.
    """
    ref = as_date(reference_date)
    found = chat_records(annex_a, ref, months, options)
    rows = []
    for key, measure, _ in MEASURES:
        name = measure.__name__
        rows.append(summarise(found[name]).assign(
            annex_a_list=key, indicator=name,
            better="lower" if name in LOWER_IS_BETTER else "higher",
            status=_status(name, found[name])))
    table = pd.concat(rows, ignore_index=True).assign(reference_date=ref)
    columns = ["measure", "numerator", "denominator", "rate", "annex_a_list", "reference_date",
               "indicator", "better", "status"]
    return table[columns]
