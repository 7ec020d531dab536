"""Tables in notebook outputs: no empty header cells, headers that can wrap.

pandas writes the corner above a DataFrame's index, and the cells beside an
index name, as empty <th> elements. A header cell with no text is announced
as a header with no name (axe: empty-table-header), so those corners become
plain empty <td> cells.

A column named like ``pct_excluding_exceptions`` is one unbreakable word, so a
summary of a few such columns was wider than the page. A header may now wrap
after each underscore (a <wbr>, which a screen reader does not read), and the
table fits the page's column (tests/test_book_in_browser.py measures it).
"""

import re

from docutils import nodes

EMPTY_HEADER = re.compile(r"<th(\s[^>]*)?>\s*(?:&nbsp;)?\s*</th>")


def without_empty_headers(html: str) -> str:
    """``html`` with every empty <th> (or one holding only &nbsp;) made an empty <td>."""
    return EMPTY_HEADER.sub(lambda m: f"<td{m.group(1) or ''}></td>", html)


HEADER_TEXT = re.compile(r"(<th(?:\s[^>]*)?>)([^<]*_[^<]*)(</th>)")


def wrappable_headers(html: str) -> str:
    """``html`` with a line-break opportunity (<wbr>) after each underscore in a
    header cell's text, so a long column name can wrap."""
    return HEADER_TEXT.sub(lambda m: m.group(1) + m.group(2).replace("_", "_<wbr>")
                           + m.group(3), html)


def _fix(app, doctree, docname):
    for raw in list(doctree.findall(nodes.raw)):
        if "html" in raw.get("format", "").split() and "<th" in raw.astext():
            fixed = wrappable_headers(without_empty_headers(raw.astext()))
            if fixed != raw.astext():
                raw.replace_self(nodes.raw(fixed, fixed, **raw.non_default_attributes()))


def setup(app):
    app.connect("doctree-resolved", _fix)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
