"""Children in need and in care with an EHC plan: joining the SEN2 to the CIN census and
the SSDA903 on the Unique Pupil Number (UPN).

The returns share no child ID: the CIN census and the SSDA903 use the authority's social
care ID (LAchildID, CHILD), the SEN2 its education system's. The one identifier all three
carry is the UPN, so the join is on the UPN (stripped, upper case), and only on UPNs that
are well formed with a check letter that fits (``spec.upn``). What goes wrong, and what
``match_diagnostics`` counts:

- no UPN: children under school age (recorded ``UN1``...), children not in a state school,
  or a UPN never recorded in the social care system;
- an invalid UPN (a typing slip makes the check letter not fit): no match;
- the same UPN on two people (a duplicate record): the match is ambiguous;
- a valid UPN with no partner: a child the other return does not hold, or a UPN that
  differs between the education and social care systems (an old or temporary UPN).

Definitions:

- **children in need** (CIN): every child in the year's CIN census file; **children
  looked after** (CLA): one of the DfE's cohorts from the SSDA903 episodes
  (``indicators.looked_after``): by default every child with an episode in the year,
  or those looked after on 31 March, or continuously for 12 months at 31 March (the
  OC2 cohort the DfE's *Outcomes for children in need, including children looked
  after* compares). Not every child in the SSDA903 header: it also lists care leavers
  aged 17 to 21 with an OC3 row and no episode in the year (DfE, *Children looked after
  return: guide to submitting data*), who are not looked after;
- **with an EHC plan**: an active plan on the SEN2 census date (a plan started on or
  before it, not ceased); **pending request**: a request received on or before the census
  date whose outcome (a decision not to assess, or a final plan or decision not to issue)
  is not yet made.
"""

from __future__ import annotations

import pandas as pd

from d2i_examples.indicators import frames
from d2i_examples.indicators.looked_after import COHORTS, DURING_YEAR, looked_after
from d2i_examples.spec.upn import is_valid_upn

STATUS_ORDER = ("EHC plan", "request pending", "none")


def clean_upn(upn: pd.Series) -> pd.Series:
    """UPNs stripped and upper-cased; NaN where blank."""
    out = upn.astype(object).map(lambda v: v.strip().upper() if isinstance(v, str) else v)
    return out.where(out.map(lambda v: isinstance(v, str) and v != ""))


def ehcp_status(requests: pd.DataFrame, on: pd.Timestamp) -> pd.DataFrame:
    """Each SEN2 UPN's status on date ``on``: ``EHC plan``, ``request pending`` or
    ``none`` (known to SEN2 but neither: refused, or ceased). Columns upn, status,
    plan_within_20 (the plan's final version came within 20 weeks of its request; NaN for
    historical plans and those without a plan). ``requests`` is
    ``indicators.ehcp.requests_table``'s."""
    r = requests.assign(upn=clean_upn(requests["upn"])).dropna(subset=["upn"])
    active = r["plan_start"].le(on) & (r["cease_date"].isna() | r["cease_date"].gt(on))
    refused = r["request_outcome"].isin(["B", "W", "M"]) & r["request_decided"].le(on)
    finished = r["plan_start"].le(on) | (r["assessment_outcome"].isin(["B", "W", "M"])
                                         & r["assessment_decided"].le(on))
    pending = r["received"].le(on) & ~refused & ~finished
    weeks = (r["plan_start"] - r["received"]).dt.days / 7
    r = r.assign(status=pd.Categorical(
        ["EHC plan" if a else "request pending" if p else "none"
         for a, p in zip(active, pending)], categories=list(STATUS_ORDER), ordered=True),
        plan_within_20=(weeks <= 20).where(weeks.notna()))
    best = r.sort_values("status").drop_duplicates("upn")
    return best[["upn", "status", "plan_within_20"]].reset_index(drop=True)


def social_care_children(cin_census: dict, ssda903: dict, reference_date,
                         cohort: str = DURING_YEAR) -> pd.DataFrame:
    """The year's children in need and looked after, one row per child: child (social care
    ID), upn, cin (in the CIN census), cla (in the SSDA903 ``cohort`` of the year ending
    on ``reference_date``, 31 March; see ``indicators.looked_after``). A child in the
    SSDA903 header but not in the cohort, such as a care leaver with only an OC3 row, is
    left out unless the CIN census holds them."""
    cin = cin_census["ChildIdentifiers"][["LAchildID", "UPN"]].rename(
        columns={"LAchildID": "child", "UPN": "upn"}).assign(cin=True)
    header = frames.table(ssda903, "header", "SSDA903")
    frames.require_columns(header, ["CHILD", "UPN"], "SSDA903 header")
    cohort_ids = looked_after(frames.table(ssda903, "episodes", "SSDA903"),
                              reference_date, cohort)
    cla = header.loc[header["CHILD"].isin(cohort_ids), ["CHILD", "UPN"]].rename(
        columns={"CHILD": "child", "UPN": "upn"}).assign(cla=True)
    both = cin.merge(cla, on="child", how="outer", suffixes=("", "_903"))
    both["upn"] = clean_upn(both["upn"].fillna(both.pop("upn_903")))
    both["cin"] = both["cin"].eq(True)
    both["cla"] = both["cla"].eq(True)
    return both[["child", "upn", "cin", "cla"]]


def match_diagnostics(sen2_upns: pd.Series, children: pd.DataFrame) -> pd.DataFrame:
    """How well the SEN2 and the social care returns join on UPN, side by side: rows
    people / no UPN / invalid UPN / duplicate UPN / matched / not matched, columns
    ``SEN2`` and ``social care`` (counts)."""
    out = {}
    for side, upn in (("SEN2", clean_upn(sen2_upns)), ("social care", children["upn"])):
        other = set(children["upn"].dropna()) if side == "SEN2" else set(
            clean_upn(sen2_upns).dropna())
        has = upn.notna()
        valid = upn.map(is_valid_upn)
        out[side] = {
            "people": len(upn),
            "no UPN (blank or unknown code)": int((~has | (has & upn.str.startswith("UN")
                                                          .fillna(False))).sum()),
            "invalid UPN (check letter does not fit)":
                int((has & ~valid & ~upn.str.startswith("UN").fillna(False)).sum()),
            "duplicate UPN": int(upn[valid].duplicated().sum()),
            "matched": int(upn[valid].isin(other).sum()),
            "not matched (valid UPN)": int((valid & ~upn.isin(other)).sum()),
        }
    return pd.DataFrame(out)


def social_care_with_ehcp(children: pd.DataFrame, status: pd.DataFrame) -> pd.DataFrame:
    """``children`` with each one's SEN2 ``status`` (``none`` when their UPN is not in the
    SEN2, ``no usable UPN`` when it is blank or invalid) and plan_within_20."""
    out = children.copy()
    usable = out["upn"].map(is_valid_upn)
    out = out.merge(status, on="upn", how="left")
    out["status"] = out["status"].astype(object).fillna("none")
    out.loc[~usable.to_numpy(), "status"] = "no usable UPN"
    return out


def shares_by_group(linked: pd.DataFrame) -> pd.DataFrame:
    """For children looked after, other children in need, and all of them: children,
    with an EHC plan, with a request pending, no usable UPN, and the percentages with a
    plan (and with a plan or pending request) among those with a usable UPN."""
    groups = {
        "looked after": linked["cla"],
        "in need, not looked after": linked["cin"] & ~linked["cla"],
        "all children in need": linked["cin"] | linked["cla"],
    }
    rows = []
    for name, mask in groups.items():
        g = linked[mask]
        usable = (g["status"] != "no usable UPN").sum()
        plan = (g["status"] == "EHC plan").sum()
        pending = (g["status"] == "request pending").sum()
        rows.append({"group": name, "children": len(g), "usable_upn": int(usable),
                     "ehc_plan": int(plan), "request_pending": int(pending),
                     "pct_ehc_plan": 100 * plan / usable if usable else float("nan"),
                     "pct_plan_or_pending": 100 * (plan + pending) / usable if usable
                     else float("nan")})
    return pd.DataFrame(rows)


def all_children_plan_rate(requests: pd.DataFrame, population_0_17: int,
                           on: pd.Timestamp) -> float:
    """Percentage of the authority's children aged 0-17 with an active EHC plan on ``on``:
    people aged under 18 that day with a plan started on or before it and not ceased, over
    ``population_0_17``."""
    r = requests
    active = r["plan_start"].le(on) & (r["cease_date"].isna() | r["cease_date"].gt(on))
    age = (on - r["dob"]).dt.days / 365.25
    people = r.loc[active & age.lt(18), "person_id"].nunique()
    return 100 * people / population_0_17


def looked_after_by_cohort(cin_census: dict, ssda903: dict, status: pd.DataFrame,
                           reference_date) -> pd.DataFrame:
    """The "looked after" row of ``shares_by_group`` for each of the DfE's cohorts
    (``looked_after.COHORTS``), one row per cohort: children, usable_upn, ehc_plan,
    request_pending, pct_ehc_plan, pct_plan_or_pending. Compare like with like: the
    DfE's *Outcomes for children in need, including children looked after* counts the
    12-month (OC2) cohort."""
    rows = []
    for cohort in COHORTS:
        kids = social_care_children(cin_census, ssda903, reference_date, cohort)
        shares = shares_by_group(social_care_with_ehcp(kids, status)).set_index("group")
        rows.append(shares.loc["looked after"].rename(cohort))
    counts = ["children", "usable_upn", "ehc_plan", "request_pending"]
    out = pd.DataFrame(rows).rename_axis("looked after")
    return out.astype(dict.fromkeys(counts, "int64")).astype(
        {c: float for c in out.columns if c not in counts})


_TIMELY_ROWS = ["plans", "within_20", "pct_including_exceptions", "pct_excluding_exceptions",
                "median_weeks"]


def timeliness_known_or_not(new: pd.DataFrame, known: pd.Series, year: int
                            ) -> tuple[pd.DataFrame, str]:
    """New plans' timeliness (indicators.ehcp.timeliness) for children known to social care
    (``known`` True) and other children, side by side, with a sentence reading it. A group
    with no new plan gets 0 plans and blank percentages, and the sentence says so rather
    than comparing with nothing."""
    from d2i_examples.indicators.ehcp import timeliness

    columns = {}
    for name, rows in (("children known to social care", new[known]),
                       ("other children", new[~known])):
        table = timeliness(rows)
        columns[name] = (table.iloc[0] if len(table) else
                         pd.Series({"plans": 0}, dtype="float64").reindex(_TIMELY_ROWS))
    timely = pd.DataFrame(columns).loc[_TIMELY_ROWS]
    k, o = timely["children known to social care"], timely["other children"]
    if k["plans"] == 0:
        sentence = (f"No new plan in {year} was for a child known to social care (none of "
                    "the year's new plans has a UPN matching a child in the CIN census or "
                    "SSDA903), so there is nothing to compare; the match table above shows "
                    "how many UPNs matched.")
    elif o["plans"] == 0 or pd.isna(k["pct_excluding_exceptions"]) \
            or pd.isna(o["pct_excluding_exceptions"]):
        sentence = (f"{int(k['plans'])} new plans in {year} were for children known to social "
                    "care; too few plans without exceptions in one of the groups to compare "
                    "their timeliness.")
    else:
        sentence = (f"{int(k['plans'])} new plans in {year} were for children known to social "
                    f"care: {k['pct_excluding_exceptions']:.0f}% within 20 weeks (excluding "
                    f"exceptions), against {o['pct_excluding_exceptions']:.0f}% for other "
                    "children.")
    return timely, sentence
