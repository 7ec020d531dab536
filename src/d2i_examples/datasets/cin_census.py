"""Read a CIN census XML file into the tables D2I's CIN validator works on.

Structure: the DfE children in need census XML (Message > Header, Children >
Child*), as described in the DfE CIN census specification. The tables and
columns are those csc-validator-be-cin derives (cin_validator.ingress.XMLtoCSV),
with the same running IDs: CINdetailsID counts a child's CINdetails blocks
from 1, AssessmentID a CINdetails block's assessments and CPPID its child
protection plans. Two differences, both deliberate:

- every CPPreviewDate in a Reviews block is a row of Reviews (the schema
  allows 1..n per block; XMLtoCSV 0.1.13 keeps only the first);
- InitialCPCtarget is parsed as a date (XMLtoCSV parses only columns whose
  name contains "date").

From 2026/27 the census may hold pre-proceedings blocks (spec/cin_census.py):
each ``<PreProceedings>`` is a row of PreProceedings, with the CINdetailsID of
the CINdetails block it sits in, or 0 when it sits directly in ``<Child>``.
Earlier censuses give an empty PreProceedings table.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd

from d2i_examples.datasets.files import element_text, existing_path, read_bytes
from d2i_examples.datasets.values import parse_dates
from d2i_examples.errors import DataError, gather
from d2i_examples.spec.cin_census import DATE_COLUMNS, TABLES

ID_COLUMNS = ("CINdetailsID", "AssessmentID", "CPPID")

_XML_DATE = "an ISO date YYYY-MM-DD, as the CIN census XML schema requires"


def _values(parent: ET.Element | None, columns: list[str]) -> dict[str, object]:
    return {c: element_text(parent, c) for c in columns}


def _parse_xml(path: Path) -> ET.Element:
    data = read_bytes(path)
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        fallback = _retry_as_windows_text(data)
        if fallback is None:
            line = exc.position[0]
            raise DataError(
                "The CIN census file is not well-formed XML.",
                file=path,
                expected="well-formed XML (every <Tag> closed by </Tag>, '&' written as "
                "'&amp;')",
                found=str(exc),
                fix=f"Open the file in a text editor (e.g. Notepad++) at line {line}. Usually "
                "a tag is not closed, or the file was cut short while copying; export it "
                "again from your case management system.",
            ) from None
        root = fallback
    for el in root.iter():
        if isinstance(el.tag, str) and "}" in el.tag:
            el.tag = el.tag.split("}", 1)[1]  # ignore any XML namespace
    return root


def _retry_as_windows_text(data: bytes) -> ET.Element | None:
    """Parse bytes that are Windows-1252 text but do not say so; None if not that."""
    try:
        data.decode("utf-8")
        return None  # valid UTF-8: the parse error is real
    except UnicodeDecodeError:
        pass
    text = data.decode("cp1252", errors="replace")
    if text.startswith("<?xml"):
        text = text[text.find("?>") + 2:]
    try:
        return ET.fromstring(text)
    except ET.ParseError:
        return None


def _check_root(root: ET.Element, path: Path) -> ET.Element:
    children = root.find("Children")
    if root.tag != "Message" or children is None:
        inside = ", ".join(dict.fromkeys(c.tag for c in root)) or "nothing"
        raise DataError(
            "This XML file is not a CIN census return.",
            file=path,
            expected="a <Message> root holding <Header> and <Children> (the DfE CIN census "
            "format)",
            found=f"root <{root.tag}> holding {inside}",
            fix="Check you picked the CIN census XML exported for the DfE collection; other "
            "returns (e.g. the SSDA903 XML or the school census) use different layouts.",
        )
    collection = element_text(root.find("Header/CollectionDetails"), "Collection")
    if isinstance(collection, str) and collection.upper() != "CIN":
        raise DataError(
            "This XML file is a DfE return, but not the CIN census.",
            file=path,
            column="Header/CollectionDetails/Collection",
            expected="CIN",
            found=collection,
            fix="Pick the CIN census XML file for this loader.",
        )
    return children


def _rows(root: ET.Element, children: ET.Element) -> tuple[dict[str, list[dict]], list[str]]:
    """One list of row dicts per table; each row has a '_where' for messages."""
    rows: dict[str, list[dict]] = {t: [] for t in TABLES}
    header = root.find("Header")
    head = {}
    head.update(_values(header.find("CollectionDetails") if header is not None else None,
                        TABLES["Header"][:3]))
    head.update(_values(header.find("Source") if header is not None else None,
                        TABLES["Header"][3:]))
    rows["Header"].append({**head, "_where": "the Header block"})
    for number, child in enumerate(children.findall("Child"), start=1):
        ids = child.find("ChildIdentifiers")
        la_id = element_text(ids, "LAchildID")
        where = (f"child {la_id} (Child number {number} in the file)" if isinstance(la_id, str)
                 else f"Child number {number} in the file (no LAchildID)")
        key = {"LAchildID": la_id, "_where": where}
        rows["ChildIdentifiers"].append({**_values(ids, TABLES["ChildIdentifiers"]), **key})
        chars = child.find("ChildCharacteristics")
        rows["ChildCharacteristics"].append({**key, "Ethnicity": element_text(chars, "Ethnicity")})
        disabilities = chars.find("Disabilities") if chars is not None else None
        for dis in list(disabilities) if disabilities is not None else []:
            text = dis.text.strip() if dis.text and dis.text.strip() else float("nan")
            rows["Disabilities"].append({**key, "Disability": text})
        for cin_id, cin in enumerate(child.findall("CINdetails"), start=1):
            ck = {**key, "CINdetailsID": cin_id}
            rows["CINdetails"].append({**_values(cin, TABLES["CINdetails"][2:]), **ck})
            for a_id, ass in enumerate(cin.findall("Assessments"), start=1):
                ak = {**ck, "AssessmentID": a_id}
                factors_el = ass.find("FactorsIdentifiedAtAssessment")
                factors = [
                    f.text.strip() if f.text and f.text.strip() else float("nan")
                    for f in (list(factors_el) if factors_el is not None else [])
                ]
                for factor in factors:
                    rows["AssessmentFactorsList"].append({**ak, "AssessmentFactor": factor})
                rows["Assessments"].append({
                    **_values(ass, TABLES["Assessments"][3:6]), **ak,
                    "AssessmentFactors": factors if factors else float("nan"),
                })
            for plan in cin.findall("CINPlanDates"):
                rows["CINplanDates"].append({**_values(plan, TABLES["CINplanDates"][2:]), **ck})
            for s47 in cin.findall("Section47"):
                rows["Section47"].append({**_values(s47, TABLES["Section47"][2:]), **ck})
            for cpp_id, cpp in enumerate(cin.findall("ChildProtectionPlans"), start=1):
                pk = {**ck, "CPPID": cpp_id}
                rows["ChildProtectionPlans"].append(
                    {**_values(cpp, TABLES["ChildProtectionPlans"][3:]), **pk}
                )
                for block in cpp.findall("Reviews"):
                    for review in block.findall("CPPreviewDate"):
                        text = review.text.strip() if review.text else ""
                        rows["Reviews"].append(
                            {**pk, "CPPreviewDate": text or float("nan")}
                        )
            _pre_proceedings(rows, cin, ck)
        _pre_proceedings(rows, child, {**key, "CINdetailsID": 0})
    return rows


def _pre_proceedings(rows: dict[str, list[dict]], parent: ET.Element, key: dict) -> None:
    """A row of PreProceedings for each <PreProceedings> block directly in ``parent``."""
    for block in parent.findall("PreProceedings"):
        rows["PreProceedings"].append({**_values(block, TABLES["PreProceedings"][2:]), **key})


def _frame(table: str, rows: list[dict], path: Path,
           problems: list[DataError] | None = None) -> pd.DataFrame:
    columns = TABLES[table]
    where = {i: r["_where"] for i, r in enumerate(rows)}
    raw = pd.DataFrame([{c: r.get(c, float("nan")) for c in columns} for r in rows],
                       columns=columns, dtype=object)
    out = {}
    for col in columns:
        if col in DATE_COLUMNS:
            try:
                out[col] = parse_dates(raw[col], file=path, column=col, where=where,
                                       keep_time=(col == "DateTime"), expected=_XML_DATE)
            except DataError as err:
                gather(err, problems)
                out[col] = raw[col].astype(object)
        elif col in ID_COLUMNS:
            out[col] = raw[col].astype("int64")
        else:
            out[col] = raw[col].astype(object)
    return pd.DataFrame(out, columns=columns)


def read_cin_census(path: str | Path, problems: list[DataError] | None = None
                    ) -> dict[str, pd.DataFrame]:
    """Read a CIN census XML file into the tables the CIN validator uses.

    Returns {"Header", "ChildIdentifiers", "ChildCharacteristics", "Disabilities",
    "CINdetails", "Assessments", "AssessmentFactorsList", "CINplanDates",
    "Section47", "ChildProtectionPlans", "Reviews", "PreProceedings"} (the
    last new in 2026/27, empty before): every table but Header has
    LAchildID, and those below CINdetails carry CINdetailsID (plus AssessmentID
    or CPPID) to join on. Date columns are datetime64 (ISO YYYY-MM-DD in the
    file; Header.DateTime keeps its time); other values are stripped text,
    NaN when absent; Assessments.AssessmentFactors is the list of factor codes.
    Any XML namespace is ignored. Problems raise one DataError; with ``problems`` a
    list, a date column that cannot be read is added there instead (and kept as text),
    so every such column is told at once.
    """
    p = existing_path(path, "CIN census XML file")
    if p.is_dir():
        xmls = sorted(x.name for x in p.glob("*.xml") if not x.name.startswith(("~$", ".")))
        raise DataError(
            "The CIN census loader needs the XML file itself, not a folder.",
            file=p,
            expected="the path of one .xml file",
            found="a folder" + (f" holding {', '.join(xmls)}" if xmls else " with no .xml files"),
            fix=f"Pass e.g. {p / xmls[0]}" if xmls else "Pass the path of the CIN census XML.",
        )
    if p.suffix.lower() != ".xml":
        fix = ("Unzip it first, then pass the .xml file inside." if p.suffix.lower() == ".zip"
               else "Pass the CIN census XML file exported for the DfE collection.")
        raise DataError(
            "The CIN census loader reads .xml files only.",
            file=p,
            expected="a .xml file",
            found=f"a {p.suffix or 'file with no extension'}",
            fix=fix,
        )
    root = _parse_xml(p)
    children = _check_root(root, p)
    rows = _rows(root, children)
    return {table: _frame(table, rows[table], p, problems) for table in TABLES}
