"""The EHC plan charts: titles and alt texts state the finding from the same numbers."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pandas as pd

from d2i_examples import charts
from d2i_examples.charts import render


def test_timeliness_chart_names_the_slowest_group_and_leaves_out_small_ones():
    table = pd.DataFrame({
        "primary_need": ["ASD", "SEMH", "VI"],
        "plans_without_exceptions": [40, 20, 2],
        "pct_excluding_exceptions": [50.0, 25.0, 0.0],
    })
    fig, alt = charts.ehcp.timeliness_by(table, "primary_need", "Primary need",
                                         overall=41.7, min_plans=5)
    title = fig.axes[0].get_title(loc="left")
    assert title == "42% of new plans came within 20 weeks: SEMH plans were slowest (25%)"
    assert title in alt and "ASD plans were quickest (50%)" in alt
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["SEMH", "ASD"]
    assert render(fig, alt).alt == alt


def test_stage_chart_adds_the_medians_and_names_the_longest():
    summary = pd.DataFrame({"stage": ["a", "b", "c"], "median_weeks": [5.0, 10.0, 7.0]})
    fig, alt = charts.ehcp.stage_weeks(summary)
    assert "add up to 22 weeks; the longest is b (10 weeks)" in fig.axes[0].get_title(loc="left")
    assert "a: 5 weeks; b: 10 weeks; c: 7 weeks" in alt


def test_plan_rates_chart_compares_children_in_care_with_all_children():
    shares = pd.DataFrame({"group": ["looked after", "in need, not looked after"],
                           "pct_ehc_plan": [20.0, 10.0], "pct_plan_or_pending": [25.0, 10.0]})
    fig, alt = charts.ehcp.plan_rates(shares, 4.0)
    assert fig.axes[0].get_title(loc="left") == (
        "Children looked after: 20% have an EHC plan, 5.0 times the rate for all children")
    assert "all children aged 0-17: 4%" in alt
