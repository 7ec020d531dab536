"""Read the DfE's published tables: Explore Education Statistics (EES) open-data CSVs.

Every data set on Explore Education Statistics downloads as a CSV in one layout (DfE,
*Open data standards*, analysts' guide,
https://dfe-analytical-services.github.io/analysts-guide/statistics-production/ud.html):
the time and place columns first (``time_period``, ``time_identifier``,
``geographic_level``, ``country_code``, ``country_name``, ``region_code``,
``region_name``, ``old_la_code``, ``la_name``, ``new_la_code``; a National row leaves
the region and LA columns blank), then the data set's filters (text, such as
``population_type``) and its indicators (numbers).

An indicator cell that is not a number holds a symbol saying why. The symbols and their
meanings are in each release's data guidance; those used by the children's social care
and SEN releases are:

- ``c``: suppressed to protect confidentiality (in the CIN release, any number from 1 to
  5, with secondary suppression where needed);
- ``k``: a percentage below 0.5 (children looked after data sets' footnotes);
- ``z``: not applicable; ``x``: not available (EHC plans data guidance, 2023);
- ``:``: not available, for example the LA could not return the item (CIN data guidance,
  2021: https://explore-education-statistics.service.gov.uk/find-statistics/children-in-need/2021/explore);
- ``u``: low reliability, ``low``: a small figure that rounds to zero (GSS shorthand,
  used by some data sets: read the data set's footnotes).

Such a cell is read as missing, never as zero, and its reason is kept in a column named
``<indicator>_reason``. A symbol not in this list is kept as its own reason. Numbers
with thousands separators ("41,630") are read as numbers; a true 0 stays 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from d2i_examples.datasets.files import (
    as_text,
    existing_path,
    frame_from_sheet,
    read_text_table,
)
from d2i_examples.errors import DataError

TIME_COLUMNS = ("time_period", "time_identifier")
LOCATION_COLUMNS = ("geographic_level", "country_code", "country_name", "region_code",
                    "region_name", "old_la_code", "la_name", "new_la_code")
STANDARD_COLUMNS = TIME_COLUMNS + LOCATION_COLUMNS
REQUIRED = ("time_period", "time_identifier", "geographic_level")
NATIONAL, REGIONAL, LOCAL_AUTHORITY = "National", "Regional", "Local authority"
SYMBOLS = {
    "c": "suppressed (confidential)",
    "k": "below 0.5%",
    "z": "not applicable",
    "x": "not available",
    ":": "not available",
    "u": "low reliability",
    "low": "rounds to zero",
    ".": "not available",
}
_CATALOGUE = "https://explore-education-statistics.service.gov.uk/data-catalogue/data-set/"
#: The folder of a council's data folder where its downloaded published tables go.
PUBLISHED_FOLDER = "published"


@dataclass(frozen=True)
class DataSet:
    """One of the DfE's data sets: its title, publication, page, and the columns (filters
    and indicators) that recognise its CSV whatever the file is called."""

    title: str
    publication: str
    url: str
    columns: tuple[str, ...]


#: The data sets the benchmarking example reads, by a short key.
DATA_SETS = {
    "cla_rates": DataSet(
        "CLA numbers and rates per 10,000 children aged under 18 years - by local authority",
        "Children looked after in England including adoptions",
        _CATALOGUE + "4cf02bf8-b4c7-46e5-a63e-702b431db15b",
        ("population_type", "children_count", "rate_per_10000")),
    "cla_stability": DataSet(
        "CLA - placement stability - by local authority",
        "Children looked after in England including adoptions",
        _CATALOGUE + "2ad311d1-cedf-4f31-9e0d-cc071b0cb1c2",
        ("cla_group", "placement_stability", "children_count", "children_percent")),
    "cin_referrals": DataSet(
        "C1 Referrals and re-referrals to children's social care services by local "
        "authority", "Children in need", _CATALOGUE + "911dae20-ac5d-4e28-bee8-53a658761fa5",
        ("referral_count", "rereferral_count", "rereferral_percent")),
    "cin_assessments": DataSet(
        "C2 Completed assessments by duration of assessment and local authority",
        "Children in need", _CATALOGUE + "3fb5a93d-1eb3-4f3a-bdd0-5caea4556ce6",
        ("Assessments_completed", "41-45_days", "46-50_days")),
    "cin_cpp_duration": DataSet(
        "D7 Child Protection Plans ending during the year by duration and local authority",
        "Children in need", _CATALOGUE + "04a78d29-2196-4bea-bf95-7a2eced5d0d5",
        ("CPP_End", "2_years_or_more", "2_years_or_more_percent")),
    "ehc_timeliness": DataSet(
        "Timeliness of new education, health and care plans, including those issued within "
        "the statutory 20 week timeframe", "Education, health and care plans",
        _CATALOGUE + "90d7c9d3-d811-46f1-ae61-39ea674d4654",
        ("plans_issued_den_ex", "plans_issued_20_weeks_ex", "plans_issued_den")),
}
_HOW = ("Download the data set's CSV from Explore Education Statistics ('Download data "
        "set' on its data catalogue page) and save it unchanged.")


def _number(text: object) -> float | None:
    if text is None:
        return None
    try:
        return float(str(text).replace(",", "").strip())
    except ValueError:
        return None


def _reason(text: str) -> str:
    return SYMBOLS.get(text.lower(), f"symbol '{text}' (see the data set's guidance)")


def read_published(path: str | Path, filters: list[str] | tuple[str, ...] = ()
                   ) -> pd.DataFrame:
    """Read one EES open-data CSV as published.

    Returns the standard columns (text), the filters (text) and every indicator as a
    number, with ``<indicator>_reason`` beside an indicator that holds symbols (blank
    where the cell is a number). A column is an indicator when every non-blank cell is a
    number or a symbol, unless ``filters`` names it. ``attrs["indicators"]`` lists them,
    ``attrs["file"]`` the file. DataError for a missing standard column or an empty file.
    """
    path = existing_path(path, "published data set (EES CSV)")
    sheet = read_text_table(path)
    if not sheet.rows:
        raise DataError("The published data set is empty.", file=path,
                        expected="a heading row and one row per place and year",
                        found="nothing", fix=_HOW)
    frame = frame_from_sheet(sheet, 0)
    missing = [c for c in REQUIRED if c not in frame.columns]
    if missing:
        raise DataError(
            "This CSV is not an Explore Education Statistics open-data file.",
            file=path, column=", ".join(missing),
            expected="the standard columns " + ", ".join(STANDARD_COLUMNS[:3]) + ", ...",
            found=", ".join(map(str, frame.columns[:8])) or "no columns", fix=_HOW)
    out = pd.DataFrame(index=frame.index)
    indicators: list[str] = []
    for column in frame.columns:
        text = frame[column].map(as_text)
        if column in STANDARD_COLUMNS or column in filters:
            out[column] = text.astype("string")
            continue
        values = text.map(_number)
        symbols = text[text.notna() & values.isna()].astype(str).str.strip()
        known = symbols.str.lower().isin(SYMBOLS)
        if text.notna().sum() == 0 or (not known.all() and values.notna().sum() == 0):
            out[column] = text.astype("string")  # a filter: text, not numbers
            continue
        indicators.append(column)
        out[column] = pd.to_numeric(values, errors="coerce").astype("float64")
        if len(symbols):
            reason = pd.Series(pd.NA, index=frame.index, dtype="string")
            reason[symbols.index] = symbols.map(_reason).to_numpy()
            out[f"{column}_reason"] = reason
    out["time_period"] = out["time_period"].str.strip()
    out.attrs["indicators"] = indicators
    out.attrs["file"] = str(path)
    return out.reset_index(drop=True)


def _by_level(frame: pd.DataFrame, columns: dict[str, str]) -> pd.Series:
    level = frame["geographic_level"].astype("string")
    out = pd.Series(pd.NA, index=frame.index, dtype="string")
    for name, column in columns.items():
        if column in frame.columns:
            pick = level.eq(name).fillna(False)
            out[pick] = frame.loc[pick, column].astype("string")
    return out


def place_code(frame: pd.DataFrame) -> pd.Series:
    """One code per row for the place it is about: the LA's new code (``new_la_code``)
    for a Local authority row, the region code for a Regional row, the country code
    for a National row."""
    return _by_level(frame, {LOCAL_AUTHORITY: "new_la_code", REGIONAL: "region_code",
                             NATIONAL: "country_code"})


def place_name(frame: pd.DataFrame) -> pd.Series:
    """The name of the place each row is about (LA, region or country name)."""
    return _by_level(frame, {LOCAL_AUTHORITY: "la_name", REGIONAL: "region_name",
                             NATIONAL: "country_name"})


def which_data_set(columns) -> str | None:
    """The key in DATA_SETS of the data set whose columns these are, or None."""
    present = {str(c).strip() for c in columns}
    for key, data_set in DATA_SETS.items():
        if set(data_set.columns) <= present:
            return key
    return None


def published_files(folder: str | Path) -> dict[str, Path]:
    """The published tables in a council's folder (its ``published`` subfolder, or the
    folder itself), recognised by their columns: {data set key: path}. Only reads."""
    folder = existing_path(folder, "data folder")
    found: dict[str, Path] = {}
    for place in (folder / PUBLISHED_FOLDER, folder):
        if not place.is_dir():
            continue
        for path in sorted(place.glob("*.csv")):
            sheet = read_text_table(path)
            key = which_data_set(sheet.rows[0]) if sheet.rows else None
            if key and key not in found:
                found[key] = path
    return found


def read_published_folder(folder: str | Path) -> dict[str, pd.DataFrame]:
    """Every recognised published table in the folder, read (see published_files)."""
    return {key: read_published(path) for key, path in published_files(folder).items()}


def load_published(data_dir: str | Path | None = None) -> dict[str, pd.DataFrame]:
    """The published tables a worked example compares with: those in the reader's
    ``data_dir`` (its ``published`` folder, or the folder itself), else the synthetic
    sample's (sample_data/published: the DfE's figures for England and the North
    East, and synthetic neighbours). DataError when the folder holds none."""
    from d2i_examples.datasets.samples import sample_root

    folder = sample_root() if data_dir is None else existing_path(data_dir, "data folder")
    tables = read_published_folder(folder)
    if not tables:
        raise DataError(
            "No published tables of the DfE were found.",
            file=folder / PUBLISHED_FOLDER,
            expected="one or more of: " + "; ".join(d.title for d in DATA_SETS.values()),
            found="no CSV with those data sets' columns",
            fix=f"Download them from Explore Education Statistics and save the CSVs in a "
            f"folder called '{PUBLISHED_FOLDER}' inside your data folder.")
    return tables
