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
- In the 2026/27 rules, 709 and 710 read an Episodes column ``PLACEMENT``
  (the file's is ``PLACE``) and 706 reads last year's DoLO table without
  checking it was given (returns before 2026/27 have none): all three crash
  whenever a DoLO table is uploaded, and are reported as not run.
- An empty CSV crashes the tool's reader; we refuse it first with a DataError.

Rules that do not run fall in two kinds, kept apart in ``.rules`` and
``ValidationResult.not_checked``: rules that *crash* inside the validator (the
bugs above), and rules the validator *skips* because something they need was not
given: last year's return, an optional table (OC2, AD1...), or the Ofsted
providers lookup. The lookup is Ofsted's "Children's homes" and "Social care
providers" lists, which the tool reads into its "Provider Info" table
(``lac_validator.ingress.construct_provider_info_table``: URN, provider and
placement codes, closing date, postcode) for the rules that check an episode's
URN against the provider's registration (224, 227, 228, 229, 219, 221, 1008 in
2025/26). This wrapper does not pass the lookup, so those rules are never run
here; D2I's browser validator runs them when both lists are loaded.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from d2i_examples.datasets import years
from d2i_examples.datasets.files import EXCEL_SUFFIXES, is_empty_file, is_lock_or_hidden
from d2i_examples.datasets.ssda903 import (
    empty_optional_table,
    is_903_table,
    normalise_heading,
)
from d2i_examples.errors import DataError
from d2i_examples.settings.model import mapping_for
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
    workbook_inputs,
)
from d2i_examples.tools._quiet import import_quietly, quiet
from d2i_examples.tools.validation_result import NOT_RUN, ValidationResult

Source = str | Path | Mapping[str, pd.DataFrame]

# the validator's table names -> ours (spec/ssda903.TABLES, the 2026/27 DoLO table included)
OUR_NAMES = {validator: ours for ours, (validator, _) in TABLES.items()}
REQUIRED = ("Header", "Episodes")
THIS_YEAR, PREVIOUS_YEAR = "This year", "Prev year"  # the tool's upload descriptions

# Columns that crashing rules read but the tool's reader never creates, and the real ones.
_MISNAMED = {
    "UASC_STATUS": "UASC, which the tool's reader adds to the header table only when a "
    "UASC table is uploaded",
    "DATE_EPISODE_CEASED": "DEC",
    "PLACEMENT": "PLACE",
}
# Tables that crashing rules read without checking they were given.
_UNCHECKED_TABLES = {
    "DoLo_last": "the rule reads last year's DoLO table without checking it was given; "
    "returns before 2026/27 have no DoLO table",
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
    registry = ruleset_registry(collection_year)
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
    rules_year: int | None = None,
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
        rules_year: run this year's rules instead (None: ``collection_year``'s), for
            files of a year the tool has no rules for (before 2022/23); the
            result says so.
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
    year = _checked_year(collection_year) if rules_year is None else \
        years.stated_year(collection_year)
    registry = ruleset_registry(year if rules_year is None else rules_year)
    selected = _selected_rules(rules, registry, year)
    la = _checked_la_code(la_code)

    mapping = settings_mapping(settings)
    uploads = read_uploads(this_year, THIS_YEAR, mapping)
    _require_tables(uploads, this_year)
    if previous_year is not None:
        uploads += read_uploads(previous_year, PREVIOUS_YEAR, mapping)

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
        rules_year=rules_year,
    )


# --- inputs -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Upload:
    csv: CsvInput
    table: str  # the validator's name
    description: str  # THIS_YEAR or PREVIOUS_YEAR

    @property
    def name(self) -> str:
        # the tool picks its CSV reader by the name's extension (a workbook's sheet too)
        if self.csv.path is None:
            return f"{OUR_NAMES[self.table]}.csv"
        if self.csv.sheet_rows is not None:
            return f"{self.csv.path.stem}-{OUR_NAMES[self.table]}.csv"
        return self.csv.path.name


def settings_mapping(settings):
    """The SSDA903 column mapping of a settings file (a path or Settings), or None."""
    return mapping_for(settings, "ssda903")


def read_uploads(source: Source, description: str, mapping=None) -> list[_Upload]:
    """One year's tables as the validator's uploads: a folder's CSV files (mapped with
    ``mapping``) or frames keyed by table name; DataError for what the tool cannot read."""
    if isinstance(source, Mapping):
        return _frame_uploads(source, description)
    return _folder_uploads(source, description, mapping)


def _folder_uploads(folder: str | Path, description: str, mapping=None) -> list[_Upload]:
    what = "SSDA903 folder" + (" for the previous year" if description == PREVIOUS_YEAR else "")
    path = folder_path(folder, what)
    paths = csv_files(path)
    books = [p for p in sorted(path.iterdir()) if p.is_file() and not is_lock_or_hidden(p)
             and p.suffix.lower() in EXCEL_SUFFIXES]
    if not paths and not books:
        raise DataError(
            f"The {what} holds no CSV files or Excel workbooks.",
            file=path,
            expected="one CSV file (or .xlsx workbook) per SSDA903 table (header, episodes, ...)",
            found=", ".join(p.name for p in path.iterdir()) or "an empty folder",
            fix="Point to the folder holding the year's 903 CSV files.",
        )
    known = _tool()["config"].column_names
    columns = {c for cols in known.values() for c in cols}
    uploads, seen = [], {}
    for file, csv in _csv_inputs(paths, books, columns):
        if mapping:
            csv = mapped_csv_input(csv, mapping, {OUR_NAMES[t]: c for t, c in known.items()})
        table = next((t for t, cols in known.items() if set(cols) == set(csv.columns)), None)
        if table is None and not is_903_table(csv.columns):
            continue  # a notes sheet or stray file: passed over, as datasets.ssda903 does
        if table is None:
            _unknown_columns(csv, known)
        if table in seen:
            raise DataError(
                f"Two files hold the {OUR_NAMES[table]} table; the validator would keep only one.",
                file=file,
                expected=f"one {OUR_NAMES[table]} file",
                found=f"{seen[table]} and {Path(csv.label).name} have the same columns",
                fix="Move the extra file out of the folder.",
            )
        seen[table] = Path(csv.label).name
        uploads.append(_Upload(csv, table, description))
    return uploads


def _csv_inputs(paths: list[Path], books: list[Path], columns: set[str]):
    """(file, CsvInput) for each CSV file and each worksheet of each workbook: a workbook
    is handed to the validator as its sheets' CSV text, in memory. An empty optional
    table is left out, as datasets.ssda903 reads it."""
    for file in paths:
        try:
            yield file, read_csv_input(file)
        except DataError as err:
            if is_empty_file(err) and empty_optional_table(file):
                continue
            raise

    def score(headings):
        return sum(normalise_heading(h) in columns for h in headings)

    for book in books:
        for sheet in workbook_inputs(book, score):
            yield book, sheet


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


def ruleset_registry(collection_year: int) -> dict:
    """The validator's rules for ``collection_year``, by rule code (its own registry)."""
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
    if key in _UNCHECKED_TABLES:
        return f"{NOT_RUN}: validator bug: {_UNCHECKED_TABLES[key]}"
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
        elif code in skips and code in _CSV_SKIPS and all(
                t.lower() in present for t in tables):
            status = f"skipped: {_CSV_SKIPS[code]}"
        elif code in skips:
            status = "skipped: needs " + " and ".join(_missing_tables(tables, present))
        elif code in dones:
            status = "run"
        else:
            status = f"{NOT_RUN}: the tool did not record this rule"
        rows.append({"rule": code, "description": rule.message, "status": status, "tables": tables})
    return pd.DataFrame(rows, columns=["rule", "description", "status", "tables"])


# Rules the tool skips on a CSV upload whose tables are all there: why.
_CSV_SKIPS = {
    "105": "applies to XML returns only: it checks the header's UASC flag, and a CSV "
    "return gives UASC in its own table instead",
}
# The lookup the tool reads as its "Provider Info" table (lac_validator.ingress).
PROVIDERS_LOOKUP = (
    "Ofsted providers lookup: Ofsted's 'Children's homes' and 'Social care providers' "
    "lists (Excel), which D2I's browser validator takes in its two URN lookup boxes; "
    "this wrapper cannot pass them to the validator"
)


def _missing_tables(tables: list[str], present: set[str]) -> list[str]:
    """Readable names of the tables a skipped rule needs and the upload lacks."""
    names = {validator.lower(): f"{ours} table" for validator, ours in OUR_NAMES.items()}
    names["provider info"] = PROVIDERS_LOOKUP
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
                    "file": Path(up.csv.label).name if up is not None and up.csv.path else None,
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
