"""Reading the files councils actually have: CSV text and Excel workbooks.

Shared by the SSDA903 and Annex A loaders. Everything here reads and never
writes: workbooks are opened read-only and text files are read as bytes.

Accepted: CSV in UTF-8 (with or without a byte-order mark), Windows-1252 (what
Excel's plain "CSV" saves on Windows, with its pound signs and accents) or
UTF-16 ("Unicode text"), comma, semicolon or tab separated; .xlsx/.xlsm
workbooks; stray spaces in headings and empty rows or columns left by Excel.
Refused with a DataError saying what to do: .xls (Excel 97-2003), password-
protected or corrupt workbooks, 0-byte files, missing paths.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

import pandas as pd

from d2i_examples.errors import DataError

TEXT_SUFFIXES = (".csv",)
EXCEL_SUFFIXES = (".xlsx", ".xlsm")
OLD_EXCEL_SUFFIXES = (".xls", ".xlsb", ".ods")
#: read_bytes's problem for a file of 0 bytes or only blank space
EMPTY_FILE = "The file is empty (0 bytes, or only blank space)."
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls and encrypted workbooks


@dataclass
class Sheet:
    """One grid of cells read from a CSV file or a worksheet.

    `rows` hold raw cell values (str for CSV; str, number, datetime for Excel),
    `row_numbers` the row number a reader sees in Excel or a text editor.
    """

    path: Path
    sheet_name: str | None
    rows: list[list[object]]
    row_numbers: list[int]

    @property
    def label(self) -> str:
        """How messages name this grid: the file, plus the sheet for workbooks."""
        return f"{self.path} (sheet '{self.sheet_name}')" if self.sheet_name else str(self.path)

    @property
    def from_excel(self) -> bool:
        return self.sheet_name is not None

    @property
    def empty(self) -> bool:
        """True when no cell holds a value (see `is_blank`)."""
        return all(is_blank(v) for r in self.rows for v in r)


# --- paths -------------------------------------------------------------------


def existing_path(path: object, what: str) -> Path:
    """`path` as a Path that exists, or a DataError naming what was looked for."""
    p = Path(str(path)).expanduser()
    if not p.exists():
        parent = p.parent
        hint = (
            f"The folder above it, {parent}, exists: check the last part of the name."
            if parent.exists()
            else "Check the spelling, and that the drive or network share is connected."
        )
        raise DataError(
            f"The {what} was not found.",
            file=p,
            expected=f"an existing {what}",
            found="nothing at that path",
            fix=hint + " Relative paths start from the folder the notebook runs in: "
            f"{Path.cwd()}",
        )
    return p


def is_lock_or_hidden(path: Path) -> bool:
    """Excel's '~$name.xlsx' lock files and hidden files such as .DS_Store."""
    return path.name.startswith(("~$", "."))


def refuse_old_excel(path: Path) -> None:
    """A DataError for Excel 97-2003 (.xls) and other formats we do not read."""
    raise DataError(
        f"{path.name} is in a spreadsheet format these loaders do not read ({path.suffix}).",
        file=path,
        expected="a .xlsx workbook or a .csv file",
        found=f"a {path.suffix} file",
        fix="Open it in Excel and use File > Save As > 'Excel Workbook (*.xlsx)' "
        "(or 'CSV UTF-8'), then point the loader at the new file.",
    )


def readable_files(files: list[Path]) -> list[Path]:
    """Those of ``files`` the loaders read (CSV, .xlsx/.xlsm), in order.

    Any old-format spreadsheet among them (.xls, .xlsb, .ods) is refused with
    `refuse_old_excel` rather than passed over: it may be the file meant.
    """
    for path in files:
        if path.suffix.lower() in OLD_EXCEL_SUFFIXES:
            refuse_old_excel(path)
    return [p for p in files if p.suffix.lower() in TEXT_SUFFIXES + EXCEL_SUFFIXES]


def element_text(parent, tag: str) -> object:
    """Stripped text of an XML element's first ``tag`` child; NaN when absent or empty."""
    if parent is None:
        return float("nan")
    el = parent.find(tag)
    if el is None or el.text is None or not el.text.strip():
        return float("nan")
    return el.text.strip()


def is_empty_file(err: DataError) -> bool:
    """Whether ``err`` is read_bytes's refusal of an empty file."""
    return err.problem == EMPTY_FILE


def read_bytes(path: Path) -> bytes:
    """The file's bytes; DataError for 0-byte or unreadable files."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DataError(
            "The file could not be opened.",
            file=path,
            found=f"{type(exc).__name__}: {exc}",
            fix="Close it in Excel or any other program that has it open, check you have "
            "permission to read it, then try again.",
        ) from exc
    if not data.strip():
        raise DataError(
            EMPTY_FILE,
            file=path,
            expected="a heading row followed by data rows",
            found=f"{len(data)} bytes",
            fix="Export the table again from your case management system; an empty file "
            "usually means the export or a copy was interrupted (a table with no records "
            "is its heading row alone).",
        )
    return data


# --- text files ----------------------------------------------------------------


def decode_text(data: bytes) -> str:
    """Text from bytes: UTF-8 (BOM or not), UTF-16 with BOM, else Windows-1252."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        # cp1252 leaves five bytes undefined; latin-1 maps every byte.
        return data.decode("latin-1")


def _delimiter(first_line: str) -> str:
    counts = {sep: first_line.count(sep) for sep in (",", "\t", ";")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def read_text_table(path: Path) -> Sheet:
    """Read a CSV (or tab/semicolon separated) file into a Sheet of strings."""
    if path.suffix.lower() in EXCEL_SUFFIXES + OLD_EXCEL_SUFFIXES:
        raise ValueError(f"{path} is a workbook, not a text file")
    data = read_bytes(path)
    if data.startswith((_OLE2_MAGIC, b"PK\x03\x04")):
        raise DataError(
            "The file has a .csv name but holds an Excel workbook.",
            file=path,
            expected="comma-separated text",
            found="Excel workbook contents",
            fix="Open it in Excel and Save As 'CSV UTF-8 (Comma delimited) (*.csv)', "
            "or rename it to .xlsx.",
        )
    text = decode_text(data)
    first_line = text.lstrip("\ufeff").split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first_line))
    rows: list[list[object]] = []
    numbers: list[int] = []
    try:
        for record in reader:
            rows.append(list(record))
            numbers.append(reader.line_num)
    except csv.Error as exc:
        raise DataError(
            "The CSV file could not be read as a table.",
            file=path,
            found=f"{exc} (near line {reader.line_num})",
            fix="Open the file in a text editor at that line: usually a quote mark (\") is "
            "not closed. Re-export the table from your system.",
        ) from exc
    if rows and rows[0]:
        rows[0][0] = str(rows[0][0]).lstrip("\ufeff")
    return Sheet(path=path, sheet_name=None, rows=rows, row_numbers=numbers)


# --- workbooks -----------------------------------------------------------------


def _unreadable_workbook(path: Path, found: str, exc: BaseException | None = None) -> DataError:
    err = DataError(
        "The Excel workbook could not be opened.",
        file=path,
        expected="an unprotected Excel workbook (.xlsx)",
        found=found,
        fix="If it has a password, open it in Excel, remove the password "
        "(File > Info > Protect Workbook > Encrypt with Password, clear it) and save it "
        "unprotected as .xlsx. If it opens in Excel, use Save As > 'Excel Workbook "
        "(*.xlsx)' to repair it; otherwise export it again.",
    )
    if exc is not None:
        err.__cause__ = exc
    return err


def read_workbook(path: Path) -> list[Sheet]:
    """Every worksheet of an .xlsx/.xlsm workbook, read-only, as Sheets of cell values.

    Read with calamine (a compiled reader, about thirty times faster than openpyxl on
    an Annex A of 20,000 rows); cells come back as openpyxl gives them (see `_cell`).
    """
    from python_calamine import CalamineWorkbook

    suffix = path.suffix.lower()
    if suffix in OLD_EXCEL_SUFFIXES:
        refuse_old_excel(path)
    head = read_bytes(path)[:8]
    if head.startswith(_OLE2_MAGIC):
        raise _unreadable_workbook(
            path,
            "a password-protected (encrypted) workbook, or an old .xls file renamed to .xlsx",
        )
    if not head.startswith(b"PK\x03\x04"):
        raise _unreadable_workbook(path, "a file that is not a workbook (it is not a zip file)")
    try:
        book = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # noqa: BLE001 - calamine raises its own types for damaged parts
        raise _unreadable_workbook(path, f"a damaged file ({type(exc).__name__}: {exc})", exc)
    sheets = []
    try:
        for name in book.sheet_names:
            grid = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
            rows = [[_cell(v) for v in row] for row in grid]
            sheets.append(Sheet(path=path, sheet_name=name, rows=rows,
                                row_numbers=list(range(1, len(rows) + 1))))
    except Exception as exc:  # noqa: BLE001 - as above, while reading the sheets
        raise _unreadable_workbook(path, f"a damaged file ({type(exc).__name__}: {exc})", exc)
    finally:
        book.close()
    return sheets


def _cell(value: object) -> object:
    """A calamine cell as openpyxl gives it: None for empty, whole numbers as int,
    dates as datetimes at midnight."""
    if value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, date) and not isinstance(value, datetime):
        return datetime(value.year, value.month, value.day)
    return value


def read_any(path: Path) -> list[Sheet]:
    """Sheets from a CSV file (one) or a workbook (one per worksheet)."""
    suffix = path.suffix.lower()
    if suffix in OLD_EXCEL_SUFFIXES:
        refuse_old_excel(path)
    if suffix in EXCEL_SUFFIXES:
        return read_workbook(path)
    return [read_text_table(path)]


# --- cells and headings ------------------------------------------------------


def is_blank(value: object) -> bool:
    """None, NaN or a string of only spaces."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def clean_heading(value: object) -> str:
    """A heading with byte-order marks, non-breaking and repeated spaces removed."""
    if is_blank(value):
        return ""
    text = str(value).replace("\ufeff", "").replace("\u00a0", " ")
    return re.sub(r"\s+", " ", text).strip()


def as_text(value: object) -> object:
    """A cell as stripped text (NaN when blank); whole numbers lose Excel's '.0'."""
    if is_blank(value):
        return float("nan")
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y") if value.time() == time(0) else value.isoformat(" ")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value).strip()


def column_letter(position: int) -> str:
    """Excel's letter for a 0-based column position (0 -> A, 27 -> AB)."""
    letters = ""
    position += 1
    while position:
        position, rem = divmod(position - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def find_header_row(sheet: Sheet, score, scan: int = 20) -> int | None:
    """Index (in sheet.rows) of the first non-blank row, or of the best-scoring row.

    `score(headings) -> int` rates a row as a heading row; the first row with
    the highest positive score within the first `scan` rows wins. Returns None
    when the sheet has no non-blank row.
    """
    best, best_score = None, 0
    first = None
    for i, row in enumerate(sheet.rows[:scan]):
        if all(is_blank(v) for v in row):
            continue
        if first is None:
            first = i
        s = score([clean_heading(v) for v in row])
        if s > best_score:
            best, best_score = i, s
    return best if best is not None else first


def frame_from_sheet(sheet: Sheet, header_index: int) -> pd.DataFrame:
    """Rows below `header_index` as a DataFrame of raw values.

    Columns are the cleaned headings; the index is the row number the reader
    sees in Excel or a text editor. Blank rows and blank unheaded columns
    (Excel's trailing leftovers) are dropped. A column with data but no
    heading is kept, named "(no heading, column F)".
    """
    header = [clean_heading(v) for v in sheet.rows[header_index]]
    body = sheet.rows[header_index + 1:]
    numbers = sheet.row_numbers[header_index + 1:]
    width = max([len(header)] + [len(r) for r in body]) if body else len(header)
    header = header + [""] * (width - len(header))
    padded = [list(r) + [None] * (width - len(r)) for r in body]
    keep_rows = [i for i, r in enumerate(padded) if not all(is_blank(v) for v in r)]
    padded = [padded[i] for i in keep_rows]
    numbers = [numbers[i] for i in keep_rows]
    columns: list[str] = []
    keep_cols: list[int] = []
    for j, name in enumerate(header):
        has_data = any(not is_blank(r[j]) for r in padded)
        if not name and not has_data:
            continue
        keep_cols.append(j)
        columns.append(name or f"(no heading, column {column_letter(j)})")
    data = [[r[j] for j in keep_cols] for r in padded]
    frame = pd.DataFrame(data, columns=columns, index=pd.Index(numbers, name="row"), dtype=object)
    dupes = sorted({c for c in columns if columns.count(c) > 1})
    if dupes:
        raise DataError(
            "Two columns have the same heading.",
            file=sheet.label,
            column=", ".join(dupes),
            expected="each heading once",
            found=f"headings {columns}",
            fix="Delete or rename the repeated column, then save the file again.",
        )
    return frame
