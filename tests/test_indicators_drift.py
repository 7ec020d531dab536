"""DRIFT: referral-to-stage linking and days, on a hand-built CIN census and SSDA903.

Frames have exactly the columns cin_validator's convert_data gives (spec.cin_census,
checked against the validator in test_datasets_cin_census), dates parsed as process_data does.
"""

import pandas as pd
import pytest

from d2i_examples.errors import DataError
from d2i_examples.indicators.drift import (
    band_labels,
    drift_distribution,
    drift_summary,
    drift_table,
    first_plan_doubts,
    link_to_referral,
)
from d2i_examples.spec.cin_census import TABLES as CIN_TABLES
from d2i_examples.spec.ssda903 import TABLES


def cin_table(name, rows):
    frame = pd.DataFrame(rows, columns=CIN_TABLES[name])
    for column in frame.columns:
        if "date" in column.lower():
            frame[column] = pd.to_datetime(frame[column], format="%d/%m/%Y")
    return frame


def census():
    details = cin_table("CINdetails", [
        {"LAchildID": "SYN200", "CINdetailsID": 1, "CINreferralDate": "01/04/2023"},
        {"LAchildID": "SYN200", "CINdetailsID": 2, "CINreferralDate": "01/02/2024"},
        {"LAchildID": "SYN201", "CINdetailsID": 1, "CINreferralDate": "10/05/2024"},
        {"LAchildID": "SYN202", "CINdetailsID": 1, "CINreferralDate": "05/01/2025"},
        {"LAchildID": "SYN204", "CINdetailsID": 1, "CINreferralDate": "01/01/2024"},
        {"LAchildID": "SYN204", "CINdetailsID": 2, "CINreferralDate": "01/03/2024"},
    ])
    cin_plans = cin_table("CINplanDates", [
        {"LAchildID": "SYN200", "CINdetailsID": 1, "CINPlanStartDate": "11/04/2023"},
        {"LAchildID": "SYN200", "CINdetailsID": 1, "CINPlanStartDate": "01/06/2023"},
        {"LAchildID": "SYN200", "CINdetailsID": 2, "CINPlanStartDate": "01/03/2024"},
        {"LAchildID": "SYN201", "CINdetailsID": 1, "CINPlanStartDate": "01/05/2024"},
    ])
    cp_plans = cin_table("ChildProtectionPlans", [
        {"LAchildID": "SYN200", "CINdetailsID": 2, "CPPID": 1, "CPPstartDate": "15/03/2024"},
        {"LAchildID": "SYN202", "CINdetailsID": 1, "CPPID": 1, "CPPstartDate": "05/01/2025"},
        {"LAchildID": "SYN204", "CINdetailsID": 1, "CPPID": 1, "CPPstartDate": "15/03/2024"},
    ])
    return {"CINdetails": details, "CINplanDates": cin_plans, "ChildProtectionPlans": cp_plans}


def episodes():
    rows = [("SYN200", "01/04/2024", "S"), ("SYN200", "01/06/2024", "L"),
            ("SYN201", "01/06/2024", "S"), ("SYN203", "01/07/2024", "S"),
            ("SYN204", "20/03/2024", "S")]
    frame = pd.DataFrame([{"CHILD": c, "DECOM": d, "RNE": r} for c, d, r in rows],
                         columns=TABLES["episodes"][1])
    frame["DECOM"] = pd.to_datetime(frame["DECOM"], format="%d/%m/%Y")
    frame["DEC"] = pd.to_datetime(frame["DEC"])
    return frame


def test_drift_table_hand_worked():
    table = drift_table(census(), episodes())
    got = {(r.child, r.stage, r.stage_start.strftime("%d/%m/%Y")): (r.days, r.working_days)
           for r in table.itertuples()}
    assert got == {
        # referral Sat 01/04/2023 -> plan 11/04/2023: 10 days; working days 3-6 Apr
        # and 11 Apr (Good Friday 7, Easter Monday 10 excluded) = 5.
        ("SYN200", "CIN plan", "11/04/2023"): (10, 5),
        # second referral 01/02/2024 -> 01/03/2024: 29 days (February 2024 has 29).
        # Working days after Thu 01/02/2024: Feb 2-29 = 20, 1 Mar = 21; to 15 Mar = 31.
        ("SYN200", "CIN plan", "01/03/2024"): (29, 21),
        ("SYN200", "CP plan", "15/03/2024"): (43, 31),
        # into care 01/04/2024: latest referral on or before is 01/02/2024: 60 days;
        # working days 40 (to 28 Mar; 29 Mar and 1 Apr are Easter holidays).
        ("SYN200", "Looked after", "01/04/2024"): (60, 40),
        # plan before its own referral: kept, not linked.
        ("SYN201", "CIN plan", "01/05/2024"): (pd.NA, pd.NA),
        # Fri 10/05/2024 -> Sat 01/06/2024: 13-17, 20-24, 28-31 May (27th a holiday) = 14.
        ("SYN201", "Looked after", "01/06/2024"): (22, 14),
        ("SYN202", "CP plan", "05/01/2025"): (0, 0),
        # no referral at all: not linked.
        ("SYN203", "Looked after", "01/07/2024"): (pd.NA, pd.NA),
        # the CP plan sits in episode 1, so it belongs to 01/01/2024 (74 days), not to
        # the later referral of episode 2 (01/03/2024, 14 days). Working days after
        # Mon 01/01/2024 (a holiday): January 22, February 21, 1-15 March 11 = 54.
        ("SYN204", "CP plan", "15/03/2024"): (74, 54),
        # care uses any referral of the child: 01/03/2024 -> 20/03/2024 = 19 days,
        # working days 4-8, 11-15, 18-20 March = 13.
        ("SYN204", "Looked after", "20/03/2024"): (19, 13),
    }
    assert table["linked"].sum() == 8
    assert set(table["year"]) == {"2023-24", "2024-25"}


def test_first_only_drops_later_plans_of_the_same_referral():
    everything = drift_table(census(), first_only=False)
    # SYN200's second CIN plan of episode 1 (01/06/2023, 61 days) is kept only here.
    assert 61 in everything["days"].dropna().tolist()
    assert 61 not in drift_table(census())["days"].dropna().tolist()


def test_summary_medians_and_quartiles():
    summary = drift_summary(drift_table(census(), episodes())).set_index(["stage", "year"])
    cp = summary.loc[("CP plan", "2023-24")]
    # 43 and 74 days: median 58.5; quartiles by linear interpolation 50.75 and 66.25.
    assert (cp["children"], cp["median"]) == (2, 58.5)
    assert (cp["lower_quartile"], cp["upper_quartile"]) == (50.75, 66.25)
    care = summary.loc[("Looked after", "2024-25")]
    assert (care["children"], care["unlinked"], care["median"]) == (2, 1, 41.0)
    assert summary.loc[("CIN plan", "2024-25"), "unlinked"] == 1


def test_distribution_bands():
    assert band_labels((0, 7, 14)) == ["0-6 days", "7-13 days", "14+ days"]
    dist = drift_distribution(drift_table(census(), episodes()))
    care = dist[(dist["stage"] == "Looked after") & (dist["year"] == "2024-25")]
    # 22 days -> 14-27, 60 days -> 56-90; every band listed, shares add to 1.
    assert care.set_index("band")["children"][lambda s: s > 0].to_dict() == {
        "14-27 days": 1, "56-90 days": 1}
    assert len(care) == 8 and care["share"].sum() == 1


def test_link_to_referral_takes_the_latest_on_or_before():
    events = pd.DataFrame({"child": ["A", "A", "A", "B"],
                           "stage_start": pd.to_datetime(["2024-01-10", "2024-03-01",
                                                          "2023-12-31", None])})
    refs = pd.DataFrame({"child": ["A", "A"],
                         "referral_date": pd.to_datetime(["2024-01-01", "2024-03-01"])})
    linked = link_to_referral(events, refs)
    assert linked["referral_date"].tolist()[:2] == list(pd.to_datetime(["2024-01-01",
                                                                        "2024-03-01"]))
    assert linked["referral_date"].isna().tolist() == [False, False, True, True]


def test_missing_cin_table_is_named():
    cin = census()
    del cin["CINplanDates"]
    with pytest.raises(DataError, match="CINplanDates"):
        drift_table(cin)


def test_link_counts_counts_unlinked_stages_and_choices():
    from d2i_examples.indicators.drift import link_counts

    counts = link_counts(drift_table(census(), episodes()), census()).set_index("stage")
    # choices: linked stages whose child had 2+ referrals on or before the stage:
    # SYN200's second CIN plan, CP plan and care; SYN204's CP plan and care.
    assert counts.loc["CIN plan"].tolist() == [3, 2, 1, 1]  # stages, linked, unlinked, choices
    assert counts.loc["CP plan"].tolist() == [3, 3, 0, 2]
    assert counts.loc["Looked after"].tolist() == [4, 3, 1, 2]
    assert list(counts.columns) == ["stages", "linked", "unlinked", "choices"]


def test_a_plan_after_a_referral_made_before_the_census_year_may_not_be_the_first():
    # Census 2025 (April 2024 to March 2025). SYN300 was referred in May 2023; a first CP
    # plan that ended in January 2024 is not in this census, so the plan of June 2024 is
    # the first the census holds but may be the second. SYN301, referred in the census
    # year, has a sure first plan.
    details = cin_table("CINdetails", [
        {"LAchildID": "SYN300", "CINdetailsID": 1, "CINreferralDate": "01/05/2023"},
        {"LAchildID": "SYN301", "CINdetailsID": 1, "CINreferralDate": "01/05/2024"},
    ])
    cp_plans = cin_table("ChildProtectionPlans", [
        {"LAchildID": "SYN300", "CINdetailsID": 1, "CPPID": 1, "CPPstartDate": "01/06/2024"},
        {"LAchildID": "SYN301", "CINdetailsID": 1, "CPPID": 1, "CPPstartDate": "01/06/2024"},
    ])
    cin = {"CINdetails": details, "CINplanDates": cin_table("CINplanDates", []),
           "ChildProtectionPlans": cp_plans}
    drift = drift_table(cin, collection_year=2025).set_index("child")
    assert bool(drift.loc["SYN300", "first_unsure"]) is True
    assert bool(drift.loc["SYN301", "first_unsure"]) is False
    summary = drift_summary(drift.reset_index()).set_index("stage")
    assert summary.loc["CP plan", "first_unsure"] == 1 and summary.loc["CP plan", "children"] == 2
    # without the census year it is not known
    assert drift_table(cin)["first_unsure"].isna().all()
    # the notebook's sentences: a census with no CIN plan says so instead of failing
    assert first_plan_doubts(drift.reset_index(), "2024-25") == [
        "CIN plan: none linked to a referral started in 2024-25, so nothing to set aside.",
        ("CP plan: 1 of 2 plans started in the census year follow a referral made before it, "
         "so may not be the first; median 214 days with them, 31 without")]  # (397 + 31) / 2


def test_short_breaks_are_not_coming_into_care():
    # SYN205's short breaks (V3) each start a period of care (RNE S) in the 903, but
    # becoming looked after is the full-time care that starts on 01/09/2024.
    frame = pd.DataFrame([
        {"CHILD": "SYN205", "DECOM": "05/04/2024", "RNE": "S", "LS": "V3"},
        {"CHILD": "SYN205", "DECOM": "03/05/2024", "RNE": "S", "LS": "V3"},
        {"CHILD": "SYN205", "DECOM": "01/09/2024", "RNE": "S", "LS": "C1"},
    ], columns=TABLES["episodes"][1])
    frame["DECOM"] = pd.to_datetime(frame["DECOM"], format="%d/%m/%Y")
    frame["DEC"] = pd.to_datetime(frame["DEC"])
    details = cin_table("CINdetails", [
        {"LAchildID": "SYN205", "CINdetailsID": 1, "CINreferralDate": "01/03/2024"}])
    cin = {"CINdetails": details, "CINplanDates": cin_table("CINplanDates", []),
           "ChildProtectionPlans": cin_table("ChildProtectionPlans", [])}
    care = drift_table(cin, frame, first_only=False)
    care = care[care["stage"] == "Looked after"]
    assert care["stage_start"].dt.strftime("%d/%m/%Y").tolist() == ["01/09/2024"]
