"""Assemble the Jupyter Book from the prose pages and the executed notebooks, then build it.

Jupyter Book never executes anything here (its build exits 0 when a notebook
fails): the runner executes, this module checks every executed copy, and Sphinx
builds with warnings as errors, so a failed notebook cannot publish silently.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from html import escape
from pathlib import Path

import nbformat
import yaml

from d2i_examples import paths
from d2i_examples.book import build_info, catalogue, codes, downloads, practice_links, screenshots
from d2i_examples.book.exercises import EXERCISES_FOLDER, write_exercises
from d2i_examples.runner import METADATA_KEY

# EXERCISES_FOLDER (from exercises.py) names the exercise versions' folder, beside the
# worked examples: notebooks/exercises/NAME in _toc.yml, and in the executed notebooks.

#: Where assemble() stages the learner's exercise versions (blanks, no solutions), which
#: build() puts in place of the book's versions as the exercises pages' downloads.
EXERCISE_DOWNLOADS = "_exercise_downloads"


class BookError(RuntimeError):
    """The book cannot be built from what is there."""


def toc_files(book_dir: Path = paths.BOOK_SOURCES) -> list[str]:
    """Every page the table of contents lists, as written there (e.g. "notebooks/x")."""
    toc = yaml.safe_load((book_dir / "_toc.yml").read_text(encoding="utf-8"))
    files: list[str] = []

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("file", "root") and isinstance(value, str):
                    files.append(value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(toc)
    return files


def _files_under(node) -> list[str]:
    """The "file" entries anywhere under a table of contents node, in order."""
    if isinstance(node, list):
        return [f for item in node for f in _files_under(item)]
    if not isinstance(node, dict):
        return []
    own = [node["file"]] if isinstance(node.get("file"), str) else []
    return own + [f for value in node.values() if isinstance(value, list | dict)
                  for f in _files_under(value)]


def toc_captions(book_dir: Path = paths.BOOK_SOURCES) -> dict[str, str]:
    """Each page the table of contents lists under a captioned part -> that caption."""
    toc = yaml.safe_load((book_dir / "_toc.yml").read_text(encoding="utf-8"))
    return {page: part["caption"] for part in toc.get("parts") or [] if part.get("caption")
            for page in _files_under(part.get("chapters") or [])}


def toc_notebooks(book_dir: Path = paths.BOOK_SOURCES) -> list[str]:
    """Names (without .ipynb) of the worked examples the table of contents lists."""
    return [Path(f).stem for f in toc_files(book_dir) if Path(f).parts[:1] == ("notebooks",)
            and len(Path(f).parts) == 2]


def toc_exercises(book_dir: Path = paths.BOOK_SOURCES) -> list[str]:
    """Names of the worked examples whose exercise version the table of contents lists
    (as ``notebooks/exercises/NAME``)."""
    return [Path(f).stem for f in toc_files(book_dir)
            if Path(f).parts[:2] == ("notebooks", EXERCISES_FOLDER)]


_IF_IN_TOC = re.compile(
    r"<!--\s*if-in-toc:\s*(?P<page>\S+?)\s*-->\n?(?P<then>.*?)"
    r"(?:<!--\s*else\s*-->\n?(?P<else>.*?))?<!--\s*end-if\s*-->\n?",
    re.DOTALL,
)


def resolve_toc_conditions(text: str, listed: list[str]) -> str:
    """Keep the right branch of each ``<!-- if-in-toc: PAGE --> ... <!-- else --> ...
    <!-- end-if -->`` block: the first when _toc.yml lists PAGE, else the second.

    Lets a prose page link an example only once it is in the book, since a link
    to a missing page is a warning, and warnings stop the build.
    """
    pages = {str(Path(p).with_suffix("")) for p in listed}

    def choose(m: re.Match) -> str:
        page = str(Path(m.group("page")).with_suffix(""))
        return m.group("then") if page in pages else (m.group("else") or "")

    return _IF_IN_TOC.sub(choose, text)


def fill_generated(text: str) -> str:
    """Put generated content where a prose page asks for it: ``<!-- gallery -->`` becomes
    the table of shared settings files (d2i_examples.settings.gallery)."""
    if "<!-- gallery -->" in text:
        from d2i_examples.settings.gallery import gallery_markdown

        text = text.replace("<!-- gallery -->", gallery_markdown().rstrip("\n"))
    return text


def check_executed(path: Path) -> None:
    """Refuse an executed copy the runner did not make, or one holding an error."""
    nb = nbformat.read(path, as_version=4)
    run = nb.metadata.get(METADATA_KEY)
    if run is None:
        raise BookError(f"{path} was not executed by d2i-examples run; run `make book` "
                        "(or `uv run d2i-examples book`)")
    own_folder = (run.get("parameters") or {}).get("data_dir")
    if run.get("data") == "local" or own_folder is not None:
        raise BookError(
            f"{path} ran on a reader's own data ({own_folder or run.get('data')}); the book "
            "only publishes notebooks run on the synthetic sample data"
        )
    if run.get("data") != "sample":
        raise BookError(
            f"{path} does not record that it ran on the synthetic sample data; run "
            "`make book` (or `uv run d2i-examples book`) to execute it again"
        )
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                raise BookError(f"{path} cell {index} holds an error: {output.get('ename')}")


def assemble(
    executed: Path = paths.EXECUTED,
    book_dir: Path = paths.BOOK_SOURCES,
    staging: Path = paths.BUILD / "book",
) -> Path:
    """Copy the prose pages and the checked executed notebooks into ``staging``.

    Prose pages have their ``if-in-toc`` blocks resolved (resolve_toc_conditions) and
    their ``<!-- catalogue: ... -->`` lines filled from book/catalogue.yml
    (catalogue.expand), and report screenshots taken (screenshots.expand); the
    glossary gets its code tables, ``_config.yml`` the version footer, and
    ``downloads/`` the files of the Downloads page (see add_generated). Each worked
    example ends with links to the practice pages that link to it (practice_links).

    An exercises page shows the executed version with its solutions (folded), so
    that it runs; the learner's version (blanks, no solutions, as Binder opens it)
    goes into ``EXERCISE_DOWNLOADS``, and build() makes it the page's download.
    """
    if staging.exists():
        shutil.rmtree(staging)
    shutil.copytree(book_dir, staging, ignore=shutil.ignore_patterns("_build"))
    listed = toc_files(book_dir)
    pages = [(name, Path(name)) for name in toc_notebooks(book_dir)]
    pages += [(f"{EXERCISES_FOLDER}/{name}", Path(EXERCISES_FOLDER) / name)
              for name in toc_exercises(book_dir)]
    used_by = practice_links.practice_pages_using(book_dir, listed)
    for label, relative in pages:
        source = executed / relative.with_suffix(".ipynb")
        if not source.is_file():
            raise BookError(f"_toc.yml lists notebooks/{label} but {source} does not exist")
        check_executed(source)
        target = staging / "notebooks" / relative.with_suffix(".ipynb")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
        practice_links.add_practice_links(target, used_by.get(label, []))
    exercises = toc_exercises(book_dir)
    learners = (write_exercises(exercises, staging / EXERCISE_DOWNLOADS, solutions=False)
                if exercises else [])  # (no names means every example to write_exercises)
    if sorted(p.stem for p in learners) != sorted(exercises):
        raise BookError(f"_toc.yml lists exercises for {', '.join(sorted(exercises))} but "
                        f"{paths.NOTEBOOKS} has exercise cells for "
                        f"{', '.join(sorted(p.stem for p in learners)) or 'none of them'}")
    # Pages last: the report screenshots are made from an executed notebook checked above.
    for page in staging.rglob("*.md"):
        text = page.read_text(encoding="utf-8")
        resolved = catalogue.expand(
            fill_generated(resolve_toc_conditions(text, listed)), listed,
            book_dir / "catalogue.yml", captions=toc_captions(book_dir)
        )
        try:
            resolved = screenshots.expand(resolved, executed, page.parent)
        except FileNotFoundError as err:
            raise BookError(str(err)) from err
        if resolved != text:
            page.write_text(resolved, encoding="utf-8")
    add_generated(staging, executed, listed)
    return staging


#: Where the glossary page wants the code tables written from spec/.
CODE_TABLES_MARKER = "<!-- code-tables -->"


def add_generated(staging: Path, executed: Path, listed: list[str],
                  info: build_info.BuildInfo | None = None) -> None:
    """Write what the library makes into the staged book.

    The footer of every page (collection year, ruleset, tool versions, build
    date) and a ``collection_year`` substitution go into ``_config.yml``; the
    code tables replace CODE_TABLES_MARKER in the glossary; the Downloads
    page's files go into ``downloads/``, when those pages are in the book.
    """
    info = info or build_info.build_info()
    config_path = staging / "_config.yml"
    config = _config(staging)
    config.setdefault("html", {})["extra_footer"] = build_info.footer_html(info)
    parse = config.setdefault("parse", {})
    parse.setdefault("myst_substitutions", {}).update(
        collection_year=info.year_label, collection_year_end=str(info.collection_year))
    config_path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True),
                           encoding="utf-8")
    pages = {str(Path(p).with_suffix("")) for p in listed}
    if "glossary" in pages:
        glossary = staging / "glossary.md"
        text = glossary.read_text(encoding="utf-8")
        if CODE_TABLES_MARKER not in text:
            raise BookError(f"{glossary} has no {CODE_TABLES_MARKER} line for the code tables")
        tables = codes.code_tables_markdown(info.collection_year)
        glossary.write_text(text.replace(CODE_TABLES_MARKER, tables), encoding="utf-8")
    if "downloads" in pages:
        downloads.write_downloads(staging / "downloads", executed, info.collection_year)


def _jupyter_book() -> str:
    """The jupyter-book script installed beside this Python (bin/ or Scripts/)."""
    here = Path(sys.executable).parent
    for name in ("jupyter-book", "jupyter-book.exe"):
        if (here / name).is_file():
            return str(here / name)
    found = shutil.which("jupyter-book")
    if found is None:
        raise BookError("jupyter-book is not installed in this environment; run `make book` "
                        "(or `uv run d2i-examples book`)")
    return found


def build(staging: Path, output_root: Path = paths.BOOK_SOURCES) -> Path:
    """Run Jupyter Book on ``staging`` with warnings as errors; return the HTML folder."""
    html = output_root / "_build" / "html"
    command = [
        _jupyter_book(), "build", str(staging), "--path-output", str(output_root),
        "--warningiserror", "--nitpick", "--keep-going", "--all", "--quiet",
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BookError(
            "Jupyter Book build failed:\n" + (result.stdout[-4000:] + result.stderr[-4000:])
        )
    _whole_home_redirect(html, _config(staging))
    _learner_downloads(staging, html)
    return html


def _learner_downloads(staging: Path, html: Path) -> None:
    """Make each exercises page's download (its ".ipynb" button, which serves Sphinx's
    copy of the page's source in _sources/) the learner's version, with the blanks.

    Sphinx copies the version the page shows, whose solutions are only folded.
    Refuses to finish a book whose exercises page would download the solutions.
    """
    served = html / "_sources" / "notebooks" / EXERCISES_FOLDER
    for page in sorted(served.glob("*.ipynb")):
        learner = staging / EXERCISE_DOWNLOADS / page.name
        if not learner.is_file():
            raise BookError(f"no learner's version of {page.name} in {learner.parent}: its "
                            "exercises page would download the solutions")
        shutil.copyfile(learner, page)


def _config(book_dir: Path) -> dict:
    """The book's ``_config.yml`` (empty when it has none)."""
    path = book_dir / "_config.yml"
    return yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else {}


def _whole_home_redirect(html: Path, config: dict) -> None:
    """Make index.html a whole page that redirects to the first page.

    Jupyter Book writes only a meta refresh there. A browser then asks the server's root
    for /favicon.ico, which is a 404 under GitHub Pages' /<repository>/. While the page
    redirects, a screen reader also meets a page with no language and no title.
    """
    index = html / "index.html"
    found = re.search(r'url=([^"\s]+)', index.read_text(encoding="utf-8"))
    if found is None:
        return
    target = found.group(1)
    # Sphinx copies the configured favicon into _static/ under its own name.
    favicon = config.get("html", {}).get("favicon")
    icon = f'<link rel="icon" href="_static/{escape(Path(favicon).name)}">\n' if favicon else ""
    index.write_text(
        '<!DOCTYPE html>\n<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(config.get('title', 'Home'))}</title>\n"
        f'<meta http-equiv="Refresh" content="0; url={target}">\n'
        f"{icon}</head>\n"
        f'<body><p><a href="{target}">Go to the first page of the book</a></p></body>\n</html>\n',
        encoding="utf-8")
