"""The year's SSDA903 tables while mistakes are planted in them.

:class:`Ssda903Tables` holds copies of the tables, last year's header and what the SSDA903
mistakes (``ssda903_header``, ``ssda903_care``) ask of them: which rows may take a mistake,
the child's episodes in order, every date recorded; and it changes one cell at a time,
returning the :class:`~d2i_examples.synth.mistakes.registry.Planting`.
:func:`checked_tables` checks the frames a caller passes in.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from d2i_examples.errors import DataError
from d2i_examples.spec.ssda903 import DATE_COLUMNS, DATE_FORMAT, TABLES
from d2i_examples.synth.mistakes.registry import Planting, Targets


def to_date(s: pd.Series) -> pd.Series:
    return pd.to_datetime(s, format=DATE_FORMAT, errors="coerce")


def fmt_date(d: pd.Timestamp) -> str:
    return d.strftime(DATE_FORMAT)


def age_on(dob: pd.Series, when) -> pd.Series:
    """Age in whole years on ``when`` (a date or a Series of dates)."""
    when = pd.Series(when, index=dob.index) if not isinstance(when, pd.Series) else when
    years = when.dt.year - dob.dt.year
    before_birthday = (when.dt.month < dob.dt.month) | (
        (when.dt.month == dob.dt.month) & (when.dt.day < dob.dt.day)
    )
    return years - before_birthday.astype(int)


class Ssda903Tables:
    """The year's SSDA903 tables being changed, with what the mistakes need to know."""

    def __init__(self, tables: Mapping[str, pd.DataFrame], previous, year: int, targets: Targets):
        self.t = {name: df.reset_index(drop=True).copy() for name, df in tables.items()}
        for name, (_, columns) in TABLES.items():
            if name not in self.t:
                self.t[name] = pd.DataFrame(columns=columns, dtype=object)
        prev = previous or {}
        self.prev_header = prev.get("header", pd.DataFrame(columns=TABLES["header"][1]))
        self.prev_children = set(self.prev_header["CHILD"])
        self.start = pd.Timestamp(f"{year - 1}-04-01")
        self.end = pd.Timestamp(f"{year}-03-31")
        self.targets = targets
        eps = self.t["episodes"].copy()
        eps["decom"], eps["dec"] = to_date(eps["DECOM"]), to_date(eps["DEC"])
        eps = eps.sort_values(["CHILD", "decom"], kind="stable")
        eps["n"] = eps.groupby("CHILD")["CHILD"].transform("size")
        eps["first"] = ~eps["CHILD"].duplicated()
        eps["last"] = ~eps["CHILD"].duplicated(keep="last")
        self.eps = eps
        dob = self.t["header"].set_index("CHILD")["DOB"]
        self.dob = to_date(dob)
        self.sex = self.t["header"].set_index("CHILD")["SEX"]
        self._dates = None

    # --- choosing -----------------------------------------------------------------

    def rows(self, table: str, mask) -> list[int]:
        df = self.t[table]
        mask = pd.Series(mask, index=df.index).fillna(False).astype(bool)
        mask &= self.targets.free(df["CHILD"])
        return df.index[mask].tolist()

    def choose(self, table: str, mask) -> int | None:
        child = self.t[table]["CHILD"]
        return self.targets.take(self.rows(table, mask), lambda row: child.at[row])

    def count(self, table: str) -> pd.Series:
        """Rows per child in ``table``, aligned on ``table``'s rows."""
        df = self.t[table]
        return df.groupby("CHILD")["CHILD"].transform("size")

    def in_table(self, table: str, frame: pd.DataFrame) -> pd.Series:
        return frame["CHILD"].isin(self.t[table]["CHILD"])

    @property
    def all_dates(self) -> pd.DataFrame:
        """Every date recorded in the year's tables: CHILD, table, date (DOBs excluded)."""
        if self._dates is None:
            parts = []
            for name, df in self.t.items():
                for col in set(df.columns) & (DATE_COLUMNS - {"DOB"}):
                    parts.append(
                        pd.DataFrame(
                            {"CHILD": df["CHILD"], "table": name, "date": to_date(df[col])}
                        )
                    )
            dates = pd.concat(parts, ignore_index=True)
            self._dates = dates[dates["date"].notna()]
        return self._dates

    def care_ended_in_year(self) -> set[str]:
        e = self.eps
        ended = e["dec"].notna() & e["REC"].ne("X1") & e["REC"].ne("")
        return set(e.loc[ended, "CHILD"])

    # --- changing -----------------------------------------------------------------

    def set(self, table: str, row: int, column: str, new: str, also: str = "") -> Planting:
        df = self.t[table]
        old = df.at[row, column]
        df.at[row, column] = new
        return Planting(
            child=df.at[row, "CHILD"],
            table=table,
            column=column,
            old=old,
            new=new,
            row=int(row),
            also=also,
        )

    # --- common sets of episodes ----------------------------------------------------

    def new_single_episode(self) -> pd.Series:
        """Per episode row: the child's only episode in the year, starting a period of
        care in the year (RNE S), so no other episode or last year's return compares with
        it."""
        e = self.eps.reindex(self.t["episodes"].index)
        return (e["n"] == 1) & (e["RNE"] == "S") & (e["decom"] >= self.start)

    def placement_free(self) -> pd.Series:
        """Per episode row: placement details (type, provider) can change without another
        episode noticing: neither this episode nor the child's next one is a change of
        legal status only (RNE L, rule 434), and it is not a first episode begun last year
        (rules 503D-J)."""
        e = self.eps
        next_rne = e.groupby("CHILD")["RNE"].shift(-1)
        free = (e["RNE"] != "L") & (next_rne != "L")
        return free.reindex(self.t["episodes"].index) & ~self.continuing_first()

    def continuing_first(self) -> pd.Series:
        """Per episode row: the child's first episode of the year, begun last year (rules
        503A-J compare it with the episode open at the end of last year's return)."""
        e = self.eps.reindex(self.t["episodes"].index)
        return e["first"] & (e["decom"] < self.start)


def checked_tables(tables: Mapping[str, pd.DataFrame], what: str) -> None:
    """The SSDA903 frames must be keyed by our table names and hold the spec's columns."""
    for name, df in tables.items():
        if name not in TABLES:
            raise DataError(
                f"Unknown table in the {what}.",
                found=repr(name),
                expected=", ".join(TABLES),
                fix="Key the frames as synth.ssda903_tables does.",
            )
        if not isinstance(df, pd.DataFrame):
            raise DataError(
                f"The {name} table of the {what} is not a DataFrame.",
                found=type(df).__name__,
                expected="a pandas DataFrame",
            )
        missing = [col for col in TABLES[name][1] if col not in df.columns]
        if missing:
            raise DataError(
                f"The {name} table of the {what} lacks SSDA903 columns.",
                column=", ".join(missing),
                expected=", ".join(TABLES[name][1]),
                found=", ".join(map(str, df.columns)),
                fix="Pass the tables as synth.ssda903_tables writes them.",
            )
