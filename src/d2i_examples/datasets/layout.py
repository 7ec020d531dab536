"""Find a return's files in a reader's own data folder, and the years they cover.

The layout a reader is asked for (any name for the top folder)::

    my-data/
      ssda903/            the SSDA903 tables (.csv or .xlsx; any file names)
        2025/             one folder per collection year, named by the year the
        2026/             return ends (2026 = 2025/26; "2025-26" works too)...
      cin_census/         ...or the year's files straight in ssda903/
        cin_census_2026.xml   one XML file per year
      annex_a/
        annex_a.xlsx      the Annex A workbook (or one CSV per list)
      sen2/
        sen2_2026.xml     the SEN2 XML, one file per year (census in January)

Folder names are matched ignoring case and punctuation ("SSDA903", "903",
"CLA"; "CIN census", "CIN"; "Annex A"). A folder holding one return's files
directly (the 903 tables, a CIN XML, an Annex A workbook) works too: files
are recognised by their content, not their names.

Years: which files are which year's is told by names (a year folder, a year in
the file names) and, for the CIN census, the header's ReferenceDate; which
collection year the chosen files hold, and why, is d2i_examples.datasets.years's
answer (``locate`` asks it when no name matches the year asked for). Only
reads, never writes.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from d2i_examples.datasets.files import (
    EXCEL_SUFFIXES,
    OLD_EXCEL_SUFFIXES,
    TEXT_SUFFIXES,
    clean_heading,
    decode_text,
    is_lock_or_hidden,
)
from d2i_examples.datasets.years import RULES, from_content, year_in_name, year_label
from d2i_examples.errors import DataError
from d2i_examples.spec import ssda903 as spec_903

RETURNS = ("ssda903", "cin_census", "annex_a", "sen2")
#: How messages name each return.
LABELS = {
    "ssda903": "SSDA903 (children looked after)",
    "cin_census": "CIN census (children in need)",
    "annex_a": "Ofsted Annex A",
    "sen2": "SEN2 (EHC plans)",
}
#: The folder each return's files go in, as the docs and messages name it.
FOLDERS = {"ssda903": "ssda903", "cin_census": "cin_census", "annex_a": "annex_a",
           "sen2": "sen2"}
_903_COLUMNS = {c for _, cols in spec_903.TABLES.values() for c in cols}
_LIST = re.compile(r"(?<![a-z])list[\s_-]*(\d{1,2})(?!\d)", re.IGNORECASE)


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
    upper = {re.sub(r"[\s\-]+", "_", h.upper()) for h in cleaned}
    if len(upper & _903_COLUMNS) >= 2:
        return "ssda903"
    if "child unique id" in {h.lower() for h in cleaned} or _LIST.search(name):
        return "annex_a"
    return None


def _identify_workbook(path: Path) -> str | None:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - damaged or protected: the loader explains
        return None
    try:
        if any(_LIST.search(ws.title) for ws in book.worksheets):
            return "annex_a"
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


# --- where is a return? --------------------------------------------------------------


def return_root(data_dir: str | Path, return_name: str) -> Path | None:
    """The folder (or file) holding ``return_name`` in a reader's data folder; None if absent.

    A sub-folder named for the return wins; else ``data_dir`` itself when it
    holds that return's files, or (SSDA903) year folders of 903 files.
    """
    root = Path(data_dir).expanduser()
    if root.is_file():
        return root if identify_file(root) == return_name else None
    if not root.is_dir():
        return None
    subfolders = [d for d in sorted(root.iterdir()) if d.is_dir() and not is_lock_or_hidden(d)]
    named = [d for d in subfolders if folder_return(d.name) == return_name]
    if len(named) > 1:
        raise DataError(
            f"The data folder holds more than one {LABELS[return_name]} folder.",
            file=root,
            expected=f"one folder named {FOLDERS[return_name]}",
            found=", ".join(d.name for d in named),
            fix="Keep one of them (move the other out of the data folder).",
        )
    if named:
        return named[0]
    if _holds(root, return_name):
        return root
    # a sub-folder with another name ("exports") whose files are this return's
    for d in subfolders:
        if folder_return(d.name) is None and year_in_name(d.name) is None and _holds(
            d, return_name
        ):
            return d
    return None


def _holds(folder: Path, return_name: str) -> bool:
    """True when ``folder`` holds files of the return (903: or year folders of them)."""
    if any(identify_file(f) == return_name for f in data_files(folder)):
        return True
    return return_name == "ssda903" and any(
        d.is_dir() and year_in_name(d.name) is not None
        and any(identify_file(f) == "ssda903" for f in data_files(d))
        for d in sorted(folder.iterdir())
    )


def returns_found(data_dir: str | Path) -> dict[str, Path]:
    """Every return found in a reader's data folder, with where it is."""
    found = {}
    for name in RETURNS:
        where = return_root(data_dir, name)
        if where is not None:
            found[name] = where
    return found


# --- which years? --------------------------------------------------------------------


def ssda903_years(root: Path) -> dict[int | None, Path]:
    """The SSDA903 year folders under ``root``: {year: folder}; {None: root} if not stated.

    A folder whose files carry two different years in their names is refused
    (DataError), as is a mix of year folders and loose 903 files.
    """
    if root.is_file():
        return {year_in_name(root.name): root}
    year_dirs = {}
    for d in sorted(root.iterdir()):
        if d.is_dir() and not is_lock_or_hidden(d) and year_in_name(d.name) is not None:
            year = year_in_name(d.name)
            if year in year_dirs:
                raise DataError(
                    f"Two SSDA903 folders are for {year_label(year)}.",
                    file=root,
                    expected="one folder per collection year",
                    found=f"{year_dirs[year].name} and {d.name}",
                    fix="Keep one folder per year (move the other out of the data folder).",
                )
            year_dirs[year] = d
    files = [f for f in data_files(root)
             if identify_file(f) not in ("cin_census", "annex_a") and f.suffix.lower() != ".xml"]
    if year_dirs:
        loose = [f.name for f in files if identify_file(f) == "ssda903"]
        if loose:
            raise DataError(
                "The SSDA903 folder mixes year folders with loose 903 files.",
                file=root,
                expected="either one folder per year (2025/, 2026/) or one year's files",
                found=f"year folders {', '.join(d.name for d in year_dirs.values())} and files "
                + ", ".join(loose),
                fix="Move the loose files into the folder of their year.",
            )
        return year_dirs
    _refuse_mixed_names(root, files)
    years = {year_in_name(f.name) for f in files} - {None}
    return {years.pop() if years else year_in_name(root.name): root}


def _refuse_mixed_names(root: Path, files: list[Path]) -> None:
    by_year: dict[int, list[str]] = {}
    for f in files:
        year = year_in_name(f.name)
        if year is not None:
            by_year.setdefault(year, []).append(f.name)
    if len(by_year) > 1:
        years = sorted(by_year)
        raise DataError(
            "This folder mixes files from different collection years.",
            file=root,
            expected="one year's files per folder",
            found="; ".join(f"{year_label(y)}: {', '.join(by_year[y])}" for y in years),
            fix="Put each year's files in a folder of its own, named by the year the return "
            "ends: " + " and ".join(f"{root.name}/{y}/" for y in years) + ".",
        )


def cin_census_years(root: Path) -> dict[int | None, Path]:
    """{collection year: XML file} for the CIN census file(s) at ``root``.

    Two files for the same year are refused (DataError): one is usually an old copy.
    """
    files = [root] if root.is_file() else [
        f for f in data_files(root) if f.suffix.lower() == ".xml"
    ]
    years: dict[int | None, Path] = {}
    for f in files:
        evidence = RULES["cin_census"].read(f)
        year = RULES["cin_census"].year_of(evidence.date) if evidence else year_in_name(f.name)
        if year in years:
            raise DataError(
                f"Two CIN census files are for {year_label(year)}.",
                file=root,
                expected="one CIN census XML file per collection year",
                found=f"{years[year].name} and {f.name}",
                fix="Keep the file you submitted (or mean to submit) and move the other "
                "(an older copy?) out of the folder.",
            )
        years[year] = f
    return years


def sen2_year(path: Path) -> int | None:
    """The collection year of a SEN2 XML file: its header's Year (the census is in January
    of it). None when the header does not say (or the file cannot be parsed: the loader
    explains why)."""
    try:
        for _, el in ET.iterparse(path, events=("end",)):
            tag = el.tag.split("}", 1)[-1]
            if tag == "Year" and el.text and el.text.strip().isdigit():
                return int(el.text.strip())
            if tag in ("CollectionDetails", "Header", "Persons"):
                break
    except (ET.ParseError, OSError, UnicodeDecodeError):
        return None
    return None


def sen2_years(root: Path) -> dict[int | None, Path]:
    """{collection year: XML file} for the SEN2 file(s) at ``root``; two files for one
    year are refused (DataError)."""
    files = [root] if root.is_file() else [
        f for f in data_files(root) if f.suffix.lower() == ".xml"]
    years: dict[int | None, Path] = {}
    for f in files:
        year = sen2_year(f)
        if year is None:
            year = year_in_name(f.name)
        if year in years:
            raise DataError(
                f"Two SEN2 files are for {year}.", file=root,
                expected="one SEN2 XML file per collection year",
                found=f"{years[year].name} and {f.name}",
                fix="Keep the file you submitted and move the other (an older copy?) out "
                "of the folder.")
        years[year] = f
    return years


def annex_a_files(root: Path) -> dict[int | None, Path]:
    """{year in its name: workbook} for Annex A workbooks at ``root``, or {None: root}.

    A folder of per-list files, or with one workbook, is read as a whole.
    """
    if root.is_file():
        return {year_in_name(root.name): root}
    books = [f for f in data_files(root) if f.suffix.lower() in EXCEL_SUFFIXES
             and not _LIST.search(f.stem)]
    if len(books) > 1 and all(year_in_name(b.name) for b in books):
        by_year = {year_in_name(b.name): b for b in books}
        if len(by_year) == len(books):
            return by_year
    return {None: root}


def return_years(return_name: str, root: Path) -> dict[int | None, Path]:
    """{collection year: path} for one return at ``root`` (see each return's function)."""
    if return_name == "ssda903":
        return ssda903_years(root)
    if return_name == "cin_census":
        return cin_census_years(root)
    if return_name == "sen2":
        return sen2_years(root)
    return annex_a_files(root)


def locate(
    return_name: str, data_dir: str | Path, year: int | None = None
) -> tuple[Path, int | None]:
    """(path to read, its collection year) for one return in a reader's folder.

    ``year`` None takes the only year, or the latest. A folder whose year is
    not stated is taken for any ``year`` (the check step compares the dates).
    Raises DataError when the return or the year is not there.
    """
    root = Path(data_dir).expanduser()
    if not root.exists():
        raise DataError(
            "Your data folder was not found.",
            file=root,
            expected="an existing folder holding your files",
            found="nothing at that path",
            fix="Check the spelling, and that the drive or network share is connected. "
            "Give the full path (e.g. C:/Users/you/Documents/my-data).",
        )
    where = return_root(root, return_name)
    if where is None:
        others = [LABELS[r] for r, _ in returns_found(root).items() if r != return_name]
        raise DataError(
            f"No {LABELS[return_name]} files were found in your data folder.",
            file=root,
            expected=f"a folder named {FOLDERS[return_name]} holding them, or the files "
            "themselves",
            found=("files of another return: " + ", ".join(others)) if others
            else ", ".join(p.name for p in sorted(root.iterdir())[:10]) or "an empty folder",
            fix=f"Put the {LABELS[return_name]} files in {root / FOLDERS[return_name]} "
            "(see the book page 'Running the examples on your own data').",
        )
    years = return_years(return_name, where)
    if not years:
        raise DataError(
            f"No {LABELS[return_name]} files were found.",
            file=where,
            expected="the return's files",
            found=", ".join(p.name for p in sorted(where.iterdir())[:10]) or "an empty folder",
            fix=f"Copy the {LABELS[return_name]} files into this folder.",
        )
    if year is None:
        known = sorted(y for y in years if y is not None)
        chosen = known[-1] if known else None
        return years[chosen], chosen
    if year in years:
        return years[year], year
    if list(years) == [None]:
        return years[None], year
    by_content = [path for path in years.values()
                  if (found := from_content(return_name, path)) and found[0].year == year]
    if len(by_content) == 1:  # named for another year, but its own dates are this year's
        return by_content[0], year
    raise DataError(
        f"Your {LABELS[return_name]} files have no {year_label(year)} year.",
        file=where,
        column="collection_year",
        expected=f"{year_label(year)} (collection year {year})",
        found="years " + ", ".join(
            f"{year_label(y)} ({years[y].name})" for y in sorted(k for k in years if k)
        ),
        fix="Pick one of the years found (e.g. -p collection_year="
        f"{max(k for k in years if k)}), or add that year's files in a folder named {year}.",
    )
