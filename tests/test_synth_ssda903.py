"""The synthetic SSDA903 return: format, determinism, and D2I's real validator.

The validator (csc-validator-be-903, import lac_validator) must report no failing rule on
the synthetic return beyond the excused ones, each of which is shown here to be a defect
of the validator on a small dataset that plainly meets the DfE specification.
"""

from __future__ import annotations

import contextlib
import io
import logging
import re
import warnings
from pathlib import Path

import pandas as pd
import pytest

from d2i_examples.spec.ssda903 import DATE_COLUMNS, TABLES
from d2i_examples.spec.ssda903 import tables as spec_tables
from d2i_examples.synth import DEFAULT_PROFILE, simulate, ssda903_tables, write_ssda903
from d2i_examples.tools.known_faults import EXCUSED_903_RULES

YEAR = 2026
LA = DEFAULT_PROFILE.gss_code


def run_903_validator(this: list[Path], prev: list[Path], year: int = YEAR,
                      rules: list[str] | None = None) -> tuple[set[str], set[str]]:
    """Run D2I's SSDA903 validator; return (failing rule codes, rules that crashed)."""
    logging.disable(logging.CRITICAL)  # it logs every rule at INFO
    try:
        with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # pandas FutureWarnings from inside the validator
            from lac_validator.lac_validator import LacValidator, create_issue_df
            from lac_validator.report import Report
            from lac_validator.rules.ruleset_utils import get_year_ruleset
            from lac_validator.utils import process_uploaded_files

            files = process_uploaded_files(
                {"This year": [str(p) for p in this], "Prev year": [str(p) for p in prev]})
            registry = get_year_ruleset(str(year))
            v = LacValidator(metadata={"collectionYear": str(year), "localAuthority": LA},
                             files=files, registry=registry, selected_rules=rules)
            report = Report(v.ds_results, registry)
            failing: set[str] = set()
            if any(str(c).startswith("ERR_") for c in report.report.columns):
                issues = create_issue_df(report.report, report.error_report)
                failing = set(issues["rule_code"].astype(str))
    finally:
        logging.disable(logging.NOTSET)
    return failing, set(v.fails)


def _write_tables(folder: Path, tables: dict[str, list[dict]]) -> list[Path]:
    """Hand-made SSDA903 tables (our table name -> rows) as CSVs with the spec's columns."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, rows in tables.items():
        path = folder / f"{name}.csv"
        pd.DataFrame(rows, columns=TABLES[name][1]).to_csv(path, index=False)
        paths.append(path)
    return paths


@pytest.fixture(scope="module")
def journeys():
    return simulate(DEFAULT_PROFILE, seed=5, start_year=YEAR - 1, end_year=YEAR)


# --- format and determinism ------------------------------------------------------------


def test_tables_have_exactly_the_spec_columns_as_strings(journeys):
    tables = ssda903_tables(journeys, YEAR)
    assert list(tables) == spec_tables(YEAR) == [t for t in TABLES if t != "dolo"]
    date = re.compile(r"^(\d{2}/\d{2}/\d{4})?$")
    for name, df in tables.items():
        assert list(df.columns) == TABLES[name][1], name
        assert all(df[c].map(type).eq(str).all() for c in df.columns), name
        for c in set(df.columns) & DATE_COLUMNS:
            assert df[c].str.match(date).all(), (name, c)
    assert len(tables["episodes"]) > 100 and len(tables["oc3"]) > 20
    # nothing dated after the year, and every child in a table is in the header
    eps = tables["episodes"]
    for c in ("DECOM", "DEC"):
        d = pd.to_datetime(eps[c], format="%d/%m/%Y", errors="coerce")
        assert (d.dropna() <= pd.Timestamp(f"{YEAR}-03-31")).all()
    for name in ("episodes", "reviews", "oc2", "oc3", "missing", "uasc", "social_worker"):
        assert set(tables[name]["CHILD"]) <= set(tables["header"]["CHILD"]), name


def test_same_seed_writes_byte_identical_files(journeys, tmp_path):
    again = simulate(DEFAULT_PROFILE, seed=5, start_year=YEAR - 1, end_year=YEAR)
    a = write_ssda903(journeys, YEAR, tmp_path / "a")
    b = write_ssda903(again, YEAR, tmp_path / "b")
    assert [p.name for p in a] == [p.name for p in b]
    assert all(x.read_bytes() == y.read_bytes() for x, y in zip(a, b))


def test_year_outside_the_simulation_is_refused(journeys):
    with pytest.raises(ValueError, match="outside the simulated years"):
        ssda903_tables(journeys, YEAR + 1)


# --- the real validator on the synthetic return ---------------------------------------


@pytest.mark.parametrize(("seed", "year"),
                         [(1, YEAR), (2, YEAR), (3, YEAR), (1, YEAR + 1)],
                         ids=["1-2026", "2-2026", "3-2026", "1-2027"])
def test_validator_reports_no_failing_rule_beyond_the_excused(seed, year, tmp_path):
    j = simulate(DEFAULT_PROFILE, seed=seed, start_year=year - 1, end_year=year)
    this = write_ssda903(j, year, tmp_path / "this")
    prev = write_ssda903(j, year - 1, tmp_path / "prev")
    if year >= 2027:  # the 2026/27 rules get the DoLO table, and its rules run on it
        assert any(p.name.endswith("_dolo.csv") for p in this)
    failing, crashed = run_903_validator(this, prev, year=year)
    assert failing - set(EXCUSED_903_RULES) == set()
    assert crashed - set(EXCUSED_903_RULES) == set()


def test_dolo_table_only_from_2026_27_and_inside_a_childrens_home_placement():
    """The DoLO table is new in 2026/27: the 2027 return has orders, each inside one K2
    placement and one period of care (rules 703-710); 2025/26 has no such table."""
    j = simulate(DEFAULT_PROFILE, seed=1, start_year=YEAR, end_year=YEAR + 1)
    assert "dolo" not in ssda903_tables(j, YEAR)
    tables = ssda903_tables(j, YEAR + 1)
    dolo, eps = tables["dolo"], tables["episodes"]
    assert list(dolo.columns) == ["CHILD", "DOB", "DOLO_START", "DOLO_END"] and len(dolo) >= 3
    assert dolo["DOLO_END"].eq("").any() and dolo["DOLO_END"].ne("").any()
    def day(s):
        return pd.to_datetime(s, format="%d/%m/%Y")

    ys, ye = pd.Timestamp(f"{YEAR}-04-01"), pd.Timestamp(f"{YEAR + 1}-03-31")
    header = tables["header"].set_index("CHILD")
    for order in dolo.itertuples():
        start = day(order.DOLO_START)
        end = day(order.DOLO_END) if order.DOLO_END else ye
        assert ys <= start <= end <= ye and order.DOB == header.loc[order.CHILD, "DOB"]
        mine = eps[eps["CHILD"] == order.CHILD]
        dec = day(mine["DEC"].replace("", f"31/03/{YEAR + 1}"))
        overlapping = mine[(day(mine["DECOM"]) <= end) & (dec >= start)]
        assert list(overlapping["PLACE"]) == ["K2"], order.CHILD


# --- evidence for each excused rule -----------------------------------------------------

_LOOKED_AFTER = {  # a child in foster care all year, so that tables are never empty
    "header": [{"CHILD": "A1", "SEX": "M", "DOB": "01/01/2015", "ETHNIC": "WBRI",
                "UPN": "A800100115001", "MOTHER": ""}],
    "episodes": [{"CHILD": "A1", "DECOM": "01/01/2024", "RNE": "S", "LS": "C2", "CIN": "N1",
                  "PLACE": "U4", "PLACE_PROVIDER": "PR1", "HOME_POST": "YO1 6GA",
                  "PL_POST": "YO10 3BP", "URN": "SC100001"}],
}


def _with(base: dict, **extra: list[dict]) -> dict:
    out = {k: [dict(r) for r in v] for k, v in base.items()}
    for k, rows in extra.items():
        out[k] = out.get(k, []) + rows
    return out


def test_excused_rules_all_have_evidence():
    covered = {"1001", "1002", "624", "575", "577", "632", "SW12STG2", "SW11bSTG2", "187",
               "231", "233", "707", "706", "709", "710"}
    assert set(EXCUSED_903_RULES) == covered


def test_1001_1002_flag_a_former_relevant_care_leaver_who_left_care_years_ago(tmp_path):
    # Looked after from 10 to 18 (left at 18 in 2023); a former relevant child, so the DfE
    # wants OC3 at her 21st birthday. Only this and last year's returns are loaded.
    leaver = {"CHILD": "B1", "SEX": "F", "DOB": "15/06/2004", "ETHNIC": "WBRI",
              "UPN": "A800100104001", "MOTHER": ""}
    oc3 = {"CHILD": "B1", "DOB": "15/06/2004", "IN_TOUCH": "YES", "ACTIV": "F4", "ACCOM": "U1"}
    this = _write_tables(tmp_path / "this", _with(_LOOKED_AFTER, header=[leaver], oc3=[oc3]))
    prev = _write_tables(tmp_path / "prev", _with(
        _LOOKED_AFTER, header=[leaver], oc3=[dict(oc3, DOB="15/06/2004")]))
    failing, _ = run_903_validator(this, prev, rules=["1001", "1002"])
    assert failing == {"1001", "1002"}


def test_624_612_628_leave_no_valid_coding_for_a_care_leaver_mother(tmp_path):
    # Last year: looked after, a mother (MOTHER 1, MC_DOB). She left care before 18; this
    # year only her OC3 at 18 is due. Whatever this year's header says, a rule fails.
    girl = {"CHILD": "M1", "SEX": "F", "DOB": "01/06/2007", "ETHNIC": "WBRI",
            "UPN": "A800100107001"}
    prev = _write_tables(tmp_path / "prev", _with(
        _LOOKED_AFTER,
        header=[dict(girl, MOTHER="1", MC_DOB="01/12/2024")],
        episodes=[{"CHILD": "M1", "DECOM": "01/09/2023", "RNE": "S", "LS": "C2", "CIN": "N1",
                   "PLACE": "U4", "PLACE_PROVIDER": "PR1", "DEC": "01/03/2025", "REC": "E5",
                   "HOME_POST": "YO1 6GA", "PL_POST": "YO10 3BP", "URN": "SC100001"}]))
    oc3 = {"CHILD": "M1", "DOB": "01/06/2007", "IN_TOUCH": "YES", "ACTIV": "F2", "ACCOM": "U1"}
    results = {}
    for label, header in {
        "blank": dict(girl, MOTHER="", MC_DOB=""),             # as rules 628 and 612 ask
        "mc_dob_only": dict(girl, MOTHER="", MC_DOB="01/12/2024"),
        "mother": dict(girl, MOTHER="1", MC_DOB="01/12/2024"),
    }.items():
        this = _write_tables(tmp_path / label, _with(_LOOKED_AFTER, header=[header], oc3=[oc3]))
        results[label], _ = run_903_validator(this, prev, rules=["612", "624", "628"])
    assert results == {"blank": {"624"}, "mc_dob_only": {"612"}, "mother": {"628"}}


def test_575_577_fail_only_after_rule_365_overwrites_open_episodes(tmp_path):
    # Still looked after on 31 March and missing since 30 March: the spell is rightly open.
    data = _with(_LOOKED_AFTER, missing=[{"CHILD": "A1", "DOB": "01/01/2015", "MISSING": "M",
                                          "MIS_START": "30/03/2026", "MIS_END": ""}])
    this = _write_tables(tmp_path / "this", data)
    prev = _write_tables(tmp_path / "prev", _LOOKED_AFTER)
    alone, _ = run_903_validator(this, prev, rules=["575", "577"])
    after_365, _ = run_903_validator(this, prev, rules=["365", "575", "577"])
    assert alone == set()
    assert after_365 == {"575", "577"}


def test_632_compares_with_the_first_episode_not_the_new_period(tmp_path):
    # Special guardianship order on 30/07/2025 ended the first period; the child came back
    # on 29/11/2025. The order is before the new period, as the DfE asks.
    child = {"CHILD": "P1", "SEX": "M", "DOB": "18/01/2014", "ETHNIC": "WBRI",
             "UPN": "A800100114001", "MOTHER": ""}
    eps = [
        {"CHILD": "P1", "DECOM": "07/03/2025", "RNE": "S", "LS": "C2", "CIN": "N1",
         "PLACE": "U4", "PLACE_PROVIDER": "PR1", "DEC": "30/07/2025", "REC": "E45",
         "HOME_POST": "YO1 6GA", "PL_POST": "YO10 3BP", "URN": "SC100001"},
        {"CHILD": "P1", "DECOM": "29/11/2025", "RNE": "S", "LS": "C1", "CIN": "N1",
         "PLACE": "U6", "PLACE_PROVIDER": "PR4", "HOME_POST": "YO1 6GA",
         "PL_POST": "YO10 3BP", "URN": "SC100002"},
    ]
    pp = {"CHILD": "P1", "DOB": "18/01/2014", "PREV_PERM": "P2", "LA_PERM": "816",
          "DATE_PERM": "30/07/2025"}
    this = _write_tables(tmp_path / "this", _with(
        _LOOKED_AFTER, header=[child], episodes=eps, previous_permanence=[pp]))
    prev = _write_tables(tmp_path / "prev", _LOOKED_AFTER)
    failing, _ = run_903_validator(this, prev, rules=["632"])
    assert failing == {"632"}


def test_sw12_cannot_be_met_after_a_return_to_care_in_the_same_year(tmp_path):
    child = {"CHILD": "S1", "SEX": "F", "DOB": "01/05/2012", "ETHNIC": "WBRI",
             "UPN": "A800100112001", "MOTHER": "0"}
    base = {"CHILD": "S1", "LS": "V2", "CIN": "N4", "PLACE_PROVIDER": "PR1",
            "HOME_POST": "YO1 6GA", "URN": "SC100001"}
    eps = [
        dict(base, DECOM="10/04/2025", RNE="S", PLACE="U4", DEC="01/06/2025", REC="X1",
             REASON_PLACE_CHANGE="CARPL", PL_POST="YO10 3BP"),
        dict(base, DECOM="01/06/2025", RNE="P", PLACE="U6", DEC="01/07/2025", REC="E4A",
             PL_POST="YO31 0GW"),
        dict(base, DECOM="01/10/2025", RNE="S", PLACE="U4", PL_POST="YO10 3BP"),
    ]
    sw = {"CHILD": "S1", "DOB": "01/05/2012", "SW_ID": "SW100001"}
    tables = {
        "from_first_period": [dict(sw, SW_DECOM="10/04/2025", SW_REASON="FCONTA")],
        "from_second_period": [dict(sw, SW_DECOM="01/10/2025", SW_REASON="FCONTA")],
        "both_periods": [dict(sw, SW_DECOM="10/04/2025", SW_DEC="01/07/2025", SW_REASON="FCONTA"),
                         dict(sw, SW_ID="SW100002", SW_DECOM="01/10/2025", SW_REASON="FCONTA")],
    }
    prev = _write_tables(tmp_path / "prev", _LOOKED_AFTER)
    for label, rows in tables.items():
        this = _write_tables(tmp_path / label, _with(
            _LOOKED_AFTER, header=[child], episodes=eps, social_worker=rows))
        failing, _ = run_903_validator(this, prev, rules=["SW12STG2"])
        assert failing == {"SW12STG2"}, label


def test_sw11b_flags_an_episode_followed_by_another_on_the_same_day(tmp_path):
    sw = {"CHILD": "A1", "DOB": "01/01/2015"}
    rows = [
        dict(sw, SW_ID="SW100001", SW_DECOM="01/01/2024", SW_DEC="01/09/2025", SW_REASON="FCONTA"),
        dict(sw, SW_ID="SW100002", SW_DECOM="01/09/2025", SW_DEC="28/03/2026", SW_REASON="LEFTRL"),
        dict(sw, SW_ID="SW100003", SW_DECOM="28/03/2026", SW_REASON="LEFTRL"),
    ]
    this = _write_tables(tmp_path / "this", _with(_LOOKED_AFTER, social_worker=rows))
    prev = _write_tables(tmp_path / "prev", _LOOKED_AFTER)
    failing, _ = run_903_validator(this, prev, rules=["SW11bSTG2"])
    assert failing == {"SW11bSTG2"}


def test_187_counts_a_child_adopted_on_31_march_as_still_looked_after(tmp_path):
    # In care since 2024, placed for adoption, adopted on the last day of the year: the
    # DfE asks for AD1. The same child adopted a day earlier passes.
    results = {}
    for adopted in ("30/03/2026", "31/03/2026"):
        child = {"CHILD": "D1", "SEX": "F", "DOB": "14/09/2023", "ETHNIC": "WBRI",
                 "UPN": "UN1", "MOTHER": "0"}
        base = {"CHILD": "D1", "CIN": "N1", "PLACE_PROVIDER": "PR1", "HOME_POST": "YO1 6GA",
                "PL_POST": "YO10 3BP", "URN": "SC100001"}
        eps = [dict(base, DECOM="29/05/2024", RNE="S", LS="C1", PLACE="U6", DEC="02/04/2025",
                    REC="X1"),
               dict(base, DECOM="02/04/2025", RNE="L", LS="E1", PLACE="U6", DEC="13/07/2025",
                    REC="X1", REASON_PLACE_CHANGE="PLACE"),
               dict(base, DECOM="13/07/2025", RNE="T", LS="E1", PLACE="A5", DEC=adopted,
                    REC="E11")]
        ad1 = {"CHILD": "D1", "DOB": "14/09/2023", "DATE_INT": "17/10/2024",
               "DATE_MATCH": "01/07/2025", "FOSTER_CARE": "1", "NB_ADOPTR": "2",
               "SEX_ADOPTR": "MF", "LS_ADOPTR": "L11"}
        this = _write_tables(tmp_path / adopted.replace("/", ""), _with(
            _LOOKED_AFTER, header=[child], episodes=eps, ad1=[ad1], oc3=[]))
        prev = _write_tables(tmp_path / "prev", _LOOKED_AFTER)
        results[adopted], _ = run_903_validator(this, prev, rules=["187", "601"])
    assert results == {"30/03/2026": set(), "31/03/2026": {"187"}}


def test_231_233_crash_on_any_csv_return(tmp_path):
    data = _with(_LOOKED_AFTER, uasc=[{"CHILD": "A1", "SEX": "M", "DOB": "01/01/2015",
                                       "DUC": ""}])
    this = _write_tables(tmp_path / "this", data)
    prev = _write_tables(tmp_path / "prev", _LOOKED_AFTER)
    failing, crashed = run_903_validator(this, prev, rules=["231", "233"])
    assert crashed == {"231", "233"} and failing == set()


def test_sex_and_placement_codes_follow_each_years_code_list(tmp_path):
    """DfE's rule 101: SEX is 1/2 up to 2023/24 and M/F/U from 2024/25."""
    from d2i_examples.spec import ssda903 as spec
    from d2i_examples.synth import DEFAULT_PROFILE, simulate, ssda903_tables

    journeys = simulate(DEFAULT_PROFILE.scaled(6000), 4, 2023, 2025)
    for year, codes in ((2024, {"1", "2"}), (2025, {"M", "F"})):
        tables = ssda903_tables(journeys, year)
        assert set(tables["header"]["SEX"]) == codes, year
        assert set(tables["uasc"]["SEX"]) <= codes, year
        assert set(tables["episodes"]["PLACE"]) <= set(spec.codes("PLACE", year)), year


_IN_A_CHILDRENS_HOME = {  # looked after in a children's home all year, under a DoLO
    "header": _LOOKED_AFTER["header"],
    "episodes": [{**_LOOKED_AFTER["episodes"][0], "PLACE": "K2", "PLACE_PROVIDER": "PR4"}],
}


def test_707_fails_only_after_rule_365_overwrites_open_episodes(tmp_path):
    """An order in force on 31 March for a child still looked after meets rule 707; the
    validator flags it only after rule 365 has given the open episode a DEC."""
    data = _with(_IN_A_CHILDRENS_HOME, dolo=[{"CHILD": "A1", "DOB": "01/01/2015",
                                              "DOLO_START": "01/06/2026", "DOLO_END": ""}])
    this = _write_tables(tmp_path / "this", data)
    prev = _write_tables(tmp_path / "prev", _IN_A_CHILDRENS_HOME)
    assert run_903_validator(this, prev, year=2027, rules=["707"]) == (set(), set())
    assert run_903_validator(this, prev, year=2027, rules=["365", "707"]) == ({"707"}, set())


def test_706_709_710_crash_whenever_a_dolo_table_is_given(tmp_path):
    data = _with(_IN_A_CHILDRENS_HOME, dolo=[{"CHILD": "A1", "DOB": "01/01/2015",
                                              "DOLO_START": "01/06/2026",
                                              "DOLO_END": "01/09/2026"}])
    this = _write_tables(tmp_path / "this", data)
    prev = _write_tables(tmp_path / "prev", _IN_A_CHILDRENS_HOME)
    failing, crashed = run_903_validator(this, prev, year=2027, rules=["706", "709", "710"])
    assert crashed == {"706", "709", "710"} and failing == set()
