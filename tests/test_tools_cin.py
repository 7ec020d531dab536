"""d2i_examples.tools.validate_cin_census runs D2I's real CIN census validator (cin_validator)."""

import xml.etree.ElementTree as ET

import pytest

from d2i_examples.errors import DataError
from d2i_examples.tools import cin_collection_years, validate_cin_census


def upn(body: str) -> str:
    """A UPN with its DfE check letter: weights 2..13 on the 12 digits, mod 23, letter table."""
    total = sum(int(digit) * weight for digit, weight in zip(body, range(2, 14), strict=True))
    return "ABCDEFGHJKLMNPQRTUVWXYZ"[total % 23] + body


def child(child_id, upn_body, birth, sex, referral, need="N1"):
    need_element = f"<PrimaryNeedCode>{need}</PrimaryNeedCode>" if need else ""
    return f"""
    <Child>
      <ChildIdentifiers>
        <LAchildID>{child_id}</LAchildID>
        <UPN>{upn(upn_body)}</UPN>
        <PersonBirthDate>{birth}</PersonBirthDate>
        <Sex>{sex}</Sex>
      </ChildIdentifiers>
      <ChildCharacteristics>
        <Ethnicity>WBRI</Ethnicity>
        <Disabilities><Disability>NONE</Disability></Disabilities>
      </ChildCharacteristics>
      <CINdetails>
        <CINreferralDate>{referral}-01</CINreferralDate>
        <ReferralSource>1A</ReferralSource>
        {need_element}
        <ReferralNFA>false</ReferralNFA>
        <Assessments>
          <AssessmentActualStartDate>{referral}-02</AssessmentActualStartDate>
          <AssessmentAuthorisationDate>{referral}-20</AssessmentAuthorisationDate>
          <FactorsIdentifiedAtAssessment>
            <AssessmentFactors>2A</AssessmentFactors>
          </FactorsIdentifiedAtAssessment>
        </Assessments>
        <CINPlanDates><CINPlanStartDate>{referral}-21</CINPlanStartDate></CINPlanDates>
      </CINdetails>
    </Child>"""


def census(*children, reference="2026-03-31", namespace=""):
    xmlns = f' xmlns="{namespace}"' if namespace else ""
    return f"""<?xml version="1.0" encoding="utf-8"?>
<Message{xmlns}>
  <Header>
    <CollectionDetails>
      <Collection>CIN</Collection>
      <Year>{reference[:4]}</Year>
      <ReferenceDate>{reference}</ReferenceDate>
    </CollectionDetails>
    <Source>
      <SourceLevel>L</SourceLevel><LEA>352</LEA><SoftwareCode>SYNTHETIC</SoftwareCode>
      <Release>1</Release><SerialNo>001</SerialNo><DateTime>2026-04-20T10:00:00</DateTime>
    </Source>
  </Header>
  <Children>{"".join(children)}
  </Children>
</Message>
"""


CLEAN = census(
    child("SYN0001", "352000012001", "2014-05-03", "M", "2025-06"),
    child("SYN0002", "352000018002", "2018-01-15", "F", "2025-09"),
)
# planted: SYN0002's Sex is "X"; SYN0001's referral led to action but has no primary need
PLANTED = census(
    child("SYN0001", "352000012001", "2014-05-03", "M", "2025-06", need=None),
    child("SYN0002", "352000018002", "2018-01-15", "X", "2025-09"),
)
RETURN_LEVEL = {"2887Q"}  # "less than 8 disability codes used": true of any tiny file


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    path = tmp_path_factory.mktemp("cin") / "planted.xml"
    path.write_text(PLANTED)
    return validate_cin_census(path, collection_year=2026)


def test_clean_census_has_only_the_return_level_query():
    result = validate_cin_census(CLEAN.encode(), collection_year=2026)
    assert set(result.issues["rule"]) == RETURN_LEVEL
    assert result.issues["LAchildID"].isna().all()
    assert result.not_run.empty and len(result.rules) > 100


def test_planted_errors_are_found_on_the_right_child(planted):
    issues = planted.issues
    assert set(issues["rule"]) == {"4180", "8610"} | RETURN_LEVEL
    sex = issues[issues["rule"] == "4180"]
    assert sex[["table", "LAchildID", "column", "value", "type"]].values.tolist() == [
        ["ChildIdentifiers", "SYN0002", "Sex", "X", "Error"]
    ]
    need = issues[issues["rule"] == "8610"]
    assert set(need["column"]) == {"ReferralNFA", "PrimaryNeedCode"}
    assert set(need["LAchildID"]) == {"SYN0001"} and set(need["CINdetailsID"]) == {"1"}
    assert need.loc[need["column"] == "ReferralNFA", "value"].tolist() == ["false"]
    summary = planted.summary.set_index("rule")
    assert summary.loc["4180", "children"] == 1 and summary.loc["8610", "rows"] == 1
    assert summary.loc["2887Q", "type"] == "Query"


def test_parsed_roots_and_namespaced_files_give_the_same_issues(planted):
    namespaced = PLANTED.replace("<Message>", '<Message xmlns="urn:example:cin">')
    for source in (ET.fromstring(PLANTED.encode()), namespaced.encode()):
        result = validate_cin_census(source, collection_year=2026)
        assert result.issues.equals(planted.issues)


def test_only_the_years_the_working_day_calendar_covers():
    assert cin_collection_years() == [2023, 2024, 2025, 2026, 2027]
    with pytest.raises(DataError, match="working-day calendar"):
        validate_cin_census(CLEAN.encode(), collection_year=2022)


def test_reference_date_must_match_the_collection_year():
    with pytest.raises(DataError) as caught:
        validate_cin_census(CLEAN.encode(), collection_year=2025)
    assert caught.value.found == "2026-03-31" and "collection_year=2026" in caught.value.fix


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"", "empty"),
        (b"CHILD,SEX,DOB\nSYN1,M,01/01/2015\n", "not well-formed XML"),
        (CLEAN.encode()[:400], "not well-formed XML"),
        (b"<Root><Header/></Root>", "not a CIN census"),
        (CLEAN.replace("<Collection>CIN<", "<Collection>SSDA903<").encode(), "not a CIN census"),
        (census().encode(), "not a CIN census"),
        (
            CLEAN.replace("<ChildCharacteristics>", "<Other>", 1)
            .replace("</ChildCharacteristics>", "</Other>", 1)
            .encode(),
            "no <ChildCharacteristics>",
        ),
    ],
)
def test_bad_files_are_data_errors(tmp_path, content, problem):
    path = tmp_path / "census.xml"
    path.write_bytes(content)
    with pytest.raises(DataError) as caught:
        validate_cin_census(path)
    assert problem in caught.value.problem
    assert caught.value.file == str(path)


def test_missing_file_and_unknown_rules():
    with pytest.raises(DataError, match="not found"):
        validate_cin_census("no/such/census.xml")
    with pytest.raises(DataError, match="Unknown CIN rule"):
        validate_cin_census(CLEAN.encode(), rules=["101"])
    only = validate_cin_census(PLANTED.encode(), rules=["4180"])
    assert set(only.issues["rule"]) == {"4180"} and list(only.rules["rule"]) == ["4180"]


def test_a_census_of_a_year_without_rules_runs_another_years_rules_only_when_asked():
    older = census(child("SYN0001", "352000012001", "2014-05-03", "M", "2021-06"),
                   reference="2022-03-31")
    with pytest.raises(DataError, match="cannot check this collection year"):
        validate_cin_census(older.encode(), collection_year=2022)
    result = validate_cin_census(older.encode(), collection_year=2022, rules_year=2023)
    assert result.collection_year == 2022 and result.rules_year == 2023
    said = repr(result)
    assert "2022/23 rules on 2021/22 files" in said and "rules_year=2023" in said
    with pytest.raises(DataError, match="ReferenceDate is not in the collection year"):
        validate_cin_census(older.encode(), collection_year=2021, rules_year=2023)
