"""Recognise a reader's SSD (a DuckDB file) in what they give ``d2i-examples check``.

The SSD examples read the SSD through their ``ssd_database`` parameter, not a data folder:
this module finds DuckDB files (the path given, or ``*.duckdb`` in the folder and its
sub-folders one level down), says which hold the SSD tables the examples read, and how to
run the examples on each. Only reads.
"""

from __future__ import annotations

from pathlib import Path

from d2i_examples.errors import DataError
from d2i_examples.ssd import returns
from d2i_examples.ssd.tables import OPTIONAL, TABLES

SUFFIX = ".duckdb"
EXAMPLES = ("ssd-returns", "api-payload")


def ssd_files(root: Path) -> list[Path]:
    """The DuckDB files at ``root``: itself, or those in it and its sub-folders."""
    root = Path(root)
    if root.is_file():
        return [root] if root.suffix.lower() == SUFFIX else []
    if not root.is_dir():
        return []
    found = [p for p in root.glob(f"*{SUFFIX}") if p.is_file()]
    found += [p for d in root.iterdir() if d.is_dir() and not d.name.startswith(".")
              for p in d.glob(f"*{SUFFIX}") if p.is_file()]
    return sorted(found)


def describe(path: Path) -> list[str]:
    """What the SSD at ``path`` holds (its tables, with rows) and how to use it; a
    :class:`DataError` when it is not a DuckDB file or lacks tables the examples read."""
    con = returns.connect(path)
    try:
        rows = {name: con.execute(f"SELECT COUNT(*) FROM {name}").fetchone()[0]
                for name in TABLES}
        absent = returns.stood_in(con)
    finally:
        con.close()
    if not rows["ssd_person"]:
        raise DataError("The SSD's person table is empty.", file=path, column="ssd_person",
                        expected="one row per person the extract covers", found="no rows",
                        fix="Run the SSD extract again, then check it.")
    shown = ", ".join(f"{name} ({n:,})" for name, n in rows.items() if name not in absent)
    lacking = [f"  Not in this SSD, so read as empty: {name} (without it, no {OPTIONAL[name]}). "
               "Extract it with D2I's ssd-data-model scripts to fill it in." for name in absent]
    return [f"Standard Safeguarding Dataset (DuckDB): {path}",
            f"  Tables the examples read, with rows: {shown}", *lacking,
            "  OK. The SSD examples read it through a parameter, not --data: "
            + "; ".join(f"d2i-examples run {name} -p ssd_database={path} --out FOLDER"
                        for name in EXAMPLES)]
