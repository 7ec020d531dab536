"""The synthetic SEN2: rates near the profile's, the same children as the other returns,
and a file that reads back as the specification says."""

from __future__ import annotations

import pandas as pd
import pytest

from d2i_examples.datasets.sen2 import read_sen2
from d2i_examples.spec.sen2 import activity_period, census_date
from d2i_examples.synth import simulate
from d2i_examples.synth.cin_census import cin_census_xml
from d2i_examples.synth.mistakes import plant_sen2_errors
from d2i_examples.synth.sen2 import sen2_xml
from d2i_examples.synth.send import simulate_send
from d2i_examples.synth.send_profile import DEFAULT_SEND_PROFILE

YEAR = 2026


@pytest.fixture(scope="module")
def council():
    journeys = simulate(seed=3, start_year=YEAR - 1, end_year=YEAR)
    return journeys, simulate_send(journeys)


@pytest.fixture(scope="module")
def frames(council, tmp_path_factory):
    journeys, send = council
    path = tmp_path_factory.mktemp("sen2") / "sen2.xml"
    path.write_bytes(sen2_xml(send, YEAR, journeys.profile.la_code))
    return read_sen2(path, collection_year=YEAR)


def test_the_send_history_is_reproducible_and_leaves_the_journeys_alone(council):
    journeys, send = council
    before = cin_census_xml(journeys, YEAR)
    again = simulate_send(journeys)
    pd.testing.assert_frame_equal(again.requests, send.requests)
    assert cin_census_xml(journeys, YEAR) == before


def test_rates_are_near_the_profile(council):
    journeys, send = council
    per10k = 10_000 / journeys.profile.population_0_17
    first, last = (pd.Timestamp(d) for d in activity_period(YEAR))
    census = pd.Timestamp(census_date(YEAR))
    plans = send.plans
    active = ((plans["start_date"] <= census)
              & (plans["cease_date"] > census)).sum() * per10k
    requests = send.requests["received_date"].between(first, last).sum() * per10k
    assert 380 < active < 700          # EHC plans 2025: about 520 per 10,000
    assert 85 < requests < 170         # about 127 per 10,000 in 2024
    new = send.requests[send.requests["plan_date"].between(first, last)
                        & ~send.requests["exception"]]
    weeks = (new["plan_date"] - new["received_date"]).dt.days / 7
    assert abs((weeks <= 20).mean() - DEFAULT_SEND_PROFILE.within_20_weeks_share) < 0.08


def test_children_in_care_and_in_need_have_plans_more_often(council):
    journeys, send = council
    with_plan = set(send.people.loc[send.people["person_id"].isin(send.plans["person_id"]),
                                    "child_id"].dropna())
    kids = journeys.children["child_id"]
    in_care = kids.isin(journeys.care_periods["child_id"])
    referred = kids.isin(journeys.referrals.loc[~journeys.referrals["nfa"], "child_id"])
    rate = {name: kids[group].isin(with_plan).mean() for name, group in
            (("cla", in_care), ("cin", referred & ~in_care), ("contact", ~referred & ~in_care))}
    assert rate["cla"] > 2 * rate["contact"] and rate["cin"] > 2 * rate["contact"]


def test_a_child_known_to_social_care_keeps_their_identifiers(council, frames):
    journeys, _ = council
    kids = journeys.children.set_index("upn")
    person = frames["person"].dropna(subset=["UPN"])
    shared = person[person["UPN"].isin(kids.index)]
    assert len(shared) > 50
    for row in shared.head(20).itertuples():
        child = kids.loc[row.UPN]
        assert pd.Timestamp(row.PersonBirthDate) == child["dob"]
        assert row.Sex == child["sex"] and row.Ethnicity == child["ethnicity"]
    # people new to the SEND history have UPNs no social care child has
    assert person["UPN"].is_unique


def test_the_file_follows_the_census_rules(frames):
    census = pd.Timestamp(census_date(YEAR))
    plans, requests = frames["plans"], frames["requests"]
    for frame, col in ((requests, "ReceivedDate"), (requests, "RequestOutcomeDate"),
                       (plans, "StartDate"), (plans, "CeaseDate")):
        assert (frame[col].dropna() <= census).all(), col
    assert (plans["CeaseDate"].dropna() >= plans["StartDate"].min()).all()
    historic = frames["assessments"]["AssessmentOutcome"].eq("H")
    assert historic.any() and frames["assessments"]["AssessmentOutcome"].isin(["A", "B"]).any()
    assert frames["active_plans"].merge(frames["sen_needs"]).shape[0] > 0
    assert set(frames["sen_needs"]["SENtypeRank"]) == {"1", "2"}


def test_planted_mistakes_are_logged_and_in_the_file(council, tmp_path):
    journeys, send = council
    xml = sen2_xml(send, YEAR, journeys.profile.la_code)
    planted, log = plant_sen2_errors(xml, 3, set(journeys.children["upn"]))
    assert planted != xml
    assert {"missing_upn", "upn_typo", "bad_need_code", "plan_before_request",
            "missing_week20", "duplicate_person"} == set(log["kind"])
    path = tmp_path / "sen2.xml"
    path.write_bytes(planted)
    frames = read_sen2(path, check_codes=False)
    assert (frames["sen_needs"]["SENtype"] == "AUT").sum() == (log["kind"] == "bad_need_code").sum()
    for row in log[log["kind"] == "upn_typo"].itertuples():
        assert (frames["person"]["UPN"] == row.new_value).sum() == 1
