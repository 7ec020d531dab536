"""A year's SSDA903 files exactly as the validator reads them, and one child's rows in them.

``validate_ssda903`` (tools/ssda903_validator.py) reports issues by table and row;
these functions put a reader back in front of the rows themselves: every value as
text, as in the file, with the line it stands on.
"""

from __future__ import annotations

from collections.abc import Mapping
from io import BytesIO

import pandas as pd

from d2i_examples.errors import DataError
from d2i_examples.tools.ssda903_validator import (
    OUR_NAMES,
    THIS_YEAR,
    Source,
    read_uploads,
    ruleset_registry,
    settings_mapping,
)
from d2i_examples.tools.validation_result import ValidationResult


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
    tables = {}
    for upload in read_uploads(source, THIS_YEAR, settings_mapping(settings)):
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
        _add_compared(out, issues, child, previous_tables,
                      result.rules_year or result.collection_year)
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
    registry = ruleset_registry(year)
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
