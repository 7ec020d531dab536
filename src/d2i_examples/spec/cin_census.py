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
