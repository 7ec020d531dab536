"""Read a CIN census into the tables D2I's CIN validator checks, in one pass.

``cin_tables(root)`` returns exactly what ``cin_validator.convert_data(root)``
returns: the same eleven tables (Header, ChildIdentifiers, ...), with the same
columns, dtypes, row order and values. The tool's reader (``ingress.XMLtoCSV``)
concatenates a one-row frame onto each table for every block of every child,
so its time grows faster than the census; this one collects each table's rows
in lists and makes one frame per table, so it grows with the census. The rules
stay the tool's: hand the tables to its ``process_data`` and ``CinValidator``.

The tool's definitions, kept here:

- a column's value is the text of the first element of that name directly
  inside the block: ``<NA>`` when there is none, ``None`` when it is empty
  (``<UPN/>``), otherwise the text as written, whitespace included;
- ``CINdetailsID`` numbers a child's ``<CINdetails>`` blocks from 1,
  ``AssessmentID`` the ``<Assessments>`` in a CINdetails block, ``CPPID`` its
  ``<ChildProtectionPlans>``;
- ``Disabilities`` has a row per element inside the child's first
  ``<Disabilities>`` block; ``AssessmentFactorsList`` a row per element
  inside an assessment's first ``<FactorsIdentifiedAtAssessment>``, whose texts
  are also listed in the assessment's ``AssessmentFactors``;
- a ``<Reviews>`` counts only if it holds a ``<CPPreviewDate>``;
- plans and reviews placed directly in ``<Child>`` (outside any CINdetails)
  are read too, with the child's last ``CINdetailsID`` (0 if none);
- every column holds Python objects (dtype object), dates as text: the tool's
  ``process_data`` parses them;
- where one block's values of a column are all missing, the tool's
  concatenations (pandas 1.5) turn them into None or NaN (see below).

Table and column names come from the tool's ``XMLtoCSV``, their one home. For
analysis, ``datasets.read_cin_census`` gives tidier tables (dates parsed, every
review date kept); these are for the tool's rules, its quirks included.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from functools import lru_cache

import pandas as pd

from d2i_examples.tools._quiet import import_quietly

# convert_data's tables, in its order
TABLES = (
    "Header",
    "ChildIdentifiers",
    "ChildCharacteristics",
    "ChildProtectionPlans",
    "CINdetails",
    "CINplanDates",
    "Reviews",
    "Section47",
    "Assessments",
    "AssessmentFactorsList",
    "Disabilities",
)
# the Header table's columns, by the block of <Header> they come from
_HEADER_BLOCKS = {
    "CollectionDetails": ("Collection", "Year", "ReferenceDate"),
    "Source": ("SourceLevel", "LEA", "SoftwareCode", "Release", "SerialNo", "DateTime"),
}
# the numbers the reader gives blocks (ints, where every other value is text)
_COUNTERS = ("CINdetailsID", "AssessmentID", "CPPID")


@lru_cache(maxsize=1)
def _reader():
    return import_quietly("cin_validator.ingress").XMLtoCSV


def _texts(block: ET.Element | None) -> dict:
    """The text of the first element of each name directly inside ``block``."""
    texts: dict = {}
    if block is not None:
        for element in block:
            if element.tag not in texts:
                texts[element.tag] = element.text
    return texts


class _Table:
    """One table: its columns, the rows read so far, and where the tool would concatenate.

    ``steps`` holds the (start, end) rows of each frame the tool would concatenate
    onto the table (end == start for the empty frames it concatenates too).
    """

    def __init__(self, name: str):
        reader = _reader()
        self.name = name
        self.columns = list(getattr(reader, name).columns)
        self.rows: list[list] = []
        self.steps: list[tuple[int, int]] = []
        self._done = 0
        self.counters = [c for c in _COUNTERS if c in self.columns]
        # the order of the keys of the tool's row dicts, which sets its frames' layout
        ids = [c for c in self.columns if c in reader.id_cols]
        self.key_order = (
            self.columns if name in ("Header", "ChildIdentifiers")
            else ids + list(set(self.columns).difference(set(reader.id_cols)))
        )

    def add(self, block: ET.Element | None, **ids) -> None:
        texts = _texts(block)
        self.rows.append([ids[c] if c in ids else texts.get(c, pd.NA) for c in self.columns])

    def step(self) -> None:
        """The tool concatenates the rows added since the last step onto the table."""
        self.steps.append((self._done, len(self.rows)))
        self._done = len(self.rows)

    def frame(self) -> pd.DataFrame:
        empty = getattr(_reader(), self.name)
        if not self.steps:
            return empty.copy()
        values = [list(column) for column in zip(*self.rows)] or [[] for _ in self.columns]
        _concatenation_fills(self, values)
        return pd.DataFrame(dict(zip(self.columns, values)), columns=self.columns, dtype=object)


def tables_it_lacks() -> list[str]:
    """Tables the installed tool's reader makes that ``cin_tables`` does not: none for
    csc-validator-be-cin 0.1.13; a release that reads the 2026/27 pre-proceedings block
    would list it, and the validator wrapper then uses the tool's own reader."""
    return sorted(name for name, value in vars(_reader()).items()
                  if isinstance(value, pd.DataFrame) and name not in TABLES)


def cin_tables(root: ET.Element) -> dict[str, pd.DataFrame]:
    """The CIN census ``root`` (<Message>, no namespaces) as ``convert_data`` tables.

    A dict of eleven DataFrames, one per table of the CIN validator, equal to
    ``cin_validator.convert_data(root)`` in tables, columns, dtypes, row order and
    values; the definitions are in this module's docstring.

    Raises:
        ValueError: no <Header>, or a child without <ChildCharacteristics> (the
            tool fails on these too).
    """
    tables = {name: _Table(name) for name in TABLES}
    header = root.find("Header")
    if header is None:
        raise ValueError("the census has no <Header>")
    values: dict = {}
    for block, columns in _HEADER_BLOCKS.items():
        texts = _texts(header.find(block))
        values.update({column: texts.get(column, pd.NA) for column in columns})

    children = root.find("Children")
    for child in children.findall("Child") if children is not None else ():
        _read_child(child, tables)

    frames = {name: table.frame() for name, table in tables.items()}
    frames["Header"] = pd.DataFrame.from_dict([values])
    return frames


def _read_child(child: ET.Element, tables: dict[str, _Table]) -> None:
    identifiers = child.find("ChildIdentifiers")
    tables["ChildIdentifiers"].add(identifiers)
    tables["ChildIdentifiers"].step()
    child_id = _texts(identifiers).get("LAchildID", pd.NA)

    characteristics = child.find("ChildCharacteristics")
    if characteristics is None:
        raise ValueError(f"child {child_id} has no <ChildCharacteristics>")
    tables["ChildCharacteristics"].add(characteristics, LAchildID=child_id)
    tables["ChildCharacteristics"].step()
    disabilities = characteristics.find("Disabilities")
    if disabilities is not None:
        for disability in disabilities:
            tables["Disabilities"].add(disability, LAchildID=child_id, Disability=disability.text)
        tables["Disabilities"].step()

    details_id = 0
    for details in child.findall("CINdetails"):
        details_id += 1
        ids = {"LAchildID": child_id, "CINdetailsID": details_id}
        tables["CINdetails"].add(details, **ids)
        for assessment_id, assessment in enumerate(details.findall("Assessments"), start=1):
            _read_assessment(assessment, tables, AssessmentID=assessment_id, **ids)
        tables["Assessments"].step()
        for dates in details.findall("CINPlanDates"):
            tables["CINplanDates"].add(dates, **ids)
        tables["CINplanDates"].step()
        for section in details.findall("Section47"):
            tables["Section47"].add(section, **ids)
        tables["Section47"].step()
        _read_plans(details, tables, **ids)
    tables["CINdetails"].step()

    ids = {"LAchildID": child_id, "CINdetailsID": details_id}
    plans = _read_plans(child, tables, **ids)
    _read_reviews(child, tables, CPPID=plans, **ids)


def _read_assessment(assessment: ET.Element, tables: dict[str, _Table], **ids) -> None:
    factors = assessment.find("FactorsIdentifiedAtAssessment")
    if factors is not None and len(factors):
        listed = tables["AssessmentFactorsList"]
        for factor in factors:
            listed.add(factor, AssessmentFactor=factor.text, **ids)
        listed.step()
        ids["AssessmentFactors"] = [factor.text for factor in factors]
    tables["Assessments"].add(assessment, **ids)


def _read_plans(block: ET.Element, tables: dict[str, _Table], **ids) -> int:
    """Read the plans directly inside ``block`` and their reviews; return how many."""
    plan_id = 0
    for plan in block.findall("ChildProtectionPlans"):
        plan_id += 1
        tables["ChildProtectionPlans"].add(plan, CPPID=plan_id, **ids)
        _read_reviews(plan, tables, CPPID=plan_id, **ids)
    tables["ChildProtectionPlans"].step()
    return plan_id


def _read_reviews(block: ET.Element, tables: dict[str, _Table], **ids) -> None:
    for review in block.findall("Reviews"):
        if review.find("CPPreviewDate") is not None:
            tables["Reviews"].add(review, **ids)
    tables["Reviews"].step()


# --- what the tool's concatenations do to missing values ------------------------------
#
# Each pd.concat of pandas 1.5 rewrites a block of a frame that is all missing (None,
# <NA> or NaN) as all None (if its first value is None) or all NaN, so the tool's
# tables hold NaN or None where one child's block had <NA>. Which columns share a
# block depends on the order of the tool's row dicts (a set's order, which changes with
# PYTHONHASHSEED), so it is not written down here: each case is asked of pandas once,
# on two-row frames laid out as the tool's, and the answer applied to the whole table.

_KEEP = object()


def _missing(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _signature(values: list[list], columns: list[int], start: int, end: int) -> tuple:
    """Per column: are rows start:end all missing, and is the first one None."""
    return tuple(
        (all(map(_missing, values[i][start:end])), values[i][start] is None) for i in columns
    )


def _concatenation_fills(table: _Table, values: list[list]) -> None:
    """Rewrite ``values`` (a list per column) as the tool's concatenations leave them."""
    watched = [i for i, c in enumerate(table.columns) if c not in table.counters]
    acc_missing = dict.fromkeys(watched, True)
    acc_first: dict[int, object] = {}
    acc_fill: dict[int, tuple[int, object]] = {}  # the last rewrite of rows [0, n)
    acc_rows, acc_state = 0, "new"
    layout = _layout(table)  # once per table: reading the dtypes for every step was slow
    for start, end in table.steps:
        if acc_rows == 0 and end == start:
            acc_state = "emptied"
            continue
        before = (
            tuple((acc_missing[i], acc_first[i] is None) for i in watched)
            if acc_rows else acc_state
        )
        chunk = _signature(values, watched, start, end) if end > start else None
        acc_out, chunk_out = _fills(table, layout, before, chunk)
        for k, i in enumerate(watched):
            if acc_out[k] is not _KEEP:
                acc_fill[i] = (acc_rows, acc_out[k])
                acc_first[i] = acc_out[k]
            if chunk is None:
                continue
            if chunk_out[k] is not _KEEP:
                values[i][start:end] = [chunk_out[k]] * (end - start)
            if acc_rows == 0:
                acc_first[i] = values[i][start]
            acc_missing[i] = acc_missing[i] and chunk[k][0]
        acc_rows = end
    for i, (rows, fill) in acc_fill.items():
        values[i][:rows] = [fill] * rows


def _probe_values(signature: tuple) -> list[tuple]:
    """Two values per column with the given (all missing, first is None) signature."""
    return [
        ((None, pd.NA) if first_none else (pd.NA, None)) if missing
        else ((None, "x") if first_none else ("x", pd.NA))
        for missing, first_none in signature
    ]


def _layout(table: _Table) -> tuple:
    """What the answers of ``_ask_pandas`` for ``table`` depend on besides the signatures."""
    empty = getattr(_reader(), table.name)  # the tool's own run may change its dtypes
    return table.name, tuple(table.key_order), tuple(map(str, empty.dtypes))


def _fills(table: _Table, layout: tuple, before, chunk: tuple | None) -> tuple[list, list]:
    key = (layout, before, chunk)
    if key not in _FILLS:
        _FILLS[key] = _ask_pandas(table, before, chunk)
    return _FILLS[key]


_FILLS: dict = {}


def _probe_frame(table: _Table, signature: tuple | None) -> pd.DataFrame:
    watched = [c for c in table.columns if c not in table.counters]
    probe = dict(zip(watched, _probe_values(signature))) if signature else {}
    rows = [{}, {}]
    for column in table.key_order:
        pair = (1, 2) if column in table.counters else probe.get(column, ("x", "y"))
        rows[0][column], rows[1][column] = pair
    return pd.DataFrame(rows)


def _ask_pandas(table: _Table, before, chunk: tuple | None) -> tuple[list, list]:
    """What one concatenation does to each column's part of the table and of the chunk."""
    empty = getattr(_reader(), table.name)
    watched = [c for c in table.columns if c not in table.counters]
    if isinstance(before, str):
        acc = empty if before == "new" else pd.concat([empty, pd.DataFrame([])], ignore_index=True)
        acc_values = {}
    else:
        # laid out as after the tool's first concatenation, then given the probe values
        acc = pd.concat([empty, _probe_frame(table, None)], ignore_index=True)
        acc_values = dict(zip(watched, _probe_values(before)))
        for block in acc._mgr.blocks:
            for row, place in enumerate(block.mgr_locs.as_array):
                name = table.columns[place]
                if name in acc_values:
                    block.values[row, :] = acc_values[name]
    new = _probe_frame(table, chunk) if chunk is not None else pd.DataFrame([])
    new_values = dict(zip(watched, _probe_values(chunk))) if chunk is not None else {}
    out = pd.concat([acc, new], ignore_index=True)
    n = len(acc)

    def outcome(given: dict, part: list) -> list:
        result = []
        for name in watched:
            now = part[name] if name in given else None
            if name not in given or _kinds(now) == _kinds(given[name]):
                result.append(_KEEP)
            elif all(v is None for v in now):
                result.append(None)
            else:
                result.append(now[0])
        return result

    acc_part = {name: out[name].tolist()[:n] for name in watched}
    new_part = {name: out[name].tolist()[n:] for name in watched}
    return outcome(acc_values, acc_part), outcome(new_values, new_part)


def _kinds(values) -> tuple:
    return tuple("none" if v is None else "na" if v is pd.NA else type(v).__name__ for v in values)
