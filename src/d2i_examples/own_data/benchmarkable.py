"""Which measures a council's folder can benchmark: the DfE's published tables it holds.

``describe_published`` looks for the DfE's data sets (datasets.published.DATA_SETS,
recognised by their columns) in the folder's ``published`` folder or the folder itself,
reads each, and says which measures (indicators.comparison.PUBLISHED) can be set beside
England, the region and the neighbours, and which need another download (naming the
data set and its page). The benchmarking example's check (``d2i-examples check
benchmarking``) reports it; ``d2i-examples check`` reports it for any folder holding
published tables.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from d2i_examples.datasets.neighbours import neighbours_file, read_neighbours
from d2i_examples.datasets.published import (
    DATA_SETS,
    PUBLISHED_FOLDER,
    published_files,
    read_published,
)
from d2i_examples.errors import DataError
from d2i_examples.indicators import benchmarks
from d2i_examples.indicators.comparison import PUBLISHED, published_values

#: Measures indicators.benchmarks computes that no published data set here holds yet.
NOT_COMPARED = [m for m in benchmarks.MEASURES if m not in PUBLISHED]


def _neighbours_line(root: Path) -> list[str]:
    """What check says about the DfE's statistical neighbours file, if the folder has one."""
    path = neighbours_file(root)
    if path is None:
        return [("Neighbours: no statistical neighbours file in published/; the example "
                 "compares with the LA codes you give (-p neighbours=[...]), else with every "
                 "council in the published tables.")]
    try:
        table = read_neighbours(path)
    except DataError:
        return []  # recognised by its headings, so it reads; kept quiet if it does not
    count = table["la_number"].nunique()
    return [(f"Neighbours: {path.name}, the statistical neighbours of {count} "
             f"council{'s' if count != 1 else ''} (give council_code to pick yours).")]


def describe_published(root: Path, absent: Iterable[str] = ()
                       ) -> tuple[list[str], list[DataError]]:
    """(lines to show, problems) for the published tables in ``root``; measures that
    need a return ``absent`` from the folder are named as left out, not offered."""
    try:
        files = published_files(root)
    except DataError as err:
        return [], [err]
    lines, problems, tables = [], [], {}
    for key, path in files.items():
        try:
            tables[key] = read_published(path)
        except DataError as err:
            problems.append(err)
            continue
        years = sorted(tables[key]["time_period"].dropna().unique()) or ["no year"]
        lines.append(f"Published: {path.name}: '{DATA_SETS[key].title}' "
                     f"({len(tables[key])} rows, {years[0]} to {years[-1]})")
    try:
        published_values(tables)
    except DataError as err:
        problems.append(err)
        return lines, problems
    gone = {m for name in absent for m in benchmarks.BY_RETURN.get(name, ())}
    ready = [m for m, spec in PUBLISHED.items() if spec.data_set in tables and m not in gone]
    missing = [m for m, spec in PUBLISHED.items()
               if spec.data_set not in tables and m not in gone]
    if ready:
        lines.append("Can be benchmarked: " + "; ".join(ready) + ".")
    for measure in missing:
        data_set = DATA_SETS[PUBLISHED[measure].data_set]
        lines.append(f"Needs another download for '{measure}': '{data_set.title}' "
                     f"({data_set.url}), saved in {PUBLISHED_FOLDER}/.")
    not_compared = [m for m in NOT_COMPARED if m not in gone]
    if tables and not_compared:
        lines.append("Computed from your returns but not yet compared (the example reads "
                     "no published data set for them): " + "; ".join(not_compared) + ".")
    lines += benchmarks.left_out({name: None for name in absent})
    lines += _neighbours_line(root)
    if not tables and not problems:
        problems.append(DataError(
            "No published tables of the DfE were found in your data folder.",
            file=root / PUBLISHED_FOLDER,
            expected="one or more of: " + "; ".join(d.title for d in DATA_SETS.values()),
            found="no CSV file with those data sets' columns",
            fix=f"Download them from Explore Education Statistics ('Download data set' on "
            f"each data set's page) and save the CSVs unchanged in a folder called "
            f"'{PUBLISHED_FOLDER}' inside your data folder."))
    return lines, problems
