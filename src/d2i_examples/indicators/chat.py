"""ChAT (D2I's Children's services Analysis Tool) measures over Annex A, in one place.

The measures live in chat_front_door, chat_protection, chat_care and
chat_care_leavers; this module gathers them and computes them all at once.
Each measure function takes one Annex A list and the reference date (the last
day of the Annex A window) and returns its records; summarise() turns records
into numerator, denominator and rate.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import pandas as pd

from d2i_examples.indicators import frames
from d2i_examples.indicators.chat_care import (
    cla_reviews_timely,
    cla_visits_timely,
    dental_checks_timely,
    health_assessments_timely,
    looked_after_on,
    placement_stability_long_term,
    placement_stability_short_term,
)
from d2i_examples.indicators.chat_care_leavers import (
    care_leavers_in_eet,
    care_leavers_in_touch,
    care_leavers_suitably_accommodated,
)
from d2i_examples.indicators.chat_front_door import (
    REFERRAL_SOURCES,
    assessment_timeliness,
    contacts_by_source,
    re_referrals,
    referrals_by_source,
    s47_to_icpc,
)
from d2i_examples.indicators.chat_protection import (
    cp_plans_2_years_ended,
    cp_plans_2_years_open,
    cp_reviews_timely,
    cp_visits_timely,
    repeat_cp_plans,
)
from d2i_examples.indicators.periods import as_date
from d2i_examples.indicators.rates import summarise

__all__ = [
    "MEASURES",
    "REFERRAL_SOURCES",
    "assessment_timeliness",
    "care_leavers_in_eet",
    "care_leavers_in_touch",
    "care_leavers_suitably_accommodated",
    "chat_summary",
    "cla_reviews_timely",
    "cla_visits_timely",
    "contacts_by_source",
    "cp_plans_2_years_ended",
    "cp_plans_2_years_open",
    "cp_reviews_timely",
    "cp_visits_timely",
    "dental_checks_timely",
    "health_assessments_timely",
    "looked_after_on",
    "placement_stability_long_term",
    "placement_stability_short_term",
    "re_referrals",
    "referrals_by_source",
    "repeat_cp_plans",
    "s47_to_icpc",
    "summarise",
]

# (Annex A list, measure function, whether it takes the window length `months`)
MEASURES: list[tuple[str, Callable[..., pd.DataFrame], bool]] = [
    ("list_3", re_referrals, True),
    ("list_4", assessment_timeliness, True),
    ("list_5", s47_to_icpc, True),
    ("list_7", cp_plans_2_years_ended, True),
    ("list_7", cp_plans_2_years_open, False),
    ("list_7", repeat_cp_plans, True),
    ("list_7", cp_visits_timely, False),
    ("list_7", cp_reviews_timely, False),
    ("list_8", placement_stability_short_term, False),
    ("list_8", placement_stability_long_term, False),
    ("list_8", cla_reviews_timely, False),
    ("list_8", cla_visits_timely, False),
    ("list_8", health_assessments_timely, False),
    ("list_8", dental_checks_timely, False),
    ("list_9", care_leavers_in_touch, False),
    ("list_9", care_leavers_suitably_accommodated, False),
    ("list_9", care_leavers_in_eet, False),
]


def chat_summary(annex_a: Mapping[str, pd.DataFrame], reference_date,
                 months: int = 12) -> pd.DataFrame:
    """Every ChAT rate measure with default thresholds: one row each.

    Columns: measure, numerator, denominator, rate (0-1, NaN when the
    denominator is 0), annex_a_list, reference_date. `months` is the length of
    the Annex A window ending on the reference date.
    """
    ref = as_date(reference_date)
    rows = []
    for key, measure, windowed in MEASURES:
        frame = frames.table(annex_a, key, "Annex A")
        found = measure(frame, ref, months) if windowed else measure(frame, ref)
        rows.append(summarise(found).assign(annex_a_list=key))
    return pd.concat(rows, ignore_index=True).assign(reference_date=ref)
