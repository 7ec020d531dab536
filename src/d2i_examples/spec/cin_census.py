"""CIN census (children in need) tables and their columns.

The XML follows the DfE children in need census schema (Message > Header,
Children > Child*). As tables, it is read the way csc-validator-be-cin reads it
(cin_validator.ingress.XMLtoCSV): one table per repeating block, keyed by
LAchildID and running IDs (CINdetailsID, AssessmentID, CPPID). Dates in the XML
are ISO (YYYY-MM-DD).

The pre-proceedings block is new in 2026/27 ("module 5, pre-proceedings and
FGM" of the DfE's Children in need census 2026 to 2027 business and technical
specification; the module's FGM items are not modelled here). Its element
names, data item numbers (N00826-N00834 as the rules' comments give them; the
last element's N00835 and the element order are our reading) and the
PPOutcome codes are those of csc-validator-be-cin's 2026/27 rules (rules
9005-9015Q in cin_validator/rules/cin2026_27 of the data-to-insight
repository, read December 2026); the installed release (0.1.13) does not read
the block yet. The rules do not say where the block sits: we write one
``<PreProceedings>`` per period of pre-proceedings inside the ``<CINdetails>``
it belongs to, after the child protection plans, and the readers also accept it
directly inside ``<Child>``. FIRST_YEAR and ``tables(year)`` say which years
have which tables.
"""

# table -> columns, in the order cin_validator.ingress.XMLtoCSV builds them
TABLES: dict[str, list[str]] = {
    "Header": [
        "Collection", "Year", "ReferenceDate", "SourceLevel", "LEA", "SoftwareCode",
        "Release", "SerialNo", "DateTime",
    ],
    "ChildIdentifiers": [
        "LAchildID", "UPN", "FormerUPN", "UPNunknown", "PersonBirthDate",
        "ExpectedPersonBirthDate", "GenderCurrent", "Sex", "PersonDeathDate",
    ],
    "ChildCharacteristics": ["LAchildID", "Ethnicity"],
    "Disabilities": ["LAchildID", "Disability"],
    "CINdetails": [
        "LAchildID", "CINdetailsID", "CINreferralDate", "ReferralSource", "PrimaryNeedCode",
        "CINclosureDate", "ReasonForClosure", "DateOfInitialCPC", "ReferralNFA",
    ],
    "Assessments": [
        "LAchildID", "CINdetailsID", "AssessmentID", "AssessmentActualStartDate",
        "AssessmentInternalReviewDate", "AssessmentAuthorisationDate", "AssessmentFactors",
    ],
    "AssessmentFactorsList": ["LAchildID", "CINdetailsID", "AssessmentID", "AssessmentFactor"],
    "CINplanDates": ["LAchildID", "CINdetailsID", "CINPlanStartDate", "CINPlanEndDate"],
    "Section47": [
        "LAchildID", "CINdetailsID", "S47ActualStartDate", "InitialCPCtarget",
        "DateOfInitialCPC", "ICPCnotRequired",
    ],
    "ChildProtectionPlans": [
        "LAchildID", "CINdetailsID", "CPPID", "CPPstartDate", "CPPendDate",
        "InitialCategoryOfAbuse", "LatestCategoryOfAbuse", "NumberOfPreviousCPP",
    ],
    "Reviews": ["LAchildID", "CINdetailsID", "CPPID", "CPPreviewDate"],
    # 2026/27 on, elements in the order below (data items N00826-N00835)
    "PreProceedings": [
        "LAchildID", "CINdetailsID",
        "PPStartDate",  # the legal planning meeting's decision to start pre-proceedings
        "LBPSentDate",  # the letter before proceedings sent to parents
        "FGDMMeetingOffer",  # a family group decision making meeting offered in it (1/0)
        "FGDMMeetingFac",  # that meeting held in pre-proceedings (1/0)
        "InitialPPMeetingDate",  # the first effective pre-proceedings meeting
        "ReviewMeetingsCount",  # review meetings held after it
        "StepDecisionDate",  # the decision to step up (to court) or down
        "PPOutcome",  # code set CS131, see PP_OUTCOME
        "CourtAppDate",  # the court application to start care proceedings
        "LetterInitCPDate",  # the letter telling parents care proceedings are starting
    ],
}

# tables that a collection year before this one does not have (2027 is 2026/27)
FIRST_YEAR: dict[str, int] = {"PreProceedings": 2027}


def tables(collection_year: int | None = None) -> list[str]:
    """The census tables of ``collection_year`` (all of them when None), in TABLES order:
    PreProceedings only from 2026/27 (collection year 2027)."""
    return [t for t in TABLES
            if collection_year is None or FIRST_YEAR.get(t, 0) <= collection_year]


DATE_COLUMNS: set[str] = {
    "ReferenceDate", "DateTime", "PersonBirthDate", "ExpectedPersonBirthDate",
    "PersonDeathDate", "CINreferralDate", "CINclosureDate", "DateOfInitialCPC",
    "AssessmentActualStartDate", "AssessmentInternalReviewDate",
    "AssessmentAuthorisationDate", "CINPlanStartDate", "CINPlanEndDate",
    "S47ActualStartDate", "InitialCPCtarget", "CPPstartDate", "CPPendDate", "CPPreviewDate",
    "PPStartDate", "LBPSentDate", "InitialPPMeetingDate", "StepDecisionDate", "CourtAppDate",
    "LetterInitCPDate",
}

# --- Code lists -------------------------------------------------------------
# The codes each coded element accepts, with their meanings, as in the DfE
# children in need census guide and checked by csc-validator-be-cin
# (cin_validator.rules: 8650 PrimaryNeedCode, 8640 ReasonForClosure,
# 8866 ReferralSource, 8910 and 8905 categories of abuse). Unchanged from
# 2022/23 to 2026/27.

PRIMARY_NEED = {
    "N1": "Abuse or neglect",
    "N2": "Child's disability or illness",
    "N3": "Parental disability or illness",
    "N4": "Family in acute stress",
    "N5": "Family dysfunction",
    "N6": "Socially unacceptable behaviour",
    "N7": "Low income",
    "N8": "Absent parenting",
    "N9": "Cases other than children in need",
    "N0": "Not stated",
}

REASON_FOR_CLOSURE = {
    "RC1": "Adopted",
    "RC2": "Died",
    "RC3": "Child arrangements order",
    "RC4": "Special guardianship order",
    "RC5": "Transferred to services of another local authority",
    "RC6": "Transferred to adult social care services",
    "RC7": "Services ceased for any other reason, including child no longer in need",
    "RC8": "Case closed after assessment, no further action",
    "RC9": "Case closed after assessment, referred to early help",
}

# code -> (meaning, the broad group ChAT-style charts use)
REFERRAL_SOURCES: dict[str, tuple[str, str]] = {
    "1A": ("Individual: family member, relative or carer", "Individual"),
    "1B": ("Individual: acquaintance", "Individual"),
    "1C": ("Individual: self", "Individual"),
    "1D": ("Individual: other", "Individual"),
    "2A": ("Schools", "Education"),
    "2B": ("Education services", "Education"),
    "3A": ("Health: GP", "Health"),
    "3B": ("Health: health visitor", "Health"),
    "3C": ("Health: school nurse", "Health"),
    "3D": ("Health: other primary health services", "Health"),
    "3E": ("Health: A&E", "Health"),
    "3F": ("Health: other hospital services", "Health"),
    "4": ("Housing", "Housing"),
    "5A": ("LA services: social care", "LA services"),
    "5B": ("LA services: other internal", "LA services"),
    "5C": ("LA services: external", "LA services"),
    "5D": ("LA services: early help", "LA services"),
    "6": ("Police", "Police"),
    "7": ("Other legal agency", "Other legal agency"),
    "8": ("Other", "Other"),
    "9": ("Anonymous", "Anonymous"),
    "10": ("Unknown", "Unknown"),
}

CATEGORY_OF_ABUSE = {
    "NEG": "Neglect",
    "PHY": "Physical abuse",
    "SAB": "Sexual abuse",
    "EMO": "Emotional abuse",
    "MUL": "Multiple categories",
}

# The outcome of pre-proceedings (PPOutcome, code set CS131): rule 9011 accepts A, B and C.
# The rules name two outcomes, a step up to care proceedings and a step down; which letter
# is which is our reading, to be checked against the DfE's 2026/27 specification.
PP_OUTCOME = {
    "A": "Stepped up: care proceedings issued (our reading of code A)",
    "B": "Stepped down from pre-proceedings (our reading of code B)",
    "C": "Other outcome (code C of code set CS131; see the DfE specification)",
}
