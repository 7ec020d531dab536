"""Disproportionality: ethnicity grouping, counts by stage, rates, intervals, suppression."""

import pandas as pd
import pytest

from d2i_examples.errors import DataError
from d2i_examples.indicators.disproportionality import (
    byar_interval,
    count_children,
    disproportionality,
    ethnic_group,
    stage_children,
    wilson_interval,
)
from tests.annex_a_builders import annex_list

POPULATION = pd.DataFrame({
    "ethnic_group": ["White British", "Black", "Asian", "Mixed", "Other White", "Other"],
    "population": [20_000, 2_000, 3_000, 1_000, 1_500, 500],
})


def test_ethnic_groups_at_each_level():
    codes = pd.Series(["WBRI", "wiri ", "CHNE", "BAFR", "OOTH", "REFU", None, "", "XYZ"])
    assert ethnic_group(codes, "major").tolist() == [
        "White", "White", "Asian", "Black", "Other", "Not known", "Not known", "Not known",
        "Unrecognised"]
    assert ethnic_group(codes).tolist()[:2] == ["White British", "Other White"]
    assert ethnic_group(codes, "detailed").tolist()[:4] == [
        "White British", "White Irish", "Chinese", "Black African"]
    assert ethnic_group(codes, groups={"CHNE": "Other"}).tolist()[2] == "Other"
    with pytest.raises(DataError):
        ethnic_group(codes, "minor")


def test_count_children_once_each():
    frame = pd.DataFrame({"CHILD": ["SYN1", "SYN1", "SYN2", "SYN3"],
                          "ETHNIC": ["BCRB", "BCRB", "WBRI", "BAFR"]})
    counts = count_children(frame, "CHILD", "ETHNIC", "Looked after", level="major")
    assert counts.set_index("ethnic_group")["children"].to_dict() == {"Black": 2, "White": 1}


def test_stage_children_from_annex_a():
    annex = {
        "list_3": annex_list("list_3", [
            {"Child Unique ID": "SYN1", "Ethnicity": "WBRI", "Date of referral": "01/05/2024"},
            {"Child Unique ID": "SYN1", "Ethnicity": "WBRI", "Date of referral": "01/06/2024"},
            {"Child Unique ID": "SYN2", "Ethnicity": "BAFR", "Date of referral": "01/03/2024"},
        ]),
        "list_7": annex_list("list_7", [
            # started before the window, still open in it: counted
            {"Child Unique ID": "SYN3", "Ethnicity": "APKN",
             "Child Protection Plan Start Date": "01/01/2024"},
            # ended before the window: not counted
            {"Child Unique ID": "SYN4", "Ethnicity": "APKN",
             "Child Protection Plan Start Date": "01/01/2023",
             "Child Protection Plan End Date": "31/03/2024"},
        ]),
        "list_8": annex_list("list_8", [
            {"Child Unique ID": "SYN5", "Ethnicity": "MWBC",
             "Date Started to be Looked After": "31/03/2025"},
        ]),
    }
    counts = stage_children(annex, "31/03/2025")
    assert counts[["stage", "ethnic_group", "children"]].values.tolist() == [
        ["Referral", "White British", 1],
        ["Child protection plan", "Asian", 1],
        ["Looked after", "Mixed", 1],
    ]


COUNTS = pd.DataFrame({"stage": "Referral",
                       "ethnic_group": ["White British", "Black", "Asian", "Not known"],
                       "children": [100, 30, 3, 2]})


def test_rates_ratios_and_wilson_intervals():
    table = disproportionality(COUNTS, POPULATION).set_index("ethnic_group")
    black = table.loc["Black"]
    # 30 / 2,000 = 150 per 10,000; White British 100 / 20,000 = 50; ratio 3.
    assert black["rate"] == pytest.approx(150) and black["ratio"] == pytest.approx(3)
    # Ratio interval by hand: conditional proportion 30/130 = 0.2308; its Wilson 95%
    # interval is 0.1667 to 0.3103; odds x 20,000/2,000 gives 2.000 to 4.499.
    assert black["ratio_lower"] == pytest.approx(2.0005, rel=1e-3)
    assert black["ratio_upper"] == pytest.approx(4.4989, rel=1e-3)
    assert black["rate_lower"] < 150 < black["rate_upper"]
    assert table.loc["White British", "ratio"] == pytest.approx(1)


def test_byar_intervals():
    table = disproportionality(COUNTS, POPULATION, method="byar").set_index("ethnic_group")
    black = table.loc["Black"]
    # Byar for 30: 30 (1 - 1/270 - 1.96/(3 sqrt 30))^3 = 20.24 and
    # 31 (1 - 1/279 + 1.96/(3 sqrt 31))^3 = 42.83; per 10,000 of 2,000: 101.2, 214.1.
    assert black["rate_lower"] == pytest.approx(101.18, abs=0.05)
    assert black["rate_upper"] == pytest.approx(214.14, abs=0.05)
    # Log method: 3 x exp(-+1.96 sqrt(1/30 + 1/100)) = 1.995 to 4.511.
    assert black["ratio_lower"] == pytest.approx(1.995, abs=1e-3)
    assert black["ratio_upper"] == pytest.approx(4.511, abs=1e-3)


def test_interval_helpers_against_known_values():
    # 10 of 1,000: Wilson 95% 0.0054 to 0.0183; exact Poisson for 10 is 4.795 to 18.39.
    low, high = wilson_interval(10, 1000)
    assert (round(float(low), 4), round(float(high), 4)) == (0.0054, 0.0183)
    low, high = byar_interval(10)
    assert float(low) == pytest.approx(4.795, abs=0.01) and float(high) == pytest.approx(18.39,
                                                                                          abs=0.01)
    assert float(byar_interval(0)[0]) == 0


def test_small_counts_are_suppressed():
    table = disproportionality(COUNTS, POPULATION).set_index("ethnic_group")
    # Asian 3 and Not known 2 are below 5; Mixed, Other White and Other have 0 children
    # (groups of the population with no child) and are hidden too.
    assert sorted(table.index[table["suppressed"]]) == [
        "Asian", "Mixed", "Not known", "Other", "Other White"]
    hidden = table.loc[table["suppressed"], ["children", "rate", "rate_upper", "ratio"]]
    assert hidden.isna().all().all()
    assert pd.isna(table.loc["Not known", "population"])


def test_ratios_hidden_when_the_comparison_is_suppressed():
    counts = COUNTS.assign(children=[4, 30, 3, 2])
    table = disproportionality(counts, POPULATION)
    assert table["ratio"].isna().all()
    assert table.set_index("ethnic_group").loc["Black", "rate"] == pytest.approx(150)


def test_bad_parameters():
    with pytest.raises(DataError, match="comparison group"):
        disproportionality(COUNTS, POPULATION, comparison="White")
    with pytest.raises(DataError, match="no children"):
        disproportionality(COUNTS, {"White British": 100, "Black": 0})
    with pytest.raises(DataError, match="method"):
        disproportionality(COUNTS, POPULATION, method="exact")


def test_stage_children_on_the_reference_date_only_as_dfe_counts_them():
    annex = {
        "list_3": annex_list("list_3", [
            {"Child Unique ID": "SYN1", "Ethnicity": "WBRI", "Date of referral": "01/05/2024"},
        ]),
        "list_7": annex_list("list_7", [
            # on a plan on 31/03/2025: counted both ways
            {"Child Unique ID": "SYN3", "Ethnicity": "APKN",
             "Child Protection Plan Start Date": "01/01/2024"},
            # plan ended in the year: counted in the period, not on the date
            {"Child Unique ID": "SYN4", "Ethnicity": "BAFR",
             "Child Protection Plan Start Date": "01/01/2024",
             "Child Protection Plan End Date": "01/09/2024"},
            # plan ended on the date itself: not open on it
            {"Child Unique ID": "SYN6", "Ethnicity": "BAFR",
             "Child Protection Plan Start Date": "01/01/2024",
             "Child Protection Plan End Date": "31/03/2025"},
        ]),
        "list_8": annex_list("list_8", [
            {"Child Unique ID": "SYN5", "Ethnicity": "MWBC",
             "Date Started to be Looked After": "01/06/2024",
             "Date Ceased to be Looked After": "01/12/2024"},
        ]),
    }
    period = stage_children(annex, "31/03/2025").set_index(["stage", "ethnic_group"])
    snapshot = stage_children(annex, "31/03/2025", count="snapshot").set_index(
        ["stage", "ethnic_group"])
    assert period["children"].to_dict() == {
        ("Referral", "White British"): 1, ("Child protection plan", "Asian"): 1,
        ("Child protection plan", "Black"): 2, ("Looked after", "Mixed"): 1}
    assert snapshot["children"].to_dict() == {
        ("Referral", "White British"): 1, ("Child protection plan", "Asian"): 1}
    with pytest.raises(DataError, match="counting") as error:
        stage_children(annex, "31/03/2025", count="at year end")
    assert error.value.column == "count"


def test_hidden_note_names_each_stages_hidden_groups_and_a_hidden_comparison():
    from d2i_examples.indicators.disproportionality import disproportionality, hidden_note

    counts = pd.DataFrame({
        "stage": ["Referral"] * 3 + ["Looked after"] * 3,
        "ethnic_group": ["White British", "Black", "Asian"] * 2,
        "children": [40, 12, 3, 4, 6, 0]})
    population = {"White British": 8000, "Black": 900, "Asian": 1100}
    table = disproportionality(counts, population, threshold=5)
    said = hidden_note(table, "White British", 5)
    assert said.startswith("Hidden for having fewer than threshold=5 children: "
                           "Referral: Asian; Looked after: White British, Asian.")
    assert "White British, the comparison group, is hidden at Looked after, so no ratio" in said
    assert hidden_note(disproportionality(counts, population, threshold=0), "White British",
                       0) == ""
    with pytest.raises(DataError, match="What to do: Set comparison"):
        disproportionality(counts, population, comparison="Martian")
