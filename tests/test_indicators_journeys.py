"""Annex A journeys: stages reached in the window and the flows between them.

Reference date 31/03/2025, window 01/04/2024 to 31/03/2025. Children:
SYN300 contact, referral, assessment, CIN, CP plan; SYN301 contact only;
SYN302 contact and referral; SYN303 referral then looked after (no list 4-7
entry); SYN304 referral, with a contact before the window; SYN305 two contacts.
"""

import pytest

from d2i_examples.errors import DataError
from d2i_examples.indicators.journeys import (
    journey_links,
    journey_paths,
    stage_counts,
    stages_reached,
)
from tests.annex_a_builders import annex_list

REF = "31/03/2025"
ID = "Child Unique ID"


def annex():
    return {
        "list_1": annex_list("list_1", [
            {ID: "SYN300", "Date of Contact": "01/05/2024"},
            {ID: "SYN301", "Date of Contact": "01/06/2024"},
            {ID: "SYN302", "Date of Contact": "01/06/2024"},
            {ID: "SYN304", "Date of Contact": "01/01/2024"},
            {ID: "SYN305", "Date of Contact": "01/06/2024"},
            {ID: "SYN305", "Date of Contact": "01/09/2024"},
        ]),
        "list_3": annex_list("list_3", [
            {ID: "SYN300", "Date of referral": "02/05/2024"},
            {ID: "SYN302", "Date of referral": "01/06/2024"},
            {ID: "SYN303", "Date of referral": "01/06/2024"},
            {ID: "SYN304", "Date of referral": "01/05/2024"},
        ]),
        "list_4": annex_list("list_4", [
            {ID: "SYN300", "Continuous Assessment Start Date": "03/05/2024"}]),
        "list_5": annex_list("list_5", []),
        "list_6": annex_list("list_6", [{ID: "SYN300", "CIN Start Date": "02/05/2024"}]),
        "list_7": annex_list("list_7", [
            {ID: "SYN300", "Child Protection Plan Start Date": "01/07/2024"}]),
        "list_8": annex_list("list_8", [
            {ID: "SYN303", "Date Started to be Looked After": "01/08/2024"}]),
    }


def test_stage_counts():
    counts = stage_counts(annex(), REF).set_index("stage")["children"].to_dict()
    assert counts == {"Contact": 4, "Referral": 4, "Assessment": 1, "Section 47": 0,
                      "Child in need": 1, "Child protection plan": 1, "Looked after": 1}


def test_first_date_per_stage():
    reached = stages_reached(annex(), REF)
    syn305 = reached[reached["child"] == "SYN305"]
    assert syn305["first_date"].dt.strftime("%d/%m/%Y").tolist() == ["01/06/2024"]


def test_links_between_consecutive_stages():
    links = journey_links(annex(), REF)
    assert links.values.tolist() == [
        ["Contact", "Referral", 2],              # SYN300, SYN302
        ["Referral", "Assessment", 1],           # SYN300
        ["Referral", "Looked after", 1],         # SYN303 skips the stages between
        ["Assessment", "Child in need", 1],
        ["Child in need", "Child protection plan", 1],
    ]


def test_links_with_exits_balance_each_stage():
    links = journey_links(annex(), REF, exits=True)
    out_of = links.groupby("source")["children"].sum()
    counts = stage_counts(annex(), REF).set_index("stage")["children"]
    # Every child at a stage leaves it once: to a later stage or to "Ended after".
    assert out_of.to_dict() == counts[counts > 0].to_dict()
    ended = links[links["target"].str.startswith("Ended")].set_index("target")["children"]
    assert ended.to_dict() == {"Ended after Contact": 2, "Ended after Referral": 2,
                               "Ended after Child protection plan": 1,
                               "Ended after Looked after": 1}


def test_paths():
    paths = journey_paths(annex(), REF).set_index("path")["children"].to_dict()
    assert paths == {
        "Contact": 2,
        "Contact > Referral": 1,
        "Referral": 1,
        "Referral > Looked after": 1,
        "Contact > Referral > Assessment > Child in need > Child protection plan": 1,
    }


def test_shorter_window_and_missing_lists():
    # 3 months to 31/03/2025: nothing happened then.
    assert stage_counts(annex(), REF, months=3)["children"].sum() == 0
    partial = {"list_3": annex()["list_3"]}
    assert stage_counts(partial, REF).set_index("stage")["children"]["Referral"] == 4
    with pytest.raises(DataError, match="none of the lists"):
        stage_counts({}, REF)
