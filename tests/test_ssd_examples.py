"""What the two SSD worked examples rely on, on hand-made data: the comparison of rebuilt
and submitted returns, the payload summaries and planted faults, and the sample SSD built
once and then reused."""

from __future__ import annotations

import copy
import dataclasses

import pandas as pd
import pytest

from d2i_examples.errors import DataError
from d2i_examples.ssd import compare, payload, sample
from d2i_examples.ssd import payload_summary as summary

# --- comparing the rebuilt returns with the submitted ones ------------------------------


def test_rows_are_compared_value_by_value_and_counted():
    ssd = pd.DataFrame({"child_id": ["A", "B", "B"],
                        "start_date": pd.to_datetime(["2025-05-01", "2025-06-01", "2025-06-01"])})
    census = pd.DataFrame({"LAchildID": ["A", "B", "C"],
                           "CPPstartDate": pd.to_datetime(["2025-05-01", "2025-06-01", None])})
    row = compare._row("CIN census", "CP plans", compare.rows(ssd, ["child_id", "start_date"]),
                       compare.rows(census, ["LAchildID", "CPPstartDate"]))
    # B twice from the SSD but once in the return: one of them is extra; C has no date
    assert row == {"return": "CIN census", "part": "CP plans", "from the SSD": 3,
                   "in the return": 3, "the same": 2, "only from the SSD": 1,
                   "only in the return": 1}
    assert compare.rows(census, ["LAchildID", "CPPstartDate"])[("C", "")] == 1


def _census(target: str | None):
    """A one-child census, rebuilt and submitted: a section 47 enquiry with no conference,
    whose target date the submitted census has (``target``) and the SSD cannot."""
    day = pd.Timestamp("2025-05-01")
    built = {
        "children": pd.DataFrame({"child_id": ["A"], "upn": ["X"], "upn_unknown": [None],
                                  "birth_date": [pd.Timestamp("2015-01-01")], "sex": ["1"],
                                  "ethnicity": ["WBRI"]}),
        "episodes": pd.DataFrame({"child_id": ["A"], "referral_date": [day],
                                  "referral_source": ["6"], "primary_need_code": ["N1"],
                                  "closure_date": [pd.NaT], "reason_for_closure": [None],
                                  "referral_nfa": ["N"]}),
        "modules": pd.DataFrame({"child_id": ["A"], "module": ["s47"], "start_date": [day],
                                 "end_date": [pd.NaT], "icpc_date": [pd.NaT],
                                 "icpc_target_date": [pd.NaT], "icpc_not_required": ["Y"],
                                 "initial_category": [None], "latest_category": [None]}),
    }
    empty = {c: [] for c in ["LAchildID"]}
    submitted = {
        "ChildIdentifiers": pd.DataFrame({"LAchildID": ["A"], "UPN": ["X"], "UPNunknown": [None],
                                          "PersonBirthDate": [pd.Timestamp("2015-01-01")]}),
        "ChildCharacteristics": pd.DataFrame({"LAchildID": ["A"], "Sex": ["1"],
                                              "Ethnicity": ["WBRI"]}),
        "CINdetails": pd.DataFrame({"LAchildID": ["A"], "CINreferralDate": [day],
                                    "ReferralSource": ["6"], "PrimaryNeedCode": ["N1"],
                                    "CINclosureDate": [pd.NaT], "ReasonForClosure": [None],
                                    "ReferralNFA": ["0"]}),
        "Section47": pd.DataFrame({"LAchildID": ["A"], "S47ActualStartDate": [day],
                                   "InitialCPCtarget": [pd.Timestamp(target) if target else pd.NaT],
                                   "DateOfInitialCPC": [pd.NaT], "ICPCnotRequired": ["1"]}),
    }
    for table, cols in [("Assessments", ["AssessmentActualStartDate", "AssessmentAuthorisationDate"]),
                        ("CINplanDates", ["CINPlanStartDate", "CINPlanEndDate"]),
                        ("ChildProtectionPlans", ["CPPstartDate", "CPPendDate",
                                                  "InitialCategoryOfAbuse",
                                                  "LatestCategoryOfAbuse"])]:
        submitted[table] = pd.DataFrame({**empty, **{c: [] for c in cols}})
    return built, submitted


def test_the_census_agrees_but_for_the_target_date_the_ssd_cannot_hold():
    built, submitted = _census("2025-05-22")
    table = compare.census_agreement(built, submitted).set_index("part")
    assert table.loc["CIN episodes", "the same"] == 1  # Y/N in the SSD is 1/0 in the census
    assert table.loc["section 47 enquiries", "the same"] == 1
    assert table.loc["section 47 target dates", "only in the return"] == 1
    assert table.loc["CP plans", "in the return"] == 0
    assert compare.target_dates(built, submitted) == {
        "enquiries without a conference": 1, "with a target date in the SSD": 0,
        "with a target date in the census": 1}


def test_a_census_value_that_differs_is_counted_on_both_sides():
    built, submitted = _census(None)
    submitted["CINdetails"].loc[0, "PrimaryNeedCode"] = "N2"
    row = compare.census_agreement(built, submitted).set_index("part").loc["CIN episodes"]
    assert (row["the same"], row["only from the SSD"], row["only in the return"]) == (0, 1, 1)


def test_an_own_ssd_is_never_compared_with_the_sample():
    assert compare.submitted_returns(None, 2026, own_ssd=True) is None


# --- payload summaries --------------------------------------------------------------------


def _payload(cid: str, plan_end: str = "2025-09-01") -> dict:
    return {"la_code": 816, "Children": {
        "la_child_id": cid, "mis_child_id": cid, "purge": False,
        "child_details": {"date_of_birth": "2015-01-01", "sex": "M", "ethnicity": "WBRI",
                          "purge": False},
        "social_care_episodes": [{
            "social_care_episode_id": f"R-{cid}", "referral_date": "2025-05-01", "purge": False,
            "child_in_need_plans": [{"child_in_need_plan_id": f"P-{cid}",
                                     "start_date": "2025-06-01", "end_date": plan_end,
                                     "purge": False}]}]}}


@pytest.fixture
def three():
    out = {c: _payload(c) for c in ("A", "B", "C")}
    out["B"]["Children"]["social_care_episodes"][0]["child_protection_plans"] = [
        {"child_protection_plan_id": "CP-B", "start_date": "2025-07-01", "purge": False}]
    assert payload.validate(out) == [] and payload.quality(out) == []
    return out


def test_contents_counts_records_and_children(three):
    table = summary.contents(three).set_index("record")
    assert table.loc["social_care_episodes"].tolist() == [3, 0, 3]
    assert table.loc["child_protection_plans"].tolist() == [1, 0, 1]
    assert table.loc["section_47_assessments"].tolist() == [0, 0, 0]
    assert summary.smallest_with(three, "child_protection_plans") == "B"
    with pytest.raises(ValueError, match="section_47_assessments"):
        summary.smallest_with(three, "section_47_assessments")


def test_the_partial_summary_sorts_children_into_new_changed_unchanged_and_gone(three):
    now = copy.deepcopy(three)
    del now["C"]
    now["D"] = _payload("D")
    now["A"]["Children"]["social_care_episodes"][0]["closure_date"] = "2025-12-01"
    changes = payload.partial(three, now)
    table = summary.partial_summary(three, now, changes)["children"]
    assert table.tolist() == [1, 1, 1, 1]  # new D, changed A, unchanged B, gone C
    assert table.index[0].startswith("new") and table.index[3].startswith("gone")
    assert summary.contents(changes).set_index("record").loc["social_care_episodes",
                                                             "records"] == 2
    assert summary.size_kb(changes) < summary.size_kb(now)


def test_planted_faults_are_what_the_checks_find(three):
    damaged, planted = summary.plant_faults(three)
    assert three["A"]["Children"]["social_care_episodes"][0]["referral_date"] == "2025-05-01"
    found = payload.problems_table(payload.validate(damaged) + payload.quality(damaged))
    assert sorted(zip(found["child"], found["field"])) == sorted(
        zip(planted["child"], planted["field"]))
    assert len(planted) == 2 and sorted(damaged) == sorted(planted["child"])
    assert "is missing" in found["problem"].iloc[0]


# --- the sample SSD, built once --------------------------------------------------------------


@pytest.fixture
def small_sample(tmp_path, monkeypatch):
    """The sample SSD machinery on a small simulation, kept in a temporary folder."""
    from d2i_examples.ssd import build
    from d2i_examples.synth import DEFAULT_PROFILE, simulate

    journeys = simulate(dataclasses.replace(DEFAULT_PROFILE, population_0_17=1500,
                                            history_years=2), seed=3, start_year=2025,
                        end_year=2026)
    monkeypatch.setattr(sample, "CACHE", tmp_path / "sample-ssd")
    monkeypatch.setattr(sample, "_journeys", lambda: journeys)
    writes = []
    real = build.write_ssd
    monkeypatch.setattr(build, "write_ssd", lambda *a: writes.append(a[1]) or real(*a))
    return tmp_path / "sample-ssd", writes


def test_the_sample_ssd_is_built_once_and_stale_copies_go(small_sample):
    folder, writes = small_sample
    folder.mkdir()
    (folder / "ssd-2026-03-31-0000000000000000.duckdb").write_text("made by older code")
    first = sample.sample_ssd()
    assert sample.sample_ssd() == first and len(writes) == 1
    assert [p.name for p in folder.iterdir()] == [first.name]
    con = sample.open_ssd(extract_date="2026-02-28")
    sizes = sample.table_sizes(con).set_index("table")["rows"]
    con.close()
    assert len(writes) == 2 and sizes["ssd_person"] > 0


def test_open_ssd_gives_none_for_a_missing_own_extract_and_refuses_a_bad_path(tmp_path):
    assert sample.open_ssd(None, "2026-02-28", sample=False) is None
    with pytest.raises(DataError, match="no SSD database"):
        sample.open_ssd(tmp_path / "ssd.duckdb")


def test_a_council_with_no_adoptions_still_gets_its_ssd(small_sample):
    """A small council may have no adoption decisions: the permanence table is then empty,
    not a crash (its identifiers were built by adding text to an empty, non-text column)."""
    journeys = sample._journeys()
    journeys.adoption = journeys.adoption.iloc[0:0]
    con = sample.open_ssd()
    try:
        assert con.execute("SELECT COUNT(*) FROM ssd_permanence").fetchone() == (0,)
        assert con.execute("SELECT COUNT(*) FROM ssd_person").fetchone()[0] > 0
    finally:
        con.close()


# --- `check` recognises an SSD ---------------------------------------------------------------


def _ssd_file(path, tables=None, person=True):
    """A hand-made SSD: the tables' DDL (all, or ``tables``), one person unless not."""
    import duckdb

    from d2i_examples.ssd.tables import TABLES

    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path))
    for name in tables or TABLES:
        con.execute(TABLES[name].ddl())
    if person:
        con.execute("INSERT INTO ssd_person (pers_person_id) VALUES ('P1')")
    con.close()
    return path


def _check(capsys, *argv):
    from d2i_examples import cli

    status = cli.main(["check", *map(str, argv)])
    said = capsys.readouterr()
    return status, said.out + said.err


def test_check_recognises_an_ssd_file_or_a_folder_holding_one(tmp_path, capsys):
    ssd = _ssd_file(tmp_path / "council" / "ssd" / "extract.duckdb")
    for given in (ssd, tmp_path / "council"):
        status, text = _check(capsys, "--data", given)
        assert status == 0, text
        assert f"Standard Safeguarding Dataset (DuckDB): {ssd}" in text
        assert "ssd_person (1)" in text and f"-p ssd_database={ssd}" in text


@pytest.mark.parametrize("make, status, words", [
    (lambda p: _ssd_file(p, tables=["ssd_person"]), 6, "no ssd_assessment_factors"),
    (lambda p: _ssd_file(p, person=False), 9, "person table is empty"),
    (lambda p: p.write_text("not a database") and p, 10, "not a DuckDB database"),
])
def test_check_names_what_is_wrong_with_an_ssd(tmp_path, capsys, make, status, words):
    path = tmp_path / "ssd.duckdb"
    make(path)
    got, text = _check(capsys, "--data", path)
    assert got == status and words in text and "Nothing was run" in text


def test_an_ssd_example_given_a_data_folder_says_how_to_give_the_ssd(tmp_path, capsys):
    ssd = _ssd_file(tmp_path / "ssd.duckdb")
    status, text = _check(capsys, "ssd-returns", "--data", ssd)
    assert status == 2 and "-p ssd_database=path/to/ssd.duckdb" in text


def test_a_settings_file_carries_the_ssd_and_returns_paths(tmp_path):
    """The page tells a reader to keep the paths in a settings file: both are parameters
    the notebook declares, and a settings file hands them over as written."""
    from d2i_examples import paths
    from d2i_examples.settings.model import read_params
    from d2i_examples.settings.parameters import declared_parameters

    file = tmp_path / "my-ssd.yaml"
    file.write_text("parameters:\n  ssd_database: D:/ssd/ssd.duckdb\n"
                    "  returns_dir: D:/returns/2025-26\n", encoding="utf-8")
    settings, _ = read_params(file)
    assert settings.parameters == {"ssd_database": "D:/ssd/ssd.duckdb",
                                   "returns_dir": "D:/returns/2025-26"}
    import nbformat

    declared = declared_parameters(nbformat.read(paths.NOTEBOOKS / "ssd-returns.ipynb", 4))
    assert {"ssd_database", "returns_dir"} <= set(declared)


def test_an_ssd_without_the_optional_tables_is_read_with_them_empty(tmp_path, capsys):
    """A council's SSD extracted before ssd_cp_reviews, ssd_legal_status and ssd_cla_reviews
    were specified: check says which are missing and what goes without them; the Annex A
    queries still run (the three read as empty), and the file itself is not changed."""
    import duckdb

    from d2i_examples.ssd import returns
    from d2i_examples.ssd.tables import OPTIONAL, TABLES

    path = _ssd_file(tmp_path / "older.duckdb", tables=[n for n in TABLES if n not in OPTIONAL])
    before = path.read_bytes()
    status, text = _check(capsys, "--data", path)
    assert status == 0, text
    for name in OPTIONAL:
        assert f"Not in this SSD, so read as empty: {name}" in text
    con = returns.connect(path)
    try:
        assert returns.stood_in(con) == sorted(OPTIONAL)
        lists = returns.annex_a(con, "2026-03-31")
        assert len(lists) >= 10 and all(len(df) == 0 for df in lists.values())
    finally:
        con.close()
    assert path.read_bytes() == before
    con = duckdb.connect(str(path), read_only=True)
    tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    con.close()
    assert not tables & set(OPTIONAL)
