"""Charts of the EHC plan worked examples. Each function takes the indicator table it
draws and returns ``(figure, alt)``: a matplotlib figure whose title states the finding,
and the alt text saying the same from the same numbers, for
:func:`d2i_examples.charts.show`."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from d2i_examples.charts.base import PALETTE, nothing_to_draw
from d2i_examples.indicators.ehcp import groups_left_out


def timeliness_by(table: pd.DataFrame, by: str, label: str, overall: float,
                  min_plans: int = 5):
    """Bars of the share of new plans issued within 20 weeks (excluding exceptions) for
    each value of ``by`` with at least ``min_plans`` plans, slowest first, against
    ``overall``, the percentage for every new plan. When no value has that many (a
    small authority, a part-year file), the figure says so instead of drawing bars."""
    shown = table[table["plans_without_exceptions"] >= min_plans].copy()
    if shown.empty:
        return _none_shown(table, by, label, overall, min_plans)
    shown[by] = shown[by].astype(str)
    shown = shown.sort_values("pct_excluding_exceptions")
    worst, best = shown.iloc[0], shown.iloc[-1]
    fig, ax = plt.subplots(figsize=(8, 0.45 * len(shown) + 1.6))
    ax.barh(shown[by], shown["pct_excluding_exceptions"], color=PALETTE[0])
    ax.axvline(overall, color=PALETTE[5], linestyle="--", linewidth=1.5)
    ax.text(overall, len(shown) - 0.4, f" all plans {overall:.0f}%", color=PALETTE[5],
            va="bottom")
    for y, (pct, n) in enumerate(zip(shown["pct_excluding_exceptions"],
                                     shown["plans_without_exceptions"])):
        ax.text(pct + 1, y, f"{pct:.0f}% of {n}", va="center", fontsize=9)
    ax.set_xlim(0, 110)
    ax.set_xlabel("New plans issued within 20 weeks, excluding exceptions (%)")
    ax.set_ylabel(label)
    title = (f"{overall:.0f}% of new plans came within 20 weeks: {worst[by]} plans were "
             f"slowest ({worst['pct_excluding_exceptions']:.0f}%)")
    ax.set_title(title, loc="left", fontsize=11)
    ax.spines[["top", "right"]].set_visible(False)
    alt = (f"Bar chart of the share of new EHC plans issued within 20 weeks, excluding "
           f"exceptions, by {label.lower()}. {title}; {best[by]} plans were quickest "
           f"({best['pct_excluding_exceptions']:.0f}%).")
    return fig, alt


def _none_shown(table: pd.DataFrame, by: str, label: str, overall: float, min_plans: int):
    """A figure that states, in words, why no bar is drawn (indicators.ehcp.groups_left_out)."""
    pct = "no" if pd.isna(overall) else f"{overall:.0f}% of"
    return nothing_to_draw(f"{pct} new plans came within 20 weeks; too few in any group to "
                           "compare", groups_left_out(table, by, label, min_plans))


def stage_weeks(summary: pd.DataFrame):
    """One bar of the median weeks in each stage, end to end, against the 20-week limit
    (a figure saying so when no plan has the dates to time a stage)."""
    if summary.empty or summary["median_weeks"].isna().all():
        return nothing_to_draw("No stage to time", "No new plan in the year has the dates "
                               "to time its stages: the table above lists what there is.")
    fig, ax = plt.subplots(figsize=(8, 2.6))
    left = 0.0
    for i, row in enumerate(summary.itertuples()):
        ax.barh([0], [row.median_weeks], left=left, color=PALETTE[i], label=str(row.stage))
        ax.text(left + row.median_weeks / 2, 0, f"{row.median_weeks:.0f}", ha="center",
                va="center", color="white" if i != 1 else "black", fontweight="bold")
        left += row.median_weeks
    ax.axvline(20, color="black", linestyle="--", linewidth=1.5)
    ax.text(20, 0.45, " 20-week limit", va="bottom")
    longest = summary.loc[summary["median_weeks"].idxmax()]
    ax.set_yticks([])
    ax.set_xlabel("Median weeks in each stage (medians of each stage, end to end)")
    ax.set_ylim(-0.6, 0.9)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.45), ncol=1, frameon=False)
    title = (f"The stages' medians add up to {left:.0f} weeks; the longest is "
             f"{longest['stage']} ({longest['median_weeks']:.0f} weeks)")
    ax.set_title(title, loc="left", fontsize=11)
    ax.spines[["top", "right", "left"]].set_visible(False)
    parts = "; ".join(f"{r.stage}: {r.median_weeks:.0f} weeks" for r in summary.itertuples())
    alt = f"Stacked bar of the median weeks spent in each stage of new EHC plans. {title}. " \
          f"{parts}."
    return fig, alt


def plan_rates(shares: pd.DataFrame, all_children_pct: float):
    """Bars of the share of each group of children with an EHC plan (and with a plan or
    a pending request), against all children's share."""
    fig, ax = plt.subplots(figsize=(8, 3.2))
    groups = list(shares["group"]) + ["all children aged 0-17"]
    plan = list(shares["pct_ehc_plan"]) + [all_children_pct]
    either = list(shares["pct_plan_or_pending"]) + [all_children_pct]
    y = range(len(groups))
    ax.barh(y, either, color=PALETTE[4], label="EHC plan or request pending")
    ax.barh(y, plan, color=PALETTE[0], label="EHC plan")
    for i, (p, e) in enumerate(zip(plan, either)):
        ax.text(e + 0.5, i, f"{p:.0f}%" + (f" (+{e - p:.0f}% pending)" if e > p else ""),
                va="center", fontsize=9)
    ax.set_yticks(list(y), groups)
    ax.invert_yaxis()
    ax.set_xlabel("Children with an EHC plan on the SEN2 census date (%)")
    ax.set_xlim(0, max(either) * 1.35)
    cla = shares.set_index("group").loc["looked after", "pct_ehc_plan"]
    times = cla / all_children_pct if all_children_pct else float("nan")
    title = (f"Children looked after: {cla:.0f}% have an EHC plan, "
             f"{times:.1f} times the rate for all children")
    ax.set_title(title, loc="left", fontsize=11)
    ax.legend(loc="lower right", frameon=False, fontsize=9)
    ax.spines[["top", "right"]].set_visible(False)
    parts = "; ".join(f"{g}: {p:.0f}%" for g, p in zip(groups, plan))
    alt = f"Bar chart of the share of children with an EHC plan by group. {title}. {parts}."
    return fig, alt
