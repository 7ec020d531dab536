"""ChAT (D2I's Children's services Analysis Tool): its Annex A measures, one module an area.

    front_door.py    contacts and referrals by source, re-referrals, assessments
                     in time, section 47 enquiries to conferences
    protection.py    child protection visits, reviews, plans lasting 2 years, repeat plans
    care.py          looked-after visits, reviews, health and dental checks, stability
    care_leavers.py  care leavers in touch, in education or work, suitably accommodated
    profile.py       age bands and age/sex pyramids
    summary.py       every measure at once: chat_records, chat_summary, MEASURES

Each measure takes one Annex A list and the reference date and returns its records;
``summarise`` turns records into numerator, denominator and rate.
"""

from d2i_examples.indicators.chat.care import (
    cla_reviews_timely,
    cla_visits_timely,
    dental_checks_timely,
    health_assessments_timely,
    looked_after_on,
    placement_stability_long_term,
    placement_stability_short_term,
)
from d2i_examples.indicators.chat.care_leavers import (
    care_leavers_in_eet,
    care_leavers_in_touch,
    care_leavers_suitably_accommodated,
)
from d2i_examples.indicators.chat.front_door import (
    assessment_timeliness,
    contacts_by_source,
    re_referrals,
    referrals_by_source,
    referred_more_than_once,
    s47_to_icpc,
)
from d2i_examples.indicators.chat.profile import AGE_BANDS, age_band, age_sex_pyramid
from d2i_examples.indicators.chat.protection import (
    cp_plans_2_years_ended,
    cp_plans_2_years_open,
    cp_reviews_timely,
    cp_visits_timely,
    repeat_cp_plans,
)
from d2i_examples.indicators.chat.summary import (
    EVIDENCE,
    LOWER_IS_BETTER,
    MEASURES,
    chat_records,
    chat_summary,
    find_measure,
)
from d2i_examples.indicators.rates import summarise

__all__ = [
    "AGE_BANDS", "EVIDENCE", "LOWER_IS_BETTER", "MEASURES", "age_band", "age_sex_pyramid",
    "assessment_timeliness", "care_leavers_in_eet", "care_leavers_in_touch",
    "care_leavers_suitably_accommodated", "chat_records", "chat_summary", "cla_reviews_timely",
    "cla_visits_timely", "contacts_by_source", "cp_plans_2_years_ended", "cp_plans_2_years_open",
    "cp_reviews_timely", "cp_visits_timely", "dental_checks_timely", "find_measure",
    "health_assessments_timely", "looked_after_on", "placement_stability_long_term",
    "placement_stability_short_term", "re_referrals", "referrals_by_source",
    "referred_more_than_once", "repeat_cp_plans", "s47_to_icpc", "summarise",
]
