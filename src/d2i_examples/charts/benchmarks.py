"""The benchmarking example's chart: each measure a row of dots, the council marked.

``ranked_dots`` takes indicators.comparison.compare's table (and the order of
measures, e.g. league's) and returns ``(figure, alt)``: one strip per measure with
its own scale, the neighbours as grey dots, England and the region as marked lines,
the council as a large blue dot; the alt text states the council's rank on each.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from d2i_examples.charts.base import GREY, PALETTE, WIDTH
from d2i_examples.indicators.comparison import COUNCIL, ENGLAND, NEIGHBOUR, REGION

_ORDINAL = {1: "st", 2: "nd", 3: "rd"}


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th, ... 11th, 12th, 13th, 21st."""
    suffix = "th" if 10 <= n % 100 <= 20 else _ORDINAL.get(n % 10, "th")
    return f"{n}{suffix}"


def rank_text(rank, of) -> str:
    """'2nd highest of 6', or 'not ranked' when the council has no value."""
    if pd.isna(rank) or pd.isna(of):
        return "not ranked"
    return f"{ordinal(int(rank))} highest of {int(of)}"


def _marker(ax, row, colour, style, label):
    ax.axvline(row["value"], color=colour, linestyle=style, linewidth=1.5, label=label)


def ranked_dots(compared: pd.DataFrame, order: list[str] | None = None):
    """One strip per measure (in ``order``), the council beside its neighbours, England
    and the region. Returns (figure, alt)."""
    order = order or list(dict.fromkeys(compared["measure"]))
    fig, axes = plt.subplots(len(order), 1, figsize=(WIDTH, 1.1 * len(order) + 1.2),
                             squeeze=False)
    ranks = []
    for ax, measure in zip(axes[:, 0], order):
        rows = compared[compared["measure"].eq(measure)]
        unit = rows["unit"].iloc[0]
        neighbours = rows[rows["role"].eq(NEIGHBOUR) & rows["value"].notna()]
        ax.scatter(neighbours["value"], [0] * len(neighbours), s=60, color=GREY,
                   label="Neighbours", zorder=2)
        for role, colour, style in ((ENGLAND, PALETTE[7], "--"), (REGION, PALETTE[1], ":")):
            for _, row in rows[rows["role"].eq(role) & rows["value"].notna()].iterrows():
                label = ENGLAND if role == ENGLAND else f"{role}: {row['name']}"
                _marker(ax, row, colour, style, label)
        own = rows[rows["role"].eq(COUNCIL)].iloc[0]
        if pd.notna(own["value"]):
            ax.scatter([own["value"]], [0], s=160, color=PALETTE[0], label=COUNCIL,
                       zorder=3, edgecolor="white")
        text = rank_text(own["rank"], own["of"])
        ranks.append(f"{measure}: {own['value']:.1f} {unit}, {text}"
                     if pd.notna(own["value"]) else f"{measure}: no value")
        ax.set_yticks([])
        ax.set_title(f"{measure} ({unit}): {text}", loc="left", fontsize=10)
        ax.spines[["top", "right", "left"]].set_visible(False)
    handles, labels = axes[0, 0].get_legend_handles_labels()
    for ax in axes[1:, 0]:
        for h, lab in zip(*ax.get_legend_handles_labels()):
            if lab not in labels:
                handles.append(h)
                labels.append(lab)
    fig.legend(handles, labels, loc="lower center", ncol=4, frameon=False, fontsize=9)
    first = compared[compared["measure"].eq(order[0]) & compared["role"].eq(COUNCIL)].iloc[0]
    title = (f"Furthest from its neighbours on {order[0].lower()}: "
             f"{rank_text(first['rank'], first['of'])}")
    fig.suptitle(title, x=0.02, ha="left", fontsize=11)
    fig.tight_layout(rect=(0, 0.06, 1, 0.97))
    alt = (f"Dot chart, one row per measure, of the council beside its neighbours, England "
           f"and the region. {title}. " + "; ".join(ranks) + ".")
    return fig, alt
