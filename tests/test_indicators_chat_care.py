"""ChAT measures for children looked after (List 8) and care leavers (List 9), and the
all-measures summary; answers worked out by hand. Reference date Mon 31/03/2025."""

import math

import pandas as pd
import pytest

from d2i_examples.errors import DataError
from d2i_examples.indicators import chat
from d2i_examples.indicators.rates import summarise
from tests.annex_a_builders import annex_list

REF = "31/03/2025"
STARTED, CEASED = "Date Started to be Looked After", "Date Ceased to be Looked After"
PLACEMENTS = "Number of Placements in the Last 12 months"


def children(rows):
    return annex_list("list_8", [{"Child Unique ID": c, **r} for c, r in rows])


def flagged(found):
    return sorted(found.loc[found["numerator"], "Child Unique ID"])


def test_three_or_more_placements():
    frame = children([
        ("SYN100", {STARTED: "01/01/2020", PLACEMENTS: 3}),
        ("SYN101", {STARTED: "01/06/2024", PLACEMENTS: 1}),
        ("SYN102", {STARTED: "01/06/2024", CEASED: "01/02/2025", PLACEMENTS: 5}),  # left care
        ("SYN103", {STARTED: "01/04/2025", PLACEMENTS: 4}),  # starts after the date
        ("SYN104", {STARTED: "01/06/2024", PLACEMENTS: None}),
        ("SYN105", {STARTED: "01/06/2024", CEASED: "31/03/2025", PLACEMENTS: 3}),  # left that day
    ])
    found = chat.placement_stability_short_term(frame, REF)
    # Looked after on 31/03/2025: SYN100, SYN101, SYN104 -> 1 of 3 with 3+.
    assert sorted(found["Child Unique ID"]) == ["SYN100", "SYN101", "SYN104"]
    assert flagged(found) == ["SYN100"]


def test_placement_counts_must_be_numbers():
    frame = children([("SYN100", {STARTED: "01/01/2020", PLACEMENTS: "three"})])
    with pytest.raises(DataError, match="numbers") as error:
        chat.placement_stability_short_term(frame, REF)
    assert error.value.column == PLACEMENTS


def test_long_term_stability():
    placed, kind = "Start Date of Most Recent Placement", "Placement Type"
    frame = children([
        # 15 (16 on 01/04/2025); in care 30 months exactly; placement 24 months exactly.
        ("SYN110", {"Date of Birth": "01/04/2009", STARTED: "30/09/2022", placed: "31/03/2023"}),
        # turns 16 on the reference date: outside the cohort
        ("SYN111", {"Date of Birth": "31/03/2009", STARTED: "01/01/2018", placed: "01/01/2018"}),
        # in care 30 months only on 01/04/2025: outside the cohort
        ("SYN112", {"Date of Birth": "01/01/2012", STARTED: "01/10/2022", placed: "01/10/2022"}),
        # in the cohort; placement 24 months only on 01/04/2025: not stable
        ("SYN113", {"Date of Birth": "01/01/2012", STARTED: "01/01/2019", placed: "01/04/2023"}),
        # in the cohort; placed for adoption 3 months ago: DfE needs the adoptive placement
        # and the one before to last 2 years together, which Annex A cannot show
        ("SYN114", {"Date of Birth": "01/01/2015", STARTED: "01/01/2018", placed: "01/01/2025",
                    kind: "A5"}),
        # in the cohort; placed for adoption 3 years ago: stable
        ("SYN115", {"Date of Birth": "01/01/2015", STARTED: "01/01/2018", placed: "01/01/2022",
                    kind: "A5"}),
    ])
    found = chat.placement_stability_long_term(frame, REF)
    assert sorted(found["Child Unique ID"]) == ["SYN110", "SYN113", "SYN114", "SYN115"]
    assert flagged(found) == ["SYN110", "SYN115"]
    marked = found.loc[found["adoption_under_2_years"], "Child Unique ID"]
    assert marked.tolist() == ["SYN114"]


def test_cla_reviews():
    review = "Date of Latest Statutory Review"
    frame = children([
        ("SYN120", {STARTED: "01/01/2024", review: "01/10/2024"}),  # due 01/04/2025: in time
        ("SYN121", {STARTED: "01/01/2024", review: "30/09/2024"}),  # due 30/03/2025: overdue
        # no review yet; started Mon 03/03/2025: the 20th working day after is Mon 31/03
        ("SYN122", {STARTED: "03/03/2025"}),
        # started Fri 28/02/2025: the 20th working day after is Fri 28/03: overdue
        ("SYN123", {STARTED: "28/02/2025"}),
        # started Mon 16/09/2024, first review 01/10/2024 (inside its 20 working days):
        # the second is due 3 months later, 01/01/2025: overdue (6 months would pass)
        ("SYN124", {STARTED: "16/09/2024", review: "01/10/2024"}),
        # started Mon 06/01/2025, first review 20/01/2025: second due 20/04/2025: in time
        ("SYN125", {STARTED: "06/01/2025", review: "20/01/2025"}),
    ])
    found = chat.cla_reviews_timely(frame, REF)
    assert flagged(found) == ["SYN120", "SYN122", "SYN125"]
    due = found.set_index("Child Unique ID")["review_due"]
    assert due["SYN124"] == pd.Timestamp("2025-01-01")
    assert due["SYN120"] == pd.Timestamp("2025-04-01")
    assert found.set_index("Child Unique ID").loc["SYN122", "review_due"] == pd.Timestamp(
        "2025-03-31")


def test_cla_visits_within_six_weeks():
    visit = "Date of Last Social Work Visit"
    frame = children([
        ("SYN130", {STARTED: "01/01/2024", visit: "17/02/2025"}),  # 42 days: in time
        ("SYN131", {STARTED: "01/01/2024", visit: "16/02/2025"}),  # 43 days: late
        ("SYN132", {STARTED: "20/03/2025"}),                       # no visit, in care 11 days
    ])
    found = chat.cla_visits_timely(frame, REF)
    assert found["days_since_visit"].tolist() == [42, 43, 11]
    assert flagged(found) == ["SYN130", "SYN132"]


@pytest.mark.parametrize("measure, column", [
    (chat.health_assessments_timely, "Date of Last Health Assessment"),
    (chat.dental_checks_timely, "Date of Last Dental Check"),
])
def test_health_and_dental_checks(measure, column):
    frame = children([
        ("SYN140", {STARTED: "01/01/2020", column: "31/03/2024"}),  # 12 months to the day
        ("SYN141", {STARTED: "01/01/2020", column: "30/03/2024"}),  # a day over
        ("SYN142", {STARTED: "01/04/2024", column: "01/05/2024"}),  # in care under 12 months
        ("SYN143", {STARTED: "31/03/2024"}),                        # 12 months, never checked
    ])
    found = measure(frame, REF)
    assert sorted(found["Child Unique ID"]) == ["SYN140", "SYN141", "SYN143"]
    assert flagged(found) == ["SYN140"]
    # Six-monthly: none of them.
    assert flagged(measure(frame, REF, months=6)) == []


def test_health_assessments_of_under_fives_are_six_monthly():
    column = "Date of Last Health Assessment"
    frame = children([
        # 4 on 31/03/2025, assessed 7 months before: late (due every 6 months)
        ("SYN144", {"Date of Birth": "01/06/2020", STARTED: "01/01/2022", column: "31/08/2024"}),
        # 4, assessed on 01/10/2024, under 6 months before: in time
        ("SYN145", {"Date of Birth": "01/06/2020", STARTED: "01/01/2022", column: "01/10/2024"}),
        # 5 that day, assessed 7 months before: yearly, in time
        ("SYN146", {"Date of Birth": "31/03/2020", STARTED: "01/01/2022", column: "31/08/2024"}),
    ])
    assert flagged(chat.health_assessments_timely(frame, REF)) == ["SYN145", "SYN146"]
    # dental checks stay yearly for everyone
    dental = frame.assign(**{"Date of Last Dental Check": frame[column]})
    assert flagged(chat.dental_checks_timely(dental, REF)) == ["SYN144", "SYN145", "SYN146"]


def leavers():
    rows = [  # (id, date of birth -> age on 31/03/2025, in touch, suitability, activity)
        ("SYN150", "01/01/2007", "Yes", "Suitable", "F1"),      # 18
        ("SYN151", "01/01/2006", "NO", "Unsuitable", "G5"),     # 19
        ("SYN152", "31/03/2004", "y", "S", "P3"),               # 21 that day
        ("SYN153", "30/03/2003", "REFU", None, None),           # 22
        ("SYN154", "01/04/2004", "DIED", "Not suitable", "F2"),  # 20 (21 on 01/04/2025)
    ]
    return annex_list("list_9", [
        {"Child Unique ID": c, "Date of Birth": dob, "LA in Touch": t,
         "Suitability of Accommodation": s, "Activity Status": a} for c, dob, t, s, a in rows])


def test_care_leavers():
    assert flagged(chat.care_leavers_in_touch(leavers(), REF)) == ["SYN150", "SYN152"]
    assert flagged(chat.care_leavers_suitably_accommodated(leavers(), REF)) == [
        "SYN150", "SYN152"]
    assert flagged(chat.care_leavers_in_eet(leavers(), REF)) == ["SYN150", "SYN152", "SYN154"]
    assert len(chat.care_leavers_in_eet(leavers(), REF)) == 5


def test_care_leavers_aged_19_to_21():
    # Aged 19-21 on 31/03/2025: SYN151 (19), SYN152 (21), SYN154 (20); in touch: SYN152.
    found = chat.care_leavers_in_touch(leavers(), REF, ages=(19, 21))
    assert sorted(found["Child Unique ID"]) == ["SYN151", "SYN152", "SYN154"]
    assert summarise(found)[["measure", "numerator", "denominator"]].iloc[0].tolist() == [
        "Care leavers in touch (aged 19-21)", 1, 3]


def full_annex_a():
    annex = {key: annex_list(key, []) for key in [f"list_{i}" for i in range(1, 12)]}
    annex["list_3"] = annex_list("list_3", [
        {"Child Unique ID": "SYN160", "Date of referral": "01/05/2024"},
        {"Child Unique ID": "SYN160", "Date of referral": "01/06/2024"}])
    annex["list_9"] = leavers()
    return annex


def test_chat_summary_has_every_measure():
    table = chat.chat_summary(full_annex_a(), REF)
    assert len(table) == len(chat.MEASURES) == 17
    rows = table.set_index("measure")
    # List 3: two referrals, the second a re-referral.
    re_referred = rows.loc["Re-referrals within 12 months"]
    assert (re_referred["numerator"], re_referred["denominator"]) == (1, 2)
    # List 9 as above: 3 of 5 in EET.
    assert rows.loc["Care leavers in education, employment or training", "rate"] == 0.6
    # Empty lists keep their row with a zero denominator and no rate.
    empty = rows.loc["Assessments authorised within 45 working days"]
    assert empty["denominator"] == 0 and math.isnan(empty["rate"])
    assert (table["reference_date"] == pd.Timestamp("2025-03-31")).all()


def test_chat_summary_names_a_missing_list():
    annex = full_annex_a()
    del annex["list_8"]
    with pytest.raises(DataError, match="List 8"):
        chat.chat_summary(annex, REF)


def test_chat_summary_options_change_thresholds():
    annex = full_annex_a()
    # Mon 03/03/2025 -> Mon 17/03/2025: 10 working days.
    annex["list_4"] = annex_list("list_4", [{
        "Child Unique ID": "SYN170", "Continuous Assessment Start Date": "03/03/2025",
        "Continuous Assessment Date of Authorisation": "17/03/2025"}])
    default = chat.chat_summary(annex, REF).set_index("indicator")
    tight = chat.chat_summary(annex, REF, options={
        "assessment_timeliness": {"working_days": 9}}).set_index("indicator")
    assert default.loc["assessment_timeliness", "numerator"] == 1
    assert tight.loc["assessment_timeliness", "numerator"] == 0
    assert tight.loc["assessment_timeliness", "measure"] == (
        "Assessments authorised within 9 working days")
    records = chat.chat_records(annex, REF, options={"assessment_timeliness": {"working_days": 10}})
    assert records["assessment_timeliness"]["numerator"].tolist() == [True]
    assert set(records) == {measure.__name__ for _, measure, _ in chat.MEASURES}


def test_chat_summary_rejects_an_unknown_option():
    with pytest.raises(DataError, match="no ChAT measure") as error:
        chat.chat_summary(full_annex_a(), REF, options={"assessment_timelines": {}})
    assert error.value.column == "assessment_timelines"


def test_chat_summary_says_no_data_when_the_numerator_column_is_blank():
    annex = full_annex_a()
    start, visit = "Child Protection Plan Start Date", "Date of the Last Statutory Visit"
    annex["list_7"] = annex_list("list_7", [
        {"Child Unique ID": "SYN180", start: "01/01/2025"},
        {"Child Unique ID": "SYN181", start: "01/02/2025"}])
    rows = chat.chat_summary(annex, REF).set_index("indicator")
    # visits blank for every open plan: the rate would only time the plan start
    assert rows.loc["cp_visits_timely", "status"] == "no data"
    assert rows.loc["cp_plans_2_years_open", "status"] == "ok"
    assert rows.loc["assessment_timeliness", "status"] == "no data"  # no records at all
    annex["list_7"].loc[0, visit] = pd.Timestamp("2025-03-28")
    rows = chat.chat_summary(annex, REF).set_index("indicator")
    assert rows.loc["cp_visits_timely", "status"] == "ok"
    assert rows.loc["cp_visits_timely", ["numerator", "denominator"]].tolist() == [1, 2]
    assert rows.loc["re_referrals", "better"] == "lower"
    assert rows.loc["cp_visits_timely", "better"] == "higher"


def test_care_leavers_in_eet_counts_apprenticeships_and_training():
    frame = annex_list("list_9", [
        {"Child Unique ID": f"SYN19{i}", "Activity Status": code}
        for i, code in enumerate(["F4", "P4", "F5", "P5", "G6", "0"])])
    assert flagged(chat.care_leavers_in_eet(frame, REF)) == [
        "SYN190", "SYN191", "SYN192", "SYN193"]


def test_a_measure_is_found_by_the_name_the_page_shows_or_by_its_indicator():
    summary = chat.chat_summary(full_annex_a(), REF)
    by_name = chat.find_measure(summary, "  cla VISITS within 6 weeks")
    by_indicator = chat.find_measure(summary, "cla_visits_timely")
    assert by_name["indicator"] == by_indicator["indicator"] == "cla_visits_timely"
    with pytest.raises(DataError, match="no ChAT measure") as error:
        chat.find_measure(summary, "visits")
    assert error.value.column == "focus_measure"
    assert "CLA visits within 6 weeks (cla_visits_timely)" in str(error.value)
