"""The book's "Your own data" pages (book/own-data*.md) as a reader meets them: a short
start page whose first command works, every link into the pages' anchors resolving,
every book page a message names existing, and every exit status explained."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import nbformat
import pytest
from myst_parser.mdit_to_docutils.base import default_slugify

from d2i_examples import cli, paths
from d2i_examples.book import build as book
from d2i_examples.own_data.check import EXIT_CODES

BOOK = paths.BOOK_SOURCES
START = BOOK / "own-data.md"
OWN_PAGES = sorted(BOOK.glob("own-data*.md"))
CHECK_FAILED = BOOK / "own-data-check-failed.md"

_LABEL = re.compile(r"^\(([\w-]+)\)=[ \t]*$", re.MULTILINE)
_HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t]*$", re.MULTILINE)
_FENCE = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)
#: a link to an own-data page with a fragment, as Markdown (own-data-files.md#x) or as
#: the published page (own-data-files.html#x)
_ANCHORED = re.compile(r"(own-data[\w-]*)\.(?:md|html)#([\w-]+)")
_REF = re.compile(r"\{ref\}`(?:[^`<]*<)?([\w-]+)>?`")
#: a book page named in a message: the book page 'Title', or "Title" in the book
_NAMED_PAGE = re.compile(r"""book page ['"]([^'"]+)['"]|\\?["']([^"'\\]+)\\?["'] in the book""")


def anchors(page: Path) -> set[str]:
    """The fragments a page's HTML has: its explicit labels, and the slugs of its
    headings up to level 2 (myst_heading_anchors: 2 in _config.yml)."""
    text = _FENCE.sub("", page.read_text(encoding="utf-8"))
    slugs = {default_slugify(re.sub(r"[`*]", "", title))
             for hashes, title in _HEADING.findall(text) if len(hashes) <= 2}
    return slugs | set(_LABEL.findall(text))


def title(page: Path) -> str:
    return _HEADING.search(page.read_text(encoding="utf-8")).group(2)


def _places() -> list[tuple[str, str]]:
    """(where, text) of everything that may link into the own-data pages: the book's
    pages, the notebooks' Markdown cells and the library's source."""
    places = [(p.relative_to(paths.ROOT).as_posix(), p.read_text(encoding="utf-8"))
              for p in [*BOOK.glob("*.md"), *(BOOK / "practice").glob("*.md")]]
    for nb_path in sorted(paths.NOTEBOOKS.glob("*.ipynb")):
        nb = nbformat.read(nb_path, as_version=4)
        places.append((nb_path.name, "\n".join(c.source for c in nb.cells)))
    for source in sorted((paths.ROOT / "src").rglob("*.py")):
        places.append((source.relative_to(paths.ROOT).as_posix(),
                       source.read_text(encoding="utf-8")))
    return places


def test_every_link_into_an_own_data_page_anchor_resolves():
    """Book pages, notebooks and messages linking own-data-*.md#x or .html#x: x is a
    heading or a label of that page."""
    found = 0
    for where, text in _places():
        for page, fragment in _ANCHORED.findall(text):
            found += 1
            target = BOOK / f"{page}.md"
            assert target.is_file(), f"{where} links {page}, which the book does not have"
            assert fragment in anchors(target), (
                f"{where} links {page}#{fragment}; {page}.md has {sorted(anchors(target))}")
    assert found >= 10, "the own-data pages should link each other's sections"


def test_the_anchor_check_finds_a_missing_anchor(tmp_path):
    page = tmp_path / "own-data-x.md"
    page.write_text("# Title\n\n(a-label)=\n### Deep\n\n## Which year: 2025/26\n\n"
                    "### Too deep\n\n```text\n## not a heading\n```\n", encoding="utf-8")
    assert anchors(page) == {"title", "a-label", "which-year-202526"}


def test_every_ref_on_the_own_data_pages_has_its_label():
    labels = set().union(*(_LABEL.findall(p.read_text(encoding="utf-8"))
                           for p in BOOK.glob("*.md")))
    for page in OWN_PAGES:
        used = set(_REF.findall(page.read_text(encoding="utf-8")))
        assert used <= labels, f"{page.name}: no label {used - labels}"


def test_every_book_page_a_message_names_is_in_the_book():
    """Messages name pages by their title ("see the book page 'Settings files...'"):
    each is the title of a page the book lists, or its part before a colon."""
    titles = {title(BOOK / f"{f}.md") for f in book.toc_files() if (BOOK / f"{f}.md").is_file()}
    titles |= {t.split(":")[0] for t in titles}  # "Settings files", short for its page
    named = [(where, a or b) for where, text in _places() if where.startswith("src/")
             for a, b in _NAMED_PAGE.findall(text)]
    assert len(named) >= 3, named
    for where, name in named:
        flat = re.sub(r"\s+", " ", name)
        assert flat in titles, f"{where} names the book page {flat!r}, which is not a title"


def test_the_own_data_pages_are_in_the_book_under_the_start_page():
    listed = book.toc_files()
    for page in OWN_PAGES:
        assert page.stem in listed, f"_toc.yml does not list {page.stem}"


def test_the_check_failed_page_explains_every_exit_status():
    text = CHECK_FAILED.read_text(encoding="utf-8")
    for status in sorted(set(EXIT_CODES.values()) - {0}):
        assert re.search(rf"^\(exit-status-{status}\)=\n## {status}: ", text, re.MULTILINE), (
            f"no section for exit status {status}")
        assert f"| {{ref}}`{status} <exit-status-{status}>` |" in text, (
            f"the table does not list exit status {status}")
    assert "| 0 | all good |" in text


def _bash_commands(page: Path) -> list[str]:
    blocks = re.findall(r"```bash\n(.*?)```", page.read_text(encoding="utf-8"), re.DOTALL)
    return [line.strip() for block in blocks for line in block.splitlines() if line.strip()]


def test_a_phone_reader_meets_check_then_run_on_the_start_page():
    """The first command is the check of a data folder, within the first 45 lines (two
    phone screens), then a run; the page is short."""
    lines = START.read_text(encoding="utf-8").splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith("```bash"))
    assert first < 45, f"the first command is on line {first + 1}"
    commands = [shlex.split(c)[:4] for c in _bash_commands(START)]
    assert commands == [["uv", "run", "d2i-examples", "check"],
                        ["uv", "run", "d2i-examples", "run"]]
    assert len(lines) < 110, f"the start page has {len(lines)} lines"


@pytest.mark.parametrize("page", OWN_PAGES, ids=lambda p: p.name)
def test_the_commands_on_the_pages_are_ones_the_cli_accepts(page):
    """Every `uv run d2i-examples ...` line parses, and names an example that exists."""
    examples = {p.stem for p in paths.NOTEBOOKS.glob("*.ipynb")}
    for command in _bash_commands(page):
        words = shlex.split(command)
        if words[:3] != ["uv", "run", "d2i-examples"]:
            continue
        args = cli.build_parser().parse_args(words[3:])
        for name in getattr(args, "notebooks", None) or []:
            assert name in examples | {"NOTEBOOK"}, f"{page.name}: no example {name}"


@pytest.mark.slow
def test_the_start_pages_check_command_passes_on_a_folder_laid_out_as_shown(capsys):
    """The folder the start page draws (ssda903/2026, cin_census, annex_a, sen2) checks
    clean: the sample is laid out the same way."""
    command = _bash_commands(START)[0]
    folder = paths.SAMPLE_DATA / "clean"
    words = shlex.split(command.replace("~/Documents/d2i-data", str(folder)))
    assert cli.main(words[3:]) == 0
    assert "Everything found is there and readable" in capsys.readouterr().out
    shown = re.search(r"```text\n(.*?)```", START.read_text(encoding="utf-8"), re.DOTALL)
    for sub in ("ssda903", "ssda903/2026", "cin_census", "annex_a", "sen2"):
        assert f"{sub.rsplit('/', 1)[-1]}/" in shown.group(1), f"the page does not draw {sub}"
        assert (folder / sub).is_dir(), f"the sample has no {sub}"
