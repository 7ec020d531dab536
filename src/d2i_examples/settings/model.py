"""The settings file: the unit a council shares (notebook parameters + column mapping).

Format (YAML; every part optional; see settings/example-council.yaml and the
book page "Settings files")::

    description: Example Council, 2024/25 extract from our data warehouse
    about:                      # for a file shared in the gallery (settings/)
      system: the case management system or report the files come from
      notebooks: [chat-annex-a] # the worked examples it is written for
      changes: what it changes from the defaults, and why
    parameters:                 # notebook parameters, as in each notebook's parameters cell
      collection_year: 2025
    mapping:
      ssda903:                  # or annex_a, or sen2 (codes only; the CIN census XML
                                # needs no mapping)
        columns:                # your heading: the return's heading, in every table
          Child Ref: CHILD
        tables:                 # the same, for one table (list) only; wins over columns
          episodes:
            Start Date: DECOM
        codes:                  # for one of the return's columns: your code: the return's code
          SEX: {Male: M, Female: F}

Read with YAML 1.2 rules for plain words: only true/false are booleans ("Yes",
"No", "On" and "Off" stay text, as Annex A and council codes need) and dates
such as 2025-03-31 stay text. Every problem (an unknown key, a wrong type, a
mapping to a column or code the return does not have) is reported at once in
one SettingsError.
"""

from __future__ import annotations

import difflib
import keyword
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from d2i_examples import paths
from d2i_examples.settings import plain_yaml
from d2i_examples.settings.mapping import MAPPABLE_RETURNS, ColumnMapping, heading_key
from d2i_examples.settings.parameters import parameters_from
from d2i_examples.spec import annex_a as annex_spec
from d2i_examples.spec import sen2 as spec_sen2
from d2i_examples.spec import ssda903 as spec_903

TOP_LEVEL_KEYS = ("description", "about", "parameters", "mapping")
ABOUT_KEYS = ("system", "notebooks", "changes")
MAPPING_KEYS = ("columns", "tables", "codes")
#: What each part of a settings file means: the schema and the docs say the same.
DESCRIPTIONS = {
    "description": "A line saying whose file it is and what it fits.",
    "about": "For a file shared with other councils: who it is for and what it changes.",
    "about.system": "The case management system, report or warehouse the files come from.",
    "about.notebooks": "The worked examples this file is written for, by name.",
    "about.changes": "What the file changes from the defaults, and why.",
    "parameters": "Values for the notebooks' parameters, by name; a notebook without one "
                  "of them ignores it.",
    "mapping": "Per return, how your headings and codes map to the return's.",
    "columns": "Your heading: the return's heading, in every table.",
    "tables": "The same for one table only; wins over columns.",
    "codes": "For one of the return's columns, your code: the return's code.",
}
#: Parameters d2i-examples sets itself: not allowed in a settings file.
RESERVED_PARAMETERS = ("settings_file",)
DOCS_PAGE = "the book page 'Settings files: share parameters and column mappings'"


class SettingsError(ValueError):
    """A settings file that cannot be used, with every problem found in it."""

    def __init__(self, source: object, problems: list[str]):
        self.source = str(source)
        self.problems = list(problems)
        lines = [f"The settings file {source} cannot be used:"]
        lines += [f"  - {p}" for p in self.problems]
        lines.append(f"See {DOCS_PAGE}.")
        super().__init__("\n".join(lines))


# --- YAML --------------------------------------------------------------------------


def read_yaml(path: str | Path) -> Any:
    """A YAML file's content (see the module notes); SettingsError if unreadable."""
    path = Path(path).expanduser()
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise SettingsError(path, ["the file was not found: check the path"]) from None
    except (OSError, UnicodeDecodeError) as err:
        raise SettingsError(path, [f"the file could not be read ({err})"]) from None
    try:
        return plain_yaml.load(text)
    except yaml.YAMLError as err:
        where = getattr(err, "problem_mark", None)
        at = f" at line {where.line + 1}, column {where.column + 1}" if where else ""
        problem = getattr(err, "problem", None) or str(err)
        message = (f"it is not valid YAML{at}: {problem}. Check the indentation (spaces, "
                   "not tabs) and that a heading holding ':' or '#' is in quotes")
        raise SettingsError(path, [message]) from None


# --- what each return has ------------------------------------------------------------


@dataclass(frozen=True)
class _ReturnSpec:
    label: str
    tables: dict[str, list[str]]
    table_name: Callable[[str], str | None]
    column_key: Callable[[str], str]
    dates: set[str]
    code_list: Callable[[str], dict[str, str] | None]

    def columns(self) -> list[str]:
        return list(dict.fromkeys(c for cols in self.tables.values() for c in cols))


def _903_table(name: str) -> str | None:
    wanted = re.sub(r"[^a-z0-9]", "", name.lower())
    for ours, (validator, _) in spec_903.TABLES.items():
        if wanted in (ours.replace("_", ""), validator.lower()):
            return ours
    return None


def _annex_table(name: str) -> str | None:
    m = re.fullmatch(r"\s*list[\s_-]*(\d{1,2})\s*", name, re.IGNORECASE)
    key = f"list_{int(m.group(1))}" if m else None
    return key if key in annex_spec.LISTS else None


def _annex_key(heading: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", heading_key(heading).replace("\u2019", "'")).strip()


_SPECS = {
    "ssda903": _ReturnSpec(
        label="SSDA903",
        tables={t: cols for t, (_, cols) in spec_903.TABLES.items()},
        table_name=_903_table,
        column_key=lambda h: re.sub(r"[\s\-]+", "_", str(h).strip().upper()),
        dates=set(spec_903.DATE_COLUMNS),
        code_list=lambda c: spec_903.codes_any_year(c) if c in spec_903.CODE_COLUMNS else None,
    ),
    "annex_a": _ReturnSpec(
        label="Annex A",
        tables={key: cols for key, (_, cols) in annex_spec.LISTS.items()},
        table_name=_annex_table,
        column_key=_annex_key,
        dates={c for key in annex_spec.LISTS for c in annex_spec.date_columns(key)},
        code_list=lambda c: None,
    ),
    "sen2": _ReturnSpec(
        label="SEN2",
        tables={t: cols for t, cols in spec_sen2.TABLES.items()},
        table_name=lambda name: name if name in spec_sen2.TABLES else None,
        column_key=lambda h: str(h).strip().casefold(),
        dates=set(spec_sen2.DATE_COLUMNS),
        code_list=lambda c: next((codes for (_, col), codes in spec_sen2.CODES.items()
                                  if col == c), None),
    ),
}
#: Returns whose element names are the DfE's: only their codes may be mapped.
CODES_ONLY = ("sen2",)


# --- the settings ----------------------------------------------------------------------


@dataclass(frozen=True)
class Settings:
    """A validated settings file: its parameters and a column mapping per return."""

    source: Path | None = None
    description: str | None = None
    parameters: dict[str, Any] = field(default_factory=dict)
    mappings: dict[str, ColumnMapping] = field(default_factory=dict)
    about: dict[str, Any] = field(default_factory=dict)

    def mapping_for(self, return_name: str) -> ColumnMapping | None:
        """The mapping for one return, or None when the file has none for it."""
        mapping = self.mappings.get(return_name)
        return mapping if mapping else None

    def with_mapping(self, mapping: ColumnMapping) -> Settings:
        """A copy with ``mapping`` in place of this return's mapping."""
        return Settings(self.source, self.description, dict(self.parameters),
                        {**self.mappings, mapping.return_name: mapping}, dict(self.about))

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.description:
            out["description"] = self.description
        if self.about:
            out["about"] = dict(self.about)
        if self.parameters:
            out["parameters"] = dict(self.parameters)
        mapping = {r: m.to_dict() for r, m in self.mappings.items() if m}
        if mapping:
            out["mapping"] = mapping
        return out

    def to_yaml(self) -> str:
        """The settings as a file would hold them (empty parts left out)."""
        data = self.to_dict()
        if not data:
            return "{}\n"
        return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def is_settings_data(data: object) -> bool:
    """True for a settings file's content (a mapping with a parameters or mapping key)."""
    return isinstance(data, dict) and any(k in data for k in ("parameters", "mapping"))


def read_params(path: str | Path) -> tuple[Settings | None, dict[str, Any]]:
    """A ``--params`` file, read once: ``(settings, {})`` for a settings file, ``(None,
    parameters)`` for a plain file of parameter names and values."""
    path = Path(path).expanduser()
    content = read_yaml(path)
    if is_settings_data(content):
        return parse_settings(content, path.resolve()), {}
    return None, parameters_from(content, path)


def read_settings(path: str | Path) -> Settings:
    """Read and validate a settings file; SettingsError lists every problem."""
    path = Path(path).expanduser()
    return parse_settings(read_yaml(path), path)


def coerce_settings(value: Settings | str | Path | None) -> Settings | None:
    """A Settings from a Settings, a settings file's path, or None."""
    if value is None or isinstance(value, Settings):
        return value
    return read_settings(value)


def mapping_for(settings: Settings | str | Path | None, return_name: str) -> ColumnMapping | None:
    """The column mapping ``settings`` (a Settings, a settings file's path, or None)
    gives ``return_name``; None when there is none."""
    chosen = coerce_settings(settings)
    return chosen.mapping_for(return_name) if chosen is not None else None


def parse_settings(data: object, source: str | Path | None = None) -> Settings:
    """Validate a settings file's content (as read from YAML) into Settings."""
    label = source if source is not None else "(settings)"
    problems: list[str] = []
    if data is None:
        data = {}
    if not isinstance(data, dict):
        message = (f"it must be a set of 'key: value' lines ({', '.join(TOP_LEVEL_KEYS)}), "
                   f"not a {_type_name(data)}")
        raise SettingsError(label, [message])
    for key in data:
        if key not in TOP_LEVEL_KEYS:
            problems.append(_unknown(key, TOP_LEVEL_KEYS, "at the top level"))
    description = data.get("description")
    if description is not None and not isinstance(description, str):
        problems.append(f"description must be text, not a {_type_name(description)}")
        description = None
    about = _about(data.get("about"), problems)
    parameters = _parameters(data.get("parameters"), problems)
    mappings = _mappings(data.get("mapping"), problems)
    if problems:
        raise SettingsError(label, problems)
    return Settings(Path(source) if source is not None else None, description, parameters,
                    mappings, about)


def worked_examples() -> list[str]:
    """The worked examples' names (notebooks/*.ipynb), which about.notebooks may name."""
    return sorted(p.stem for p in paths.NOTEBOOKS.glob("*.ipynb"))


def _about(value: object, problems: list[str]) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        problems.append(f"about must hold {', '.join(ABOUT_KEYS)}, not a {_type_name(value)}")
        return {}
    out: dict[str, Any] = {}
    for key, item in value.items():
        if key not in ABOUT_KEYS:
            problems.append(_unknown(key, ABOUT_KEYS, "under about"))
        elif key == "notebooks":
            names = item if isinstance(item, list) else [item]
            known = worked_examples()
            bad = [n for n in names if not isinstance(n, str) or n not in known]
            for name in bad:
                problems.append(_unknown(name, known, "under about.notebooks",
                                         what="worked example"))
            if not bad:
                out[key] = list(names)
        elif not isinstance(item, str):
            problems.append(f"about.{key} must be text, not a {_type_name(item)}")
        else:
            out[key] = item
    return out


def _parameters(value: object, problems: list[str]) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        problems.append("parameters must be a set of 'name: value' lines, not a "
                        + _type_name(value))
        return {}
    out = {}
    for name, v in value.items():
        if not isinstance(name, str) or not name.isidentifier() or keyword.iskeyword(name):
            problems.append(f"parameters: {name!r} is not a parameter name (letters, digits "
                            "and _, as in a notebook's parameters cell)")
        elif name in RESERVED_PARAMETERS:
            problems.append(f"parameters: {name} is set by d2i-examples from the settings file "
                            "itself; remove it")
        elif not _plain(v):
            problems.append(f"parameters: {name} must be text, a number, true/false, or a "
                            f"list of those, not a {_type_name(v)}")
        else:
            out[name] = v
    return out


def _plain(value: object) -> bool:
    if value is None or isinstance(value, (str, int, float, bool)):
        return True
    if isinstance(value, list):
        return all(_plain(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain(v) for k, v in value.items())
    return False


def _mappings(value: object, problems: list[str]) -> dict[str, ColumnMapping]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        problems.append(f"mapping must hold one block per return ({', '.join(MAPPABLE_RETURNS)}),"
                        f" not a {_type_name(value)}")
        return {}
    out = {}
    for ret, block in value.items():
        if ret == "cin_census":
            problems.append("mapping: cin_census cannot be mapped: the CIN census XML uses the "
                            "DfE schema's element names and codes, which every system exports "
                            "as they are; remove this block")
        elif ret not in MAPPABLE_RETURNS:
            problems.append(_unknown(ret, MAPPABLE_RETURNS, "under mapping"))
        else:
            mapping = _return_mapping(ret, block, problems)
            if mapping is not None:
                out[ret] = mapping
    return out


def _return_mapping(ret: str, block: object, problems: list[str]) -> ColumnMapping | None:
    where = f"mapping.{ret}"
    if block is None:
        return ColumnMapping(ret)
    if not isinstance(block, dict):
        problems.append(f"{where} must hold {', '.join(MAPPING_KEYS)}, not a {_type_name(block)}")
        return None
    keys = ("codes",) if ret in CODES_ONLY else MAPPING_KEYS
    for key in block:
        if key in MAPPING_KEYS and key not in keys:
            problems.append(f"{where}.{key}: the {_SPECS[ret].label} XML names its elements "
                            "as the DfE's specification does, so only its codes can be mapped "
                            f"({where}.codes); remove this block")
        elif key not in keys:
            problems.append(_unknown(key, keys, f"under {where}"))
    if ret in CODES_ONLY:
        block = {"codes": block.get("codes")}
    spec = _SPECS[ret]
    columns = _renames(block.get("columns"), f"{where}.columns", spec.columns(), spec,
                       f"an {spec.label} column" if spec.label[0] in "AEIOU"
                       else f"a {spec.label} column", problems)
    tables: dict[str, dict[str, str]] = {}
    raw_tables = block.get("tables")
    if raw_tables is not None and not isinstance(raw_tables, dict):
        problems.append(f"{where}.tables must hold one block per table, not a "
                        + _type_name(raw_tables))
    elif raw_tables:
        for name, pairs in raw_tables.items():
            table = spec.table_name(str(name))
            if table is None:
                problems.append(_unknown(name, list(spec.tables), f"under {where}.tables",
                                         what="table"))
                continue
            tables[table] = _renames(pairs, f"{where}.tables.{name}", spec.tables[table], spec,
                                     f"a column of the {spec.label} {table} table", problems)
    codes = _codes(block.get("codes"), f"{where}.codes", spec, problems)
    return ColumnMapping(ret, columns, tables, codes)


def _renames(value: object, where: str, allowed: list[str], spec: _ReturnSpec, what: str,
             problems: list[str]) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        problems.append(f"{where} must be 'your heading: the return's heading' lines, not a "
                        + _type_name(value))
        return {}
    canonical = {spec.column_key(c): c for c in allowed}
    out = {}
    for yours, theirs in value.items():
        if not _scalar_text(yours):
            problems.append(f"{where}: {yours!r} is not a column heading (write it as text)")
            continue
        if not isinstance(theirs, str):
            problems.append(f"{where}: '{yours}' maps to {theirs!r}, which is not a column "
                            "heading (write it as text)")
            continue
        target = canonical.get(spec.column_key(theirs))
        if target is None:
            hint = difflib.get_close_matches(theirs, allowed, n=1, cutoff=0.5)
            problems.append(
                f"{where}: '{yours}' maps to '{theirs}', which is not {what}"
                + (f"; did you mean '{hint[0]}'?" if hint else
                   f". {spec.label} columns: {', '.join(allowed)}")
            )
            continue
        out[str(yours)] = target
    return out


def _codes(value: object, where: str, spec: _ReturnSpec, problems: list[str]
           ) -> dict[str, dict[str, str]]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        problems.append(f"{where} must hold one block per column, not a {_type_name(value)}")
        return {}
    columns = spec.columns()
    canonical = {spec.column_key(c): c for c in columns}
    out = {}
    for column, pairs in value.items():
        target = canonical.get(spec.column_key(str(column)))
        if target is None:
            hint = difflib.get_close_matches(str(column), columns, n=1, cutoff=0.5)
            problems.append(f"{where}: '{column}' is not {spec.label} column"
                            + (f"; did you mean '{hint[0]}'?" if hint else ""))
            continue
        if target in spec.dates:
            problems.append(f"{where}: {target} holds dates, not codes; remove it")
            continue
        if not isinstance(pairs, dict):
            problems.append(f"{where}.{column} must be 'your code: the return's code' pairs, "
                            f"not a {_type_name(pairs)}")
            continue
        allowed = spec.code_list(target)
        mapped = {}
        for yours, theirs in pairs.items():
            if not _scalar_text(yours) or not _scalar_text(theirs):
                bad = yours if not _scalar_text(yours) else theirs
                problems.append(f"{where}.{column}: {bad!r} is not a code (write codes as text, "
                                "in quotes if in doubt)")
                continue
            theirs_text = _text(theirs)
            if allowed is not None:
                match = next((c for c in allowed if c.upper() == theirs_text.upper()), None)
                if match is None:
                    problems.append(
                        f"{where}.{column}: '{_text(yours)}' maps to '{theirs_text}', which is "
                        f"not an {spec.label} {target} code ({', '.join(allowed)})"
                    )
                    continue
                theirs_text = match
            mapped[_text(yours)] = theirs_text
        out[target] = mapped
    return out


def _scalar_text(value: object) -> bool:
    return isinstance(value, (str, int, float)) and not isinstance(value, bool)


def _text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _unknown(key: object, allowed, where: str, what: str = "key") -> str:
    hint = difflib.get_close_matches(str(key), [str(a) for a in allowed], n=1, cutoff=0.6)
    return (f"unknown {what} '{key}' {where}"
            + (f"; did you mean '{hint[0]}'?" if hint else "")
            + f" (allowed: {', '.join(map(str, allowed))})")


def _type_name(value: object) -> str:
    return {dict: "set of 'key: value' lines", list: "list", str: "piece of text",
            bool: "true/false value", int: "number", float: "number",
            type(None): "blank"}.get(type(value), type(value).__name__)
