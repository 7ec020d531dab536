"""The chart display that carries alt text (d2i_examples.charts)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pytest

from d2i_examples import charts


def test_a_chart_is_an_inline_png_image_with_its_alt_text_escaped():
    fig, ax = plt.subplots()
    ax.bar(["a", "b"], [1, 2])
    chart = charts.render(fig, 'Bar chart: "b" is twice  a & more')
    assert chart.png.startswith(b"\x89PNG")
    markup = chart._repr_html_()
    assert markup.startswith('<img class="d2i-chart" src="data:image/png;base64,')
    assert 'alt="Bar chart: &quot;b&quot; is twice a &amp; more"' in markup
    assert fig.number not in plt.get_fignums(), "the figure must be closed so it is not shown twice"


def test_a_chart_without_alt_text_is_refused():
    fig, _ = plt.subplots()
    with pytest.raises(ValueError, match="alt text"):
        charts.render(fig, "  ")
    plt.close(fig)


def test_the_alt_text_states_the_finding_and_the_numbers_drawn():
    import pandas as pd

    values = pd.Series({"Under 5 km": 111, "Not known": 16, "Empty": 0})
    alt = charts.describe("46% are placed under 5 km", values, "{:,} children", skip_zero=True)
    assert alt == ("Bar chart. 46% are placed under 5 km. Under 5 km: 111 children; "
                   "Not known: 16 children.")
    many = pd.Series(range(1, 16), index=[f"g{i}" for i in range(15)])
    assert charts.describe("t", many, limit=12).endswith("g11: 12; and 3 more.")
    dated = pd.DataFrame({"baseline": [3.0]}, index=[pd.Timestamp("2028-03-31")])
    assert charts.describe("t", dated, "{:.0f}") == "Bar chart. t. baseline: 31/03/2028: 3."


def test_bars_carry_the_title_axis_labels_and_grey_for_not_known():
    import pandas as pd

    values = pd.Series({"Near": 5, "Not known": 2})
    fig = charts.bars(values, title="Most are near", xlabel="Children (count)",
                      ylabel="Distance")
    ax = fig.axes[0]
    assert ax.get_title() == "Most are near"
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("Children (count)", "Distance")
    colours = [bar.get_facecolor() for bar in ax.patches]
    assert colours[1] != colours[0]  # the unknown bar stands apart
    plt.close(fig)


def test_box_plots_draw_the_long_waits():
    import pandas as pd

    waits = pd.Series([10, 11, 12, 13, 14, 15, 400])
    fig = charts.boxes({"CIN plan": {"2025-26": waits}}, title="t", ylabel="Days",
                       xlabel="Year")
    drawn = [y for line in fig.axes[0].lines for y in line.get_ydata()]
    assert 400 in drawn  # the outlier is shown, not hidden
    plt.close(fig)


def test_a_forecast_is_drawn_dashed_after_its_start():
    import pandas as pd

    days = pd.date_range("2026-03-24", periods=4, freq="7D")
    frame = pd.DataFrame({"FOSTERING": [1.0, 2, 3, 4]}, index=days)
    fig = charts.lines(frame, title="t", ylabel="Children", split=days[1])
    styles = [line.get_linestyle() for line in fig.axes[0].lines[:2]]
    assert styles == ["-", "--"]
    plt.close(fig)
