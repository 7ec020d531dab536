"""The synthetic CIN census XML: D2I's real CIN validator finds nothing wrong with it, it
holds the right children and modules, and the same seed gives the same bytes."""

import contextlib
import io
import itertools
import xml.etree.ElementTree as ET

import pandas as pd
import pytest
from cin_validator.cin_validator import CinValidator, convert_data, process_data
from cin_validator.rules.ruleset_utils import get_year_ruleset

from d2i_examples.datasets.cin_census import read_cin_census
from d2i_examples.errors import DataError
from d2i_examples.spec.cin_census import TABLES
from d2i_examples.synth.cin_census import census_period, cin_census_xml, write_cin_census
from d2i_examples.synth.profile import DEFAULT_PROFILE
from d2i_examples.synth.simulate import simulate
from d2i_examples.tools.known_faults import EXCUSED_CIN_RULES
from tests.fixtures import rotation

YEAR = 2026
SEED = 1  # the module's own checks use one simulation

# Element order the DfE CIN census schema requires (xs:sequence), per block.
ORDER = {
    "ChildIdentifiers": ["LAchildID", "UPN", "FormerUPN", "UPNunknown", "PersonBirthDate",
                         "ExpectedPersonBirthDate", "GenderCurrent", "Sex", "PersonDeathDate"],
    "CINdetails": ["CINreferralDate", "ReferralSource", "PrimaryNeedCode", "CINclosureDate",
                   "ReasonForClosure", "DateOfInitialCPC", "Assessments", "CINPlanDates",
                   "Section47", "ReferralNFA", "ChildProtectionPlans", "PreProceedings"],
    "Section47": ["S47ActualStartDate", "InitialCPCtarget", "DateOfInitialCPC",
                  "ICPCnotRequired"],
    "ChildProtectionPlans": ["CPPstartDate", "CPPendDate", "InitialCategoryOfAbuse",
                             "LatestCategoryOfAbuse", "NumberOfPreviousCPP", "Reviews"],
}


def run_validator(xml: bytes, rules=None, year=YEAR):
    """The real tool, as its own front end runs it; returns (validator, what it printed)."""
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        data = process_data(convert_data(ET.fromstring(xml)))
        validator = CinValidator(data, get_year_ruleset(str(year)), selected_rules=rules)
    return validator, printed.getvalue()


@pytest.fixture(scope="module")
def simulations():
    """Each seed simulated once for the whole module (the validator runs share them)."""
    cache = {}

    def get(seed: int, end_year: int = YEAR):
        if (seed, end_year) not in cache:
            first = 2024 if end_year == YEAR else end_year - 1  # 2024 is simulate's default
            cache[seed, end_year] = simulate(DEFAULT_PROFILE, seed=seed, start_year=first,
                                             end_year=end_year)
        return cache[seed, end_year]
    return get


@pytest.fixture(scope="module")
def journeys(simulations):
    return simulations(SEED)


@pytest.fixture(scope="module")
def xml(journeys):
    return cin_census_xml(journeys, YEAR)


@pytest.fixture(scope="module")
def tables(xml, tmp_path_factory):
    """The census read back with the project's own CIN census reader."""
    path = tmp_path_factory.mktemp("cin") / "census.xml"
    path.write_bytes(xml)
    return read_cin_census(path)


@pytest.mark.parametrize(("seed", "year"),
                         rotation.sample(rotation.CIN_CASES, rotation.CIN_CASES_KEPT)
                         + [(1, YEAR + 1)])  # the year councils are collecting now, always
def test_the_cin_validator_finds_no_issue(simulations, seed, year):
    """Errors and queries alike: none, bar the excused validator bugs (2026/27 included,
    whose census has pre-proceedings blocks)."""
    xml = cin_census_xml(simulations(seed, max(year, YEAR)), year)
    assert (b"<PreProceedings>" in xml) == (year >= 2027)
    validator, printed = run_validator(xml, year=year)
    found = validator.full_issue_df
    found = found[~found["rule_code"].astype(str).isin(EXCUSED_CIN_RULES)]
    summary = found.groupby("rule_code")["child_id"].nunique().to_dict()
    return_level = sorted(validator.multichild_issues["rule_code"].astype(str))
    # a rule that crashes is printed by the tool and would otherwise pass silently
    assert (found.empty and not return_level and "Error with rule" not in printed), (
        f"seed {seed}, {year}: children with issues by rule {summary}; "
        f"return-level {return_level}; crashed: {printed.strip()}")


def test_the_validator_run_would_see_a_broken_file(xml):
    """The check above can fail: a weekend conference and an invalid sex are caught."""
    root = ET.fromstring(xml)
    # only the children changed, so the tool reads a small file
    children = root.find("Children")
    for child in list(children)[1:]:
        if child.find(".//Section47/DateOfInitialCPC") is None:
            children.remove(child)
    icpc = root.find(".//Section47/DateOfInitialCPC")
    icpc.text = "2026-03-28"  # a Saturday
    sex = root.find(".//ChildIdentifiers/Sex")
    sex.text = "X"
    validator, printed = run_validator(ET.tostring(root), rules=["8875", "4180"])
    assert "Error with rule" not in printed
    assert set(validator.full_issue_df["rule_code"].astype(str)) == {"8875", "4180"}


def nfa_referral_census(referral: str) -> bytes:
    """A 2024/25 census of one child with one no-further-action referral."""
    return f"""<Message><Header>
      <CollectionDetails><Collection>CIN</Collection><Year>2025</Year>
        <ReferenceDate>2025-03-31</ReferenceDate></CollectionDetails>
      <Source><SourceLevel>L</SourceLevel><LEA>816</LEA></Source></Header>
      <Children><Child>
        <ChildIdentifiers><LAchildID>SYN1</LAchildID><UPNunknown>UN1</UPNunknown>
          <PersonBirthDate>2022-05-01</PersonBirthDate><Sex>F</Sex></ChildIdentifiers>
        <ChildCharacteristics><Ethnicity>WBRI</Ethnicity>
          <Disabilities><Disability>NONE</Disability></Disabilities></ChildCharacteristics>
        <CINdetails><CINreferralDate>{referral}</CINreferralDate>
          <ReferralSource>6</ReferralSource><PrimaryNeedCode>N9</PrimaryNeedCode>
          <CINclosureDate>{referral}</CINclosureDate><ReasonForClosure>RC7</ReasonForClosure>
          <ReferralNFA>1</ReferralNFA></CINdetails>
      </Child></Children></Message>""".encode()


def test_rule_8569Q_flags_referrals_inside_the_census_year():
    """Why 8569Q is excused: a no-further-action referral made on 1 April 2024, the first day
    of the 2024/25 census year (a bank holiday), is queried as if dated before the year; the
    same referral a day later is not."""
    assert "8569Q" in EXCUSED_CIN_RULES
    first_day = census_period(2025)[0]
    assert first_day == pd.Timestamp("2024-04-01")
    flagged = {}
    for referral in ["2024-04-01", "2024-04-02"]:
        validator, printed = run_validator(nfa_referral_census(referral), ["8569Q"], 2025)
        assert "Error with rule" not in printed
        flagged[referral] = not validator.full_issue_df.empty
    assert flagged == {"2024-04-01": True, "2024-04-02": False}


def one_episode_census(modules: str) -> bytes:
    """A 2025/26 census of one child whose episode closed on 1 September 2025, after an
    assessment, holding ``modules`` (XML of CINPlanDates / Section47 blocks)."""
    return f"""<Message><Header>
      <CollectionDetails><Collection>CIN</Collection><Year>2026</Year>
        <ReferenceDate>2026-03-31</ReferenceDate></CollectionDetails>
      <Source><SourceLevel>L</SourceLevel><LEA>816</LEA></Source></Header>
      <Children><Child>
        <ChildIdentifiers><LAchildID>SYN1</LAchildID><UPNunknown>UN1</UPNunknown>
          <PersonBirthDate>2022-05-01</PersonBirthDate><Sex>F</Sex></ChildIdentifiers>
        <ChildCharacteristics><Ethnicity>WBRI</Ethnicity>
          <Disabilities><Disability>NONE</Disability></Disabilities></ChildCharacteristics>
        <CINdetails><CINreferralDate>2025-05-01</CINreferralDate>
          <ReferralSource>6</ReferralSource><PrimaryNeedCode>N1</PrimaryNeedCode>
          <CINclosureDate>2025-09-01</CINclosureDate><ReasonForClosure>RC7</ReasonForClosure>
          <Assessments><AssessmentActualStartDate>2025-05-02</AssessmentActualStartDate>
            <AssessmentAuthorisationDate>2025-06-02</AssessmentAuthorisationDate>
            <FactorsIdentifiedAtAssessment><AssessmentFactors>4B</AssessmentFactors>
            </FactorsIdentifiedAtAssessment></Assessments>
          {modules}
          <ReferralNFA>0</ReferralNFA></CINdetails>
      </Child></Children></Message>""".encode()


def test_rule_8565_crashes_on_a_plan_after_closure_unless_an_enquiry_is_too():
    """Rule 8565 ("activity shown after a case has been closed") labels the CIN plans it
    finds with the section 47 findings' identifiers, so it crashes (and reports nothing)
    when a return has a plan after closure but no enquiry after closure. Not excused: our
    census never has activity after closure (next test), so the crash is never reached."""
    plan = ("<CINPlanDates><CINPlanStartDate>2025-06-09</CINPlanStartDate>"
            "<CINPlanEndDate>{}</CINPlanEndDate></CINPlanDates>")
    enquiry = ("<Section47><S47ActualStartDate>2025-09-10</S47ActualStartDate>"
               "<InitialCPCtarget>2025-10-01</InitialCPCtarget>"
               "<ICPCnotRequired>1</ICPCnotRequired></Section47>")
    outcomes = {}
    for label, modules in {"plan ends on closure": plan.format("2025-09-01"),
                           "plan ends after closure": plan.format("2025-10-01"),
                           "both after closure": plan.format("2025-10-01") + enquiry}.items():
        validator, printed = run_validator(one_episode_census(modules), ["8565"])
        crashed = "Error with rule 8565" in printed
        outcomes[label] = "crash" if crashed else sorted(
            set(validator.full_issue_df["rule_code"].astype(str)))
    assert outcomes == {"plan ends on closure": [], "plan ends after closure": "crash",
                        "both after closure": ["8565"]}


def test_no_activity_after_an_episode_closed(tables):
    """What rule 8565 checks, on our census: nothing in a closed episode is dated after its
    closure, so the rule's crash (above) cannot be triggered by our data."""
    cin = tables["CINdetails"].set_index(["LAchildID", "CINdetailsID"])["CINclosureDate"]
    checks = {"Assessments": ["AssessmentActualStartDate", "AssessmentAuthorisationDate"],
              "CINplanDates": ["CINPlanStartDate", "CINPlanEndDate"],
              "Section47": ["S47ActualStartDate", "DateOfInitialCPC"],
              "ChildProtectionPlans": ["CPPstartDate", "CPPendDate"]}
    for table, columns in checks.items():
        frame = tables[table]
        closed = frame.set_index(["LAchildID", "CINdetailsID"]).index.map(cin)
        assert len(frame) > 0, table
        for col in columns:
            after = pd.Series(frame[col].to_numpy() > closed.to_numpy())
            assert not after.any(), (table, col)


def test_same_seed_same_bytes_and_file(journeys, xml, tmp_path):
    assert cin_census_xml(journeys, YEAR) == xml
    path = write_cin_census(journeys, YEAR, tmp_path / "out")
    assert path.name == f"cin_census_{YEAR}.xml"
    assert path.read_bytes() == xml
    assert xml.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')


def test_header(xml, journeys):
    root = ET.fromstring(xml)
    assert [(e.tag, e.text) for e in root.find("Header/CollectionDetails")] == [
        ("Collection", "CIN"), ("Year", str(YEAR)), ("ReferenceDate", f"{YEAR}-03-31")]
    source = {e.tag: e.text for e in root.find("Header/Source")}
    assert source["SourceLevel"] == "L"
    assert source["LEA"] == journeys.profile.la_code
    assert source["DateTime"] == f"{YEAR}-04-01T09:00:00"
    assert list(source) == ["SourceLevel", "LEA", "SoftwareCode", "Release", "SerialNo",
                            "DateTime"]


def test_sex_before_2024_25_is_gender_current(journeys):
    old = ET.fromstring(cin_census_xml(journeys, 2024))
    assert old.find(".//Sex") is None
    assert {e.text for e in old.iter("GenderCurrent")} == {"1", "2"}
    assert {e.text for e in ET.fromstring(cin_census_xml(journeys, 2025)).iter("Sex")} == {
        "M", "F"}


def test_elements_in_schema_order(xml):
    root = ET.fromstring(xml)
    for block, order in ORDER.items():
        for el in root.iter(block):
            tags = [c.tag for c in el]
            assert all(t in order for t in tags), (block, tags)
            positions = [order.index(t) for t in tags]
            assert positions == sorted(positions), (block, tags)


def test_children_and_episodes_are_those_open_in_the_year(tables, journeys):
    start, end = census_period(YEAR)
    ref = journeys.referrals
    expected = ref[(ref["referral_date"] <= end)
                   & (ref["closure_date"].isna() | (ref["closure_date"] >= start))]
    cin = tables["CINdetails"]
    assert set(tables["ChildIdentifiers"]["LAchildID"]) == set(expected["child_id"])
    assert len(cin) == len(expected)
    got = set(zip(cin["LAchildID"], cin["CINreferralDate"]))
    assert got == set(zip(expected["child_id"], expected["referral_date"]))
    # closures after the census date are not known yet
    closed = cin["CINclosureDate"].notna()
    assert (cin.loc[closed, "CINclosureDate"] <= end).all()
    assert (cin["CINclosureDate"].isna() == cin["ReasonForClosure"].isna()).all()
    n_open_later = ((expected["closure_date"] > end) | expected["closure_date"].isna()).sum()
    assert (~closed).sum() == n_open_later


def test_cp_plans_are_the_plans_open_in_the_year(tables, journeys):
    start, end = census_period(YEAR)
    p = journeys.cp_plans
    expected = p[(p["start_date"] <= end) & (p["end_date"].isna() | (p["end_date"] >= start))]
    cpp = tables["ChildProtectionPlans"]
    assert len(cpp) == len(expected) > 0
    assert set(zip(cpp["LAchildID"], cpp["CPPstartDate"])) == set(
        zip(expected["child_id"], expected["start_date"]))


def test_no_event_after_the_census_date(tables):
    """Only the ICPC target (a date planned ahead) and the header's DateTime may be later."""
    _, end = census_period(YEAR)
    for table, frame in tables.items():
        for col in frame.columns:
            if (pd.api.types.is_datetime64_any_dtype(frame[col])
                    and col not in ("DateTime", "InitialCPCtarget")):
                assert not (frame[col] > end).any(), (table, col)


def test_children_match_the_simulation(tables, journeys):
    ids = tables["ChildIdentifiers"].set_index("LAchildID")
    eth = tables["ChildCharacteristics"].set_index("LAchildID")
    sim = journeys.children.set_index("child_id").loc[ids.index]
    assert (ids["PersonBirthDate"] == sim["dob"]).all()
    assert (ids["Sex"] == sim["sex"]).all()
    assert (eth.loc[ids.index, "Ethnicity"] == sim["ethnicity"]).all()


def test_a_year_outside_the_simulation_is_refused(journeys):
    with pytest.raises(DataError, match="do not cover this census year"):
        cin_census_xml(journeys, journeys.end_year + 1)


def test_pre_proceedings_blocks_of_2026_27_follow_the_rules_and_read_back(simulations,
                                                                          tmp_path):
    """The 2026/27 census holds pre-proceedings for children who came into care on an
    interim care order, each inside the CINdetails of the episode that brought them into
    care, dated in the year in the order csc-validator-be-cin's rules 9005-9013 expect;
    the project's reader returns them as the PreProceedings table."""
    path = tmp_path / "census.xml"
    path.write_bytes(cin_census_xml(simulations(1, YEAR + 1), YEAR + 1))
    census = read_cin_census(path)
    pp = census["PreProceedings"]
    assert len(pp) >= 5 and list(pp.columns) == TABLES["PreProceedings"]
    start, end = census_period(YEAR + 1)
    chain = ["PPStartDate", "LBPSentDate", "InitialPPMeetingDate", "StepDecisionDate",
             "CourtAppDate", "LetterInitCPDate"]
    for before, after in itertools.pairwise(chain):
        assert (pp[before] <= pp[after]).all(), (before, after)
    assert (pp["PPStartDate"] >= start).all() and (pp["LetterInitCPDate"] <= end).all()
    assert set(pp["PPOutcome"]) == {"A"} and set(pp["FGDMMeetingOffer"]) <= {"1", "0"}
    assert pp.loc[pp["FGDMMeetingOffer"] == "1", "FGDMMeetingFac"].notna().all()
    # each block sits in a CINdetails open when pre-proceedings started
    cin = census["CINdetails"].merge(pp, on=["LAchildID", "CINdetailsID"])
    assert len(cin) == len(pp) and (cin["CINreferralDate"] <= cin["PPStartDate"]).all()
