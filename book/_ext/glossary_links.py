"""Link the first use of each glossary abbreviation on every page to its entry.

Readers meet codes such as RNE, S47 or UASC on every page, notebooks included.
Rather than hand-write a link on each page (and in notebook cells, where a
Sphinx role would show as raw text in JupyterLab), this post-transform finds,
on each page, the first plain-text use of each term the glossary defines in
capitals (RNE, S47, CIN census, Annex A...) and links it to the glossary
entry. Text in code, links, headings, outputs and the glossary itself is left
alone; terms that are ordinary words ("Episode", "Error") are only linked
where a page writes {term}`...` itself.
"""

from __future__ import annotations

import re

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.nodes import make_refnode

GLOSSARY_DOC = "glossary"
# Terms written with a capitalised code: all capitals and digits, optionally
# followed by words ("CIN census", "Annex A", "S47", "OC2", "PLACE").
_LINKABLE = re.compile(r"^(?:[A-Z][A-Z0-9]+|Annex A|CIN census)(?: [a-z]+)?$")
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
                 if kind == "term" and place[0] == GLOSSARY_DOC and _LINKABLE.match(name)}
        if not terms:
            return
        pattern = re.compile(
            r"(?<![\w/.-])(" + "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))
            + r")(?![\w/-])")
        linked: set[str] = set()
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


def setup(app):
    app.add_post_transform(GlossaryFirstUse)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
