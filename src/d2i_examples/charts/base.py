"""Charts for the worked examples: one home for how a chart is shown and described.

Every chart in the book is shown with :func:`show`, which needs an alt text: a
sentence saying what the chart shows and what it finds, built by the caller
from the same numbers as the chart's title. Screen-reader users get that
sentence; nobody gets a file path.

The figure is displayed as an HTML ``<img>`` with the PNG inline and the alt
text on it (JupyterLab and the book both render it), plus the plain PNG for
front ends that show no HTML. The figure is closed afterwards, so the inline
backend never shows it a second time without its alt text.
"""

from __future__ import annotations

import base64
import html
import io

#: Okabe and Ito's colour-blind-safe palette (Color Universal Design, 2008),
#: in the order charts use it.
PALETTE = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermilion
    "#F0E442",  # yellow
    "#000000",  # black
)


class Chart:
    """A rendered chart: PNG bytes and the alt text that describes them."""

    def __init__(self, png: bytes, alt: str):
        self.png = png
        self.alt = alt

    def _repr_html_(self) -> str:
        data = base64.b64encode(self.png).decode("ascii")
        return (f'<img class="d2i-chart" src="data:image/png;base64,{data}" '
                f'alt="{html.escape(self.alt, quote=True)}">')

    def _repr_png_(self) -> bytes:
        return self.png


def render(fig, alt: str, dpi: int = 100) -> Chart:
    """Render a matplotlib figure to a :class:`Chart` with ``alt`` as its text, and close it."""
    import matplotlib.pyplot as plt

    alt = " ".join(str(alt).split())
    if not alt:
        raise ValueError("A chart needs an alt text: say what it shows and what it finds.")
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight")
    plt.close(fig)
    return Chart(buffer.getvalue(), alt)


def show(fig, alt: str) -> None:
    """Display ``fig`` in the notebook with ``alt`` as its alt text, then close it."""
    from IPython.display import display

    display(render(fig, alt))


# ---------------------------------------------------------------------------
# Drawing. Each function takes the numbers to draw (a pandas Series or
# DataFrame), a title that states the finding and axis labels with units, and
# returns the matplotlib figure for :func:`show`. :func:`describe` builds the
# alt text from the same numbers and title.
# ---------------------------------------------------------------------------

GREY = "#999999"
NOT_KNOWN = ("Not known", "Not known or not recorded", "No further stage")
WIDTH = 8  # inches: readable at book width


def _new(height: float = 4.0, panels: int = 1, sharey: bool = False, sharex: bool = False):
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, panels, figsize=(WIDTH if panels == 1 else 10, height),
                             sharey=sharey, sharex=sharex, squeeze=False)
    for ax in axes.flat:
        ax.spines[["top", "right"]].set_visible(False)
    return fig, list(axes.flat)


def _finish(fig, title: str, wrap: int = 70):
    import textwrap

    if len(fig.axes) == 1:
        fig.axes[0].set_title(textwrap.fill(title, wrap), fontsize=11)
    else:
        fig.suptitle(textwrap.fill(title, wrap + 20), fontsize=11)
    fig.tight_layout()
    return fig


def _percent_axis(axis) -> None:
    from matplotlib.ticker import PercentFormatter

    axis.set_major_formatter(PercentFormatter(1.0))


def _wrap_labels(labels, width: int = 40) -> list[str]:
    import textwrap

    return [textwrap.fill(str(label), width) for label in labels]


def describe(title: str, values, fmt: str = "{:,}", kind: str = "Bar chart",
             limit: int = 12, skip_zero: bool = False) -> str:
    """An alt text: the kind of chart, its finding (the title) and its numbers.

    ``values`` is the Series (one number per label) or DataFrame (one column per
    series) the chart draws; ``fmt`` formats each number ("{:.0%}" for shares).
    Only the first ``limit`` labels are listed, with how many were left out;
    ``skip_zero`` leaves out zeros (the empty parts of stacked bars).
    """
    import pandas as pd

    def name(label) -> str:
        return f"{label:%d/%m/%Y}" if isinstance(label, pd.Timestamp) else str(label)

    def listing(series: pd.Series) -> str:
        series = series[series != 0] if skip_zero else series
        shown = series.dropna().head(limit)
        parts = [f"{name(label)}: {fmt.format(value)}" for label, value in shown.items()]
        left = len(series.dropna()) - len(shown)
        return "; ".join(parts) + (f"; and {left} more" if left > 0 else "")

    if isinstance(values, pd.DataFrame):
        body = " ".join(f"{name(column)}: {listing(values[column])}."
                        for column in values.columns)
    else:
        body = listing(pd.Series(values)) + "."
    return f"{kind}. {title.rstrip('.')}. {body}"


def bars(values, *, title: str, xlabel: str, ylabel: str = "", percent: bool = False,
         value_labels=None, colours=None, stacked: bool = False, horizontal: bool = True,
         legend: dict | None = None, legend_title: str | None = None):
    """Bars for a Series (one bar per label) or a DataFrame (one bar per column, grouped
    or ``stacked``), drawn top to bottom in the order given.

    ``xlabel`` names the value axis and ``ylabel`` the label axis, whatever the
    direction. ``value_labels`` writes a text at the end of each bar (Series only);
    ``colours`` is one colour per bar (Series) or per column (DataFrame); by default
    the palette, with "Not known"-style labels grey. ``legend`` maps legend names
    to colours when the colours mean something.
    """
    import pandas as pd
    from matplotlib.patches import Patch
    from matplotlib.ticker import MaxNLocator

    frame = values.to_frame() if isinstance(values, pd.Series) else values
    rows = len(frame)
    labels = _wrap_labels(frame.index) if horizontal else [str(i) for i in frame.index]
    lines_per_row = [max(1, label.count("\n") + 1) for label in labels]
    per_bar = 1 if stacked else max(1, frame.shape[1] * 0.6)
    height = 1.2 + sum(max(0.45 * per_bar, 0.3 * n) for n in lines_per_row)
    fig, (ax,) = _new(height=max(3.0, height) if horizontal else 4.0)
    if isinstance(values, pd.Series):
        colours = list(colours) if colours is not None else [
            GREY if str(label) in NOT_KNOWN else PALETTE[0] for label in frame.index]
    else:
        colours = list(colours) if colours is not None else [
            GREY if str(c) in NOT_KNOWN else PALETTE[i % len(PALETTE)]
            for i, c in enumerate(frame.columns)]
    positions = range(rows)
    if isinstance(values, pd.Series):
        draw = ax.barh if horizontal else ax.bar
        drawn = draw(positions, frame.iloc[:, 0].fillna(0).to_numpy(), color=colours)
        if value_labels is not None:
            ax.bar_label(drawn, labels=[str(t) for t in value_labels], padding=3)
            ax.margins(**({"x": 0.2} if horizontal else {"y": 0.15}))
    else:
        n = frame.shape[1]
        base = pd.Series(0.0, index=frame.index)
        for i, (column, colour) in enumerate(zip(frame.columns, colours)):
            heights = frame[column].fillna(0).astype(float)
            if stacked:
                offset, width = [0.0] * rows, 0.75
            else:
                width = 0.8 / n
                offset = [(i - (n - 1) / 2) * width] * rows
            where = [p + o for p, o in zip(positions, offset)]
            if horizontal:
                ax.barh(where, heights, height=width, left=base if stacked else None,
                        color=colour, label=str(column))
            else:
                ax.bar(where, heights, width=width, bottom=base if stacked else None,
                       color=colour, label=str(column))
            if stacked:
                base = base + heights
        ax.legend(title=legend_title, frameon=False, fontsize=8, loc="upper left",
                  bbox_to_anchor=(1.01, 1))
    if horizontal:
        ax.set_yticks(list(positions), labels)
        ax.invert_yaxis()
        value_axis = ax.xaxis
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
    else:
        ax.set_xticks(list(positions), labels)
        value_axis = ax.yaxis
        ax.set_ylabel(xlabel)
        ax.set_xlabel(ylabel)
    if percent:
        _percent_axis(value_axis)
    else:
        value_axis.set_major_locator(MaxNLocator(integer=True))
    if legend:
        ax.legend(handles=[Patch(color=c, label=name) for name, c in legend.items()],
                  frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1))
    return _finish(fig, title)


def lines(frame, *, title: str, ylabel: str, xlabel: str = "Date", colours=None,
          shade=None, split=None, band=None, ylim_zero: bool = True):
    """One line per column of ``frame`` (index: dates or years).

    ``shade`` is ``(start, end, label)`` for a shaded span (a reference period);
    ``split`` a date after which lines are dashed (a forecast); ``band`` a pair
    of DataFrames ``(lower, upper)`` shaded around each line (an interval).
    """
    fig, (ax,) = _new()
    colours = list(colours) if colours is not None else list(PALETTE)
    for i, column in enumerate(frame.columns):
        colour = colours[i % len(colours)]
        series = frame[column]
        if split is not None:
            ax.plot(series[series.index <= split], color=colour, label=str(column))
            ax.plot(series[series.index >= split], color=colour, linestyle="--")
        else:
            ax.plot(series, color=colour, label=str(column))
        if band is not None:
            ax.fill_between(frame.index, band[0][column], band[1][column], color=colour,
                            alpha=0.2)
    if shade is not None:
        ax.axvspan(shade[0], shade[1], color=PALETTE[4], alpha=0.2, label=shade[2])
    if split is not None:
        ax.axvline(split, color=GREY, linewidth=0.8)
    if ylim_zero:
        ax.set_ylim(bottom=0)
    if hasattr(frame.index, "to_period"):  # dates: short, unambiguous labels
        import matplotlib.dates as mdates

        locator = mdates.AutoDateLocator()
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.set_ylabel(ylabel)
    ax.set_xlabel(xlabel)
    ax.legend(frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1))
    return _finish(fig, title)


def boxes(groups: dict, *, title: str, ylabel: str, xlabel: str):
    """Box plots, one panel per key of ``groups``; each value maps a label (a year)
    to the numbers of that box. Outliers (beyond 1.5 times the box's height) are
    drawn as dots: on a page about long waits, they are the point."""
    fig, axes = _new(height=4.5, panels=len(groups), sharey=True)
    for ax, (panel, data) in zip(axes, groups.items()):
        if data:
            ax.boxplot(list(data.values()), widths=0.6, showfliers=True,
                       medianprops={"color": PALETTE[5], "linewidth": 2},
                       flierprops={"marker": "o", "markersize": 3, "alpha": 0.5,
                                   "markerfacecolor": PALETTE[0],
                                   "markeredgecolor": "none"})
            ax.set_xticks(range(1, len(data) + 1), [str(k) for k in data])
        ax.set_title(str(panel), fontsize=10)
        ax.set_xlabel(xlabel)
        ax.tick_params(axis="x", labelrotation=45)
    axes[0].set_ylabel(ylabel)
    return _finish(fig, title)


def panels(frames: dict, *, title: str, ylabel: str, xlabel: str, percent: bool = False,
           legend_title: str | None = None):
    """Grouped bars in side-by-side panels, one per key of ``frames``; each value a
    DataFrame of one bar group per row and one bar per column."""
    fig, axes = _new(height=4.5, panels=len(frames), sharey=True)
    for ax, (panel, frame) in zip(axes, frames.items()):
        n = max(frame.shape[1], 1)
        width = 0.8 / n
        for i, column in enumerate(frame.columns):
            where = [p + (i - (n - 1) / 2) * width for p in range(len(frame))]
            ax.bar(where, frame[column].fillna(0), width=width,
                   color=PALETTE[(i + 4) % len(PALETTE)] if i == 0 else PALETTE[0],
                   label=str(column))
        ax.set_xticks(range(len(frame)), [str(i) for i in frame.index], rotation=60,
                      ha="right")
        ax.set_title(str(panel), fontsize=10)
        if percent:
            _percent_axis(ax.yaxis)
    axes[0].set_ylabel(ylabel)
    axes[0].legend(frameon=False, title=legend_title, fontsize=8)
    fig.supxlabel(xlabel)
    return _finish(fig, title)


def pyramids(frames: dict, *, title: str, ylabel: str = "Age band (years)"):
    """Age-sex pyramids side by side: each value a DataFrame indexed by age band
    with columns Female (drawn left) and Male (drawn right)."""
    fig, axes = _new(height=4.0, panels=len(frames), sharey=True)
    for ax, (panel, wide) in zip(axes, frames.items()):
        ages = [str(a) for a in wide.index]
        ax.barh(ages, -wide["Female"], color=PALETTE[1], label="Female")
        ax.barh(ages, wide["Male"], color=PALETTE[0], label="Male")
        ax.xaxis.set_major_formatter(lambda x, _: f"{abs(x):.0f}")
        ax.set_title(f"{panel}: {int(wide.sum().sum())}", fontsize=10)
        ax.set_xlabel("Children (female left, male right)")
    axes[0].set_ylabel(ylabel)
    axes[0].legend(frameon=False)
    return _finish(fig, title)


def timeline(spans, *, title: str, label: str = "stage"):
    """A timeline: one row per ``label`` value, a bar from ``start`` to ``end`` for each span
    (with no span, a figure saying so)."""
    import matplotlib.dates as mdates

    if spans.empty:
        return nothing_to_draw(title, "No record with a start date to draw.")[0]
    rows = list(dict.fromkeys(spans[label]))
    fig, (ax,) = _new(height=0.6 * len(rows) + 1.5)
    for i, row in enumerate(rows):
        part = spans[spans[label] == row]
        ax.barh([i] * len(part), part["end"] - part["start"], left=part["start"],
                color=PALETTE[i % len(PALETTE)], height=0.5, edgecolor="white",
                linewidth=1.5)
    ax.set_yticks(range(len(rows)), rows)
    ax.invert_yaxis()
    ax.set_xlabel("Date")
    locator = mdates.AutoDateLocator()
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    return _finish(fig, title)


def intervals(table, *, title: str, xlabel: str, group: str, series: str,
              value: str = "ratio", lower: str = "ratio_lower", upper: str = "ratio_upper",
              reference: float = 1.0):
    """Dots with interval lines on a log scale, one row per ``group``, one colour per
    ``series`` (a ratio and its confidence interval), with a line at ``reference``."""
    from matplotlib.ticker import FuncFormatter, LogLocator, NullLocator

    names = sorted(table[group].unique(), reverse=True)
    position = {name: n for n, name in enumerate(names)}
    kinds = list(dict.fromkeys(table[series]))
    fig, (ax,) = _new(height=1.5 + 0.5 * len(names))
    for i, kind in enumerate(kinds):
        rows = table[table[series] == kind]
        y = rows[group].map(position) + ((len(kinds) - 1) / 2 - i) * 0.22
        spread = [rows[value] - rows[lower], rows[upper] - rows[value]]
        ax.errorbar(rows[value], y, xerr=spread, fmt="o", color=PALETTE[i], label=kind,
                    capsize=2)
    ax.axvline(reference, color=GREY, linewidth=1)
    ax.set_xscale("log")
    ax.xaxis.set_major_locator(LogLocator(base=2))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    ax.xaxis.set_minor_locator(NullLocator())
    ax.set_yticks(list(position.values()), list(position))
    ax.set_xlabel(xlabel)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    return _finish(fig, title)


def nothing_to_draw(title: str, why: str):
    """A figure in place of a chart with nothing to draw: ``title`` and, in words, ``why``
    (what was left out and how to see it). Returns ``(figure, alt)``."""
    import textwrap

    fig, (ax,) = _new(height=1.8)
    ax.axis("off")
    ax.text(0, 0.5, textwrap.fill(why, 90), va="center", fontsize=10)
    return _finish(fig, title), f"{title.rstrip('.')}. {why}"


def ratio_intervals(table, stages, *, title: str, comparison: str, confidence: float,
                    threshold: int):
    """indicators.disproportionality's table as dots with intervals, one colour per stage,
    and its alt text: ``(figure, alt)``. Groups whose counts were hidden (below
    ``threshold``) have no ratio and are left out; when every one is, the figure says so."""
    plotted = table[table["ratio"].notna() & table["ethnic_group"].ne(comparison)]
    if plotted.empty:
        return nothing_to_draw(
            "No ratio to show: every group was hidden or had no children",
            f"Every ethnic group's count, at every stage, is below the threshold of "
            f"{threshold} children (or is 0), so its rate and ratio are hidden and nothing "
            f"is compared with {comparison} children. Agree a lower threshold with partners "
            "before showing small counts, or count a longer period (months).")
    fig = intervals(plotted, title=title, group="ethnic_group", series="stage",
                    xlabel=f"Rate compared with {comparison} children (ratio, log scale; "
                           f"lines: {confidence:.0%} interval)")
    ratios = plotted.pivot(index="ethnic_group", columns="stage", values="ratio")
    ratios = ratios[[s for s in stages if s in ratios.columns]]
    left = [s for s in stages if s not in ratios.columns]
    alt = describe(title, ratios, "{:.1f} times", kind="Dot chart")
    if left:
        alt += (f" Not shown: {', '.join(left)}, where every group's count is below "
                f"{threshold}.")
    return fig, alt
