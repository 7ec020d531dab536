"""The DfE's local-authority measures, each on hand-made children."""

from __future__ import annotations

import pandas as pd
import pytest

from d2i_examples.errors import DataError
from d2i_examples.indicators import benchmarks as bm
from tests.test_indicators_ehcp import ROWS, sen2

T = pd.Timestamp
END = "2026-03-31"


def episodes() -> pd.DataFrame:
    rows = [  # CHILD, DECOM, DEC, RNE, LS, REC
        ("STAYS", "2024-06-01", None, "S", "C2", None),  # in care all year, 1 placement
        ("NEW", "2025-05-01", None, "S", "C2", None),  # started in the year
        ("NEW_TWICE", "2025-04-10", "2025-06-01", "S", "V2", "E11"),  # started twice,
        ("NEW_TWICE", "2025-08-01", "2025-10-01", "S", "V2", "E4A"),  # ceased twice
        ("MOVER", "2024-01-01", "2025-05-01", "S", "C2", "X1"),  # 3 placements in year
        ("MOVER", "2025-05-01", "2025-09-01", "P", "C2", "X1"),
        ("MOVER", "2025-09-01", None, "P", "C2", None),
        ("SAME_CARER", "2024-01-01", "2025-05-01", "S", "C2", "X1"),  # T: same carer,
        ("SAME_CARER", "2025-05-01", "2025-09-01", "P", "C2", "X1"),  # so 2 placements
        ("SAME_CARER", "2025-09-01", None, "T", "C2", None),
        ("BREAKS", "2025-06-01", "2025-06-03", "S", "V3", "E13"),  # short breaks: never
        ("BEFORE", "2023-01-01", "2024-12-01", "S", "C2", "E4A"),  # left before the year
    ]
    frame = pd.DataFrame(rows, columns=["CHILD", "DECOM", "DEC", "RNE", "LS", "REC"])
    return frame.assign(DECOM=pd.to_datetime(frame["DECOM"]), DEC=pd.to_datetime(frame["DEC"]),
                        PLACE="U4")


def by_measure(table: pd.DataFrame) -> pd.DataFrame:
    return table.set_index("measure")


def test_looked_after_counts_rates_and_stability():
    t = by_measure(bm.measures(END, 20_000, ssda903={"episodes": episodes()}))
    assert t.loc[bm.CLA_RATE, ["numerator", "denominator"]].tolist() == [4, 20_000]
    assert t.loc[bm.CLA_RATE, "value"] == pytest.approx(2.0)  # 4 per 20,000 = 2 per 10,000
    assert t.loc[bm.CLA_STARTS, "numerator"] == 2  # NEW and NEW_TWICE, once each
    assert t.loc[bm.CLA_CEASES, "numerator"] == 1  # NEW_TWICE once; X1 is not ceasing
    assert t.loc[bm.STABILITY, ["numerator", "denominator"]].tolist() == [1, 4]  # MOVER
    assert t.loc[bm.STABILITY, "unit"] == bm.PERCENT
    assert "children-looked-after" in t.loc[bm.CLA_RATE, "source"]


def cin() -> dict:
    details = pd.DataFrame({
        "LAchildID": ["OPEN", "CLOSED", "NFA", "RE", "RE", "OLD"],
        "CINdetailsID": [1, 1, 1, 1, 2, 1],
        "CINreferralDate": pd.to_datetime(["2025-05-01", "2025-05-01", "2026-03-01",
                                           "2025-06-01", "2026-01-10", "2024-01-01"]),
        "CINclosureDate": pd.to_datetime([None, "2025-12-01", "2026-03-01", "2025-07-01",
                                          None, None]),
        "ReferralNFA": ["0", "0", "1", "0", "0", "0"],
    })
    assessments = pd.DataFrame({
        "LAchildID": ["OPEN", "CLOSED"],
        # 2025-06-02 (Mon) + 45 working days = 2025-08-04; the second takes 46
        "AssessmentActualStartDate": pd.to_datetime(["2025-06-02", "2025-06-02"]),
        "AssessmentAuthorisationDate": pd.to_datetime(["2025-08-04", "2025-08-05"]),
    })
    plans = pd.DataFrame({
        "LAchildID": ["OPEN", "RE", "OLD"],
        "CPPstartDate": pd.to_datetime(["2025-06-01", "2026-02-01", "2023-01-01"]),
        "CPPendDate": pd.to_datetime([None, None, "2025-06-01"]),
        "NumberOfPreviousCPP": ["0", "2", "0"],
    })
    return {"CINdetails": details, "Assessments": assessments, "ChildProtectionPlans": plans}


def test_children_in_need_measures():
    t = by_measure(bm.measures(END, 10_000, cin=cin()))
    # open on 31 March: OPEN, RE (second episode), OLD; NFA and CLOSED are not
    assert t.loc[bm.CIN_RATE, "numerator"] == 3
    assert t.loc[bm.CIN_RATE, "value"] == pytest.approx(3.0)
    # referrals in the year: OPEN, CLOSED, NFA, RE x2; RE's second is within 12 months
    assert t.loc[bm.REREFERRALS, ["numerator", "denominator"]].tolist() == [1, 5]
    assert t.loc[bm.ASSESSMENTS, ["numerator", "denominator"]].tolist() == [1, 2]
    assert t.loc[bm.CP_REPEAT, ["numerator", "denominator"]].tolist() == [1, 2]
    assert t.loc[bm.CP_TWO_YEARS, ["numerator", "denominator"]].tolist() == [1, 1]
    assert (t["unit"] == [bm.RATE, bm.RATE, *[bm.PERCENT] * 4]).all()


def test_children_starting_a_cp_plan_count_once_per_10000():
    plans = cin()
    extra = pd.DataFrame({"LAchildID": ["OPEN", "LATE"],
                          "CPPstartDate": pd.to_datetime(["2025-12-01", "2026-04-01"]),
                          "CPPendDate": pd.to_datetime([None, None]),
                          "NumberOfPreviousCPP": ["1", "0"]})
    plans["ChildProtectionPlans"] = pd.concat([plans["ChildProtectionPlans"], extra])
    t = by_measure(bm.measures(END, 20_000, cin=plans))
    # OPEN (two plans in the year, counted once) and RE; OLD began before, LATE after
    assert t.loc[bm.CP_STARTS, ["numerator", "denominator"]].tolist() == [2, 20_000]
    assert t.loc[bm.CP_STARTS, "value"] == pytest.approx(1.0)
    assert t.loc[bm.CP_STARTS, "unit"] == bm.RATE


def stable_episodes() -> pd.DataFrame:
    rows = [  # CHILD, DECOM, DEC, RNE, LS, REC; header DOBs below
        ("SETTLED", "2023-01-01", None, "S", "C2", None),  # 3 years, one carer
        ("MOVED", "2023-01-01", "2025-01-01", "S", "C2", "X1"),  # move within 2 years
        ("MOVED", "2025-01-01", None, "P", "C2", None),
        ("SAME", "2023-01-01", "2025-01-01", "S", "C2", "X1"),  # same carer (T): settled
        ("SAME", "2025-01-01", None, "T", "C2", None),
        ("EARLY_MOVE", "2022-01-01", "2024-02-01", "S", "C2", "X1"),  # moved 26 months ago
        ("EARLY_MOVE", "2024-02-01", None, "P", "C2", None),
        ("RECENT", "2024-01-01", None, "S", "C2", None),  # only 27 months in care
        ("OLDER", "2020-01-01", None, "S", "C2", None),  # 16 on 31 March: not counted
        ("RETURNED", "2020-01-01", "2024-01-01", "S", "C2", "E11"),  # new period 2024
        ("RETURNED", "2024-06-01", None, "S", "C2", None),
        # a year's return holds no RNE S for a child in care for years: the period began
        # on or before the earliest episode held (moved 34 months ago: settled)
        ("CONTINUING", "2023-06-01", None, "P", "C2", None),
        ("CONT_RECENT", "2024-06-01", None, "P", "C2", None),  # 22 months: unknown, out
    ]
    frame = pd.DataFrame(rows, columns=["CHILD", "DECOM", "DEC", "RNE", "LS", "REC"])
    return frame.assign(DECOM=pd.to_datetime(frame["DECOM"]), DEC=pd.to_datetime(frame["DEC"]),
                        PLACE="U4")


def test_long_term_stability_counts_under_16s_in_care_2_5_years_with_one_carer_2_years():
    children = ["SETTLED", "MOVED", "SAME", "EARLY_MOVE", "RECENT", "OLDER", "RETURNED",
                "CONTINUING", "CONT_RECENT"]
    header = pd.DataFrame({"CHILD": children, "DOB": pd.to_datetime(
        ["2015-01-01"] * 5 + ["2010-03-31"] + ["2015-01-01"] * 3)})
    t = by_measure(bm.measures(END, 10_000, ssda903={"episodes": stable_episodes(),
                                                      "header": header}))
    # cohort: SETTLED, MOVED, SAME, EARLY_MOVE, CONTINUING; all but MOVED settled
    assert t.loc[bm.LONG_TERM, ["numerator", "denominator"]].tolist() == [4, 5]
    assert t.loc[bm.LONG_TERM, "value"] == pytest.approx(80.0)


def test_distance_counts_placements_over_20_miles_of_all_looked_after_on_31_march():
    frame = episodes().assign(HOME_POST="ME14 1XQ", PL_POST="ME15 6AB")
    frame.loc[frame["CHILD"] == "NEW", "PL_POST"] = "SW1A 1AA"  # 52 km, 33 miles
    frame.loc[frame["CHILD"] == "STAYS", "PL_POST"] = None  # not known: denominator only
    t = by_measure(bm.measures(END, 10_000, ssda903={"episodes": frame}))
    assert t.loc[bm.OVER_20_MILES, ["numerator", "denominator"]].tolist() == [1, 4]


def test_care_leavers_aged_19_to_21_of_all_of_them():
    oc3 = pd.DataFrame({
        "CHILD": ["A", "B", "C", "D", "E", "F", "G"],
        # 19, 21, 20 on 31 March 2026; D is 18 and E 22: left out; F died and G returned
        # home (aged 19 and 20): not counted by the DfE at all
        "DOB": pd.to_datetime(["2006-06-01", "2004-05-01", "2005-04-01", "2007-06-01",
                               "2003-06-01", "2006-06-01", "2005-06-01"]),
        "IN_TOUCH": ["YES", "YES", "NO", "YES", "YES", "DIED", " rhom"],
        "ACTIV": ["F2", "G4", "0", "F1", "F1", "0", "0"],
        "ACCOM": ["U1", "B2", "0", "U1", "U1", "0", "0"],
    })
    t = by_measure(bm.measures(END, 10_000, ssda903={"episodes": episodes(), "oc3": oc3}))
    assert t.loc[bm.LEAVERS_IN_TOUCH, ["numerator", "denominator"]].tolist() == [2, 3]
    assert t.loc[bm.LEAVERS_EET, ["numerator", "denominator"]].tolist() == [1, 3]
    assert t.loc[bm.LEAVERS_SUITABLE, ["numerator", "denominator"]].tolist() == [1, 3]


def test_an_oc3_without_its_columns_is_a_clear_error():
    oc3 = pd.DataFrame({"CHILD": ["A"], "DOB": pd.to_datetime(["2006-06-01"])})
    with pytest.raises(DataError, match="IN_TOUCH"):
        bm.measures(END, 10_000, ssda903={"episodes": episodes(), "oc3": oc3})


def test_ehc_plans_within_20_weeks_with_and_without_exceptions():
    t = by_measure(bm.measures(END, 10_000, sen2=sen2(ROWS)))  # activity year 2025
    assert t.loc[bm.EHC_EXCLUDING, ["numerator", "denominator"]].tolist() == [1, 2]
    assert t.loc[bm.EHC_INCLUDING, ["numerator", "denominator"]].tolist() == [2, 4]
    assert t.loc[bm.EHC_EXCLUDING, "period"] == "calendar year 2025"


def test_a_year_with_no_plans_has_no_value_not_zero():
    t = by_measure(bm.measures(END, 10_000, sen2=sen2(ROWS), ehc_year=2020))
    assert t.loc[bm.EHC_EXCLUDING, "denominator"] == 0
    assert pd.isna(t.loc[bm.EHC_EXCLUDING, "value"])


def test_only_the_returns_given_are_measured():
    assert bm.measures(END, 10_000).empty
    assert set(bm.measures(END, 10_000, cin=cin())["measure"]) == {
        bm.CIN_RATE, bm.CP_STARTS, bm.REREFERRALS, bm.ASSESSMENTS, bm.CP_REPEAT, bm.CP_TWO_YEARS}


def test_a_census_without_its_table_is_a_clear_error():
    broken = cin()
    del broken["Assessments"]
    with pytest.raises(DataError, match="Assessments"):
        bm.measures(END, 10_000, cin=broken)
