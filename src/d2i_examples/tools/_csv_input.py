"""Hand a reader's CSV files or frames to D2I's tools as bytes, checked first.

The tools read CSV bytes and recognise each table by its set of columns. Here
we read a folder's CSV files (never writing anything), turn a workbook's sheets
into CSV bytes in memory (``workbook_inputs``), or turn in-memory frames into
CSV bytes, and catch what would otherwise crash deep inside a
tool (an empty file, a file that is not UTF-8, a table with unknown columns)
with a DataError that names the file.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path

import pandas as pd

from d2i_examples.datasets.files import (
    find_header_row,
    frame_from_sheet,
    read_bytes,
    read_workbook,
)
from d2i_examples.errors import DataError
from d2i_examples.spec.ssda903 import DATE_FORMAT

SAVE_AS_UTF8 = "Open it in Excel and use File > Save As > 'CSV UTF-8 (Comma delimited)'."


@dataclass(frozen=True)
class CsvInput:
    """One CSV: where it came from (a path, or None for a frame), its bytes and columns."""

    label: str
    path: Path | None
    content: bytes
    columns: tuple[str, ...]
    sheet_rows: tuple[int, ...] | None = None  # a worksheet's own row numbers, data rows

    @cached_property
    def row_lines(self) -> list[int]:
        """The line (or worksheet row) each data row is on: ``data_row_lines(content)``,
        worked out once for this file however often it is asked."""
        return list(self.sheet_rows) if self.sheet_rows is not None else data_row_lines(
            self.content)


def _as_text(value: object) -> str:
    """A worksheet cell as a CSV export writes it: dates dd/mm/YYYY, blank as ""."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, date):
        return value.strftime(DATE_FORMAT)
    return str(value).strip()


def workbook_inputs(path: Path, score) -> list[CsvInput]:
    """Each worksheet of a workbook holding cells, as a CSV in memory: the cells as text
    under the sheet's heading row (``find_header_row`` with ``score``), labelled
    "book.xlsx (sheet 'name')", with the sheet's own row numbers. The file is only read."""
    inputs = []
    for sheet in read_workbook(path):
        header = find_header_row(sheet, score)
        if header is None:
            continue
        frame = frame_from_sheet(sheet, header).apply(lambda column: column.map(_as_text))
        out = io.StringIO()
        frame.to_csv(out, index=False, lineterminator="\n")
        inputs.append(CsvInput(sheet.label, path, out.getvalue().encode("utf-8"),
                               tuple(frame.columns), tuple(frame.index)))
    return inputs


def folder_path(folder: str | Path, what: str) -> Path:
    """``folder`` as an existing directory, or a DataError naming it."""
    path = Path(folder).expanduser()
    if not path.is_dir():
        problem = "is a file, not a folder" if path.is_file() else "was not found"
        raise DataError(
            f"The {what} {problem}.",
            file=path,
            expected=f"a folder holding the {what}'s CSV files",
            found="a file" if path.is_file() else "nothing at this path",
            fix="Check the path in the parameters cell (relative paths start from the "
            "notebook's folder).",
        )
    return path


def csv_files(folder: Path) -> list[Path]:
    """The CSV files directly inside ``folder`` (any case of .csv), sorted by name."""
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() == ".csv")


def read_csv_input(path: Path) -> CsvInput:
    """Read one CSV file's bytes and header row, refusing empty or non-UTF-8 files."""
    content = read_bytes(path)
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise DataError(
            "The file is not UTF-8 text, which the tools need.",
            file=path,
            expected="UTF-8 encoded CSV",
            found=f"a byte that is not UTF-8 at position {err.start}",
            fix=SAVE_AS_UTF8,
        ) from None
    header = next(csv.reader(io.StringIO(text)), [])
    return CsvInput(path.name, path, content, tuple(header))


def mapped_csv_input(csv_input: CsvInput, mapping, tables: dict[str, list[str]]) -> CsvInput:
    """``csv_input`` with a settings file's column mapping applied, in memory.

    Headings are renamed (the mapping's ``columns``, then its ``tables`` entry
    for the table the renamed headings match, among ``tables``: our table name
    -> columns) and mapped codes replaced. Every record stays on its line, so
    the lines reported still point into the reader's own file.
    """
    headings = mapping.rename_any(csv_input.columns)
    table = next((t for t, cols in tables.items() if set(cols) == set(headings)), None)
    headings = mapping.rename(csv_input.columns, table, where=csv_input.path)
    text = csv_input.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    rows[0] = [str(h) for h in headings]
    for index, column in enumerate(rows[0]):
        codes = mapping.codes.get(column)
        if codes:
            recoded = mapping.recode(column, pd.Series([r[index] if index < len(r) else ""
                                                       for r in rows[1:]], dtype=object))
            for row, value in zip(rows[1:], recoded):
                if index < len(row):
                    row[index] = value
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n" if b"\r\n" in csv_input.content else "\n").writerows(rows)
    return CsvInput(csv_input.label, csv_input.path, out.getvalue().encode("utf-8"),
                    tuple(rows[0]), csv_input.sheet_rows)


def frame_csv_bytes(frame: pd.DataFrame, columns: list[str]) -> bytes:
    """CSV bytes of ``frame[columns]`` as the returns write them.

    Dates become dd/mm/YYYY, whole-number floats (a pandas side effect of blanks)
    become integers, and blanks stay blank.
    """
    out = frame.loc[:, columns].copy()
    for name in columns:
        col = out[name]
        if pd.api.types.is_datetime64_any_dtype(col):
            out[name] = col.dt.strftime(DATE_FORMAT)
        elif col.dtype == object and col.map(_is_date).any():
            out[name] = col.map(lambda v: v.strftime(DATE_FORMAT) if _is_date(v) else v)
        elif pd.api.types.is_float_dtype(col):
            values = col.dropna()
            if (values == values.round()).all():
                out[name] = col.astype("Int64")
    return out.to_csv(index=False, lineterminator="\n").encode("utf-8")


def _is_date(value: object) -> bool:
    return isinstance(value, date) and not pd.isna(value)


def missing_columns(frame: pd.DataFrame, columns: list[str], label: str, table: str) -> None:
    """Raise a DataError if ``frame`` lacks any of ``columns``."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise DataError(
            f"The {table} table is missing {len(missing)} column(s).",
            file=label,
            column=", ".join(missing),
            expected=", ".join(columns),
            found=", ".join(map(str, frame.columns)),
            fix="Rename or add the columns so they match the SSDA903 specification.",
        )


def closest_table(columns: tuple[str, ...], tables: dict[str, list[str]]) -> str:
    """The table whose column set shares most names with ``columns`` (for error messages)."""
    return max(tables, key=lambda name: len(set(tables[name]) & set(columns)))


def data_row_lines(content: bytes) -> list[int]:
    """The line number (header = line 1) where each data row of a CSV starts.

    Blank lines (empty, or spaces and tabs only) are skipped, as pandas skips them
    when the tools read the file, and a quoted value spanning lines counts from its
    first line. One pass over the file: ask ``CsvInput.row_lines`` to keep the answer.
    """
    text = content.decode("utf-8-sig")
    reader = csv.reader(io.StringIO(text, newline=""))
    lines: list[int] = []
    previous_end = 0
    seen_header = False
    for record in reader:
        start = previous_end + 1
        previous_end = reader.line_num
        if not record or (len(record) == 1 and record[0] and not record[0].strip(" \t")):
            continue  # a blank line ([""] is a quoted empty value, which pandas keeps)
        if seen_header:
            lines.append(start)
        seen_header = True
    return lines
