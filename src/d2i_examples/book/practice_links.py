"""Each worked example's way to the practice pages that use it.

The practice pages (book/practice/*.md) say which worked examples they draw on, by
linking to them. That is the one record of it: this module reads those links and
turns them round, so a worked example's page in the book ends with links to the
practice pages that use it ("which numbers matter, and what to do with them").
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat

PRACTICE = "practice"
_NOTEBOOK_LINK = re.compile(r"\]\(\.\./notebooks/([a-z0-9-]+)\.ipynb[)#]")
_TITLE = re.compile(r"^# (.+)$", re.MULTILINE)
#: How the added paragraph starts (the tests find it by this).
LEAD = "**Practice that draws on this example:**"


def practice_pages_using(book_dir: Path, listed: list[str]) -> dict[str, list[tuple[str, str]]]:
    """Worked example name -> [(practice page name, its title)] for the practice pages
    in the table of contents (``listed``) that link to it, in the contents' order."""
    using: dict[str, list[tuple[str, str]]] = {}
    for entry in listed:
        if not entry.startswith(f"{PRACTICE}/"):
            continue
        page = book_dir / f"{Path(entry).with_suffix('')}.md"
        text = page.read_text(encoding="utf-8")
        title = _TITLE.search(text)
        name = Path(entry).stem
        for notebook in dict.fromkeys(_NOTEBOOK_LINK.findall(text)):
            using.setdefault(notebook, []).append((name, title.group(1) if title else name))
    return using


def add_practice_links(notebook: Path, pages: list[tuple[str, str]]) -> None:
    """End ``notebook`` (a staged copy) with a paragraph linking to ``pages``."""
    if not pages:
        return
    nb = nbformat.read(notebook, as_version=4)
    links = ", ".join(f"[{title}](../{PRACTICE}/{name}.md)" for name, title in pages)
    cell = nbformat.v4.new_markdown_cell(
        f"{LEAD} {links}: what these numbers mean for practice, and what to do with them.")
    cell.id = "d2i-practice-links"
    nb.cells.append(cell)
    nbformat.write(nb, notebook)
