"""The benchmarking dot chart: its alt text states the council's rank on each measure."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd

from d2i_examples.charts.benchmarks import ordinal, rank_text, ranked_dots
from d2i_examples.indicators import benchmarks as bm
from d2i_examples.indicators import comparison as cmp
from tests.test_indicators_comparison import council, tables


def test_ordinals_and_rank_text():
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 101)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st"]
    assert rank_text(2, 6) == "2nd highest of 6"
    assert rank_text(float("nan"), 6) == "not ranked"


def test_alt_text_states_the_rank_on_each_measure(tmp_path):
    long = cmp.published_values(tables(tmp_path))
    compared = cmp.compare(council(), long, ["SYN0001", "SYN0002"], region_code="E12000001")
    order = list(cmp.league(compared)["measure"])
    fig, alt = ranked_dots(compared, order)
    assert f"{bm.REREFERRALS}: 20.0 %, 2nd highest of 3" in alt
    assert "Furthest from its neighbours on re-referrals" in alt
    assert len(fig.axes) == 2
    plt.close(fig)


def test_a_council_with_no_value_is_drawn_without_a_dot_and_not_ranked(tmp_path):
    long = cmp.published_values(tables(tmp_path))
    none = council()
    none.loc[none["measure"].eq(bm.REREFERRALS), ["numerator", "denominator", "value"]] = [
        0, 0, float("nan")]
    compared = cmp.compare(none, long, ["SYN0001", "SYN0002"], region_code="E12000001")
    row = compared[compared["role"].eq(cmp.COUNCIL) & compared["measure"].eq(bm.REREFERRALS)]
    assert pd.isna(row["rank"]).all()
    fig, alt = ranked_dots(compared)
    plt.close(fig)
    assert f"{bm.REREFERRALS}: no value" in alt
