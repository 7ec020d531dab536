"""Follow one child across the returns.

The SSDA903 (CHILD), the CIN census (LAchildID) and Annex A (Child Unique ID)
identify a child by the council's own case-management ID, so the same ID links
a child's records across all three. These functions only select rows; they
never change them.
"""

from __future__ import annotations

import pandas as pd

ANNEX_A_ID = "Child Unique ID"


def table_sizes(returns: dict[str, dict[str, pd.DataFrame]]) -> pd.DataFrame:
    """One row per table of each return: columns return, table, rows."""
    return pd.DataFrame(
        [(name, table, len(frame)) for name, tables in returns.items()
         for table, frame in tables.items()],
        columns=["return", "table", "rows"],
    )


def ids_by_return(
    ssda903: dict[str, pd.DataFrame],
    cin_census: dict[str, pd.DataFrame],
    annex_a: dict[str, pd.DataFrame],
) -> pd.DataFrame:
    """One row per child ID with a True/False column per return saying whether it holds the child."""
    sets = {
        "ssda903": set(ssda903["header"]["CHILD"].dropna()),
        "cin_census": set(cin_census["ChildIdentifiers"]["LAchildID"].dropna()),
        "annex_a": set().union(
            *(set(df[ANNEX_A_ID].dropna()) for df in annex_a.values() if ANNEX_A_ID in df)
        ),
    }
    ids = sorted(set().union(*sets.values()))
    frame = pd.DataFrame({"child": ids})
    for name, members in sets.items():
        frame[name] = frame["child"].isin(members)
    return frame


CARE_LEAVER = "care leaver (OC3, no episode): to check"
LOOKED_AFTER = "looked after in the year: an episode in the year"
HEADER_ONLY = "neither: a header row only"


def in_903_not_in_cin(ssda903: dict[str, pd.DataFrame],
                      cin_census: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Children in the 903 header but not in the CIN census, each with why they are in the 903.

    A child with an episode in the year is looked after, hence a child in need,
    and should be in both. A care leaver (a young person whose 17th to 21st
    birthday falls in the year) is in the 903 through the OC3 table without an
    episode; their absence from the CIN census is not a sure sign of a fault, but
    something to check: the DfE counts leaving care support among the services
    children in need receive (*Characteristics of children in need*, methodology),
    and the CIN census guide asks for young people aged 18 or over still receiving
    post-care support from children's services. ``care_leavers_not_in_cin`` lists
    them. Columns: child, why.
    """
    where = ids_by_return(ssda903, cin_census, {})
    missing = where.loc[where["ssda903"] & ~where["cin_census"], "child"]
    episodes = set(ssda903.get("episodes", pd.DataFrame({"CHILD": []}))["CHILD"])
    oc3 = set(ssda903.get("oc3", pd.DataFrame({"CHILD": []}))["CHILD"])
    why = [LOOKED_AFTER if c in episodes else CARE_LEAVER if c in oc3 else HEADER_ONLY
           for c in missing]
    return pd.DataFrame({"child": missing.to_numpy(), "why": why})


def care_leavers_not_in_cin(ssda903: dict[str, pd.DataFrame],
                            cin_census: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The OC3 rows of care leavers the CIN census does not hold, to check one by one.

    A care leaver who had leaving care support as a child in need in the year
    should have a CIN episode (see ``in_903_not_in_cin``); one who had none is
    rightly absent. The OC3 row (in touch, activity, accommodation) says which
    young people the leaving care team was working with: ask that team, for each,
    whether the support was recorded as a child in need episode.
    """
    oc3 = ssda903.get("oc3", pd.DataFrame({"CHILD": []}))
    in_cin = set(cin_census["ChildIdentifiers"]["LAchildID"].dropna())
    return oc3[~oc3["CHILD"].isin(in_cin)].reset_index(drop=True)


def child_records(
    child: str,
    ssda903: dict[str, pd.DataFrame],
    cin_census: dict[str, pd.DataFrame],
    annex_a: dict[str, pd.DataFrame],
) -> dict[str, pd.DataFrame]:
    """Every non-empty table's rows for ``child``, keyed "ssda903 episodes", "annex_a list_8"..."""
    found = {}
    for prefix, tables, column in (
        ("ssda903", ssda903, "CHILD"),
        ("cin_census", cin_census, "LAchildID"),
        ("annex_a", annex_a, ANNEX_A_ID),
    ):
        for name, frame in tables.items():
            if column in frame:
                rows = frame[frame[column] == child]
                if len(rows):
                    found[f"{prefix} {name}"] = rows
    return found


# (record key, label, start column, end column) for the spans a timeline shows
_SPANS = [
    ("cin_census CINdetails", "CIN episode (referral to closure)", "CINreferralDate",
     "CINclosureDate"),
    ("cin_census Assessments", "Assessment", "AssessmentActualStartDate",
     "AssessmentAuthorisationDate"),
    ("cin_census Section47", "Section 47 enquiry", "S47ActualStartDate", "DateOfInitialCPC"),
    ("cin_census CINplanDates", "CIN plan", "CINPlanStartDate", "CINPlanEndDate"),
    ("cin_census ChildProtectionPlans", "Child protection plan", "CPPstartDate", "CPPendDate"),
    ("ssda903 episodes", "Looked after (903 episode)", "DECOM", "DEC"),
]


def child_timeline(records: dict[str, pd.DataFrame], until: pd.Timestamp) -> pd.DataFrame:
    """The spans in ``child_records`` output as rows: stage, start, end (open spans end at ``until``).

    Columns: stage, start, end, open (True where the record has no end date yet).
    """
    rows = []
    for key, stage, start, end in _SPANS:
        frame = records.get(key)
        if frame is None:
            continue
        for first, last in zip(frame[start], frame[end]):
            if pd.notna(first):
                rows.append({"stage": stage, "start": first,
                             "end": last if pd.notna(last) else until, "open": pd.isna(last)})
    return pd.DataFrame(rows, columns=["stage", "start", "end", "open"])


def child_in_every_return(
    ssda903: dict[str, pd.DataFrame],
    cin_census: dict[str, pd.DataFrame],
    annex_a: dict[str, pd.DataFrame],
) -> str:
    """A child in all three returns with the fullest story, to show as an example.

    Ranks children in every return by how many kinds of CIN census record they
    have (assessment, section 47, CIN plan, CP plan), then by their number of
    903 episodes, then by ID, so the same data always gives the same child.
    Raises ValueError when no child is in all three.
    """
    where = ids_by_return(ssda903, cin_census, annex_a)
    everywhere = where.loc[where[["ssda903", "cin_census", "annex_a"]].all(axis=1), "child"]
    if everywhere.empty:
        raise ValueError("No child appears in all three returns")
    kinds = sum(
        everywhere.isin(cin_census[table]["LAchildID"]).astype(int)
        for table in ("Assessments", "Section47", "CINplanDates", "ChildProtectionPlans")
        if table in cin_census
    )
    episodes = everywhere.map(ssda903["episodes"]["CHILD"].value_counts()).fillna(0)
    ranked = pd.DataFrame({"child": everywhere, "kinds": kinds, "episodes": episodes})
    ranked = ranked.sort_values(["kinds", "episodes", "child"], ascending=[False, False, True])
    return ranked["child"].iloc[0]
