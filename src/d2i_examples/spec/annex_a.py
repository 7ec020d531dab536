"""Annex A (Ofsted inspection data lists) sheets and their column headings.

Headings follow the Ofsted Annex A template (as aggregated across London LAs in
the liiatools Annex A specification). Each list is one worksheet, "List 1" to
"List 11". Dates are real Excel dates or dd/mm/YYYY text.
"""

_CHILD = ["Child Unique ID", "Gender", "Ethnicity", "Date of Birth", "Age of Child (Years)"]
_ALLOCATED = ["Allocated Team", "Allocated Worker"]
_DISABILITY = "Does the Child have a Disability"

# our list key -> (sheet name, columns in sheet order)
LISTS: dict[str, tuple[str, list[str]]] = {
    "list_1": ("List 1", [*_CHILD, "Date of Contact", "Contact Source"]),
    "list_2": (
        "List 2",
        [*_CHILD, "Assessment start date", "Assessment completion date",
         "Organisation completing assessment"],
    ),
    "list_3": (
        "List 3",
        [*_CHILD, "Date of referral", "Referral Source", "Referral NFA?",
         "Number of Referrals in Last 12 Months", *_ALLOCATED],
    ),
    "list_4": (
        "List 4",
        [*_CHILD, _DISABILITY, "Continuous Assessment Start Date",
         "Child Seen During Continuous Assessment", "Continuous Assessment Date of Authorisation",
         "Was the child assessed as requiring LA children's social care support?", *_ALLOCATED],
    ),
    "list_5": (
        "List 5",
        [*_CHILD, _DISABILITY, "Strategy discussion initiating Section 47 Enquiry Start Date",
         "Was an Initial Child Protection Conference deemed unnecessary?",
         "Date of Initial Child Protection Conference",
         "Did the Initial Child Protection Conference Result in a Child Protection Plan",
         "Number of Section 47 Enquiries in the last 12 months",
         "Number of ICPCs in the last 12 months", *_ALLOCATED],
    ),
    "list_6": (
        "List 6",
        [*_CHILD, _DISABILITY, "CIN Start Date", "Primary Need Code", "Date Child Was Last Seen",
         "CIN Closure Date", "Reason for Closure", "Case Status", *_ALLOCATED],
    ),
    "list_7": (
        "List 7",
        [*_CHILD, _DISABILITY, "Child Protection Plan Start Date", "Initial Category of Abuse",
         "Latest Category of Abuse", "Date of the Last Statutory Visit",
         "Was the Child Seen Alone?", "Date of latest review conference",
         "Child Protection Plan End Date",
         ("Subject to Emergency Protection Order or Protected Under Police Powers in Last Six "
          "Months (Y/N)"),
         "Number of Previous Child Protection Plans", *_ALLOCATED],
    ),
    "list_8": (
        "List 8",
        [*_CHILD, _DISABILITY, "Date Started to be Looked After", "Child's Category of Need",
         ("Is this a second or subsequent period of being a Looked After Child within the last "
          "12 months (Y/N)"),
         "Start date of current legal status", "Child's Legal Status",
         "Date of Latest Statutory Review", "Date of Last Social Work Visit",
         "What is the permanence plan for this child?",
         "Date of Last IRO Visit / Contact to the Child", "Date of Last Health Assessment",
         "Date of Last Dental Check", "Number of Placements in the Last 12 months",
         "Date Ceased to be Looked After", "Reason Ceased to be Looked After",
         "Start Date of Most Recent Placement", "Placement Type", "Placement Provider",
         "Placement postcode", "URN of Placement", "Placement Location", "LA of Placement",
         ("Number of Episodes the Child has been 'Missing' from their Placement in the last 12 "
          "months"),
         ("Number of Episodes the Child has been 'Absent' from their Placement in the last 12 "
          "months"),
         "Was the child offered a Return Interview after their last missing episode (Y/N)?",
         "Did the child accept a Return Interview after their last missing episode (Y/N)?",
         *_ALLOCATED],
    ),
    "list_9": (
        "List 9",
        [*_CHILD, _DISABILITY, *_ALLOCATED, "Eligibility Category", "LA in Touch",
         "Type of Accommodation", "Suitability of Accommodation", "Activity Status"],
    ),
    "list_10": (
        "List 10",
        [_CHILD[0], "Family identifier", *_CHILD[1:], _DISABILITY, "Date the Child Entered Care",
         "Date of Decision that Child Should be Placed for Adoption", "Date of Placement Order",
         "Date of Matching Child and Prospective Adopters", "Date Placed for Adoption",
         "Date of Adoption Order",
         "Date of Decision that Child Should No Longer be Placed for Adoption",
         "Reason Why Child No Longer Placed for Adoption",
         "Date the child was placed for fostering in FFA or concurrent planning placement"],
    ),
    "list_11": (
        "List 11",
        ["Individual adopter identifier", "Family identifier", "Gender", "Ethnicity",
         "Disability", "Is the (prospective) adopter fostering for adoption?",
         "Date enquiry received", "Date Stage 1 started", "Date Stage 1 ended",
         "Date Stage 2 started", "Date Stage 2 ended", "Date application submitted",
         "Date application approved", "Date adopter matched with child(ren)",
         "Date child/children placed with adopter(s)", "No. of children placed",
         "Date of Adoption Order", "Date of leaving adoption process",
         "Reason for leaving adoption process"],
    ),
}


def date_columns(key: str) -> list[str]:
    """The columns of one list that hold dates (their headings start or contain 'Date')."""
    return [c for c in LISTS[key][1] if "date" in c.lower()]
