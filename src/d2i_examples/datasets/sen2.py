"""Read a SEN2 XML file (special educational needs person level survey) into tidy tables.

Structure, tables and codes: ``d2i_examples.spec.sen2`` (the 2026 person level
specification). One row per block: ``person`` (one per Person), ``requests``,
``assessments``, ``plans`` (NamedPlan), ``plan_details`` (the placement named in the
plan), ``active_plans``, ``placements`` (PlacementDetail of an active plan) and
``sen_needs``; plus the ``header``. Blocks are keyed by running ids: ``person_id`` counts
the file's Person blocks from 1, ``request_id`` a person's Requests, ``assessment_id`` a
request's assessments. Dates are datetime64 (ISO YYYY-MM-DD in the file), other values
stripped text, NaN when absent. Any XML namespace is ignored.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd

from d2i_examples.datasets.cin_census import _retry_as_windows_text
from d2i_examples.datasets.files import element_text, existing_path, read_bytes
from d2i_examples.datasets.values import check_codes as check_code_column
from d2i_examples.datasets.values import parse_dates
from d2i_examples.errors import DataError, gather
from d2i_examples.settings.mapping import ColumnMapping
from d2i_examples.spec import sen2 as spec

_XML_DATE = "an ISO date YYYY-MM-DD, as the SEN2 XML requires"


def _values(parent: ET.Element | None, columns: list[str]) -> dict[str, object]:
    return {c: element_text(parent, c) for c in columns if not c.endswith("_id")}


def _parse(path: Path) -> ET.Element:
    data = read_bytes(path)
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        root = _retry_as_windows_text(data)
        if root is None:
            raise DataError(
                "The SEN2 file is not well-formed XML.", file=path,
                expected="well-formed XML (every <Tag> closed by </Tag>)", found=str(exc),
                fix=f"Open the file in a text editor at line {exc.position[0]}; usually the "
                "file was cut short while copying. Export it again from your system.",
            ) from None
    for el in root.iter():
        if isinstance(el.tag, str) and "}" in el.tag:
            el.tag = el.tag.split("}", 1)[1]
    return root


def _check_root(root: ET.Element, path: Path, collection_year: int | None) -> ET.Element:
    persons = root.find("Persons")
    header = root.find("Header/CollectionDetails")
    collection = element_text(header, "Collection")
    if isinstance(collection, str) and collection.upper() != spec.COLLECTION:
        raise DataError(
            "This XML file is a DfE return, but not the SEN2.", file=path,
            column="Header/CollectionDetails/Collection", expected=spec.COLLECTION,
            found=collection,
            fix="Pick the SEN2 XML file (the special educational needs person level survey).",
        )
    if root.tag != "Message" or persons is None:
        inside = ", ".join(dict.fromkeys(c.tag for c in root)) or "nothing"
        raise DataError(
            "This XML file is not a SEN2 person level return.", file=path,
            expected="a <Message> root holding <Header> and <Persons> (the DfE SEN2 format "
            f"from {spec.FIRST_PERSON_LEVEL_YEAR})",
            found=f"root <{root.tag}> holding {inside}",
            fix="Check you picked the SEN2 XML exported for the DfE collection. Before "
            f"{spec.FIRST_PERSON_LEVEL_YEAR} the SEN2 was a table of counts with no "
            "person level file.",
        )
    if header is None:
        raise DataError(
            "The SEN2 file has no Header/CollectionDetails block.", file=path,
            column="Header/CollectionDetails",
            expected="Collection, Year and ReferenceDate in a CollectionDetails block",
            found="no such block", fix="Export the file again from your system; the "
            "header says which collection and year the file is for.")
    year = element_text(header, "Year")
    if not (isinstance(year, str) and year.isdigit()):
        raise DataError("The SEN2 header does not say which year it is for.", file=path,
                        column="Header/CollectionDetails/Year", expected="a year such as 2026",
                        found=repr(year), fix="Export the file again from your system.")
    if int(year) < spec.FIRST_PERSON_LEVEL_YEAR:
        raise DataError(
            "This SEN2 file follows an older specification than this loader reads.",
            file=path, column="Header/CollectionDetails/Year",
            expected=f"a person level return, {spec.FIRST_PERSON_LEVEL_YEAR} or later "
            f"(this loader follows {spec.SPEC_VERSION})", found=year,
            fix="Use a SEN2 return from 2023 or later.")
    if collection_year is not None and int(year) != int(collection_year):
        raise DataError(
            f"This SEN2 file is for {year}, not {collection_year}.", file=path,
            column="Header/CollectionDetails/Year", expected=str(collection_year),
            found=year, fix=f"Pick the {collection_year} SEN2 file, or set "
            f"collection_year = {year}.")
    return persons


def _rows(root: ET.Element, persons: ET.Element, path: Path) -> dict[str, list[dict]]:
    t = spec.TABLES
    rows: dict[str, list[dict]] = {name: [] for name in t}
    head = root.find("Header")
    rows["header"].append({**_values(head.find("CollectionDetails"), t["header"][:3]),
                           **_values(head.find("Source"), t["header"][3:]),
                           "_where": "the Header block"})
    for pid, person in enumerate(persons.findall("Person"), start=1):
        upn = element_text(person, "UPN")
        where = f"Person number {pid} in the file" + (f" (UPN {upn})" if isinstance(upn, str)
                                                       else "")
        key = {"person_id": pid, "_where": where}
        rows["person"].append({**_values(person, t["person"]), **key})
        requests = person.findall("Requests")
        if not requests:
            raise DataError(
                "A Person in the SEN2 file has no Requests block.", file=path,
                column="Person/Requests",
                expected="at least one Requests block per Person (the request, or the "
                "historical plan, that brings them into the return)",
                found=f"none for {where}",
                fix="Export the file again; if your system leaves the block out for plans "
                "made long ago, ask your supplier.")
        for rid, req in enumerate(requests, start=1):
            rk = {**key, "request_id": rid}
            rows["requests"].append({**_values(req, t["requests"]), **rk})
            for aid, ass in enumerate(req.findall("Assessment"), start=1):
                ak = {**rk, "assessment_id": aid}
                rows["assessments"].append({**_values(ass, t["assessments"]), **ak})
                plan = ass.find("NamedPlan")
                if plan is not None:
                    rows["plans"].append({**_values(plan, t["plans"]), **ak})
                    for detail in plan.findall("PlanDetail"):
                        rows["plan_details"].append(
                            {**_values(detail, t["plan_details"]), **ak})
            active = req.find("ActivePlans")
            if active is not None:
                rows["active_plans"].append({**_values(active, t["active_plans"]), **rk})
                for place in active.findall("PlacementDetail"):
                    rows["placements"].append({**_values(place, t["placements"]), **rk})
                for need in active.findall("SENneed"):
                    rows["sen_needs"].append({**_values(need, t["sen_needs"]), **rk})
    return rows


def _frame(table: str, rows: list[dict], path: Path, codes: bool,
           mapping: ColumnMapping | None = None,
           problems: list[DataError] | None = None) -> pd.DataFrame:
    columns = spec.TABLES[table]
    where = {i: r["_where"] for i, r in enumerate(rows)}
    raw = pd.DataFrame([{c: r.get(c, float("nan")) for c in columns} for r in rows],
                       columns=columns, dtype=object)
    out = {}
    for col in columns:
        try:
            out[col] = _column(table, col, raw, where, path, codes, mapping)
        except DataError as err:
            gather(err, problems)
            out[col] = raw[col].astype(object)
    return pd.DataFrame(out, columns=columns)


def _column(table: str, col: str, raw: pd.DataFrame, where: dict, path: Path, codes: bool,
            mapping: ColumnMapping | None) -> pd.Series:
    """One column read: dates parsed, ids as numbers, coded values checked."""
    if col in spec.DATE_COLUMNS:
        return parse_dates(raw[col], file=path, column=col, where=where,
                           keep_time=(col == "DateTime"), expected=_XML_DATE)
    if col in spec.ID_COLUMNS:
        return raw[col].astype("int64")
    if (table, col) in spec.CODES:
        values = mapping.recode(col, raw[col]) if mapping is not None else raw[col]
        if not codes:
            return values.astype(object)
        found = check_code_column(
            values.set_axis([where[i] for i in raw.index]), file=path, column=col,
            allowed=spec.CODES[(table, col)], scope=f"the SEN2 codes ({spec.SPEC_VERSION})",
            fix="Map your system's codes to the SEN2 codes in a settings file (mapping > "
            f"sen2 > codes > {col}: your code: the SEN2 code), or change your system's "
            "SEN2 export settings.")
        return found.set_axis(raw.index)
    return raw[col].astype(object)


def read_sen2(path: str | Path, collection_year: int | None = None,
              check_codes: bool = True,
              mapping: ColumnMapping | None = None,
              problems: list[DataError] | None = None) -> dict[str, pd.DataFrame]:
    """Read a SEN2 XML file into the tables of ``spec.sen2.TABLES`` (see module doc).

    ``collection_year``: the year the file must be for (its header's Year; the census is
    in January of it); None accepts any person level year. ``check_codes``: stop on a
    code the specification does not list (False leaves them for you to look at).
    ``mapping``: a settings file's SEN2 mapping, whose codes (your code -> the SEN2
    code, by element name) are applied before the codes are checked.
    Problems raise one DataError naming the file, the element and the person; with
    ``problems`` a list, a column whose dates or codes cannot be read is added there
    instead (and kept as text), so every such column is told at once.
    """
    p = existing_path(path, "SEN2 XML file")
    if p.is_dir():
        xmls = sorted(x.name for x in p.glob("*.xml") if not x.name.startswith(("~$", ".")))
        raise DataError(
            "The SEN2 loader needs the XML file itself, not a folder.", file=p,
            expected="the path of one .xml file",
            found="a folder" + (f" holding {', '.join(xmls)}" if xmls else " with no .xml files"),
            fix=f"Pass e.g. {p / xmls[0]}" if xmls else "Pass the path of the SEN2 XML.")
    if p.suffix.lower() != ".xml":
        raise DataError("The SEN2 loader reads .xml files only.", file=p,
                        expected="a .xml file", found=f"a {p.suffix or 'file with no extension'}",
                        fix="Pass the SEN2 XML file exported for the DfE collection.")
    root = _parse(p)
    persons = _check_root(root, p, collection_year)
    rows = _rows(root, persons, p)
    return {table: _frame(table, rows[table], p, check_codes, mapping, problems)
            for table in spec.TABLES}

