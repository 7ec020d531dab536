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
            "icpc_date", "icpc_not_required", "cp_plan", "end_date"],
    "cin_plans": ["child_id", "cin_plan_id", "referral_id", "start_date", "end_date"],
    "cp_plans": ["child_id", "cp_plan_id", "referral_id", "start_date", "end_date",
                 "initial_category", "latest_category", "previous_plans"],
    "cp_reviews": ["child_id", "cp_plan_id", "review_date"],
    "care_periods": ["child_id", "period_id", "start_date", "end_date", "reason_ceased",
                     "route", "referral_id", "cin_code", "permanence_plan"],
    "episodes": ["child_id", "period_id", "episode_number", "decom", "rne", "ls", "cin",
                 "place", "place_provider", "dec", "rec", "reason_place_change", "home_post",
                 "pl_post", "urn"],
    "cla_reviews": ["child_id", "period_id", "review_date", "review_code"],
    "missing": ["child_id", "period_id", "missing_type", "start_date", "end_date",
                "return_interview_offered", "return_interview_accepted"],
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
    "visits": ["child_id", "kind", "visit_date", "seen_alone"],
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


# --- timescales, visits, permanence ---------------------------------------------------

def _in_year(dates: pd.Series, year: int) -> pd.Series:
    return dates.between(pd.Timestamp(f"{year - 1}-04-01"), pd.Timestamp(f"{year}-03-31"))


def test_assessments_and_conferences_mostly_in_time(j):
    """DfE, Children in need 2025: about 83% of assessments within 45 working days; most
    initial conferences within 15 working days of the strategy discussion. Counted with the
    indicators' own working-day calendar."""
    from d2i_examples.indicators.working_days import working_days_between

    a = j.assessments[_in_year(j.assessments["authorisation_date"], 2026)]
    wd = working_days_between(a["start_date"], a["authorisation_date"])
    assert 0.75 <= (wd <= 45).mean() <= 0.90
    assert (wd > 60).sum() > 0                                # late ones exist
    s = j.s47[_in_year(j.s47["icpc_date"], 2026)]
    wd = working_days_between(s["start_date"], s["icpc_date"])
    assert 0.68 <= (wd <= 15).mean() <= 0.92
    assert (wd > 15).sum() > 0


def test_no_overdue_work_is_open_on_a_31_march(j):
    """Work past its timescale is finished by the census date (late but not left open):
    no assessment open on any 31 March after 45 working days, no conference still awaited
    after 15."""
    from d2i_examples.indicators.working_days import working_days_between

    a, s = j.assessments, j.s47
    for year in range(2006, 2027):
        march = pd.Timestamp(f"{year}-03-31")
        open_a = a[(a["start_date"] <= march) & ~(a["authorisation_date"] <= march)]
        assert (working_days_between(open_a["start_date"], march) < 44).all(), year
        awaited = s[(s["start_date"] <= march) & (s["icpc_date"] > march)]
        assert (working_days_between(awaited["start_date"], march) < 14).all(), year


def test_enquiries_end_with_their_conference_or_the_decision_not_to_hold_one(j):
    s = j.s47.merge(j.assessments[["referral_id", "start_date", "authorisation_date"]],
                    on="referral_id", suffixes=("", "_assessment"))
    held = s["icpc_date"].notna()
    assert (s.loc[held, "end_date"] == s.loc[held, "icpc_date"]).all()
    # the assessment of an enquiry that went to conference is authorised at or after it
    auth = s.loc[held, "authorisation_date"]
    assert (auth.isna() | (auth >= s.loc[held, "icpc_date"])).all()
    no = s[~held & s["end_date"].notna()]
    assert (no["end_date"] <= no["start_date"] + pd.Timedelta(days=20)).all()
    auth = no["authorisation_date"]
    assert (auth.isna() | (no["end_date"] <= auth)).all()
    assert (s["icpc_not_required"] == (~held & s["end_date"].notna())).all()


def _within(events: pd.DataFrame, date: str, spans: pd.DataFrame, start: str, end: str,
            open_until: pd.Timestamp) -> pd.Series:
    """For each event: whether a span of the same child (start..end, open if missing)
    holds its date."""
    ev = events.reset_index(drop=True).rename_axis("event").reset_index()
    m = ev[["event", "child_id", date]].merge(spans[["child_id", start, end]], on="child_id")
    inside = (m[date] >= m[start]) & (m[date] <= m[end].fillna(open_until))
    return ev["event"].isin(m.loc[inside, "event"])


def test_visits_happen_within_the_plan_or_period_they_belong_to(j):
    v = j.visits
    assert set(v["kind"]) == {"cp", "cla", "cin", "iro"}
    assert (v["visit_date"] <= j.window_end).all()
    assert not v.duplicated(["child_id", "kind", "visit_date"]).any()
    end = j.window_end
    assert _within(v[v["kind"] == "cp"], "visit_date", j.cp_plans, "start_date", "end_date",
                   end).all()
    for kind in ("cla", "iro"):
        assert _within(v[v["kind"] == kind], "visit_date", j.care_periods, "start_date",
                       "end_date", end).all(), kind
    cin_spans = pd.concat([
        j.assessments.rename(columns={"authorisation_date": "end_date"}),
        j.cin_plans], ignore_index=True)
    assert _within(v[v["kind"] == "cin"], "visit_date", cin_spans, "start_date", "end_date",
                   end).all()
    # the under-4s are never seen alone; older children mostly are on statutory visits
    dob = v["child_id"].map(j.children.set_index("child_id")["dob"])
    young = v["visit_date"] < dob + pd.DateOffset(years=4)
    assert not v.loc[young, "seen_alone"].any()
    statutory = v["kind"].isin(["cp", "cla"]) & ~young
    assert 0.7 <= v.loc[statutory, "seen_alone"].mean() <= 0.9


def test_visits_are_mostly_on_time(j):
    """Child protection visits every 10 working days (a common local standard); children
    looked after visited within a week of a new placement (Care Planning Regulations 2010,
    regulation 28)."""
    from d2i_examples.indicators.working_days import working_days_between

    cp = j.visits[j.visits["kind"] == "cp"].merge(
        j.cp_plans[["child_id", "cp_plan_id", "start_date", "end_date"]], on="child_id")
    cp = cp[(cp["visit_date"] >= cp["start_date"])
            & (cp["end_date"].isna() | (cp["visit_date"] <= cp["end_date"]))]
    cp = cp.sort_values(["cp_plan_id", "visit_date"])
    prev = cp.groupby("cp_plan_id")["visit_date"].shift()
    gaps = working_days_between(prev[prev.notna()], cp.loc[prev.notna(), "visit_date"])
    assert 0.8 <= (gaps <= 10).mean() <= 0.97
    assert (gaps > 10).any()
    starts = j.episodes[j.episodes["rne"] != "L"][["child_id", "decom"]]
    starts = starts[starts["decom"] < j.window_end - pd.Timedelta(days=14)]
    cla = j.visits[j.visits["kind"] == "cla"]
    m = starts.merge(cla, on="child_id")
    m = m[(m["visit_date"] >= m["decom"])]
    first = m.groupby(["child_id", "decom"])["visit_date"].min()
    days = (first - first.index.get_level_values("decom")).dt.days
    assert (days <= 7).mean() >= 0.85


def test_return_interviews_mostly_offered_about_half_accepted(j):
    m = j.missing
    ended = m["end_date"].notna()
    assert m.loc[~ended, "return_interview_offered"].isna().all()
    offered = m.loc[ended, "return_interview_offered"].astype(bool)
    accepted = m.loc[ended, "return_interview_accepted"].astype(bool)
    assert 0.8 <= offered.mean() <= 0.9
    assert not (accepted & ~offered).any()
    assert 0.42 <= accepted[offered].mean() <= 0.62


def test_every_period_of_care_has_a_permanence_plan_fitting_how_it_ends(j):
    from d2i_examples.synth.care import PERMANENCE_PLANS

    per = j.care_periods
    assert per["permanence_plan"].isin(PERMANENCE_PLANS).all()
    assert per["permanence_plan"].nunique() == len(PERMANENCE_PLANS)
    by_exit = per.groupby("reason_ceased")["permanence_plan"].agg(set)
    assert by_exit[["E11", "E12"]].map(lambda s: s == {"Adoption"}).all()
    assert all(by_exit.get(e, {"SGO/CAO"}) == {"SGO/CAO"} for e in ("E41", "E45", "E46", "E47",
                                                                    "E48"))
    assert by_exit["E4A"] == {"Return to family"}
    assert by_exit["E17"] == {"Long-term fostering"}
    assert "Adoption" not in set().union(*by_exit.drop(["E11", "E12"]))


def test_population_by_ethnicity_shares_out_the_profile():
    from d2i_examples.synth.profile import UNRECORDED_ETHNICITY, population_by_ethnicity

    small = DEFAULT_PROFILE.scaled(1_001)
    pop = population_by_ethnicity(small)
    assert list(pop.columns) == ["ethnicity", "population"]
    assert pop["population"].sum() == 1_001
    assert not pop["ethnicity"].isin(UNRECORDED_ETHNICITY).any()
    shares = pd.Series(small.population_ethnicity).drop(list(UNRECORDED_ETHNICITY))
    expected = shares / shares.sum() * 1_001
    assert (pop.set_index("ethnicity")["population"] - expected).abs().max() < 1


def test_profile_from_file(tmp_path):
    from d2i_examples.errors import DataError
    from d2i_examples.synth.profile import profile_from_file

    good = tmp_path / "p.yml"
    good.write_text("population_0_17: 5000\nreferrals_per_10k: 600\nla_code: '999'\n")
    p = profile_from_file(good)
    assert (p.population_0_17, p.referrals_per_10k, p.la_code) == (5000, 600.0, "999")
    assert p.contacts_per_10k == DEFAULT_PROFILE.contacts_per_10k
    for text, problem in [("referals_per_10k: 600\n", "does not know"),
                          ("population_0_17: many\n", "wrong kind"),
                          ("- 1\n- 2\n", "not a mapping")]:
        bad = tmp_path / "bad.yml"
        bad.write_text(text)
        with pytest.raises(DataError, match=problem):
            profile_from_file(bad)


def _as_903(episodes: pd.DataFrame, children: pd.DataFrame) -> pd.DataFrame:
    e = episodes.merge(children[["child_id", "dob"]], on="child_id")
    return e.rename(columns={"child_id": "CHILD", "dob": "DOB", "decom": "DECOM", "rne": "RNE",
                             "ls": "LS", "dec": "DEC"})


def test_no_care_order_is_made_for_a_child_of_17(j):
    """Children Act 1989 s31(3), the rule in tests/care_orders.py, over a fresh council."""
    from tests.care_orders import care_orders_broken

    e = _as_903(j.episodes, j.children)
    broken = care_orders_broken(e, j.window_end)
    assert broken.empty, broken[["CHILD", "DOB", "DECOM", "RNE", "LS", "DEC", "why"]]
    # children of 17 still come into care: under section 20 (or emergency powers, remand)
    age = age_on(e["DOB"].to_numpy("datetime64[D]").astype(np.int64),
                 e["DECOM"].to_numpy("datetime64[D]").astype(np.int64))
    starts_17 = e[(age >= 17) & e["RNE"].eq("S").to_numpy()]
    assert len(starts_17) > 0 and starts_17["LS"].eq("V2").mean() > 0.5
    # an interim order running on the 17th birthday gives way to section 20 that day
    bday17 = e["DOB"] + pd.DateOffset(years=17)
    lapsed = e[e["RNE"].isin(["L", "B", "U"]) & e["DECOM"].eq(bday17) & e["LS"].eq("V2")]
    assert len(lapsed) > 0
    # a full care order made before 17 runs on past it
    assert (e["LS"].eq("C2") & (e["DECOM"] >= bday17) & e["RNE"].isin(["P", "T"])).any()


def test_the_care_order_rule_reads_rne_codes_precisely():
    from tests.care_orders import care_orders_broken

    dob = pd.Timestamp("2008-06-01")  # 17 on 1 June 2025
    rows = [  # child, DECOM, RNE, LS, DEC
        ("A", "2025-07-01", "S", "C1", "2025-08-01"),   # made at 17: broken
        ("B", "2024-01-01", "S", "C1", "2024-10-01"),   # interim order at 15/16...
        ("B", "2024-10-01", "L", "C2", "2025-09-01"),   # ...full order before 17: fine
        ("B", "2025-09-01", "P", "C2", None),           # placement change at 17: runs on
        ("C", "2024-01-01", "S", "C1", "2025-06-01"),   # interim order ends on the birthday
        ("C", "2025-06-01", "L", "V2", None),           # section 20 from the birthday: fine
        ("D", "2024-01-01", "S", "C1", "2025-07-01"),   # interim order past 17: broken
        ("D", "2025-07-01", "U", "C2", None),           # full order at 17, same carer: broken
        ("E", "2024-01-01", "S", "C2", "2025-07-01"),   # full order before 17...
        ("E", "2025-07-01", "L", "J1", "2025-08-01"),   # ...remanded at 17...
        ("E", "2025-08-01", "L", "C2", None),           # ...the same order resumes: fine
        ("F", "2025-07-01", "B", "C2", None),           # first in the data, status changed: broken
    ]
    e = pd.DataFrame(rows, columns=["CHILD", "DECOM", "RNE", "LS", "DEC"])
    e["DOB"] = dob
    e["DECOM"] = pd.to_datetime(e["DECOM"])
    e["DEC"] = pd.to_datetime(e["DEC"])
    broken = care_orders_broken(e, pd.Timestamp("2026-03-31"))
    assert sorted(zip(broken["CHILD"], broken["RNE"], broken["why"])) == [
        ("A", "S", "order made at 17"), ("D", "S", "interim order past 17"),
        ("D", "U", "order made at 17"), ("F", "B", "order made at 17")]


def test_episodes_hold_changes_that_are_not_moves(j):
    """Temporary placements with the return to the same carer, and foster carers moving
    house (RNE T), so the examples can show moves counted the DfE's way."""
    e = j.episodes.sort_values(["child_id", "decom"]).reset_index(drop=True)
    temporary = e["place"].isin(["T0", "T1", "T2", "T3", "T4"])
    assert temporary.sum() >= 5
    before, after = e.shift(), e.shift(-1)
    inside = temporary & after["period_id"].eq(e["period_id"])
    # into and out of a temporary placement: RNE P, back to the same placement and carer,
    # with no reason for placement change on either side (903 rules 225, 226, 380, 383)
    assert (e.loc[temporary, "rne"] == "P").all()
    assert (after.loc[inside, "rne"] == "P").all()
    assert (after.loc[inside, "place"] == before.loc[inside, "place"]).all()
    assert (after.loc[inside, "pl_post"] == before.loc[inside, "pl_post"]).all()
    assert e.loc[temporary, "reason_place_change"].isna().all()
    assert before.loc[temporary, "reason_place_change"].isna().all()
    assert e.loc[temporary, "place_provider"].isna().all()  # rule 213
    # a foster carer moving house: same carer (provider, URN), new postcode
    moved = e["rne"].eq("T") & e["place"].isin(["U1", "U2", "U3", "U4", "U5", "U6"])
    assert moved.sum() >= 3
    assert (e.loc[moved, "place_provider"] == before.loc[moved, "place_provider"]).all()
    assert (e.loc[moved, "pl_post"] != before.loc[moved, "pl_post"]).all()
    assert (before.loc[moved, "reason_place_change"] == "PLACE").all()
