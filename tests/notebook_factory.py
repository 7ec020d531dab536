"""Build small notebooks for the runner's tests."""

from __future__ import annotations

from pathlib import Path

import nbformat


def make_notebook(path: Path, *cells: str, parameters: str | None = None) -> Path:
    """Write a notebook of code ``cells``; ``parameters`` becomes a tagged cell first."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    if parameters is not None:
        nb.cells.append(nbformat.v4.new_code_cell(parameters, metadata={"tags": ["parameters"]}))
    nb.cells += [nbformat.v4.new_code_cell(source) for source in cells]
    for index, cell in enumerate(nb.cells):
        cell.id = f"cell-{index}"
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


def outputs_text(path: Path) -> str:
    """All stream and result text of an executed notebook."""
    nb = nbformat.read(path, as_version=4)
    parts = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            parts.append(output.get("text", ""))
            parts.append(output.get("data", {}).get("text/plain", ""))
    return "".join(parts)


def stand_in_executed(folder: Path) -> Path:
    """Every page notebook the book lists, unexecuted but marked as run on the sample:
    the worked examples and their exercise versions (with solutions), for tests of the
    book's prose pages that need no real outputs."""
    from d2i_examples import paths
    from d2i_examples.book import build as book
    from d2i_examples.book.exercises import write_exercises
    from d2i_examples.runner import METADATA_KEY

    exercises = write_exercises(book.toc_exercises(), folder / book.EXERCISES_FOLDER,
                                solutions=True)
    examples = [paths.NOTEBOOKS / f"{name}.ipynb" for name in book.toc_notebooks()]
    for path in examples + exercises:
        nb = nbformat.read(path, as_version=4)
        nb.metadata[METADATA_KEY] = {"data": "sample", "parameters": {}}
        nbformat.write(nb, path if path in exercises else folder / path.name)
    return folder
