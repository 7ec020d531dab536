"""Each worked example's page ends with links to the practice pages that use it
(d2i_examples/book/practice_links.py): read from the practice pages' own links, never
typed twice."""

from __future__ import annotations

import nbformat

from d2i_examples import paths
from d2i_examples.book import build as book
from d2i_examples.book.practice_links import (
    LEAD,
    add_practice_links,
    practice_pages_using,
)
from tests.test_outputs import _executed


def test_the_real_practice_pages_give_each_example_its_pages_in_contents_order():
    listed = book.toc_files()
    using = practice_pages_using(paths.BOOK_SOURCES, listed)
    assert using["ehc-plans-timeliness"] == [("send", "SEND: education, health and care plans")]
    assert using["send-children-in-need-and-care"] == using["ehc-plans-timeliness"]
    practice = [entry.split("/")[1] for entry in listed if entry.startswith("practice/")]
    names = [name for name, _ in using["chat-annex-a"]]
    assert len(names) >= 3 and names == [n for n in practice if n in names]
    for notebook, pages in using.items():  # every link is to a page that links the example
        assert f"notebooks/{notebook}" in listed
        for name, _ in pages:
            text = (paths.BOOK_SOURCES / "practice" / f"{name}.md").read_text(encoding="utf-8")
            assert f"(../notebooks/{notebook}.ipynb" in text
    assert "getting-started" not in using  # no practice page draws on it


def test_a_staged_example_ends_with_the_links_and_an_unused_one_is_left_alone(tmp_path):
    bookdir = tmp_path / "book"
    (bookdir / "practice").mkdir(parents=True)
    (bookdir / "_toc.yml").write_text(
        "format: jb-book\nroot: intro\nchapters:\n  - file: notebooks/used\n"
        "  - file: notebooks/unused\n  - file: practice/front-door\n")
    (bookdir / "intro.md").write_text("# Intro\n")
    (bookdir / "practice" / "front-door.md").write_text(
        "# The front door\n\nSee [the example](../notebooks/used.ipynb) and "
        "[again](../notebooks/used.ipynb#a-section).\n")
    (bookdir / "practice" / "draft.md").write_text(  # not in the contents: not linked
        "# Draft\n\n[Unused](../notebooks/unused.ipynb)\n")
    executed = tmp_path / "executed"
    executed.mkdir()
    run = {"parameters": {"data_dir": None}, "data": "sample"}
    for name in ("used", "unused"):
        _executed(executed / f"{name}.ipynb", run)
    staged = book.assemble(executed, bookdir, tmp_path / "staging")
    used = nbformat.read(staged / "notebooks" / "used.ipynb", as_version=4)
    assert used.cells[-1].source == (
        f"{LEAD} [The front door](../practice/front-door.md): what these numbers mean "
        "for practice, and what to do with them.")
    unused = nbformat.read(staged / "notebooks" / "unused.ipynb", as_version=4)
    assert all(LEAD not in cell.source for cell in unused.cells)
    original = nbformat.read(executed / "used.ipynb", as_version=4)
    assert all(LEAD not in cell.source for cell in original.cells)  # the run's copy untouched
    add_practice_links(staged / "notebooks" / "unused.ipynb", [])
    assert nbformat.read(staged / "notebooks" / "unused.ipynb", as_version=4) == unused
