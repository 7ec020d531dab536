"""The worked examples' exercises, as learners and the book meet them.

With the solutions put back (the book's version) every exercise notebook runs
clean and every check says the answer is right; with the blanks left (the
learner's version, as Binder's postBuild writes it) every check answers in
plain words, never with a traceback, and the rest of the notebook still runs.
"""

from __future__ import annotations

import nbformat
import pytest
import yaml
from nbclient import NotebookClient

from d2i_examples import paths
from d2i_examples.book import build as book
from d2i_examples.book.exercises import exercise_cells, exercise_notebook, write_exercises

EXAMPLES = sorted(p.stem for p in paths.NOTEBOOKS.glob("*.ipynb")
                  if exercise_cells(nbformat.read(p, as_version=4)))


def _outputs_text(cell) -> str:
    return "".join(o.get("text", "") for o in cell.get("outputs", []))


def _checks(nb):
    return [c for c in nb.cells if "exercise-check" in c.metadata.get("tags", [])]


def test_six_examples_have_two_to_four_exercises_each_and_an_exercises_page():
    assert len(EXAMPLES) >= 6, EXAMPLES
    for name in EXAMPLES:
        count = len(exercise_cells(nbformat.read(paths.NOTEBOOKS / f"{name}.ipynb", 4)))
        assert 2 <= count <= 4, (name, count)
    assert sorted(book.toc_exercises()) == EXAMPLES, "each example's exercises page in _toc.yml"


def _toc_entries(node):
    """Every ``{file: ...}`` entry of _toc.yml, at any depth."""
    if isinstance(node, dict):
        if isinstance(node.get("file"), str):
            yield node
        for value in node.values():
            yield from _toc_entries(value)
    elif isinstance(node, list):
        for item in node:
            yield from _toc_entries(item)


def test_each_exercises_page_is_listed_under_its_own_title():
    """The sidebar names an exercises page as the page's heading does ("Your Annex A,
    the way Ofsted will read it (exercises)"), never by a title of its own (a slug
    such as "chat annex a" once stood there)."""
    toc = yaml.safe_load((paths.BOOK_SOURCES / "_toc.yml").read_text(encoding="utf-8"))
    entries = [e for e in _toc_entries(toc)
               if e["file"].startswith(f"notebooks/{book.EXERCISES_FOLDER}/")]
    assert sorted(e["file"].rsplit("/", 1)[1] for e in entries) == EXAMPLES
    for entry in entries:
        name = entry["file"].rsplit("/", 1)[1]
        example = nbformat.read(paths.NOTEBOOKS / f"{name}.ipynb", as_version=4)
        heading = exercise_notebook(example, name).cells[0].source.splitlines()[0]
        assert heading == f"{example.cells[0].source.splitlines()[0]} (exercises)"
        assert entry.get("title", heading[2:]) == heading[2:], (
            f"_toc.yml titles {entry['file']} {entry['title']!r}; leave the title out so "
            f"the sidebar shows the page's own heading, {heading[2:]!r}")


@pytest.mark.slow
def test_with_the_solutions_every_check_says_right(executed_notebooks):
    for name in EXAMPLES:
        nb = nbformat.read(executed_notebooks / book.EXERCISES_FOLDER / f"{name}.ipynb", 4)
        checks = _checks(nb)
        assert checks, name
        for cell in checks:
            assert _outputs_text(cell).startswith("Right: "), (name, _outputs_text(cell))


@pytest.mark.slow
@pytest.mark.parametrize("name", EXAMPLES)
def test_with_the_blanks_every_check_answers_in_plain_words(tmp_path, name):
    [path] = write_exercises([name], tmp_path)
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=600, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    for cell in _checks(nb):
        assert not [o for o in cell.outputs if o.output_type == "error"], "a traceback"
        assert _outputs_text(cell).startswith("Not yet: "), _outputs_text(cell)
    code = [c for c in nb.cells if c.cell_type == "code"]
    errors = [i for i, c in enumerate(code) if any(o.output_type == "error" for o in c.outputs)
              and "exercise-code" not in c.metadata.get("tags", [])]
    assert not errors, f"cells {errors} failed: the rest of the notebook must still run"
