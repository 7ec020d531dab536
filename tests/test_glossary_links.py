"""Every glossary term a page uses is linked to its entry at its first use there.

Pages are the book's Markdown pages (book/*.md, book/practice/*.md; not the
glossary itself) and the worked examples' Markdown cells, read as text.

What counts as a *use* of a term (each name of an entry counts on its own:
``ICPC`` and ``Initial child protection conference``):

- prose only: not in code (fenced blocks, inline code), headings, HTML
  comments or tags, substitutions, nor in the text of a link to somewhere else
  (a link cannot hold another);
- at word boundaries, so ``re-referral`` is not a use of *Referral* and
  ``DataError`` is not one of *Error*;
- codes and names (``glossary.AUTO_LINKED``: RNE, S47, CIN census, DfE,
  ChAT...) match exactly, case and all, as the book's glossary_links extension
  matches them; every other term (*Episode*, *Care leaver*, *Child in need*)
  matches in any case, singular or plural (*episodes*, *children in need*,
  *section 47 enquiries*).

A use is *linked* when it is the text of a Markdown link to the term's anchor
(``[care leavers](../glossary.md#term-Care-leaver)``) or a ``{term}`` role, or,
for a code or name, when it is plain text: glossary_links links the first
plain use of each on the page when the book is built (the slow site test in
test_book_reference checks the built pages).
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from d2i_examples import paths
from d2i_examples.book import glossary

BOOK = paths.BOOK_SOURCES
PAGES = sorted(p for p in [*BOOK.glob("*.md"), *(BOOK / "practice").glob("*.md")]
               if p.name != "glossary.md")
NOTEBOOKS = sorted(paths.NOTEBOOKS.glob("*.ipynb"))

_BLOCKS = re.compile(r"^[ \t]*(```|~~~).*?^[ \t]*\1[ \t]*$|<!--.*?-->|^#{1,6}[ \t].*?$|^\([\w-]+\)=[ \t]*$",
                     re.MULTILINE | re.DOTALL)
_INLINE = re.compile(
    r"\{(?P<role>[\w:-]+)\}`(?P<role_text>[^`]*)`"                     # {term}`X`, {ref}`y`
    r"|!?\[(?P<link_text>[^\]]*)\]\((?P<url><[^>]*>|[^)\s]*)(?:\s+\"[^\"]*\")?\)"  # [text](url)
    r"|`[^`\n]*`"                                                      # inline code
    r"|<[^>\n]+>|\{\{[^}]*\}\}")                                        # HTML tags, substitutions
_GLOSSARY_URL = re.compile(r"^(?:\.\./)*glossary\.md#(term-[\w.-]+)$")


def page_text(path: Path) -> str:
    if path.suffix == ".ipynb":
        nb = nbformat.read(path, as_version=4)
        return "\n\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    return path.read_text(encoding="utf-8")


def _blank(match: re.Match) -> str:
    """The match as spaces (newlines kept), so offsets stay those of the source."""
    return re.sub(r"[^\n]", " ", match[0])


def segments(markdown: str):
    """The page's prose in order, with offsets into `markdown`: ("plain", start,
    end), ("glossary", start, end, anchor) for a link to a glossary entry,
    ("other", start, end) for any other link or role."""
    text = _BLOCKS.sub(_blank, markdown)
    last = 0
    for m in _INLINE.finditer(text):
        yield ("plain", last, m.start())
        last = m.end()
        if m["role"] == "term":
            shown = m["role_text"]
            target = shown.rsplit("<", 1)[1].rstrip(">") if "<" in shown else shown
            yield ("glossary", m.start(), m.end(), glossary.anchor(target.strip()))
        elif m["url"] is not None:
            found = _GLOSSARY_URL.match(m["url"].strip("<>"))
            yield ("glossary", m.start(), m.end(), found[1]) if found else (
                "other", m.start(), m.end())
        elif m["role"]:
            yield ("other", m.start(), m.end())
    yield ("plain", last, len(text))


def _forms(term: str) -> str:
    """A regex for a term: exact for codes and names; any case, singular or
    plural, for other terms."""
    if glossary.auto_linked(term):
        return r"\s+".join(re.escape(w) for w in term.split())
    words = [re.escape(w) for w in term.split()]
    if words[0].lower() == "child":
        words[0] = "child(?:ren)?"
    last = words[-1]
    words[-1] = last[:-1] + "(?:y|ies)" if last.endswith("y") else last + "s?"
    return "(?i:" + r"\s+".join(words) + ")"


def term_matcher(terms: list[str]) -> re.Pattern:
    ordered = sorted(terms, key=len, reverse=True)  # "CIN census" before "CIN"
    alternatives = "|".join(f"(?P<t{terms.index(t)}>{_forms(t)})" for t in ordered)
    return re.compile(rf"(?<![\w/.-])(?:{alternatives})(?![\w/-])")


def uses(markdown: str, terms: list[str]):
    """Each use of a term in the page's prose, in order: (term, start, end,
    linked), `linked` True for the text of a link to the term's entry."""
    matcher = term_matcher(terms)
    anchors = {glossary.anchor(t): t for t in terms}
    text = _BLOCKS.sub(_blank, markdown)  # code and headings as spaces
    for kind, start, end, *anchor in segments(markdown):
        if kind == "glossary" and anchor[0] in anchors:
            yield anchors[anchor[0]], start, end, True
        elif kind == "plain":
            prose = glossary.NOT_THE_TERM.sub(_blank, text[start:end])
            for m in matcher.finditer(prose):
                yield terms[int(m.lastgroup[1:])], start + m.start(), start + m.end(), False


def first_uses(markdown: str, terms: list[str]) -> dict[str, str]:
    """For each term the page uses: "linked" (its first use links to its entry),
    "auto" (a code or name in plain text, which the build links) or "unlinked"."""
    seen: dict[str, str] = {}
    for term, _, _, linked in uses(markdown, terms):
        state = "linked" if linked else "auto" if glossary.auto_linked(term) else "unlinked"
        seen.setdefault(term, state)
    return seen


def glossary_links(markdown: str) -> set[str]:
    return {rest[2] for kind, *rest in segments(markdown) if kind == "glossary"}


TERMS = glossary.terms()


@pytest.mark.parametrize("page", PAGES + NOTEBOOKS, ids=lambda p: p.name)
def test_each_term_is_linked_at_its_first_use(page):
    text = page_text(page)
    terms = [t for t in TERMS if t not in glossary.OTHER_SENSE.get(page.name, ())]
    uses = first_uses(text, terms)
    unlinked = sorted(t for t, state in uses.items() if state == "unlinked")
    assert not unlinked, (f"{page.name}: link the first use of {unlinked} to the glossary, "
                          f"e.g. [{unlinked[0].lower()}](../glossary.md#{glossary.anchor(unlinked[0])})")


@pytest.mark.parametrize("page", PAGES + NOTEBOOKS, ids=lambda p: p.name)
def test_every_glossary_link_points_at_a_term(page):
    known = {glossary.anchor(t) for t in TERMS}
    assert glossary_links(page_text(page)) <= known, glossary_links(page_text(page)) - known


def test_the_pages_and_notebooks_are_all_read():
    assert len(NOTEBOOKS) >= 10 and len(PAGES) >= 10
    assert {"own-data.md", "sources.md"} <= {p.name for p in PAGES}


def test_glossary_terms_and_anchors_are_read_from_the_page():
    entries = glossary.entries()
    assert ("ICPC", "Initial child protection conference") in entries
    assert ("Episode",) in entries and len(TERMS) == len(set(TERMS))
    assert glossary.anchor("Care leaver") == "term-Care-leaver"
    assert glossary.anchor("CIN census") == "term-CIN-census"
    assert glossary.anchor("Re-referral") == "term-Re-referral"


def test_glossary_without_the_directive_is_refused(tmp_path):
    page = tmp_path / "glossary.md"
    page.write_text("# Glossary\n", encoding="utf-8")
    with pytest.raises(ValueError, match="glossary directive"):
        glossary.entries(page)


TOY = ["Episode", "Care leaver", "Child in need", "CIN", "CIN census", "RNE", "Referral",
       "Re-referral", "Section 47 enquiry", "Error"]


@pytest.mark.parametrize(("text", "expected"), [
    ("Each episode ends.", {"Episode": "unlinked"}),
    ("Each [episode](../glossary.md#term-Episode) ends; an episode...", {"Episode": "linked"}),
    ("An episode, then [episodes](glossary.md#term-Episode).", {"Episode": "unlinked"}),
    ("{term}`Care leavers <Care leaver>` and care leavers", {"Care leaver": "linked"}),
    ("Two children in need.", {"Child in need": "unlinked"}),
    ("Three section 47 enquiries.", {"Section 47 enquiry": "unlinked"}),
    ("The CIN census and RNE.", {"CIN census": "auto", "RNE": "auto"}),
    ("cin census", {}),                                   # codes match exactly
    ("A re-referral.", {"Re-referral": "unlinked"}),      # not a use of Referral
    ("Raises DataError", {}),                             # not a use of Error
    ("`episode` in code", {}),
    ("## Episodes\n\nNo use in a heading.", {}),
    ("```python\nepisode = 1\n```", {}),
    ("[Care leavers page](practice/care-leavers.md) then [care leaver](../glossary.md#term-Care-leaver)",
     {"Care leaver": "linked"}),                          # another link's text is not a use
    ("Referral\nsource and referral", {"Referral": "unlinked"}),
])
def test_first_use_rules(text, expected):
    assert first_uses(text, TOY) == expected


def test_unknown_glossary_anchor_is_reported():
    assert glossary_links("[x](../glossary.md#term-Nope)") == {"term-Nope"}
