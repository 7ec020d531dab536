"""Linking one child across the three returns by ID."""

from __future__ import annotations

import pandas as pd

from d2i_examples.datasets.linking import (
    CARE_LEAVER,
    HEADER_ONLY,
    LOOKED_AFTER,
    child_records,
    ids_by_return,
    in_903_not_in_cin,
    table_sizes,
)

SSDA903 = {
    "header": pd.DataFrame({"CHILD": ["A", "B"], "SEX": ["1", "2"]}),
    "episodes": pd.DataFrame({"CHILD": ["A", "A", "B"], "DECOM": ["x", "y", "z"]}),
}
CIN = {
    "ChildIdentifiers": pd.DataFrame({"LAchildID": ["A", "C"]}),
    "CINdetails": pd.DataFrame({"LAchildID": ["A", "C", "C"], "CINdetailsID": [1, 1, 2]}),
    "Header": pd.DataFrame({"Collection": ["CIN"]}),
}
ANNEX_A = {
    "list_1": pd.DataFrame({"Child Unique ID": ["A", "D"]}),
    "list_11": pd.DataFrame({"Individual adopter identifier": ["AD1"]}),
}


def test_ids_by_return_marks_which_return_holds_each_child():
    frame = ids_by_return(SSDA903, CIN, ANNEX_A).set_index("child")
    assert list(frame.index) == ["A", "B", "C", "D"]
    assert frame.loc["A"].tolist() == [True, True, True]
    assert frame.loc["B"].tolist() == [True, False, False]
    assert frame.loc["C"].tolist() == [False, True, False]
    assert frame.loc["D"].tolist() == [False, False, True]


def test_child_records_gathers_only_that_childs_rows_from_every_table():
    found = child_records("A", SSDA903, CIN, ANNEX_A)
    assert sorted(found) == [
        "annex_a list_1", "cin_census CINdetails", "cin_census ChildIdentifiers",
        "ssda903 episodes", "ssda903 header",
    ]
    assert found["ssda903 episodes"]["DECOM"].tolist() == ["x", "y"]
    assert child_records("Z", SSDA903, CIN, ANNEX_A) == {}


def test_child_timeline_lists_spans_and_closes_open_ones_at_the_given_date():
    from d2i_examples.datasets.linking import child_timeline

    records = {
        "cin_census CINdetails": pd.DataFrame({
            "CINreferralDate": pd.to_datetime(["2025-05-01"]),
            "CINclosureDate": [pd.NaT],
        }),
        "ssda903 episodes": pd.DataFrame({
            "DECOM": pd.to_datetime(["2025-06-01", None]),
            "DEC": pd.to_datetime(["2025-09-30", None]),
        }),
    }
    until = pd.Timestamp("2026-03-31")
    timeline = child_timeline(records, until)
    assert timeline["stage"].tolist() == [
        "CIN episode (referral to closure)", "Looked after (903 episode)"]
    assert timeline["end"].tolist() == [until, pd.Timestamp("2025-09-30")]
    assert timeline["open"].tolist() == [True, False]
    assert child_timeline({}, until).empty


def test_child_in_every_return_prefers_the_fullest_story():
    from d2i_examples.datasets.linking import child_in_every_return

    cin = {
        "ChildIdentifiers": pd.DataFrame({"LAchildID": ["A", "B"]}),
        "Assessments": pd.DataFrame({"LAchildID": ["B"]}),
        "ChildProtectionPlans": pd.DataFrame({"LAchildID": ["B"]}),
    }
    ssda903 = {
        "header": pd.DataFrame({"CHILD": ["A", "B"]}),
        "episodes": pd.DataFrame({"CHILD": ["A", "A", "A", "B"]}),
    }
    annex_a = {"list_8": pd.DataFrame({"Child Unique ID": ["A", "B"]})}
    assert child_in_every_return(ssda903, cin, annex_a) == "B"  # more kinds beats more episodes
    annex_a = {"list_8": pd.DataFrame({"Child Unique ID": ["A"]})}
    assert child_in_every_return(ssda903, cin, annex_a) == "A"
    import pytest

    with pytest.raises(ValueError, match="No child"):
        child_in_every_return(ssda903, cin, {"list_8": pd.DataFrame({"Child Unique ID": []})})


def test_903_children_missing_from_the_cin_census_are_sorted_into_care_leavers_and_others():
    ssda903 = {
        "header": pd.DataFrame({"CHILD": ["A", "B", "C", "D"]}),
        "episodes": pd.DataFrame({"CHILD": ["A", "B"]}),
        "oc3": pd.DataFrame({"CHILD": ["C"]}),
    }
    census = {"ChildIdentifiers": pd.DataFrame({"LAchildID": ["A"]})}
    missing = in_903_not_in_cin(ssda903, census).set_index("child")["why"]
    assert missing.to_dict() == {"B": LOOKED_AFTER, "C": CARE_LEAVER, "D": HEADER_ONLY}


def test_table_sizes_counts_the_rows_of_every_table():
    sizes = table_sizes({"903": {"header": pd.DataFrame({"x": [1, 2]})},
                         "CIN": {"a": pd.DataFrame({"y": [1]}), "b": pd.DataFrame()}})
    assert sizes.values.tolist() == [["903", "header", 2], ["CIN", "a", 1], ["CIN", "b", 0]]


def test_care_leavers_missing_from_the_cin_census_are_listed_to_check():
    """A care leaver can be a child in need: absence from the CIN census is checked."""
    from d2i_examples.datasets.linking import care_leavers_not_in_cin

    ssda903 = {"header": pd.DataFrame({"CHILD": ["C", "E"]}),
               "oc3": pd.DataFrame({"CHILD": ["C", "E"], "IN_TOUCH": ["YES", "YES"]})}
    census = {"ChildIdentifiers": pd.DataFrame({"LAchildID": ["E"]})}  # E: leaving care CIN
    assert care_leavers_not_in_cin(ssda903, census)["CHILD"].tolist() == ["C"]
    assert "check" in in_903_not_in_cin(ssda903, census).set_index("child").loc["C", "why"]
