"""The book: built by Jupyter Book from the runner's executed notebooks, never from failures."""

from __future__ import annotations

import re
import shutil

import nbformat
import pytest

from d2i_examples import paths
from d2i_examples.book import build as book
from d2i_examples.runner import find_notebooks, run_notebooks
from tests.notebook_factory import make_notebook


@pytest.fixture(scope="module")
def executed(executed_notebooks):
    """Every notebook in notebooks/, executed by the runner as `make book` does (conftest)."""
    return executed_notebooks


@pytest.mark.slow
def test_book_builds_from_executed_notebooks_with_every_page(built_book):
    html = built_book
    # The home page redirects to the first page, as a whole page: its language, a title
    # and the book's icon (else a browser asks the server's root for /favicon.ico).
    home = (html / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en-GB">' in home and "<title>D2I worked examples</title>" in home
    assert 'url=intro.html"' in home and '<link rel="icon" href="_static/favicon.svg">' in home
    assert (html / "_static" / "favicon.svg").is_file()
    for name in book.toc_notebooks():
        page = html / "notebooks" / f"{name}.html"
        assert page.is_file(), f"no page for {name}"
        text = page.read_text(encoding="utf-8")
        title = next(
            c.source.splitlines()[0].lstrip("# ")
            for c in nbformat.read(paths.NOTEBOOKS / f"{name}.ipynb", as_version=4).cells
            if c.cell_type == "markdown"
        )
        assert title.split(":")[0] in text
        assert "mybinder.org/v2/gh/" in text, "no Binder launch button"
        # ... which opens the commit built, not main (tests/test_launch_links.py)
        assert f"/v2/gh/d2i-examples/d2i-examples/{paths.launch_ref()[0]}?urlpath=" in text
        assert 'class="cell_output' in text, "page shows no executed output"
    # a worked example leads on to the practice pages that draw on it (practice_links)
    send = (html / "notebooks" / "ehc-plans-timeliness.html").read_text(encoding="utf-8")
    lead = re.search(r"<p><strong>Practice that draws on this example:</strong>(.*?)</p>", send)
    assert lead and re.findall(r'href="([^"]+)"', lead.group(1)) == ["../practice/send.html"]
    start = (html / "notebooks" / "getting-started.html").read_text(encoding="utf-8")
    assert "Practice that draws on this example" not in start  # no practice page uses it
    # the sidebar's arrows and title block are named in the HTML itself (_ext/theme_sidebar.py)
    for page in html.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        if "bd-sidenav" in text:
            assert "<summary>" not in text, f"{page.name}: a sidebar arrow has no name"
            assert 'role="navigation" aria-label="Book home"' in text, page.name
    assert '<summary aria-label="Pages under Getting started: one child in three returns">' in start


@pytest.mark.slow
def test_built_book_has_the_pages_footer_codes_and_downloads(built_book):
    """Sphinx built the book with warnings as errors (so every {term} and {ref}
    resolved); every page carries the footer and the downloads are served."""
    from d2i_examples.book import build_info, downloads
    from tests.test_book_reference import REFERENCE_PAGES

    html = built_book
    footer = build_info.footer_html(build_info.build_info())
    pages = [p for p in html.rglob("*.html")
             if not p.relative_to(html).parts[0].startswith("_") and p.name != "index.html"]
    assert len(pages) >= len(book.toc_files()) - 1
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert "d2i-build-info" in text, f"{page.name} has no version footer"
    assert footer.split(" Built ")[0] in (html / "glossary.html").read_text(encoding="utf-8")
    for name in REFERENCE_PAGES:
        assert (html / f"{name}.html").is_file()
    glossary = (html / "glossary.html").read_text(encoding="utf-8")
    assert 'id="codes-rc"' in glossary and "RC9" in glossary
    served = {p.name for p in (html / "_downloads").rglob("*") if p.is_file()}
    assert set(downloads.DOWNLOAD_NAMES) <= served
    assert "/issues/new" in (html / "setup.html").read_text(encoding="utf-8")
    # glossary_links: each page's first plain-text use of a code links to its entry, once
    cin_page = (html / "notebooks" / "checking-cin-census.html").read_text(encoding="utf-8")
    assert cin_page.count('href="../glossary.html#term-S47"') == 1
    assert cin_page.count('href="../glossary.html#term-ICPC"') == 1
    assert 'title="S47 in the glossary"' in cin_page
    # terms linked by hand ([queries](../glossary.md#term-Query)) resolve to the entry, once
    assert cin_page.count('href="../glossary.html#term-Query"') == 1
    assert cin_page.count('href="../glossary.html#term-Section-47-enquiry"') == 1
    assert ' in the glossary"' not in glossary, "the glossary's own text is left alone"


@pytest.mark.slow
def test_notebooks_folder_is_left_untouched(executed):
    for path in find_notebooks():
        nb = nbformat.read(path, as_version=4)
        assert not any(c.get("outputs") for c in nb.cells if c.cell_type == "code")


@pytest.mark.slow
def test_book_refuses_a_notebook_the_runner_did_not_execute(executed, tmp_path):
    copy = tmp_path / "executed"
    shutil.copytree(executed, copy)
    name = book.toc_notebooks()[0]
    shutil.copy(paths.NOTEBOOKS / f"{name}.ipynb", copy / f"{name}.ipynb")
    with pytest.raises(book.BookError, match="not executed by d2i-examples run"):
        book.assemble(copy, paths.BOOK_SOURCES, tmp_path / "staging")


def test_book_refuses_a_notebook_holding_an_error(tmp_path):
    out = tmp_path / "executed"
    bad = make_notebook(tmp_path / "src" / "bad.ipynb", "raise KeyError('CHILD')")
    [outcome] = run_notebooks([bad], out, progress=None, inputs_root=tmp_path)
    assert outcome.status == "failed"
    with pytest.raises(book.BookError, match="cell 0 holds an error: KeyError"):
        book.check_executed(outcome.output)


def test_book_refuses_a_notebook_run_on_local_data(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.metadata["d2i_examples"] = {"parameters": {}, "data": "local"}
    path = tmp_path / "local.ipynb"
    nbformat.write(nb, path)
    with pytest.raises(book.BookError, match="reader's own data"):
        book.check_executed(path)


def test_book_refuses_a_toc_entry_without_an_executed_notebook(tmp_path):
    empty = tmp_path / "executed"
    empty.mkdir()
    with pytest.raises(book.BookError, match="does not exist"):
        book.assemble(empty, paths.BOOK_SOURCES, tmp_path / "staging")


def test_make_book_stops_with_a_report_when_a_notebook_raises(tmp_path, monkeypatch, capsys):
    from d2i_examples import cli

    folder = tmp_path / "notebooks"
    make_notebook(folder / "fine.ipynb", "print('ok')")
    make_notebook(folder / "broken.ipynb", "rows = 3", "import pandas as pd\npd.read_csv('nope.csv')")
    monkeypatch.setattr(paths, "NOTEBOOKS", folder)
    monkeypatch.setattr(paths, "EXECUTED", tmp_path / "executed")
    monkeypatch.setattr(paths, "BOOK_SOURCES", tmp_path / "book-never-built")
    assert cli.main(["book", "--timeout", "60"]) == 1
    err = capsys.readouterr().err
    assert "FAILED broken.ipynb" in err and "cell 1" in err and "FileNotFoundError" in err
    assert "pd.read_csv('nope.csv')" in err
    assert "The book was not built" in err
    assert not (tmp_path / "book-never-built").exists()
