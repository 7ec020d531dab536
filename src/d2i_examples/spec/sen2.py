"""SEN2 (special educational needs person level survey) XML: elements, tables and codes.

Specification followed: **SEN2 person level, collection year 2026** (census date in
January 2026; the year's activity is the 2025 calendar year), as described in the DfE's
*Special educational needs survey guide 2026* and read by D2I's PATCh SEN2 app
(data-to-insight/patch, apps/015_SEN2_app), whose element names and nesting we follow.
The person level collection started in 2023 (DfE, *SEN2 person level 2023 technical
specification v1.1*, October 2022: modules 1 person details, 2 requests for EHC needs
assessment, 3 EHC needs assessments, 4 named plan and ceased plans, 5 placements).

Structure (one ``Requests`` block per request for an EHC needs assessment)::

    Message > Header > CollectionDetails (Collection, Year, ReferenceDate)
                     > Source (SourceLevel, LEA, SoftwareCode, Release, SerialNo, DateTime)
            > Persons > Person*
                Surname, Forename, PersonBirthDate, Sex, Ethnicity, PostCode, UPN,
                UniqueLearnerNumber, UPNunknown
                Requests* (ReceivedDate, RequestSource, RYA, RequestOutcomeDate,
                           RequestOutcome, RequestMediation, RequestTribunal, Exported)
                    Assessment* (AssessmentOutcome, AssessmentOutcomeDate,
                                 AssessmentMediation, AssessmentTribunal, OtherMediation,
                                 OtherTribunal, Week20)
                        NamedPlan (StartDate, PlanRes, PlanWPB, PB, OA, DP, CeaseDate,
                                   CeaseReason)
                            PlanDetail* (URN, UKPRN, SENSetting, SENSettingOther,
                                         PlacementRank, SENunitIndicator,
                                         ResourcedProvisionIndicator)
                    ActivePlans (TransferLA, RES, WPB, ReviewMeeting, ReviewOutcome,
                                 LastReview)
                        PlacementDetail* (URN, UKPRN, SENSetting, SENSettingOther,
                                          PlacementRank, EntryDate, LeavingDate,
                                          SENunitIndicator, ResourcedProvisionIndicator)
                        SENneed* (SENtype, SENtypeRank)

A request made before the collection period whose plan is still maintained has no
``ReceivedDate`` and its assessment outcome is ``H`` (historical). Dates are ISO
(YYYY-MM-DD). Yes/no items are ``1``/``0``.

The SEN2 return has **no date of the draft plan**: the stages it can time are request ->
decision whether to assess (``RequestOutcomeDate``), -> decision whether to issue a plan
(``AssessmentOutcomeDate``), -> final plan issued (``NamedPlan/StartDate``).

Code lists and where each was checked (the DfE's guide is *Special educational needs
person level survey 2025: guide*, v1.4, "SEN survey - guide to person level SEN2 return
2025", https://assets.publishing.service.gov.uk/media/675831b5f72b1d96e06bbfdf/SEN_survey_-_guide_to_person_level_SEN2_return_2025.pdf;
its item numbers and wording were read as quoted by MastodonC's witan.sen2 dictionary,
src/witan/sen2/return/person_level/dictionary.clj, which cites that guide item by item):

- ``CEASE_REASON``: the guide (2025) item 4.6, CeaseReason. Code 4 is "moved on to paid
  employment, excluding apprenticeships" (it said "or an apprenticeship" here before);
  code 2 is ongoing needs met without a plan, code 5 a transfer to another authority *in
  England*. D2I's PATCh SEN2 app (data-to-insight/patch, apps/015_SEN2_app/send2_app.py)
  still labels 4 "paid employment/apprenticeships": the guide is followed here.
- ``SEN_SETTING``: the guide (2025) items 4.7c and 5.7c, SENsetting.
- ``SEN_TYPE``: the guide (2025) item 5.8a, SENtype.
- ``REQUEST_SOURCE``: as D2I's PATCh SEN2 app labels codes 1 to 5; the guide's wording was
  not found, so the labels are PATCh's.
- ``PLAN_RES``: as D2I's PATCh SEN2 app labels A and B; the guide's wording was not found.
- ``REVIEW_OUTCOME``: Capita One's SEN2 help (release note "Statutory SEN2 - Annual review
  decision external codes added to lookup list 0441", for the 2024 return) names the item
  but its codes could not be read: *assumed*.
- ``REQUEST_OUTCOME`` and ``ASSESSMENT_OUTCOME``: *assumed*. The guide's code tables for
  items 2.x (RequestOutcome) and 3.1 (AssessmentOutcome) were not found in any source
  that could be read while checking (the 2023 technical specification, v1.1, October
  2022, was found only as a table of contents). Only ``S`` is confirmed, by Capita One's
  release note "SEN/SEND - New code added to Assessment Type lookup table (3.75.011 &
  3.76.001)": item 3.1 "S - Plan issued after assessment was completed by another LA".
  Check these against the year's guide before relying on them in a real return.
"""

from __future__ import annotations

SPEC_VERSION = "SEN2 person level 2026 (DfE special educational needs survey guide 2026)"
COLLECTION = "SEN2"
#: the first collection year of the person level return
FIRST_PERSON_LEVEL_YEAR = 2023
#: collection years this module describes (earlier person level years share the layout)
YEARS = (2025, 2026)

# table -> columns. Every table below Person carries person_id (the Person's position in
# the file, from 1) and the running ids of the blocks above it.
TABLES: dict[str, list[str]] = {
    "header": ["Collection", "Year", "ReferenceDate", "SourceLevel", "LEA", "SoftwareCode",
               "Release", "SerialNo", "DateTime"],
    "person": ["person_id", "Surname", "Forename", "PersonBirthDate", "Sex", "Ethnicity",
               "PostCode", "UPN", "UniqueLearnerNumber", "UPNunknown"],
    "requests": ["person_id", "request_id", "ReceivedDate", "RequestSource", "RYA",
                 "RequestOutcomeDate", "RequestOutcome", "RequestMediation",
                 "RequestTribunal", "Exported"],
    "assessments": ["person_id", "request_id", "assessment_id", "AssessmentOutcome",
                    "AssessmentOutcomeDate", "AssessmentMediation", "AssessmentTribunal",
                    "OtherMediation", "OtherTribunal", "Week20"],
    "plans": ["person_id", "request_id", "assessment_id", "StartDate", "PlanRes", "PlanWPB",
              "PB", "OA", "DP", "CeaseDate", "CeaseReason"],
    "plan_details": ["person_id", "request_id", "assessment_id", "URN", "UKPRN", "SENSetting",
                     "SENSettingOther", "PlacementRank", "SENunitIndicator",
                     "ResourcedProvisionIndicator"],
    "active_plans": ["person_id", "request_id", "TransferLA", "RES", "WPB", "ReviewMeeting",
                     "ReviewOutcome", "LastReview"],
    "placements": ["person_id", "request_id", "URN", "UKPRN", "SENSetting", "SENSettingOther",
                   "PlacementRank", "EntryDate", "LeavingDate", "SENunitIndicator",
                   "ResourcedProvisionIndicator"],
    "sen_needs": ["person_id", "request_id", "SENtype", "SENtypeRank"],
}

#: XML element holding each table's values (relative to its parent block)
ELEMENTS = {
    "person": "Person", "requests": "Requests", "assessments": "Assessment",
    "plans": "NamedPlan", "plan_details": "PlanDetail", "active_plans": "ActivePlans",
    "placements": "PlacementDetail", "sen_needs": "SENneed",
}

ID_COLUMNS = ("person_id", "request_id", "assessment_id")

DATE_COLUMNS: set[str] = {
    "ReferenceDate", "DateTime", "PersonBirthDate", "ReceivedDate", "RequestOutcomeDate",
    "AssessmentOutcomeDate", "StartDate", "CeaseDate", "EntryDate", "LeavingDate",
    "ReviewMeeting", "LastReview",
}

SEX = {"M": "male", "F": "female"}
YES_NO = {"1": "yes", "0": "no"}

# as D2I's PATCh SEN2 app labels them (see the module docstring)
REQUEST_SOURCE = {
    "1": "young person or parent",
    "2": "school or other education setting",
    "3": "health care professional",
    "4": "social care professional",
    "5": "other",
}

# assumed: the guide's wording was not found (see the module docstring)
REQUEST_OUTCOME = {
    "A": "decided to assess",
    "B": "decided not to assess",
    "W": "request withdrawn or ceased before a decision",
    "M": "moved out of the authority before a decision",
    "H": "historical request (decided before the collection period)",
}

# "S" as Capita One's SEN2 help (item 3.1); A, B, W, M, H assumed: the guide's wording was
# not found (see the module docstring)
ASSESSMENT_OUTCOME = {
    "A": "decided to issue an EHC plan",
    "B": "decided not to issue an EHC plan",
    "W": "request withdrawn or ceased before a decision to issue",
    "M": "moved out of the authority before a decision to issue",
    "H": "historical (plan issued before the collection period)",
    "S": "plan issued after an assessment completed by another authority",
}

# SEN2 guide 2025, item 4.6 (see the module docstring)
CEASE_REASON = {
    "1": "reached maximum age",
    "2": "ongoing educational or training needs being met without an EHC plan",
    "3": "moved on to higher education",
    "4": "moved on to paid employment, excluding apprenticeships",
    "5": "transferred to another local authority in England",
    "6": "young person no longer wishes to engage in education or training",
    "7": "moved outside England",
    "8": "deceased",
    "9": "other",
}

# SEN2 guide 2025, item 5.8a (see the module docstring)
SEN_TYPE = {
    "SPLD": "Specific learning difficulty",
    "MLD": "Moderate learning difficulty",
    "SLD": "Severe learning difficulty",
    "PMLD": "Profound and multiple learning difficulty",
    "SEMH": "Social, emotional and mental health",
    "SLCN": "Speech, language and communication needs",
    "HI": "Hearing impairment",
    "VI": "Vision impairment",
    "MSI": "Multi-sensory impairment",
    "PD": "Physical disability",
    "ASD": "Autistic spectrum disorder",
    "DS": "Down syndrome",
    "OTH": "Other difficulty",
}

#: settings recorded when the placement has no establishment URN or UKPRN (SEN2 guide 2025,
#: items 4.7c and 5.7c; see the module docstring)
SEN_SETTING = {
    "OLA": "other arranged by the local authority (section 61 of the 2014 Act)",
    "OPA": "other arranged by parents or the young person, excluding elective home education",
    "EHE": "elective home education",
    "EYP": "early years provider with no URN",
    "OTH": "other (a type of setting but no specific setting named)",
    "NEET": "not in education, employment or training (aged 16 to 25)",
    "NIEC": "not in education or training: notice to cease issued",
    "NIEO": "not in education or training: other",
}

# as D2I's PATCh SEN2 app labels them (see the module docstring)
PLAN_RES = {"A": "residential 38 to 51 weeks", "B": "residential 52 weeks"}
# assumed: the guide's wording was not found (see the module docstring)
REVIEW_OUTCOME = {"A": "amend the plan", "C": "cease the plan", "M": "maintain the plan"}

#: (table, column) -> accepted codes, checked by the loader
CODES: dict[tuple[str, str], dict[str, str]] = {
    ("person", "Sex"): SEX,
    ("requests", "RequestSource"): REQUEST_SOURCE,
    ("requests", "RYA"): YES_NO,
    ("requests", "RequestOutcome"): REQUEST_OUTCOME,
    ("requests", "RequestMediation"): YES_NO,
    ("requests", "RequestTribunal"): YES_NO,
    ("assessments", "AssessmentOutcome"): ASSESSMENT_OUTCOME,
    ("assessments", "Week20"): YES_NO,
    ("plans", "CeaseReason"): CEASE_REASON,
    ("plans", "PlanRes"): PLAN_RES,
    ("plan_details", "SENSetting"): SEN_SETTING,
    ("placements", "SENSetting"): SEN_SETTING,
    ("active_plans", "ReviewOutcome"): REVIEW_OUTCOME,
    ("sen_needs", "SENtype"): SEN_TYPE,
}

#: the statutory time limit from request to final plan (Children and Families Act 2014 regulations;
#: the SEND Code of Practice)
WEEKS_TO_FINAL_PLAN = 20
#: the decision whether to assess is due within 6 weeks of the request (SEND Code of Practice)
WEEKS_TO_DECISION = 6


def census_date(collection_year: int) -> str:
    """The SEN2 census date as written in the header: 15 January of the collection year
    (assumed day; the census is taken in January)."""
    return f"{int(collection_year)}-01-15"


def activity_period(collection_year: int) -> tuple[str, str]:
    """The calendar year whose activity the return counts: 1 January to 31 December of the
    year before the collection year (as D2I's PATCh app reads it)."""
    y = activity_year(collection_year)
    return f"{y}-01-01", f"{y}-12-31"


def activity_year(collection_year: int) -> int:
    """The calendar year of ``activity_period``: the year before the collection year."""
    return int(collection_year) - 1
