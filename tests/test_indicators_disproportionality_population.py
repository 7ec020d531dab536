"""Disproportionality: the population by group, and the table a reader sees."""

from __future__ import annotations

import pandas as pd
import pytest

from d2i_examples.errors import DataError
from d2i_examples.indicators.disproportionality import (
    disproportionality,
    population_by_group,
    readable_table,
)


def population(rows):
    return pd.DataFrame(rows, columns=["ethnicity", "population"])


def test_codes_are_added_up_by_group_and_not_known_left_out():
    table = population_by_group(population([
        ("WBRI", 1000), ("WIRI", 10), ("WOTH", 90), ("BAFR", 200), ("BCRB", 50),
        ("REFU", 30), ("NOBT", 20)]))
    assert table.set_index("ethnic_group")["population"].to_dict() == {
        "White British": 1000, "Other White": 100, "Black": 250}
    major = population_by_group(population([("WBRI", 1000), ("WIRI", 10)]), level="major")
    assert major.to_dict("list") == {"ethnic_group": ["White"], "population": [1010]}


def test_group_names_are_accepted_at_the_chosen_level():
    table = population_by_group(population([
        ("White British", 1000), ("mixed", 40), ("MWBC", 10), ("Other White", 5)]))
    assert table.set_index("ethnic_group")["population"].to_dict() == {
        "White British": 1000, "Mixed": 50, "Other White": 5}


def test_unrecognised_ethnicities_are_refused():
    with pytest.raises(DataError) as error:
        population_by_group(population([("WBRI", 1000), ("Martian", 3), ("XYZ", 1)]))
    assert error.value.found == "Martian, XYZ"
    with pytest.raises(DataError):
        population_by_group(pd.DataFrame({"code": ["WBRI"], "population": [1]}))


def test_readable_table_rounds_marks_suppressed_and_comparison():
    counts = pd.DataFrame({
        "stage": ["Looked after"] * 4,
        "ethnic_group": ["White British", "Black", "Mixed", "Not known"],
        "children": [100, 20, 3, 7],
    })
    pop = pd.DataFrame({"ethnic_group": ["White British", "Black", "Mixed"],
                        "population": [20_000, 2_000, 1_000]})
    table = disproportionality(counts, pop)
    shown = readable_table(table).set_index("group")
    # Black: 20 / 2,000 = 100 per 10,000; White British 50; ratio 2.
    assert shown.loc["Black", "rate per 10,000"] == "100"
    assert shown.loc["Black", "ratio"] == "2.00"
    lower, upper = (float(x) for x in shown.loc["Black", "ratio interval"].split(" to "))
    assert lower < 2 < upper
    assert shown.loc["White British", "ratio interval"] == "(comparison)"
    assert shown.loc["Mixed"].drop("stage").tolist() == ["c"] * 5  # 3 < 5
    # no population: the count shows, nothing else applies
    assert shown.loc["Not known"].drop("stage").tolist() == ["7", "", "", "", ""]


def test_readable_table_marks_ratios_hidden_by_a_suppressed_comparison():
    counts = pd.DataFrame({"stage": ["Referral"] * 2, "ethnic_group": ["White British", "Black"],
                           "children": [2, 40]})
    pop = {"White British": 20_000, "Black": 2_000}
    shown = readable_table(disproportionality(counts, pop), marker="x").set_index("group")
    assert shown.loc["Black", "children"] == "40"
    assert shown.loc["Black", "ratio"] == "x"
    assert shown.loc["White British", "rate per 10,000"] == "x"
