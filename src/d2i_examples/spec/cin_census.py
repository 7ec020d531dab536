"""CIN census (children in need) tables and their columns.

The XML follows the DfE children in need census schema (Message > Header,
Children > Child*). As tables, it is read the way csc-validator-be-cin reads it
(cin_validator.ingress.XMLtoCSV): one table per repeating block, keyed by
LAchildID and running IDs (CINdetailsID, AssessmentID, CPPID). Dates in the XML
are ISO (YYYY-MM-DD).
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
}

DATE_COLUMNS: set[str] = {
    "ReferenceDate", "DateTime", "PersonBirthDate", "ExpectedPersonBirthDate",
    "PersonDeathDate", "CINreferralDate", "CINclosureDate", "DateOfInitialCPC",
    "AssessmentActualStartDate", "AssessmentInternalReviewDate",
    "AssessmentAuthorisationDate", "CINPlanStartDate", "CINPlanEndDate",
    "S47ActualStartDate", "InitialCPCtarget", "CPPstartDate", "CPPendDate", "CPPreviewDate",
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
