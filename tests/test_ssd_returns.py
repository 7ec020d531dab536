"""The CIN census and Annex A rebuilt from the SSD agree, child by child, with the returns
the simulation wrote directly (the committed sample), and the SQL is portable.

Where the SSD cannot say what the return says, the test asserts the difference and its
reason: the SSD records the initial conference's target date on the conference
(``ssd_initial_cp_conference``), so an enquiry that never reached one has no target date.
"""

from __future__ import annotations

import pandas as pd
import pytest
import sqlglot

from d2i_examples import paths
from d2i_examples.datasets.annex_a import read_annex_a
from d2i_examples.datasets.cin_census import read_cin_census
from d2i_examples.errors import DataError
from d2i_examples.ssd import returns
from d2i_examples.ssd.build import write_ssd
from d2i_examples.ssd.compare import ANNEX_A as LIST_COLUMNS
from d2i_examples.ssd.compare import rows
from d2i_examples.synth import DEFAULT_PROFILE, simulate
from d2i_examples.synth.samples import SAMPLE_SEED, SAMPLE_YEAR

SAMPLE = paths.SAMPLE_DATA / "clean"
YEAR_END = pd.Timestamp(f"{SAMPLE_YEAR}-03-31")


def differences(ssd, direct) -> str:
    a, b = set(ssd), set(direct)
    return (f"only from the SSD: {sorted(a - b)[:5]}; only in the return: {sorted(b - a)[:5]}"
            if a != b else "")


@pytest.fixture(scope="module")
def ssd(tmp_path_factory):
    journeys = simulate(DEFAULT_PROFILE, seed=SAMPLE_SEED, start_year=SAMPLE_YEAR - 1,
                        end_year=SAMPLE_YEAR)
    path = tmp_path_factory.mktemp("ssd") / "ssd.duckdb"
    write_ssd(journeys, YEAR_END, path).close()
    con = returns.connect(path)
    yield con
    con.close()


@pytest.fixture(scope="module")
def census(ssd):
    built = returns.cin_census(ssd, SAMPLE_YEAR)
    direct = read_cin_census(next((SAMPLE / "cin_census").glob("*.xml")))
    return built, direct


@pytest.mark.slow
def test_cin_census_children_agree(census):
    built, direct = census
    ident = direct["ChildIdentifiers"].merge(direct["ChildCharacteristics"], on="LAchildID")
    assert rows(built["children"], ["child_id", "upn", "upn_unknown", "birth_date", "sex",
                                    "ethnicity"]) == rows(
        ident, ["LAchildID", "UPN", "UPNunknown", "PersonBirthDate", "Sex", "Ethnicity"])


@pytest.mark.slow
def test_cin_census_episodes_agree(census):
    built, direct = census
    ep = built["episodes"].assign(nfa=built["episodes"]["referral_nfa"].map({"Y": "1", "N": "0"}))
    got = rows(ep, ["child_id", "referral_date", "referral_source", "primary_need_code",
                    "closure_date", "reason_for_closure", "nfa"])
    want = rows(direct["CINdetails"], ["LAchildID", "CINreferralDate", "ReferralSource",
                                       "PrimaryNeedCode", "CINclosureDate", "ReasonForClosure",
                                       "ReferralNFA"])
    assert got == want, differences(got, want)


@pytest.mark.slow
def test_cin_census_modules_agree(census):
    built, direct = census
    mod = built["modules"]

    def module(name):
        return mod[mod["module"] == name]

    def child(df):
        return df.rename(columns={"LAchildID": "child"})

    checks = [
        ("assessment", ["child_id", "start_date", "end_date"], "Assessments",
         ["child", "AssessmentActualStartDate", "AssessmentAuthorisationDate"]),
        ("cin_plan", ["child_id", "start_date", "end_date"], "CINplanDates",
         ["child", "CINPlanStartDate", "CINPlanEndDate"]),
        ("cp_plan", ["child_id", "start_date", "end_date", "initial_category", "latest_category"],
         "ChildProtectionPlans", ["child", "CPPstartDate", "CPPendDate",
                                  "InitialCategoryOfAbuse", "LatestCategoryOfAbuse"]),
    ]
    for name, ours, table, theirs in checks:
        got, want = rows(module(name), ours), rows(child(direct[table]), theirs)
        assert got == want, f"{name}: {differences(got, want)}"

    s47 = module("s47").assign(not_required=lambda d: d["icpc_not_required"].map(
        {"Y": "1", "N": "0"}))
    direct_s47 = child(direct["Section47"])
    got = rows(s47, ["child_id", "start_date", "icpc_date", "not_required"])
    want = rows(direct_s47, ["child", "S47ActualStartDate", "DateOfInitialCPC", "ICPCnotRequired"])
    assert got == want, differences(got, want)
    # the target date: the SSD keeps it on the conference, so only enquiries with one have it
    held = s47["icpc_date"].notna()
    assert s47.loc[~held, "icpc_target_date"].isna().all()
    assert rows(s47[held], ["child_id", "start_date", "icpc_target_date"]) == rows(
        direct_s47[direct_s47["DateOfInitialCPC"].notna()],
        ["child", "S47ActualStartDate", "InitialCPCtarget"])
    assert direct_s47.loc[direct_s47["DateOfInitialCPC"].isna(), "InitialCPCtarget"].notna().any()


@pytest.fixture(scope="module")
def annex(ssd):
    return (returns.annex_a(ssd, YEAR_END),
            read_annex_a(next((SAMPLE / "annex_a").glob("*.xlsx"))))


@pytest.mark.slow
@pytest.mark.parametrize("key", sorted(LIST_COLUMNS))
def test_annex_a_lists_agree(annex, key, ssd):
    built, direct = annex
    ours, theirs = LIST_COLUMNS[key]
    got, want = rows(built[key], ours), rows(direct[key], theirs)
    assert len(got) == len(want) > 0
    if key == "list_8":
        assert_list_8_differs_only_by_definition(got, want, ssd, YEAR_END)
        return
    assert got == want, differences(got, want)


def assert_list_8_differs_only_by_definition(got, want, con, period_end) -> None:
    """List 8 from the SSD and as written differ only for children with a same-carer
    change or a temporary placement (the SSD counts those placements, the DfE does not:
    ssd.compare), and the test means something: some such children are in the list."""
    from d2i_examples.ssd.compare import placement_definition_children

    named = placement_definition_children(con, period_end)
    differ = {r[0] for r in ((got - want) + (want - got)).elements()}
    assert differ <= named, differences(got, want)
    assert {r[0] for r in want.elements()} & named
    assert sum((got & want).values()) > 0.9 * sum(want.values())


@pytest.mark.slow
def test_every_sample_payload_validates(ssd):
    from d2i_examples.ssd import payload

    built = payload.payloads(ssd, DEFAULT_PROFILE.la_code, YEAR_END)
    assert len(built) > 1000
    assert payload.validate(built) == []
    assert payload.quality(built) == []


# --- the SQL itself -----------------------------------------------------------------------


@pytest.mark.parametrize("name", returns.names())
def test_every_query_parses_as_t_sql(name):
    """SQL Server is what councils deploy the SSD on: each query, period filled in, is one
    statement sqlglot's T-SQL dialect parses without error."""
    text = returns.sql(name, "2025-04-01", "2026-03-31")
    statements = sqlglot.parse(text, read="tsql", error_level=sqlglot.ErrorLevel.RAISE)
    assert len([s for s in statements if s is not None]) == 1
    assert "{period" not in text


def test_query_names_every_period_placeholder():
    for name in returns.names():
        raw = (returns.SQL_DIR / f"{name}.sql").read_text()
        assert "'{period_end}'" in raw, name


@pytest.mark.parametrize("start, end, column", [
    ("2026-04-01", "2026-03-31", "period_end"),
    ("not a date", "2026-03-31", "period_start"),
])
def test_bad_periods_are_refused_in_plain_words(start, end, column):
    with pytest.raises(DataError) as err:
        returns.sql("cin_census_episodes", start, end)
    assert column in str(err.value)


def test_unknown_query_is_refused_with_the_names():
    with pytest.raises(DataError, match="cin_census_episodes"):
        returns.sql("cin_census", "2025-04-01", "2026-03-31")


def test_connect_names_a_missing_file_and_missing_tables(tmp_path):
    import duckdb

    with pytest.raises(DataError, match="no SSD database"):
        returns.connect(tmp_path / "nowhere.duckdb")
    partial = tmp_path / "partial.duckdb"
    con = duckdb.connect(str(partial))
    con.execute("CREATE TABLE ssd_person (pers_person_id VARCHAR)")
    con.close()
    with pytest.raises(DataError) as err:
        returns.connect(partial)
    assert "ssd_contacts" in str(err.value) and "partial.duckdb" in str(err.value)
    text = tmp_path / "notes.duckdb"
    text.write_text("not a database")
    with pytest.raises(DataError, match="not a DuckDB database"):
        returns.connect(text)


def test_cli_prints_a_query_for_sql_server(capsys):
    from d2i_examples.cli import main

    assert main(["ssd", "--sql", "cin_census_episodes", "--year", "2025"]) == 0
    out = capsys.readouterr().out
    assert "CAST('2024-04-01' AS DATE)" in out and "CAST('2025-03-31' AS DATE)" in out
    assert main(["ssd", "--sql", "no_such_query"]) != 0
    assert "cin_census_episodes" in capsys.readouterr().err


def _hand_made_ssd(rows_by_table: dict[str, list[dict]]):
    """An in-memory SSD with every table, holding only the rows given."""
    import duckdb

    from d2i_examples.ssd.tables import TABLES

    con = duckdb.connect(":memory:")
    for name, table in TABLES.items():
        con.execute(table.ddl())
        for row in rows_by_table.get(name, []):
            cols = ", ".join(row)
            con.execute(f"INSERT INTO {name} ({cols}) VALUES ({', '.join('?' * len(row))})",
                        list(row.values()))
    return con


def test_lists_9_and_10_in_annex_a_words_on_a_hand_made_ssd():
    """Values the synthetic council never writes: a decision to place for adoption reversed
    (with its reason), a fostering for adoption placement, and the SSD's care leaver codes
    turned into Annex A's words."""
    con = _hand_made_ssd({
        "ssd_permanence": [
            {"perm_table_id": "A1", "perm_person_id": "C1", "perm_cla_id": "P1",
             "perm_adm_decision_date": "2025-05-01", "perm_placement_order_date": "2025-06-01",
             "perm_decision_reversed_date": "2025-11-01", "perm_decision_reversed_reason": "RD1"},
            {"perm_table_id": "A2", "perm_person_id": "C2", "perm_cla_id": "P2",
             "perm_adm_decision_date": "2024-01-10", "perm_permanence_order_date": "2024-12-01",
             "perm_permanence_order_type": "Adoption Order"}],  # adopted before the window
        "ssd_cla_episodes": [
            {"clae_cla_episode_id": "P1-1", "clae_person_id": "C1", "clae_cla_id": "P1",
             "clae_entered_care_date": "2025-02-03", "clae_cla_episode_start_date": "2025-02-03"}],
        "ssd_cla_placement": [
            {"clap_cla_placement_id": "P1-P1", "clap_cla_id": "P1", "clap_person_id": "C1",
             "clap_cla_placement_start_date": "2025-02-03", "clap_cla_placement_type": "U4"},
            {"clap_cla_placement_id": "P1-P2", "clap_cla_id": "P1", "clap_person_id": "C1",
             "clap_cla_placement_start_date": "2025-07-15", "clap_cla_placement_type": "U2"}],
        "ssd_care_leavers": [
            {"clea_table_id": "L1", "clea_person_id": "C3", "clea_care_leaver_eligibility":
             "Former Relevant", "clea_care_leaver_in_touch": "YES",
             "clea_care_leaver_latest_contact": "2025-09-09", "clea_care_leaver_accommodation": "U",
             "clea_care_leaver_accom_suitable": "2", "clea_care_leaver_activity": "G5"},
            {"clea_table_id": "L2", "clea_person_id": "C4", "clea_care_leaver_eligibility":
             "Relevant", "clea_care_leaver_latest_contact": "2024-09-09"}],  # before the window
    })
    lists = returns.annex_a(con, "2026-03-31")
    con.close()
    adoption = lists["list_10"]
    assert adoption["child_id"].tolist() == ["C1"]
    row = adoption.iloc[0]
    assert (row["entered_care_date"], row["no_longer_placed_date"], row["ffa_placed_date"]) == (
        pd.Timestamp("2025-02-03"), pd.Timestamp("2025-11-01"), pd.Timestamp("2025-07-15"))
    assert row["no_longer_placed_reason"] == "RD1" and pd.isna(row["adoption_order_date"])
    leavers = lists["list_9"]
    assert leavers.to_dict("records") == [{
        "child_id": "C3", "eligibility": "Former relevant child", "in_touch": "YES",
        "accommodation": "U", "suitability": "Not suitable", "activity": "G5"}]
