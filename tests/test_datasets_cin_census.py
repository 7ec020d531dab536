"""read_cin_census: the CIN validator's eleven tables from the census XML, and the 2026/27
pre-proceedings blocks."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pandas as pd
import pytest

from d2i_examples.datasets import read_cin_census
from d2i_examples.errors import DataError
from d2i_examples.spec.cin_census import TABLES
from tests.fixtures.datasets_build import CHILD_A, cin_xml, snapshot

EXPECTED_TABLES = [
    "Header", "ChildIdentifiers", "ChildCharacteristics", "Disabilities", "CINdetails",
    "Assessments", "AssessmentFactorsList", "CINplanDates", "Section47",
    "ChildProtectionPlans", "Reviews", "PreProceedings",
]


def _write(tmp_path, text: str, name: str = "cin.xml", encoding: str = "utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_tables_keys_and_dates(tmp_path):
    data = read_cin_census(_write(tmp_path, cin_xml(CHILD_A)))
    assert list(data) == EXPECTED_TABLES
    assert data["Header"].loc[0, "ReferenceDate"] == pd.Timestamp("2026-03-31")
    assert data["Header"].loc[0, "DateTime"] == pd.Timestamp("2026-04-20 09:30:00")
    assert data["ChildIdentifiers"]["LAchildID"].tolist() == ["SYN0001", "SYN0002"]
    assert data["ChildIdentifiers"]["PersonBirthDate"].tolist() == [
        pd.Timestamp("2015-03-27"), pd.Timestamp("2019-12-01")]
    assert data["Disabilities"]["Disability"].tolist() == ["HAND", "HEAR"]
    cin = data["CINdetails"]
    assert cin[["LAchildID", "CINdetailsID"]].values.tolist() == [
        ["SYN0001", 1], ["SYN0001", 2], ["SYN0002", 1]]
    assert str(cin["CINreferralDate"].dtype).startswith("datetime64")
    assert cin["CINclosureDate"].isna().tolist() == [True, False, True]
    ass = data["Assessments"]
    assert ass[["CINdetailsID", "AssessmentID"]].values.tolist() == [[1, 1], [2, 1]]
    assert ass.loc[0, "AssessmentFactors"] == ["1C", "2B"]
    assert pd.isna(ass.loc[1, "AssessmentFactors"])
    assert data["AssessmentFactorsList"]["AssessmentFactor"].tolist() == ["1C", "2B"]
    s47 = data["Section47"]
    assert s47.loc[0, "InitialCPCtarget"] == pd.Timestamp("2025-07-22")
    assert data["ChildProtectionPlans"].loc[0, "CPPID"] == 1
    assert data["Reviews"].values.tolist() == [["SYN0001", 1, 1, pd.Timestamp("2025-10-10")]]
    for table, frame in data.items():
        assert list(frame.columns) == TABLES[table]


@pytest.mark.tools
def test_same_tables_as_the_cin_validators_own_conversion(tmp_path):
    from cin_validator.cin_validator import convert_data

    path = _write(tmp_path, cin_xml(CHILD_A))
    ours = read_cin_census(path)
    theirs = convert_data(ET.parse(path).getroot())
    # the installed validator (0.1.13) does not read the 2026/27 pre-proceedings block
    assert set(theirs) == set(ours) - {"PreProceedings"}
    for table, frame in theirs.items():
        assert list(frame.columns) == list(ours[table].columns), table
        assert len(frame) == len(ours[table]), table
        for col in frame.columns:
            if col == "AssessmentFactors":
                continue
            mine = ours[table][col]
            if str(mine.dtype).startswith("datetime64"):
                mine = mine.dt.strftime("%Y-%m-%dT%H:%M:%S" if col == "DateTime" else "%Y-%m-%d")
            left = [None if pd.isna(v) else str(v) for v in frame[col]]
            right = [None if pd.isna(v) else str(v) for v in mine]
            assert left == right, (table, col)


def test_every_review_date_in_a_reviews_block_is_kept(tmp_path):
    child = CHILD_A.replace(
        "<Reviews><CPPreviewDate>2025-10-10</CPPreviewDate></Reviews>",
        "<Reviews><CPPreviewDate>2025-10-10</CPPreviewDate>"
        "<CPPreviewDate>2026-01-09</CPPreviewDate></Reviews>",
    )
    reviews = read_cin_census(_write(tmp_path, cin_xml(child)))["Reviews"]
    assert reviews["CPPreviewDate"].tolist() == [pd.Timestamp("2025-10-10"),
                                                 pd.Timestamp("2026-01-09")]


def test_namespace_and_bom_are_accepted(tmp_path):
    text = cin_xml(CHILD_A).replace("<Message>", '<Message xmlns="http://example.org/cin">')
    path = tmp_path / "cin.xml"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert len(read_cin_census(path)["CINdetails"]) == 3


def test_windows_1252_without_declaration(tmp_path):
    child = CHILD_A.replace("SYN0002", "SYN0002é")
    path = _write(tmp_path, cin_xml(child, declaration=""), encoding="cp1252")
    ids = read_cin_census(path)["ChildIdentifiers"]["LAchildID"].tolist()
    assert ids == ["SYN0001", "SYN0002é"]


def test_no_children_gives_empty_tables(tmp_path):
    data = read_cin_census(_write(tmp_path, cin_xml("")))
    assert len(data["Header"]) == 1
    assert all(len(data[t]) == 0 for t in EXPECTED_TABLES[1:])
    assert str(data["CINdetails"]["CINreferralDate"].dtype).startswith("datetime64")


def test_file_is_not_modified(tmp_path):
    _write(tmp_path, cin_xml(CHILD_A))
    before = snapshot(tmp_path)
    read_cin_census(tmp_path / "cin.xml")
    assert snapshot(tmp_path) == before


# --- bad input ------------------------------------------------------------------------------


def _error(path) -> DataError:
    with pytest.raises(DataError) as info:
        read_cin_census(path)
    return info.value


def test_file_not_found(tmp_path):
    err = _error(tmp_path / "census.xml")
    assert "census.xml" in err.file and "not found" in err.problem


def test_folder_instead_of_file_names_the_xml_inside(tmp_path):
    _write(tmp_path, cin_xml(CHILD_A), name="CIN_2026.xml")
    err = _error(tmp_path)
    assert "CIN_2026.xml" in err.found and "CIN_2026.xml" in err.fix


def test_zip_says_unzip(tmp_path):
    path = tmp_path / "cin.zip"
    path.write_bytes(b"PK\x03\x04")
    err = _error(path)
    assert "cin.zip" in err.file and "Unzip" in err.fix


def test_zero_byte_xml(tmp_path):
    err = _error(_write(tmp_path, ""))
    assert "empty" in err.problem and "cin.xml" in err.file


def test_not_well_formed_names_the_line(tmp_path):
    text = cin_xml(CHILD_A.replace("<ReferralSource>3A<", "<ReferralSource>3A & 3B<"))
    bad_line = next(i for i, line in enumerate(text.splitlines(), start=1) if " & " in line)
    err = _error(_write(tmp_path, text))
    assert "not well-formed" in err.problem and "cin.xml" in err.file
    assert f"line {bad_line}," in err.found
    assert f"at line {bad_line}." in err.fix


def test_cut_short_file(tmp_path):
    text = cin_xml(CHILD_A)
    err = _error(_write(tmp_path, text[: len(text) // 2]))
    assert "not well-formed" in err.problem and "cut short" in err.fix


def test_wrong_root(tmp_path):
    err = _error(_write(tmp_path, "<Episodes><Episode><CHILD>SYN1</CHILD></Episode></Episodes>"))
    assert "not a CIN census" in err.problem and "cin.xml" in err.file
    assert "<Episodes>" in err.found


def test_another_collection(tmp_path):
    err = _error(_write(tmp_path, cin_xml(CHILD_A, collection="SCHOOL CENSUS")))
    assert err.column == "Header/CollectionDetails/Collection"
    assert err.found == "SCHOOL CENSUS" and "cin.xml" in err.file


def test_bad_date_names_child_and_element(tmp_path):
    text = cin_xml(CHILD_A.replace("<CINreferralDate>2025-09-09", "<CINreferralDate>2025-13-09"))
    err = _error(_write(tmp_path, text))
    assert err.column == "CINreferralDate" and "cin.xml" in err.file
    assert "'2025-13-09' at child SYN0002" in err.found


_PRE_PROCEEDINGS = """<PreProceedings><PPStartDate>{start}</PPStartDate>
  <LBPSentDate>2026-06-05</LBPSentDate><FGDMMeetingOffer>1</FGDMMeetingOffer>
  <FGDMMeetingFac>0</FGDMMeetingFac><InitialPPMeetingDate>2026-06-15</InitialPPMeetingDate>
  <ReviewMeetingsCount>2</ReviewMeetingsCount></PreProceedings>"""


def test_pre_proceedings_blocks_of_2026_27_are_read(tmp_path):
    """A <PreProceedings> block in a CINdetails is a row with its CINdetailsID; one placed
    directly in <Child> is read too, with CINdetailsID 0; absent elements are NaN."""
    child = CHILD_A.replace(
        "</ChildProtectionPlans>\n  </CINdetails>",
        "</ChildProtectionPlans>\n" + _PRE_PROCEEDINGS.format(start="2026-06-01")
        + "</CINdetails>", 1)
    child = child.replace("</Child>", _PRE_PROCEEDINGS.format(start="2026-09-01") + "</Child>", 1)
    assert child.count("<PreProceedings>") == 2
    pp = read_cin_census(_write(tmp_path, cin_xml(child)))["PreProceedings"]
    assert list(pp.columns) == TABLES["PreProceedings"]
    assert pp[["LAchildID", "CINdetailsID"]].values.tolist() == [["SYN0001", 1], ["SYN0001", 0]]
    assert pp["PPStartDate"].tolist() == [pd.Timestamp("2026-06-01"), pd.Timestamp("2026-09-01")]
    assert pp["ReviewMeetingsCount"].tolist() == ["2", "2"]
    assert pp["CourtAppDate"].isna().all() and pp["PPOutcome"].isna().all()
