"""Papermill-compatible notebook parameters.

The code cell tagged ``parameters`` holds a notebook's defaults. Overrides go into
a new cell tagged ``injected-parameters`` placed straight after it, so the
defaults stay visible and the overrides win. Only names the parameters cell
assigns may be overridden: anything else is a typo, and an error.
"""

from __future__ import annotations

import ast
import io
import tokenize
from pathlib import Path
from typing import Any

import nbformat
import yaml

from d2i_examples.settings import plain_yaml

PARAMETERS_TAG = "parameters"
INJECTED_TAG = "injected-parameters"


class ParameterError(ValueError):
    """A parameter that the notebook does not declare, or a malformed value."""


def parse_assignment(text: str) -> tuple[str, Any]:
    """Split ``name=value`` from the command line; the value is read as YAML."""
    name, sep, value = text.partition("=")
    if not sep or not name.strip().isidentifier():
        raise ParameterError(f"-p expects name=value, got {text!r}")
    return name.strip(), plain_yaml.load(value) if value.strip() else ""


def read_params_file(path: str | Path) -> dict[str, Any]:
    """Read a YAML mapping of parameter names to values."""
    path = Path(path)
    try:
        data = plain_yaml.load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ParameterError(f"Parameters file not found: {path}") from None
    except yaml.YAMLError as err:
        raise ParameterError(f"{path} is not valid YAML: {err}") from None
    return parameters_from(data, path)


def parameters_from(data: object, path: str | Path) -> dict[str, Any]:
    """A plain parameters file's content (as read from YAML), checked: names to values."""
    if data is None:
        return {}
    if not isinstance(data, dict) or not all(isinstance(k, str) for k in data):
        raise ParameterError(f"{path} must be a mapping of parameter names to values")
    return data


def parameters_cell_index(nb: nbformat.NotebookNode) -> int | None:
    """Index of the first code cell tagged ``parameters``, or None."""
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and PARAMETERS_TAG in cell.metadata.get("tags", []):
            return index
    return None


def _assignments(nb: nbformat.NotebookNode) -> tuple[str, list[tuple[str, ast.AST, ast.AST]]]:
    """The parameters cell's source and its (name, statement, default value) assignments."""
    index = parameters_cell_index(nb)
    if index is None:
        return "", []
    source = nb.cells[index].source
    found = []
    for node in ast.parse(source).body:
        targets = []
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        found += [(t.id, node, value) for t in targets if isinstance(t, ast.Name)]
    return source, found


def declared_parameters(nb: nbformat.NotebookNode) -> dict[str, str]:
    """Names assigned in the parameters cell, with the source text of their defaults."""
    source, found = _assignments(nb)
    return {name: ast.get_source_segment(source, value) or "" for name, _, value in found}


def parameter_comments(nb: nbformat.NotebookNode) -> dict[str, str]:
    """Each parameter's trailing comment (what the reader is told it means), by name."""
    source, found = _assignments(nb)
    comments = {}
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT:
            comments[token.start[0]] = token.string.lstrip("#").strip()
    return {name: comments[node.lineno] for name, node, _ in found if node.lineno in comments}


def inject_parameters(
    nb: nbformat.NotebookNode, params: dict[str, Any], name: str = "notebook"
) -> nbformat.NotebookNode:
    """Return a copy of ``nb`` with a cell setting ``params`` after the parameters cell."""
    nb = nbformat.from_dict(nb)
    if not params:
        return nb
    index = parameters_cell_index(nb)
    if index is None:
        raise ParameterError(
            f"{name} has no cell tagged 'parameters', so it takes no parameters "
            f"(given: {', '.join(sorted(params))})"
        )
    unknown = sorted(set(params) - set(declared_parameters(nb)))
    if unknown:
        known = ", ".join(sorted(declared_parameters(nb))) or "none"
        raise ParameterError(
            f"{name} has no parameter named {', '.join(unknown)}. Its parameters are: {known}"
        )
    lines = ["# Parameters injected by d2i-examples run"]
    lines += [f"{key} = {value!r}" for key, value in params.items()]
    cell = nbformat.v4.new_code_cell("\n".join(lines), metadata={"tags": [INJECTED_TAG]})
    cell.id = INJECTED_TAG
    nb.cells.insert(index + 1, cell)
    return nb
