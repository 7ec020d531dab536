"""cin_tables reads a census into exactly the tables of the CIN validator's own reader.

"Exactly": the same tables in the same order, columns, dtypes, index, row order and
values, down to which missing value (None, <NA> or NaN) sits in each cell, since the
tool's rules can tell them apart. Compared with ``cin_validator.convert_data`` on
hand-made censuses for each odd case, on random ones, on synthetic censuses of several
seeds and years, and on the project's samples; and the issues found must be the same
whichever reader ran.
"""

from __future__ import annotations

import copy
import os
import random
import subprocess
import sys
import xml.etree.ElementTree as ET

import pandas as pd
import pytest

from d2i_examples import paths
from d2i_examples.errors import DataError
from d2i_examples.tools import validate_cin_census
from d2i_examples.tools._quiet import import_quietly
from d2i_examples.tools.cin_tables import TABLES, cin_tables

tool = import_quietly("cin_validator.cin_validator")


def kinds(frame: pd.DataFrame) -> list[list[str]]:
    return [[type(value).__name__ for value in row] for row in frame.itertuples(index=False)]


def differences(ours: dict, theirs: dict) -> list[str]:
    """How our tables differ from the tool's (empty when they are the same)."""
    if list(ours) != list(theirs):
        return [f"tables {list(ours)} != {list(theirs)}"]
    found = []
    for name, frame in theirs.items():
        try:
            pd.testing.assert_frame_equal(ours[name], frame, check_exact=True)
        except AssertionError as err:
            found.append(f"{name}: {err}")
            continue
        if kinds(ours[name]) != kinds(frame):
            found.append(f"{name}: a missing value of another kind (None, <NA>, NaN)")
    return found


def assert_same_tables(root: ET.Element) -> None:
    theirs = tool.convert_data(copy.deepcopy(root))
    assert differences(cin_tables(root), theirs) == []


# --- hand-made censuses, one odd case each --------------------------------------------

HEADER = """<Header>
  <CollectionDetails><Collection>CIN</Collection><Year>2026</Year>
    <ReferenceDate>2026-03-31</ReferenceDate></CollectionDetails>
  <Source><SourceLevel>L</SourceLevel><LEA>999</LEA><SoftwareCode>SYNTHETIC</SoftwareCode>
    <Release>1</Release><SerialNo>001</SerialNo><DateTime>2026-04-20T10:00:00</DateTime></Source>
</Header>"""

IDENTIFIERS = """<ChildIdentifiers><LAchildID>{id}</LAchildID><UPN>A999000012001</UPN>
  <PersonBirthDate>2015-01-01</PersonBirthDate><Sex>M</Sex></ChildIdentifiers>"""
CHARACTERISTICS = """<ChildCharacteristics><Ethnicity>WBRI</Ethnicity>
  <Disabilities><Disability>NONE</Disability></Disabilities></ChildCharacteristics>"""
ASSESSMENT = """<Assessments><AssessmentActualStartDate>2025-06-02</AssessmentActualStartDate>
  <AssessmentAuthorisationDate>2025-06-20</AssessmentAuthorisationDate>
  <FactorsIdentifiedAtAssessment><AssessmentFactors>2A</AssessmentFactors>
    <AssessmentFactors>3A</AssessmentFactors></FactorsIdentifiedAtAssessment></Assessments>"""
PLAN = """<ChildProtectionPlans><CPPstartDate>2025-07-01</CPPstartDate>
  <InitialCategoryOfAbuse>NEG</InitialCategoryOfAbuse><LatestCategoryOfAbuse>NEG</LatestCategoryOfAbuse>
  <NumberOfPreviousCPP>0</NumberOfPreviousCPP>
  <Reviews><CPPreviewDate>2025-09-01</CPPreviewDate></Reviews></ChildProtectionPlans>"""
DETAILS = f"""<CINdetails><CINreferralDate>2025-06-01</CINreferralDate>
  <ReferralSource>1A</ReferralSource><PrimaryNeedCode>N1</PrimaryNeedCode>
  <ReferralNFA>false</ReferralNFA>{ASSESSMENT}
  <CINPlanDates><CINPlanStartDate>2025-06-21</CINPlanStartDate></CINPlanDates>
  <Section47><S47ActualStartDate>2025-06-03</S47ActualStartDate>
    <InitialCPCtarget>2025-06-20</InitialCPCtarget><ICPCnotRequired>false</ICPCnotRequired></Section47>
  {PLAN}</CINdetails>"""


def child(n: int, *, identifiers=IDENTIFIERS, characteristics=CHARACTERISTICS, details=DETAILS,
          extra="") -> str:
    return (f"<Child>{identifiers.format(id=f'SYN{n:04d}')}{characteristics}{details}"
            f"{extra}</Child>")


def census(*children: str, header: str = HEADER) -> ET.Element:
    return ET.fromstring(f"<Message>{header}<Children>{''.join(children)}</Children></Message>")


BARE = {"details": ""}
ODD_CASES = {
    "complete children": [child(1), child(2)],
    "no CINdetails in the whole census": [child(1, **BARE), child(2, **BARE)],
    "a child with nothing but identifiers first": [child(1, **BARE), child(2)],
    "several CINdetails, assessments and plans": [
        child(1, details=DETAILS.replace(ASSESSMENT, ASSESSMENT * 2).replace(PLAN, PLAN * 3) * 2),
        child(2)],
    "missing blocks": [
        child(1, characteristics="<ChildCharacteristics><Ethnicity>WBRI</Ethnicity>"
                                 "</ChildCharacteristics>"),
        child(2, details=DETAILS.replace(ASSESSMENT, "").replace(PLAN, "")),
        child(3, details=DETAILS.replace("<FactorsIdentifiedAtAssessment>", "<Other>")
              .replace("</FactorsIdentifiedAtAssessment>", "</Other>")),
        child(4, details=DETAILS.replace(
            ASSESSMENT, "<Assessments><FactorsIdentifiedAtAssessment/></Assessments>")),
        child(5, characteristics="<ChildCharacteristics><Disabilities/></ChildCharacteristics>"),
        child(6, identifiers="<ChildIdentifiers/>")],
    "a header without its Source block": [child(1)],
    "repeated elements and blocks": [
        child(1, identifiers=IDENTIFIERS.replace("<UPN>", "<UPN>B999000012001</UPN><UPN>"),
              characteristics=CHARACTERISTICS.replace("</Ethnicity>", "</Ethnicity>"
                                                      "<Ethnicity>WIRI</Ethnicity>")
              .replace("</Disabilities>", "</Disabilities><Disabilities><Disability>HAND"
                                          "</Disability></Disabilities>"),
              details=DETAILS.replace("</FactorsIdentifiedAtAssessment>",
                                      "</FactorsIdentifiedAtAssessment><Factors"
                                      "IdentifiedAtAssessment><AssessmentFactors>9A"
                                      "</AssessmentFactors></FactorsIdentifiedAtAssessment>"))],
    "several disabilities": [
        child(1, characteristics="<ChildCharacteristics><Ethnicity>WBRI</Ethnicity><Disabilities>"
              + "".join(f"<Disability>{d}</Disability>" for d in ("HAND", "VIS", "LD"))
              + "</Disabilities></ChildCharacteristics>"),
        child(2)],
    "empty elements and whitespace": [
        child(1, identifiers=IDENTIFIERS.replace("<UPN>A999000012001</UPN>", "<UPN></UPN>")
              .replace("<Sex>M</Sex>", "<Sex/><FormerUPN> </FormerUPN>"),
              characteristics=CHARACTERISTICS.replace("WBRI", " WBRI ")
              .replace("<Disability>NONE</Disability>", "<Disability/>"),
              details=DETAILS.replace("<ReferralSource>1A", "<ReferralSource>\n   1A\n")
              .replace("<AssessmentFactors>2A</AssessmentFactors>",
                       "<AssessmentFactors></AssessmentFactors>")
              .replace("<CINPlanStartDate>2025-06-21</CINPlanStartDate>", "<CINPlanStartDate/>"))],
    "an older schema: GenderCurrent instead of Sex": [
        child(1, identifiers=IDENTIFIERS.replace("<Sex>M</Sex>", "<GenderCurrent>1</GenderCurrent>")),
        child(2, identifiers=IDENTIFIERS.replace("<Sex>M</Sex>", "<GenderCurrent>2</GenderCurrent>"
                                                 "<PersonDeathDate>2026-01-01</PersonDeathDate>"))],
    "plans and reviews outside CINdetails": [
        child(1, extra=PLAN + "<Reviews><CPPreviewDate>2025-12-01</CPPreviewDate>"
                              "<CPPreviewDate>2026-01-01</CPPreviewDate></Reviews><Reviews/>"),
        child(2, **BARE, extra=PLAN)],
    # a column missing (<NA>), then empty (None), then given: the tool's concatenations
    # rewrite runs of missing values as None or NaN
    "missing, empty, then given": [
        child(1),
        child(2, details=DETAILS.replace("<ReferralNFA>false</ReferralNFA>",
                                         "<CINclosureDate/><ReasonForClosure/>")),
        child(3, **BARE),
        child(4, details=DETAILS.replace("<ReferralNFA>false</ReferralNFA>",
                                         "<CINclosureDate>2026-01-01</CINclosureDate>")),
        child(5, details=DETAILS.replace("<ReferralNFA>false</ReferralNFA>",
                                         "<ReasonForClosure/>") * 2)],
    "empty values to the end": [
        child(1), child(2, details=DETAILS.replace("<PrimaryNeedCode>N1</PrimaryNeedCode>",
                                                   "<PrimaryNeedCode/><DateOfInitialCPC/>"))],
}


@pytest.mark.parametrize("case", ODD_CASES)
def test_same_tables_as_the_tools_reader_for_each_odd_case(case):
    header = HEADER
    if case == "a header without its Source block":
        header = HEADER[: HEADER.index("<Source>")] + "</Header>"
    assert_same_tables(census(*ODD_CASES[case], header=header))


# --- random censuses ------------------------------------------------------------------

FIELDS = {
    "ChildIdentifiers": ["LAchildID", "UPN", "FormerUPN", "UPNunknown", "PersonBirthDate",
                         "ExpectedPersonBirthDate", "Sex", "GenderCurrent", "PersonDeathDate"],
    "ChildCharacteristics": ["Ethnicity"],
    "CINdetails": ["CINreferralDate", "ReferralSource", "PrimaryNeedCode", "CINclosureDate",
                   "ReasonForClosure", "DateOfInitialCPC", "ReferralNFA"],
    "Assessments": ["AssessmentActualStartDate", "AssessmentInternalReviewDate",
                    "AssessmentAuthorisationDate"],
    "CINPlanDates": ["CINPlanStartDate", "CINPlanEndDate"],
    "Section47": ["S47ActualStartDate", "InitialCPCtarget", "DateOfInitialCPC", "ICPCnotRequired"],
    "ChildProtectionPlans": ["CPPstartDate", "CPPendDate", "InitialCategoryOfAbuse",
                             "LatestCategoryOfAbuse", "NumberOfPreviousCPP"],
}


def random_census(seed: int, children: int = 8) -> ET.Element:
    """A census whose every element is, at random, given, left out, empty or padded."""
    rng = random.Random(seed)

    def fields(block: str) -> str:
        out = []
        for name in FIELDS[block]:
            kind = rng.choice(["given", "given", "missing", "missing", "empty", "padded"])
            text = {"given": "2025-06-01", "empty": "", "padded": " 1A\n"}.get(kind)
            if text is not None:
                out.append(f"<{name}>{text}</{name}>")
        return "".join(out)

    def blocks(tag: str, most: int, inner=lambda: "") -> str:
        return "".join(f"<{tag}>{fields(tag)}{inner()}</{tag}>"
                       for _ in range(rng.choice(range(most + 1))))

    def factors() -> str:
        if rng.random() < 0.3:
            return ""
        return ("<FactorsIdentifiedAtAssessment>"
                + "".join(f"<AssessmentFactors>{rng.choice(['2A', ''])}</AssessmentFactors>"
                          for _ in range(rng.choice(range(3))))
                + "</FactorsIdentifiedAtAssessment>")

    def reviews() -> str:
        return "".join(rng.choice(["<Reviews><CPPreviewDate>2025-09-01</CPPreviewDate></Reviews>",
                                   "<Reviews><CPPreviewDate/></Reviews>", "<Reviews/>"])
                       for _ in range(rng.choice(range(3))))

    def details() -> str:
        return (blocks("Assessments", 2, factors) + blocks("CINPlanDates", 2)
                + blocks("Section47", 2) + blocks("ChildProtectionPlans", 2, reviews))

    out = []
    for _ in range(children):
        several = "<Disabilities><Disability>HAND</Disability><Disability/></Disabilities>"
        disabilities = rng.choice(["", "<Disabilities/>", several])
        out.append(
            f"<Child><ChildIdentifiers>{fields('ChildIdentifiers')}</ChildIdentifiers>"
            f"<ChildCharacteristics>{fields('ChildCharacteristics')}{disabilities}"
            f"</ChildCharacteristics>"
            + "".join(f"<CINdetails>{fields('CINdetails')}{details()}</CINdetails>"
                      for _ in range(rng.choice(range(3))))
            + (blocks("ChildProtectionPlans", 1, reviews) if rng.random() < 0.1 else "")
            + "</Child>"
        )
    return census(*out)


RANDOM_SEEDS = range(40)


def random_differences() -> list[str]:
    return [f"seed {seed}: {found}" for seed in RANDOM_SEEDS
            for found in differences(cin_tables(random_census(seed)),
                                     tool.convert_data(random_census(seed)))]


def test_same_tables_as_the_tools_reader_on_random_censuses():
    assert random_differences() == []


@pytest.mark.slow
@pytest.mark.parametrize("hash_seed", ["1", "2"])
def test_same_tables_whatever_the_string_hash_seed(hash_seed):
    # The tool's tables depend on the order of a set of column names, which changes with
    # PYTHONHASHSEED (seed 2 lays Section47 out in one block, seed 1 column by column).
    code = ("from tests.test_tools_cin_tables import random_differences as d; "
            "import sys; found = d(); print(*found, sep='\\n'); sys.exit(bool(found))")
    done = subprocess.run([sys.executable, "-c", code], cwd=paths.ROOT, capture_output=True,
                          text=True, env={**os.environ, "PYTHONHASHSEED": hash_seed}, check=False)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]


def test_a_child_without_characteristics_is_a_data_error_as_with_the_tools_reader():
    root = census(child(1, characteristics=""))
    with pytest.raises(AttributeError):
        tool.convert_data(copy.deepcopy(root))
    with pytest.raises(ValueError, match="ChildCharacteristics"):
        cin_tables(root)
    xml = ET.tostring(root)
    for ingress in ("fast", "tool"):
        with pytest.raises(DataError, match="ChildCharacteristics"):
            validate_cin_census(xml, ingress=ingress)


def test_unknown_ingress_is_a_data_error():
    with pytest.raises(DataError, match="Unknown way of reading") as caught:
        validate_cin_census(ET.tostring(census(child(1))), ingress="quick")
    assert caught.value.found == "'quick'"


def test_both_readers_find_the_same_issues_on_odd_cases():
    # a child without an LAchildID crashes the tool's rules, whichever reader ran
    children = [c for case in ODD_CASES.values() for c in case if "<ChildIdentifiers/>" not in c]
    xml = ET.tostring(census(*children))
    fast = validate_cin_census(xml)
    slow = validate_cin_census(xml, ingress="tool")
    assert "cin_tables" in fast.ingress and "convert_data" in slow.ingress
    assert len(fast.issues) > 10
    pd.testing.assert_frame_equal(fast.issues, slow.issues)
    pd.testing.assert_frame_equal(fast.rules, slow.rules)


# --- synthetic censuses and the samples (the tool's reader takes a while: slow) --------

SYNTHETIC = [(2, 2024, False), (5, 2025, False), (7, 2026, True)]  # seed, year, planted errors


@pytest.fixture(scope="session")
def synthetic_censuses() -> dict:
    from d2i_examples.synth import DEFAULT_PROFILE, simulate
    from d2i_examples.synth.cin_census import cin_census_xml
    from d2i_examples.synth.mistakes import inject_errors

    made = {}
    for seed, year, errors in SYNTHETIC:
        journeys = simulate(DEFAULT_PROFILE.scaled(4000), seed=seed, start_year=year,
                            end_year=year)
        xml = cin_census_xml(journeys, year)
        if errors:
            xml = inject_errors(None, xml, seed=seed, collection_year=year).cin_xml
        made[seed, year, errors] = xml
    return made


@pytest.mark.slow
@pytest.mark.parametrize("made", SYNTHETIC, ids=lambda m: f"seed{m[0]}-{m[1]}-errors{m[2]}")
def test_same_tables_on_synthetic_censuses(synthetic_censuses, made):
    root = ET.fromstring(synthetic_censuses[made])
    assert len(root.findall("Children/Child")) > 150
    assert_same_tables(root)


def sample(sample_set: str):
    return paths.SAMPLE_DATA / sample_set / "cin_census" / "cin_census_2026.xml"


@pytest.fixture(scope="session")
def planted_both_ways():
    """The planted sample validated by each reader, and the tables the tool's reader made."""
    made = []
    convert = tool.convert_data

    def keep(root):
        tables = convert(root)
        made.append(copy.deepcopy(tables))  # before process_data changes them in place
        return tables

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(tool, "convert_data", keep)
        by_tool = validate_cin_census(sample("with_errors"), ingress="tool")
    assert len(made) == 1
    return validate_cin_census(sample("with_errors")), by_tool, made[0]


@pytest.mark.slow
def test_same_tables_on_the_planted_sample(planted_both_ways):
    *_, theirs = planted_both_ways
    assert differences(cin_tables(ET.parse(sample("with_errors")).getroot()), theirs) == []


@pytest.mark.slow
def test_same_tables_on_the_clean_sample():
    assert_same_tables(ET.parse(sample("clean")).getroot())


@pytest.mark.slow
def test_the_same_issues_either_way_on_the_planted_sample(planted_both_ways):
    fast, by_tool, _ = planted_both_ways
    assert len(fast.issues) > 20 and fast.not_run.empty
    pd.testing.assert_frame_equal(fast.issues, by_tool.issues)
    pd.testing.assert_frame_equal(fast.summary, by_tool.summary)
    pd.testing.assert_frame_equal(fast.rules, by_tool.rules)
    assert fast.ingress != by_tool.ingress


def test_tables_are_the_tools_in_its_order():
    assert list(cin_tables(census(child(1)))) == list(TABLES)


def test_a_tool_release_that_reads_more_tables_is_read_with_its_own_reader(monkeypatch):
    """cin_tables copies the installed tool's tables; should a release read more (the
    2026/27 pre-proceedings block, say), the validator wrapper hands the census to the
    tool's own reader, so the new rules get their table."""
    from d2i_examples.tools import cin_tables as module

    assert module.tables_it_lacks() == []

    class Newer(module._reader()):
        PreProceedings = pd.DataFrame(columns=["LAchildID", "CINdetailsID", "PPStartDate"])

    monkeypatch.setattr(module, "_reader", lambda: Newer)
    assert module.tables_it_lacks() == ["PreProceedings"]
    used, real = [], tool.convert_data
    monkeypatch.setattr(tool, "convert_data", lambda root: used.append(root) or real(root))
    validate_cin_census(census(child(1)), collection_year=2026, rules=["8500"])
    assert len(used) == 1
