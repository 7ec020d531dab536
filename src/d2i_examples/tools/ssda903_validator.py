"""Run D2I's SSDA903 validator (csc-validator-be-903) and tidy what it finds.

The validator is the Python package ``lac_validator`` that powers D2I's
browser tool for checking the children looked after return before it goes to
the DfE. It holds the DfE's validation rules for each collection year. This
module feeds it a reader's files (or frames) through its own CSV reader, runs
a year's ruleset with its ``LacValidator``, builds its ``Report``, and turns
the outcome into tidy frames. Nothing is written to disk.

Known faults in the installed tool, and what happens here:

- Rule 231 (all years from 2024/25) reads a Header column ``UASC_STATUS`` and
  rule 233 (2025/26 on) reads an Episodes column ``DATE_EPISODE_CEASED``. The
  tool's reader creates neither (it names the header flag ``UASC``, and the
  file column is ``DEC``), so both rules crash on every upload, with or
  without a UASC table. The tool logs the crash and carries on; we report such
  rules as ``"not run: validator bug ..."`` in ``.rules``/``.summary``.
- The 2024/25 rule 146 lists ``"k3"`` in lower case while the reader upper-cases
  every value, so every K3 placement is flagged; those rows carry a note.
- An empty CSV crashes the tool's reader; we refuse it first with a DataError.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from d2i_examples.datasets import years
from d2i_examples.errors import DataError
from d2i_examples.spec.ssda903 import TABLES
from d2i_examples.tools import _rulesets
from d2i_examples.tools._csv_input import (
    CsvInput,
    closest_table,
    csv_files,
    folder_path,
    frame_csv_bytes,
    mapped_csv_input,
    missing_columns,
    read_csv_input,
)
from d2i_examples.tools._quiet import import_quietly, quiet
from d2i_examples.tools.validation_result import NOT_RUN, ValidationResult

Source = str | Path | Mapping[str, pd.DataFrame]

# the validator's table names -> ours (spec/ssda903.TABLES), plus the 2026/27 DoLO table
OUR_NAMES = {validator: ours for ours, (validator, _) in TABLES.items()} | {"DoLo": "dolo"}
REQUIRED = ("Header", "Episodes")
THIS_YEAR, PREVIOUS_YEAR = "This year", "Prev year"  # the tool's upload descriptions

# Columns that crashing rules read but the tool's reader never creates, and the real ones.
_MISNAMED = {
    "UASC_STATUS": "UASC, which the tool's reader adds to the header table only when a "
    "UASC table is uploaded",
    "DATE_EPISODE_CEASED": "DEC",
}
_K3_NOTE = (
    "validator bug: the 2024/25 rule 146 lists 'k3' in lower case, but the tool upper-cases "
    "every value, so valid K3 placements are flagged"
)


@lru_cache(maxsize=1)
def _tool():
    """The validator's modules, imported without changing the reader's logging."""
    modules = {
        name: import_quietly(f"lac_validator.{name}")
        for name in ("lac_validator", "report", "config", "types", "rules.ruleset_utils", "rules")
    }
    modules["authorities"] = import_quietly("qlacref_authorities")
    return modules


def ssda903_collection_years() -> list[int]:
    """Collection years with a ruleset in the installed validator (2026 means 2025/26)."""
    return _rulesets.ruleset_years(_tool()["rules"], "lac")


def ssda903_rules(collection_year: int = 2026) -> pd.DataFrame:
    """Every rule in a year's ruleset: rule, description, fields, tables."""
    registry = _registry(collection_year)
    return pd.DataFrame(
        [
            {
                "rule": code,
                "description": rule.message,
                "fields": _unique(rule.affected_fields or []),
                "tables": [t for t in (rule.tables or []) if t],
            }
            for code, rule in registry.items()
        ]
    )


def validate_ssda903(
    this_year: Source,
    previous_year: Source | None = None,
    collection_year: int = 2026,
    la_code: str | None = None,
    rules: list[str] | None = None,
    settings=None,
) -> ValidationResult:
    """Check an SSDA903 return with D2I's validator and the DfE rules for ``collection_year``.

    Args:
        this_year: a folder of the year's CSV files (any file names: the tool
            recognises each table by its exact set of columns), or frames keyed
            by table name (``header``, ``episodes``, ... as in
            ``spec.ssda903.TABLES``; the validator's names such as ``Header``
            work too). Header and episodes are required.
        previous_year: the same for the previous year's return, which some
            rules compare against; optional.
        collection_year: the year the collection ends: 2026 runs the 2025/26
            rules (the tool's ``get_year_ruleset("2026")``).
        la_code: your local authority's ONS code (for example ``"E08000003"``);
            the tool uses it to mark placements in or out of your area.
        rules: rule codes to run (default: all rules of the year).
        settings: a settings file (path or Settings) whose ssda903 column
            mapping renames your headings and recodes your codes as the files
            are read, in memory (your files are not changed).

    Returns:
        A ValidationResult. ``issues`` has one row per failing rule, table,
        row and column: ``rule``, ``description``, ``year`` ("this" or
        "previous"), ``table`` (our name), ``file`` (None for frames), ``line``
        (the line in the CSV, header = line 1; NA for frames), ``row`` (the
        0-based row of the table), ``CHILD``, ``column``, ``value`` (as the
        tool read it, upper-cased) and ``note``. ``summary`` counts children
        and rows per rule. ``validator`` and ``report`` are the tool's own
        LacValidator and Report.

    Raises:
        DataError: a folder or file that cannot be read, an empty file, a CSV
            whose columns match no SSDA903 table, a missing header or episodes
            table, an unknown collection year, LA code or rule code.
    """
    tool = _tool()
    year = _checked_year(collection_year)
    registry = _registry(year)
    selected = _selected_rules(rules, registry, year)
    la = _checked_la_code(la_code)

    mapping = _mapping(settings)
    uploads = _uploads(this_year, THIS_YEAR, mapping)
    _require_tables(uploads, this_year)
    if previous_year is not None:
        uploads += _uploads(previous_year, PREVIOUS_YEAR, mapping)

    files = [
        {"name": up.name, "description": up.description, "file_content": up.csv.content}
        for up in uploads
    ]
    metadata = {"collectionYear": str(year), "localAuthority": la}
    with quiet("lac_validator") as said:
        try:
            validator = tool["lac_validator"].LacValidator(metadata, files, registry, selected)
        except tool["types"].UploadError as err:
            raise DataError(
                "The SSDA903 validator could not read the files.",
                found=str(err),
                fix="Check each file opens in Excel and has the SSDA903 column names.",
            ) from None
        report = tool["report"].Report(validator.ds_results, registry)
        crashes = _crashes(said.records)
        rule_status = _rule_status(validator, registry, selected, crashes)
        issues = _issues(report, uploads, year)
    summary = _summary(issues, rule_status)
    return ValidationResult(
        title="SSDA903 validation",
        issues=issues,
        summary=summary,
        rules=rule_status,
        collection_year=year,
        validator=validator,
        report=report,
        child_column="CHILD",
    )


# --- inputs -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Upload:
    csv: CsvInput
    table: str  # the validator's name
    description: str  # THIS_YEAR or PREVIOUS_YEAR

    @property
    def name(self) -> str:
        # the tool picks its CSV reader by the name's extension
        return self.csv.path.name if self.csv.path else f"{OUR_NAMES[self.table]}.csv"


def _mapping(settings):
    from d2i_examples.settings.model import mapping_for

    return mapping_for(settings, "ssda903")


def _uploads(source: Source, description: str, mapping=None) -> list[_Upload]:
    if isinstance(source, Mapping):
        return _frame_uploads(source, description)
    return _folder_uploads(source, description, mapping)


def _folder_uploads(folder: str | Path, description: str, mapping=None) -> list[_Upload]:
    what = "SSDA903 folder" + (" for the previous year" if description == PREVIOUS_YEAR else "")
    path = folder_path(folder, what)
    paths = csv_files(path)
    if not paths:
        raise DataError(
            f"The {what} holds no CSV files.",
            file=path,
            expected="one CSV file per SSDA903 table (header, episodes, ...)",
            found=", ".join(p.name for p in path.iterdir()) or "an empty folder",
            fix="Point to the folder holding the year's 903 CSV files.",
        )
    known = _tool()["config"].column_names
    uploads, seen = [], {}
    for file in paths:
        csv = read_csv_input(file)
        if mapping:
            csv = mapped_csv_input(csv, mapping, {OUR_NAMES[t]: c for t, c in known.items()})
        table = next((t for t, cols in known.items() if set(cols) == set(csv.columns)), None)
        if table is None:
            _unknown_columns(csv, known)
        if table in seen:
            raise DataError(
                f"Two files hold the {OUR_NAMES[table]} table; the validator would keep only one.",
                file=file,
                expected=f"one {OUR_NAMES[table]} file",
                found=f"{seen[table]} and {file.name} have the same columns",
                fix="Move the extra file out of the folder.",
            )
        seen[table] = file.name
        uploads.append(_Upload(csv, table, description))
    return uploads


def _unknown_columns(csv: CsvInput, known: dict[str, list[str]]) -> None:
    table = closest_table(csv.columns, known)
    expected = known[table]
    missing = [c for c in expected if c not in csv.columns]
    extra = [c for c in csv.columns if c not in expected]
    found = []
    if missing:
        found.append("missing " + ", ".join(missing))
    if extra:
        found.append("not in the specification: " + ", ".join(map(repr, extra)))
    raise DataError(
        "The file's columns match no SSDA903 table.",
        file=csv.path,
        expected=f"the {OUR_NAMES[table]} columns: " + ", ".join(expected),
        found="; ".join(found) or ", ".join(csv.columns),
        fix="Rename the columns to the SSDA903 names (capitals, no spaces around them), or move "
        "the file out of the folder if it is not an SSDA903 table.",
    )


def _frame_uploads(frames: Mapping[str, pd.DataFrame], description: str) -> list[_Upload]:
    known = _tool()["config"].column_names
    by_name = {ours: validator for validator, ours in OUR_NAMES.items()} | {
        validator: validator for validator in known
    }
    uploads = []
    for key, frame in frames.items():
        table = by_name.get(key)
        if table is None or table not in known:
            raise DataError(
                "Unknown SSDA903 table name.",
                found=repr(key),
                expected=", ".join(sorted(set(OUR_NAMES.values()))),
                fix="Key each frame by its table name.",
            )
        if not isinstance(frame, pd.DataFrame):
            raise DataError(
                f"The {key} table is not a pandas DataFrame.",
                found=type(frame).__name__,
                expected="a DataFrame",
            )
        columns = known[table]
        missing_columns(frame, columns, f"{key} frame", OUR_NAMES[table])
        content = frame_csv_bytes(frame, columns)
        uploads.append(
            _Upload(CsvInput(f"{key} frame", None, content, tuple(columns)), table, description)
        )
    return uploads


def _require_tables(uploads: list[_Upload], source: Source) -> None:
    present = {up.table for up in uploads}
    for table in REQUIRED:
        if table not in present:
            columns = _tool()["config"].column_names[table]
            where = "frames" if isinstance(source, Mapping) else "folder"
            found = sorted(f"{OUR_NAMES[up.table]} ({up.csv.label})" for up in uploads)
            raise DataError(
                f"The SSDA903 {where} has no {OUR_NAMES[table]} table, which the validator needs.",
                file=None if isinstance(source, Mapping) else source,
                expected=f"a {OUR_NAMES[table]} CSV with columns " + ", ".join(columns),
                found=", ".join(found) or "no tables",
                fix=f"Add the year's {OUR_NAMES[table]} table.",
            )


def _checked_year(collection_year: int) -> int:
    return years.checked(
        collection_year,
        ssda903_collection_years(),
        "The SSDA903 validator has no rules for this collection year.",
        fix="Set collection_year to the year the collection ends (31 March).",
    )


def _registry(collection_year: int) -> dict:
    year = _checked_year(collection_year)
    return _tool()["rules.ruleset_utils"].get_year_ruleset(str(year))


def _selected_rules(rules: list[str] | None, registry: dict, year: int) -> list[str] | None:
    return _rulesets.selected_rules(
        rules, registry, year, "rule", "codes from ssda903_rules(collection_year)['rule'], e.g. '101'"
    )


def _checked_la_code(la_code: str | None) -> str:
    if la_code is None:
        return ""
    codes = {rec["UTLA21CD"] for rec in _tool()["authorities"].records}
    if la_code not in codes:
        raise DataError(
            "Unknown local authority code.",
            found=repr(la_code),
            expected="an upper-tier ONS code such as 'E08000003' (Manchester)",
            fix="Use your council's ONS code (the 9-character E06/E08/E09/E10 code), or None.",
        )
    return la_code


# --- outputs ----------------------------------------------------------------------------


def _crashes(records) -> dict[str, BaseException]:
    crashes = {}
    for record in records:
        found = re.fullmatch(r"Rule code (\S+) failed to run!", record.getMessage())
        if found and record.exc_info:
            crashes[found.group(1)] = record.exc_info[1]
    return crashes


def _crash_reason(error: BaseException | None, columns: set[str]) -> str:
    if error is None:
        return f"{NOT_RUN}: the rule crashed (no reason recorded by the tool)"
    key = error.args[0] if isinstance(error, KeyError) and error.args else None
    if isinstance(key, str) and key not in columns:
        reason = _rulesets.crash_status("KeyError", error, missing_column=key)
        if key in _MISNAMED:
            reason += f" (the data has {_MISNAMED[key]})"
        return reason
    return _rulesets.crash_status(type(error).__name__, error)


def _rule_status(validator, registry: dict, selected, crashes) -> pd.DataFrame:
    columns = {c for name, df in validator.ds_results.items() if name != "metadata" for c in df}
    present = {name.lower() for name in validator.ds_results}
    dones, skips, fails = set(validator.dones), set(validator.skips), set(validator.fails)
    rows = []
    for code, rule in validator.get_rules_to_run(registry, selected).items():
        tables = [t for t in (rule.tables or []) if t]
        if code in fails:
            status = _crash_reason(crashes.get(code), columns)
        elif code in skips:
            status = "skipped: needs " + " and ".join(_missing_tables(tables, present))
        elif code in dones:
            status = "run"
        else:
            status = f"{NOT_RUN}: the tool did not record this rule"
        rows.append({"rule": code, "description": rule.message, "status": status, "tables": tables})
    return pd.DataFrame(rows, columns=["rule", "description", "status", "tables"])


def _missing_tables(tables: list[str], present: set[str]) -> list[str]:
    """Readable names of the tables a skipped rule needs and the upload lacks."""
    names = {validator.lower(): f"{ours} table" for validator, ours in OUR_NAMES.items()}
    names["provider info"] = "Ofsted providers lookup (not supported by this wrapper)"
    missing = []
    for table in tables:
        if table.lower() in present:
            continue
        base, last = table.lower().removesuffix("_last"), table.lower().endswith("_last")
        label = names.get(base, f"{table} table")
        missing.append(f"the previous year's {label}" if last else f"the {label}")
    return list(dict.fromkeys(missing)) or ["a table or lookup that was not supplied"]


ISSUE_COLUMNS = [
    "rule",
    "description",
    "year",
    "table",
    "file",
    "line",
    "row",
    "CHILD",
    "column",
    "value",
    "note",
]


def _issues(report, uploads: list[_Upload], year: int) -> pd.DataFrame:
    if not report.error_cols:
        return _typed_issues(pd.DataFrame(columns=ISSUE_COLUMNS))
    child_report = report.child_report
    by_table = {
        up.table + ("_last" if up.description == PREVIOUS_YEAR else ""): up for up in uploads
    }
    rows = []
    for item in child_report.itertuples(index=False):
        up = by_table.get(item.Table)
        base = item.Table.removesuffix("_last")
        if up is not None and up.csv.path is not None:
            lines = up.csv.row_lines  # worked out once per file, not once per issue
            line = lines[item.RowID] if item.RowID < len(lines) else None
        else:
            line = None
        context = item.Context if isinstance(item.Context, dict) else {}
        fields = [f for f in _unique(item.Fields or []) if f in context] or [None]
        for field in fields:
            value = context.get(field) if field else None
            note = ""
            if year == 2025 and item.Code == "146" and value == "K3":
                note = _K3_NOTE
            rows.append(
                {
                    "rule": item.Code,
                    "description": item.Description,
                    "year": "previous" if item.Table.endswith("_last") else "this",
                    "table": OUR_NAMES.get(base, base),
                    "file": up.csv.path.name if up is not None and up.csv.path else None,
                    "line": line,
                    "row": item.RowID,
                    "CHILD": item.CHILD,
                    "column": field,
                    "value": None if value is None or pd.isna(value) else str(value),
                    "note": note,
                }
            )
    issues = pd.DataFrame(rows, columns=ISSUE_COLUMNS)
    issues = issues.sort_values(
        ["year", "CHILD", "table", "row", "rule", "column"], ignore_index=True, key=_sort_key
    )
    return _typed_issues(issues)


def _typed_issues(issues: pd.DataFrame) -> pd.DataFrame:
    issues = issues.astype({"line": "Int64", "row": "Int64"})
    for col in ("rule", "description", "year", "table", "file", "CHILD", "column", "value", "note"):
        issues[col] = issues[col].astype(object)
    return issues


def _sort_key(col: pd.Series) -> pd.Series:
    return col if col.name in ("line", "row") else col.astype(str)


def _summary(issues: pd.DataFrame, rule_status: pd.DataFrame) -> pd.DataFrame:
    where = issues["year"] + "|" + issues["table"] + "|" + issues["row"].astype(str)
    return _rulesets.summary(
        issues,
        rule_status,
        where=where,
        child_column="CHILD",
        note=lambda s: next((n for n in s if n), ""),
    )


def _unique(items) -> list:
    return list(dict.fromkeys(items))


# --- the files as the validator reads them, and one child's rows in them ------------------


def read_ssda903_files(source: Source, settings=None) -> dict[str, pd.DataFrame]:
    """A year's SSDA903 tables exactly as ``validate_ssda903`` hands them to the validator.

    ``source`` is what ``validate_ssda903`` takes for one year: a folder of CSV
    files (any names; each table recognised by its exact set of columns) or
    frames keyed by table name. Unlike ``datasets.load``, nothing is parsed or
    checked beyond what the validator needs to read the files, so a return with
    impossible dates or wrong codes still reads: every value is text as in the
    file (blank as ""), after the ``settings`` file's column mapping if one is
    given (as ``validate_ssda903``). Keys are our table names (``spec.ssda903.TABLES``); each
    frame starts with ``line`` (the line in the CSV, header = line 1; NA for
    frames), and its index is the row the validator reports (``issues["row"]``).

    Raises:
        DataError: as ``validate_ssda903`` for a folder it cannot read.
    """
    from io import BytesIO

    tables = {}
    for upload in _uploads(source, THIS_YEAR, _mapping(settings)):
        csv = upload.csv
        frame = pd.read_csv(BytesIO(csv.content), dtype=str, keep_default_na=False)
        lines = csv.row_lines if csv.path is not None else [pd.NA] * len(frame)
        frame.insert(0, "line", pd.array(lines[: len(frame)], dtype="Int64"))
        tables[OUR_NAMES[upload.table]] = frame
    order = list(OUR_NAMES.values())
    return dict(sorted(tables.items(), key=lambda item: order.index(item[0])))


def child_rows(
    result: ValidationResult,
    child: str,
    tables: Mapping[str, pd.DataFrame],
    previous_tables: Mapping[str, pd.DataFrame] | None = None,
    columns: str = "all",
) -> dict[str, pd.DataFrame]:
    """One child's rows in every table where the validator flagged them.

    For each table with an issue for ``child`` in ``result.issues``: all of
    the child's rows of that table, from ``tables`` (this year's, keyed by our
    table names, best from ``read_ssda903_files`` of the folder validated) or,
    for issues in last year's return, from ``previous_tables`` (left out when
    None). Keys are table names, with " (previous year)" for last year's.

    When a flagged rule compares this year with last year (it reads the
    previous year's copy of the table, as rules 202 and 203 do) and
    ``previous_tables`` is given, the child's rows of last year's table are
    shown too, their ``rules`` reading "compared by ...".

    Each frame's index is the table's row (0-based, as ``issues["row"]``); it
    starts with ``line`` (the CSV line: from the table when it has a ``line``
    column, else the line the validator reported for flagged rows, NA for the
    others) and ``rules`` (the rules flagging the row, blank if none).

    ``columns="flagged"`` keeps, after those two, only ``CHILD``, the column
    saying which event a row is (``ROW_EVENT_COLUMNS``: DECOM, REVIEW...) and
    the columns flagged in that table: narrow enough for a page.

    Raises:
        DataError: the child has no issues, or a flagged row of ``tables`` is
            another child's (the tables are not the ones that were validated).
        ValueError: ``columns`` is neither "all" nor "flagged".
    """
    if columns not in ("all", "flagged"):
        raise ValueError(f'columns must be "all" or "flagged", not {columns!r}')
    issues = result.issues[result.issues["CHILD"] == child]
    if issues.empty:
        raise DataError(
            "The validator flagged nothing for this child.",
            column="CHILD",
            found=repr(child),
            expected="a CHILD from result.issues['CHILD']",
        )
    out = {}
    for (year, table), flagged in issues.groupby(["year", "table"], sort=False):
        frames = tables if year == "this" else previous_tables
        if frames is None or table not in frames:
            continue
        frame = frames[table]
        rows = flagged.groupby("row").agg(
            reported=("line", "first"), rules=("rule", lambda s: ", ".join(dict.fromkeys(s)))
        )
        wrong = [r for r in rows.index if r not in frame.index or frame.at[r, "CHILD"] != child]
        if wrong:
            raise DataError(
                f"The {table} table given is not the one the validator read.",
                column="CHILD",
                found=f"row {wrong[0]} is not {child}'s",
                expected=f"the same {year} year's {table} table that was validated",
                fix="Pass read_ssda903_files() of the folder that was validated.",
            )
        shown = frame[frame["CHILD"] == child].join(rows, how="left")
        if "line" not in frame:
            shown["line"] = shown["reported"]
        shown["line"] = shown["line"].astype("Int64")
        shown["rules"] = shown["rules"].fillna("")
        shown.index.name = "row"
        key = table if year == "this" else table + LAST_YEARS
        out[key] = shown[["line", "rules", *(c for c in frame.columns if c != "line")]]
    if previous_tables is not None:
        _add_compared(out, issues, child, previous_tables, result.collection_year)
    if columns == "flagged":
        out = {key: _flagged_columns(frame, issues[issues["table"] == key.removesuffix(LAST_YEARS)])
               for key, frame in out.items()}
    return out


#: What child_rows adds to a table's name for the rows of last year's return.
LAST_YEARS = " (previous year)"

#: The column that says which event a row of a table is: a reader needs it beside the
#: flagged values to tell one episode (review, missing spell...) from another.
ROW_EVENT_COLUMNS = ("DECOM", "REVIEW", "MIS_START", "DATE_PLACED", "DATE_INT")


def _flagged_columns(frame: pd.DataFrame, flagged: pd.DataFrame) -> pd.DataFrame:
    """``frame`` in line, rules, CHILD, its event column and the columns ``flagged`` names."""
    named = set(flagged["column"].dropna().astype(str))
    keep = ["line", "rules", "CHILD",
            *(c for c in frame.columns if c in ROW_EVENT_COLUMNS or c in named)]
    return frame[list(dict.fromkeys(keep))]


def _add_compared(out: dict, issues: pd.DataFrame, child: str, previous_tables, year: int):
    """Last year's rows of the child for flagged rules that read last year's table."""
    registry = _registry(year)
    validator_names = {ours: validator for validator, ours in OUR_NAMES.items()}
    for table, flagged in issues[issues["year"] == "this"].groupby("table", sort=False):
        last = f"{validator_names.get(table, table)}_last".lower()
        comparing = [
            rule for rule in dict.fromkeys(flagged["rule"])
            if rule in registry and last in [t.lower() for t in registry[rule].tables or [] if t]
        ]
        key = table + LAST_YEARS
        if not comparing or key in out or table not in previous_tables:
            continue
        frame = previous_tables[table]
        shown = frame[frame["CHILD"] == child].copy()
        if "line" not in shown:
            shown.insert(0, "line", pd.NA)
        shown["line"] = shown["line"].astype("Int64")
        shown.insert(1, "rules", "compared by " + ", ".join(comparing))
        shown.index.name = "row"
        out[key] = shown[["line", "rules", *(c for c in frame.columns if c != "line")]]
