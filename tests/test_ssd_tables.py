"""The SSD's pre-proceedings and EHCP tables: declared as the specification gives them,
filled from the simulation's records as known on the extract date, and optional for a
council's own SSD (tests/test_ssd_examples.py checks every table in ``tables.OPTIONAL``
is read as empty when missing)."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from d2i_examples.spec.sen2 import census_date
from d2i_examples.ssd import build
from d2i_examples.ssd.build import ssd_frames, write_ssd
from d2i_examples.ssd.tables import OPTIONAL, TABLES
from d2i_examples.synth import DEFAULT_PROFILE, simulate
from d2i_examples.synth.cin_census import census_episodes
from d2i_examples.synth.sen2 import sen2_tables
from d2i_examples.synth.send import SendJourneys, simulate_send

# column names and SQL types as ssd-data-model's object files and deployment scripts give them
SPEC = {
    "ssd_pre_proceedings": (
        "prep_table_id", ["prep_table_id", "prep_person_id", "prep_plo_family_id",
                          "prep_pre_pro_decision_date", "prep_initial_pre_pro_meeting_date",
                          "prep_pre_pro_outcome", "prep_agree_stepdown_issue_date",
                          "prep_cp_plans_referral_period", "prep_legal_gateway_outcome",
                          "prep_prev_pre_proc_child", "prep_prev_care_proc_child",
                          "prep_pre_pro_letter_date", "prep_care_pro_letter_date",
                          "prep_pre_pro_meetings_num", "prep_pre_pro_parents_legal_rep",
                          "prep_parents_legal_rep_point_of_issue", "prep_court_reference",
                          "prep_care_proc_court_hearings", "prep_care_proc_short_notice",
                          "prep_proc_short_notice_reason", "prep_la_inital_plan_approved",
                          "prep_la_initial_care_plan", "prep_la_final_plan_approved",
                          "prep_la_final_care_plan"]),
    "ssd_send": ("send_table_id", ["send_table_id", "send_upn", "send_uln",
                                   "send_upn_unknown", "send_person_id"]),
    "ssd_ehcp_requests": ("ehcr_ehcp_request_id", [
        "ehcr_ehcp_request_id", "ehcr_send_table_id", "ehcr_ehcp_req_date",
        "ehcr_ehcp_req_outcome_date", "ehcr_ehcp_req_outcome"]),
    "ssd_ehcp_assessment": ("ehca_ehcp_assessment_id", [
        "ehca_ehcp_assessment_id", "ehca_ehcp_request_id", "ehca_ehcp_assessment_outcome_date",
        "ehca_ehcp_assessment_outcome", "ehca_ehcp_assessment_exceptions"]),
    "ssd_ehcp_named_plan": ("ehcn_named_plan_id", [
        "ehcn_named_plan_id", "ehcn_ehcp_asmt_id", "ehcn_named_plan_start_date",
        "ehcn_named_plan_ceased_date", "ehcn_named_plan_ceased_reason"]),
    "ssd_ehcp_active_plans": ("ehcp_active_ehcp_id", [
        "ehcp_active_ehcp_id", "ehcp_ehcp_request_id", "ehcp_active_ehcp_last_review_date"]),
}
DUCK_TYPES = {"prep_cp_plans_referral_period": "INTEGER", "prep_pre_pro_meetings_num": "INTEGER",
              "prep_care_proc_court_hearings": "INTEGER", "prep_prev_pre_proc_child": "INTEGER",
              "prep_prev_care_proc_child": "INTEGER"}


@pytest.fixture(scope="module")
def journeys():
    """A small council simulated into 2026/27, the first year with pre-proceedings."""
    return simulate(dataclasses.replace(DEFAULT_PROFILE, population_0_17=4000,
                                        history_years=2), seed=5, start_year=2026,
                    end_year=2027)


@pytest.fixture(scope="module")
def year_end(journeys):
    return ssd_frames(journeys, "2027-03-31")


def test_the_tables_have_the_specifications_columns_types_and_keys(journeys):
    con = write_ssd(journeys, "2027-03-31")
    try:
        for name, (key, columns) in SPEC.items():
            assert name in OPTIONAL and TABLES[name].key == key
            desc = con.execute(f"DESCRIBE {name}").df()
            assert list(desc["column_name"]) == columns, name
            types = dict(zip(desc["column_name"], desc["column_type"]))
            assert desc.loc[desc["column_name"] == key, "key"].item() == "PRI"
            for col in columns:
                expected = DUCK_TYPES.get(col, "TIMESTAMP" if col.endswith("_date") else "VARCHAR")
                assert types[col] == expected, (name, col)
            assert con.execute(f"SELECT COUNT(*) FROM {name}").fetchone()[0] > 0, name
    finally:
        con.close()


def test_pre_proceedings_are_the_cin_census_blocks(journeys, year_end):
    """Every 2026/27 PreProceedings block of the census is a row, with the same dates."""
    census = census_episodes(journeys, 2027)
    blocks = census["pre_proceedings"].merge(census["referrals"][["referral_id", "child_id"]],
                                             on="referral_id")
    assert len(blocks) > 0
    pp = year_end["ssd_pre_proceedings"]
    got = pp.set_index(["prep_person_id", "prep_pre_pro_decision_date"]).sort_index()
    want = blocks.set_index(["child_id", "PPStartDate"]).sort_index()
    assert list(got.index) == list(want.index)
    pairs = {"prep_pre_pro_letter_date": "LBPSentDate",
             "prep_initial_pre_pro_meeting_date": "InitialPPMeetingDate",
             "prep_agree_stepdown_issue_date": "StepDecisionDate",
             "prep_care_pro_letter_date": "LetterInitCPDate"}
    for ours, theirs in pairs.items():
        assert list(got[ours]) == list(want[theirs]), ours
    assert list(got["prep_pre_pro_meetings_num"]) == list(want["ReviewMeetingsCount"].astype(int))
    assert set(got["prep_pre_pro_outcome"]) == {"Decision to Issue Care Proceedings"}
    assert got["prep_table_id"].is_unique
    assert set(pp["prep_person_id"]) <= set(year_end["ssd_person"]["pers_person_id"])


def test_an_extract_during_pre_proceedings_does_not_know_how_they_ended(journeys, year_end):
    first = year_end["ssd_pre_proceedings"].sort_values("prep_pre_pro_decision_date").iloc[0]
    on = first["prep_initial_pre_pro_meeting_date"]
    assert on < first["prep_agree_stepdown_issue_date"]
    row = ssd_frames(journeys, on)["ssd_pre_proceedings"].set_index("prep_table_id").loc[
        first["prep_table_id"]]
    assert row["prep_initial_pre_pro_meeting_date"] == on
    assert pd.isna(row["prep_agree_stepdown_issue_date"]) and pd.isna(row["prep_pre_pro_outcome"])
    assert pd.isna(row["prep_care_pro_letter_date"]) and pd.isna(row["prep_pre_pro_meetings_num"])


def test_every_ehc_plan_in_the_sen2_of_a_child_in_the_ssd_is_a_named_plan(journeys):
    """On the SEN2's census date, the SSD's plans are the SEN2's, date for date, for the
    children the SSD holds; children known only to the SEND service are not in it."""
    on = pd.Timestamp(census_date(2027))
    frames = ssd_frames(journeys, on)
    people = set(frames["ssd_person"]["pers_person_id"])
    send = simulate_send(journeys)
    sen2 = sen2_tables(send, 2027)
    ids = sen2["people"].set_index("person_id")["child_id"]
    plans = sen2["requests"][sen2["requests"]["start_date"].notna()
                             & sen2["requests"]["person_id"].map(ids).isin(people)]
    assert len(plans) > 0
    named = frames["ssd_ehcp_named_plan"].set_index("ehcn_named_plan_id")
    for r in plans.itertuples():
        plan = named.loc[r.request_id + "-P"]
        assert plan["ehcn_named_plan_start_date"] == r.start_date
        assert (pd.isna(plan["ehcn_named_plan_ceased_date"]) if pd.isna(r.cease_date)
                else plan["ehcn_named_plan_ceased_date"] == r.cease_date)
    send_rows = frames["ssd_send"]
    assert set(send_rows["send_person_id"]) <= people
    assert frames["ssd_ehcp_requests"]["ehcr_send_table_id"].isin(send_rows["send_table_id"]).all()
    active = frames["ssd_ehcp_active_plans"]["ehcp_active_ehcp_id"]
    assert set(active) == set(named.index[named["ehcn_named_plan_ceased_date"].isna()])
    assert set(active) == {r + "-P" for r in plans.loc[plans["active"], "request_id"]}


def _hand_made(child: str) -> SendJourneys:
    """Two SEND histories: ``child`` (known to social care) asked in January 2025, was
    assessed, and had a plan from June 2025 to January 2027, then asked again in June 2026
    (a plan from October 2026); ``other`` is known only to the SEND service."""
    day = pd.Timestamp
    people = pd.DataFrame({"person_id": ["SEN00001", "SEN00002"], "child_id": [child, None],
                           "upn": ["A123456789012", "B123456789012"],
                           "dob": [day("2012-05-01"), day("2014-02-01")]})
    requests = pd.DataFrame({
        "person_id": ["SEN00001", "SEN00001", "SEN00002"],
        "request_id": ["REQ00001", "REQ00002", "REQ00003"],
        "received_date": [day("2025-01-10"), day("2026-06-01"), day("2025-02-01")],
        "outcome": ["A", "A", "A"],
        "decision_date": [day("2025-02-20"), day("2026-07-01"), day("2025-03-01")],
        "exception": [True, False, False],
        "assessment_outcome": ["A", "A", "A"],
        "assessment_date": [day("2025-04-20"), day("2026-09-01"), day("2025-04-01")],
        "plan_date": [day("2025-06-01"), day("2026-10-01"), day("2025-05-01")]})
    plans = pd.DataFrame({
        "person_id": ["SEN00001", "SEN00001", "SEN00002"],
        "request_id": ["REQ00001", "REQ00002", "REQ00003"],
        "start_date": [day("2025-06-01"), day("2026-10-01"), day("2025-05-01")],
        "cease_date": [day("2027-01-31"), pd.NaT, pd.NaT], "cease_reason": ["2", None, None]})
    return SendJourneys(people=people, requests=requests, plans=plans, profile=None)


def test_ehcp_rows_are_as_known_on_the_extract_date(journeys, year_end, monkeypatch):
    child = year_end["ssd_person"]["pers_person_id"].iloc[0]
    monkeypatch.setattr(build, "simulate_send", lambda j: _hand_made(child))
    frames = ssd_frames(journeys, "2026-03-31")
    assert list(frames["ssd_send"]["send_table_id"]) == ["SEN00001"]
    assert list(frames["ssd_send"]["send_person_id"]) == [child]
    requests = frames["ssd_ehcp_requests"]
    assert list(requests["ehcr_ehcp_request_id"]) == ["REQ00001"]  # REQ00002 comes later
    assessment = frames["ssd_ehcp_assessment"].iloc[0]
    assert (assessment["ehca_ehcp_assessment_outcome"], assessment["ehca_ehcp_assessment_exceptions"],
            assessment["ehca_ehcp_assessment_outcome_date"]) == ("A", "1", pd.Timestamp("2025-04-20"))
    plan = frames["ssd_ehcp_named_plan"].iloc[0]
    assert plan["ehcn_named_plan_id"] == "REQ00001-P" and plan["ehcn_ehcp_asmt_id"] == "REQ00001-A"
    # it ceased in 2027: on the extract date it is active, its cessation not known yet
    assert pd.isna(plan["ehcn_named_plan_ceased_date"]) and pd.isna(plan["ehcn_named_plan_ceased_reason"])
    active = frames["ssd_ehcp_active_plans"]
    assert list(active["ehcp_active_ehcp_id"]) == ["REQ00001-P"]
    # its first annual review falls on its anniversary in June 2026, after the extract
    assert active["ehcp_active_ehcp_last_review_date"].isna().all()
    # by mid-July 2026 it was held, and the decision sent 21 days later
    summer = ssd_frames(journeys, "2026-07-15")["ssd_ehcp_active_plans"]
    assert summer["ehcp_active_ehcp_last_review_date"].tolist() == [pd.Timestamp("2026-06-22")]
    later = ssd_frames(journeys, "2027-03-31")
    plan = later["ssd_ehcp_named_plan"].set_index("ehcn_named_plan_id").loc["REQ00001-P"]
    assert plan["ehcn_named_plan_ceased_date"] == pd.Timestamp("2027-01-31")
    assert plan["ehcn_named_plan_ceased_reason"] == "2"
    assert later["ssd_ehcp_active_plans"]["ehcp_active_ehcp_id"].tolist() == ["REQ00002-P"]
    assert later["ssd_ehcp_active_plans"]["ehcp_active_ehcp_last_review_date"].isna().all()


def test_a_council_whose_children_never_asked_for_an_assessment_gets_empty_ehcp_tables(
        journeys, monkeypatch):
    nobody = _hand_made("NOT-A-CHILD")
    monkeypatch.setattr(build, "simulate_send", lambda j: nobody)
    con = write_ssd(journeys, "2026-03-31")
    try:
        for name in ("ssd_send", "ssd_ehcp_requests", "ssd_ehcp_assessment",
                     "ssd_ehcp_named_plan", "ssd_ehcp_active_plans"):
            assert con.execute(f"SELECT COUNT(*) FROM {name}").fetchone()[0] == 0
    finally:
        con.close()


def test_their_ddl_is_sql_server_sql():
    import sqlglot

    for name in SPEC:
        parsed = sqlglot.parse_one(TABLES[name].ddl(), read="tsql")
        assert parsed.this.this.name == name
        assert [c.name for c in parsed.this.expressions] == SPEC[name][1]
