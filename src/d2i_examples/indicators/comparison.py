"""The council beside England, its region and its neighbours, from the DfE's published tables.

``PUBLISHED`` says where each measure of indicators.benchmarks sits in the DfE's data sets
(datasets.published.DATA_SETS): the data set, the filter row, and the indicator columns
of its numerator, denominator and value. ``published_values`` turns the tables read
with datasets.published into one long table; ``compare`` sets the council's own
measures beside England, its region and the neighbours named by LA code, with the
council's rank among its neighbours; ``league`` orders the measures by how far the
council sits from its neighbours.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from d2i_examples.datasets.published import (
    DATA_SETS,
    LOCAL_AUTHORITY,
    NATIONAL,
    REGIONAL,
    place_code,
    place_name,
)
from d2i_examples.errors import DataError
from d2i_examples.indicators import benchmarks as bm
from d2i_examples.indicators.disproportionality import byar_interval, wilson_interval

SMALL = 10  # a count below this gets a note: a change of one or two moves the value a lot
COUNCIL, ENGLAND, REGION, NEIGHBOUR = "Your council", "England", "Region", "Neighbour"
ROLES = (COUNCIL, ENGLAND, REGION, NEIGHBOUR)


@dataclass(frozen=True)
class PublishedMeasure:
    """Where a measure is in a DfE data set. ``numerator`` columns are added up; the
    value is ``value`` when given, else numerator / denominator scaled to the unit.
    ``denominator`` is None where the data set holds it on another row (a long layout
    with a "Total children" row): the published value is then read as given."""

    data_set: str
    numerator: tuple[str, ...]
    denominator: str | None
    value: str | None = None
    filters: dict[str, str] = field(default_factory=dict)


_WITHIN_45 = ("Same_day", "1-10_days", "11-20_days", "21-30_days", "31-40_days",
              "41-45_days")
PUBLISHED: dict[str, PublishedMeasure] = {
    bm.CLA_RATE: PublishedMeasure(
        "cla_rates", ("children_count",), "population_estimate", "rate_per_10000",
        {"population_type": "Children looked after on 31 March each year"}),
    bm.CLA_STARTS: PublishedMeasure(
        "cla_rates", ("children_count",), "population_estimate", "rate_per_10000",
        {"population_type": "Children starting to be looked after each year"}),
    bm.CLA_CEASES: PublishedMeasure(
        "cla_rates", ("children_count",), "population_estimate", "rate_per_10000",
        {"population_type": "Children ceasing to be looked after each year"}),
    bm.LONG_TERM: PublishedMeasure(
        "cla_stability", ("children_count",), None, "children_percent",
        {"cla_group": "Children looked after continuously for at least 2.5 years on 31 March "
                      "aged under 16 years",
         "placement_stability": "Living with the same carer for at least 2 years"}),
    bm.REREFERRALS: PublishedMeasure(
        "cin_referrals", ("rereferral_count",), "referral_count", "rereferral_percent"),
    bm.ASSESSMENTS: PublishedMeasure("cin_assessments", _WITHIN_45, "Assessments_completed"),
    bm.CP_TWO_YEARS: PublishedMeasure(
        "cin_cpp_duration", ("2_years_or_more",), "CPP_End", "2_years_or_more_percent",
        {"category": "Child Protection Plans ending by length of time"}),
    bm.EHC_EXCLUDING: PublishedMeasure(
        "ehc_timeliness", ("plans_issued_20_weeks_ex",), "plans_issued_den_ex",
        "pc_plans_issued_20_weeks_ex",
        {"breakdown_topic": "All EHC plans", "breakdown": "All EHC plans"}),
    bm.EHC_INCLUDING: PublishedMeasure(
        "ehc_timeliness", ("plans_issued_within_20_weeks",), "plans_issued_den",
        "pc_plans_issued_within_20_weeks",
        {"breakdown_topic": "All EHC plans", "breakdown": "All EHC plans"}),
}
_UNITS = {m: (bm.RATE if m in (bm.CLA_RATE, bm.CLA_STARTS, bm.CLA_CEASES) else bm.PERCENT)
          for m in PUBLISHED}
LONG_COLUMNS = ["measure", "time_period", "geographic_level", "code", "name",
                "region_code", "numerator", "denominator", "value", "reason"]


def _reason(table: pd.DataFrame, columns: Sequence[str]) -> pd.Series:
    out = pd.Series(pd.NA, index=table.index, dtype="string")
    for column in columns:
        if f"{column}_reason" in table.columns:
            out = out.fillna(table[f"{column}_reason"])
    return out


def _one_measure(measure: str, spec: PublishedMeasure, table: pd.DataFrame) -> pd.DataFrame:
    title = DATA_SETS[spec.data_set].title
    needed = [*spec.filters, *spec.numerator, *([spec.denominator] if spec.denominator else [])]
    missing = [c for c in needed if c not in table.columns]
    if missing:
        raise DataError("A published data set lacks a column this measure needs.",
                        file=table.attrs.get("file", title), column=", ".join(missing),
                        expected=f"the columns of '{title}'",
                        found=", ".join(map(str, table.columns[:15])),
                        fix=f"Download the data set again from {DATA_SETS[spec.data_set].url}.")
    keep = pd.Series(True, index=table.index)
    for column, wanted in spec.filters.items():
        keep &= table[column].astype("string").str.strip().eq(wanted).fillna(False)
    rows = table[keep]
    numerator = rows[list(spec.numerator)].sum(axis=1, min_count=len(spec.numerator))
    denominator = (rows[spec.denominator] if spec.denominator
                   else pd.Series(np.nan, index=rows.index, dtype="float64"))
    scale = 10_000 if _UNITS[measure] == bm.RATE else 100
    computed = scale * numerator / denominator.replace(0, np.nan)
    value = rows[spec.value] if spec.value else computed
    region = rows["region_code"] if "region_code" in rows.columns else pd.NA
    return pd.DataFrame({
        "measure": measure, "time_period": rows["time_period"],
        "geographic_level": rows["geographic_level"], "code": place_code(rows),
        "name": place_name(rows), "region_code": region, "numerator": numerator,
        "denominator": denominator, "value": value.astype("float64"),
        "reason": _reason(rows, [*spec.numerator, spec.denominator or "", spec.value or ""]),
    })


def published_values(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Every measure the published ``tables`` ({data set key: read_published frame})
    hold, one row per measure, year and place (columns LONG_COLUMNS). A suppressed or
    unavailable figure keeps its row, with no value and the reason."""
    parts = [_one_measure(m, spec, tables[spec.data_set])
             for m, spec in PUBLISHED.items() if spec.data_set in tables]
    if not parts:
        return pd.DataFrame(columns=LONG_COLUMNS)
    return pd.concat(parts, ignore_index=True)[LONG_COLUMNS]


def neighbours_not_found(published: pd.DataFrame, neighbours: Sequence[str]) -> list[str]:
    """The neighbour codes with no Local authority row in the published tables (a typo,
    an old code from before a reorganisation, or a table of another region)."""
    las = published.loc[published["geographic_level"].eq(LOCAL_AUTHORITY).fillna(False), "code"]
    return [code for code in neighbours if code not in set(las.dropna())]


def _latest(rows: pd.DataFrame) -> pd.DataFrame:
    return (rows.sort_values("time_period")
            .drop_duplicates(["measure", "code"], keep="last"))


def compare(council: pd.DataFrame, published: pd.DataFrame, neighbours: Sequence[str],
            region_code: str | None = None, council_code: str | None = None) -> pd.DataFrame:
    """The council's measures (indicators.benchmarks.measures) beside England, its region
    and each neighbour (LA codes, ``new_la_code``), for the measures both sides have.

    The region is ``region_code`` if given, else the region of the council's own row
    in the published tables (``council_code``). Each place shows its latest published
    year. Columns: measure, role (Your council, England, Region, Neighbour), code, name,
    period, numerator, denominator, value, reason (why a value is missing), unit, rank
    (the council's among itself and the neighbours with a value, 1 = highest) and of
    (how many were ranked)."""
    published = published[published["measure"].isin(council["measure"])]
    if region_code is None and council_code is not None:
        own = published[published["code"].eq(council_code).fillna(False)]
        if own["region_code"].notna().any():
            region_code = str(own["region_code"].dropna().iloc[0])
    level = published["geographic_level"]
    picks = {
        ENGLAND: level.eq(NATIONAL),
        REGION: level.eq(REGIONAL) & published["code"].eq(region_code or ""),
        NEIGHBOUR: level.eq(LOCAL_AUTHORITY) & published["code"].isin(list(neighbours)),
    }
    parts = [council.assign(role=COUNCIL, code=council_code or "", name=COUNCIL,
                            reason=pd.NA)]
    for role, pick in picks.items():
        rows = _latest(published[pick.fillna(False)])
        parts.append(rows.assign(role=role).rename(columns={"time_period": "period"}))
    out = pd.concat(parts, ignore_index=True)
    out = out[out["measure"].isin(PUBLISHED)]
    out["unit"] = out["measure"].map(_UNITS)
    ranked = out[out["role"].isin([COUNCIL, NEIGHBOUR]) & out["value"].notna()]
    rank = ranked.groupby("measure")["value"].rank(ascending=False, method="min")
    out["rank"] = np.nan
    out.loc[ranked.index, "rank"] = rank
    out["of"] = out["measure"].map(ranked.groupby("measure").size())
    out.loc[out["role"].ne(COUNCIL), ["rank", "of"]] = np.nan
    order = {m: i for i, m in enumerate(PUBLISHED)}
    out = out.sort_values(["measure", "role"], key=lambda s: s.map(
        order if s.name == "measure" else {r: i for i, r in enumerate(ROLES)}))
    return out[["measure", "role", "code", "name", "period", "numerator", "denominator",
                "value", "reason", "unit", "rank", "of"]].reset_index(drop=True)


def interval(numerator, denominator, unit: str, confidence: float = 0.95
             ) -> tuple[float, float]:
    """A 95% interval for the council's value: Wilson's for a percentage, Byar's for a
    count per 10,000 (the intervals of indicators.disproportionality)."""
    if not denominator or pd.isna(numerator):
        return np.nan, np.nan
    if unit == bm.PERCENT:
        low, high = wilson_interval(numerator, denominator, confidence)
        return 100 * float(low), 100 * float(high)
    low, high = byar_interval(numerator, confidence)
    return 10_000 * float(low) / denominator, 10_000 * float(high) / denominator


def small_number_note(numerator, denominator, small: int = SMALL) -> str:
    """A caution when the count behind a value is under ``small``, else ''."""
    counts = [int(c) for c in (numerator, denominator) if pd.notna(c)]
    if counts and min(counts) < small:
        return (f"based on {min(counts)} (fewer than {small}): one child more or less "
                "moves this a lot")
    return ""


def league(compared: pd.DataFrame) -> pd.DataFrame:
    """One row per measure: the council's value, its 95% interval (low, high), a
    small-number note and its rank, England's, the region's, the neighbours' median and
    range, and ``distance``: how far the council sits from the neighbours' median, in
    neighbours' standard deviations (the measures where it is furthest from its
    neighbours first)."""
    rows = []
    for measure, group in compared.groupby("measure", sort=False):
        by_role = {role: group[group["role"].eq(role)]["value"] for role in ROLES}
        own = by_role[COUNCIL].iloc[0] if len(by_role[COUNCIL]) else np.nan
        others = by_role[NEIGHBOUR].dropna()
        spread = others.std(ddof=0) if len(others) > 1 else np.nan
        gap = own - others.median() if len(others) else np.nan
        council = group[group["role"].eq(COUNCIL)].iloc[0]
        low, high = interval(council["numerator"], council["denominator"], council["unit"])
        rows.append({
            "measure": measure, "unit": council["unit"], "council": own,
            "numerator": council["numerator"], "denominator": council["denominator"],
            "low": low, "high": high,
            "note": small_number_note(council["numerator"], council["denominator"]),
            "rank": council["rank"], "of": council["of"],
            "england": by_role[ENGLAND].iloc[0] if len(by_role[ENGLAND]) else np.nan,
            "region": by_role[REGION].iloc[0] if len(by_role[REGION]) else np.nan,
            "neighbours_median": others.median() if len(others) else np.nan,
            "neighbours_low": others.min() if len(others) else np.nan,
            "neighbours_high": others.max() if len(others) else np.nan,
            "distance": abs(gap) / spread if spread and spread > 0 else np.nan,
        })
    out = pd.DataFrame(rows)
    return out.sort_values("distance", ascending=False, na_position="last").reset_index(
        drop=True)
