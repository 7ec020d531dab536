"""Which files under a return's folder are which collection year's: ``return_years``.

    ssda903_years      year folders (2025/, "2025-26"/), or one year's files
    cin_census_years   one XML file a year, named by its header's ReferenceDate
    sen2_years         one XML file a year, named by its header's Year
    annex_a_files      workbooks with a year in their names, else the folder whole

Years come from names (``year_folders``, ``files_by_year``: a year folder, a
year in the file names) and, for the CIN census and SEN2, the header
(``datasets.years.evidence``). Two sources for one year, and a folder mixing
years, are refused with a DataError that says what to move. Only reads.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from d2i_examples.datasets.files import EXCEL_SUFFIXES, is_lock_or_hidden
from d2i_examples.datasets.identify import LIST_NAME, data_files, identify_file, return_files
from d2i_examples.datasets.year_notation import year_in_name, year_label
from d2i_examples.datasets.years.evidence import RULES, sen2_year
from d2i_examples.errors import DataError


def year_folders(root: Path) -> list[tuple[int, Path]]:
    """(year, folder) for each folder directly in ``root`` whose name states a collection
    year ("2026", "2025-26", "903_2025_26"), in name order; hidden folders left out. Two
    folders for one year are both listed: the caller says what is wrong."""
    return [(year_in_name(d.name), d) for d in sorted(root.iterdir())
            if d.is_dir() and not is_lock_or_hidden(d) and year_in_name(d.name) is not None]


def files_by_year(files: Iterable[Path]) -> dict[int | None, list[Path]]:
    """The files grouped by the collection year their names state (None: no year), in
    the order given."""
    found: dict[int | None, list[Path]] = {}
    for f in files:
        found.setdefault(year_in_name(f.name), []).append(f)
    return found


def ssda903_years(root: Path) -> dict[int | None, Path]:
    """The SSDA903 year folders under ``root``: {year: folder}; {None: root} if not stated.

    A folder whose files carry two different years in their names is refused
    (DataError), as is a mix of year folders and loose 903 files.
    """
    if root.is_file():
        return {year_in_name(root.name): root}
    year_dirs: dict[int | None, Path] = {}
    for year, d in year_folders(root):
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
    files = return_files(files, "ssda903")
    _refuse_mixed_names(root, files)
    years = set(files_by_year(files)) - {None}
    return {years.pop() if years else year_in_name(root.name): root}


def _refuse_mixed_names(root: Path, files: list[Path]) -> None:
    by_year = {year: [f.name for f in named]
               for year, named in files_by_year(files).items() if year is not None}
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


_COUNT = {2: "Two", 3: "Three", 4: "Four"}


def _xml_by_year(root: Path, year_of, label: str) -> dict[int | None, Path]:
    """{collection year: XML file} for one return's XML file(s) at ``root``, each file's
    year from ``year_of`` (its own content), else its name. Two files for one year are
    refused (DataError): one is usually an old copy."""
    files = [root] if root.is_file() else [
        f for f in data_files(root) if f.suffix.lower() == ".xml"]
    by_year: dict[int | None, list[Path]] = {}
    for f in files:
        year = year_of(f)
        by_year.setdefault(year_in_name(f.name) if year is None else year, []).append(f)
    clashes = {y: fs for y, fs in by_year.items() if len(fs) > 1}
    if clashes:  # every clash at once, not one pair per run
        raise DataError(
            "; ".join(f"{_COUNT.get(len(fs), len(fs))} {label} files are for {year_label(y)}"
                      for y, fs in clashes.items()) + ".",
            file=root,
            expected=f"one {label} XML file per collection year",
            found="; ".join(f"{year_label(y)}: " + ", ".join(f.name for f in fs)
                            for y, fs in clashes.items()),
            fix="Keep, for each year, the file you submitted (or mean to submit) and move "
            "the others (older copies?) out of the folder.",
        )
    return {y: fs[0] for y, fs in by_year.items()}


def _cin_census_year(path: Path) -> int | None:
    evidence = RULES["cin_census"].read(path)
    return RULES["cin_census"].year_of(evidence.date) if evidence else None


def cin_census_years(root: Path) -> dict[int | None, Path]:
    """{collection year: XML file} for the CIN census file(s) at ``root`` (the year from
    each census's own dates, else its name); two files for one year are refused."""
    return _xml_by_year(root, _cin_census_year, "CIN census")


def sen2_years(root: Path) -> dict[int | None, Path]:
    """{collection year: XML file} for the SEN2 file(s) at ``root`` (the year from each
    header, else its name); two files for one year are refused."""
    return _xml_by_year(root, sen2_year, "SEN2")


def annex_a_files(root: Path) -> dict[int | None, Path]:
    """{year in its name: workbook} for Annex A workbooks at ``root``, or {None: root}.

    A folder of per-list files, or with one workbook, is read as a whole.
    """
    if root.is_file():
        return {year_in_name(root.name): root}
    books = [f for f in data_files(root) if f.suffix.lower() in EXCEL_SUFFIXES
             and not LIST_NAME.search(f.stem)]
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


