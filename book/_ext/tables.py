"""Tables in notebook outputs: no empty header cells.

pandas writes the corner above a DataFrame's index, and the cells beside an
index name, as empty <th> elements. A header cell with no text is announced
as a header with no name (axe: empty-table-header), so those corners become
plain empty <td> cells. Header cells with text are untouched.
"""

import re

from docutils import nodes

EMPTY_HEADER = re.compile(r"<th(\s[^>]*)?>\s*(?:&nbsp;)?\s*</th>")


def without_empty_headers(html: str) -> str:
    """``html`` with every empty <th> (or one holding only &nbsp;) made an empty <td>."""
    return EMPTY_HEADER.sub(lambda m: f"<td{m.group(1) or ''}></td>", html)


def _fix(app, doctree, docname):
    for raw in list(doctree.findall(nodes.raw)):
        if "html" in raw.get("format", "").split() and "<th" in raw.astext():
            fixed = without_empty_headers(raw.astext())
            if fixed != raw.astext():
                raw.replace_self(nodes.raw(fixed, fixed, **raw.non_default_attributes()))


def setup(app):
    app.connect("doctree-resolved", _fix)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
