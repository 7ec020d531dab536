"""The synthetic Annex A workbook: Ofsted's columns, the inspection window, the same
children and plans as the simulation and the CIN census, and identical bytes every time."""

import io
import xml.etree.ElementTree as ET
import zipfile
from datetime import datetime

import openpyxl
import pandas as pd
import pytest

from d2i_examples.datasets.annex_a import read_annex_a
from d2i_examples.errors import DataError
from d2i_examples.spec.annex_a import LISTS
from d2i_examples.synth.annex_a import (
    annex_a_lists,
    annex_a_workbook,
    inspection_window,
    write_annex_a,
)
from d2i_examples.synth.cin_census import cin_census_xml
from d2i_examples.synth.profile import DEFAULT_PROFILE
from d2i_examples.synth.simulate import simulate

END = pd.Timestamp("2026-03-31")
FIRST = pd.Timestamp("2025-04-01")


@pytest.fixture(scope="module")
def journeys():
    return simulate(DEFAULT_PROFILE, seed=1)


@pytest.fixture(scope="module")
def lists(journeys):
    return annex_a_lists(journeys, END)


@pytest.fixture(scope="module")
def workbook(journeys):
    return annex_a_workbook(journeys, END)


def overlapping(df, start, end):
    return df[(df[start] <= END) & (df[end].isna() | (df[end] >= FIRST))]


def test_window():
    assert inspection_window("2026-03-31") == (FIRST, END)
    assert inspection_window("2025-11-15") == (pd.Timestamp("2024-11-16"),
                                               pd.Timestamp("2025-11-15"))


def test_every_list_has_exactly_the_ofsted_columns(lists):
    assert list(lists) == list(LISTS)
    for key, (_, columns) in LISTS.items():
        assert list(lists[key].columns) == columns, key
        assert len(lists[key]) > 0, key


def test_dates_are_dates_and_none_after_the_window(lists):
    for key, (_, columns) in LISTS.items():
        for col in columns:
            if "date" in col.lower():
                values = lists[key][col]
                assert pd.api.types.is_datetime64_any_dtype(values), (key, col)
                assert not (values > END).any(), (key, col)


def test_list_1_holds_six_months_of_contacts(lists, journeys):
    contacts = lists["list_1"]["Date of Contact"]
    since = pd.Timestamp("2025-10-01")
    assert contacts.between(since, END).all()
    c = journeys.contacts
    assert len(contacts) == c["contact_date"].between(since, END).sum()
    twelve = annex_a_lists(journeys, END, contact_months=12)["list_1"]
    assert len(twelve) == c["contact_date"].between(FIRST, END).sum() > len(contacts)


def test_counts_match_the_journeys(lists, journeys):
    assert len(lists["list_3"]) == journeys.referrals["referral_date"].between(FIRST, END).sum()
    assert len(lists["list_7"]) == len(overlapping(journeys.cp_plans, "start_date", "end_date"))
    assert len(lists["list_8"]) == len(overlapping(journeys.care_periods, "start_date",
                                                   "end_date"))
    assert lists["list_3"]["Date of referral"].between(FIRST, END).all()
    leavers = journeys.care_leavers
    assert len(lists["list_9"]) == leavers["birthday"].between(FIRST, END).sum()


def test_list_8_shows_the_placement_at_the_window_end(lists, journeys):
    ep = journeys.episodes
    now = ep[(ep["decom"] <= END) & (ep["dec"].isna() | (ep["dec"] > END))].set_index("child_id")
    l8 = lists["list_8"]
    in_care = l8[l8["Date Ceased to be Looked After"].isna()].set_index("Child Unique ID")
    assert set(in_care.index) == set(now.index)
    now = now.loc[in_care.index]
    assert (in_care["Placement Type"] == now["place"]).all()
    assert (in_care["Child's Legal Status"] == now["ls"]).all()
    # short breaks (V3, V4) have no placement postcode or URN (903 rules 398, 214)
    assert (in_care["Placement postcode"].fillna("") == now["pl_post"].fillna("")).all()
    assert (in_care["URN of Placement"].fillna("") == now["urn"].fillna("")).all()
    assert (in_care["Number of Placements in the Last 12 months"] >= 1).all()


def test_number_of_referrals_counts_the_childs_referrals_in_the_window(lists):
    l3 = lists["list_3"]
    per_child = l3.groupby("Child Unique ID")["Date of referral"].transform("size")
    assert (l3["Number of Referrals in Last 12 Months"] == per_child).all()


def test_flags_and_genders_use_the_documented_values(lists):
    assert set(lists["list_1"]["Gender"]) <= {"Male", "Female"}
    assert set(lists["list_3"]["Referral NFA?"]) == {"Y", "N"}
    assert set(lists["list_7"]["Does the Child have a Disability"]) <= {"Y", "N"}
    assert set(lists["list_6"]["Case Status"]) <= {
        "Looked after child", "Child protection plan", "Child in need plan",
        "Open assessment", "Closed episode"}
    closed = lists["list_6"]["CIN Closure Date"].notna()
    assert (lists["list_6"].loc[closed, "Case Status"] == "Closed episode").all()


def test_age_is_completed_years_at_the_window_end(lists):
    l1 = lists["list_1"]
    dob = l1["Date of Birth"]
    had_birthday = (dob.dt.month < 3) | ((dob.dt.month == 3) & (dob.dt.day <= 31))
    expected = END.year - dob.dt.year - (~had_birthday).astype(int)
    assert (l1["Age of Child (Years)"] == expected).all()


def test_children_match_the_simulation_and_the_cin_census(lists, journeys):
    sim = journeys.children.set_index("child_id")
    root = ET.fromstring(cin_census_xml(journeys, 2026))
    census = {
        c.findtext("ChildIdentifiers/LAchildID"): (
            pd.Timestamp(c.findtext("ChildIdentifiers/PersonBirthDate")),
            {"M": "Male", "F": "Female"}[c.findtext("ChildIdentifiers/Sex")],
            c.findtext("ChildCharacteristics/Ethnicity"))
        for c in root.iter("Child")}
    in_both = 0
    for key, (_, columns) in LISTS.items():
        if "Child Unique ID" not in columns:
            continue
        df = lists[key].drop_duplicates("Child Unique ID").set_index("Child Unique ID")
        s = sim.loc[df.index]
        assert (df["Date of Birth"] == s["dob"]).all(), key
        assert (df["Gender"] == s["sex"].map({"M": "Male", "F": "Female"})).all(), key
        assert (df["Ethnicity"] == s["ethnicity"]).all(), key
        for child_id, row in df.iterrows():
            if child_id in census:
                in_both += 1
                assert census[child_id] == (row["Date of Birth"], row["Gender"],
                                            row["Ethnicity"]), (key, child_id)
    assert in_both > 1000


def test_list_7_holds_the_cin_census_plans(lists, journeys):
    root = ET.fromstring(cin_census_xml(journeys, 2026))
    census = set()
    for child in root.iter("Child"):
        cid = child.findtext("ChildIdentifiers/LAchildID")
        for plan in child.iter("ChildProtectionPlans"):
            census.add((cid, pd.Timestamp(plan.findtext("CPPstartDate")),
                        plan.findtext("InitialCategoryOfAbuse"),
                        plan.findtext("NumberOfPreviousCPP")))
    l7 = lists["list_7"]
    annex = set(zip(l7["Child Unique ID"], l7["Child Protection Plan Start Date"],
                    l7["Initial Category of Abuse"],
                    l7["Number of Previous Child Protection Plans"].astype(str)))
    assert annex == census


def test_adopters_belong_to_matched_children(lists):
    l10, l11 = lists["list_10"], lists["list_11"]
    matched = set(l10["Family identifier"].dropna())
    assert set(l11["Family identifier"]) == matched
    assert l11["Individual adopter identifier"].is_unique
    assert (l11["Date application approved"] < l11["Date adopter matched with child(ren)"]).all()


def test_workbook_bytes_are_identical_and_timestamps_fixed(journeys, workbook, tmp_path):
    assert annex_a_workbook(journeys, END) == workbook
    path = write_annex_a(journeys, END, tmp_path / "out")
    assert path.name == "annex_a_2026-03-31.xlsx"
    assert path.read_bytes() == workbook
    wb = openpyxl.load_workbook(io.BytesIO(workbook))
    assert wb.properties.created == wb.properties.modified == datetime(2026, 4, 1, 9)
    stamps = {i.date_time for i in zipfile.ZipFile(io.BytesIO(workbook)).infolist()}
    assert stamps == {(2026, 4, 1, 9, 0, 0)}


def test_workbook_sheets_headings_and_excel_dates(workbook, lists):
    wb = openpyxl.load_workbook(io.BytesIO(workbook))
    assert wb.sheetnames == [f"List {n}" for n in range(1, 12)]
    for key, (sheet, columns) in LISTS.items():
        rows = list(wb[sheet].iter_rows())
        assert [c.value for c in rows[0]] == columns
        assert len(rows) - 1 == len(lists[key])
    first = next(wb["List 7"].iter_rows(min_row=2, max_row=2))
    start = first[LISTS["list_7"][1].index("Child Protection Plan Start Date")]
    assert isinstance(start.value, datetime)
    assert start.number_format == "dd/mm/yyyy"


def test_workbook_reads_back_with_the_project_reader(workbook, lists, tmp_path):
    path = tmp_path / "annex_a.xlsx"
    path.write_bytes(workbook)
    back = read_annex_a(path)
    for key, df in lists.items():
        for col in LISTS[key][1]:
            if "date" in col.lower():
                pd.testing.assert_series_equal(back[key][col], df[col], check_names=False)


def test_any_window_end_inside_the_simulation(journeys):
    end = pd.Timestamp("2025-11-15")
    first, _ = inspection_window(end)
    other = annex_a_lists(journeys, end)
    assert other["list_3"]["Date of referral"].between(first, end).all()
    for key, (_, columns) in LISTS.items():
        for col in columns:
            if "date" in col.lower():
                assert not (other[key][col] > end).any(), (key, col)


def test_a_window_outside_the_simulation_is_refused(journeys):
    with pytest.raises(DataError, match="outside the simulated years"):
        annex_a_lists(journeys, "2026-06-30")
    with pytest.raises(DataError, match="outside the simulated years"):
        annex_a_lists(journeys, "2023-12-31")


# --- visits, permanence plans and return interviews -----------------------------------

def _latest(visits, child, start, end, kinds=None):
    v = visits[(visits["child_id"] == child) & (visits["visit_date"] >= start)
               & (visits["visit_date"] <= (END if pd.isna(end) else min(end, END)))]
    if kinds is not None:
        v = v[v["kind"].isin(kinds)]
    return v.sort_values("visit_date").iloc[-1] if len(v) else None


def test_visit_dates_are_the_latest_visit_within_each_row(lists, journeys):
    v = journeys.visits
    checks = [
        ("list_6", "CIN Start Date", "CIN Closure Date", "Date Child Was Last Seen", None),
        ("list_7", "Child Protection Plan Start Date", "Child Protection Plan End Date",
         "Date of the Last Statutory Visit", ["cp"]),
        ("list_8", "Date Started to be Looked After", "Date Ceased to be Looked After",
         "Date of Last Social Work Visit", ["cla"]),
        ("list_8", "Date Started to be Looked After", "Date Ceased to be Looked After",
         "Date of Last IRO Visit / Contact to the Child", ["iro"]),
    ]
    for key, start, end, column, kinds in checks:
        df = lists[key]
        if key == "list_8":  # the simulation gives short breaks (V3, V4) no visits
            df = df[~df["Child's Legal Status"].isin(["V3", "V4"])]
        assert df[column].notna().mean() > 0.9, column
        for row in df.sample(40, random_state=0).itertuples(index=False):
            row = dict(zip(df.columns, row))
            latest = _latest(v, row["Child Unique ID"], row[start], row[end], kinds)
            expected = pd.NaT if latest is None else latest["visit_date"]
            assert row[column] is expected or row[column] == expected, (key, column, row)
            if key == "list_7":
                alone = None if latest is None else ("Y" if latest["seen_alone"] else "N")
                assert row["Was the Child Seen Alone?"] == alone or (
                    alone is None and pd.isna(row["Was the Child Seen Alone?"]))


def test_open_plans_and_periods_were_visited_recently(lists):
    """Open child protection plans: a statutory visit within four weeks of the window end
    for nearly all; children looked after: a visit within three months."""
    l7 = lists["list_7"]
    open7 = l7[l7["Child Protection Plan End Date"].isna()]
    since = (END - open7["Date of the Last Statutory Visit"]).dt.days
    assert (since <= 28).mean() > 0.9
    l8 = lists["list_8"]
    open8 = l8[l8["Date Ceased to be Looked After"].isna()]
    since = (END - open8["Date of Last Social Work Visit"]).dt.days
    assert (since <= 92).mean() > 0.9


def test_permanence_plan_for_every_child_looked_after(lists, journeys):
    from d2i_examples.synth.care import PERMANENCE_PLANS

    l8 = lists["list_8"]
    plan = l8["What is the permanence plan for this child?"]
    assert plan.isin(PERMANENCE_PLANS).all()
    a = journeys.adoption
    decided = set(a.loc[a["decision_date"] <= END, "child_id"])
    adoption = plan == "Adoption"
    assert adoption.any()
    assert l8.loc[adoption, "Child Unique ID"].isin(decided).all()
    assert (plan[l8["Reason Ceased to be Looked After"].isin(["E11", "E12"])] == "Adoption").all()


def test_return_interviews_follow_the_last_missing_spell(lists, journeys):
    l8 = lists["list_8"]
    offered = l8["Was the child offered a Return Interview after their last missing episode (Y/N)?"]
    accepted = l8["Did the child accept a Return Interview after their last missing episode (Y/N)?"]
    assert set(offered.dropna()) == {"Y", "N"} and set(accepted.dropna()) <= {"Y", "N"}
    assert (offered.isna() == accepted.isna()).all()
    assert not ((accepted == "Y") & (offered == "N")).any()
    missing = l8["Number of Episodes the Child has been 'Missing' from their Placement in the "
                 "last 12 months"]
    assert (missing[offered.notna()] > 0).all()
    # with no missing spell in the window there is nothing to ask about
    assert offered[missing == 0].isna().all()


def test_a_small_council_without_adoptions_gets_empty_adoption_lists():
    """300 children aged 0-17 (`synth --children 300`): no adoption in the window, and
    Lists 10 and 11 are written with their headings and no rows."""
    small = simulate(DEFAULT_PROFILE.scaled(300), seed=1)
    lists = annex_a_lists(small, END)
    assert len(lists["list_10"]) == len(lists["list_11"]) == 0
    assert list(lists["list_10"].columns) == LISTS["list_10"][1]  # (sheet name, columns)


def test_list_8_counts_placements_as_the_dfe_does(lists, journeys):
    """A temporary placement, the return from it and a change with the same carer add no
    placement: List 8's count is the indicators' count (placement_moves) for each child
    in care at the window end with one period of care in the window."""
    from d2i_examples.indicators.placements import placement_moves

    ep = journeys.episodes
    frame = pd.DataFrame({"CHILD": ep["child_id"], "DECOM": ep["decom"], "DEC": ep["dec"],
                          "RNE": ep["rne"], "PLACE": ep["place"], "PL_POST": ep["pl_post"],
                          "LS": ep["ls"]})
    counted = placement_moves(frame[frame["DECOM"] <= END], END).set_index("child")
    periods = overlapping(journeys.care_periods, "start_date", "end_date").groupby(
        "child_id").size()
    l8 = lists["list_8"]
    in_care = l8[l8["Date Ceased to be Looked After"].isna()].set_index("Child Unique ID")
    one = in_care.index[in_care.index.map(periods).to_numpy() == 1]
    listed = in_care.loc[one, "Number of Placements in the Last 12 months"]
    assert (listed == counted.loc[one, "placements"]).all()
    # the sample holds children whose episodes in the year are more than their placements
    assert (counted.loc[one, "episode_changes"] > counted.loc[one, "moves"]).any()
