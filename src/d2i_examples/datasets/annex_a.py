"""Read an Ofsted Annex A workbook (or a folder of per-list CSVs) into tidy frames.

Lists and headings: spec/annex_a.py (the Ofsted Annex A template's List 1 to
List 11). Headings are matched ignoring case, spacing and punctuation, and
renamed to the canonical spelling; columns a council adds are kept after them.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from d2i_examples.datasets.files import (
    EXCEL_SUFFIXES,
    OLD_EXCEL_SUFFIXES,
    TEXT_SUFFIXES,
    Sheet,
    as_text,
    clean_heading,
    existing_path,
    find_header_row,
    frame_from_sheet,
    is_lock_or_hidden,
    read_any,
    read_workbook,
    readable_files,
    refuse_old_excel,
)
from d2i_examples.datasets.identify import SEND_ANNEX_A, identify_file
from d2i_examples.datasets.values import near_miss, parse_dates, sentence, template_codes
from d2i_examples.errors import DataError, gather
from d2i_examples.spec import annex_a as spec

if TYPE_CHECKING:
    from d2i_examples.settings.mapping import ColumnMapping

# Headings people use for an Annex A column, so a missing heading can be named.
_ALIASES = {
    "DOB": "Date of Birth", "Birth date": "Date of Birth", "Sex": "Gender",
    "Age": "Age of Child (Years)", "Child ID": "Child Unique ID", "ID": "Child Unique ID",
    "Disability": "Does the Child have a Disability",
}

# Columns written by people, not chosen from the template's drop-down lists.
_FREE_TEXT = {"Child Unique ID", "Allocated Team", "Allocated Worker", "Placement postcode"}

_LIST = re.compile(r"(?<![a-z])list[\s_-]*(\d{1,2})(?!\d)", re.IGNORECASE)


def list_key(name: str) -> str | None:
    """Our key ("list_1".."list_11") for a sheet or file name such as "List 1 - Contacts"."""
    m = _LIST.search(name)
    if m and 1 <= int(m.group(1)) <= len(spec.LISTS):
        return f"list_{int(m.group(1))}"
    return None


def heading_key(heading: object) -> str:
    """A heading reduced to lower-case words: case, spaces and punctuation ignored."""
    text = clean_heading(heading).lower().replace("\u2019", "'")
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def _canonical(key: str) -> dict[str, str]:
    return {heading_key(h): h for h in spec.LISTS[key][1]}


# --- one list -----------------------------------------------------------------------


def _read_list(key: str, sheet: Sheet, mapping: ColumnMapping | None = None,
               problems: list[DataError] | None = None) -> pd.DataFrame | None:
    """The tidy frame of one list's sheet, or None if the sheet is entirely blank.

    A `mapping` renames the council's headings (its entries for this list win
    over those for every list) and codes, in memory. With `problems` a list, a
    problem with the headings is added there (and the list left out, None), a date
    column that cannot be read is added there (and kept as text).
    """
    if sheet.empty:
        return None
    canonical = _canonical(key)
    name, headings = spec.LISTS[key]

    def score(row):
        row = mapping.rename(row, key) if mapping is not None else row
        return sum(heading_key(h) in canonical for h in row)

    header_index = find_header_row(sheet, score)
    try:
        frame = frame_from_sheet(sheet, header_index)
    except DataError as err:
        gather(err, problems)
        return None
    if mapping is not None:
        frame.columns = mapping.rename(list(frame.columns), key, where=sheet.label)
    renamed: dict[str, str] = {}
    for raw in frame.columns:
        target = canonical.get(heading_key(raw))
        if target is None:
            continue
        if target in renamed.values():
            first = next(r for r, t in renamed.items() if t == target)
            gather(DataError(
                f"Annex A {name} has the heading '{target}' twice.",
                file=sheet.label,
                column=target,
                expected="each heading once",
                found=f"'{first}' and '{raw}'",
                fix="Delete the repeated column, then save the file again.",
            ), problems)
            return None
        renamed[raw] = target
    missing = [h for h in headings if h not in renamed.values()]
    if missing:
        extras = [c for c in frame.columns if c not in renamed]
        hints = []
        suggested: dict[str, str] = {}
        for h in missing:
            look = near_miss(h, extras, key=lambda s: heading_key(s).replace(" ", ""),
                             aliases=_ALIASES)
            if look is not None and look not in suggested:
                hints.append(f"rename '{look}' to '{h}'")
                suggested[look] = h
        err = DataError(
            f"Annex A {name} is missing {len(missing)} heading(s): "
            + ", ".join(f"'{h}'" for h in missing) + ".",
            file=sheet.label,
            column=", ".join(missing),
            expected="the Ofsted Annex A headings: " + "; ".join(headings),
            found=f"headings in row {sheet.row_numbers[header_index]}: "
            + "; ".join(f"'{c}'" for c in frame.columns),
            fix=(sentence("; ".join(hints)) + ". " if hints else "")
            + "Headings must match the Ofsted Annex A template (case and spacing do not "
            "matter); add any missing column, even if it is empty.",
        )
        # for tools that suggest a column mapping: heading as read -> Annex A heading
        err.table, err.missing, err.renames = key, missing, suggested
        gather(err, problems)
        return None
    frame = frame.rename(columns=renamed)
    extras = [c for c in frame.columns if c not in headings]
    dates = set(spec.date_columns(key))
    out = {}
    for col in headings + extras:
        if col in dates:
            try:
                out[col] = parse_dates(frame[col], file=sheet.label, column=col,
                                       excel_serials=sheet.from_excel)
            except DataError as err:
                gather(err, problems)
                out[col] = frame[col].map(as_text).astype(object)
        else:
            out[col] = frame[col].map(as_text).astype(object)
            if col not in _FREE_TEXT:
                out[col] = template_codes(out[col])  # "a) Male" -> "Male"
            if mapping is not None and col in mapping.codes:
                out[col] = mapping.recode(col, out[col])
    return pd.DataFrame(out, index=frame.index).reset_index(drop=True)


# --- finding the lists ---------------------------------------------------------------


def _from_workbook(path: Path, mapping: ColumnMapping | None = None,
                   problems: list[DataError] | None = None) -> dict[str, pd.DataFrame]:
    sheets = read_workbook(path)
    keyed: dict[str, Sheet] = {}
    for sheet in sheets:
        key = list_key(sheet.sheet_name or "")
        if key is None:
            continue
        if key in keyed:
            gather(DataError(
                f"Two sheets hold Annex A {spec.LISTS[key][0]}.",
                file=path,
                expected="one sheet per list",
                found=f"sheets '{keyed[key].sheet_name}' and '{sheet.sheet_name}'",
                fix="Delete or rename the extra sheet (e.g. an old copy).",
            ), problems)
            continue
        keyed[key] = sheet
    if not keyed:
        raise DataError(
            "The workbook has no Annex A list sheets.",
            file=path,
            expected="sheets named 'List 1' to 'List 11' (e.g. 'List 1 - Contacts')",
            found="sheets " + ", ".join(f"'{s.sheet_name}'" for s in sheets),
            fix="Check this is the Annex A workbook, and that the sheet names still start "
            "with 'List' and the list number.",
        )
    return _in_order({k: _read_list(k, s, mapping, problems) for k, s in keyed.items()})


def _in_order(found: dict[str, pd.DataFrame | None]) -> dict[str, pd.DataFrame]:
    return {k: found[k] for k in spec.LISTS if found.get(k) is not None}


def _from_files(files: list[Path], mapping: ColumnMapping | None = None,
                problems: list[DataError] | None = None) -> dict[str, pd.DataFrame]:
    keyed: dict[str, Path] = {}
    for f in files:
        key = list_key(f.stem)
        if key in keyed:
            gather(DataError(
                f"Two files hold Annex A {spec.LISTS[key][0]}.",
                file=f"{keyed[key]} and {f}",
                expected="one file per list",
                found="two file names with the same list number",
                fix="Move the extra file (e.g. an old copy) out of the folder.",
            ), problems)
            continue
        keyed[key] = f
    found = {}
    for key, f in keyed.items():
        try:
            sheets = [s for s in read_any(f) if not s.empty]
        except DataError as err:
            gather(err, problems)
            continue
        found[key] = _read_list(key, sheets[0], mapping, problems) if sheets else None
    return _in_order(found)


def _refuse_send_annex_a(path: Path) -> None:
    """A SEND Annex A workbook is told apart from Ofsted's Annex A, never read as it."""
    if identify_file(path) == SEND_ANNEX_A:
        raise DataError(
            "This workbook is a SEND Annex A (the lists an area SEND inspection asks for), "
            "not Ofsted's children's services Annex A that the Annex A examples read.",
            file=path,
            expected="Ofsted's Annex A for inspections of local authority children's services "
            "(List 1 contacts to List 11 adoption, headed 'Child Unique ID')",
            found="files of another return: SEND Annex A (headings about EHC plans and SEN)",
            fix="No worked example reads the SEND Annex A yet: move it out of the annex_a "
            "folder (keep it with your SEND files), and put the children's services Annex A "
            "there if you have it.",
        )


def read_annex_a(path: str | Path, *, mapping: ColumnMapping | None = None,
                 problems: list[DataError] | None = None) -> dict[str, pd.DataFrame]:
    """Read Annex A lists into frames keyed "list_1".."list_11".

    `path` is one .xlsx workbook with a sheet per list ("List 1", "List 1 -
    Contacts", "LIST 1"...), or a folder of per-list files (.csv or .xlsx)
    whose names contain the list number ("list 1", "List_1", "list1"); a
    folder holding a single workbook is read as that workbook. Lists that are
    not there, or whose sheet is blank, are absent from the result.

    Each frame has the canonical headings of spec.annex_a.LISTS in order (then
    any extra columns); date columns are datetime64 from real Excel dates or
    dd/mm/YYYY text; other cells are stripped text, NaN when blank, with the
    template's drop-down values read as their codes ("a) Male" is "Male",
    "q) 6: Police" is "6": values.template_code).
    Problems raise one DataError naming the file, sheet, column and value.

    `mapping` (a d2i_examples.settings.mapping.ColumnMapping, from a settings
    file) renames a council's own headings and codes to the template's as the
    lists are read, in memory: the workbook is never changed.

    With ``problems`` a list (what `d2i-examples check` passes), a problem with one
    list's file, sheet, headings or date column is added there instead of raised and
    reading goes on, so every one can be told at once: such a list is left out (a date
    column kept as text). Problems with the workbook or folder as a whole still raise.
    """
    p = existing_path(path, "Annex A workbook or folder")
    if p.is_file():
        suffix = p.suffix.lower()
        if suffix in OLD_EXCEL_SUFFIXES:
            refuse_old_excel(p)
        if suffix in EXCEL_SUFFIXES and list_key(p.stem) is None:
            _refuse_send_annex_a(p)
            return _from_workbook(p, mapping, problems)
        if suffix in TEXT_SUFFIXES + EXCEL_SUFFIXES and list_key(p.stem):
            return _from_files([p], mapping, problems)
        raise DataError(
            "The Annex A loader reads an .xlsx workbook or a folder of per-list CSV files.",
            file=p,
            expected="a .xlsx workbook, or a folder of files named like 'List 1.csv'",
            found=f"a {p.suffix or 'file with no extension'} file",
            fix="Pass the Annex A workbook (.xlsx), or the folder holding the list files.",
        )
    entries = sorted(x for x in p.iterdir() if x.is_file() and not is_lock_or_hidden(x))
    readable = readable_files(entries)
    per_list = [x for x in readable if list_key(x.stem)]
    if per_list:
        return _from_files(per_list, mapping, problems)
    books = [x for x in readable if x.suffix.lower() in EXCEL_SUFFIXES]
    if len(books) == 1:
        _refuse_send_annex_a(books[0])
        return _from_workbook(books[0], mapping, problems)
    if len(books) > 1:
        raise DataError(
            "The Annex A folder holds more than one workbook.",
            file=p,
            expected="one Annex A workbook",
            found=", ".join(b.name for b in books),
            fix="Pass the workbook you want, e.g. read_annex_a(r'" + str(books[0]) + "').",
        )
    raise DataError(
        "No Annex A files were found in the folder." if entries
        else "The Annex A folder is empty.",
        file=p,
        expected="an Annex A .xlsx workbook, or per-list files named like 'List 1.csv'",
        found=", ".join(x.name for x in entries) or "no files",
        fix="Copy the Annex A workbook into this folder, or pass its path.",
    )
