"""One sidebar toggle of each kind in the HTML, so the theme's handlers reach the one a reader sees.

pydata-sphinx-theme writes a "Site navigation" and an "On this page" toggle into its
page header; sphinx-book-theme hides them (CSS) and shows its own pair, "Toggle
primary sidebar" and "Toggle secondary sidebar", in the article's header. Both
themes' scripts attach their handlers to the *first* element of each class
(``document.querySelector(".primary-toggle")``), which is the hidden one, so the
visible toggles did nothing: on a phone the navigation could not be opened at all,
by mouse or keyboard.

The hidden copies are removed from every written page (Sphinx's build-finished, as
sidebar_names.py mends the sidebar), so the first toggle of each class is the
visible one: the pydata theme's handler opens the sidebar as a dialog on a narrow
screen, the book theme's folds it away and back on a wide one. Nothing races the
theme's scripts; the page simply holds the structure they expect.
"""

import re
from pathlib import Path

PAGE_HEADER = re.compile(r'<header id="pst-header".*?</header>', re.DOTALL)
HIDDEN_TOGGLE = re.compile(
    r'\s*<button class="pst-navbar-icon sidebar-toggle (?:primary|secondary)-toggle"[^>]*>'
    r".*?</button>", re.DOTALL)


def one_toggle_each(html: str) -> str:
    """``html`` without the page header's (hidden) sidebar toggles."""
    return PAGE_HEADER.sub(lambda m: HIDDEN_TOGGLE.sub("", m.group(0)), html, count=1)


def _mend_pages(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    for page in Path(app.outdir).rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        mended = one_toggle_each(text)
        if mended != text:
            page.write_text(mended, encoding="utf-8")


def setup(app):
    app.connect("build-finished", _mend_pages)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
