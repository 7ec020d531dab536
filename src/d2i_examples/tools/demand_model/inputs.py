"""How the demand model's inputs are read and handed to it.

Inputs. ``fs_datastore`` (the tool's own reader) walks every ``*.csv`` below
a folder, takes ``YEAR/name.csv`` as a year folder (a non-numeric folder name
crashes it, deeper folders too), recognises header and episodes tables by
their columns, and then names each episodes file by the latest DECOM year in
it, ignoring the folder. Two files ending in the same DECOM year, or a gap in
the years, crash it later ("Could not find table for year"). Here we read the
same layout ourselves (year folders, or files whose names hold the year, or
one header + episodes pair; which folder or file name states which year is
``datasets.years``'s answer: ``year_folders``, ``files_by_year``), check the
tables, and hand the exact bytes to the tool through an in-memory DataStore
with each file's year stated, so the tool's own container, statistics and
predictor do the modelling.

Two rules stay the tool's own, so that the model receives what its own reader
would give it: header and episodes tables are recognised by the tool's test
(its columns, extra columns allowed), and one pair whose names state no year
is named by its latest DECOM's calendar year, as ``fs_datastore`` names it.
Unlike ``datasets.years.ssda903_years`` (the check's rule), a folder of files
named by several years is read year by year, and loose files beside year
folders are left out rather than refused.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from io import BytesIO
from itertools import pairwise
from pathlib import Path

import numpy as np
import pandas as pd

from d2i_examples.datasets.years import (
    files_by_year,
    year_ending_31_march,
    year_folders,
    year_in_name,
    year_label,
)
from d2i_examples.errors import DataError
from d2i_examples.spec.ssda903 import DATE_FORMAT
from d2i_examples.tools._csv_input import (
    CsvInput,
    csv_files,
    folder_path,
    frame_csv_bytes,
    missing_columns,
    read_csv_input,
)
from d2i_examples.tools.demand_model.tool import MODEL_CODES, _tool

YearFrames = Mapping[str, pd.DataFrame]
Source = str | Path | YearFrames | Mapping[int, YearFrames]


@dataclass
class _YearFiles:
    year: int | None  # None until _check_years names it by its latest DECOM, as the tool does
    header: CsvInput
    episodes: CsvInput


def _fields() -> dict[str, list[str]]:
    types = _tool()["cs_demand_model.data.ssda903"].SSDA903TableType
    return {
        "header": list(types.HEADER.value.fields),
        "episodes": list(types.EPISODES.value.fields),
    }


def _table_of(csv: CsvInput) -> str | None:
    """header/episodes if the file has the model's columns for it (the tool's own test)."""
    for table, fields in _fields().items():
        if set(fields) <= set(csv.columns):
            return table
    return None


def model_years(data: Source) -> list[_YearFiles]:
    """The years as the model will be handed them, read and checked by its input rules
    (DataError for what it cannot model; an AbsentNextYear warning when it closes
    episodes): what forecast_demand runs on, and what check asks of a folder."""
    return _year_files(data)


def _year_files(data: Source) -> list[_YearFiles]:
    if isinstance(data, Mapping):
        years = _frame_years(data)
    else:
        years = _folder_years(folder_path(data, "SSDA903 folder"))
    _check_years(years)
    _close_absent(years)
    _to_model_codes(years)
    return years


def _folder_years(folder: Path) -> list[_YearFiles]:
    """Year folders, else the header and episodes files grouped by the year their names
    state, else one unnamed pair: which name states which year is datasets.years's answer."""
    year_dirs = year_folders(folder)
    if year_dirs:
        return [_pair(*_tables_in(d), year, d) for year, d in year_dirs]
    found, unreadable = _tables_in(folder)
    named = files_by_year(csv.path for csv, _ in found)
    if len(found) <= 2 or None in named:
        return [_pair(found, unreadable, None, folder)]
    return [
        _pair([(csv, t) for csv, t in found if csv.path in named[year]], [], year, folder)
        for year in sorted(named)
    ]


def _tables_in(folder: Path) -> tuple[list[tuple[CsvInput, str]], list[str]]:
    """The header and episodes CSVs directly in ``folder``; other tables are ignored.

    Files that cannot be read are listed (with why) in case one was meant to
    be the header or episodes table.
    """
    found, unreadable = [], []
    for path in csv_files(folder):
        try:
            csv = read_csv_input(path)
        except DataError as err:
            unreadable.append(f"{path.name} ({err.problem})")
            continue
        table = _table_of(csv)
        if table:
            found.append((csv, table))
    return found, unreadable


def _pair(
    tables: list[tuple[CsvInput, str]], unreadable: list[str], year: int | None, where: Path
) -> _YearFiles:
    found: dict[str, CsvInput] = {}
    for csv, table in tables:
        if table in found:
            raise DataError(
                f"Two files hold the {table} table for the same year.",
                file=csv.path,
                found=f"{found[table].label} and {csv.label}",
                expected=f"one {table} file per year",
                fix="Put each year's files in a folder named by the year, e.g. 2024/.",
            )
        found[table] = csv
    for table, fields in _fields().items():
        if table not in found:
            seen = [f"{csv.label} ({t})" for csv, t in tables] + unreadable
            raise DataError(
                f"No SSDA903 {table} table found"
                + (f" for {year}" if year else "")
                + "; the demand model needs header and episodes for every year.",
                file=where,
                expected=f"a CSV with columns including {', '.join(fields)}",
                found=", ".join(seen) or "no header or episodes CSV files",
                fix="Add the table, or put each year's files in a folder named by the year.",
            )
    return _YearFiles(year, found["header"], found["episodes"])


def _frame_years(data: Mapping) -> list[_YearFiles]:
    if set(map(str, data)) <= {"header", "episodes"} or any(
        isinstance(v, pd.DataFrame) for v in data.values()
    ):
        items = [(None, data)]
    else:
        items = []
        for key, tables in data.items():
            year = year_in_name(str(key))
            if year is None or not isinstance(tables, Mapping):
                raise DataError(
                    "Frames for the demand model must be keyed by year.",
                    found=repr(key),
                    expected='{2024: {"header": df, "episodes": df}, ...}',
                )
            items.append((year, tables))
    years = []
    for year, tables in items:
        inputs = {}
        for table, fields in _fields().items():
            label = f"{table} frame" + (f" for {year}" if year else "")
            frame = tables.get(table)
            if not isinstance(frame, pd.DataFrame):
                raise DataError(
                    f"No {table} frame" + (f" for {year}" if year else "") + ".",
                    expected='frames keyed "header" and "episodes"',
                    found=", ".join(map(repr, tables)) or "nothing",
                )
            missing_columns(frame, fields, label, table)
            inputs[table] = CsvInput(label, None, frame_csv_bytes(frame, fields), tuple(fields))
        years.append(_YearFiles(year, inputs["header"], inputs["episodes"]))
    return years


def _read(csv: CsvInput) -> pd.DataFrame:
    return pd.read_csv(BytesIO(csv.content), dtype=str, keep_default_na=False)


def _where(csv: CsvInput, position: int) -> str:
    if csv.path is None:
        return f"row {position}"
    lines = csv.row_lines
    return f"line {lines[position]}" if position < len(lines) else f"row {position}"


def _dates(csv: CsvInput, frame: pd.DataFrame, column: str, required: bool) -> pd.Series:
    text = frame[column]
    parsed = pd.to_datetime(text, format=DATE_FORMAT, errors="coerce")
    bad = (text != "") & parsed.isna()
    blank = (text == "") if required else pd.Series(False, index=text.index)
    problem = bad | blank
    if problem.any():
        position = int(np.flatnonzero(problem.to_numpy())[0])
        raise DataError(
            f"{int(problem.sum())} {column} value(s) are "
            + ("blank or " if required else "")
            + "not dates in dd/mm/YYYY.",
            file=csv.path or csv.label,
            column=column,
            expected="dd/mm/YYYY, e.g. 31/03/2025" + (" (required)" if required else ""),
            found=f"{text.iloc[position]!r} at {_where(csv, position)}",
            fix="Format the column as dates dd/mm/yyyy before saving the CSV.",
        )
    return parsed


def _check_years(years: list[_YearFiles]) -> None:
    """Check each year's tables as the model will read them; name unnamed years."""
    headers, episodes = [], []
    for item in years:
        header, eps = _read(item.header), _read(item.episodes)
        for csv, frame in ((item.header, header), (item.episodes, eps)):
            blank = frame["CHILD"] == ""
            if blank.any():
                raise DataError(
                    "Some rows have no CHILD identifier.",
                    file=csv.path or csv.label,
                    column="CHILD",
                    found=f"blank at {_where(csv, int(np.flatnonzero(blank.to_numpy())[0]))}",
                    expected="every row to name its child",
                )
        dob = _dates(item.header, header, "DOB", required=True)
        decom = _dates(item.episodes, eps, "DECOM", required=True)
        _dates(item.episodes, eps, "DEC", required=False)
        headers.append(pd.DataFrame({"CHILD": header["CHILD"], "DOB": dob}))
        episodes.append(pd.DataFrame({"CHILD": eps["CHILD"], "DECOM": decom}))
    all_headers = pd.concat(headers).drop_duplicates("CHILD")
    for item, eps in zip(years, episodes, strict=True):
        merged = eps.merge(all_headers, on="CHILD", how="left")
        orphans = merged.loc[merged["DOB"].isna(), "CHILD"].unique()
        if len(orphans):
            raise DataError(
                f"{len(orphans)} child(ren) in the episodes table have no header row in any year; "
                "the model would silently drop them.",
                file=item.episodes.path or item.episodes.label,
                column="CHILD",
                found=", ".join(map(str, orphans[:5])) + (" ..." if len(orphans) > 5 else ""),
                expected="every CHILD in episodes to appear in a header table",
                fix="Add the missing header rows (check the CHILD identifiers match exactly).",
            )
        early = merged["DECOM"] < merged["DOB"]
        if early.any():
            position = int(np.flatnonzero(early.to_numpy())[0])
            raise DataError(
                "An episode starts before the child's date of birth.",
                file=item.episodes.path or item.episodes.label,
                column="DECOM",
                found=f"CHILD {merged['CHILD'].iloc[position]} at "
                f"{_where(item.episodes, position)}",
                expected="DECOM on or after the header's DOB",
            )
        if item.year is None:
            item.year = int(eps["DECOM"].dt.year.max())
    labels = [item.year for item in years]
    repeated = sorted({y for y in labels if labels.count(y) > 1})
    if repeated:
        raise DataError(
            "Two sets of tables are for the same year.",
            found=", ".join(map(str, repeated)),
            expected="one header and episodes table per year",
            fix="Put each year's files in a folder named by its year.",
        )
    gap = years_gap(labels)
    if gap is not None:
        raise gap


def years_gap(years: Iterable[int]) -> DataError | None:
    """The DataError naming the years missing between the first and the last of ``years``
    (the demand model needs every year in between), or None when there is no gap."""
    years = sorted(set(years))
    gaps = sorted(set(range(years[0], years[-1] + 1)) - set(years)) if years else []
    if not gaps:
        return None
    return DataError(
        "The years are not consecutive; the demand model needs every year in between.",
        found="years " + ", ".join(map(str, years)) + "; missing " + ", ".join(map(str, gaps)),
        expected="consecutive years",
        fix=f"Add the missing years, or move the years before {gaps[-1]} out of the folder.",
    )


class AbsentNextYear(UserWarning):
    """Children open at one 31 March who are absent from the next year's episodes."""


def _close_absent(years: list[_YearFiles]) -> None:
    """Close at 31 March the episodes left open in one year's file for children who are
    absent from the next year's episodes file.

    A 903 return lists every child looked after at any time in its year, so a
    child open on 31 March of one year but absent from the next year's file was
    not looked after during that next year. The tool joins the years and would
    keep such an episode open for ever (counting the child as looked after on
    every later date); here its DEC becomes the 31 March that ends its file's
    year (the first on or after the file's latest date), and a warning names
    the children.
    """
    ordered = sorted(years, key=lambda item: item.year)
    for item, following in pairwise(ordered):
        if following.year != item.year + 1:
            continue
        eps = _read(item.episodes)
        present = set(_read(following.episodes)["CHILD"])
        absent = (eps["DEC"] == "") & ~eps["CHILD"].isin(present)
        if not absent.any():
            continue
        dates = pd.concat([pd.to_datetime(eps[c], format=DATE_FORMAT, errors="coerce")
                           for c in ("DECOM", "DEC")])
        year_end = pd.Timestamp(year_ending_31_march(dates.max()), 3, 31)
        eps.loc[absent, "DEC"] = f"{year_end:{DATE_FORMAT}}"
        _replace_episodes(item, eps)
        children = sorted(eps.loc[absent, "CHILD"].unique())
        warnings.warn(AbsentNextYear(
            f"{len(children)} child(ren) looked after on {year_end:%d/%m/%Y} by the "
            f"{year_label(year_end.year)} files are absent from the next year's episodes, so "
            f"they are counted as having left care on {year_end:%d/%m/%Y} (their open "
            "episode is closed then): " + ", ".join(map(str, children[:5]))
            + (" ..." if len(children) > 5 else "") + ". If they were still looked after, "
            "the later year's return is missing them."), stacklevel=2)


def _replace_episodes(item: _YearFiles, eps: pd.DataFrame) -> None:
    """Give ``item`` the episodes ``eps`` in place of its file's (same label and path)."""
    item.episodes = CsvInput(item.episodes.label, item.episodes.path,
                             eps.to_csv(index=False, lineterminator="\n").encode("utf-8"),
                             tuple(eps.columns))


def _to_model_codes(years: list[_YearFiles]) -> None:
    """Hand the model each PLACE code its settings predate as the older code of the same
    placement (``MODEL_CODES``: K3 as H5), so that K3 counts as SUPPORTED like H5."""
    for item in years:
        eps = _read(item.episodes)
        place = eps["PLACE"].str.strip().str.upper()
        newer = place.isin(list(MODEL_CODES))
        if not newer.any():
            continue
        eps.loc[newer, "PLACE"] = place[newer].map(MODEL_CODES)
        _replace_episodes(item, eps)


@lru_cache(maxsize=1)
def _memory_store_class():
    """A cs_demand_model DataStore serving CSV bytes from memory, with tables and years stated."""

    class MemoryDataStore(_tool()["cs_demand_model.datastore"].DataStore):
        def __init__(self, files):
            self._files = files  # [(DataFile, bytes)]

        @property
        def files(self) -> Iterator:
            for data_file, _ in self._files:
                yield data_file

        @contextmanager
        def open(self, file):
            name = file.name if hasattr(file, "name") else file
            yield BytesIO(next(content for f, content in self._files if f.name == name))

    return MemoryDataStore


def _datastore(years: list[_YearFiles]):
    datastore = _tool()["cs_demand_model.datastore"]
    types = _tool()["cs_demand_model.data.ssda903"].SSDA903TableType
    files = []
    for item in years:
        for table, csv in (("header", item.header), ("episodes", item.episodes)):
            name = f"{item.year}/{table}.csv"
            metadata = datastore.Metadata(
                name=name,
                size=len(csv.content),
                year=item.year,
                table=types.HEADER if table == "header" else types.EPISODES,
            )
            files.append((datastore.DataFile(name=name, metadata=metadata), csv.content))
    return _memory_store_class()(files)
