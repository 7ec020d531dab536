"""The "Which numbers matter" pages: in the book, linked to worked examples, every figure cited."""

from __future__ import annotations

import re

import pytest

from d2i_examples import paths
from d2i_examples.book import build as book

PRACTICE = sorted((paths.BOOK_SOURCES / "practice").glob("*.md"))
AREAS = ["front-door", "child-protection", "children-in-care", "care-leavers", "send"]
# A figure: a count with a thousands separator, or a percentage.
FIGURE = re.compile(r"\b\d{1,3}(?:,\d{3})+\b|\b\d+(?:\.\d+)?%")
SOURCE = "https://explore-education-statistics.service.gov.uk/"
# A figure in words, as prose often quotes national rates ("one referral in five").
FIGURE_IN_WORDS = re.compile(
    r"\bone (?:\w+ )?in (?:two|three|four|five|six|ten)\b|\b(?:a|one|over a) (?:third|quarter|fifth)\b"
    r"|\b(?:three|four) in (?:four|five)\b",
    re.IGNORECASE,
)


def _paragraphs(text: str) -> list[str]:
    """Paragraphs and list items, each as one string."""
    blocks = re.split(r"\n\s*\n|\n(?=- )", text)
    return [b for b in blocks if b.strip()]


def test_every_area_has_a_page_in_the_book():
    listed = book.toc_files()
    for area in AREAS:
        assert f"practice/{area}" in listed
        assert (paths.BOOK_SOURCES / "practice" / f"{area}.md").is_file()


@pytest.mark.parametrize("page", [p.stem for p in PRACTICE if p.stem in AREAS])
def test_each_area_page_has_its_sections_and_links_examples_in_the_book(page):
    text = (paths.BOOK_SOURCES / "practice" / f"{page}.md").read_text(encoding="utf-8")
    for heading in ("## The numbers a team lead watches", "## The questions to ask next",
                    "## The traps", "## Worked examples that compute these numbers"):
        assert heading in text, f"{page} has no '{heading}'"
    linked = re.findall(r"\(\.\./notebooks/([\w-]+)\.ipynb\)", text)
    assert linked, f"{page} links no worked example"
    assert set(linked) <= set(book.toc_notebooks()), f"{page} links a notebook not in the book"


@pytest.mark.parametrize("page", PRACTICE, ids=lambda p: p.stem)
def test_every_figure_is_cited_to_a_dfe_release_with_its_year(page):
    text = page.read_text(encoding="utf-8")
    for paragraph in _paragraphs(text):
        if FIGURE.search(paragraph):
            assert SOURCE in paragraph, f"uncited figure in {page.name}: {paragraph[:120]!r}"
            assert re.search(r"\b20\d\d\b", paragraph), f"no year in {paragraph[:120]!r}"


def test_the_figure_check_catches_an_uncited_figure():
    uncited = "**Re-referrals.** About 22.6% of referrals nationally are re-referrals."
    cited = f"About 22.6% in 2025 ([DfE, Children in need 2025]({SOURCE}x))."
    assert FIGURE.search(uncited) and SOURCE not in uncited
    assert FIGURE.search(cited) and SOURCE in cited
    assert FIGURE.search("632,830 referrals") and not FIGURE.search("moves 5 points")
    assert FIGURE_IN_WORDS.search("roughly one referral in five is a re-referral")
    assert FIGURE_IN_WORDS.search("somewhat over a third of S47 enquiries")


def test_national_figures_in_the_worked_examples_prose_are_cited():
    import nbformat

    from d2i_examples.runner import find_notebooks

    for path in find_notebooks():
        nb = nbformat.read(path, as_version=4)
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "markdown":
                continue
            for paragraph in _paragraphs(cell.source):
                national = re.search(r"national|in England", paragraph, re.IGNORECASE)
                if national and (FIGURE.search(paragraph) or FIGURE_IN_WORDS.search(paragraph)):
                    assert SOURCE in paragraph, f"{path.name} cell {index}: {paragraph[:120]!r}"


@pytest.mark.parametrize("page", PRACTICE, ids=lambda p: p.stem)
def test_every_link_into_the_catalogue_reaches_a_tool(page):
    from d2i_examples.book import catalogue

    anchors = {t.anchor for t in catalogue.load().tools}
    for anchor in re.findall(r"find-a-tool\.md#([\w-]+)", page.read_text(encoding="utf-8")):
        assert anchor in anchors, f"{page.name} links #{anchor}, which no tool has"


def test_the_send_page_links_the_catalogues_send_tools():
    from d2i_examples.book import catalogue

    text = (paths.BOOK_SOURCES / "practice" / "send.md").read_text(encoding="utf-8")
    for tool in catalogue.load().tools:
        if "SEN2" in tool.data or "SEND Annex A" in tool.data:
            assert f"(../find-a-tool.md#{tool.anchor})" in text, tool.name
