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
