"""How to fix what the validators flag: one line of practice per rule, for analysts.

Keyed by the validators' rule codes (csc-validator-be-903 and csc-validator-be-cin,
2025/26 rulesets); the rule's own message says *what* is wrong, the text here
says where the value comes from and where to put it right. The general advice
holds for every rule: correct the record in the case management system and
export again, rather than editing the CSV or XML by hand, or next month's
extract brings the error back. Rules not listed have no note yet.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

_CONTINUING_EPISODE = (
    "The first episode this year is the episode that was open on 31 March last year, "
    "carried across 1 April, so its {what} must match last year's return. Find which "
    "year holds the right value. If something really changed during this year, record "
    "the change as a new episode starting on the day it happened (reason for new "
    "episode L, P, T, B or U), instead of editing the continuing episode."
)
_DOB_COPY = (
    "Each 903 table repeats the child's date of birth. This table's DOB differs from the "
    "header's: usually one extract reads an old value. Correct the date of birth on the "
    "child's record and export every table again from the same run."
)
_SAME_AS_LAST_YEAR = (
    "The {what} differs from last year's return for the same child. Check the record "
    "(and with the social worker): if it was corrected this year, keep the correct value "
    "and be ready to explain the change to the DfE; if this year's value is the mistake, "
    "fix it on the child's record."
)

SSDA903_FIXES: dict[str, str] = {
    "101": "SEX must be M, F or U from 2024/25; the old codes 1 and 2 now fail. If many "
    "children are flagged, the extract still maps sex to 1/2: ask your system "
    "team to update the 903 report. For one child, complete sex on the record.",
    "102": "The date of birth is blank or not a real date in dd/mm/yyyy. Complete it on "
    "the child's record. If many dates fail, the CSV was probably opened and re-saved "
    "in Excel, which changes date formats: export again and do not re-save.",
    "103": "Ethnicity must be one of the DfE's four-letter codes (WBRI, MWBC, AIND, ...). "
    "Record the child's ethnicity on the system; use REFU if the family refused to "
    "say and NOBT if it has not been obtained yet.",
    "141": "The episode start date (DECOM) is blank or not a date in dd/mm/yyyy. Correct "
    "the episode's start date on the child's placement record.",
    "142": "An earlier episode has no end date although a later one starts. Give the "
    "earlier episode its end date (usually the day the next one starts) and a reason "
    "(X1 when the child stays looked after).",
    "143": "The reason for new episode (RNE) is not one of S, L, P, T, B, U. Check how "
    "the change that started the episode was recorded and choose the right code.",
    "144": "The legal status (LS) is not a code the DfE accepts this year (C1, C2, D1, "
    "E1, V2, V3, V4, L1, L2, L3, J1, J2, J3). Check the legal status on the record and "
    "the extract's mapping of local legal statuses to DfE codes.",
    "145": "Category of need (CIN) must be N1 to N8. Complete the child's primary need "
    "recorded at the start of the period of care.",
    "146": "The placement type is not valid this year. In 2025/26 Z1 was split into "
    "Z11 to Z14 and H5 and P2 were withdrawn: recode the placement, and if many "
    "children are flagged, ask for the extract's code list to be updated for the year.",
    "148": "An episode has an end date but no reason it ended, or a reason but no end "
    "date. Add the missing reason (X1 if a new episode starts the same day) or remove "
    "an end date entered by mistake.",
    "149": "The reason episode ceased (REC) is not a valid code. Check how the episode's "
    "ending was recorded and map it to the DfE code.",
    "178": "Placement provider must be PR0 to PR5. Check the provider recorded on the "
    "placement and the extract's mapping of provider types.",
    "202": _SAME_AS_LAST_YEAR.format(what="sex"),
    "203": _SAME_AS_LAST_YEAR.format(what="date of birth")
    + " A date of birth corrected after an age assessment is a common, valid reason.",
    "204": _SAME_AS_LAST_YEAR.format(what="ethnicity"),
    "208": _SAME_AS_LAST_YEAR.format(what="UPN (unique pupil number)")
    + " The education team or the school census holds the right UPN.",
    "356": "The episode ends before it starts: usually a typing slip in one of the two "
    "dates. Check both against the child's placement history.",
    "357": "The child's first ever episode must have reason for new episode S (started "
    "to be looked after). Either an earlier episode is missing from the return, or the "
    "reason should be S.",
    "388": "The episode ends with reason X1 (a new episode starts the same day) but no "
    "episode starts that day. Add the missing episode, or correct the end reason.",
    "501": "Two episodes overlap: one starts before the previous one ends. Correct the "
    "dates so each episode ends on the day the next begins.",
    "502": "The start date of this year's first episode differs from the start date of "
    "the episode open at the end of last year; it is the same episode, so the dates "
    "must match. Check which date is right on the placement history.",
    "503A": _CONTINUING_EPISODE.format(what="reason for new episode"),
    "503B": _CONTINUING_EPISODE.format(what="legal status"),
    "503C": _CONTINUING_EPISODE.format(what="category of need"),
    "503D": _CONTINUING_EPISODE.format(what="placement type"),
    "503E": _CONTINUING_EPISODE.format(what="placement provider"),
    "503F": _CONTINUING_EPISODE.format(what="Ofsted URN"),
    "503G": _CONTINUING_EPISODE.format(what="placement distance (from the postcodes)"),
    "503H": _CONTINUING_EPISODE.format(what="placement local authority"),
    "503J": _CONTINUING_EPISODE.format(what="placement location"),
    "504": "Category of need must stay as recorded at the start of the period of care, "
    "even if the child's needs have changed since. Restore the original code on the "
    "later episodes.",
    "1015": "The provider is your own provision (PR1) but the placement postcode is in "
    "another authority. Check the placement postcode and the provider code; also check "
    "la_code is your council's ONS code, which the validator compares against.",
    "165": "Mother status must be 1 or 0 for girls and blank for boys. Complete the "
    "field on the young woman's record.",
    "167": "Every review needs a participation code PN0 to PN7. Ask the IRO service to "
    "complete how the child took part in the review.",
    "186": "A child looked after for 12 months or more, aged 4 to 16, needs an SDQ score "
    "(or a reason it is missing). Chase the SDQ with the child's carer or the health team.",
    "191": "Children looked after for 12 months need the OC2 health items (immunisations, "
    "dental check, health assessment, substance misuse). Ask the health team or the "
    "child's social worker to complete them.",
    "209": "UPN unknown code UN1 is for children not yet of school age; this child is of "
    "school age. Find the UPN from the school or the virtual school.",
    "210": "UN4 (UPN not yet obtained) is not accepted for a child looked after more than "
    "a week at 31 March. Ask the virtual school for the UPN.",
    "168": "The UPN is not a valid 13-character unique pupil number. Take it from the "
    "school or the virtual school rather than retyping it; if it is not known, use the "
    "right unknown code (UN1 to UN5).",
    "393": "Mother status must be recorded (1 or 0) for a young woman who is looked after. "
    "Complete it on her record.",
    "1009": "The reason for placement change is not one of the DfE's codes (CREQB and "
    "CREQO for carer requests, and so on): a local wording has slipped into the extract. "
    "Fix the record or the extract's mapping.",
    "225": "A move to a new placement needs the reason for the change. Ask the team to "
    "record why the child moved.",
    "526": "An episode has no placement provider. Complete the provider (PR0 to PR5) on "
    "the placement; only temporary placements go without one.",
    "385": "The episode ends after 31 March, which this year's return cannot hold: "
    "usually a typing slip in the year. An episode still open on 31 March has no end date.",
    "550": "Provider PR0 (parents or others with parental responsibility) goes only with "
    "placement P1 (placed with parents). Check which of the two is wrong.",
    "530": "A child placed with parents (P1) cannot have a private provider (PR4). Check "
    "the placement type and the provider recorded.",
    "166": "The review date is blank or not a real date (such as 31 June). Check it "
    "against the independent reviewing officer's record of the review.",
    "440": "Participation code PN0 means the child was under 4 at the review, but this "
    "child was older. Ask the IRO service which code (PN1 to PN7) applies.",
    "1006": "Missing type must be M (missing) or A (away from placement without "
    "authorisation); words such as 'MISSING' come from the extract's mapping.",
    "567": "The missing episode ends before it starts: the dates were probably entered "
    "the wrong way round. Check them on the missing record.",
    "180": "The SDQ (strengths and difficulties questionnaire) total runs from 0 to 40. "
    "Check the score against the questionnaire; if there is none, give the reason.",
    "157": "SDQ1 (no score because of the child's age) cannot be the reason for a child "
    "aged 4 to 16. Record the score or the real reason.",
    "192": "For a child with a substance misuse problem, record whether an intervention "
    "was received (1 or 0). Ask the health team or the social worker.",
    "542": "Conviction is recorded only for children aged 10 or over: leave it blank for "
    "younger children (a 0 is not blank).",
    "546": "The health surveillance (development) check is recorded only for children "
    "under 5: leave it blank for older children.",
    "131": "In touch must be YES, NO, DIED, REFU, NREQ or RHOM; values such as 'Y' come "
    "from the extract's mapping.",
    "133": "The care leaver's accommodation code needs its suitability digit (B1 "
    "suitable, B2 not suitable, and so on). Ask the personal adviser which applies.",
    "345": "The council is in touch with this care leaver, so activity and accommodation "
    "must be recorded, not left as 0. Ask the personal adviser.",
    "631": "Previous permanence must be P1 to P4, or Z1 when not known. Check the value "
    "and the extract's mapping.",
    "633": "The authority where the previous permanence order was made must be a valid "
    "local authority code (or WAL, SCO, NIR, NUK outside England).",
    "INT21": "The UASC table repeats the child's sex, and it differs from the header's. "
    "Correct the record and export every table from the same run.",
    "SW02STG1": "Social worker IDs must start with SW (the worker's Social Work England "
    "registration number) or XX. Check the ID recorded for the worker.",
    "SW13STG1": "The reason for the change of social worker is not a DfE code. Check the "
    "value and the extract's mapping.",
    "INT11": _DOB_COPY,
    "INT12": _DOB_COPY,
    "INT13": _DOB_COPY,
    "INT14": _DOB_COPY,
    "INT15": _DOB_COPY,
    "INT16": _DOB_COPY,
    "INT17": _DOB_COPY,
    "INT18": _DOB_COPY,
}

_UPN = (
    "The UPN (unique pupil number) is malformed. Take it from the school census or the "
    "education team rather than typing it; if the child has no UPN, leave it blank and "
    "give a reason code (UPNunknown)."
)

CIN_FIXES: dict[str, str] = {
    "4180": "Sex must be M, F or U (U where it is not known, and always for an unborn "
    "child). Complete sex on the child's record; if many children fail, the extract "
    "still maps sex to the old 1/2 codes.",
    "4220": "Ethnicity must be one of the DfE's four-letter codes. Record it on the "
    "child's record (REFU if refused, NOBT if not yet obtained).",
    "8540": "Every child needs a disability code, NONE when the child has no disability. "
    "Complete the field on the record.",
    "8500": "The record has no LA child ID. This is an extract fault: ask the system "
    "team why the identifier was not exported.",
    "8525Q": "Give either a date of birth or, for an unborn child, an expected date of "
    "birth, never both. Once a baby is born, replace the expected date with the real one.",
    "8600": "The referral date is missing or after 31 March. Check the referral date on "
    "the episode.",
    "8610": "A referral that led to further action needs a primary need code (N0 to N9). "
    "Ask the team holding the case to record the child's main need at assessment.",
    "8650": "The primary need code is not in the DfE list (N0 to N9). Check the value and "
    "the extract's mapping.",
    "8866": "Source of referral is missing or not a DfE code (1A to 10). Check how the "
    "referral's source was recorded at the front door and map it to the DfE code.",
    "8630": "The episode closes before it starts. Usually a typing slip in the closure or "
    "referral date: check both against the case record.",
    "8805": "A closed episode needs a reason for closure (RC1 to RC9). Complete it on "
    "the closure step of the case.",
    "8810": "A reason for closure is recorded but no closure date. Either the case is "
    "still open (remove the reason) or the closure date is missing.",
    "8620": "The closure date is outside the census year. Check the date; an episode "
    "closed before 1 April should not be in this year's census.",
    "1103": "The assessment starts before the referral. Check both dates: an assessment "
    "linked to the wrong referral is a common cause.",
    "8608": "The assessment's start date is after its authorisation (end) date. Check "
    "the two dates on the assessment.",
    "8615": "The section 47 enquiry needs a start date on or before the initial child "
    "protection conference (ICPC). Check both dates.",
    "8720": "The child protection plan's start date is missing or outside the census "
    "year. Check the plan's start date.",
    "8925": "The child protection plan ends before it starts: usually a typing slip in "
    "the end date. Check the date the plan ended at the review conference.",
    "8930": "The child protection plan's end date is outside the census year. Check the "
    "date against the conference minutes.",
    "8905": "Initial category of abuse must be NEG, PHY, SAB, EMO or MUL. Complete it "
    "from the ICPC outcome.",
    "8910": "Latest category of abuse must be NEG, PHY, SAB, EMO or MUL. Complete it "
    "from the latest review conference.",
    "8730": "The number of previous child protection plans is missing. Count the "
    "child's earlier plans (0 if none) and record it.",
    "8875": "An initial child protection conference dated on a weekend is almost always "
    "a typing slip. Check the date against the conference minutes.",
    "8790": "Disability NONE is recorded alongside other disability codes. Remove NONE, "
    "or the other codes, whichever is wrong.",
    "8794": "The same disability code is recorded twice for the child: remove the "
    "duplicate.",
    "8640": "Reason for closure must be RC1 to RC9. Check the value and the extract's "
    "mapping.",
    "8897Q": "A query: a completed assessment should list the factors identified (code 21 "
    "when there were none). Ask the worker to complete them.",
    "4011": "The CIN plan ends before it starts. Check both dates on the plan: usually a "
    "typing slip.",
    "8568": "The referral 'no further action' flag (ReferralNFA) must be 0 or 1 (false or "
    "true). Check the value and the extract's mapping.",
    "8841": "A child protection review cannot be on or before the day the plan started. "
    "Check the review date against the conference minutes.",
    "8670Q": "A query, not an error: the assessment started more than 45 working days "
    "before 31 March and has no end date. Either it was completed (record the "
    "authorisation date) or it is still open: then explain why it is taking so long.",
    "2991Q": "A query: a section 47 enquiry with no assessment on the same episode. "
    "Check whether the assessment was recorded against another episode, or explain.",
    "8770Q": "A query: a school-age child has no UPN and no valid reason. Ask the "
    "education team for the UPN.",
    "1510": _UPN,
    "1520": "Two children share a UPN: one of them has the wrong number, or the child "
    "has two records. Check with the education team and merge duplicate records.",
    "1530": _UPN,
    "1540": _UPN,
    "1550": _UPN,
}


def fix_notes(rules: pd.Series | list[str], fixes: Mapping[str, str]) -> pd.DataFrame:
    """The notes in ``fixes`` for the ``rules`` that have one, in the given order.

    Returns ``rule`` and ``how_to_fix``, one row per distinct rule with a note.
    """
    seen = list(dict.fromkeys(str(r) for r in rules))
    rows = [{"rule": r, "how_to_fix": fixes[r]} for r in seen if r in fixes]
    return pd.DataFrame(rows, columns=["rule", "how_to_fix"])
