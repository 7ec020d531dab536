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
NEED = "Was the child assessed as requiring LA children's social care support?"
S47 = "Strategy discussion initiating Section 47 Enquiry Start Date"


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
            {ID: "SYN300", "Continuous Assessment Start Date": "03/05/2024",
             "Continuous Assessment Date of Authorisation": "20/05/2024", NEED: "Y"}]),
        "list_5": annex_list("list_5", []),
        # List 6's CIN Start Date is the referral date: it marks no stage
        "list_6": annex_list("list_6", [{ID: "SYN300", "CIN Start Date": "02/05/2024"},
                                        {ID: "SYN302", "CIN Start Date": "01/06/2024"}]),
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


def known_journeys():
    """Children whose true path is known, each stage dated by the event that marks it.

    SYN400: referred, assessed, found not to need support: Referral > Assessment, ended.
    SYN401: referred, assessed, found in need, then a CP plan.
    SYN402: referred, S47 enquiry started during the assessment, CP plan from the
            conference, and the assessment authorised (in need) after the plan began.
    SYN403: referred, assessed, in need, then looked after.
    """
    return {
        "list_1": annex_list("list_1", []),
        "list_3": annex_list("list_3", [
            {ID: c, "Date of referral": "01/05/2024"}
            for c in ("SYN400", "SYN401", "SYN402", "SYN403")]),
        "list_4": annex_list("list_4", [
            {ID: "SYN400", "Continuous Assessment Start Date": "02/05/2024",
             "Continuous Assessment Date of Authorisation": "30/05/2024", NEED: "N"},
            {ID: "SYN401", "Continuous Assessment Start Date": "02/05/2024",
             "Continuous Assessment Date of Authorisation": "30/05/2024", NEED: "Y"},
            {ID: "SYN402", "Continuous Assessment Start Date": "02/05/2024",
             "Continuous Assessment Date of Authorisation": "20/06/2024", NEED: "yes"},
            {ID: "SYN403", "Continuous Assessment Start Date": "02/05/2024",
             "Continuous Assessment Date of Authorisation": "30/05/2024", NEED: "Y"},
        ]),
        "list_5": annex_list("list_5", [{ID: "SYN402", S47: "05/05/2024"}]),
        "list_6": annex_list("list_6", [  # every referred child, from the referral date
            {ID: c, "CIN Start Date": "01/05/2024"}
            for c in ("SYN400", "SYN401", "SYN402", "SYN403")]),
        "list_7": annex_list("list_7", [
            {ID: "SYN401", "Child Protection Plan Start Date": "01/07/2024"},
            {ID: "SYN402", "Child Protection Plan Start Date": "01/06/2024"}]),
        "list_8": annex_list("list_8", [
            {ID: "SYN403", "Date Started to be Looked After": "01/09/2024"}]),
    }


def test_each_child_follows_its_true_path():
    links = journey_links(known_journeys(), REF, exits=True)
    flows = {(s, t): n for s, t, n in links.values.tolist()}
    assert flows == {
        ("Referral", "Assessment"): 4,
        ("Assessment", "Ended after Assessment"): 1,           # SYN400: not in need
        ("Assessment", "Child in need"): 2,                     # SYN401, SYN403
        ("Assessment", "Section 47"): 1,                        # SYN402
        ("Section 47", "Child protection plan"): 1,             # SYN402
        ("Child in need", "Child protection plan"): 1,          # SYN401
        ("Child in need", "Looked after"): 1,                   # SYN403
        ("Child protection plan", "Child in need"): 1,          # SYN402: authorised later
        ("Child protection plan", "Ended after Child protection plan"): 1,  # SYN401
        ("Child in need", "Ended after Child in need"): 1,       # SYN402
        ("Looked after", "Ended after Looked after"): 1,        # SYN403
    }
    counts = stage_counts(known_journeys(), REF).set_index("stage")["children"]
    assert counts["Child in need"] == 3  # not 4: List 6 marks no one


def test_shorter_window_and_missing_lists():
    # 3 months to 31/03/2025: nothing happened then.
    assert stage_counts(annex(), REF, months=3)["children"].sum() == 0
    partial = {"list_3": annex()["list_3"]}
    assert stage_counts(partial, REF).set_index("stage")["children"]["Referral"] == 4
    with pytest.raises(DataError, match="none of the lists"):
        stage_counts({}, REF)


def test_conversion_rates():
    from d2i_examples.indicators.journeys import conversion_rates

    lists = annex()
    s47, icpc = "Strategy discussion initiating Section 47 Enquiry Start Date", \
        "Date of Initial Child Protection Conference"
    plan = "Did the Initial Child Protection Conference Result in a Child Protection Plan"
    lists["list_5"] = annex_list("list_5", [
        {ID: "SYN300", s47: "01/06/2024", icpc: "20/06/2024", plan: "Y"},
        {ID: "SYN302", s47: "01/07/2024"},  # no conference (yet)
        {ID: "SYN303", s47: "20/03/2024", icpc: "05/04/2024", plan: "No"},  # S47 before window
        {ID: "SYN304", s47: "01/03/2025", icpc: "15/04/2025", plan: "Yes"},  # ICPC after it
    ])
    table = conversion_rates(lists, REF).set_index("step")
    # Contacts in the window: SYN300, 301, 302, 305 (SYN304's is before it); referred:
    # SYN300, SYN302. Referred: SYN300, 302, 303, 304; assessed in the window: SYN300.
    assert table.loc["Contacts to referrals", ["total", "converted"]].tolist() == [4, 2]
    assert table.loc["Referrals to assessments", ["total", "converted"]].tolist() == [4, 1]
    assert table.loc["Referrals to assessments", "rate"] == 0.25
    # S47s in the window: SYN300, 302, 304 -> with a conference date: SYN300, SYN304.
    assert table.loc["S47 enquiries to ICPCs", ["total", "converted"]].tolist() == [3, 2]
    # ICPCs dated in the window: SYN300 (Y) and SYN303 (No).
    assert table.loc["ICPCs to CP plans", ["total", "converted"]].tolist() == [2, 1]
    assert table.loc["ICPCs to CP plans", "counted"] == "conferences"


def test_conversion_rates_with_nothing_to_convert_is_nan():
    import math

    from d2i_examples.indicators.journeys import conversion_rates

    table = conversion_rates(annex(), REF).set_index("step")
    assert table.loc["S47 enquiries to ICPCs", "total"] == 0
    assert math.isnan(table.loc["S47 enquiries to ICPCs", "rate"])


def test_no_contact_in_the_window_converts_nothing_rather_than_failing():
    """A part-year Annex A (an in-year extract) can hold referrals in the window but no
    contact in it: contacts to referrals is 0 of 0, not a KeyError."""
    import math

    from d2i_examples.indicators.journeys import conversion_rates

    lists = annex()
    lists["list_1"] = annex_list("list_1", [{ID: "SYN300", "Date of Contact": "01/05/2025"}])
    table = conversion_rates(lists, REF).set_index("step")
    assert table.loc["Contacts to referrals", ["total", "converted"]].tolist() == [0, 0]
    assert math.isnan(table.loc["Contacts to referrals", "rate"])
    assert table.loc["Referrals to assessments", ["total", "converted"]].tolist() == [4, 1]


def test_a_referral_before_the_contact_is_not_its_conversion():
    """Contacts to referrals counts a referral on or after the contact, as the flows do."""
    from d2i_examples.indicators.journeys import conversion_rates

    lists = {
        "list_1": annex_list("list_1", [
            {ID: "AFTER", "Date of Contact": "01/11/2024"},
            {ID: "SAME_DAY", "Date of Contact": "01/12/2024"},
            {ID: "BEFORE", "Date of Contact": "01/11/2024"},  # referred in May, then a contact
            {ID: "ONLY", "Date of Contact": "01/12/2024"},
        ]),
        "list_3": annex_list("list_3", [
            {ID: "AFTER", "Date of referral": "05/11/2024"},
            {ID: "SAME_DAY", "Date of referral": "01/12/2024"},
            {ID: "BEFORE", "Date of referral": "01/05/2024"},
        ]),
        "list_4": annex_list("list_4", [
            {ID: "AFTER", "Continuous Assessment Start Date": "06/11/2024"},
            {ID: "BEFORE", "Continuous Assessment Start Date": "01/04/2024"},  # before referral
        ]),
    }
    table = conversion_rates(lists, REF).set_index("step")
    assert table.loc["Contacts to referrals", ["total", "converted"]].tolist() == [4, 2]
    assert table.loc["Referrals to assessments", ["total", "converted"]].tolist() == [3, 1]
    links = journey_links(lists, REF).set_index(["source", "target"])["children"]
    assert links[("Contact", "Referral")] == 2  # the same two children as the rate
    assert links[("Assessment", "Referral")] == 1 and links[("Referral", "Contact")] == 1


def test_a_systems_own_wording_for_assessed_in_need_is_warned_about_not_silently_zero():
    from d2i_examples.indicators.frames import UnplacedValues

    data = annex()
    data["list_4"] = annex_list("list_4", [
        {ID: "SYN300", "Continuous Assessment Start Date": "03/05/2024",
         "Continuous Assessment Date of Authorisation": "20/05/2024", NEED: "Requires support"},
        {ID: "SYN302", "Continuous Assessment Start Date": "03/06/2024",
         "Continuous Assessment Date of Authorisation": "20/06/2024", NEED: "N"}])
    with pytest.warns(UnplacedValues) as caught:
        counts = stage_counts(data, REF).set_index("stage")["children"]
    assert counts["Child in need"] == 0
    message = str(caught[0].message)
    assert "1 row with 'REQUIRES SUPPORT'" in message
    assert "mapping > annex_a > codes" in message and "'N'" not in message


def test_yes_no_and_blank_answers_give_no_warning():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        stage_counts(annex(), REF)
