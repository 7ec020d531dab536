"""Read one year's SSDA903 (children looked after) tables from a folder.

The DfE's 903 validator tells tables apart by their exact set of columns, not
by file name, and so do we: name the files however your system exports them.
Definitions: spec/ssda903.py (tables, columns, date columns and code lists).
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from d2i_examples.datasets.files import (
    EXCEL_SUFFIXES,
    OLD_EXCEL_SUFFIXES,
    Sheet,
    as_text,
    clean_heading,
    existing_path,
    find_header_row,
    frame_from_sheet,
    is_empty_file,
    is_lock_or_hidden,
    read_any,
    readable_files,
    refuse_old_excel,
)
from d2i_examples.datasets.values import check_codes, near_miss, parse_dates, sentence
from d2i_examples.datasets.year_notation import parse_collection_year, year_label
from d2i_examples.errors import DataError, gather
from d2i_examples.spec import ssda903 as spec

if TYPE_CHECKING:
    from d2i_examples.settings.mapping import ColumnMapping

REQUIRED_TABLES = ("header", "episodes")

# Headings people use for a 903 column, so a missing column can be named.
_ALIASES = {
    "DATE_OF_BIRTH": "DOB", "BIRTH_DATE": "DOB", "DATEOFBIRTH": "DOB", "D_O_B": "DOB",
    "CHILD_ID": "CHILD", "CHILDID": "CHILD", "ID": "CHILD", "LA_CHILD_ID": "CHILD",
    "GENDER": "SEX", "ETHNICITY": "ETHNIC", "LEGAL_STATUS": "LS",
    "PLACEMENT": "PLACE", "PLACEMENT_TYPE": "PLACE", "PL": "PLACE",
    "REASON_NEW_EPISODE": "RNE", "REASON_EPISODE_CEASED": "REC",
    "DATE_EPISODE_CEASED": "DEC", "DATE_EPISODE_COMMENCED": "DECOM", "START_DATE": "DECOM",
    "END_DATE": "DEC", "CATEGORY_OF_NEED": "CIN", "PROVIDER": "PLACE_PROVIDER",
}
_KNOWN_COLUMNS = {c for _, cols in spec.TABLES.values() for c in cols}


def normalise_heading(heading: object) -> str:
    """A 903 heading as the spec writes it: trimmed, upper case, spaces as '_'."""
    return re.sub(r"[\s\-]+", "_", clean_heading(heading).upper())


# --- finding the tables ---------------------------------------------------------


def _table_files(path: Path) -> list[Path]:
    if path.is_file():
        if path.suffix.lower() in EXCEL_SUFFIXES:
            return [path]  # one workbook, a table per sheet
        if path.suffix.lower() in OLD_EXCEL_SUFFIXES:
            refuse_old_excel(path)
        raise DataError(
            "The SSDA903 loader needs the folder that holds the return's tables, not one file.",
            file=path,
            expected="a folder of .csv/.xlsx files (header, episodes, ...), or one .xlsx "
            "workbook with a table per sheet",
            found="a single file",
            fix=f"Pass the folder instead: {path.parent}",
        )
    entries = sorted(p for p in path.iterdir() if not is_lock_or_hidden(p))
    if not entries:
        raise DataError(
            "The SSDA903 folder is empty.",
            file=path,
            expected="the return's tables as .csv or .xlsx files (at least header and "
            "episodes)",
            found="no files",
            fix="Copy the 903 CSV files exported from your case management system into "
            "this folder, or point the loader at the folder that holds them.",
        )
    files = [p for p in entries if p.is_file()]
    tables = readable_files(files)
    if not tables:
        folders = [p.name for p in entries if p.is_dir()]
        others = [p.name for p in files]
        hint = "Copy the 903 CSV files into this folder."
        if folders:
            hint = (
                "This folder holds sub-folders ("
                + ", ".join(folders[:6])
                + "): point the loader at one year's folder."
            )
        elif any(p.suffix.lower() == ".xml" for p in files):
            hint = (
                "XML files are here: 903 XML is not read by this loader; export the "
                "return as CSV files (the CIN census XML is read by read_cin_census)."
            )
        raise DataError(
            "The SSDA903 folder has no CSV or Excel files.",
            file=path,
            expected="files ending .csv or .xlsx",
            found=", ".join(folders + others) or "nothing",
            fix=hint,
        )
    return tables


def _score(headings: list[str]) -> int:
    return sum(normalise_heading(h) in _KNOWN_COLUMNS for h in headings)


def _best_table(columns: set[str]) -> tuple[str | None, float]:
    best, best_j = None, 0.0
    for name, (_, cols) in spec.TABLES.items():
        j = len(columns & set(cols)) / len(columns | set(cols))
        if j > best_j:
            best, best_j = name, j
    return best, best_j


def _column_problem(sheet: Sheet, table: str, raw_columns: list[str]) -> DataError:
    """The DataError for a near-miss table; carries .table, .missing and .renames
    (heading as read -> 903 column) for tools that suggest a column mapping."""
    expected_cols = spec.TABLES[table][1]
    by_norm = {normalise_heading(c): c for c in raw_columns}
    missing = [c for c in expected_cols if c not in by_norm]
    extra = [by_norm[n] for n in by_norm if n not in expected_cols]
    found = f"columns {', '.join(repr(c) for c in raw_columns)}"
    if missing:
        hints = []
        renames: dict[str, str] = {}
        for col in missing:
            look = near_miss(col, extra, key=normalise_heading, aliases=_ALIASES)
            if look is not None and look not in renames:
                hints.append(f"rename column '{look}' to {col}")
                renames[look] = col
        fix = (
            (sentence("; ".join(hints)) + ". ") if hints else
            f"Add the missing column(s) {', '.join(missing)} (it may be empty). "
        ) + "903 tables are recognised by their exact set of column names."
        err = DataError(
            f"This file looks like the SSDA903 {table} table, but column "
            f"{', '.join(missing)} is missing.",
            file=sheet.label,
            column=", ".join(missing),
            expected=f"columns {', '.join(expected_cols)}",
            found=found,
            fix=fix,
        )
        err.table, err.missing, err.renames = table, missing, renames
        return err
    err = DataError(
        f"This file looks like the SSDA903 {table} table, but it has column(s) the "
        "return does not have.",
        file=sheet.label,
        column=", ".join(extra),
        expected=f"exactly the columns {', '.join(expected_cols)}",
        found=found,
        fix=(
            "Some rows have more values than there are headings: usually a value holding an "
            "unquoted comma. Re-export the file, or put quotes around such values. "
            if any(c.startswith("(no heading") for c in extra)
            else f"Delete column(s) {', '.join(repr(c) for c in extra)}: "
        ) + "the DfE validator recognises 903 tables by their exact set of columns.",
    )
    err.table = table
    return err


def _classify(
    sheet: Sheet, mapping: ColumnMapping | None = None
) -> tuple[str | None, pd.DataFrame | None]:
    """(table name, frame) for a recognised table; (None, None) if unrecognised.

    With a `mapping`, headings are renamed first (a table's own entries are
    tried for each table in turn); the frame keeps the 903 names.
    """
    score = _score if mapping is None else (lambda hs: _score(mapping.rename_any(hs)))
    header_index = find_header_row(sheet, score)
    if header_index is None:
        return None, None
    frame = frame_from_sheet(sheet, header_index)
    raw_columns = list(frame.columns)
    if mapping is not None:
        for name, (_, cols) in spec.TABLES.items():
            renamed = mapping.rename(raw_columns, name)
            if {normalise_heading(c) for c in renamed} == set(cols):
                mapping.rename(raw_columns, name, where=sheet.label)  # two columns, one name
                frame.columns = [normalise_heading(c) for c in renamed]
                return name, frame
        raw_columns = mapping.rename(raw_columns, where=sheet.label)
        frame.columns = raw_columns
    columns = {normalise_heading(c) for c in raw_columns}
    table, _ = _best_table(columns)
    if table is not None and columns == set(spec.TABLES[table][1]):
        frame.columns = [normalise_heading(c) for c in raw_columns]
        return table, frame
    if is_903_table(raw_columns):
        table, _ = _best_table({_ALIASES.get(c, c) for c in columns})
        raise _column_problem(sheet, table, raw_columns)
    return None, frame


def is_903_table(headings) -> bool:
    """Whether headings are an SSDA903 table's, or a near miss of one (half its columns or
    more, counting headings known to mean a 903 column, "Date of birth", as that column):
    the reader refuses a near miss and passes over anything else (a notes sheet)."""
    columns = {_ALIASES.get(c, c) for c in map(normalise_heading, headings)}
    return _best_table(columns)[1] >= 0.5


def _describe(sheet: Sheet, frame: pd.DataFrame | None) -> str:
    heads = [] if frame is None else list(frame.columns)[:5]
    return f"{sheet.label}: " + (", ".join(heads) + (" ..." if frame is not None and
                                                       len(frame.columns) > 5 else "")
                                 if heads else "blank")


def _no_tables(path: Path, described: list[str], frames: list) -> DataError:
    columns = {clean_heading(c).lower() for f in frames if f is not None for c in f.columns}
    if "child unique id" in columns:
        fix = "These look like Ofsted Annex A lists: read them with read_annex_a."
    elif {"lachildid", "cinreferraldate"} & columns:
        fix = "These look like CIN census tables: read the CIN census XML with read_cin_census."
    else:
        fix = ("Check this is the folder of 903 files for one year: each table needs its "
               "exact 903 column headings (e.g. CHILD, SEX, DOB, ETHNIC, UPN, MOTHER, MC_DOB "
               "for the header table).")
    return DataError(
        "No SSDA903 tables were recognised in this folder.",
        file=path,
        expected="files whose headings are a 903 table's columns (header: CHILD, SEX, DOB, "
        "...; episodes: CHILD, DECOM, RNE, LS, ...)",
        found="; ".join(described),
        fix=fix,
    )


# --- tidying the values ------------------------------------------------------------


def _tidy(table: str, frame: pd.DataFrame, sheet: Sheet, year: int | None,
          check: bool, mapping: ColumnMapping | None = None,
          parse_values: bool = True, problems: list[DataError] | None = None
          ) -> pd.DataFrame:
    """The table's columns in spec order, dates parsed and codes checked. With
    ``problems`` a list, a column that cannot be read is added there and kept as text."""
    columns = spec.TABLES[table][1]
    frame = frame[columns]
    if mapping is not None:
        frame = frame.assign(**{c: mapping.recode(c, frame[c]) for c in columns
                                if c in mapping.codes})
    out = {}
    # dates first: a file re-saved with US month/day dates is told so before any code
    # (or the year its codes suggest) is blamed
    for col in sorted(columns, key=lambda c: c not in spec.DATE_COLUMNS):
        try:
            out[col] = _column(frame[col], col, sheet, year, check, parse_values)
        except DataError as err:
            gather(err, problems)
            out[col] = frame[col].map(as_text).astype(object)
    return pd.DataFrame({c: out[c] for c in columns}, index=frame.index).reset_index(drop=True)


def _column(values: pd.Series, col: str, sheet: Sheet, year: int | None, check: bool,
            parse_values: bool) -> pd.Series:
    """One column read: a date column parsed, a code column checked, the others text."""
    if parse_values and col in spec.DATE_COLUMNS:
        return parse_dates(
            values,
            file=sheet.label,
            column=col,
            excel_serials=sheet.from_excel,
            placeholders=("Z1",) if col == "DATE_PERM" else (),
            partial_dates=(col == "DATE_PERM"),
        )
    if parse_values and check and col in spec.CODE_COLUMNS:
        return _checked(values, col, sheet, year)
    return values.map(as_text).astype(object)


def _checked(values: pd.Series, column: str, sheet: Sheet, year: int | None) -> pd.Series:
    if year is None:
        allowed = spec.codes_any_year(column)
        scope = (f"the SSDA903 codes of any collection year from "
                 f"{year_label(spec.SUPPORTED_YEARS[0])} to "
                 f"{year_label(spec.SUPPORTED_YEARS[-1])}")
    else:
        allowed = spec.codes(column, year)
        scope = f"the {year_label(year)} SSDA903 codes"
        if year < spec.FIRST_LISTED:
            scope += f" (read with the {year_label(spec.FIRST_LISTED)} lists)"
    fix = ("Correct the code in your case management system and export again, or, if "
           "your system uses its own code for it, map it to the DfE's in a settings file "
           f"(mapping > ssda903 > codes > {column}). To list every wrong code at once, run "
           "the checking-ssda903 example on the folder: the DfE validator reports them all.")
    if year is not None:
        text = values.map(as_text).dropna().astype(str).str.upper()
        bad = text[~text.isin(list(allowed))]
        if len(bad):
            code = bad.iloc[0]
            valid_in = [y for y in spec.SUPPORTED_YEARS if code in spec.codes(column, y)]
            if valid_in:
                which = "that year" if len(valid_in) == 1 else "one of those years"
                contiguous = valid_in == list(range(valid_in[0], valid_in[-1] + 1))
                years = (f"{year_label(valid_in[0])} to {year_label(valid_in[-1])}"
                         if contiguous and len(valid_in) > 2
                         else ", ".join(year_label(y) for y in valid_in))
                fix = (f"'{code}' is a valid {column} code in {years}: if the file is from "
                       f"{which}, pass collection_year={valid_in[-1]}. " + fix)
    return check_codes(values, file=sheet.label, column=column, allowed=allowed,
                       scope=scope, fix=fix)


def _table_named(file: Path) -> str | None:
    """The SSDA903 table a file's name says it holds ("ssda903_2026_ad1.csv": ad1)."""
    stem = re.sub(r"[^a-z0-9]", "", file.stem.lower())
    names = {re.sub(r"[^a-z0-9]", "", n.lower()): table
             for table, (validator, _) in spec.TABLES.items() for n in (table, validator)}
    matches = [name for name in names if name in stem]
    return names[max(matches, key=len)] if matches else None


def empty_optional_table(file: Path) -> str | None:
    """The optional table an empty file is read as, with no rows: the one its name says
    it holds ("ssda903_2026_ad1.csv": ad1); None when its name names no table, or the
    header or episodes, which a return cannot be without."""
    table = _table_named(file)
    return None if table is None or table in REQUIRED_TABLES else table


def _empty_files(empty: list[Path], found: dict, mapping: ColumnMapping | None,
                 problems: list[DataError] | None = None) -> set[str]:
    """Empty files (0 bytes, or blank): an optional table named by its file is read as the
    table with no rows, with a note; the others, all of them at once, are one DataError
    (gathered into ``problems``; returns the tables their names say they hold)."""
    refused = []
    for file in empty:
        table = empty_optional_table(file)
        if table is None or table in found:
            refused.append(file)
            continue
        sheet = Sheet(file, None, [list(spec.TABLES[table][1])], [1])
        found[table] = (sheet, _classify(sheet, None)[1])
        warnings.warn(f"{file.name} is empty: read as the {table} table with no rows (an "
                      "optional table; a table with no records is usually its heading row "
                      "alone).", stacklevel=3)
    if refused:
        names = ", ".join(f.name for f in refused)
        gather(DataError(
            (f"{len(refused)} files are" if len(refused) > 1 else "The file is")
            + " empty (0 bytes, or only blank space), and not an optional table named by "
            "its file name.",
            file=refused[0] if len(refused) == 1 else refused[0].parent,
            expected="the header and episodes tables with their rows; each other file a "
            "table named in its file name (ad1, uasc, missing...), which may be empty",
            found=names,
            fix="Export these tables again from your case management system (an empty file "
            "usually means the export or a copy was interrupted), or move them out of the "
            "folder if they are not part of the return.",
        ), problems)
    return {t for t in map(_table_named, refused) if t is not None}


# --- the loader -------------------------------------------------------------------


def read_ssda903(
    folder: str | Path,
    *,
    collection_year: int | str | None = None,
    check_codes: bool = True,
    mapping: ColumnMapping | None = None,
    parse_values: bool = True,
    problems: list[DataError] | None = None,
) -> dict[str, pd.DataFrame]:
    """Read one year's SSDA903 tables into tidy frames keyed by our table names.

    `folder` holds the tables as .csv or .xlsx files (or is one .xlsx workbook
    with a table per sheet). Each file is matched to a table of
    spec.ssda903.TABLES by its exact set of column headings, as the DfE's
    validator does (case, surrounding spaces and spaces-for-underscores in
    headings are forgiven). "header" and "episodes" are required; optional
    tables that are not there are absent from the result. Files that match
    no table are skipped with a warning.

    Each frame has the spec's columns in spec order; date columns are
    datetime64 (from dd/mm/YYYY or YYYY-MM-DD; DATE_PERM's partly unknown
    dates such as ZZ/05/2015 become NaT); other cells are stripped text with
    blanks as NaN. With `check_codes`, the columns of
    spec.ssda903.CODE_COLUMNS are upper-cased and checked against the code
    lists of `collection_year` (the year the return ends: 2026 for 2025/26)
    or, when it is None, against the codes any supported year accepts.
    Problems raise one DataError that names the file, column and value.

    `mapping` (a d2i_examples.settings.mapping.ColumnMapping, from a settings
    file) renames a council's own headings and codes to the 903's as the
    files are read, in memory: the files are never changed.

    With ``parse_values=False`` only the structure is read (tables recognised,
    required tables and columns present): every cell, dates and codes
    included, stays stripped text and no value is judged (`check_codes` and
    `collection_year` are then unused), as for files handed to a validator.

    With ``problems`` a list (what `d2i-examples check` passes), every problem with a
    file, a table or a column is added there instead of raised, and reading goes on, so
    all of them can be listed at once: a table with a problem is left out of the result
    (and not also called missing), a column with one is kept as text. Problems that stop
    the reading altogether (no such folder, no tables) are still raised.
    """
    path = existing_path(folder, "SSDA903 folder")
    year = None if collection_year is None else parse_collection_year(collection_year)
    found: dict[str, tuple[Sheet, pd.DataFrame]] = {}
    described: list[str] = []
    unrecognised: list[tuple[Sheet, pd.DataFrame | None]] = []
    empty: list[Path] = []
    broken: set[str | None] = set()  # tables (None: unknown) whose problem is already told
    for file in _table_files(path):
        try:
            sheets = read_any(file)
        except DataError as err:
            if is_empty_file(err):
                empty.append(file)
            else:
                gather(err, problems)
                broken.add(_table_named(file))
            continue
        for sheet in sheets:
            if sheet.from_excel and sheet.empty:
                continue  # an unused worksheet
            try:
                table, frame = _classify(sheet, mapping)
            except DataError as err:
                gather(err, problems)
                broken.add(getattr(err, "table", None))
                continue
            if table is None:
                unrecognised.append((sheet, frame))
                described.append(_describe(sheet, frame))
                continue
            if table in found:
                first = found[table][0]
                gather(DataError(
                    f"Two files hold the SSDA903 {table} table.",
                    file=f"{first.label} and {sheet.label}",
                    expected=f"one {table} table per year's folder",
                    found="two files with the same set of columns",
                    fix="Keep the file for this year and move the other (an older copy, or "
                    "another year's) out of the folder.",
                ), problems)
                continue
            found[table] = (sheet, frame)
    broken |= _empty_files(empty, found, mapping, problems)
    if not found and not broken:
        raise _no_tables(path, described, [f for _, f in unrecognised])
    missing = [t for t in REQUIRED_TABLES if t not in found and t not in broken]
    if missing:
        gather(DataError(
            f"The SSDA903 {' and '.join(missing)} table is missing.",
            file=path,
            expected="at least the header and episodes tables; "
            + "; ".join(f"{t}: {', '.join(spec.TABLES[t][1])}" for t in missing),
            found="tables " + ", ".join(f"{t} ({s.label})" for t, (s, _) in found.items())
            + ("; unrecognised: " + "; ".join(described) if described else ""),
            fix="Add the missing table's file, exported from your case management system.",
        ), problems)
    for sheet, frame in unrecognised:
        warnings.warn(
            f"Skipped {_describe(sheet, frame)} - its columns match no SSDA903 table.",
            stacklevel=2,
        )
    return {
        table: _tidy(table, frame, sheet, year, check_codes, mapping, parse_values, problems)
        for table, (sheet, frame) in sorted(
            found.items(), key=lambda kv: list(spec.TABLES).index(kv[0])
        )
    }
