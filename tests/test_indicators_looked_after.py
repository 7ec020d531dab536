"""The DfE's cohorts of children looked after, on hand-made SSDA903 episodes."""

from __future__ import annotations

import pandas as pd
import pytest

from d2i_examples.errors import DataError
from d2i_examples.indicators import ehcp_social_care as sc
from d2i_examples.indicators import looked_after as la
from d2i_examples.spec.upn import check_letter

T = pd.Timestamp
END = "2026-03-31"


def episodes() -> pd.DataFrame:
    rows = [  # CHILD, DECOM, DEC, RNE, LS, REC
        ("ALL_YEAR", "2024-06-01", None, "S", "C2", None),  # in care throughout
        ("FROM_1_APRIL", "2025-04-01", None, "S", "V2", None),  # exactly 12 months
        ("FROM_2_APRIL", "2025-04-02", None, "S", "V2", None),  # a day short
        ("LEFT_MARCH", "2023-01-01", "2026-03-15", "S", "C2", "E4A"),  # gone by 31 March
        ("MOVED", "2024-01-01", "2025-09-01", "S", "C2", "X1"),  # two episodes, no break
        ("MOVED", "2025-09-01", None, "P", "C2", None),
        ("BREAKS", "2024-01-01", None, "S", "V3", None),  # short breaks only
        ("LEFT_2024", "2023-01-01", "2024-12-01", "S", "C2", "E4A"),  # before the year
    ]
    frame = pd.DataFrame(rows, columns=["CHILD", "DECOM", "DEC", "RNE", "LS", "REC"])
    return frame.assign(DECOM=pd.to_datetime(frame["DECOM"]), DEC=pd.to_datetime(frame["DEC"]))


def test_three_cohorts_each_by_its_dfe_definition():
    e = episodes()
    assert set(la.looked_after(e, END, la.DURING_YEAR)) == {
        "ALL_YEAR", "FROM_1_APRIL", "FROM_2_APRIL", "LEFT_MARCH", "MOVED", "BREAKS"}
    assert set(la.looked_after(e, END, la.ON_31_MARCH)) == {
        "ALL_YEAR", "FROM_1_APRIL", "FROM_2_APRIL", "MOVED"}
    assert set(la.looked_after(e, END, la.TWELVE_MONTHS)) == {
        "ALL_YEAR", "FROM_1_APRIL", "MOVED"}


@pytest.mark.tools  # the 903 validator, which the pandas-3 run does not have
def test_twelve_months_agrees_with_the_validators_definition():
    from lac_validator.utils import add_col_to_episodes_CONTINUOUSLY_LOOKED_AFTER as cla

    e = episodes()
    text = e.assign(DECOM=e["DECOM"].dt.strftime("%d/%m/%Y"),
                    DEC=e["DEC"].dt.strftime("%d/%m/%Y"))
    flagged = cla(text.copy(), "01/04/2025", "31/03/2026")
    expected = set(flagged.loc[flagged["CONTINUOUSLY_LOOKED_AFTER"], "CHILD"])
    assert set(la.looked_after(e, END, la.TWELVE_MONTHS)) == expected


def test_an_unknown_cohort_is_refused_by_name():
    with pytest.raises(DataError, match="Unknown cohort") as error:
        la.looked_after(episodes(), END, "at Christmas")
    assert "12 months at 31 March (OC2)" in str(error.value)


def upn(digits: str) -> str:
    return check_letter(digits) + digits


def test_a_care_leaver_in_the_header_is_not_looked_after():
    """A care leaver has a header and an OC3 row, no episode: not looked after."""
    header = pd.DataFrame({"CHILD": ["ALL_YEAR", "LEAVER"],
                           "UPN": [upn("816200115001"), upn("816200115002")]})
    ssda903 = {"header": header, "episodes": episodes(),
               "oc3": pd.DataFrame({"CHILD": ["LEAVER"]})}
    cin = {"ChildIdentifiers": pd.DataFrame({"LAchildID": ["C9"], "UPN": ["UN1"]})}
    kids = sc.social_care_children(cin, ssda903, END)
    assert set(kids.loc[kids["cla"], "child"]) == {"ALL_YEAR"}
    assert "LEAVER" not in set(kids["child"])
    sizes = la.cohort_sizes(ssda903, END)["children"]
    assert sizes["in the header"] == 2
    assert sizes["in the header with no episode in the year"] == 1
    assert sizes["of them care leavers (an OC3 row)"] == 1
    assert sizes["looked after during the year"] == 6


def test_each_cohort_gets_its_own_share_with_a_plan():
    header = pd.DataFrame({"CHILD": ["ALL_YEAR", "FROM_2_APRIL", "LEAVER"],
                           "UPN": [upn("816200115001"), upn("816200115003"),
                                   upn("816200115002")]})
    ssda903 = {"header": header, "episodes": episodes()}
    cin = {"ChildIdentifiers": pd.DataFrame({"LAchildID": ["C9"], "UPN": ["UN1"]})}
    status = pd.DataFrame({"upn": [upn("816200115003"), upn("816200115002")],
                           "status": ["EHC plan", "EHC plan"], "plan_within_20": [True, True]})
    table = sc.looked_after_by_cohort(cin, ssda903, status, END)
    # the leaver's plan never counts; FROM_2_APRIL is a day short of 12 months
    assert table.loc[la.DURING_YEAR, ["children", "ehc_plan"]].tolist() == [2, 1]
    assert table.loc[la.TWELVE_MONTHS, ["children", "ehc_plan"]].tolist() == [1, 0]
