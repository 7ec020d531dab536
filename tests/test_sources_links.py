"""Every page that names one of the book's primary sources links it there.

The sources are the sections of book/sources.md labelled ``(source-...)=``;
a page links one with any web address that section gives for it, a link to
the section (``sources.md#source-...``) or ``{ref}`source-...```. "There"
means in the paragraph (text between blank lines) where the page first names
the source, outside code and headings. Pages are the book's Markdown pages and the worked examples'
Markdown cells, read as text.
"""

from __future__ import annotations

import re

import pytest

from d2i_examples import paths
from tests.test_glossary_links import _BLOCKS, NOTEBOOKS, _blank, page_text

BOOK = paths.BOOK_SOURCES
PAGES = sorted([*BOOK.glob("*.md"), *(BOOK / "practice").glob("*.md")])

# How a page names each source (the document, not the return it describes).
NAMES = {
    "source-working-together": r"Working Together",
    "source-care-planning": (r"Care Planning(?:, Placement and Case Review)?(?: \(England\))? "
                             r"Regulations|Promoting the health and wellbeing"),
    "source-ssda903-guide": r"\b(?:SSDA)?903 (?:and CIN census )?guides?\b",
    "source-cin-guide": r"\bCIN census guides?\b|\b903 and CIN census guides\b",
    "source-ofsted": r"Ofsted(?:'s)? (?:Annex A )?(?:template|guidance)|Annex A guidance",
    "source-children-act": r"Children Act 1989(?! guidance)",
}
# The worked examples that rest on a source, whether or not they name it.
RELIES_ON = {
    "chat-annex-a.ipynb": {"source-care-planning", "source-working-together", "source-ofsted"},
    "checking-ssda903.ipynb": {"source-ssda903-guide"},
    "checking-cin-census.ipynb": {"source-cin-guide"},
    "drift.ipynb": {"source-working-together"},
    "journeys.ipynb": {"source-ofsted"},
}
_URL = re.compile(r"\]\((https?://[^)\s]+)\)")


def source_urls() -> dict[str, set[str]]:
    """The web addresses each labelled section of sources.md gives."""
    text = (BOOK / "sources.md").read_text(encoding="utf-8")
    found = {}
    for label, body in re.findall(r"^\((source-[\w-]+)\)=\n(.*?)(?=^\(source-|^## |\Z)", text,
                                  re.MULTILINE | re.DOTALL):
        found[label] = set(_URL.findall(body))
    return found


def links_source(paragraph: str, label: str, urls: set[str]) -> bool:
    return (any(f"]({url})" in paragraph for url in urls)
            or f"sources.md#{label})" in paragraph or f"{{ref}}`{label}`" in paragraph)


def first_naming_paragraphs(text: str) -> dict[str, str]:
    """For each source the page names, the paragraph where it first does."""
    found: dict[str, str] = {}
    for paragraph in re.split(r"\n\s*\n", _BLOCKS.sub(_blank, text)):  # not code, headings
        flat = " ".join(paragraph.split())
        for label, pattern in NAMES.items():
            if label not in found and re.search(pattern, flat):
                found[label] = flat
    return found


def test_sources_page_gives_an_address_for_every_named_source():
    urls = source_urls()
    assert set(NAMES) <= set(urls), set(NAMES) - set(urls)
    assert all(urls[label] for label in NAMES), urls


@pytest.mark.parametrize("page", PAGES + NOTEBOOKS, ids=lambda p: p.name)
def test_a_page_naming_a_source_links_it_there(page):
    urls = source_urls()
    unlinked = [f"{label}: {paragraph[:120]}..."
                for label, paragraph in first_naming_paragraphs(page_text(page)).items()
                if not links_source(paragraph, label, urls[label])]
    assert not unlinked, f"{page.name} names a source without linking it: {unlinked}"


@pytest.mark.parametrize("name", sorted(RELIES_ON))
def test_examples_link_the_sources_they_rest_on(name):
    text = " ".join(page_text(paths.NOTEBOOKS / name).split())
    urls = source_urls()
    missing = {label for label in RELIES_ON[name] if not links_source(text, label, urls[label])}
    assert not missing, f"{name} does not link {missing}"


def test_an_unlinked_naming_is_caught():
    urls = source_urls()
    named = first_naming_paragraphs("Intro.\n\nSee *Working Together* (2023).\n")
    assert not links_source(named["source-working-together"], "source-working-together",
                            urls["source-working-together"])
    url = min(urls["source-working-together"])
    named = first_naming_paragraphs(f"See [Working Together]({url}).")
    assert links_source(named["source-working-together"], "source-working-together",
                        urls["source-working-together"])
