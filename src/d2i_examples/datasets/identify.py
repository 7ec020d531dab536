"""Which return a file or folder holds: judged from a folder's name, a file's first bytes
or headings, never from where it sits.

``folder_return`` reads a folder's name ("SSDA903", "903", "CLA"; "CIN census";
"Annex A"); ``identify_file`` a file's content (the CIN census and SEN2 XML by
their elements, 903 tables by their column headings, Annex A by "Child Unique
ID" or a list number; the DfE's published tables, which are no return, by their
``time_period`` and ``geographic_level`` columns); ``data_files`` lists the files a loader could read.
``datasets.layout`` (where a return is) and ``datasets.years`` (which files
are which year) both ask this module. Only reads, never writes.
"""

from __future__ import annotations

import re
from pathlib import Path

from d2i_examples.datasets.files import (
    EXCEL_SUFFIXES,
    OLD_EXCEL_SUFFIXES,
    TEXT_SUFFIXES,
    clean_heading,
    decode_text,
    is_lock_or_hidden,
)
from d2i_examples.spec import ssda903 as spec_903

_903_COLUMNS = {c for _, cols in spec_903.TABLES.values() for c in cols}
#: "list 1", "List_11": an Annex A list's number in a sheet or file name
LIST_NAME = re.compile(r"(?<![a-z])list[\s_-]*(\d{1,2})(?!\d)", re.IGNORECASE)
#: words in the headings of the SEND Annex A (the lists an area SEND inspection asks
#: for), which Ofsted's children's services Annex A (spec.annex_a) never uses
SEND_WORDS = re.compile(r"(?<![a-z])(ehcp?|sen|send|special educational)(?![a-z])",
                        re.IGNORECASE)
#: identify_file's name for a SEND Annex A workbook, which no example reads
SEND_ANNEX_A = "send_annex_a"
#: identify_file's name for a DfE published table (an Explore Education Statistics CSV,
#: datasets.published): public figures, not a return
PUBLISHED = "published"


def folder_return(name: str) -> str | None:
    """The return a folder's name points to: "SSDA903", "903 extract", "CLA"; "CIN census",
    "CIN"; "Annex A", "annex_a_2026". None when the name says nothing."""
    lower = name.lower()
    key = re.sub(r"[^a-z0-9]", "", lower)
    words = set(re.findall(r"[a-z]+|\d+", lower))
    if "annexa" in key:
        return "annex_a"
    if "sen2" in key or words & {"send", "ehcp"}:
        return "sen2"
    if "cincensus" in key or "cin" in words:
        return "cin_census"
    if "ssda903" in key or words & {"903", "cla", "lac"}:
        return "ssda903"
    return None


def data_files(folder: Path) -> list[Path]:
    """Files directly in ``folder`` a loader could read (no lock or hidden files)."""
    return sorted(
        p for p in folder.iterdir()
        if p.is_file() and not is_lock_or_hidden(p)
        and p.suffix.lower() in TEXT_SUFFIXES + EXCEL_SUFFIXES + OLD_EXCEL_SUFFIXES + (".xml",)
    )


# --- which return is a file? -------------------------------------------------------


def return_files(files: list[Path], return_name: str) -> list[Path]:
    """The files that hold ``return_name`` (by ``identify_file``), else, when none is
    recognised (headings a settings file renames), the files not recognised as anything
    else. Only these may say, by their names, which year a return is: a stray workbook
    called "budget_2025.xlsx" beside the 903 files has no say."""
    judged = [(f, identify_file(f)) for f in files]
    ours = [f for f, found in judged if found == return_name]
    return ours or [f for f, found in judged if found is None]


def identify_file(path: Path) -> str | None:
    """Which return a file holds, judged from its first bytes or headings; None if unsure.

    Unreadable files give None: the loaders explain what is wrong with them.
    """
    suffix = path.suffix.lower()
    try:
        if suffix == ".xml":
            head = path.open("rb").read(8192).decode("utf-8", errors="replace")
            if re.search(r"<(\w+:)?Persons[\s>]", head) or re.search(
                    r"<(\w+:)?Collection>\s*SEN2\s*<", head):
                return "sen2"
            return "cin_census" if re.search(r"<(\w+:)?Children[\s>]", head) or re.search(
                r"<(\w+:)?Collection>\s*CIN\s*<", head) else None
        if suffix in TEXT_SUFFIXES:
            first = decode_text(path.open("rb").read(65536)).lstrip("\ufeff").split("\n", 1)[0]
            return _by_headings(re.split(r"[,;\t]", first), path.stem)
        if suffix in EXCEL_SUFFIXES:
            return _identify_workbook(path)
    except (OSError, ValueError):
        return None
    return None


def _by_headings(headings: list[object], name: str = "") -> str | None:
    cleaned = [clean_heading(h).strip('"') for h in headings]
    if {"time_period", "geographic_level"} <= set(cleaned):
        return PUBLISHED
    upper = {re.sub(r"[\s\-]+", "_", h.upper()) for h in cleaned}
    if len(upper & _903_COLUMNS) >= 2:
        return "ssda903"
    lower = {h.lower() for h in cleaned}
    if "child unique id" not in lower and any(SEND_WORDS.search(h) for h in cleaned):
        return SEND_ANNEX_A if LIST_NAME.search(name) or "unique id" in lower else None
    if "child unique id" in lower or LIST_NAME.search(name):
        return "annex_a"
    return None


def _which_annex_a(sheets) -> str:
    """Ofsted's children's services Annex A, or the SEND Annex A, by the list sheets'
    heading rows (the first ten rows of each)."""
    for ws in sheets:
        for row in ws.iter_rows(max_row=10, values_only=True):
            if _by_headings(list(row), ws.title) == SEND_ANNEX_A:
                return SEND_ANNEX_A
    return "annex_a"


def _identify_workbook(path: Path) -> str | None:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - damaged or protected: the loader explains
        return None
    try:
        lists = [ws for ws in book.worksheets if LIST_NAME.search(ws.title)]
        if lists:
            return _which_annex_a(lists)
        for ws in book.worksheets[:12]:
            for row in ws.iter_rows(max_row=10, values_only=True):
                found = _by_headings(list(row))
                if found:
                    return found
    except Exception:  # noqa: BLE001
        return None
    finally:
        book.close()
    return None
