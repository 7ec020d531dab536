"""ChAT child protection measures (Annex A List 7); answers worked out by hand.

Reference date Mon 31/03/2025, 12-month window 01/04/2024 to 31/03/2025.
"""

from d2i_examples.indicators.chat.protection import (
    cp_plans_2_years_ended,
    cp_plans_2_years_open,
    cp_reviews_timely,
    cp_visits_timely,
    repeat_cp_plans,
)
from d2i_examples.indicators.rates import summarise
from tests.annex_a_builders import annex_list

REF = "31/03/2025"
START, END = "Child Protection Plan Start Date", "Child Protection Plan End Date"


def plans(rows):
    return annex_list("list_7", [
        {"Child Unique ID": child, START: start, END: end, **extra}
        for child, start, end, extra in rows])


def flagged(found):
    return sorted(found.loc[found["numerator"], "Child Unique ID"])


DURATIONS = plans([
    ("SYN030", "01/03/2023", "01/03/2025", {}),  # ended in window, exactly 2 years
    ("SYN031", "02/03/2023", "01/03/2025", {}),  # ended in window, a day short
    ("SYN032", "29/02/2024", None, {}),          # open, 2 years only on 28/02/2026
    ("SYN033", "15/01/2023", None, {}),          # open, 2 years on 15/01/2025
    ("SYN034", "31/03/2023", None, {}),          # open, 2 years on the reference date
    ("SYN035", "01/04/2023", None, {}),          # open, 2 years the day after
    ("SYN036", "10/10/2024", "31/03/2025", {}),  # ends on the reference date: not open
    ("SYN037", "01/01/2020", "31/03/2024", {}),  # ended the day before the window
])


def test_plans_ended_lasting_two_years():
    # Ended in the window: SYN030, SYN031, SYN036. Only SYN030 reached 2 years.
    found = cp_plans_2_years_ended(DURATIONS, REF)
    assert sorted(found["Child Unique ID"]) == ["SYN030", "SYN031", "SYN036"]
    assert flagged(found) == ["SYN030"]
    assert found.set_index("Child Unique ID").loc["SYN030", "days_on_plan"] == 731


def test_open_plans_lasting_two_years():
    # Open on 31/03/2025: SYN032-SYN035 (SYN036 ended that day). 2 years reached
    # by SYN033 and SYN034 (on the day itself).
    found = cp_plans_2_years_open(DURATIONS, REF)
    assert sorted(found["Child Unique ID"]) == ["SYN032", "SYN033", "SYN034", "SYN035"]
    assert flagged(found) == ["SYN033", "SYN034"]
    assert summarise(found)["rate"].iloc[0] == 0.5


def test_leap_day_start_reaches_two_years_on_28_february():
    # 29/02/2024 + 2 years -> 28/02/2026 (no 29 February in 2026).
    assert flagged(cp_plans_2_years_open(DURATIONS, "28/02/2026")) == [
        "SYN032", "SYN033", "SYN034", "SYN035"]
    assert "SYN032" not in flagged(cp_plans_2_years_open(DURATIONS, "27/02/2026"))


PREVIOUS = "Number of Previous Child Protection Plans"
REPEATS = plans([
    ("SYN040", "01/05/2022", "01/06/2023", {PREVIOUS: 0}),
    ("SYN040", "01/08/2024", None, {PREVIOUS: 0}),     # earlier plan in the list
    ("SYN041", "01/09/2024", None, {PREVIOUS: 2}),     # recorded previous plans only
    ("SYN042", "01/10/2024", None, {PREVIOUS: 0}),
    ("SYN043", "01/01/2021", "01/01/2022", {PREVIOUS: 0}),
    ("SYN043", "10/01/2025", None, {PREVIOUS: 1}),     # previous ended 3 years before
    ("SYN044", "15/04/2024", None, {}),                # previous plans blank
])


def test_repeat_plans_ever():
    # Started in the window: SYN040 (2nd), SYN041, SYN042, SYN043 (2nd), SYN044 = 5.
    # Repeats: SYN040 (earlier plan listed), SYN041 (2 recorded), SYN043 -> 3 of 5.
    found = repeat_cp_plans(REPEATS, REF)
    assert len(found) == 5
    assert flagged(found) == ["SYN040", "SYN041", "SYN043"]
    assert found.set_index("Child Unique ID")["previous_plans"].to_dict() == {
        "SYN040": 1, "SYN041": 2, "SYN042": 0, "SYN043": 1, "SYN044": 0}


def test_repeat_plans_within_two_years():
    # SYN040: previous ended 01/06/2023, +2 years = 01/06/2025 >= 01/08/2024 -> yes.
    # SYN043: previous ended 01/01/2022, +2 years = 01/01/2024 < 10/01/2025 -> no.
    # SYN041: no earlier plan in the list -> cannot be seen -> no.
    found = repeat_cp_plans(REPEATS, REF, within_years=2)
    assert flagged(found) == ["SYN040"]
    assert found["measure"].iloc[0] == "Repeat plans within 2 years of the last"


def test_cp_visits_within_10_working_days():
    # Working days after the visit up to Mon 31/03/2025:
    # Mon 17/03 -> 18-21, 24-28, 31 = 10 (in time); Fri 14/03 -> 11 (late);
    # no visit yet, plan from Mon 24/03 -> 25-28, 31 = 5 (in time).
    frame = plans([
        ("SYN050", "01/01/2025", None, {"Date of the Last Statutory Visit": "17/03/2025"}),
        ("SYN051", "01/01/2025", None, {"Date of the Last Statutory Visit": "14/03/2025"}),
        ("SYN052", "24/03/2025", None, {}),
        ("SYN053", "01/01/2025", "01/03/2025", {}),  # ended: not in the denominator
    ])
    found = cp_visits_timely(frame, REF)
    assert found["working_days_since_visit"].tolist() == [10, 11, 5]
    assert flagged(found) == ["SYN050", "SYN052"]


def test_cp_reviews_in_timescale():
    review = "Date of latest review conference"
    frame = plans([
        ("SYN060", "01/01/2024", None, {review: "30/09/2024"}),  # due 30/03/2025: overdue
        ("SYN061", "01/01/2024", None, {review: "01/10/2024"}),  # due 01/04/2025: in time
        ("SYN062", "31/12/2024", None, {}),   # first review due 31/03/2025: in time
        ("SYN063", "30/12/2024", None, {}),   # first review due 30/03/2025: overdue
        ("SYN064", "01/01/2024", None, {review: "31/08/2024"}),  # due 28/02/2025: overdue
    ])
    found = cp_reviews_timely(frame, REF)
    assert flagged(found) == ["SYN061", "SYN062"]
    assert found.set_index("Child Unique ID").loc["SYN064", "review_due"].strftime(
        "%d/%m/%Y") == "28/02/2025"
