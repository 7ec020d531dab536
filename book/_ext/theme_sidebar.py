"""The theme's sidebar mended in each page's HTML, once the pages are written.

The theme writes its sidebar and header into every page; two things in them fail
readers, so every written page is mended in one pass (Sphinx's build-finished):

**One sidebar toggle of each kind** (`one_toggle_each`). pydata-sphinx-theme writes a
"Site navigation" and an "On this page" toggle into its page header; sphinx-book-theme
hides them (CSS) and shows its own pair, "Toggle primary sidebar" and "Toggle secondary
sidebar", in the article's header. Both themes' scripts attach their handlers to the
*first* element of each class (``document.querySelector(".primary-toggle")``), which is
the hidden one, so the visible toggles did nothing: on a phone the navigation could not
be opened at all, by mouse or keyboard. With the hidden copies removed, the first toggle
of each class is the visible one: the pydata theme's handler opens the sidebar as a
dialog on a narrow screen, the book theme's folds it away and back on a wide one.
Nothing races the theme's scripts; the page simply holds the structure they expect.

**The sidebar's controls named in the HTML itself** (`named`), so the names hold without
JavaScript. As the theme writes them, two parts fail axe (WCAG 2.2 AA):

- a chapter with pages under it (a worked example and its exercises page) gets an
  arrow that opens them: a <summary> holding only an icon, so it has no name
  (axe: summary-name). Each is named for its chapter: "Pages under Checking your
  SSDA903 return before submission";
- the book's title link at the top of the sidebar sits outside every landmark, so
  a screen-reader user moving by landmarks never meets it (axe: region). Its block
  becomes a navigation landmark named "Book home".
"""

import re
from html import escape, unescape
from pathlib import Path

PAGE_HEADER = re.compile(r'<header id="pst-header".*?</header>', re.DOTALL)
HIDDEN_TOGGLE = re.compile(
    r'\s*<button class="pst-navbar-icon sidebar-toggle (?:primary|secondary)-toggle"[^>]*>'
    r".*?</button>", re.DOTALL)
UNNAMED_SUMMARY = re.compile(
    r'(<li class="[^"]*\bhas-children\b[^"]*">\s*<a\b[^>]*>(?P<chapter>.*?)</a>\s*'
    r"<details\b[^>]*>\s*)<summary>"
)
BRAND_BLOCK = re.compile(r'<div class="sidebar-primary-item">(?=\s*<a class="navbar-brand)')


def one_toggle_each(html: str) -> str:
    """``html`` without the page header's (hidden) sidebar toggles."""
    return PAGE_HEADER.sub(lambda m: HIDDEN_TOGGLE.sub("", m.group(0)), html, count=1)


def named(html: str) -> str:
    """``html`` with each icon-only sidebar <summary> named for its chapter and the
    title link's block made a named navigation landmark."""
    def summary(m: re.Match) -> str:
        chapter = unescape(re.sub(r"<[^>]+>", "", m.group("chapter"))).strip() or "this chapter"
        return f'{m.group(1)}<summary aria-label="Pages under {escape(chapter)}">'

    html = UNNAMED_SUMMARY.sub(summary, html)
    return BRAND_BLOCK.sub(
        '<div class="sidebar-primary-item" role="navigation" aria-label="Book home">', html, count=1)


def mended(html: str) -> str:
    """``html`` with both mends."""
    return named(one_toggle_each(html))


def _mend_pages(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    for page in Path(app.outdir).rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        new = mended(text)
        if new != text:
            page.write_text(new, encoding="utf-8")


def setup(app):
    app.connect("build-finished", _mend_pages)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
