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
    """Split ``name=value`` from the command line; the value is read as YAML (Python's
    ``None`` too). :func:`typed_parameters` then fits it to the notebook's default."""
    name, sep, value = text.partition("=")
    if not sep or not name.strip().isidentifier():
        raise ParameterError(f"-p expects name=value, got {text!r}")
    value = plain_yaml.load(value) if value.strip() else ""
    return name.strip(), None if _is_none(value) else value


def _is_none(value: Any) -> bool:
    return isinstance(value, str) and value.strip().lower() in ("none", "null")


_TRUE, _FALSE = ("true", "yes", "y", "1"), ("false", "no", "n", "0")


def typed_value(name: str, value: Any, default_source: str) -> Any:
    """``value`` (as read from YAML, a command line or a settings file) fitted to the type
    of the parameter's default in the notebook: "None" is None for any parameter;
    "false"/"no" and "true"/"yes" for a True/False one; "12" for a number; 2026 as text
    for a text one. A True/False parameter given anything else is a ParameterError."""
    if value is None or _is_none(value):
        return None
    try:
        default = ast.literal_eval(default_source)
    except (ValueError, SyntaxError):
        return value  # a default that is not a plain value: nothing to follow
    text = str(value).strip().lower()
    if isinstance(default, bool):
        if isinstance(value, bool):
            return value
        if text in _TRUE + _FALSE:
            return text in _TRUE
        raise ParameterError(f"{name} takes True or False (or None), not {value!r}: e.g. "
                             f"-p {name}=False")
    if isinstance(default, (int, float)) and isinstance(value, str):
        try:  # "12" is 12; other text ("2025/26" for a year) is left to the notebook
            return int(text) if isinstance(default, int) and text.isdigit() else float(text) \
                if isinstance(default, float) else value
        except ValueError:
            return value
    if isinstance(default, str) and isinstance(value, (int, float)) \
            and not isinstance(value, bool):
        return str(value)
    return value


def typed_parameters(params: dict[str, Any], declared: dict[str, str]) -> dict[str, Any]:
    """Each of ``params`` fitted to its declared default's type (:func:`typed_value`)."""
    return {name: typed_value(name, value, declared[name]) if name in declared else value
            for name, value in params.items()}


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
    params = typed_parameters(params, declared_parameters(nb))
    lines = ["# Parameters injected by d2i-examples run"]
    lines += [f"{key} = {value!r}" for key, value in params.items()]
    cell = nbformat.v4.new_code_cell("\n".join(lines), metadata={"tags": [INJECTED_TAG]})
    cell.id = INJECTED_TAG
    nb.cells.insert(index + 1, cell)
    return nb
