"""The council beside England, its region and its neighbours, on hand-made published tables."""

from __future__ import annotations

import pandas as pd
import pytest

from d2i_examples.datasets.published import read_published, which_data_set
from d2i_examples.errors import DataError
from d2i_examples.indicators import benchmarks as bm
from d2i_examples.indicators import comparison as cmp

STD = ("time_period,time_identifier,geographic_level,country_code,country_name,region_code,"
       "region_name,old_la_code,la_name,new_la_code")
REFS = STD + ",category,referral_count,rereferral_count,rereferral_percent\n" + "".join(
    f"{year},Reporting year,{level},E92000001,England,{region},{rname},{old},{name},{new},"
    f"Referrals and Re-referrals,{values}\n"
    for year, level, region, rname, old, name, new, values in [
        (2024, "National", "", "", "", "", "", "600000,130000,21.7"),
        (2025, "National", "", "", "", "", "", "632830,142900,22.6"),
        (2025, "Regional", "E12000001", "North East", "", "", "", "32490,6730,20.7"),
        (2025, "Regional", "E12000002", "North West", "", "", "", "86120,18730,21.7"),
        (2025, "Local authority", "E12000001", "North East", "S01", "N A", "SYN0001",
         "100,10,10.0"),
        (2025, "Local authority", "E12000001", "North East", "S02", "N B", "SYN0002",
         "100,30,30.0"),
        (2025, "Local authority", "E12000001", "North East", "S03", "N C", "SYN0003",
         "c,c,c"),
        (2025, "Local authority", "E12000002", "North West", "S09", "Not ours", "SYN0009",
         "100,90,90.0"),
    ])
ASSESS = STD + (",category,Assessments_completed,Same_day,1-10_days,11-20_days,21-30_days,"
                "31-40_days,41-45_days,46-50_days,51-60_days,61+_days\n"
                "2025,Reporting year,National,E92000001,England,,,,,,Duration of assessment,"
                "\"1,000\",10,90,100,100,200,300,100,50,50\n")


def tables(tmp_path):
    out = {}
    for name, text in (("refs.csv", REFS), ("assess.csv", ASSESS)):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        frame = read_published(path)
        out[which_data_set(frame.columns)] = frame
    return out


def council() -> pd.DataFrame:
    return pd.DataFrame([
        bm.measure_row(bm.REREFERRALS, 20, 100, bm.PERCENT, "year ending 31 March 2026", ""),
        bm.measure_row(bm.ASSESSMENTS, 8, 10, bm.PERCENT, "year ending 31 March 2026", ""),
        bm.measure_row(bm.CIN_RATE, 300, 10000, bm.RATE, "year ending 31 March 2026", ""),
    ], columns=bm.COLUMNS)


def test_published_values_read_each_measure_and_keep_suppressed_rows(tmp_path):
    long = cmp.published_values(tables(tmp_path))
    refs = long[long["measure"].eq(bm.REREFERRALS)]
    assert len(refs) == 8
    suppressed = refs[refs["code"].eq("SYN0003")].iloc[0]
    assert pd.isna(suppressed["value"]) and suppressed["reason"] == "suppressed (confidential)"
    england = long[long["measure"].eq(bm.ASSESSMENTS)].iloc[0]
    # within 45 working days: the bins up to 41-45 days, 800 of 1,000
    assert england[["numerator", "denominator", "value"]].tolist() == [800, 1000, 80.0]


def test_compare_sets_council_beside_england_region_and_neighbours_with_rank(tmp_path):
    long = cmp.published_values(tables(tmp_path))
    out = cmp.compare(council(), long, ["SYN0001", "SYN0002", "SYN0003"],
                      region_code="E12000001")
    refs = out[out["measure"].eq(bm.REREFERRALS)].set_index("role")
    assert refs.loc[cmp.ENGLAND, "value"] == 22.6  # the latest year, 2025
    assert refs.loc[cmp.REGION, "name"] == "North East"
    assert refs.loc[cmp.COUNCIL, "value"] == 20.0
    # ranked with the neighbours that have a value: 30, 20, 10 -> 2nd of 3
    assert refs.loc[cmp.COUNCIL, ["rank", "of"]].tolist() == [2, 3]
    assert "Not ours" not in out["name"].tolist()
    assert bm.CIN_RATE not in out["measure"].tolist()  # no published data set for it here


def test_region_comes_from_the_councils_own_row_when_not_given(tmp_path):
    long = cmp.published_values(tables(tmp_path))
    out = cmp.compare(council(), long, ["SYN0001"], council_code="SYN0009")
    assert out[out["role"].eq(cmp.REGION)]["name"].unique().tolist() == ["North West"]


def test_league_orders_measures_by_distance_from_neighbours(tmp_path):
    long = cmp.published_values(tables(tmp_path))
    out = cmp.compare(council(), long, ["SYN0001", "SYN0002"], region_code="E12000001")
    table = cmp.league(out)
    first = table.iloc[0]
    assert first["measure"] == bm.REREFERRALS
    assert first["neighbours_median"] == 20.0 and first["distance"] == 0.0
    assert pd.isna(table.set_index("measure").loc[bm.ASSESSMENTS, "distance"])  # none


def test_a_published_table_without_a_needed_column_is_a_clear_error(tmp_path):
    frame = tables(tmp_path)["cin_referrals"].drop(columns=["rereferral_count"])
    with pytest.raises(DataError, match="rereferral_count"):
        cmp.published_values({"cin_referrals": frame})


def test_intervals_and_small_number_notes():
    low, high = cmp.interval(8, 10, bm.PERCENT)
    assert low < 80 < high and 40 < low and high < 100  # Wilson's interval is wide at n=10
    low, high = cmp.interval(250, 36_000, bm.RATE)
    assert low < 250 / 3.6 < high
    assert cmp.interval(1, 0, bm.PERCENT) == pytest.approx((float("nan"),) * 2, nan_ok=True)
    assert "fewer than 10" in cmp.small_number_note(3, 40)
    assert "based on 9" in cmp.small_number_note(9, 9)
    assert cmp.small_number_note(10, 400) == ""


def test_league_carries_the_interval_and_note(tmp_path):
    long = cmp.published_values(tables(tmp_path))
    out = cmp.compare(council(), long, ["SYN0001", "SYN0002"], region_code="E12000001")
    row = cmp.league(out).set_index("measure").loc[bm.ASSESSMENTS]
    assert row["low"] < 80 < row["high"]
    assert "based on 8" in row["note"]


def test_neighbour_codes_missing_from_the_tables_are_named(tmp_path):
    long = cmp.published_values(tables(tmp_path))
    assert cmp.neighbours_not_found(long, ["SYN0001", "E06000999", "SYN0003"]) == ["E06000999"]


CPP_ENDING = STD + (",category,CPP_End,3_months_or_less,2_years_or_more,"
                    "2_years_or_more_percent\n") + "".join(
    f"2025,Reporting year,{level},E92000001,England,{region},{rname},{old},{name},{new},"
    f"Child Protection Plans ending by length of time,{values}\n"
    for level, region, rname, old, name, new, values in [
        ("National", "", "", "", "", "", "62300,9920,2710,4.4"),
        ("Local authority", "E12000001", "North East", "S01", "N A", "SYN0001", "200,50,8,4.0"),
        ("Local authority", "E12000001", "North East", "S02", "N B", "SYN0002", "150,40,c,c"),
    ])


def test_cp_plans_lasting_2_years_are_read_from_the_d7_data_set(tmp_path):
    path = tmp_path / "d7.csv"
    path.write_text(CPP_ENDING, encoding="utf-8")
    frame = read_published(path)
    assert which_data_set(frame.columns) == "cin_cpp_duration"
    long = cmp.published_values({"cin_cpp_duration": frame}).set_index("code")
    assert long.loc["E92000001", ["numerator", "denominator", "value"]].tolist() == [
        2710, 62300, 4.4]
    assert long.loc["SYN0001", "measure"] == bm.CP_TWO_YEARS
    assert pd.isna(long.loc["SYN0002", "value"])
    assert long.loc["SYN0002", "reason"] == "suppressed (confidential)"
    ours = pd.DataFrame([bm.measure_row(bm.CP_TWO_YEARS, 3, 50, bm.PERCENT, "2026", "")],
                        columns=bm.COLUMNS)
    out = cmp.compare(ours, long.reset_index(), ["SYN0001", "SYN0002"])
    council_row = out[out["role"].eq(cmp.COUNCIL)].iloc[0]
    assert council_row[["value", "rank", "of"]].tolist() == [6.0, 1, 2]  # 6% above 4%


_LONG = cmp.PUBLISHED[bm.LONG_TERM].filters
GROUP, SAME = _LONG["cla_group"], _LONG["placement_stability"]
STABILITY = STD + ",cla_group,placement_stability,children_count,children_percent\n" + "".join(
    f"2025,Reporting year,{level},E92000001,England,{region},{rname},{old},{name},{new},"
    f"{group},{kind},{values}\n"
    for level, region, rname, old, name, new, group, kind, values in [
        ("National", "", "", "", "", "", GROUP, SAME, "19680,69"),
        ("National", "", "", "", "", "", GROUP, "Total children", "28710,100"),
        ("National", "", "", "", "", "", "CLA 2 years on 31 March", "Total children",
         "59430,100"),
        ("Local authority", "E12000001", "North East", "S01", "N A", "SYN0001", GROUP, SAME,
         "c,c"),
    ])


def test_long_term_stability_is_read_from_its_row_of_the_long_layout(tmp_path):
    # the filter values as the data set's page shows them
    assert GROUP == ("Children looked after continuously for at least 2.5 years on 31 March "
                     "aged under 16 years")
    assert SAME == "Living with the same carer for at least 2 years"
    path = tmp_path / "stability.csv"
    path.write_text(STABILITY, encoding="utf-8")
    frame = read_published(path)
    assert which_data_set(frame.columns) == "cla_stability"
    long = cmp.published_values({"cla_stability": frame})
    assert long["measure"].eq(bm.LONG_TERM).all() and len(long) == 2  # not the totals
    england = long[long["code"].eq("E92000001")].iloc[0]
    assert england[["numerator", "value"]].tolist() == [19680, 69.0]
    assert pd.isna(england["denominator"])  # on the "Total children" row, not read
    assert long[long["code"].eq("SYN0001")]["reason"].tolist() == ["suppressed (confidential)"]
