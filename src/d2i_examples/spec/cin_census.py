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


# Reason for closure (ReasonForClosure, N00103), from DfE's CIN census guide; the
# validator's rules 8825Q (RC8, RC9) and 8640 (RC2) quote the same meanings.
REASON_FOR_CLOSURE: dict[str, str] = {
    "RC1": "adopted",
    "RC2": "died",
    "RC3": "child arrangements order",
    "RC4": "special guardianship order",
    "RC5": "transferred to services of another local authority",
    "RC6": "transferred to adult social care services",
    "RC7": "services ceased for any other reason, including no longer in need",
    "RC8": "case closed after assessment, no further action",
    "RC9": "case closed after assessment, referred to early help",
}
