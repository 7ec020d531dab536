"""What D2I's validators are known to get wrong: rules they report on data that meets the
DfE's specification, because of a defect in the validator itself.

The synthetic returns (``d2i_examples.synth``) are written to the specification, so these
are the only rules the validators may flag on them before any mistake is planted; the
checking pages set these rules aside and say why, and the issues workbook marks them as
known validator faults. Each entry is {rule code: why the validator flags it wrongly}, and
each has a test that shows the defect on a small dataset which plainly meets the
specification (``tests/test_synth_ssda903.py``, ``tests/test_synth_cin_census.py``): if a
release of the validator mends the rule, its test fails and the rule comes off the list.

No module of ``synth`` reads these lists (``tools`` and ``synth`` do not import each
other); the checking pages, the downloads and the tests do.
"""

from __future__ import annotations

# The one list of SSDA903 validator rules (csc-validator-be-903 0.1.17, rulesets 2025/26 and
# 2026/27)
# that correct data (such as the synthetic returns) cannot pass because of defects in the
# validator itself. Each has a test in tests/test_synth_ssda903.py that shows the defect on
# a small dataset which plainly meets the DfE specification. {rule code: reason}
EXCUSED_903_RULES: dict[str, str] = {
    "1001": "Needs every episode since the care leaver's 14th birthday but reads only this "
            "and last year's returns (its message says so): former relevant care leavers "
            "aged 19-21 who left care earlier are flagged.",
    "1002": "Same two-year limitation as 1001: a care leaver with no episode in this or last "
            "year's return is said to have never been looked after.",
    "624": "Fires when this year's MC_DOB is blank, yet for a care leaver not looked after "
           "this year rule 628 forbids MOTHER and rule 612 forbids MC_DOB without MOTHER: "
           "no coding of a care-leaver mother passes all three.",
    "575": "Rule 365 overwrites the shared Episodes table in place, giving open episodes a "
           "DEC of 31 March; 575 then flags a missing spell still open on 31 March for a "
           "child who is still looked after (575 passes when run alone).",
    "577": "Same in-place overwrite by rule 365 as 575: an open missing spell of a child "
           "still looked after is taken as open after care ended.",
    "632": "Compares the previous permanence date with the child's first episode in the "
           "file, not the start of the new period of care: a child who left care on an order "
           "and came back later in the same year is flagged.",
    "SW12STG2": "Cannot be met by any social worker table for a child with two periods of "
                "care in the year whose first ended after a placement move.",
    "SW11bSTG2": "Flags a social worker episode ending in the last five days of March even "
                 "when the next episode starts that same day.",
    "187": "Counts a child who ceased to be looked after on 31 March as looked after "
           "continuously at 31 March, so it flags the AD1 the DfE requires for a child "
           "adopted on 31 March (one day earlier passes).",
    "231": "Crashes (KeyError 'UASC_STATUS'): CSV ingress names the column 'UASC'.",
    "233": "Crashes (KeyError 'DATE_EPISODE_CEASED'): the Episodes column is 'DEC'.",
    # the 2026/27 ruleset's deprivation of liberty order (DoLO) rules
    "707": "2026/27: same in-place overwrite by rule 365 as 575 and 577: a DoLO still in "
           "force on 31 March for a child still looked after is taken as open after care "
           "ended (707 passes when run alone).",
    "706": "2026/27: crashes (KeyError 'DoLo_last') whenever a DoLO table is given: it reads "
           "last year's DoLO table without checking it was uploaded, and returns before "
           "2026/27 have none.",
    "709": "2026/27: crashes (KeyError 'PLACEMENT') whenever a DoLO table is given: the "
           "Episodes column is 'PLACE'.",
    "710": "2026/27: crashes (KeyError 'PLACEMENT'), as 709.",
}


# Rules of csc-validator-be-cin whose findings on the synthetic census (synth.cin_census)
# are the validator's bug, not the data's: {rule code: reason}.
# tests/test_synth_cin_census.py proves each bug.
EXCUSED_CIN_RULES: dict[str, str] = {
    "8569Q": "validator bug: meant to query 'no further action' referrals dated more than one "
    "working day before the census year, it sets the limit to 1 April minus "
    "england_working_days(1), a CustomBusinessDay(n=0) that rolls a non-working 1 April "
    "forward, so in 2023/24 and 2024/25 it queries no-further-action referrals made on the "
    "first days of the census year itself.",
}
