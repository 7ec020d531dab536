"""Which councils to compare with: the DfE's children's services statistical neighbours file.

The DfE publishes, for each council, the ten councils most like it (its *statistical
neighbours*), as a workbook. Its layout here is **our reading** of how the DfE's own Local
Authority Interactive Tool reads its copy of the file (repository
dfe-analytical-services/local-authority-interactive-tool, ``global.R``: the workbook
"SN_April 2021.xlsx", sheet "LA SN Groups", headings on the third row); the workbook
itself could not be opened here. One row per council: ``LA num`` (the three-digit LA
number, ``old_la_code`` in the published tables), ``LA Name``, ``GOReg`` (its region),
then ``SN1`` to ``SN10``, the neighbours' LA numbers, nearest first, each followed by a
column headed ``SNP`` (not read here). The file is recognised by those headings (``LA
num`` and ``SN1``) in any of the first 20 rows of any sheet, whatever it is called, in a
council's ``published`` folder or at a path given.

``choose_neighbours`` settles the comparators of the benchmarking example: the LA codes
given, else the file's neighbours of the council, else every council in the tables.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

from d2i_examples.datasets.files import (
    EXCEL_SUFFIXES,
    Sheet,
    as_text,
    clean_heading,
    existing_path,
    find_header_row,
    is_lock_or_hidden,
    read_any,
)
from d2i_examples.datasets.published import LOCAL_AUTHORITY, PUBLISHED_FOLDER
from d2i_examples.errors import DataError

LA_NUMBER, LA_NAME, REGION = "LA num", "LA Name", "GOReg"
_SN = re.compile(r"^SN(\d+)$")
COLUMNS = ["la_number", "la_name", "region", "rank", "neighbour"]
_HOW = ("Save the DfE's children's services statistical neighbours workbook unchanged in "
        f"your '{PUBLISHED_FOLDER}' folder, or give your neighbours' LA codes with -p "
        "neighbours=[...].")


def _score(headings: list[str]) -> int:
    return (LA_NUMBER in headings) + any(_SN.match(h) for h in headings)


def _header(sheet: Sheet) -> int | None:
    index = find_header_row(sheet, _score)
    if index is None:
        return None
    headings = [clean_heading(v) for v in sheet.rows[index]]
    return index if _score(headings) == 2 else None


def _cell(row: list, j: int | None) -> object:
    return as_text(row[j]) if j is not None and j < len(row) else None


def _from_sheet(sheet: Sheet, index: int) -> pd.DataFrame:
    headings = [clean_heading(v) for v in sheet.rows[index]]
    where = {h: j for j, h in reversed(list(enumerate(headings)))}  # first of a heading
    ranks = {j: int(_SN.match(h).group(1)) for j, h in enumerate(headings) if _SN.match(h)}
    rows = []
    for row in sheet.rows[index + 1:]:
        number = _cell(row, where[LA_NUMBER])
        if not isinstance(number, str):
            continue  # a blank or footnote row
        for j, rank in ranks.items():
            neighbour = _cell(row, j)
            if isinstance(neighbour, str):
                rows.append([number, _cell(row, where.get(LA_NAME)),
                             _cell(row, where.get(REGION)), rank, neighbour])
    frame = pd.DataFrame(rows, columns=COLUMNS)
    for column in ("la_number", "la_name", "region", "neighbour"):
        frame[column] = frame[column].astype("string")
    return frame.sort_values(["la_number", "rank"], kind="stable").reset_index(drop=True)


def read_neighbours(path: str | Path) -> pd.DataFrame:
    """The statistical neighbours file as one row per council and neighbour: la_number,
    la_name, region, rank (1 = nearest) and neighbour (its LA number). DataError when no
    sheet has the headings ``LA num`` and ``SN1``."""
    path = existing_path(path, "statistical neighbours file")
    sheets = read_any(path)
    for sheet in sheets:
        index = _header(sheet)
        if index is not None:
            frame = _from_sheet(sheet, index)
            frame.attrs["file"] = str(path)
            return frame
    raise DataError(
        "This file is not the DfE's statistical neighbours file.", file=path,
        expected=f"a sheet with the headings '{LA_NUMBER}', '{LA_NAME}' and SN1 to SN10",
        found="; ".join(f"{s.sheet_name or path.name}: "
                        + ", ".join(str(clean_heading(v)) for v in (s.rows[0] if s.rows else [])
                                    if clean_heading(v))[:120] for s in sheets) or "no rows",
        fix=_HOW)


def neighbours_file(folder: str | Path) -> Path | None:
    """The statistical neighbours file in a council's ``published`` folder, recognised by
    its headings whatever it is called (only that folder is searched: a data folder's
    own workbooks can be large), or None."""
    place = Path(folder).expanduser() / PUBLISHED_FOLDER
    if not place.is_dir():
        return None
    for path in sorted(place.iterdir()):
        if path.suffix.lower() not in (*EXCEL_SUFFIXES, ".csv") or is_lock_or_hidden(path):
            continue
        try:
            if any(_header(sheet) is not None for sheet in read_any(path)):
                return path
        except DataError:
            continue
    return None


def la_codes(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Every council's old_la_code (LA number), new_la_code and la_name in the published
    tables (datasets.published.read_published frames), once each."""
    parts = []
    for table in tables.values():
        if not {"old_la_code", "new_la_code", "geographic_level"} <= set(table.columns):
            continue
        rows = table[table["geographic_level"].eq(LOCAL_AUTHORITY).fillna(False)]
        parts.append(rows.reindex(columns=["old_la_code", "new_la_code", "la_name"]))
    if not parts:
        return pd.DataFrame(columns=["old_la_code", "new_la_code", "la_name"], dtype="string")
    out = pd.concat(parts).dropna(subset=["new_la_code"]).astype("string")
    return out.drop_duplicates("new_la_code").reset_index(drop=True)


def neighbours_of(table: pd.DataFrame, council: str, codes: pd.DataFrame) -> list[str]:
    """The council's neighbours in the file (``read_neighbours``), nearest first, as the
    new LA codes the published tables use (``codes``: ``la_codes``); a neighbour whose
    number the tables do not hold keeps its number. ``council``: its new code (such as
    E06000047), its LA number or its name. DataError when the file has no such council."""
    council = str(council).strip()
    numbers = dict(zip(codes["new_la_code"], codes["old_la_code"], strict=True))
    wanted = {council, numbers.get(council, council)}
    rows = table[table["la_number"].isin(wanted)
                 | table["la_name"].str.casefold().eq(council.casefold()).fillna(False)]
    if rows.empty:
        raise DataError(
            "Your council is not in the statistical neighbours file.",
            file=table.attrs.get("file", "statistical neighbours file"), column=LA_NUMBER,
            expected=f"a row for {council}",
            found=f"{table['la_number'].nunique()} councils, such as "
            + ", ".join(table["la_number"].drop_duplicates().head(3)),
            fix="give council_code as your LA number or new code (e.g. -p council_code=841 "
            "or E06000005), as the file and the published tables spell it.")
    new = dict(zip(codes["old_la_code"], codes["new_la_code"], strict=True))
    first = rows["la_number"].iloc[0]
    return [new.get(n, n) for n in rows.loc[rows["la_number"].eq(first), "neighbour"]]


def choose_neighbours(given: Sequence[str] | None, tables: Mapping[str, pd.DataFrame],
                      council_code: str | int | None = None, data_dir: str | Path | None = None,
                      path: str | Path | None = None) -> tuple[list[str], str]:
    """(LA codes to compare with, a sentence saying where they came from).

    ``given`` codes win. Else the statistical neighbours file (``path``, or the one in
    ``data_dir``'s published folder) gives the council's neighbours, when
    ``council_code`` says which council it is (a new code, or an LA number such as 841,
    which a -p parameter reads as a number). Else every council in the published
    tables but the council itself (on the synthetic sample: its synthetic neighbours).
    """
    if given:
        return [str(code) for code in given], "the LA codes given in the parameters"
    council_code = None if council_code is None else str(council_code).strip()
    codes = la_codes(tables)
    found = Path(path) if path is not None else (
        neighbours_file(data_dir) if data_dir is not None else None)
    if found is not None and council_code:
        chosen = neighbours_of(read_neighbours(found), council_code, codes)
        return chosen, f"your statistical neighbours in {Path(found).name}"
    own = set(codes.loc[codes["old_la_code"].eq(council_code).fillna(False), "new_la_code"])
    others = [c for c in codes["new_la_code"] if c != council_code and c not in own]
    why = "every council in the published tables"
    if found is not None:
        why += (f" (give council_code to use your statistical neighbours in "
                f"{Path(found).name})")
    return others, why
