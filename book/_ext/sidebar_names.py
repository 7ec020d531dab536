"""The sidebar's controls named in the HTML itself, so the names hold without JavaScript.

Two parts of the theme's sidebar fail axe (WCAG 2.2 AA) as the theme writes them:

- a chapter with pages under it (a worked example and its exercises page) gets an
  arrow that opens them: a <summary> holding only an icon, so it has no name
  (axe: summary-name). Each is named for its chapter: "Pages under Checking your
  SSDA903 return before submission";
- the book's title link at the top of the sidebar sits outside every landmark, so
  a screen-reader user moving by landmarks never meets it (axe: region). Its block
  becomes a navigation landmark named "Book home".

The theme writes the sidebar into every page's HTML, so the pages are mended once
they are written (Sphinx's build-finished).
"""

import re
from html import escape, unescape
from pathlib import Path

UNNAMED_SUMMARY = re.compile(
    r'(<li class="[^"]*\bhas-children\b[^"]*">\s*<a\b[^>]*>(?P<chapter>.*?)</a>\s*'
    r"<details\b[^>]*>\s*)<summary>"
)
BRAND_BLOCK = re.compile(r'<div class="sidebar-primary-item">(?=\s*<a class="navbar-brand)')


def named(html: str) -> str:
    """``html`` with each icon-only sidebar <summary> named for its chapter and the
    title link's block made a named navigation landmark."""
    def summary(m: re.Match) -> str:
        chapter = unescape(re.sub(r"<[^>]+>", "", m.group("chapter"))).strip() or "this chapter"
        return f'{m.group(1)}<summary aria-label="Pages under {escape(chapter)}">'

    html = UNNAMED_SUMMARY.sub(summary, html)
    return BRAND_BLOCK.sub(
        '<div class="sidebar-primary-item" role="navigation" aria-label="Book home">', html, count=1)


def _name_pages(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    for page in Path(app.outdir).rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        mended = named(text)
        if mended != text:
            page.write_text(mended, encoding="utf-8")


def setup(app):
    app.connect("build-finished", _name_pages)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
