"""The simulation: reproducible, internally consistent, and near the profile's rates."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from d2i_examples.synth import DEFAULT_PROFILE, simulate
from d2i_examples.synth.calendar import add_years, age_on, day
from d2i_examples.synth.rates import yearly_rates

# The contract other writers rely on (see the simulate module docstring).
CONTRACT = {
    "children": ["child_id", "sex", "dob", "ethnicity", "upn", "disabilities", "disabled",
                 "uasc", "uasc_ceased", "home_postcode", "first_child_dob", "first_seen"],
    "contacts": ["child_id", "contact_id", "contact_date", "source", "outcome", "referral_id"],
    "early_help": ["child_id", "early_help_id", "start_date", "end_date", "organisation",
                   "contact_id"],
    "referrals": ["child_id", "referral_id", "contact_id", "referral_date", "source", "nfa",
                  "primary_need", "closure_date", "closure_reason", "case_number"],
    "assessments": ["child_id", "assessment_id", "referral_id", "start_date",
                    "authorisation_date", "factors", "child_seen", "needs_support"],
    "s47": ["child_id", "s47_id", "referral_id", "start_date", "icpc_target_date",
            "icpc_date", "icpc_not_required", "cp_plan"],
    "cin_plans": ["child_id", "cin_plan_id", "referral_id", "start_date", "end_date"],
    "cp_plans": ["child_id", "cp_plan_id", "referral_id", "start_date", "end_date",
                 "initial_category", "latest_category", "previous_plans"],
    "cp_reviews": ["child_id", "cp_plan_id", "review_date"],
    "care_periods": ["child_id", "period_id", "start_date", "end_date", "reason_ceased",
                     "route", "referral_id", "cin_code"],
    "episodes": ["child_id", "period_id", "episode_number", "decom", "rne", "ls", "cin",
                 "place", "place_provider", "dec", "rec", "reason_place_change", "home_post",
                 "pl_post", "urn"],
    "cla_reviews": ["child_id", "period_id", "review_date", "review_code"],
    "missing": ["child_id", "period_id", "missing_type", "start_date", "end_date"],
    "health_checks": ["child_id", "period_id", "check", "check_date"],
    "cla_outcomes": ["child_id", "collection_year", "sdq_score", "sdq_reason", "convicted",
                     "immunisations", "development_checks", "substance_misuse",
                     "intervention_received", "intervention_offered"],
    "care_leavers": ["child_id", "collection_year", "birthday", "age", "in_touch", "activity",
                     "accommodation", "eligibility"],
    "adoption": ["child_id", "period_id", "decision_date", "placement_order_date",
                 "match_date", "placed_date", "adoption_date", "decision_ceased_date",
                 "decision_ceased_reason", "foster_care", "number_adopters", "sex_adopters",
                 "ls_adopters"],
    "social_workers": ["child_id", "sw_id", "start_date", "end_date", "reason", "referral_id"],
    "previous_permanence": ["child_id", "period_id", "prev_perm", "la_perm", "date_perm"],
}


@pytest.fixture(scope="module")
def j():
    return simulate(DEFAULT_PROFILE, seed=11, start_year=2024, end_year=2026)


def test_tables_follow_the_contract(j):
    tables = j.tables()
    assert {k: list(v.columns) for k, v in tables.items()} == CONTRACT
    ids = j.children["child_id"]
    assert ids.is_unique and ids.str.fullmatch(r"SYN\d{6}").all()
    for name, df in tables.items():
        assert df["child_id"].isin(ids).all(), name
        for c in df.columns:
            future_ok = c in ("uasc_ceased", "icpc_target_date")  # dates due, not events
            if pd.api.types.is_datetime64_any_dtype(df[c]) and not future_ok:
                assert (df[c].dropna() <= j.window_end).all(), (name, c)


def test_same_seed_same_frames_other_seed_other_frames(j):
    again = simulate(DEFAULT_PROFILE, seed=11, start_year=2024, end_year=2026)
    for name, df in j.tables().items():
        pd.testing.assert_frame_equal(df, again.tables()[name], obj=name)
    other = simulate(DEFAULT_PROFILE, seed=12, start_year=2024, end_year=2026)
    assert not other.episodes.equals(j.episodes)
    assert not other.children["dob"].equals(j.children["dob"])


def test_children_are_plausible(j):
    ch = j.children
    assert set(ch["sex"]) == {"M", "F"}
    assert (ch["dob"] < ch["first_seen"]).all()
    upn = ch["upn"]
    assert upn.is_unique and upn.str.fullmatch(r"[A-Z]816\d{9}").all()
    # DfE check letter: weights 2..13 on characters 2..13, remainder of 23
    letters = "ABCDEFGHJKLMNPQRTUVWXYZ"
    check = upn.map(lambda u: letters[sum(int(c) * w for c, w in zip(u[1:], range(2, 14))) % 23])
    assert (check == upn.str[0]).all()
    uasc = ch[ch["uasc"]]
    assert uasc["home_postcode"].isna().all() and ch.loc[~ch["uasc"], "home_postcode"].notna().all()
    assert ((uasc["uasc_ceased"] - uasc["dob"]).dt.days // 365 == 18).all()


def test_episodes_are_consistent(j):
    e = j.episodes.merge(j.children[["child_id", "dob"]], on="child_id")
    e = e.sort_values(["child_id", "decom"])
    dec = e["dec"].fillna(j.window_end + pd.Timedelta(days=1))
    assert (dec > e["decom"]).all()                         # no empty or reversed episodes
    nxt = e.groupby("child_id")["decom"].shift(-1)
    assert (nxt.isna() | (nxt >= dec)).all()                # no overlaps
    same_period = e["period_id"].eq(e.groupby("child_id")["period_id"].shift(-1))
    assert (nxt[same_period] == dec[same_period]).all()     # periods are contiguous
    first = ~e["period_id"].eq(e.groupby("child_id")["period_id"].shift())
    assert (e.loc[first, "rne"] == "S").all() and (e.loc[~first, "rne"] != "S").all()
    assert (e.loc[same_period, "rec"] == "X1").all()
    assert (e.loc[~same_period & e["dec"].notna(), "rec"] != "X1").all()
    # the episode number counts a child's episodes in date order
    assert (e.groupby("child_id")["episode_number"].diff().dropna() == 1).all()
    dob = e["dob"].to_numpy("datetime64[D]").astype(np.int64)
    start = e["decom"].to_numpy("datetime64[D]").astype(np.int64)
    age = age_on(dob, start)
    assert (start > dob).all() and (age < 18).all()
    assert (age[e["place"].eq("K3").to_numpy()] >= 16).all()
    assert (age[e["ls"].str.startswith("J").to_numpy()] >= 10).all()
    assert e.loc[e["place"].eq("P1"), "ls"].isin(["C1", "C2"]).all()
    assert (e.loc[e["place"].eq("P1"), "place_provider"] == "PR0").all()
    assert (e.loc[e["place"].ne("P1"), "pl_post"] != e.loc[e["place"].ne("P1"), "home_post"]).all()
    # care ends by the 18th birthday
    end = e["dec"].dropna()
    bday18 = add_years(e.loc[end.index, "dob"].to_numpy("datetime64[D]").astype(np.int64), 18)
    assert (end.to_numpy("datetime64[D]").astype(np.int64) <= bday18).all()
    assert (e.loc[e["rec"].eq("E17"), "dec"] >= e.loc[e["rec"].eq("E17"), "dob"]
            + pd.DateOffset(years=18)).all()


def test_cases_are_consistent(j):
    ref = j.referrals.sort_values(["child_id", "referral_date"])
    closed = ref["closure_date"].fillna(j.window_end + pd.Timedelta(days=1))
    assert (closed >= ref["referral_date"]).all()
    nxt = ref.groupby("child_id")["referral_date"].shift(-1)
    assert (nxt.isna() | (nxt > closed)).all()               # one open case at a time
    assert ref.loc[ref["nfa"], "closure_date"].eq(ref.loc[ref["nfa"], "referral_date"]).all()
    by_ref = ref.set_index("referral_id")["referral_date"]
    a = j.assessments
    assert (a["start_date"] >= a["referral_id"].map(by_ref)).all()
    assert (a["authorisation_date"].isna() | (a["authorisation_date"] >= a["start_date"])).all()
    cp = j.cp_plans
    assert (cp["start_date"] >= cp["referral_id"].map(by_ref)).all()
    assert (cp["end_date"].isna() | (cp["end_date"] > cp["start_date"])).all()
    cin = j.cin_plans
    assert (cin["end_date"].isna() | (cin["end_date"] > cin["start_date"])).all()
    s = j.s47
    assert (s["icpc_date"].isna() | (s["icpc_date"] > s["start_date"])).all()
    assert (s.loc[s["cp_plan"], "icpc_date"].notna()).all()
    per = j.care_periods.sort_values(["child_id", "start_date"])
    nxt = per.groupby("child_id")["start_date"].shift(-1)
    assert (nxt.isna() | (nxt > per["end_date"])).all()
    rev = j.cla_reviews.merge(per[["period_id", "start_date", "end_date"]], on="period_id")
    assert (rev["review_date"] > rev["start_date"]).all()
    assert (rev["end_date"].isna() | (rev["review_date"] < rev["end_date"])).all()


def test_rates_are_near_the_profile():
    # a bigger authority so that yearly rates are stable; bands around national figures
    big = simulate(DEFAULT_PROFILE.scaled(150_000), seed=3, start_year=2025, end_year=2026)
    r = yearly_rates(big, 2026)
    assert 450 <= r["referrals"] <= 600                      # profile: 520
    assert 0.15 <= r["rereferral_share"] <= 0.30             # national: 22.6%
    assert 280 <= r["cin_31_march"] <= 400                   # national: about 330
    assert 30 <= r["cp_31_march"] <= 55                      # national: about 41
    assert 50 <= r["cla_31_march"] <= 85                     # national: 67
    assert 18 <= r["care_starters"] <= 32                    # profile: 25
    assert 0.6 <= r["fostered_share"] <= 0.8                 # national: about 70%
    assert 1_500 <= r["contacts"] <= 2_100                   # profile: 1,800


def test_calendar_helpers():
    leap = np.array([day("2008-02-29")])
    assert add_years(leap, 1)[0] == day("2009-02-28")
    assert add_years(leap, 4)[0] == day("2012-02-29")
    dob = np.array([day("2008-02-29")] * 2)
    assert age_on(dob, np.array([day("2026-02-27"), day("2026-02-28")])).tolist() == [17, 18]


def test_years_in_the_wrong_order_are_refused():
    with pytest.raises(ValueError, match="before start_year"):
        simulate(DEFAULT_PROFILE, seed=0, start_year=2026, end_year=2025)
