"""A council's own column headings and codes, mapped to the return's, in memory.

Statutory exports (the SSDA903 CSVs, the CIN census XML) use the DfE's names,
but Annex A workbooks and local extracts from a data warehouse name columns
their own way ("Child Ref" for CHILD, "Gender" for SEX, "Male" for M). A
ColumnMapping says how to read them; the loaders (d2i_examples.datasets) apply
it to headings and cells as they read, so the reader's files are never changed
and no mapped copy is ever written.

Headings are matched ignoring case and spacing ("child  ref" is "Child Ref").
Codes are matched ignoring case and surrounding spaces; codes not in the
mapping are left as they are, for the loaders' code checks to judge.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import pandas as pd

from d2i_examples.errors import DataError
from d2i_examples.spec import annex_a as annex_spec

#: Returns a mapping may be given for. The CIN census XML uses the DfE schema's
#: element names and codes, which every case management system exports as they are;
#: the SEN2 XML's element names are the DfE's too, but systems keep their own codes,
#: so a SEN2 mapping holds codes only.
MAPPABLE_RETURNS = ("ssda903", "annex_a", "sen2")

# Targets a suggested rename may apply to every table of a return ("columns:");
# others are suggested for the one table they were found in ("tables:").
# SSDA903 column names mean the same thing in every table; Annex A headings
# such as "Disability" do not (List 11's "Disability" is another column).
_CHILD_HEADINGS = set(annex_spec.LISTS["list_1"][1])


def heading_key(text: object) -> str:
    """A heading with case, byte-order marks and runs of spaces ignored."""
    text = str(text).replace("\ufeff", "").replace("\u00a0", " ")
    return " ".join(text.split()).casefold()


def code_key(value: object) -> str | None:
    """A cell as a code to look up: stripped, case ignored, Excel's 1.0 read as 1; None if blank."""
    if value is None:
        return None
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if value.is_integer():
            value = int(value)
    text = str(value).strip()
    return text.casefold() or None


@dataclass(frozen=True)
class ColumnMapping:
    """How one council's files for one return name their columns and codes.

    ``columns`` maps a council heading to the return's heading in every table;
    ``tables`` does the same for one table only (our table names: "episodes",
    "list_3"), and wins over ``columns``; ``codes`` maps, for one of the
    return's columns, a council code to the return's code.
    """

    return_name: str
    columns: dict[str, str] = field(default_factory=dict)
    tables: dict[str, dict[str, str]] = field(default_factory=dict)
    codes: dict[str, dict[str, str]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.columns or any(self.tables.values()) or self.codes)

    def entries(self, table: str | None = None) -> dict[str, tuple[str, str]]:
        """heading_key -> (council heading, return heading) in force for ``table``."""
        found = {heading_key(k): (k, v) for k, v in self.columns.items()}
        if table is not None:
            found.update({heading_key(k): (k, v) for k, v in self.tables.get(table, {}).items()})
        return found

    def rename(
        self, headings: Iterable[object], table: str | None = None, *, where: object = None
    ) -> list[object]:
        """``headings`` with mapped ones replaced by the return's names.

        With ``where`` (how messages name the file), two columns ending up with
        the same name raise a DataError.
        """
        lookup = self.entries(table)
        headings = list(headings)
        out = [lookup[heading_key(h)][1] if heading_key(h) in lookup else h for h in headings]
        if where is not None:
            seen: dict[str, object] = {}
            for raw, new in zip(headings, out):
                key = heading_key(new)
                if key in seen:
                    raise DataError(
                        f"Two columns would both be read as '{new}'.",
                        file=where,
                        column=str(new),
                        expected="each of the return's columns once",
                        found=f"'{seen[key]}' and '{raw}'"
                        + (" (after your column mapping)" if raw != new or seen[key] != new
                           else ""),
                        fix="Change the mapping in your settings file so only one of them "
                        "maps to this column, or delete the extra column from the file.",
                    )
                seen[key] = raw
        return out

    def rename_any(self, headings: Iterable[object]) -> list[object]:
        """``headings`` renamed by every entry of every table (to spot a heading row)."""
        lookup = self.entries()
        for table in self.tables:
            lookup.update(self.entries(table))
        return [lookup[heading_key(h)][1] if heading_key(h) in lookup else h for h in headings]

    def recode(self, column: str, values: pd.Series) -> pd.Series:
        """``values`` of the return's ``column`` with mapped codes replaced."""
        table = self.codes.get(column)
        if not table:
            return values
        lookup = {code_key(k): v for k, v in table.items()}
        return values.map(lambda v: lookup.get(code_key(v), v)).astype(object)

    def to_dict(self) -> dict:
        """The mapping as it is written in a settings file (empty parts left out)."""
        out: dict = {}
        if self.columns:
            out["columns"] = dict(self.columns)
        tables = {t: dict(m) for t, m in self.tables.items() if m}
        if tables:
            out["tables"] = tables
        if self.codes:
            out["codes"] = {c: dict(m) for c, m in self.codes.items()}
        return out


def with_renames(
    mapping: ColumnMapping | None,
    return_name: str,
    table: str | None,
    renames: Mapping[str, str],
) -> ColumnMapping:
    """``mapping`` plus suggested ``renames`` (heading as read -> return heading) for ``table``.

    A heading as read may itself come from ``mapping`` (a global entry that
    does not suit this table): the suggestion then maps the council's heading
    for this table only. SSDA903 suggestions go under ``columns`` (903 names
    mean the same in every table), Annex A ones under ``tables`` unless the
    target is one of the child columns every list starts with.
    """
    base = mapping or ColumnMapping(return_name)
    columns = dict(base.columns)
    tables = {t: dict(m) for t, m in base.tables.items()}
    in_force = base.entries(table)
    for seen, target in renames.items():
        council = [raw for raw, new in in_force.values() if heading_key(new) == heading_key(seen)]
        if council and table is not None:
            for raw in council:
                tables.setdefault(table, {})[raw] = target
        elif return_name == "ssda903" or target in _CHILD_HEADINGS or table is None:
            columns[seen] = target
        else:
            tables.setdefault(table, {})[seen] = target
    return ColumnMapping(return_name, columns, tables, dict(base.codes))


def with_codes(
    mapping: ColumnMapping | None, return_name: str, column: str, codes: Mapping[str, str]
) -> ColumnMapping:
    """``mapping`` plus code entries for one of the return's columns (yours -> the return's)."""
    base = mapping or ColumnMapping(return_name)
    merged = {c: dict(m) for c, m in base.codes.items()}
    merged.setdefault(column, {}).update(codes)
    return ColumnMapping(return_name, dict(base.columns),
                         {t: dict(m) for t, m in base.tables.items()}, merged)


def codes_by_meaning(bad: Iterable[str], allowed: Mapping[str, str]) -> dict[str, str]:
    """Bad codes that spell out an accepted code's meaning ("Male" for M), mapped to the code."""
    meanings = {heading_key(m): code for code, m in allowed.items()}
    return {b: meanings[heading_key(b)] for b in bad if heading_key(b) in meanings}
