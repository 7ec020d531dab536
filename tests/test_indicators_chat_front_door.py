"""ChAT front-door measures on hand-built Annex A lists; answers worked out by hand.

Reference date 31/03/2025, 12-month window: 01/04/2024 to 31/03/2025.
"""

import pandas as pd
import pytest

from d2i_examples.errors import DataError
from d2i_examples.indicators.chat.front_door import (
    assessment_timeliness,
    contacts_by_source,
    re_referrals,
    referrals_by_source,
    s47_to_icpc,
)
from d2i_examples.indicators.rates import summarise
from tests.annex_a_builders import annex_list

REF = "31/03/2025"


def contacts():
    return annex_list("list_1", [
        {"Child Unique ID": "SYN001", "Date of Contact": "01/04/2024", "Contact Source": "3A"},
        {"Child Unique ID": "SYN002", "Date of Contact": "31/03/2025", "Contact Source": "6"},
        {"Child Unique ID": "SYN003", "Date of Contact": "31/03/2024", "Contact Source": "6"},
        {"Child Unique ID": "SYN004", "Date of Contact": "15/06/2024", "Contact Source": " 3e "},
        {"Child Unique ID": "SYN005", "Date of Contact": "20/07/2024",
         "Contact Source": "Neighbour"},
        {"Child Unique ID": "SYN006", "Date of Contact": None, "Contact Source": "6"},
    ])


def test_contacts_by_source_groups_and_shares():
    # In the window: SYN001 (first day), SYN002 (last day), SYN004, SYN005 = 4.
    # SYN003 is the day before the window; SYN006 has no date.
    # Groups: Health 2 (3A, 3E), Police 1 (6), "Neighbour" kept as written 1.
    table = contacts_by_source(contacts(), REF)
    assert table.set_index("source")["numerator"].to_dict() == {
        "Health": 2, "Neighbour": 1, "Police": 1}
    assert (table["denominator"] == 4).all()
    assert table.set_index("source").loc["Health", "rate"] == 0.5


def test_sources_by_label_and_code():
    labels = contacts_by_source(contacts(), REF, level="label").set_index("source")
    assert labels.loc["Health: A&E", "numerator"] == 1
    codes = contacts_by_source(contacts(), REF, level="code").set_index("source")
    assert codes["numerator"].to_dict() == {"3A": 1, "3E": 1, "6": 1, "NEIGHBOUR": 1}


def test_shorter_window():
    # 6 months to 31/03/2025 starts 01/10/2024: only SYN002's contact.
    table = contacts_by_source(contacts(), REF, months=6)
    assert table["numerator"].tolist() == [1] and table["source"].tolist() == ["Police"]


def referrals():
    rows = [
        ("SYN010", "10/04/2023"), ("SYN010", "05/04/2024"), ("SYN010", "20/03/2025"),
        ("SYN011", "01/05/2023"), ("SYN011", "01/05/2024"),
        ("SYN012", "01/05/2023"), ("SYN012", "02/05/2024"),
        ("SYN013", "29/02/2024"), ("SYN013", "28/02/2025"),
        ("SYN014", "10/06/2024"), ("SYN014", "10/06/2024"),
        ("SYN015", "15/07/2024"),
        ("SYN016", None),
    ]
    return annex_list("list_3", [
        {"Child Unique ID": c, "Date of referral": d, "Referral Source": "2A",
         "Allocated Team": "North" if c < "SYN013" else "South"} for c, d in rows])


def test_re_referrals_hand_worked():
    # In the window: SYN010 x2, SYN011, SYN012, SYN013, SYN014 x2, SYN015 = 8 referrals.
    # SYN010 05/04/2024: previous 10/04/2023, +12 months = 10/04/2024 -> re-referral.
    # SYN010 20/03/2025: previous 05/04/2024 -> re-referral.
    # SYN011 01/05/2024: previous 01/05/2023, exactly 12 months -> re-referral (inclusive).
    # SYN012 02/05/2024: previous 01/05/2023, 12 months and a day -> not.
    # SYN013 28/02/2025: previous 29/02/2024, +12 months = 28/02/2025 -> re-referral.
    # SYN014: two referrals the same day -> neither has an earlier one -> not.
    # SYN015: one referral -> not. SYN016: no date -> not in the window.
    found = re_referrals(referrals(), REF)
    assert len(found) == 8
    flagged = found.loc[found["numerator"], ["Child Unique ID", "Date of referral"]]
    assert sorted(map(tuple, flagged.astype(str).to_numpy())) == [
        ("SYN010", "2024-04-05"), ("SYN010", "2025-03-20"), ("SYN011", "2024-05-01"),
        ("SYN013", "2025-02-28")]
    assert summarise(found)[["numerator", "denominator", "rate"]].iloc[0].tolist() == [4, 8, 0.5]
    syn012 = found[found["Child Unique ID"] == "SYN012"]
    assert syn012["previous_referral"].tolist() == [pd.Timestamp("2023-05-01")]


def test_re_referrals_by_team():
    # North: SYN010 x2 (both re-referrals), SYN011 (re), SYN012 (not) -> 3 of 4.
    # South: SYN013 (re), SYN014 x2, SYN015 -> 1 of 4.
    table = summarise(re_referrals(referrals(), REF), by="Allocated Team")
    assert table.set_index("Allocated Team")[["numerator", "denominator"]].to_dict("index") == {
        "North": {"numerator": 3, "denominator": 4}, "South": {"numerator": 1, "denominator": 4}}


def test_referrals_by_source_counts_the_window():
    table = referrals_by_source(referrals(), REF)
    assert table[["source", "numerator", "denominator"]].values.tolist() == [["Education", 8, 8]]


def test_assessments_within_45_working_days():
    # Start Easter Monday 01/04/2024. Working days after it: April 2-30 = 21;
    # May 2024 (6 and 27 May are bank holidays) = 21 -> 42 by 31 May;
    # 3 June = 43, 4 = 44, 5 = 45, 6 = 46.
    frame = annex_list("list_4", [
        {"Child Unique ID": "SYN020", "Continuous Assessment Start Date": "01/04/2024",
         "Continuous Assessment Date of Authorisation": "03/06/2024"},   # 43: in time
        {"Child Unique ID": "SYN021", "Continuous Assessment Start Date": "01/04/2024",
         "Continuous Assessment Date of Authorisation": "06/06/2024"},   # 46: late
        {"Child Unique ID": "SYN022", "Continuous Assessment Start Date": "01/04/2024",
         "Continuous Assessment Date of Authorisation": "05/06/2024"},   # 45: in time
        {"Child Unique ID": "SYN023", "Continuous Assessment Start Date": "01/02/2024",
         "Continuous Assessment Date of Authorisation": "15/03/2024"},   # before the window
        {"Child Unique ID": "SYN024", "Continuous Assessment Start Date": "01/02/2025",
         "Continuous Assessment Date of Authorisation": None},           # not authorised
        {"Child Unique ID": "SYN025", "Continuous Assessment Start Date": None,
         "Continuous Assessment Date of Authorisation": "01/07/2024"},   # no start
    ])
    found = assessment_timeliness(frame, REF)
    assert found["working_days"].tolist() == [43, 46, 45]
    assert found["numerator"].tolist() == [True, False, True]
    # A 44-day standard makes SYN022 late too.
    assert assessment_timeliness(frame, REF, working_days=44)["numerator"].sum() == 1


def test_s47_to_icpc_over_christmas():
    # S47 start Mon 16/12/2024. Working days after it: 17-20 Dec (4), 23, 24 (6),
    # 25/26 Dec holidays, 27 (7), 30, 31 (9), 1 Jan holiday, 2, 3 Jan (11),
    # 6, 7, 8 Jan (14), 9 (15), 10 (16).
    frame = annex_list("list_5", [
        {"Child Unique ID": "SYN030",
         "Strategy discussion initiating Section 47 Enquiry Start Date": "16/12/2024",
         "Date of Initial Child Protection Conference": "08/01/2025"},   # 14: in time
        {"Child Unique ID": "SYN031",
         "Strategy discussion initiating Section 47 Enquiry Start Date": "16/12/2024",
         "Date of Initial Child Protection Conference": "10/01/2025"},   # 16: late
        {"Child Unique ID": "SYN032",
         "Strategy discussion initiating Section 47 Enquiry Start Date": "02/01/2025",
         "Was an Initial Child Protection Conference deemed unnecessary?": "Y",
         "Date of Initial Child Protection Conference": None},           # no ICPC
        {"Child Unique ID": "SYN033",
         "Strategy discussion initiating Section 47 Enquiry Start Date": None,
         "Date of Initial Child Protection Conference": "31/03/2025"},   # no S47 date
    ])
    found = s47_to_icpc(frame, REF)
    assert found["working_days"].tolist() == [14, 16]
    assert summarise(found)[["numerator", "denominator"]].iloc[0].tolist() == [1, 2]


def test_missing_column_names_the_list_and_column():
    frame = referrals().drop(columns="Date of referral")
    with pytest.raises(DataError) as error:
        re_referrals(frame, REF)
    assert error.value.column == "Date of referral"
    assert error.value.file == "Annex A List 3"


def test_text_dates_are_refused_with_an_example():
    frame = referrals()
    frame["Date of referral"] = frame["Date of referral"].dt.strftime("%d/%m/%Y")
    with pytest.raises(DataError, match="does not hold dates") as error:
        re_referrals(frame, REF)
    assert "10/04/2023" in error.value.found


def test_bad_reference_date():
    with pytest.raises(DataError, match="reference date"):
        re_referrals(referrals(), "the end of March")


def test_unknown_source_level_and_non_records():
    with pytest.raises(DataError, match="level"):
        contacts_by_source(contacts(), REF, level="groups")
    with pytest.raises(DataError, match="not the records") as error:
        summarise(contacts())
    assert error.value.column == "measure"


def test_re_referrals_see_the_referrals_of_an_earlier_list():
    # SYN015's referral of 15/07/2024 has no earlier one in this List 3; last year's
    # List 3 holds one of 01/09/2023, within 12 months: a re-referral the list alone
    # cannot see. The earlier list's own referral is history, never counted.
    earlier = annex_list("list_3", [
        {"Child Unique ID": "SYN015", "Date of referral": "01/09/2023"}])
    alone = re_referrals(referrals(), REF).set_index("Child Unique ID")
    both = re_referrals(referrals(), REF, earlier=earlier).set_index("Child Unique ID")
    assert not alone.loc["SYN015", "numerator"] and both.loc["SYN015", "numerator"]
    assert both.loc["SYN015", "previous_referral"] == pd.Timestamp("2023-09-01")
    assert len(both) == len(alone) == 8
    assert summarise(both.reset_index())["numerator"].iloc[0] == 5


def test_re_referrals_name_an_earlier_list_without_its_columns():
    earlier = pd.DataFrame({"Child Unique ID": ["SYN015"]})
    with pytest.raises(DataError, match="Date of referral"):
        re_referrals(referrals(), REF, earlier=earlier)


def test_referred_more_than_once_reads_the_list_3_count():
    # Two referrals of SYN020 (count 2 on each), one of SYN021 (count 1), one of SYN022
    # whose earlier referral is before the window (count 2), one blank count: 3 of 5 in
    # the window have a count of 2 or more; the DfE's measure would count only one.
    frame = annex_list("list_3", [
        {"Child Unique ID": "SYN020", "Date of referral": "01/05/2024",
         "Number of Referrals in Last 12 Months": "2"},
        {"Child Unique ID": "SYN020", "Date of referral": "01/08/2024",
         "Number of Referrals in Last 12 Months": "2"},
        {"Child Unique ID": "SYN021", "Date of referral": "01/06/2024",
         "Number of Referrals in Last 12 Months": "1"},
        {"Child Unique ID": "SYN022", "Date of referral": "01/06/2024",
         "Number of Referrals in Last 12 Months": "2"},
        {"Child Unique ID": "SYN023", "Date of referral": "01/07/2024",
         "Number of Referrals in Last 12 Months": None},
    ])
    from d2i_examples.indicators.chat.front_door import referred_more_than_once

    found = referred_more_than_once(frame, REF)
    assert summarise(found)[["numerator", "denominator"]].iloc[0].tolist() == [3, 5]
    assert summarise(re_referrals(frame, REF))["numerator"].iloc[0] == 1
