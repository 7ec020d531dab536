"""DRIFT: how long children wait between a referral and the next stage.

Re-creates D2I's DRIFT analysis: days from referral to a child in need (CIN)
plan, to a child protection (CP) plan and to becoming looked after, by the
financial year the stage started, with summaries (median, quartiles) and a
distribution table for histograms and box plots.

Which referral a stage belongs to (the linking rule):
- a stage belongs to the child's *latest referral on or before the stage's
  start date*;
- CIN and CP plans from the CIN census must also sit in the same CINdetails
  block (the same CIN episode) as the referral, matched on CINdetailsID;
- becoming looked after comes from the SSDA903 episodes that start a period of
  care (RNE "S"), leaving out short breaks (legal status V3, V4: a disabled child's
  agreed series of short stays is not coming into care, and the DfE's figures of
  children starting to be looked after leave them out); SSDA903 CHILD is matched to
  CIN census LAchildID, and any referral of the child counts (a child in care stays
  a child in need).
A stage with no such referral is kept with linked False and no days, so data
problems (a plan before its referral) stay visible. By default only the first
stage of each kind per referral is kept (first_only=True): DRIFT measures the
wait to the first plan, not to later ones.

Stages are grouped by the financial year in which the stage started, not the
referral: grouping by referral year would leave recent referrals with only
their quick plans counted.

One census, one whole year. A CIN census holds the CIN episodes open at any
time in its own year (1 April to 31 March). A plan that started in an earlier
year is in it only if its episode was still open in the census year, and a
child who came into care earlier links only to a referral still open then: the
earlier years hold a biased remainder (long-running episodes, long waits), not
the year's children. census_year names the one year a census covers whole;
the notebook shows earlier years only on request, marked as biased. For a
trend, use one census per year.

The first plan a census can see. A census holds an episode's CIN and CP plans
that were open at some time in its year (DfE, *Children in need census: guide*:
plans open at any point from 1 April to 31 March); a plan of the same episode
that ended before 1 April is not in it. So for a referral made before the
census year, the "first" plan found may be a later plan, its earlier one
unseen. Given the census's collection_year, drift_table marks those stages
(first_unsure True) and drift_summary counts them, so a reader can set them
aside or check them in the case system; stages linked to a referral made in
the census year are sure.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import pairwise

import numpy as np
import pandas as pd

from d2i_examples.indicators import frames
from d2i_examples.indicators.looked_after import short_break
from d2i_examples.indicators.periods import financial_year
from d2i_examples.indicators.working_days import working_days_between

STAGES = ("CIN plan", "CP plan", "Looked after")
DRIFT_COLUMNS = ["child", "stage", "referral_date", "stage_start", "linked", "days",
                 "working_days", "year", "first_unsure"]
PLAN_STAGES = ("CIN plan", "CP plan")
# Distribution bands, in days: [0, 7) is "0-6 days" and so on; the last is open.
DEFAULT_BANDS = (0, 7, 14, 28, 56, 91, 183, 365)


def link_to_referral(events: pd.DataFrame, referrals: pd.DataFrame,
                     by: Sequence[str] = ("child",)) -> pd.DataFrame:
    """Add to each event (column "stage_start") the latest "referral_date" on or before it.

    Both frames hold the `by` columns; referrals holds "referral_date". Events
    without a referral on or before their start (or with no start) get
    referral_date NaT. The events keep their order and index.
    """
    by = list(by)
    refs = referrals[[*by, "referral_date"]].dropna()
    dated = events[[*by, "stage_start"]].assign(_row=np.arange(len(events))).dropna(
        subset=["stage_start"])
    # One integer key for the `by` columns, the same on both sides: merge_asof is
    # much faster on a single integer key than on several or on text.
    key_left, key_right = np.zeros(len(dated), "int64"), np.zeros(len(refs), "int64")
    for column in by:
        left, right = dated[column], refs[column]
        if left.dtype != right.dtype:
            left, right = left.astype(str), right.astype(str)
        codes, uniques = pd.factorize(pd.concat([left, right], ignore_index=True))
        key_left = key_left * (len(uniques) + 1) + codes[:len(left)]
        key_right = key_right * (len(uniques) + 1) + codes[len(left):]
    dated = dated[["_row", "stage_start"]].assign(_key=key_left)
    refs = refs[["referral_date"]].assign(_key=key_right)
    joined = pd.merge_asof(dated.sort_values("stage_start"), refs.sort_values("referral_date"),
                           left_on="stage_start", right_on="referral_date", by="_key",
                           direction="backward")
    found = np.full(len(events), np.datetime64("NaT"), dtype="datetime64[ns]")
    found[joined["_row"].to_numpy()] = joined["referral_date"].to_numpy(dtype="datetime64[ns]")
    return events.assign(referral_date=found)


def _cin_referrals(cin):
    details = frames.table(cin, "CINdetails", "CIN census")
    source = "CIN census CINdetails"
    frames.require_columns(details, ["LAchildID", "CINdetailsID"], source)
    return pd.DataFrame({"child": details["LAchildID"], "episode": details["CINdetailsID"],
                         "referral_date": frames.dates(details, "CINreferralDate", source)})


def _cin_stage(cin, key, column, stage):
    plans = frames.table(cin, key, "CIN census")
    source = f"CIN census {key}"
    frames.require_columns(plans, ["LAchildID", "CINdetailsID"], source)
    return pd.DataFrame({"child": plans["LAchildID"], "episode": plans["CINdetailsID"],
                         "stage": stage, "stage_start": frames.dates(plans, column, source)})


def drift_table(cin: Mapping[str, pd.DataFrame], episodes: pd.DataFrame | None = None,
                first_only: bool = True, collection_year: int | None = None) -> pd.DataFrame:
    """One row per stage started: days from its referral (see the module's linking rule).

    `cin` is the CIN census as cin_validator's convert_data names its tables
    (CINdetails, CINplanDates, ChildProtectionPlans), dates parsed; `episodes`
    (optional) is the SSDA903 episodes table, for "Looked after". Columns:
    child, stage, referral_date, stage_start, linked, days (calendar days),
    working_days, year (financial year of the stage start, "2024-25"), first_unsure.

    first_unsure is True for a linked CIN or CP plan whose referral was made before
    1 April of the census year (`collection_year` 2026: before 1 April 2025): the
    census does not hold plans that ended before that day, so an earlier plan of the
    same referral may be unseen and this one may not be the first (see the module
    notes). Without `collection_year` it is missing (not known).
    """
    referrals = _cin_referrals(cin)
    plans = pd.concat([
        _cin_stage(cin, "CINplanDates", "CINPlanStartDate", "CIN plan"),
        _cin_stage(cin, "ChildProtectionPlans", "CPPstartDate", "CP plan"),
    ], ignore_index=True)
    care = pd.DataFrame({"child": pd.Series(dtype=object), "stage": pd.Series(dtype=object),
                         "stage_start": pd.Series(dtype="datetime64[ns]")})
    if episodes is not None:
        source = "SSDA903 episodes"
        frames.require_columns(episodes, ["CHILD", "DECOM", "RNE", "LS"], source)
        rne = frames.codes(episodes, "RNE", source)
        starts = episodes.loc[rne.eq("S").fillna(False).astype(bool) & ~short_break(episodes)]
        care = pd.DataFrame({"child": starts["CHILD"], "stage": "Looked after",
                             "stage_start": frames.dates(starts, "DECOM", source)})
    # child IDs as integer codes while linking (text IDs are slow to match), restored after
    sizes = np.cumsum([len(referrals), len(plans)])
    codes, children = pd.factorize(pd.concat([referrals["child"], plans["child"],
                                              care["child"]], ignore_index=True))
    referrals["child"], plans["child"] = codes[:sizes[0]], codes[sizes[0]:sizes[1]]
    care["child"] = codes[sizes[1]:]
    table = pd.concat([
        link_to_referral(plans, referrals, by=("child", "episode")).drop(columns="episode"),
        link_to_referral(care, referrals[["child", "referral_date"]]),
    ], ignore_index=True).dropna(subset=["stage_start"])
    table["linked"] = table["referral_date"].notna()
    if first_only:
        table = table.sort_values(["child", "stage", "referral_date", "stage_start"])
        table = table[~table.duplicated(["child", "stage", "referral_date"]) | ~table["linked"]]
    table["child"] = np.append(np.asarray(children, dtype=object), None)[table["child"]]
    table["days"] = (table["stage_start"] - table["referral_date"]).dt.days.astype("Int64")
    table["working_days"] = working_days_between(table["referral_date"], table["stage_start"])
    table["year"] = financial_year(table["stage_start"])
    if collection_year is None:
        table["first_unsure"] = pd.Series(pd.NA, index=table.index, dtype="boolean")
    else:
        census_start = pd.Timestamp(int(collection_year) - 1, 4, 1)
        table["first_unsure"] = (table["stage"].isin(PLAN_STAGES) & table["linked"]
                                 & table["referral_date"].lt(census_start))
    table["stage"] = pd.Categorical(table["stage"], categories=STAGES, ordered=True)
    return table[DRIFT_COLUMNS].sort_values(["stage", "stage_start", "child"], ignore_index=True)


def census_year(collection_year: int) -> str:
    """The financial year a CIN census covers whole: 2026 -> "2025-26" (April 2025 to March 2026).

    Earlier years in the same census hold only episodes still open in this year
    (see the module notes), so their medians are biased.
    """
    return f"{collection_year - 1}-{collection_year % 100:02d}"


def drift_summary(drift: pd.DataFrame, by: Sequence[str] = ("stage", "year")) -> pd.DataFrame:
    """Per group: children (linked stages), unlinked, median, lower and upper quartile,
    mean, min and max of days from referral (quartiles by linear interpolation), and
    first_unsure: linked stages that may not be the referral's first plan (drift_table)."""
    by = list(by)
    frames.require_columns(drift, [*by, "days", "linked"], "the drift table")
    linked = drift[drift["linked"]].assign(days=lambda d: d["days"].astype("float64"))
    grouped = linked.groupby(by, observed=True, sort=True)["days"]
    summary = grouped.agg(children="size", median="median",
                          lower_quartile=lambda d: d.quantile(0.25),
                          upper_quartile=lambda d: d.quantile(0.75),
                          mean="mean", min="min", max="max")
    unlinked = (~drift["linked"]).groupby([drift[c] for c in by], observed=True).sum()
    summary = summary.join(unlinked.rename("unlinked"), how="outer").fillna(
        {"children": 0, "unlinked": 0})
    if by == ["stage", "year"]:  # every stage in every year, 0 where none started
        years = sorted(drift["year"].dropna().unique())
        full = pd.MultiIndex.from_product([list(STAGES), years], names=by)
        summary = summary.reindex(summary.index.append(full).unique()).fillna(
            {"children": 0, "unlinked": 0})
        summary = summary.sort_index(key=lambda i: i.map(STAGES.index) if i.name == "stage"
                                     else i)
    summary[["children", "unlinked"]] = summary[["children", "unlinked"]].astype("int64")
    if "first_unsure" in drift.columns:
        unsure = linked["first_unsure"].fillna(False).astype(bool)
        summary["first_unsure"] = unsure.groupby([linked[c] for c in by], observed=True).sum()
        summary["first_unsure"] = summary["first_unsure"].fillna(0).astype("int64")
    return summary.reset_index()


def first_plan_doubts(drift: pd.DataFrame, year: str) -> list[str]:
    """One sentence per plan stage of ``year`` (the census year): how many of its linked
    plans may not be the referral's first (first_unsure, see drift_table), and the
    median days with and without them; a stage with no plan in the year says so."""
    frames.require_columns(drift, ["stage", "year", "days", "linked", "first_unsure"],
                           "the drift table")
    now = drift[drift["linked"] & drift["year"].eq(year)]
    lines = []
    for stage in PLAN_STAGES:
        plans = now[now["stage"].eq(stage)]
        if plans.empty:
            lines.append(f"{stage}: none linked to a referral started in {year}, so "
                         "nothing to set aside.")
            continue
        unsure = plans["first_unsure"].fillna(False).astype(bool)
        days = plans["days"].astype(float)
        sure = (f"{days[~unsure].median():.0f} without" if (~unsure).any()
                else "none without")
        lines.append(f"{stage}: {int(unsure.sum())} of {len(plans)} plans started in the "
                     f"census year follow a referral made before it, so may not be the "
                     f"first; median {days.median():.0f} days with them, {sure}")
    return lines


def left_out(summary: pd.DataFrame, min_stages: int, year: str) -> str:
    """A sentence naming the stages of ``year`` left out of the charts (fewer than
    ``min_stages`` linked stages, none at all included), and why; "" when none is."""
    this_year = summary[summary["year"] == year].set_index("stage")["children"]
    thin = [f"{stage} ({int(this_year.get(stage, 0))})" for stage in STAGES
            if this_year.get(stage, 0) < min_stages]
    if not thin:
        return ""
    return (f"Left out of the charts for {year}: {', '.join(thin)}: fewer than "
            f"min_stages={min_stages} stages linked to a referral, too few for a median to "
            "mean much. A census with no CIN plan dates (or a part-year file) shows 0 here; "
            "lower min_stages to see small counts.")


def band_labels(bands: Sequence[int] = DEFAULT_BANDS) -> list[str]:
    """Labels of day bands: (0, 7, 14) -> ["0-6 days", "7-13 days", "14+ days"]."""
    return [f"{lo}-{hi - 1} days" for lo, hi in pairwise(bands)] + [f"{bands[-1]}+ days"]


def drift_distribution(drift: pd.DataFrame, bands: Sequence[int] = DEFAULT_BANDS,
                       by: Sequence[str] = ("stage", "year")) -> pd.DataFrame:
    """Children per band of days from referral, for histograms: columns by..., band, children,
    share (of the group). Bands are [bands[i], bands[i+1]) days; the last is open-ended."""
    by = list(by)
    frames.require_columns(drift, [*by, "days", "linked"], "the drift table")
    linked = drift[drift["linked"]]
    labels = band_labels(bands)
    band = pd.cut(linked["days"].astype("float64"), [*bands, np.inf], right=False, labels=labels)
    wide = (linked.assign(band=band.astype("string"))
            .groupby([*by, "band"], observed=True).size()
            .unstack("band", fill_value=0).reindex(columns=labels, fill_value=0))
    table = wide.stack().rename("children").reset_index()
    table["band"] = pd.Categorical(table["band"], categories=labels, ordered=True)
    totals = table.groupby(by, observed=True)["children"].transform("sum")
    return table.assign(share=table["children"] / totals)


def link_counts(drift: pd.DataFrame, cin: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """How the linking rule fared, per stage: stages, linked, unlinked, and choices.

    `drift` is drift_table's output for the census `cin`. "choices" counts
    linked stages whose child had more than one referral (in any CIN episode)
    on or before the stage started: for those the rule picked one referral
    among several, so the days depend on the rule.
    """
    frames.require_columns(drift, ["child", "stage", "stage_start", "linked"], "the drift table")
    referrals = _cin_referrals(cin).dropna(subset=["child", "referral_date"])
    rows = drift[["child", "stage", "stage_start", "linked"]].assign(_row=np.arange(len(drift)))
    pairs = rows.assign(child=rows["child"].astype(str)).merge(
        referrals.assign(child=referrals["child"].astype(str))[["child", "referral_date"]],
        on="child")
    before = pairs[pairs["referral_date"].le(pairs["stage_start"])].groupby("_row").size()
    several = pd.Series(before.reindex(np.arange(len(drift)), fill_value=0).to_numpy() > 1,
                        index=drift.index) & drift["linked"]
    grouped = pd.DataFrame({"stage": drift["stage"], "linked": drift["linked"],
                            "choices": several}).groupby("stage", observed=False)
    table = grouped.agg(stages=("linked", "size"), linked=("linked", "sum"),
                        choices=("choices", "sum"))
    table["unlinked"] = table["stages"] - table["linked"]
    table = table[["stages", "linked", "unlinked", "choices"]].astype("int64")
    return table.reset_index()
