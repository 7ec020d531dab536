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

Which return a file holds is ``datasets.identify``'s answer. Years: which files
are which year's (``return_years``) and which collection year the chosen files
hold, and why, are ``datasets.years``'s answers (``locate`` asks it, and asks
the files' own dates when no name matches the year asked for). Only reads,
never writes.
"""

from __future__ import annotations

from pathlib import Path

from d2i_examples.datasets.files import is_lock_or_hidden
from d2i_examples.datasets.identify import data_files, folder_return, identify_file
from d2i_examples.datasets.years import from_content, return_years, year_in_name, year_label
from d2i_examples.errors import DataError

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
    if len(named) > 1:  # a folder whose files are another return's (a SEND Annex A) is not one
        named = [d for d in named if _holds(d, return_name)] or named
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
