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
    keep_empty: bool = False,
) -> dict[str, pd.DataFrame]:
    """Every non-empty table's rows for ``child``, keyed "ssda903 episodes", "annex_a list_8"...
    With ``keep_empty``, the tables holding none of the child's rows too (with no rows),
    so a child missing from a return shows empty tables rather than stopping the notebook."""
    found = {}
    for prefix, tables, column in (
        ("ssda903", ssda903, "CHILD"),
        ("cin_census", cin_census, "LAchildID"),
        ("annex_a", annex_a, ANNEX_A_ID),
    ):
        for name, frame in tables.items():
            if column in frame:
                rows = frame[frame[column] == child]
                if len(rows) or keep_empty:
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
    Raises ValueError when no child is in all three (example_child picks one anyway).
    """
    where = ids_by_return(ssda903, cin_census, annex_a)
    everywhere = where.loc[where[list(_RETURNS)].all(axis=1), "child"]
    if everywhere.empty:
        raise ValueError("No child appears in all three returns")
    return _fullest(everywhere, ssda903, cin_census)


_RETURNS = {"ssda903": "SSDA903", "cin_census": "CIN census", "annex_a": "Annex A"}


def _fullest(children: pd.Series, ssda903: dict, cin_census: dict) -> str:
    kinds = sum(
        children.isin(cin_census[table]["LAchildID"]).astype(int)
        for table in ("Assessments", "Section47", "CINplanDates", "ChildProtectionPlans")
        if table in cin_census
    )
    episodes = children.map(ssda903["episodes"]["CHILD"].value_counts()).fillna(0)
    ranked = pd.DataFrame({"child": children, "kinds": kinds, "episodes": episodes})
    ranked = ranked.sort_values(["kinds", "episodes", "child"], ascending=[False, False, True])
    return ranked["child"].iloc[0]


def example_child(
    ssda903: dict[str, pd.DataFrame],
    cin_census: dict[str, pd.DataFrame],
    annex_a: dict[str, pd.DataFrame],
    child_id: str | None = None,
) -> tuple[str, str]:
    """The child to follow, and a sentence saying why that one (and what is left out).

    ``child_id`` given: that child, if any return holds it (else a DataError). None: a
    child in all three returns with the fullest story (child_in_every_return); when no
    child is in all three (a council whose systems give a child different IDs, or
    part-year extracts), the child in the most returns, ranked the same way, with a
    sentence saying so and how to choose another (the ``child_id`` parameter).
    """
    from d2i_examples.errors import DataError

    where = ids_by_return(ssda903, cin_census, annex_a)
    held = where.set_index("child")[list(_RETURNS)]
    if child_id is not None:
        key = child_id if child_id in held.index else str(child_id)
        if key not in held.index:
            raise DataError(
                f"The child_id you set ({child_id}) is in none of the three returns.",
                column="child_id", expected="an ID in the SSDA903 header (CHILD), the CIN "
                "census (LAchildID) or Annex A (Child Unique ID)", found=repr(child_id),
                fix="set child_id to one of your IDs, or to None to let the notebook pick.")
        return key, f"Following {key} (your child_id): in {_names(held.loc[key])}."
    if held.empty:
        raise DataError("No child is in any of the three returns.", expected="children in the "
                        "SSDA903 header, the CIN census or Annex A", found="no IDs",
                        fix="check the files hold rows (check lists each table's rows).")
    count = held.sum(axis=1)
    best = held.index[count == count.max()].to_series()
    child = _fullest(best.reset_index(drop=True), ssda903, cin_census)
    if count.max() == len(_RETURNS):
        return child, f"Following {child}: a child in all three returns."
    pairs = ", ".join(f"{_RETURNS[a]} and {_RETURNS[b]}: {int((held[a] & held[b]).sum())}"
                      for a, b in (("ssda903", "cin_census"), ("cin_census", "annex_a"),
                                   ("ssda903", "annex_a")))
    return child, (
        f"No child appears in all three returns (IDs shared by two returns: {pairs}). If your "
        "systems give the same child different IDs, the returns cannot be linked by ID, and "
        f"the sections below show one return at a time. Following {child}, in "
        f"{_names(held.loc[child])} only: the tables of the other returns are empty for "
        "this child. To follow a child of your choosing, set child_id (-p child_id=ID on "
        "the command line, or child_id under parameters in your settings file).")


def _names(row: pd.Series) -> str:
    return ", ".join(_RETURNS[r] for r, there in row.items() if there)


def dates_of_birth(records: dict[str, pd.DataFrame]) -> dict[str, pd.Timestamp]:
    """The child's date of birth as each return holding it records it (child_records output)."""
    columns = {"ssda903 header": ("SSDA903", "DOB"),
               "cin_census ChildIdentifiers": ("CIN census", "PersonBirthDate")}
    found = {label: records[key][column].iloc[0] for key, (label, column) in columns.items()
             if key in records and len(records[key]) and column in records[key]}
    found.update({key: frame["Date of Birth"].iloc[0] for key, frame in records.items()
                  if key.startswith("annex_a") and len(frame) and "Date of Birth" in frame})
    return found


def timeline_title(child: str, timeline: pd.DataFrame) -> str:
    """The timeline chart's title: how many records since when (or that there are none)."""
    if timeline.empty:
        return f"{child}: no CIN census or SSDA903 record with a date to draw"
    return f"{child}: {len(timeline)} records since {timeline['start'].min():%B %Y}"
