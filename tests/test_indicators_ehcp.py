"""EHC plan indicators on hand-made SEN2 tables: each number can be worked out by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd

from d2i_examples.indicators import ehcp
from d2i_examples.indicators import ehcp_social_care as sc
from d2i_examples.spec.upn import check_letter, is_valid_upn

T = pd.Timestamp
NAT = pd.NaT


def upn(digits: str) -> str:
    return check_letter(digits) + digits


U1, U2, U3, U4 = (upn(f"8162001150{n:02d}") for n in (1, 2, 3, 4))


def sen2(rows):
    """Loaded-SEN2-like frames from (upn, received, outcome, decided, ass_outcome,
    ass_date, week20, plan_start, cease, reason, need) rows, one person each."""
    person, requests, assessments, plans, needs = [], [], [], [], []
    for pid, (u, rec, out, dec, aout, adate, w20, start, cease, reason, need) in enumerate(
            rows, start=1):
        person.append({"person_id": pid, "UPN": u, "PersonBirthDate": T("2015-01-01"),
                       "Sex": "M"})
        requests.append({"person_id": pid, "request_id": 1, "ReceivedDate": rec,
                         "RequestOutcome": out, "RequestOutcomeDate": dec,
                         "RequestMediation": "1" if out == "B" else np.nan,
                         "RequestTribunal": np.nan})
        if aout is not None or w20 is not None:
            assessments.append({"person_id": pid, "request_id": 1, "assessment_id": 1,
                                "AssessmentOutcome": aout, "AssessmentOutcomeDate": adate,
                                "Week20": w20})
        if start is not None:
            plans.append({"person_id": pid, "request_id": 1, "assessment_id": 1,
                          "StartDate": start, "CeaseDate": cease, "CeaseReason": reason})
            needs.append({"person_id": pid, "request_id": 1, "SENtype": need,
                          "SENtypeRank": "1"})
    cols = {"assessments": ["person_id", "request_id", "assessment_id", "AssessmentOutcome",
                            "AssessmentOutcomeDate", "Week20"],
            "plans": ["person_id", "request_id", "assessment_id", "StartDate", "CeaseDate",
                      "CeaseReason"],
            "sen_needs": ["person_id", "request_id", "SENtype", "SENtypeRank"]}
    return {"person": pd.DataFrame(person), "requests": pd.DataFrame(requests),
            "assessments": pd.DataFrame(assessments, columns=cols["assessments"]),
            "plans": pd.DataFrame(plans, columns=cols["plans"]),
            "sen_needs": pd.DataFrame(needs, columns=cols["sen_needs"])}


ROWS = [
    # on time, no exception: 3 + 9 + 6 = 18 weeks
    (U1, T("2025-01-06"), "A", T("2025-01-27"), "A", T("2025-03-31"), "0", T("2025-05-12"),
     NAT, None, "ASD"),
    # late, no exception: 30 weeks
    (U2, T("2025-01-06"), "A", T("2025-02-17"), "A", T("2025-05-05"), "0", T("2025-08-04"),
     NAT, None, "SEMH"),
    # late, exception applies: 25 weeks
    (U3, T("2025-02-03"), "A", T("2025-03-03"), "A", T("2025-06-02"), "1", T("2025-07-28"),
     NAT, None, "ASD"),
    # refused, with mediation
    (U4, T("2025-03-03"), "B", T("2025-04-07"), None, NAT, None, None, NAT, None, None),
    # historical plan, ceased in 2025 (needs met)
    (None, NAT, np.nan, NAT, "H", NAT, None, T("2019-09-01"), T("2025-07-20"), "2", "MLD"),
    # on time but Week20 blank: 10 weeks
    (upn("816200115006"), T("2025-04-07"), "A", T("2025-04-28"), "A", T("2025-05-26"), None,
     T("2025-06-16"), NAT, None, "SLCN"),
]


def table():
    return ehcp.requests_table(sen2(ROWS))


def test_timeliness_with_and_without_exceptions():
    t = ehcp.timeliness(table()).set_index("year").loc[2025]
    assert t["plans"] == 4 and t["within_20"] == 2
    assert t["pct_including_exceptions"] == 50.0
    # without exceptions: the two plans with Week20 = 0, one on time
    assert t["plans_without_exceptions"] == 2 and t["within_20_without_exceptions"] == 1
    assert t["pct_excluding_exceptions"] == 50.0
    assert t["exceptions_unknown"] == 1


def test_timeliness_by_need_splits_the_plans():
    t = ehcp.timeliness(table(), by="primary_need").set_index("primary_need")
    assert t.loc["ASD", "plans"] == 2 and t.loc["ASD", "within_20"] == 1
    assert t.loc["SEMH", "pct_including_exceptions"] == 0.0


def test_stage_weeks_add_up_to_the_whole_wait():
    stages = ehcp.stage_weeks(table(), 2025)
    assert len(stages) == 12  # four plans, three stages each
    first = stages[stages["person_id"].eq(1)].set_index("stage")["weeks"]
    assert first.tolist() == [3.0, 9.0, 6.0]  # 18 weeks in all
    summary = ehcp.stage_summary(stages).set_index("stage")
    assert list(summary.index) == list(ehcp.STAGES)
    # request to decision: 3, 6, 4 and 3 weeks
    assert summary.loc[ehcp.STAGES[0], "median_weeks"] == 3.5


def test_refusals_and_ceased_plans_count_the_years_decisions():
    r = ehcp.refusals(table(), 2025).set_index("request_outcome")
    assert r.loc["A", "requests"] == 4 and r.loc["B", "requests"] == 1
    assert r.loc["B", "pct"] == 20.0 and r.loc["B", "mediation"] == 1
    c = ehcp.ceased_plans(table(), 2025)
    assert list(c["cease_reason"]) == ["2"] and c["meaning"].iloc[0].endswith("needs being met without an EHC plan")


def test_historical_plans_are_not_new_plans():
    plans = ehcp.new_plans(table())
    assert plans["historical"].sum() == 0 and len(plans) == 4


def test_date_problems_list_plans_before_their_request():
    rows = [*ROWS[:1], (U2, T("2025-05-01"), "A", T("2025-06-01"), "A", T("2025-07-01"), "0",
                        T("2025-04-01"), NAT, None, "ASD")]
    problems = ehcp.date_problems(ehcp.requests_table(sen2(rows)))
    assert list(problems["problem"]) == ["plan issued before the request"]
    assert problems["upn"].iloc[0] == U2


def test_status_on_the_census_date():
    requests = table()
    pending = requests.iloc[[0]].assign(upn=upn("816200115009"), plan_start=NAT,
                                        assessment_outcome=np.nan,
                                        assessment_decided=NAT, received=T("2025-12-01"),
                                        request_decided=NAT, request_outcome=np.nan)
    status = sc.ehcp_status(pd.concat([requests, pending]), T("2026-01-15")).set_index("upn")
    assert status.loc[U1, "status"] == "EHC plan" and bool(status.loc[U1, "plan_within_20"])
    assert status.loc[U4, "status"] == "none"
    assert status.loc[upn("816200115009"), "status"] == "request pending"


def test_matching_on_upn_and_its_diagnostics():
    bad = U1[:-1] + str((int(U1[-1]) + 1) % 10)
    assert is_valid_upn(U1) and not is_valid_upn(bad)
    cin = {"ChildIdentifiers": pd.DataFrame({"LAchildID": ["C1", "C2", "C3", "C4"],
                                             "UPN": [U1.lower() + " ", bad, "UN1", U4]})}
    ssda903 = {"header": pd.DataFrame({"CHILD": ["C4", "C5"], "UPN": [U4, U3]}),
               "episodes": pd.DataFrame({"CHILD": ["C4", "C5"], "DECOM": [T("2025-05-01")] * 2,
                                         "DEC": [NAT, NAT]})}
    kids = sc.social_care_children(cin, ssda903, "2026-03-31")
    assert kids.set_index("child").loc["C4", ["cin", "cla"]].tolist() == [True, True]
    sen2_upns = pd.Series([U1, U2, U3, U4, U4, None])
    diag = sc.match_diagnostics(sen2_upns, kids)
    assert diag.loc["no UPN (blank or unknown code)", "SEN2"] == 1
    assert diag.loc["duplicate UPN", "SEN2"] == 1
    assert diag.loc["invalid UPN (check letter does not fit)", "social care"] == 1
    assert diag.loc["matched", "social care"] == 3  # U1 (cleaned), U4, U3
    status = sc.ehcp_status(table(), T("2026-01-15"))
    linked = sc.social_care_with_ehcp(kids, status).set_index("child")
    assert linked.loc["C1", "status"] == "EHC plan"  # matched despite case and space
    assert linked.loc["C2", "status"] == "no usable UPN"
    shares = sc.shares_by_group(sc.social_care_with_ehcp(kids, status)).set_index("group")
    # looked after: C4 (refused: none) and C5 (U3, plan) -> 1 of 2 with a plan
    assert shares.loc["looked after", "pct_ehc_plan"] == 50.0
    assert shares.loc["all children in need", "children"] == 5


def test_refusals_count_requests_by_the_year_they_were_received():
    rows = [
        # received in 2024, refused in January 2025: belongs to 2024
        (U1, T("2024-12-16"), "B", T("2025-01-20"), None, NAT, None, None, NAT, None, None),
        # received in 2025, refused in 2025
        (U2, T("2025-03-03"), "B", T("2025-04-07"), None, NAT, None, None, NAT, None, None),
        # received in 2025, decided to assess in January 2026: still a 2025 request
        (U3, T("2025-12-15"), "A", T("2026-01-19"), None, NAT, None, None, NAT, None, None),
        # received in 2025, not yet decided at the census
        (U4, T("2025-12-29"), np.nan, NAT, None, NAT, None, None, NAT, None, None),
    ]
    r = ehcp.refusals(ehcp.requests_table(sen2(rows)), 2025).set_index("request_outcome")
    assert r["requests"].sum() == 3
    assert r.loc["B", "requests"] == 1 and round(r.loc["B", "pct"], 1) == 33.3
    assert r.loc["", "meaning"] == "not yet decided at the census"
    assert ehcp.refusals(ehcp.requests_table(sen2(rows)), 2024)["requests"].sum() == 1


def test_a_year_without_a_new_plan_is_said_so_not_a_crash():
    """ehc-plans-timeliness took `this_year.iloc[0]`: an IndexError for a council with no
    new plan in the activity year (a small one, or an early extract)."""
    overall = ehcp.timeliness(table())
    assert 2024 not in set(overall["year"])
    row = ehcp.year_timeliness(overall, 2024)
    assert row["plans"] == 0 and np.isnan(row["pct_excluding_exceptions"])
    assert "No new EHC plan was issued in 2024" in ehcp.timeliness_sentences(row)
    this_year = ehcp.timeliness_sentences(ehcp.year_timeliness(overall, 2025))
    assert "1 of 2 new plans without exceptions" in this_year and "50.0%" in this_year
    stages = ehcp.stage_weeks(table(), 2024)
    assert ehcp.slowest_stage(ehcp.stage_summary(stages)).startswith("No new plan")
    assert ehcp.slowest_stage(ehcp.stage_summary(ehcp.stage_weeks(table(), 2025))).startswith(
        "The longest stage is")

    from d2i_examples import charts

    _, alt = charts.ehcp.stage_weeks(ehcp.stage_summary(stages))
    assert alt.startswith("No stage to time")


def test_groups_left_out_names_the_needs_below_min_plans_and_why():
    by_need = pd.DataFrame({"year": 2025, "primary_need": ["ASD", "MLD", "SEMH", "VI"],
                            "plans_without_exceptions": [12, 3, 1, 0]})
    said = ehcp.groups_left_out(by_need, "primary_need", "Primary need", 5)
    assert said.startswith("Left out of the comparison by primary need: MLD (3), SEMH (1), "
                           "with fewer than min_plans=5")
    assert "VI" not in said  # no plan at all: nothing to leave out
    assert ehcp.groups_left_out(by_need, "primary_need", "Primary need", 1) == ""
    none = ehcp.groups_left_out(by_need, "primary_need", "Primary need", 20)
    assert none.startswith("No primary need had 20 or more") and "the most was 12" in none
    empty = ehcp.groups_left_out(by_need.iloc[0:0], "primary_need", "Primary need", 5)
    assert "the most was 0, across 0 groups" in empty
