"""Tables in notebook outputs: no empty header cells, headers that can wrap.

pandas writes the corner above a DataFrame's index, and the cells beside an
index name, as empty <th> elements. A header cell with no text is announced
as a header with no name (axe: empty-table-header), so those corners become
plain empty <td> cells (d2i_examples.tables.without_empty_headers, which the
reports made by `d2i-examples run` use too).

A column named like ``pct_excluding_exceptions`` or ``CINreferralDate`` is one
unbreakable word, so a summary of a few such columns was wider than the page. A
header may now wrap after each underscore and between the words of a camelCase
name (a <wbr>, which a screen reader does not read), so summaries fit the
page's column (tests/test_book_in_browser.py measures it).
"""

import re

from docutils import nodes

from d2i_examples.tables import without_empty_headers  # the reports use it too

HEADER_TEXT = re.compile(r"(<th(?:\s[^>]*)?>)([^<]+)(</th>)")
WORD_BREAK = re.compile(r"(?<=_)(?=[^_\s])|(?<=[a-z])(?=[A-Z])")


def wrappable_headers(html: str) -> str:
    """``html`` with a line-break opportunity (<wbr>) in each header cell's text after
    each underscore and before each capital that follows a small letter, so a long
    column name can wrap. Entities (``&amp;``) hold no break."""
    def wrap(m):
        parts = re.split(r"(&[#\w]+;)", m.group(2))
        text = "".join(p if p.startswith("&") else WORD_BREAK.sub("<wbr>", p) for p in parts)
        return m.group(1) + text + m.group(3)

    return HEADER_TEXT.sub(wrap, html)


def _fix(app, doctree, docname):
    for raw in list(doctree.findall(nodes.raw)):
        if "html" in raw.get("format", "").split() and "<th" in raw.astext():
            fixed = wrappable_headers(without_empty_headers(raw.astext()))
            if fixed != raw.astext():
                raw.replace_self(nodes.raw(fixed, fixed, **raw.non_default_attributes()))


def setup(app):
    app.connect("doctree-resolved", _fix)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
