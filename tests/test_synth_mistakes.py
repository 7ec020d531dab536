"""Planted mistakes (synth.mistakes): each one is found by D2I's real validator, on exactly the
child and row it was planted on, and nothing else is.

The check is a difference: the (rule, child) pairs the validator flags on the planted returns,
minus those it flags on the clean returns, must be exactly the planted pairs. The clean
returns themselves may only be flagged for rules excused as validator defects
(EXCUSED_903_RULES, EXCUSED_CIN_RULES). One validator run per return and seed on the clean
data, one on the data with every mistake planted at once.
"""

from __future__ import annotations

import copy
import xml.etree.ElementTree as ET
from functools import cache

import pandas as pd
import pytest

from d2i_examples.errors import DataError
from d2i_examples.synth import DEFAULT_PROFILE, simulate, ssda903_tables
from d2i_examples.synth.cin_census import cin_census_xml
from d2i_examples.synth.mistakes import (
    CATALOGUE,
    CIN,
    EXTRACT_FAULTS,
    LOG_COLUMNS,
    MODULES,
    MUDDLED_RECORDS,
    SSDA903,
    catalogue,
    inject_errors,
)
from d2i_examples.tools import cin_rules, ssda903_rules, validate_cin_census, validate_ssda903
from d2i_examples.tools.known_faults import EXCUSED_903_RULES, EXCUSED_CIN_RULES

YEAR = 2026
SEEDS_903 = [0, 1]
SEED_CIN = 0
LA = DEFAULT_PROFILE.gss_code


@cache
def clean(seed: int):
    """(this year's 903 tables, last year's, the CIN census XML) of one simulation."""
    j = simulate(DEFAULT_PROFILE, seed=seed, start_year=YEAR - 1, end_year=YEAR)
    return ssda903_tables(j, YEAR), ssda903_tables(j, YEAR - 1), cin_census_xml(j, YEAR)


@cache
def planted(seed: int):
    this, prev, xml = clean(seed)
    return inject_errors(this, xml, previous_ssda903=prev, seed=seed, collection_year=YEAR)


@cache
def validated_903(seed: int, with_errors: bool):
    this, prev, _ = clean(seed)
    tables = planted(seed).ssda903 if with_errors else this
    return validate_ssda903(tables, prev, YEAR, la_code=LA)


@cache
def validated_cin(seed: int, with_errors: bool):
    xml = planted(seed).cin_xml if with_errors else clean(seed)[2]
    return validate_cin_census(xml, YEAR)


def flagged(issues: pd.DataFrame, child_column: str) -> set[tuple[str, str]]:
    found = issues[issues[child_column].notna()]
    return set(zip(found["rule"].astype(str), found[child_column]))


def log_of(seed: int, ret: str) -> pd.DataFrame:
    log = planted(seed).log
    return log[log["return"] == ret]


# --- the catalogue ------------------------------------------------------------------------


def test_catalogue_aims_at_enough_real_rules_of_2025_26():
    cat = catalogue()
    assert list(cat.columns) == ["rule", "return", "table", "column", "mistake"]
    assert not cat["rule"].duplicated().any()
    rules903 = set(cat.loc[cat["return"] == SSDA903, "rule"])
    rules_cin = set(cat.loc[cat["return"] == CIN, "rule"])
    assert len(rules903) >= 20 and len(rules_cin) >= 10
    assert rules903 <= set(ssda903_rules(YEAR)["rule"])
    assert rules_cin <= set(cin_rules(YEAR)["rule"])
    assert cat["mistake"].str.len().gt(15).all()


def test_every_registered_mistake_is_in_the_catalogue_once_beside_its_return():
    # the module a mistake's function is defined in says which return it belongs to
    module_of_return = {SSDA903: ("ssda903_header", "ssda903_care"), CIN: ("cin_census",)}
    assert sorted(m for ms in module_of_return.values() for m in ms) == sorted(MODULES)
    cat = catalogue()
    assert len(cat) == len(CATALOGUE)
    plants = [m.plant for m in CATALOGUE]
    assert len(set(plants)) == len(plants)
    for m in CATALOGUE:
        assert (cat["rule"] == m.rule).sum() == 1, m.rule
        row = cat[cat["rule"] == m.rule].iloc[0]
        assert (row["return"], row["table"], row["column"], row["mistake"]) == (
            m.ret, m.table, m.column, m.mistake,
        )
        package, _, module = m.plant.__module__.rpartition(".")
        assert package == "d2i_examples.synth.mistakes", m.rule
        assert module in module_of_return[m.ret], (m.rule, module)
    # planted in the order of MODULES, whatever order the modules were imported in
    ranks = [MODULES.index(m.plant.__module__.rpartition(".")[2]) for m in CATALOGUE]
    assert ranks == sorted(ranks)


@pytest.mark.parametrize("seed", SEEDS_903)
def test_mistakes_are_scattered_extract_faults_on_many_muddled_records_on_few(seed):
    log = planted(seed).log
    assert list(log.columns) == LOG_COLUMNS
    assert list(log["rule"].drop_duplicates()) == [m.rule for m in CATALOGUE]
    # an extract fault touches several children, as in a real return; a muddled record
    # adds one more child to each of its rules; the rest, one child each
    per_rule = log["rule"].value_counts()
    in_records = pd.Series([r for record in MUDDLED_RECORDS for r in record]).value_counts()
    for rule, n in per_rule.items():
        assert n == EXTRACT_FAULTS.get(rule, 1) + in_records.get(rule, 0), rule
    assert list(log["error"]) == list(range(1, len(log) + 1))
    # each muddled record is one child with its rules, each mistake in a table of its own;
    # every other child has one mistake
    per_child = log.groupby("child", sort=False)
    several = per_child.filter(lambda g: len(g) > 1).groupby("child", sort=False)
    assert [tuple(g["rule"]) for _, g in several] == MUDDLED_RECORDS
    assert all(not g["table"].duplicated().any() for _, g in several)
    assert all(g["return"].nunique() == 1 for _, g in several)
    assert (log["old_value"] != log["new_value"]).all()
    assert log.loc[log["return"] == SSDA903, "row"].notna().all()
    assert log.loc[log["return"] == CIN, "row"].isna().all()


@pytest.mark.parametrize("seed", SEEDS_903)
def test_only_the_logged_children_change_in_the_903_tables(seed):
    this, _, _ = clean(seed)
    after = planted(seed).ssda903
    log = log_of(seed, SSDA903)
    assert list(after) == list(this)
    changed_children = set()
    for name, before in this.items():
        assert after[name].shape == before.shape, name
        differs = (after[name] != before).any(axis=1)
        changed_children |= set(before.loc[differs, "CHILD"])
    assert changed_children == set(log["child"])
    for x in log.itertuples():
        assert this[x.table].at[x.row, x.column] == x.old_value
        assert after[x.table].at[x.row, x.column] == x.new_value
        assert after[x.table].at[x.row, "CHILD"] == x.child


def test_only_the_logged_children_change_in_the_cin_census():
    def by_child(xml: bytes) -> dict[str, bytes]:
        root = ET.fromstring(xml)
        return {
            c.findtext("ChildIdentifiers/LAchildID"): ET.tostring(c).strip()
            for c in root.iter("Child")
        }

    before, after = by_child(clean(SEED_CIN)[2]), by_child(planted(SEED_CIN).cin_xml)
    assert before.keys() == after.keys()
    changed = {child for child in before if before[child] != after[child]}
    assert changed == set(log_of(SEED_CIN, CIN)["child"])


def test_the_inputs_are_left_alone_and_the_seed_reproduces_the_plant():
    this, prev, xml = clean(0)
    this_copy, prev_copy = copy.deepcopy(this), copy.deepcopy(prev)
    again = inject_errors(this, xml, previous_ssda903=prev, seed=0, collection_year=YEAR)
    for name in this:
        pd.testing.assert_frame_equal(this[name], this_copy[name])
        pd.testing.assert_frame_equal(again.ssda903[name], planted(0).ssda903[name])
    for name in prev:
        pd.testing.assert_frame_equal(prev[name], prev_copy[name])
    assert again.cin_xml == planted(0).cin_xml
    pd.testing.assert_frame_equal(again.log, planted(0).log)
    other = inject_errors(this, xml, previous_ssda903=prev, seed=7, collection_year=YEAR)
    assert set(other.log["child"]) != set(again.log["child"])


def test_a_chosen_subset_of_rules():
    this, prev, _ = clean(0)
    out = inject_errors(this, None, previous_ssda903=prev, rules=["144", "101"], seed=3)
    assert list(out.log["rule"]) == ["144", "101"]
    assert out.cin_xml is None
    assert set(out.ssda903) == set(this)


# --- the real validators find each mistake, and nothing else --------------------------------


@pytest.mark.parametrize("seed", SEEDS_903)
def test_the_903_validator_finds_exactly_the_planted_mistakes(seed):
    before, after = validated_903(seed, False), validated_903(seed, True)
    log = log_of(seed, SSDA903)
    # the clean return is flagged only for the validator's own defects
    assert set(before.issues["rule"]) <= set(EXCUSED_903_RULES)
    assert set(after.not_run["rule"]) <= set(EXCUSED_903_RULES)
    new = flagged(after.issues, "CHILD") - flagged(before.issues, "CHILD")
    assert new == set(zip(log["rule"], log["child"]))
    for x in log.itertuples():
        found = after.issues[
            (after.issues["rule"] == x.rule)
            & (after.issues["CHILD"] == x.child)
            & (after.issues["year"] == "this")
        ]
        rows = set(found.loc[found["table"] == x.table, "row"])
        assert rows == {x.row}, (x.rule, x.child, x.table, x.row, rows)


def test_the_clean_cin_census_is_flagged_only_for_excused_rules():
    before = validated_cin(SEED_CIN, False)
    assert set(before.issues["rule"]) <= set(EXCUSED_CIN_RULES)
    assert before.not_run.empty


def test_the_cin_validator_finds_exactly_the_planted_mistakes():
    before, after = validated_cin(SEED_CIN, False), validated_cin(SEED_CIN, True)
    log = log_of(SEED_CIN, CIN)
    assert after.not_run.empty
    new = flagged(after.issues, "LAchildID") - flagged(before.issues, "LAchildID")
    assert new == set(zip(log["rule"], log["child"]))
    return_level = after.issues[after.issues["LAchildID"].isna()]["rule"]
    assert set(return_level) == set(before.issues[before.issues["LAchildID"].isna()]["rule"])
    for x in log.itertuples():
        found = after.issues[
            (after.issues["rule"] == x.rule) & (after.issues["LAchildID"] == x.child)
        ]
        assert x.table in set(found["table"]), (x.rule, x.child, x.table)
        details = set(found["CINdetailsID"].dropna())
        expected = set() if pd.isna(x.CINdetailsID) else {str(x.CINdetailsID)}
        assert details == expected, (x.rule, x.child, details, expected)


# --- what a reader can get wrong --------------------------------------------------------------


def test_unknown_rules_and_missing_returns_are_refused():
    this, prev, xml = clean(0)
    with pytest.raises(DataError, match="No mistake in the catalogue"):
        inject_errors(this, xml, previous_ssda903=prev, rules=["999"])
    with pytest.raises(DataError, match="CIN census, which was not given"):
        inject_errors(this, None, previous_ssda903=prev, rules=["1510"])
    with pytest.raises(DataError, match="not for the collection year"):
        inject_errors(None, xml, collection_year=YEAR - 1)


def test_a_rule_no_child_suits_is_refused_when_asked_for():
    this, prev, _ = clean(0)
    no_care_leavers = dict(this, oc3=this["oc3"].iloc[0:0])
    with pytest.raises(DataError, match="No child in the SSDA903 suits the mistake for rule 131"):
        inject_errors(no_care_leavers, None, previous_ssda903=prev, rules=["131"])
    # left out quietly when every mistake is asked for
    out = inject_errors(no_care_leavers, None, previous_ssda903=prev)
    assert not out.log["rule"].isin(["131", "133", "345"]).any()
    # without last year's return, the mistakes comparing the years find no child
    out = inject_errors(this, None)
    assert not out.log["rule"].isin(["202", "203", "204", "208"]).any()


def test_tables_without_the_ssda903_columns_are_refused():
    this, _, _ = clean(0)
    renamed = dict(this, episodes=this["episodes"].rename(columns={"DECOM": "Start"}))
    with pytest.raises(DataError, match="episodes table of the SSDA903 return lacks"):
        inject_errors(renamed, None)
    with pytest.raises(DataError, match="Unknown table"):
        inject_errors({"placements": this["episodes"]}, None)
