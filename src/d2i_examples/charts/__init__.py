"""Every chart in the book, and the alt text that says what it shows.

    base.py   how a chart is shown (``show``: inline PNG with its alt text) and
              described (``describe``), and the common kinds: bars, lines, boxes,
              panels, pyramids, timeline, intervals (ratio_intervals: the
              disproportionality chart), and nothing_to_draw (a figure saying why not)
    benchmarks.py  the benchmarking example's ranked dots (the council marked)
    ehcp.py   the EHC plan pages' charts: timeliness by group, weeks per stage,
              plan rates

Notebooks call ``charts.bars(...)`` and ``charts.ehcp.stage_weeks(...)``.
"""

from d2i_examples.charts import benchmarks, ehcp
from d2i_examples.charts.base import (
    GREY,
    NOT_KNOWN,
    PALETTE,
    WIDTH,
    Chart,
    bars,
    boxes,
    describe,
    intervals,
    lines,
    nothing_to_draw,
    panels,
    pyramids,
    ratio_intervals,
    render,
    show,
    timeline,
)

__all__ = [
    "GREY", "NOT_KNOWN", "PALETTE", "WIDTH", "Chart", "bars", "benchmarks", "boxes",
    "describe", "ehcp",
    "intervals", "lines", "nothing_to_draw", "panels", "pyramids", "ratio_intervals",
    "render", "show", "timeline",
]
