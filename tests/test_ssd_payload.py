"""The DfE API payloads built from an SSD: a DuckDB file made from another synthetic seed
stands in for a council's SSD; every payload validates; a fault planted in one child's
record is caught, naming the child and the field; partial payloads by difference."""

from __future__ import annotations

import copy
import dataclasses

import pandas as pd
import pytest

from d2i_examples.spec.ssda903 import ETHNIC
from d2i_examples.ssd import payload, returns
from d2i_examples.ssd.build import write_ssd
from d2i_examples.synth import DEFAULT_PROFILE, simulate

COUNCIL = dataclasses.replace(DEFAULT_PROFILE, population_0_17=10_000, history_years=3)
LA = int(COUNCIL.la_code)
EXTRACT = pd.Timestamp("2026-03-31")


@pytest.fixture(scope="module")
def journeys():
    return simulate(COUNCIL, seed=7, start_year=2025, end_year=2026)


@pytest.fixture(scope="module")
def council_ssd(journeys, tmp_path_factory):
    """The council's SSD: a DuckDB file on disk, opened as a reader would open theirs."""
    path = tmp_path_factory.mktemp("council") / "council_ssd.duckdb"
    write_ssd(journeys, EXTRACT, path).close()
    return path


@pytest.fixture(scope="module")
def council_payloads(council_ssd):
    con = returns.connect(council_ssd)
    try:
        return payload.payloads(con, LA, EXTRACT)
    finally:
        con.close()


def test_the_council_ssd_answers_the_return_queries(council_ssd):
    con = returns.connect(council_ssd)
    census = returns.cin_census(con, 2026)
    lists = returns.annex_a(con, EXTRACT)
    con.close()
    assert len(census["episodes"]) > 100
    assert set(census["episodes"]["child_id"]) == set(census["children"]["child_id"])
    assert set(lists["list_7"]["child_id"]) <= set(lists["list_6"]["child_id"]) | set(
        census["children"]["child_id"])
    assert all(len(df) for df in lists.values())


def test_every_payload_validates(council_payloads):
    assert len(council_payloads) > 100
    assert payload.validate(council_payloads) == []
    assert payload.quality(council_payloads) == []


def test_payloads_hold_what_the_ssd_holds(council_payloads, council_ssd):
    con = returns.connect(council_ssd)
    cp = con.execute("SELECT cppl_person_id, cppl_cp_plan_id FROM ssd_cp_plans").df()
    con.close()
    in_payloads = {(cid, p["child_protection_plan_id"])
                   for cid, pay in council_payloads.items()
                   for ep in pay["Children"].get("social_care_episodes", [])
                   for p in ep.get("child_protection_plans", [])}
    in_cohort = cp[cp["cppl_person_id"].isin(council_payloads)]
    assert in_payloads == set(in_cohort.itertuples(index=False, name=None))
    some = next(iter(council_payloads.values()))
    assert some["la_code"] == LA and some["Children"]["purge"] is False


def _damaged(council_ssd, tmp_path, statement: str):
    import shutil

    import duckdb

    copy_path = tmp_path / "damaged.duckdb"
    shutil.copy(council_ssd, copy_path)
    con = duckdb.connect(str(copy_path))
    # a child of the payload cohort (a referral in the last year) with an older, closed one
    child, referral = con.execute(
        "SELECT e.cine_person_id, MIN(e.cine_referral_id) FROM ssd_cin_episodes e "
        "WHERE e.cine_close_date IS NOT NULL AND e.cine_person_id IN (SELECT cine_person_id "
        "FROM ssd_cin_episodes WHERE cine_referral_date >= CAST('2025-06-01' AS DATE)) "
        "GROUP BY e.cine_person_id ORDER BY e.cine_person_id LIMIT 1").fetchone()
    con.execute(statement.replace("{child}", child).replace("{referral}", referral))
    con.close()
    con = returns.connect(copy_path)
    try:
        return child, payload.payloads(con, LA, EXTRACT)
    finally:
        con.close()


def test_a_planted_fault_is_caught_naming_the_child_and_the_field(council_ssd, tmp_path):
    child, built = _damaged(council_ssd, tmp_path,
                            "UPDATE ssd_person SET pers_sex = 'X' WHERE pers_person_id = '{child}'")
    problems = payload.validate(built)
    assert [(p.child, p.field) for p in problems] == [(child, "child_details.sex")]
    assert child in str(problems[0]) and "child_details.sex" in str(problems[0])


def test_a_missing_mandatory_date_is_named(council_ssd, tmp_path):
    child, built = _damaged(council_ssd, tmp_path, "UPDATE ssd_cin_episodes SET "
                            "cine_referral_date = NULL WHERE cine_referral_id = '{referral}'")
    problems = payload.validate(built)
    episodes = built[child]["Children"]["social_care_episodes"]
    damaged = next(i for i, e in enumerate(episodes) if "referral_date" not in e)
    assert [(p.child, p.field, p.problem) for p in problems] == [
        (child, f"social_care_episodes[{damaged}].referral_date", "is missing (mandatory)")]


def test_dates_out_of_order_are_reported(council_ssd, tmp_path):
    child, built = _damaged(council_ssd, tmp_path, "UPDATE ssd_cin_episodes SET cine_close_date"
                            " = CAST('1990-01-01' AS DATE) WHERE cine_referral_id = '{referral}'")
    assert payload.validate(built) == []  # the schema cannot compare dates
    found = payload.quality(built)
    assert [(p.child, p.field) for p in found] == [(child, "social_care_episodes[0].closure_date")]
    assert "1990-01-01 is before its referral_date" in found[0].problem


def test_the_schema_lists_the_dfe_ethnicity_codes():
    codes = payload.schema()["$defs"]["child_details"]["properties"]["ethnicity"]["enum"]
    assert sorted(codes) == sorted(ETHNIC)


# --- partial payloads -------------------------------------------------------------------


def _child(cid: str, episodes: list[dict]) -> dict:
    return {"la_code": LA, "Children": {
        "la_child_id": cid, "purge": False,
        "child_details": {"date_of_birth": "2015-01-01", "sex": "F", "ethnicity": "WBRI",
                          "purge": False},
        "social_care_episodes": episodes}}


def _episode(eid: str, assessments: list[str], closed: str | None = None) -> dict:
    ep = {"social_care_episode_id": eid, "referral_date": "2025-05-01", "purge": False,
          "child_and_family_assessments": [
              {"child_and_family_assessment_id": a, "start_date": "2025-05-02", "purge": False}
              for a in assessments]}
    if closed:
        ep["closure_date"] = closed
    return ep


def test_partial_payload_by_difference_with_purges():
    before = {"A": _child("A", [_episode("R1", ["X1"])]),
              "B": _child("B", [_episode("R2", ["X2", "X3"]), _episode("R3", [])]),
              "C": _child("C", [_episode("R4", [])])}
    after = {"A": copy.deepcopy(before["A"]),
             "B": _child("B", [_episode("R2", ["X2"], closed="2025-09-01")]),
             "D": _child("D", [_episode("R5", ["X5"])])}
    sent = payload.partial(before, after)
    assert set(sent) == {"B", "C", "D"}  # A unchanged: nothing to send
    assert sent["D"] == after["D"]  # new child: the full payload
    assert sent["C"]["Children"] == {"la_child_id": "C", "purge": True}
    episodes = {e["social_care_episode_id"]: e for e in sent["B"]["Children"]["social_care_episodes"]}
    assert episodes["R3"] == {"social_care_episode_id": "R3", "purge": True}
    assert episodes["R2"]["closure_date"] == "2025-09-01"
    assert {"child_and_family_assessment_id": "X3", "purge": True} in \
        episodes["R2"]["child_and_family_assessments"]
    assert payload.validate(sent) == []


def test_partial_payloads_between_two_extracts(journeys, tmp_path):
    first = write_ssd(journeys, "2026-02-28", tmp_path / "february.duckdb")
    before = payload.payloads(first, LA, "2026-02-28")
    first.close()
    second = write_ssd(journeys, EXTRACT, tmp_path / "march.duckdb")
    after = payload.payloads(second, LA, EXTRACT)
    second.close()
    sent = payload.partial(before, after)
    unchanged = [cid for cid in after if before.get(cid) == after[cid]]
    assert unchanged and not set(unchanged) & set(sent)
    assert len(sent) < len(after)
    assert payload.validate(sent) == []
    left = [cid for cid in before if cid not in after]
    assert all(sent[cid]["Children"] == {"la_child_id": cid, "purge": True} for cid in left)


# --- returns for a period that ended before the extract -----------------------------------


def test_returns_for_an_earlier_period_show_what_was_known_then(journeys, council_ssd):
    """The SSD was extracted on 31 March 2026; the queries for a period ending earlier must
    leave out what happened after it (an episode closed in February 2026 was open on 31
    December 2025), as the returns written then did."""
    from d2i_examples.synth.annex_a import annex_a_lists
    from d2i_examples.synth.cin_census import census_episodes
    from tests.test_ssd_returns import (
        LIST_COLUMNS,
        assert_list_8_differs_only_by_definition,
        differences,
        rows,
    )

    con = returns.connect(council_ssd)
    built = returns.annex_a(con, "2025-12-31")
    census = returns.cin_census(con, 2025)
    closed_after = set(con.execute("SELECT cine_referral_id FROM ssd_cin_episodes WHERE "
                                   "cine_close_date > CAST('2025-03-31' AS DATE)").df().iloc[:, 0])
    contacted_since = set(con.execute(
        "SELECT clea_person_id FROM ssd_care_leavers "
        "WHERE clea_care_leaver_latest_contact > CAST('2025-12-31' AS DATE)").df().iloc[:, 0])
    direct = annex_a_lists(journeys, "2025-12-31")
    got, want = rows(built["list_8"], LIST_COLUMNS["list_8"][0]), rows(
        direct["list_8"], LIST_COLUMNS["list_8"][1])
    assert_list_8_differs_only_by_definition(got, want, con, "2025-12-31")
    con.close()
    for key, (ours, theirs) in LIST_COLUMNS.items():
        if key == "list_8":
            continue
        got, want = rows(built[key], ours), rows(direct[key], theirs)
        if key == "list_9":  # the SSD keeps each care leaver's latest contact only
            assert not got - want, differences(got, want)
            assert {r[0] for r in (want - got).elements()} <= contacted_since
            continue
        assert got == want, f"{key}: {differences(got, want)}"
    ref = census_episodes(journeys, 2025)["referrals"]
    got = rows(census["episodes"], ["child_id", "referral_date", "closure_date",
                                    "reason_for_closure"])
    assert got == rows(ref, ["child_id", "referral_date", "closure_date", "closure_reason"])
    # the test means something: some of the year's episodes closed after it, in the SSD
    later = census["episodes"][census["episodes"]["referral_id"].isin(closed_after)]
    assert len(later) > 10 and later["closure_date"].isna().all()


def test_a_date_that_is_not_on_the_calendar_is_named():
    """30 February has the shape of a date: the compiled screen rejects it (format date),
    and the listing must name it too rather than pass the payload as valid."""
    child = _child("A", [_episode("R1", ["X1"])])
    child["Children"]["child_details"]["date_of_birth"] = "2015-02-30"
    problems = payload.validate({"A": child})
    assert [(p.child, p.field) for p in problems] == [("A", "child_details.date_of_birth")]
    assert "2015-02-30" in problems[0].problem


def test_a_child_with_two_care_leaver_rows_gets_the_latest(council_ssd, tmp_path):
    """An SSD is a council's own extract: a child may have two care leaver rows (the key is
    the row, not the child). The payload takes the latest contact instead of failing."""
    child, built = _damaged(council_ssd, tmp_path, (
        "INSERT INTO ssd_care_leavers (clea_table_id, clea_person_id, "
        "clea_care_leaver_latest_contact, clea_care_leaver_activity) VALUES "
        "('X1', '{child}', CAST('2025-05-01' AS DATE), 'F2'), "
        "('X2', '{child}', CAST('2026-01-15' AS DATE), 'G5')"))
    episodes = built[child]["Children"]["social_care_episodes"]
    assert episodes[-1]["care_leavers"] == {"contact_date": "2026-01-15", "activity": "G5",
                                            "purge": False}
    assert all("care_leavers" not in e for e in episodes[:-1])
    assert payload.validate(built) == []
