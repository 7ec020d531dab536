"""Link the first use of each glossary abbreviation on every page to its entry.

Readers meet codes such as RNE, S47 or UASC on every page, notebooks included.
Rather than hand-write a link on each page (and in notebook cells, where a
Sphinx role would show as raw text in JupyterLab), this post-transform finds,
on each page, the first plain-text use of each term the glossary defines as a
code or name (``d2i_examples.book.glossary.auto_linked``: RNE, S47, CIN
census, Annex A, DfE...) and links it to the glossary entry, unless the page
already links that term itself. Text in code, links, headings, outputs and the
glossary itself is left alone.

Terms that are ordinary words ("Episode", "Care leaver") are linked by hand at
their first use, with a Markdown link to the term's anchor
(``[episodes](../glossary.md#term-Episode)``) that reads well in JupyterLab
too; this extension makes those anchors known to MyST, which otherwise only
resolves headings in ``page.md#anchor`` links. tests/test_glossary_links.py
checks every page.
"""

from __future__ import annotations

import re

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.nodes import make_refnode

from d2i_examples.book.glossary import auto_linked

GLOSSARY_DOC = "glossary"
_SKIP = (nodes.literal, nodes.literal_block, nodes.reference, nodes.title, nodes.term,
         nodes.raw, nodes.FixedTextElement, addnodes.pending_xref, nodes.target)


def _skipped(node: nodes.Node) -> bool:
    parent = node.parent
    while parent is not None:
        if isinstance(parent, _SKIP):
            return True
        if "cell_output" in parent.get("classes", []):
            return True
        parent = parent.parent
    return False


class GlossaryFirstUse(SphinxPostTransform):
    default_priority = 20  # after the references are resolved (10)

    def run(self, **kwargs) -> None:
        docname = self.env.docname
        if docname == GLOSSARY_DOC:
            return
        std = self.env.get_domain("std")
        terms = {name: place for (kind, name), place in std.objects.items()
                 if kind == "term" and place[0] == GLOSSARY_DOC and auto_linked(name)}
        if not terms:
            return
        pattern = re.compile(
            r"(?<![\w/.-])(" + "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))
            + r")(?![\w/-])")
        by_id = {labelid: name for name, (_, labelid) in terms.items()}
        linked = {by_id[ref["refuri"].rsplit("#", 1)[1]]
                  for ref in self.document.findall(nodes.reference)
                  if "#" in ref.get("refuri", "") and ref["refuri"].rsplit("#", 1)[1] in by_id}
        for text in list(self.document.findall(nodes.Text)):
            if _skipped(text) or not isinstance(text.parent, (nodes.paragraph, nodes.inline,
                                                               nodes.emphasis, nodes.strong)):
                continue
            source = str(text)
            pieces: list[nodes.Node] = []
            last = 0
            for match in pattern.finditer(source):
                term = match.group(1)
                if term in linked:
                    continue
                linked.add(term)
                pieces.append(nodes.Text(source[last:match.start()]))
                todoc, labelid = terms[term]
                child = nodes.inline(term, term, classes=["xref", "std", "std-term"])
                pieces.append(make_refnode(self.app.builder, docname, todoc, labelid, child,
                                           f"{term} in the glossary"))
                last = match.end()
            if pieces:
                pieces.append(nodes.Text(source[last:]))
                text.parent.replace(text, pieces)


def add_term_anchors(app, doctree) -> None:
    """Let ``[text](glossary.md#term-Episode)`` resolve: MyST looks the anchor
    up among the page's heading slugs, so add each glossary term's id there."""
    if app.env.docname != GLOSSARY_DOC:
        return
    slugs = app.env.metadata[GLOSSARY_DOC].setdefault("myst_slugs", {})
    for term in doctree.findall(nodes.term):
        for node_id in term["ids"]:
            slugs[node_id] = (term.line or 0, node_id, term.astext())


def setup(app):
    app.connect("doctree-read", add_term_anchors)
    app.add_post_transform(GlossaryFirstUse)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
