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
    assert not plt.get_fignums(), "the figure must be closed so it is not shown twice"


def test_a_chart_without_alt_text_is_refused():
    fig, _ = plt.subplots()
    with pytest.raises(ValueError, match="alt text"):
        charts.render(fig, "  ")
    plt.close(fig)
