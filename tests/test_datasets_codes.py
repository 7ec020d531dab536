"""The 903 code lists in spec.ssda903 agree with the DfE validator's own rules."""

from __future__ import annotations

import importlib

import pandas as pd
import pytest

from d2i_examples.spec import ssda903 as spec

# Checked against D2I's validator, which the pandas-3 compatibility run does not have
# (it deselects the module with -m "not tools").
pytestmark = pytest.mark.tools

# (our collection year, lac_validator ruleset folder)
RULESETS = {2023: "lac2022_23", 2024: "lac2023_24", 2025: "lac2024_25", 2026: "lac2025_26",
            2027: "lac2026_27"}
# column -> (table, rule code) checking it
RULES = {"SEX": ("Header", "101"), "ETHNIC": ("Header", "103"), "RNE": ("Episodes", "143"),
         "LS": ("Episodes", "144"), "CIN": ("Episodes", "145"), "PLACE": ("Episodes", "146"),
         "REC": ("Episodes", "149")}


def _rule(year: int, code: str):
    """The validate function of `code` in force in `year` (latest ruleset defining it)."""
    for y in sorted((y for y in RULESETS if y <= year), reverse=True):
        try:
            return importlib.import_module(
                f"lac_validator.rules.{RULESETS[y]}.rule_{code}").validate
        except ModuleNotFoundError:
            continue
    raise LookupError(code)


@pytest.mark.parametrize("year", sorted(RULESETS))
@pytest.mark.parametrize("column", sorted(RULES))
def test_our_codes_pass_the_validators_rule(column, year):
    table, code = RULES[column]
    ours = list(spec.codes(column, year))
    if column == "PLACE" and year == 2025:
        ours = [c if c != "K3" else "k3" for c in ours]  # the 2024/25 rule spells it "k3"
    failing = _rule(year, code)({table: pd.DataFrame({column: ours})})[table]
    assert failing == [], [ours[i] for i in failing]


@pytest.mark.parametrize("year", sorted(RULESETS))
@pytest.mark.parametrize("column", sorted(RULES))
def test_codes_outside_our_list_fail_the_validators_rule(column, year):
    table, code = RULES[column]
    others = sorted(set(spec.codes_any_year(column)) - set(spec.codes(column, year)))
    probes = others + ["Q9", "XX"]
    failing = _rule(year, code)({table: pd.DataFrame({column: probes})})[table]
    assert failing == list(range(len(probes)))


def test_provider_and_review_codes_pass_their_rules():
    provider = _rule(2026, "178")
    eps = pd.DataFrame({"PLACE_PROVIDER": list(spec.PLACE_PROVIDER), "PLACE": "U4"})
    assert provider({"Episodes": eps})["Episodes"] == []
    review = _rule(2026, "167")
    rev = pd.DataFrame({"REVIEW_CODE": list(spec.REVIEW_CODE), "REVIEW": "01/04/2025"})
    assert review({"Reviews": rev})["Reviews"] == []


def test_codes_of_an_unsupported_year():
    with pytest.raises(ValueError, match="2026 for 2025/26"):
        spec.codes("PLACE", 2017)  # 2016/17: before the oldest year read


@pytest.mark.parametrize("year", [2018, 2019, 2020, 2021, 2022])
@pytest.mark.parametrize("column", spec.CODE_COLUMNS)
def test_years_before_2022_23_are_read_with_the_2022_23_lists(column, year):
    assert spec.codes(column, year) == spec.codes(column, spec.FIRST_LISTED)


def test_each_replaced_place_code_is_accepted_until_its_successor_arrives():
    # H5 -> K3: rule 503D of the 2025/26 ruleset lets an open H5 placement carry on as K3
    for older, today in spec.PLACE_REPLACED_BY.items():
        assert older in spec.codes("PLACE", 2018) and today not in spec.codes("PLACE", 2018)
        assert today in spec.codes("PLACE", spec.LATEST_YEAR)
        assert older not in spec.codes("PLACE", spec.LATEST_YEAR)
