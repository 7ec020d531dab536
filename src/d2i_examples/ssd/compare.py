"""Compare the returns rebuilt from the SSD with the returns as submitted, child by child.

Each part of a return (the CIN census's children, episodes, assessments...; each Annex A
list) is compared as rows of the columns both sides hold: a row is the same when every
one of those values is (dates as days, blanks as blanks). :data:`CIN_CENSUS` and
:data:`ANNEX_A` say which columns are compared, named on each side.

One known difference of definition is its own part, ``section 47 target dates``: the SSD
records an initial conference's target date on the conference
(``ssd_initial_cp_conference``), so an enquiry that never reached a conference has none,
while the CIN census gives every enquiry its target date. Another shows only for a period
that ended before the extract: the SSD keeps each care leaver's latest contact
(``ssd_care_leavers``, one row each), so List 9 for an earlier period misses the care
leavers contacted again since.
A third is List 8's placements: the SSD holds a row of
``ssd_cla_placement`` for every placement the system records, so a move with the same
carer (reason for new episode T or U), a temporary placement (T0-T4) and the return from
it each start one, while the Annex A the simulation writes counts placements as the DfE's
stability measures do (``indicators.placements``), without them. List 8's number of
placements and placement start date differ for the children who had such a change
(:func:`placement_definition_children` names them).
"""

from __future__ import annotations

from collections import Counter

import pandas as pd

#: part -> (module in the rebuilt census or None, its columns, census table, its columns)
CIN_CENSUS = {
    "children": (None, ["child_id", "upn", "upn_unknown", "birth_date", "sex", "ethnicity"],
                 "children", ["LAchildID", "UPN", "UPNunknown", "PersonBirthDate", "Sex",
                              "Ethnicity"]),
    "CIN episodes": (None, ["child_id", "referral_date", "referral_source", "primary_need_code",
                            "closure_date", "reason_for_closure", "nfa"],
                     "CINdetails", ["LAchildID", "CINreferralDate", "ReferralSource",
                                    "PrimaryNeedCode", "CINclosureDate", "ReasonForClosure",
                                    "ReferralNFA"]),
    "assessments": ("assessment", ["child_id", "start_date", "end_date"], "Assessments",
                    ["LAchildID", "AssessmentActualStartDate", "AssessmentAuthorisationDate"]),
    "CIN plans": ("cin_plan", ["child_id", "start_date", "end_date"], "CINplanDates",
                  ["LAchildID", "CINPlanStartDate", "CINPlanEndDate"]),
    "section 47 enquiries": ("s47", ["child_id", "start_date", "icpc_date", "not_required"],
                             "Section47", ["LAchildID", "S47ActualStartDate", "DateOfInitialCPC",
                                           "ICPCnotRequired"]),
    "section 47 target dates": ("s47", ["child_id", "start_date", "icpc_target_date"],
                                "Section47", ["LAchildID", "S47ActualStartDate",
                                              "InitialCPCtarget"]),
    "CP plans": ("cp_plan", ["child_id", "start_date", "end_date", "initial_category",
                             "latest_category"], "ChildProtectionPlans",
                 ["LAchildID", "CPPstartDate", "CPPendDate", "InitialCategoryOfAbuse",
                  "LatestCategoryOfAbuse"]),
}

#: Annex A list -> (columns of the SSD query, the list's columns)
ANNEX_A = {
    "list_1": (["child_id", "contact_date", "contact_source"],
               ["Child Unique ID", "Date of Contact", "Contact Source"]),
    "list_2": (["child_id", "assessment_start_date", "assessment_completion_date",
                "organisation"],
               ["Child Unique ID", "Assessment start date", "Assessment completion date",
                "Organisation completing assessment"]),
    "list_3": (["child_id", "referral_date", "referral_source", "referral_nfa",
                "referrals_in_12_months"],
               ["Child Unique ID", "Date of referral", "Referral Source", "Referral NFA?",
                "Number of Referrals in Last 12 Months"]),
    "list_4": (["child_id", "disability", "assessment_start_date", "child_seen",
                "assessment_authorised_date", "requires_support"],
               ["Child Unique ID", "Does the Child have a Disability",
                "Continuous Assessment Start Date", "Child Seen During Continuous Assessment",
                "Continuous Assessment Date of Authorisation",
                "Was the child assessed as requiring LA children's social care support?"]),
    "list_5": (["child_id", "disability", "s47_start_date", "icpc_not_required", "icpc_date",
                "icpc_cp_plan"],
               ["Child Unique ID", "Does the Child have a Disability",
                "Strategy discussion initiating Section 47 Enquiry Start Date",
                "Was an Initial Child Protection Conference deemed unnecessary?",
                "Date of Initial Child Protection Conference",
                "Did the Initial Child Protection Conference Result in a Child Protection Plan"]),
    "list_6": (["child_id", "cin_start_date", "primary_need_code", "cin_closure_date",
                "reason_for_closure"],
               ["Child Unique ID", "CIN Start Date", "Primary Need Code", "CIN Closure Date",
                "Reason for Closure"]),
    "list_7": (["child_id", "cp_plan_start_date", "initial_category", "latest_category",
                "cp_plan_end_date", "latest_review_date"],
               ["Child Unique ID", "Child Protection Plan Start Date", "Initial Category of Abuse",
                "Latest Category of Abuse", "Child Protection Plan End Date",
                "Date of latest review conference"]),
    "list_8": (["child_id", "started_date", "category_of_need", "subsequent_period",
                "legal_status_start_date", "legal_status", "ceased_date", "reason_ceased",
                "placement_start_date", "placement_type", "placement_provider",
                "placement_postcode", "placement_urn", "latest_review_date",
                "placements_in_12_months"],
               ["Child Unique ID", "Date Started to be Looked After", "Child's Category of Need",
                ("Is this a second or subsequent period of being a Looked After Child within "
                "the last 12 months (Y/N)"), "Start date of current legal status",
                "Child's Legal Status", "Date Ceased to be Looked After",
                "Reason Ceased to be Looked After", "Start Date of Most Recent Placement",
                "Placement Type", "Placement Provider", "Placement postcode", "URN of Placement",
                "Date of Latest Statutory Review", "Number of Placements in the Last 12 months"]),
    "list_9": (["child_id", "eligibility", "in_touch", "accommodation", "suitability",
                "activity"],
               ["Child Unique ID", "Eligibility Category", "LA in Touch",
                "Type of Accommodation", "Suitability of Accommodation", "Activity Status"]),
    "list_10": (["child_id", "entered_care_date", "decision_date", "placement_order_date",
                 "matched_date", "placed_date", "adoption_order_date", "no_longer_placed_date",
                 "no_longer_placed_reason", "ffa_placed_date"],
                ["Child Unique ID", "Date the Child Entered Care",
                 "Date of Decision that Child Should be Placed for Adoption",
                 "Date of Placement Order", "Date of Matching Child and Prospective Adopters",
                 "Date Placed for Adoption", "Date of Adoption Order",
                 "Date of Decision that Child Should No Longer be Placed for Adoption",
                 "Reason Why Child No Longer Placed for Adoption",
                 ("Date the child was placed for fostering in FFA or concurrent planning "
                 "placement")]),
}
_FLAG = {"Y": "1", "N": "0"}


def rows(df: pd.DataFrame, columns: list[str]) -> Counter:
    """The frame's rows on ``columns``, counted: dates as YYYY-MM-DD, blanks as ''."""
    out = df[columns].copy()
    for col in columns:
        if pd.api.types.is_datetime64_any_dtype(out[col]):
            out[col] = out[col].dt.strftime("%Y-%m-%d")
    return Counter(tuple("" if pd.isna(v) else str(v) for v in r)
                   for r in out.itertuples(index=False))


def _row(ret: str, part: str, ssd: Counter, submitted: Counter) -> dict:
    both = sum((ssd & submitted).values())
    return {"return": ret, "part": part, "from the SSD": sum(ssd.values()),
            "in the return": sum(submitted.values()), "the same": both,
            "only from the SSD": sum(ssd.values()) - both,
            "only in the return": sum(submitted.values()) - both}


def census_agreement(built: dict[str, pd.DataFrame],
                     submitted: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per part of the CIN census: rows rebuilt from the SSD (``built``, from
    :func:`.returns.cin_census`), rows in the submitted census (``submitted``, as
    ``datasets.load("cin_census")`` reads it), and how many are the same."""
    tables = dict(submitted, children=submitted["ChildIdentifiers"].merge(
        submitted["ChildCharacteristics"], on="LAchildID"))
    modules = built["modules"].assign(not_required=built["modules"]["icpc_not_required"].map(_FLAG))
    episodes = built["episodes"].assign(nfa=built["episodes"]["referral_nfa"].map(_FLAG))
    out = []
    for part, (module, ours, table, theirs) in CIN_CENSUS.items():
        if module is None:
            ssd = built["children"] if part == "children" else episodes
        else:
            ssd = modules[modules["module"] == module]
        out.append(_row("CIN census", part, rows(ssd, ours), rows(tables[table], theirs)))
    return pd.DataFrame(out)


def annex_a_agreement(built: dict[str, pd.DataFrame],
                      submitted: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per Annex A list: rows rebuilt from the SSD (:func:`.returns.annex_a`), rows
    in the submitted workbook (``datasets.load("annex_a")``), how many are the same."""
    return pd.DataFrame([
        _row("Annex A", key.replace("_", " ").capitalize(), rows(built[key], ours),
             rows(submitted[key], theirs))
        for key, (ours, theirs) in ANNEX_A.items()])


def target_dates(built: dict[str, pd.DataFrame], submitted: dict[str, pd.DataFrame]) -> dict:
    """Section 47 enquiries that reached no conference: how many, and how many of them have
    an initial conference target date in the SSD and in the census."""
    mod = built["modules"]
    s47 = mod[(mod["module"] == "s47") & mod["icpc_date"].isna()]
    census = submitted["Section47"]
    census = census[census["DateOfInitialCPC"].isna()]
    return {"enquiries without a conference": len(census),
            "with a target date in the SSD": int(s47["icpc_target_date"].notna().sum()),
            "with a target date in the census": int(census["InitialCPCtarget"].notna().sum())}


def submitted_returns(returns_dir, collection_year: int, own_ssd: bool) -> dict | None:
    """The CIN census and Annex A to compare with: those in the reader's ``returns_dir``
    (folders as ``datasets.load`` reads them), or the synthetic sample's; None when the
    SSD is the reader's own and no folder was given (the sample's children are not theirs)."""
    from d2i_examples.datasets import load

    if own_ssd and returns_dir is None:
        return None
    return {"cin_census": load("cin_census", returns_dir, year=collection_year),
            "annex_a": load("annex_a", returns_dir)}


def agreement(census: dict, lists: dict, submitted: dict) -> pd.DataFrame:
    """:func:`census_agreement` and :func:`annex_a_agreement` in one table."""
    return pd.concat([census_agreement(census, submitted["cin_census"]),
                      annex_a_agreement(lists, submitted["annex_a"])], ignore_index=True)


def placement_definition_children(con, period_end) -> set[str]:
    """Children whose List 8 row the SSD and the DfE's count of placements may give
    differently: those with a same-carer change (RNE T or U) or a temporary placement
    (T0-T4) by ``period_end``, in the SSD ``con``."""
    from d2i_examples.spec.ssda903 import TEMPORARY_PLACEMENTS

    codes = ", ".join(f"'{c}'" for c in sorted(TEMPORARY_PLACEMENTS))
    day = pd.Timestamp(period_end).date().isoformat()
    found = con.execute(f"""
        SELECT clae_person_id FROM ssd_cla_episodes
        WHERE clae_cla_episode_start_reason IN ('T', 'U')
          AND CAST(clae_cla_episode_start_date AS DATE) <= CAST('{day}' AS DATE)
        UNION
        SELECT clap_person_id FROM ssd_cla_placement
        WHERE clap_cla_placement_type IN ({codes})
          AND CAST(clap_cla_placement_start_date AS DATE) <= CAST('{day}' AS DATE)""").fetchall()
    return {r[0] for r in found}
