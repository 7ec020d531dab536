"""Rebuild the CIN census and Annex A lists from an SSD, with the SQL in ``sql/``.

Each ``sql/*.sql`` file is one query in the subset of SQL that DuckDB and SQL Server share
(``CAST(... AS DATE)``, ``CASE``, ``EXISTS``, ``CROSS JOIN``, common table expressions; no
date arithmetic, no JSON functions), with the period written as two placeholders,
``'{period_start}'`` and ``'{period_end}'``, inside date literals. :func:`sql` fills them
in; the text it returns runs as it is in SQL Server Management Studio against a council's
SSD (the tests parse every file with sqlglot's T-SQL dialect; no SQL Server runs here);
``d2i-examples ssd --sql NAME`` prints it. :func:`query` runs it on a DuckDB SSD
(:func:`connect`). Running it from Python on SQL Server (a connection string in a settings
file) is not built: that needs an ODBC driver this environment does not have.

Periods, as the returns define them: the CIN census year runs from 1 April to 31 March;
Annex A's lists cover the 12 months up to the inspection date (List 1 the last six).
Everything is as it stood on the period's last day: a date after it is not known yet,
even when the SSD was extracted later.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd

from d2i_examples.errors import DataError
from d2i_examples.ssd.tables import OPTIONAL, TABLES

SQL_DIR = Path(__file__).with_name("sql")
CIN_CENSUS = ("cin_census_children", "cin_census_episodes", "cin_census_modules")
ANNEX_A = {f"list_{n}": f"annex_a_list_{n}" for n in range(1, 11)}


def names() -> list[str]:
    """The queries in ``sql/``, by file name without ``.sql``."""
    return sorted(p.stem for p in SQL_DIR.glob("*.sql"))


def _day(value, what: str) -> date:
    try:
        return pd.Timestamp(value).date()
    except (TypeError, ValueError):
        raise DataError(f"The {what} is not a date.", column=what,
                        expected="a date such as 2026-03-31", found=repr(value),
                        fix="Give the date as YYYY-MM-DD.") from None


def sql(name: str, period_start, period_end) -> str:
    """The query ``name`` (see :func:`names`) with its period filled in."""
    if name not in names():
        raise DataError("There is no SSD query of that name.", column="name",
                        expected=", ".join(names()), found=repr(name),
                        fix="Use one of the names listed.")
    first, last = _day(period_start, "period_start"), _day(period_end, "period_end")
    if first > last:
        raise DataError("The period ends before it starts.", column="period_end",
                        expected=f"a date on or after {first}", found=str(last),
                        fix="Swap the two dates.")
    text = (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")
    return text.replace("{period_start}", first.isoformat()).replace(
        "{period_end}", last.isoformat())


def connect(database: str | Path):
    """Open a DuckDB SSD read-only, checking it holds the SSD tables the queries read."""
    import duckdb

    path = Path(database).expanduser()
    if not path.is_file():
        raise DataError("There is no SSD database at that path.", column="database",
                        expected="a DuckDB file holding the SSD tables (ssd_person, ...)",
                        found=str(path), fix="Check the path in your settings file.")
    try:
        con = duckdb.connect(str(path), read_only=True)
        present = {r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables").fetchall()}
    except duckdb.Error as err:
        raise DataError("That file is not a DuckDB database.", column="database",
                        expected="a DuckDB file holding the SSD tables",
                        found=f"{path.name}: {str(err).splitlines()[0]}",
                        fix="Point the settings at the SSD's DuckDB file.") from None
    missing = sorted(set(TABLES) - present - set(OPTIONAL))
    if missing:
        con.close()
        raise DataError("The database lacks SSD tables the examples read.", column="database",
                        expected=", ".join(sorted(set(TABLES) - set(OPTIONAL))),
                        found=f"{path.name}: no {', '.join(missing)}",
                        fix="Extract those tables into the SSD (D2I's ssd-data-model scripts).")
    for name in sorted(set(OPTIONAL) - present):  # read as empty, for this connection only
        con.execute(TABLES[name].ddl(temporary=True))
    return con


def stood_in(con) -> list[str]:
    """The optional SSD tables (``tables.OPTIONAL``) the database lacks, which
    :func:`connect` made empty for the connection."""
    return sorted(r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables "
        "WHERE table_type = 'LOCAL TEMPORARY'").fetchall() if r[0] in OPTIONAL)


def query(con, name: str, period_start, period_end) -> pd.DataFrame:
    """Run the query ``name`` for the period on the DuckDB SSD ``con``; dates come back as
    datetime64."""
    df = con.execute(sql(name, period_start, period_end)).df()
    for col in df.columns:
        if col.endswith(("date", "_day")):
            df[col] = pd.to_datetime(df[col])
    return df


def census_period(collection_year: int) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The CIN census year ending 31 March ``collection_year``."""
    year = int(collection_year)
    return pd.Timestamp(f"{year - 1}-04-01"), pd.Timestamp(f"{year}-03-31")


def cin_census(con, collection_year: int) -> dict[str, pd.DataFrame]:
    """The CIN census's children, episodes and modules for the year, from the SSD."""
    first, last = census_period(collection_year)
    return {name.removeprefix("cin_census_"): query(con, name, first, last)
            for name in CIN_CENSUS}


def annex_a(con, inspection_date, contact_months: int = 6) -> dict[str, pd.DataFrame]:
    """Annex A lists 1 to 10 for the inspection on ``inspection_date``, from the SSD:
    the 12 months ending that day, List 1 the last ``contact_months``."""
    last = pd.Timestamp(_day(inspection_date, "inspection_date"))
    first = last - pd.DateOffset(years=1) + pd.Timedelta(days=1)
    contacts_from = last - pd.DateOffset(months=contact_months) + pd.Timedelta(days=1)
    return {key: query(con, name, contacts_from if key == "list_1" else first, last)
            for key, name in ANNEX_A.items()}
