"""What the forecast costs: by date and placement type, and by financial year.

``cost_projection`` multiplies the children of each placement type by a weekly
cost per child; ``cost_by_financial_year`` turns those weekly costs into the cost
of each complete financial year (1 April to 31 March) the forecast covers.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from d2i_examples.errors import DataError
from d2i_examples.tools._csv_input import missing_columns
from d2i_examples.tools.demand_model.tool import PLACEMENT_TYPES, _is_number

WEEKS_PER_YEAR = 365.25 / 7


def cost_projection(forecast: pd.DataFrame, weekly_costs: Mapping[str, float]) -> pd.DataFrame:
    """Weekly and annual cost of the forecast population, by placement type.

    ``weekly_cost = children x weekly cost of one placement`` of that type;
    ``annual_cost = weekly_cost x 365.25 / 7`` (the yearly cost if the
    population stayed as on that date). The cost of a financial year is the
    sum of weekly costs over the year's dates when the step is 7 days.

    Args:
        forecast: a frame from ``forecast_demand`` (any ``by`` that keeps
            ``placement_type``): ``date``, ``placement_type``, ``children``,
            and optionally ``lower``/``upper`` and ``kind``.
        weekly_costs: pounds per child per week, keyed by placement type
            (FOSTERING, RESIDENTIAL, SUPPORTED, OTHER); every type in the
            forecast needs a cost.

    Returns:
        ``date``, ``placement_type``, ``children``, ``weekly_cost_per_child``,
        ``weekly_cost``, ``annual_cost`` (plus ``kind``, and lower/upper costs
        when the forecast has one row per date and placement type with a range).
    """
    missing_columns(forecast, ["date", "placement_type", "children"], "forecast", "forecast")
    costs = {str(k).upper(): v for k, v in weekly_costs.items()}
    unknown = sorted(set(costs) - set(PLACEMENT_TYPES))
    needed = sorted(set(forecast["placement_type"]) - set(costs))
    if unknown or needed:
        raise DataError(
            "The weekly costs do not match the forecast's placement types.",
            expected="a cost for each of " + ", ".join(sorted(set(forecast["placement_type"]))),
            found=("unknown: " + ", ".join(unknown) if unknown else "")
            + ("; " if unknown and needed else "")
            + ("no cost for: " + ", ".join(needed) if needed else ""),
            fix="Key weekly_costs by FOSTERING, RESIDENTIAL, SUPPORTED and OTHER.",
        )
    bad = {k: v for k, v in costs.items() if not _is_number(v) or v < 0}
    if bad:
        raise DataError(
            "Weekly costs must be numbers of pounds, zero or more.",
            found=", ".join(f"{k}={v!r}" for k, v in bad.items()),
            expected="e.g. {'FOSTERING': 450, 'RESIDENTIAL': 5200, ...}",
        )
    keys = ["date", "placement_type"] + (["kind"] if "kind" in forecast else [])
    bands = [c for c in ("lower", "upper") if c in forecast]
    one_row_each = not forecast.duplicated(keys).any()
    value_columns = ["children"] + (bands if one_row_each else [])
    out = forecast.groupby(keys, sort=False, as_index=False)[value_columns].sum(min_count=1)
    out["weekly_cost_per_child"] = out["placement_type"].map(costs).astype(float)
    out["weekly_cost"] = out["children"] * out["weekly_cost_per_child"]
    out["annual_cost"] = out["weekly_cost"] * WEEKS_PER_YEAR
    for band in value_columns[1:]:
        out[f"weekly_cost_{band}"] = out[band] * out["weekly_cost_per_child"]
        out[f"annual_cost_{band}"] = out[f"weekly_cost_{band}"] * WEEKS_PER_YEAR
    out = out.drop(columns=value_columns[1:])
    order = {p: i for i, p in enumerate(PLACEMENT_TYPES)}
    out = out.sort_values(
        ["date", "placement_type"],
        key=lambda c: c.map(order) if c.name == "placement_type" else c,
        ignore_index=True,
    )
    front = [
        "date",
        "placement_type",
        "children",
        "weekly_cost_per_child",
        "weekly_cost",
        "annual_cost",
    ]
    return out[front + [c for c in out.columns if c not in front]]


def cost_by_financial_year(costs: pd.DataFrame, by: str | None = None) -> pd.DataFrame:
    """The cost of each complete financial year (1 April to 31 March) of a cost projection.

    ``cost = mean weekly_cost over the year's forecast dates x days in the
    year / 7``: the weekly cost averaged over the year, for the whole year.
    Only years the forecast dates cover are kept: the first date within one
    step of 1 April and the last within one step of 31 March (so the first
    row, the observed day, and a short last year are left out).

    Args:
        costs: a frame from ``cost_projection``: ``date``, ``weekly_cost``
            and, to break down by it, ``placement_type``. Observed rows
            (``kind == "observed"``) are left out.
        by: ``"placement_type"`` for a row per type, or None for the total.

    Returns:
        ``financial_year`` (e.g. "2026/27"), ``by`` if given, ``dates`` (how
        many forecast dates the year holds) and ``cost`` (pounds).
    """
    missing_columns(costs, ["date", "weekly_cost"], "costs", "cost projection")
    if by not in (None, "placement_type"):
        raise DataError("Unknown breakdown for the costs.", found=repr(by),
                        expected='"placement_type" or None for the total')
    frame = costs[costs["kind"] != "observed"] if "kind" in costs else costs
    groups = [by] if by else []
    weekly = frame.groupby(["date", *groups], as_index=False)["weekly_cost"].sum()
    dates = pd.Series(sorted(weekly["date"].unique()))
    step = dates.diff().median() if len(dates) > 1 else pd.Timedelta(days=7)
    ends = dates.dt.year + (dates.dt.month > 3).astype(int)
    complete = []
    for end_year, in_year in dates.groupby(ends):
        first = pd.Timestamp(year=end_year - 1, month=4, day=1)
        last = pd.Timestamp(year=end_year, month=3, day=31)
        if in_year.min() - first < step and last - in_year.max() < step:
            complete.append(end_year)
    weekly["end_year"] = weekly["date"].dt.year + (weekly["date"].dt.month > 3).astype(int)
    weekly = weekly[weekly["end_year"].isin(complete)]
    out = weekly.groupby(["end_year", *groups], sort=True).agg(
        dates=("date", "nunique"), weekly_cost=("weekly_cost", "mean")
    ).reset_index()
    days = pd.to_datetime(out["end_year"].astype(str) + "-03-31") - pd.to_datetime(
        (out["end_year"] - 1).astype(str) + "-03-31"
    )
    out["cost"] = out["weekly_cost"] * days.dt.days / 7
    out["financial_year"] = (out["end_year"] - 1).astype(str) + "/" + (
        out["end_year"] % 100
    ).astype(str).str.zfill(2)
    if by:
        order = {p: i for i, p in enumerate(PLACEMENT_TYPES)}
        out = out.sort_values(["end_year", by], key=lambda c: c.map(order) if c.name == by else c)
    return out[["financial_year", *groups, "dates", "cost"]].reset_index(drop=True)
