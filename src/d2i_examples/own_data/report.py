"""The outputs of a run on a reader's own data: the executed notebook and an HTML report.

Both start with a "What ran" section: the notebook, when, the data folder, the
settings file and the parameters and column mapping as YAML, so a reader (or
the colleague they send it to) sees exactly what produced the figures. The
HTML report hides the code (nbconvert's HTMLExporter with exclude_input=True)
and loads nothing from the internet. Files are named for the notebook and the
date, and written atomically: to a temporary file in the output folder, then
renamed, so a failure never leaves half a report behind.

A report is read outside the book (sent to a colleague, opened from a shared
drive), so a notebook's links to the book's pages (``../glossary.md#term-Error``,
``checking-cin-census.ipynb``), which the book turns into links between its
pages, would lead nowhere there. The report points them at those pages on the
published book (``https://OWNER.github.io/REPO/glossary.html#term-Error``, from
``repository.url`` in book/_config.yml: a fork's reports point at its own
site). Links are underlined, so they do not rely on colour alone (WCAG 1.4.1),
the empty corner cells pandas writes above an index are not headers, and a
table wider than the window scrolls sideways in a region a keyboard can reach.
"""

from __future__ import annotations

import os
import posixpath
import re
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

import nbformat
import yaml

from d2i_examples import paths
from d2i_examples.settings.model import Settings
from d2i_examples.tables import without_empty_headers

#: Prefix of temporary files and folders in the output folder; removed on failure.
PARTIAL_PREFIX = ".d2i-partial-"
SAFETY_NOTE = (
    "This report holds figures about real children from your council's data. Keep it "
    "where your council keeps personal data, and share findings, not records: see "
    "\"Running on your own data safely\" in the book."
)

# The lab template, minus the scripts it would fetch from a CDN when opened, with
# links underlined: JupyterLab's link blue is told from the text around it by colour
# alone, at 1.86:1 (axe: link-in-text-block). An empty icon, so a browser does not
# ask the server's root for /favicon.ico (a 404 under GitHub Pages' /REPO/).
_TEMPLATE = """{%- extends 'lab/index.html.j2' -%}
{% block html_head_js_requirejs %}{% endblock %}
{% block html_head_js_mathjax %}{% endblock %}
{% block html_head_js_mermaidjs %}{% endblock %}
{% block html_head_css %}
<link rel="icon" href="data:,">
<style>
  .jp-RenderedHTMLCommon a:link, .jp-RenderedHTMLCommon a:visited { text-decoration: underline; }
  .jp-RenderedHTMLCommon a:hover, .jp-RenderedHTMLCommon a:focus { text-decoration-thickness: 2px; }
  .d2i-table { overflow-x: auto; max-width: 100%; }
  .d2i-table:focus-visible { outline: 2px solid currentColor; outline-offset: 2px; }
</style>
{% endblock %}
"""
#: Where, in the book, the notebooks' pages are: their relative links start from here.
NOTEBOOK_PAGES = "notebooks/"
_HREF = re.compile(r'(<a\s[^>]*?\bhref=")([^"]*)(")')
_TABLE = re.compile(r"<table\b.*?</table>", re.DOTALL)
_HEAD = re.compile(r"<thead\b.*?</thead>", re.DOTALL)
_HEADER_TEXT = re.compile(r"<th\b[^>]*>(.*?)</th>", re.DOTALL)


@dataclass
class RunDetails:
    """What ran: shown at the top of the executed notebook and of the report."""

    notebook: Path
    data_dir: Path
    started: datetime = field(default_factory=datetime.now)
    parameters: dict[str, Any] = field(default_factory=dict)
    settings: Settings | None = None
    checked: list[str] = field(default_factory=list)  # one line per return checked

    def markdown(self) -> str:
        rows = [
            ("Notebook", f"`{self.notebook.stem}`"),
            ("Run at", f"{self.started:%d/%m/%Y %H:%M}"),
            ("Data folder", f"`{self.data_dir}`"),
            ("Settings file", f"`{self.settings.source}`" if self.settings and
             self.settings.source else "none"),
        ]
        if self.settings and self.settings.description:
            rows.append(("Settings description", self.settings.description))
        rows += [(f"Checked: {line.split(':', 1)[0]}", line.split(":", 1)[1].strip())
                 for line in self.checked if ":" in line]
        shown = {k: v for k, v in self.parameters.items()
                 if k not in ("data_dir", "settings_file")}
        used: dict[str, Any] = {"parameters": shown} if shown else {}
        if self.settings:
            mapping = self.settings.to_dict().get("mapping")
            if mapping:
                used["mapping"] = mapping
        block = yaml.safe_dump(used, sort_keys=False, allow_unicode=True, width=100) \
            if used else "# the notebook's own defaults, no column mapping\n"
        table = "\n".join(f"| {k} | {v} |" for k, v in rows)
        header = "| What | Value |\n|---|---|\n"  # named: an empty header cell names nothing
        return (
            "## What ran\n\n"
            "Run on your own data with `d2i-examples run`.\n\n"
            + header + table + "\n\n"
            "Parameters and column mapping used:\n\n"
            "```yaml\n" + block + "```\n\n"
            f"**{SAFETY_NOTE}**\n"
        )


def with_details(nb: nbformat.NotebookNode, details: RunDetails) -> nbformat.NotebookNode:
    """A copy of ``nb`` with the "What ran" section as its first cell."""
    nb = nbformat.from_dict(nb)
    cell = nbformat.v4.new_markdown_cell(details.markdown())
    cell.id = "d2i-what-ran"
    nb.cells.insert(0, cell)
    return nb


def book_page_url(href: str, site: str, page: str = NOTEBOOK_PAGES) -> str:
    """``href``, a link in a notebook's prose, as a report read outside the book needs it.

    A relative link (``../glossary.md#term-Error``, ``checking-cin-census.ipynb``)
    names a page of the book, which the book publishes as .html: it becomes that
    page's address on the published ``site`` (``https://owner.github.io/REPO/``),
    the notebook's own page being at ``site`` + ``page``. Links with a scheme
    (https:, mailto:), links within the report (#...) and links from the
    server's root are left as they are.
    """
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path or parts.path.startswith("/"):
        return href
    path = posixpath.normpath(posixpath.join(page, parts.path))
    if path.startswith("../"):
        return href  # outside the book: nothing to point at
    stem, suffix = posixpath.splitext(path)
    if suffix in (".md", ".ipynb"):
        path = stem + ".html"
    return urljoin(site, urlunsplit(("", "", path, parts.query, parts.fragment)))


def with_book_links(html: str, site: str, page: str = NOTEBOOK_PAGES) -> str:
    """``html`` with each relative link to a page of the book made absolute (book_page_url)."""
    return _HREF.sub(lambda m: m.group(1) + book_page_url(m.group(2), site, page) + m.group(3),
                     html)


def with_scrolling_tables(html: str) -> str:
    """``html`` with each table in a region that scrolls sideways when the table is wider
    than the window (WCAG 1.4.10 Reflow), which a keyboard can reach (tabindex 0) and a
    screen reader names for the table's first columns, as the book's pages do
    (book/_static/d2i-tables.js; a report works without scripts)."""
    number = 0

    def wrap(match: re.Match) -> str:
        nonlocal number
        number += 1
        head = _HEAD.search(match.group(0))
        columns = [re.sub(r"<[^>]+>|\s+", " ", text).strip()
                   for text in _HEADER_TEXT.findall(head.group(0) if head else "")]
        columns = [c for c in columns if c]
        named = ", ".join(columns[:3]) + (" and more" if len(columns) > 3 else "")
        label = f"Table {number}" + (f" ({named})" if named else "")
        return (f'<div class="d2i-table" role="region" tabindex="0" aria-label="{label}">'
                f"{match.group(0)}</div>")

    return _TABLE.sub(wrap, html)


def html_report(nb: nbformat.NotebookNode, title: str, site: str | None = None) -> str:
    """The notebook as a standalone HTML page: outputs and prose, no code, no CDN scripts.

    Its links to the book's pages point at ``site`` (default: where the book is
    published, paths.published_site); its tables have no empty header cells and
    scroll in place (with_scrolling_tables).
    """
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        extra_loaders=[DictLoader({"d2i_report.html.j2": _TEMPLATE})],
        template_file="d2i_report.html.j2",
    )
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
    site = site or paths.published_site()[0]
    return with_scrolling_tables(with_book_links(without_empty_headers(body), site))


def output_names(out_dir: Path, stem: str, day: datetime) -> tuple[Path, Path]:
    """(executed notebook, HTML report) paths named for the notebook and the date.

    A second run on the same day gets "-2", "-3"...: nothing is overwritten.
    """
    base = f"{stem}-{day:%Y-%m-%d}"
    n = 1
    while True:
        name = base if n == 1 else f"{base}-{n}"
        ipynb, html = out_dir / f"{name}.ipynb", out_dir / f"{name}.html"
        if not ipynb.exists() and not html.exists():
            return ipynb, html
        n += 1


def _write_temp(out_dir: Path, suffix: str, data: bytes) -> Path:
    handle, name = tempfile.mkstemp(prefix=PARTIAL_PREFIX, suffix=suffix, dir=out_dir)
    try:
        with os.fdopen(handle, "wb") as f:
            f.write(data)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return Path(name)


def write_outputs(
    executed: nbformat.NotebookNode, details: RunDetails, out_dir: Path
) -> tuple[Path, Path]:
    """Write the executed notebook and its HTML report into ``out_dir``, atomically.

    Both go to temporary files in ``out_dir`` first and are renamed into place
    only when both are complete; on any failure the temporary files are removed.
    """
    nb = with_details(executed, details)
    ipynb, html = output_names(out_dir, details.notebook.stem, details.started)
    temps: list[Path] = []
    placed: list[Path] = []
    try:
        temps.append(_write_temp(out_dir, ".ipynb", nbformat.writes(nb).encode("utf-8")))
        title = f"{details.notebook.stem} ({details.started:%d/%m/%Y})"
        temps.append(_write_temp(out_dir, ".html", html_report(nb, title).encode("utf-8")))
        for temp, final in zip(temps, (ipynb, html)):
            os.replace(temp, final)
            placed.append(final)
    except BaseException:
        for path in temps + placed:
            path.unlink(missing_ok=True)
        raise
    return ipynb, html
