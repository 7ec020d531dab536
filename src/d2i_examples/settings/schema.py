"""The JSON Schema of settings files, generated from the settings model itself.

An editor that knows JSON Schema (VS Code with the YAML extension) reads
``settings/settings.schema.json`` through the comment on a settings file's
first line::

    # yaml-language-server: $schema=settings.schema.json

and then completes keys, column headings, codes and parameter names, and marks
mistakes as the analyst types. Everything in the schema comes from
:mod:`d2i_examples.settings.model` (the keys and what they mean, the columns and
code lists of each return) and from the worked examples' parameters cells (each
parameter's name, default and comment), so it cannot say something the model
does not. One difference is deliberate: the tool matches headings and codes
ignoring case and spacing, while the schema offers the return's own spelling.
``d2i-examples schema`` rewrites the file; a test fails when it is out of date.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any

import nbformat

from d2i_examples import paths
from d2i_examples.settings.mapping import MAPPABLE_RETURNS
from d2i_examples.settings.model import (
    _SPECS,
    ABOUT_KEYS,
    CODES_ONLY,
    DESCRIPTIONS,
    RESERVED_PARAMETERS,
    TOP_LEVEL_KEYS,
    worked_examples,
)
from d2i_examples.settings.parameters import declared_parameters, parameter_comments

SCHEMA_PATH = paths.ROOT / "settings" / "settings.schema.json"
_IDENTIFIER = r"^[A-Za-z_][A-Za-z0-9_]*$"


def notebook_parameters(notebooks: Path = paths.NOTEBOOKS) -> dict[str, dict[str, Any]]:
    """Every worked example's parameters: name -> description, default, notebooks."""
    found: dict[str, dict[str, Any]] = {}
    for path in sorted(notebooks.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        comments = parameter_comments(nb)
        for name, default in declared_parameters(nb).items():
            if name in RESERVED_PARAMETERS:
                continue
            entry = found.setdefault(name, {"descriptions": [], "defaults": [], "notebooks": []})
            entry["notebooks"].append(path.stem)
            if comments.get(name) and comments[name] not in entry["descriptions"]:
                entry["descriptions"].append(comments[name])
            try:
                entry["defaults"].append(ast.literal_eval(default))
            except (ValueError, SyntaxError):
                pass
    return found


def _json_type(value: Any) -> str:
    return {bool: "boolean", int: "number", float: "number", str: "string",
            list: "array", dict: "object", type(None): "null"}[type(value)]


def _parameter_schema(entry: dict[str, Any]) -> dict[str, Any]:
    types = sorted({_json_type(v) for v in entry["defaults"]} | {"null"})
    if "number" in types or "string" in types:
        # A date or a year may be written either way in YAML; the notebook reads both.
        types = sorted(set(types) | {"string"})
    description = " / ".join(entry["descriptions"]) or "A notebook parameter."
    return {
        "description": f"{description} (in: {', '.join(entry['notebooks'])})",
        "type": types if len(types) > 1 else types[0],
    }


def _renames(columns: list[str], what: str) -> dict[str, Any]:
    return {"type": "object", "description": DESCRIPTIONS["columns"],
            "additionalProperties": {"enum": columns, "description": what}}


def _return_schema(return_name: str) -> dict[str, Any]:
    spec = _SPECS[return_name]
    code_columns = {c: spec.code_list(c) for c in spec.columns()
                    if c not in spec.dates and spec.code_list(c)}
    codes = {c: {"type": "object", "additionalProperties": {"enum": sorted(allowed)}}
             for c, allowed in code_columns.items()}
    parts = {
        "columns": _renames(spec.columns(), f"a {spec.label} column"),
        "tables": {
            "type": "object", "description": DESCRIPTIONS["tables"],
            "additionalProperties": False,
            "properties": {t: _renames(cols, f"a column of the {spec.label} {t} table")
                           for t, cols in spec.tables.items()},
        },
        "codes": {
            "type": "object", "description": DESCRIPTIONS["codes"],
            "additionalProperties": {"type": "object",
                                     "additionalProperties": {"type": ["string", "number"]}},
            "properties": codes,
        },
    }
    if return_name in CODES_ONLY:  # element names are the DfE's: codes only
        parts = {"codes": parts["codes"]}
    return {"type": "object", "additionalProperties": False, "properties": parts}


def settings_schema(notebooks: Path = paths.NOTEBOOKS) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a settings file."""
    parameters = notebook_parameters(notebooks)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "d2i-examples settings file",
        "description": "Parameters and column mapping a council uses to run the worked "
                       "examples on its own data. It holds no data about children. "
                       "Generated by `d2i-examples schema`: do not edit by hand.",
        "type": ["object", "null"],
        "additionalProperties": False,
        "properties": {key: {"description": DESCRIPTIONS[key], **part} for key, part in {
            "description": {"type": "string"},
            "about": {
                "type": "object",
                "additionalProperties": False,
                "properties": {key: {"description": DESCRIPTIONS[f"about.{key}"], **part}
                               for key, part in _about_parts().items()},
            },
            "parameters": {
                "type": ["object", "null"],
                "propertyNames": {"pattern": _IDENTIFIER,
                                  "not": {"enum": list(RESERVED_PARAMETERS)}},
                "properties": {n: _parameter_schema(e) for n, e in sorted(parameters.items())},
            },
            "mapping": {
                "type": ["object", "null"],
                "additionalProperties": False,
                "properties": {r: _return_schema(r) for r in MAPPABLE_RETURNS},
            },
        }.items() if key in TOP_LEVEL_KEYS},
    }


def _about_parts() -> dict[str, dict[str, Any]]:
    parts = {
        "system": {"type": "string"},
        "notebooks": {"type": "array", "items": {"enum": worked_examples()}},
        "changes": {"type": "string"},
    }
    return {key: parts[key] for key in ABOUT_KEYS}


def schema_text(notebooks: Path = paths.NOTEBOOKS) -> str:
    """The schema as committed: indented JSON ending with a newline."""
    return json.dumps(settings_schema(notebooks), indent=2, ensure_ascii=False) + "\n"


def write_schema(path: Path = SCHEMA_PATH) -> Path:
    """Write the schema to ``path`` (by default settings/settings.schema.json)."""
    path.write_text(schema_text(), encoding="utf-8")
    return path
