"""The local child population by ethnicity: the denominator of disproportionality rates.

The file (CSV, or an .xlsx workbook whose first sheet holds the table) has two
columns, matched ignoring case and spaces:

    ethnicity    the DfE ethnicity code used by SSDA903, the CIN census and
                 Annex A (WBRI, WIRI, ..., OOTH), or a group name such as
                 "White British" (see indicators.disproportionality)
    population   the number of children aged 0-17 living in the council's area

The synthetic sample's is sample_data/clean/population.csv, written by
`d2i-examples synth` from the sample council's profile. A council builds its
own from public figures: the ethnic mix of children from the ONS Census 2021
tables of ethnic group by age for the local authority, scaled if wanted to the
latest ONS mid-year estimate of children aged 0-17 (the mid-year estimates
have no ethnicity). Population figures are public; the file holds nothing
about individual children.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from d2i_examples.datasets.files import (
    as_text,
    clean_heading,
    existing_path,
    find_header_row,
    frame_from_sheet,
    is_blank,
    read_any,
)
from d2i_examples.datasets.samples import sample_root
from d2i_examples.errors import DataError

#: The file name looked for in the sample and in a reader's data folder.
POPULATION_FILE = "population.csv"
COLUMNS = ("ethnicity", "population")
_HOW_TO_MAKE = (
    "Make a CSV with columns 'ethnicity' (DfE codes such as WBRI) and 'population' "
    "(children aged 0-17), from the ONS Census 2021 ethnic group by age tables for your "
    "area (scaled if you like to the ONS mid-year estimate)"
)


def population_path(data_dir: str | Path | None = None, path: str | Path | None = None) -> Path:
    """Where the population file is: ``path`` if given, else population.csv in the
    reader's ``data_dir``, else the synthetic sample's. DataError if it is not there."""
    if path is not None:
        return existing_path(path, "population file")
    if data_dir is None:
        folder = sample_root() / "clean"
        fix = "Run `d2i-examples synth` to create the sample data, or set population_file."
    else:
        folder = existing_path(data_dir, "data folder")
        fix = f"{_HOW_TO_MAKE}, then save it as {POPULATION_FILE} in {folder} or set " \
              "population_file to its path."
    candidate = folder / POPULATION_FILE
    if not candidate.is_file():
        raise DataError(
            "No child population file was found.",
            file=candidate,
            expected=f"a {POPULATION_FILE} file with columns {', '.join(COLUMNS)}",
            found="nothing at that path",
            fix=fix,
        )
    return candidate


def read_population(path: str | Path) -> pd.DataFrame:
    """Read a population file: columns ethnicity (text, upper case) and population (int).

    Rows with the same ethnicity are added together. Raises DataError for a
    missing column, a blank ethnicity, or a population that is not a whole
    number of zero or more.
    """
    path = existing_path(path, "population file")
    sheet = read_any(path)[0]
    header = find_header_row(
        sheet, lambda headings: sum(h.lower() in COLUMNS for h in headings))
    if header is None:
        raise DataError("The population file has no rows.", file=sheet.label,
                        expected=f"a heading row ({', '.join(COLUMNS)}) and one row per group",
                        found="nothing", fix=_HOW_TO_MAKE + ".")
    frame = frame_from_sheet(sheet, header)
    frame.columns = [clean_heading(c).lower() for c in frame.columns]
    for column in COLUMNS:
        if column not in frame.columns:
            raise DataError(
                "A column the population file needs is missing.",
                file=sheet.label,
                column=column,
                expected=f"columns headed {' and '.join(COLUMNS)}",
                found=", ".join(map(repr, frame.columns)) or "no columns",
                fix="Rename the headings of the file to 'ethnicity' and 'population'.",
            )
    ethnicity = frame["ethnicity"].map(as_text)
    blank = ethnicity.isna()
    if blank.any():
        raise DataError("A row of the population file has no ethnicity.", file=sheet.label,
                        column="ethnicity", expected="an ethnicity code on every row",
                        found=f"blank on row(s) {', '.join(map(str, frame.index[blank][:5]))}",
                        fix="Fill in the code or delete the row.")
    text = frame["population"].map(as_text).astype("string").str.replace(",", "", regex=False)
    population = pd.to_numeric(text, errors="coerce")
    bad = population.isna() | (population < 0) | (population % 1 != 0)
    if bad.any():
        row = frame.index[bad][0]
        raise DataError(
            "A population in the population file is not a whole number of children.",
            file=sheet.label,
            column="population",
            expected="a whole number of children, zero or more, on every row",
            found=f"{_shown(frame.loc[row, 'population'])} on row {row}",
            fix="Correct the cell (no text, no blanks, no decimals).",
        )
    out = pd.DataFrame({"ethnicity": ethnicity.astype(str).str.upper().to_numpy(),
                        "population": population.astype("int64").to_numpy()})
    return out.groupby("ethnicity", sort=False, as_index=False)["population"].sum()


def _shown(value) -> str:
    return "a blank" if is_blank(value) else repr(value)


def load_population(data_dir: str | Path | None = None,
                    path: str | Path | None = None) -> pd.DataFrame:
    """The child population by ethnicity: from ``path``, else population.csv in
    ``data_dir``, else the synthetic sample's (see population_path and read_population)."""
    return read_population(population_path(data_dir, path))
