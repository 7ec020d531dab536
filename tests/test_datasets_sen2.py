"""Reading SEN2 XML: tidy tables from a good file, one clear DataError for each bad kind."""

from __future__ import annotations

import pandas as pd
import pytest

from d2i_examples.datasets import load
from d2i_examples.datasets.identify import identify_file
from d2i_examples.datasets.sen2 import read_sen2
from d2i_examples.datasets.years import sen2_year
from d2i_examples.errors import DataError
from d2i_examples.outputs import RUNNER_ENV
from d2i_examples.spec import sen2 as spec

PERSON = """
  <Person>
    <Surname>Person 1</Surname><Forename>Synthetic</Forename>
    <PersonBirthDate>2015-05-04</PersonBirthDate><Sex>{sex}</Sex><Ethnicity>WBRI</Ethnicity>
    <UPN>A816200115001</UPN>
    <Requests>
      <ReceivedDate>2025-02-03</ReceivedDate><RequestSource>2</RequestSource>
      <RequestOutcomeDate>{decision}</RequestOutcomeDate><RequestOutcome>A</RequestOutcome>
      <Assessment>
        <AssessmentOutcome>A</AssessmentOutcome>
        <AssessmentOutcomeDate>2025-05-01</AssessmentOutcomeDate><Week20>0</Week20>
        <NamedPlan>
          <StartDate>2025-06-20</StartDate>
          <PlanDetail><URN>990101</URN><PlacementRank>1</PlacementRank></PlanDetail>
        </NamedPlan>
      </Assessment>
      <ActivePlans>
        <PlacementDetail><URN>990101</URN><PlacementRank>1</PlacementRank>
          <EntryDate>2025-06-20</EntryDate></PlacementDetail>
        <SENneed><SENtype>{need}</SENtype><SENtypeRank>1</SENtypeRank></SENneed>
        <SENneed><SENtype>SLCN</SENtype><SENtypeRank>2</SENtypeRank></SENneed>
      </ActivePlans>
    </Requests>
  </Person>
  <Person>
    <Surname>Person 2</Surname><Forename>Synthetic</Forename>
    <PersonBirthDate>2018-01-10</PersonBirthDate><Sex>F</Sex><Ethnicity>MWBC</Ethnicity>
    <UPN>B816200115002</UPN>
    <Requests>
      <ReceivedDate>2025-03-01</ReceivedDate><RequestSource>1</RequestSource>
      <RequestOutcomeDate>2025-04-10</RequestOutcomeDate><RequestOutcome>B</RequestOutcome>
      <RequestMediation>1</RequestMediation><RequestTribunal>0</RequestTribunal>
    </Requests>
  </Person>"""


def sen2_text(collection="SEN2", year="2026", sex="M", need="ASD", decision="2025-03-14",
              persons=None, header=True):
    head = f"""
  <Header>
    <CollectionDetails><Collection>{collection}</Collection><Year>{year}</Year>
      <ReferenceDate>{year}-01-15</ReferenceDate></CollectionDetails>
    <Source><SourceLevel>L</SourceLevel><LEA>816</LEA></Source>
  </Header>""" if header else ""
    body = PERSON.format(sex=sex, need=need, decision=decision) if persons is None else persons
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<Message>{head}\n<Persons>{body}' \
           "</Persons></Message>\n"


@pytest.fixture
def write(tmp_path):
    def _write(text, name="sen2_2026.xml"):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path
    return _write


def test_a_good_file_gives_tidy_tables_keyed_by_person_and_request(write):
    frames = read_sen2(write(sen2_text()), collection_year=2026)
    assert set(frames) == set(spec.TABLES)
    assert len(frames["person"]) == 2 and len(frames["requests"]) == 2
    assert list(frames["sen_needs"]["SENtype"]) == ["ASD", "SLCN"]
    assert (frames["sen_needs"]["person_id"] == 1).all()
    plan = frames["plans"].iloc[0]
    assert plan["StartDate"] == pd.Timestamp("2025-06-20") and plan["assessment_id"] == 1
    assert pd.api.types.is_datetime64_any_dtype(frames["requests"]["ReceivedDate"])
    refused = frames["requests"].set_index("person_id").loc[2]
    assert refused["RequestOutcome"] == "B" and refused["RequestMediation"] == "1"
    assert frames["header"]["Year"].iloc[0] == "2026"


def test_the_layout_recognises_a_sen2_file_and_its_year(write):
    path = write(sen2_text(year="2025"), name="export.xml")
    assert identify_file(path) == "sen2"
    assert sen2_year(path) == 2025


def test_wrong_collection_is_refused(write):
    with pytest.raises(DataError, match="not the SEN2") as err:
        read_sen2(write(sen2_text(collection="CIN")))
    assert err.value.found == "CIN"


def test_wrong_year_is_refused_and_says_what_to_set(write):
    with pytest.raises(DataError, match="is for 2025, not 2026") as err:
        read_sen2(write(sen2_text(year="2025")), collection_year=2026)
    assert "collection_year = 2025" in err.value.fix


def test_an_older_specification_is_refused(write):
    with pytest.raises(DataError, match="older specification") as err:
        read_sen2(write(sen2_text(year="2022")))
    assert err.value.found == "2022"


def test_missing_blocks_are_named(write):
    with pytest.raises(DataError, match="not a SEN2 person level return"):
        read_sen2(write('<Message><Header/><Children/></Message>'))
    with pytest.raises(DataError, match="no Header/CollectionDetails"):
        read_sen2(write(sen2_text(header=False)))
    lonely = "<Person><Surname>S</Surname><UPN>A816200115001</UPN></Person>"
    with pytest.raises(DataError, match="no Requests block") as err:
        read_sen2(write(sen2_text(persons=lonely)))
    assert "Person number 1" in err.value.found


def test_bad_codes_stop_the_loader_unless_asked_not_to(write):
    path = write(sen2_text(need="AUT"))
    with pytest.raises(DataError, match="SENtype holds a code") as err:
        read_sen2(path)
    assert "'AUT'" in err.value.found and "ASD" in err.value.expected
    assert read_sen2(path, check_codes=False)["sen_needs"]["SENtype"].iloc[0] == "AUT"
    with pytest.raises(DataError, match="Sex holds a code"):
        read_sen2(write(sen2_text(sex="1")))


def test_bad_dates_name_the_person(write):
    with pytest.raises(DataError) as err:
        read_sen2(write(sen2_text(decision="14/03/2025x")))
    assert err.value.column == "RequestOutcomeDate"
    assert "Person number 1" in str(err.value)


def test_not_xml_or_a_folder_is_refused(tmp_path, write):
    with pytest.raises(DataError, match="not well-formed"):
        read_sen2(write("<Message><Persons>"))
    with pytest.raises(DataError, match="not a folder"):
        read_sen2(tmp_path)
    other = tmp_path / "sen2.csv"
    other.write_text("a,b\n")
    with pytest.raises(DataError, match=".xml files only"):
        read_sen2(other)


def test_load_reads_a_council_folder_and_the_sample(tmp_path, monkeypatch):
    monkeypatch.setenv(RUNNER_ENV, "1")  # as `run --data` does: no warning about saving
    folder = tmp_path / "data" / "SEN2"
    folder.mkdir(parents=True)
    (folder / "sen2_2026.xml").write_text(sen2_text(), encoding="utf-8")
    frames = load("sen2", tmp_path / "data", year=2026)
    assert len(frames["person"]) == 2
    with pytest.raises(DataError, match="2025"):
        load("sen2", tmp_path / "data", year=2025)
    sample = load("sen2", None, year=2026)
    assert len(sample["person"]) > 500


def test_two_sen2_files_for_one_year_are_refused_naming_both(write):
    from d2i_examples.datasets.years import sen2_years

    first = write(sen2_text(year="2026"), "sen2_2026.xml")
    write(sen2_text(year="2026"), "sen2 copy.xml")
    with pytest.raises(DataError) as err:
        sen2_years(first.parent)
    text = str(err.value)
    assert "Two SEN2 files are for 2025/26" in text
    assert "sen2 copy.xml" in text and "sen2_2026.xml" in text


def test_code_labels_follow_the_sen2_guide():
    """Labels pinned to the DfE's SEN2 guide 2025 (v1.4): item 4.6 CeaseReason, items
    4.7c/5.7c SENsetting, 5.8a SENtype (see the spec module's docstring)."""
    assert spec.CEASE_REASON["4"] == "moved on to paid employment, excluding apprenticeships"
    assert "apprenticeship" not in spec.CEASE_REASON["4"].replace("excluding apprenticeships", "")
    assert spec.CEASE_REASON["2"] == ("ongoing educational or training needs being met "
                                      "without an EHC plan")
    assert spec.CEASE_REASON["5"] == "transferred to another local authority in England"
    assert set(spec.CEASE_REASON) == {str(i) for i in range(1, 10)}
    assert set(spec.SEN_SETTING) == {"OLA", "OPA", "EHE", "EYP", "OTH", "NEET", "NIEC", "NIEO"}
    assert spec.SEN_SETTING["NIEC"] == "not in education or training: notice to cease issued"
    assert "excluding elective home education" in spec.SEN_SETTING["OPA"]
    assert set(spec.SEN_TYPE) == {"SPLD", "MLD", "SLD", "PMLD", "SEMH", "SLCN", "HI", "VI",
                                  "MSI", "PD", "ASD", "DS", "OTH"}
    # the request and assessment outcome codes stay marked as assumed until the guide's
    # wording is read
    doc = spec.__doc__
    assert "``REQUEST_OUTCOME`` and ``ASSESSMENT_OUTCOME``: *assumed*" in doc
